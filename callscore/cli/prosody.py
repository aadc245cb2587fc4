"""``callscore prosody``: how the agent sounded (calm, confidence), explained, with a per-minute curve."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from callscore.cli.asr_options import with_asr_options
from callscore.cli.common import FORMAT_HELP, JSON_DEPRECATED, OUT_HELP
from callscore.transcript.transcribe import TranscribeOptions

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    """Add the prosody command to ``app``."""
    app.command("prosody")(prosody_cmd)


def _score(s: object) -> str:
    score = getattr(s, "score", None)
    return "n/a" if score is None else f"{score:.0f}"


def _ts(t: float) -> str:
    m, s = divmod(int(round(t)), 60)
    return f"{m:02d}:{s:02d}"


@with_asr_options
def prosody_cmd(
    file: Annotated[Path, typer.Argument(help="Call audio (wav, mp3, m4a, ...) or a transcript JSON.")],
    audio: Annotated[
        Path | None,
        typer.Option(help="The recording, when FILE is a transcript JSON (default: the path it names)."),
    ] = None,
    sex: Annotated[str, typer.Option(help="Pitch norm: auto (from the voice), male or female.")] = "auto",
    tracker: Annotated[
        str, typer.Option(help="Pitch tracker: yin (default) or praat (needs the GPL-3 'praat' extra).")
    ] = "yin",
    window: Annotated[float, typer.Option(help="Seconds per point of the calm/confidence curve.")] = 60.0,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=FORMAT_HELP.format(choices="table, json"))
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", hidden=True, help=JSON_DEPRECATED)] = None,
    no_cache: Annotated[bool, typer.Option(help="Ignore and do not write the transcript cache.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Score how the agent sounded: calm and confidence 0-100 from prosody, with the reasons."""
    from callscore.audio.decode import load_audio
    from callscore.cli.common import handle_errors, output_target, resolve_output
    from callscore.files import write_text_atomic
    from callscore.prosody.report import ProsodyOptions, analyze_prosody, prosody_to_dict
    from callscore.transcript.model import is_transcript_file, load_transcript
    from callscore.transcript.transcribe import transcribe_audio

    with handle_errors(debug):
        fmt, out = resolve_output(fmt, out, json_out, choices=("table", "json"), default="table")
        options = ProsodyOptions(sex=sex, tracker=tracker, window=window)
        if is_transcript_file(file):
            transcript = load_transcript(file)
            source = audio or Path(transcript.audio.path)
            call_audio = load_audio(source) if audio is not None or source.is_file() else None
        else:
            call_audio = load_audio(file)
            transcript = transcribe_audio(call_audio, options=asr, use_cache=not no_cache)
        report = analyze_prosody(call_audio, transcript, options=options)

    text = json.dumps(prosody_to_dict(report), ensure_ascii=False, indent=2)
    if fmt == "json" and out is None:
        typer.echo(text)
        return
    print_prosody(report, title=f"Prosody: {file.name}")
    if out is not None:
        if fmt == "table":
            plain = Console(record=True, width=100, file=io.StringIO(), highlight=False)
            print_prosody(report, title=f"Prosody: {file.name}", to=plain)
            text = plain.export_text()
        target = output_target(out, stem=file.stem, ext="json" if fmt == "json" else "txt", many=False)
        write_text_atomic(target, text)
        console.print(f"wrote {target}", style="dim")


def print_prosody(report: Any, *, title: str = "Prosody", to: Console | None = None) -> None:
    """The prosody panel: scores per speaker, the agent's contributions and per-window curve, printed on
    ``to`` (default: the terminal)."""
    to = to or console
    table = Table("speaker", "role", "calm", "confidence", "why", title=title)
    for sp in report.speakers:
        table.add_row(sp.speaker, sp.role or "?", _score(sp.calm), _score(sp.confidence), sp.calm.reason)
    to.print(table)
    agent = report.agent
    if agent is None:
        return
    for name, score in (("calm", agent.calm), ("confidence", agent.confidence)):
        to.print(f"[bold]{name}[/]: {score.reason}")
        for c in score.contributions:
            to.print(f"  {c.points:+6.1f}  {c.feature} = {c.value:g}  (vs {c.reference}; {c.basis})")
    to.print("[bold]curve[/] (agent, per window):")
    for p in agent.curve:
        why = "" if p.calm.measured else f"  {p.calm.reason}"
        scores = f"calm {_score(p.calm):>3}  confidence {_score(p.confidence):>3}"
        to.print(f"  {_ts(p.start)}-{_ts(p.end)}  {scores}{why}")
