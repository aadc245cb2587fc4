"""``callscore prosody``: how the agent sounded (calm, confidence), explained, with a per-minute curve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the full report as JSON here.")
    ] = None,
    no_cache: Annotated[bool, typer.Option(help="Ignore and do not write the transcript cache.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Score how the agent sounded: calm and confidence 0-100 from prosody, with the reasons."""
    from ..audio import load_audio
    from ..cli import handle_errors
    from ..prosody import ProsodyOptions, analyze_prosody, prosody_to_dict
    from ..transcribe import transcribe_audio
    from ..transcript import is_transcript_file, load_transcript, write_text_atomic

    with handle_errors(debug):
        options = ProsodyOptions(sex=sex, tracker=tracker, window=window)
        if is_transcript_file(file):
            transcript = load_transcript(file)
            source = audio or Path(transcript.audio.path)
            call_audio = load_audio(source) if audio is not None or source.is_file() else None
        else:
            call_audio = load_audio(file)
            transcript = transcribe_audio(call_audio, use_cache=not no_cache)
        report = analyze_prosody(call_audio, transcript, options=options)

    table = Table("speaker", "role", "calm", "confidence", "why", title=f"Prosody: {file.name}")
    for sp in report.speakers:
        table.add_row(sp.speaker, sp.role or "?", _score(sp.calm), _score(sp.confidence), sp.calm.reason)
    console.print(table)
    agent = report.agent
    if agent is not None:
        for name, score in (("calm", agent.calm), ("confidence", agent.confidence)):
            console.print(f"[bold]{name}[/]: {score.reason}")
            for c in score.contributions:
                console.print(f"  {c.points:+6.1f}  {c.feature} = {c.value:g}  (vs {c.reference}; {c.basis})")
        console.print("[bold]curve[/] (agent, per window):")
        for p in agent.curve:
            why = "" if p.calm.measured else f"  {p.calm.reason}"
            console.print(
                f"  {_ts(p.start)}-{_ts(p.end)}  calm {_score(p.calm):>3}  "
                f"confidence {_score(p.confidence):>3}{why}"
            )
    if json_out is not None:
        write_text_atomic(json_out, json.dumps(prosody_to_dict(report), ensure_ascii=False, indent=2))
        console.print(f"wrote {json_out}", style="dim")
