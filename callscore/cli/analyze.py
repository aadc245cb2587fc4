"""``callscore analyze``: speakers, roles, talk ratio, interruptions, dead air, holds and prosody."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from callscore.audio.model import Audio
from callscore.cli.asr_options import with_asr_options
from callscore.cli.common import FORMAT_HELP, JSON_DEPRECATED, OUT_HELP
from callscore.errors import CallscoreError
from callscore.transcript.model import Transcript
from callscore.transcript.transcribe import TranscribeOptions

console = Console(highlight=False, markup=False)
CHANNELS = ("left", "right")


def register(app: typer.Typer) -> None:
    """Add the analyze command to ``app``."""
    app.command("analyze")(analyze_cmd)


@with_asr_options
def analyze_cmd(
    file: Annotated[Path, typer.Argument(help="Audio file (wav, mp3, m4a, ...) or transcript JSON.")],
    agent_channel: Annotated[
        str | None, typer.Option(help="Force the agent's channel on a stereo call: left or right.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=FORMAT_HELP.format(choices="table, json"))
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", hidden=True, help=JSON_DEPRECATED)] = None,
    dead_air: Annotated[float, typer.Option(help="Flag silences longer than this many seconds.")] = 5.0,
    prosody: Annotated[bool, typer.Option(help="Measure calm/confidence from the audio.")] = True,
    no_cache: Annotated[bool, typer.Option(help="Ignore and do not write the transcript cache.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Who spoke when: speakers and roles, talk ratio, interruptions, dead air, holds, prosody."""
    from callscore.cli.common import handle_errors, output_target, resolve_output
    from callscore.files import write_text_atomic
    from callscore.pipeline import AnalyzeOptions, analysis_to_dict, analyze_call

    with handle_errors(debug):
        fmt, out = resolve_output(fmt, out, json_out, choices=("table", "json"), default="table")
        if agent_channel is not None and agent_channel not in CHANNELS:
            raise CallscoreError(f"--agent-channel {agent_channel!r}: use left or right")
        opts = AnalyzeOptions()
        opts = replace(
            opts,
            speakers=replace(opts.speakers, agent_channel=agent_channel),
            timeline=replace(opts.timeline, timeline=replace(opts.timeline.timeline, dead_air=dead_air)),
            prosody=prosody,
        )
        transcript, audio = _load(file, options=asr or TranscribeOptions(), use_cache=not no_cache)
        analysis = analyze_call(transcript, audio, options=opts)
        data = analysis_to_dict(analysis)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if fmt == "json" and out is None:
            typer.echo(text)
            return
        print_analysis(data, prosody=analysis.prosody)
        if out is not None:
            target = output_target(out, stem=file.stem, ext="json" if fmt == "json" else "txt", many=False)
            write_text_atomic(target, text if fmt == "json" else _plain_text(data, analysis.prosody))
            console.print(f"wrote {target}", style="dim")


def _plain_text(data: dict[str, Any], prosody: Any) -> str:
    """The panels as plain text, 100 columns, for ``--format table --out FILE``."""
    to = Console(record=True, width=100, file=io.StringIO(), highlight=False)
    print_analysis(data, prosody=prosody, to=to)
    return to.export_text()


def _load(file: Path, *, options: TranscribeOptions, use_cache: bool) -> tuple[Transcript, Audio | None]:
    """Transcript and audio of ``file``; a transcript JSON brings its audio when the file is still there."""
    from callscore.audio.decode import load_audio
    from callscore.transcript.model import is_transcript_file, load_transcript
    from callscore.transcript.transcribe import transcribe_audio

    if is_transcript_file(file):
        transcript = load_transcript(file)
        source = Path(transcript.audio.path)
        if not source.is_absolute():
            source = file.parent / source if (file.parent / source).exists() else source
        return transcript, (load_audio(source) if source.is_file() else None)
    audio = load_audio(file)
    return transcribe_audio(audio, options=options, use_cache=use_cache), audio


def print_analysis(data: dict[str, Any], *, prosody: Any = None, to: Console | None = None) -> None:
    """Readable panels of an analysis dict (as from ``analysis_to_dict``); ``prosody`` is the
    ``ProsodyReport`` itself, printed as the prosody command does (else the dict's scalars); ``to`` is
    the console to print on (default: the terminal)."""
    to = to or console
    head = f"{data['duration']:.1f} s, {data['channels']} ch, timing from {data['timeline_source']}"
    console.rule(f"{data['file']}  ({head})")
    roles = Table("speaker", "channel", "role", "confidence", title="speakers")
    for s in data["speakers"]:
        ch = "mono" if s["channel"] is None else CHANNELS[s["channel"]]
        roles.add_row(s["label"], ch, s["role"] or "unknown", f"{s['role_confidence']:.2f}")
    to.print(roles)
    reasons = dict.fromkeys(s["role_reason"] for s in data["speakers"] if s["role_reason"])
    for reason in reasons:
        to.print(f"roles: {reason}", markup=False)
    ratio = data["talk_ratio"]
    to.print(
        f"talk ratio (agent / agent+customer): {'n/a (roles unknown)' if ratio is None else f'{ratio:.0%}'}"
        f"   agent {data['agent_talk_time']:.1f} s, customer {data['customer_talk_time']:.1f} s"
    )
    opts = data["timeline_options"]
    to.print(f"non-talk time (silences > {opts['non_talk']:g} s): {data['non_talk_time']:.1f} s")
    _events(
        to,
        "interruptions",
        data["interruptions"],
        lambda o: f"{o['by']} ({o['by_role'] or '?'}) over {o['held_by']}: {o['text']!r}",
    )
    _events(
        to,
        f"dead air (> {opts['dead_air']:g} s)",
        data["dead_air"],
        lambda s: f"after {s['before']}, before {s['after']}",
    )
    _events(
        to, "holds", data["holds"], lambda s: "long hold" if s["duration"] > opts["long_hold"] else "hold"
    )
    if data["prosody"] is None:
        to.print(f"prosody: {data['prosody_note'] or 'not available'}", style="bold")
    elif hasattr(prosody, "speakers") and hasattr(prosody, "agent"):
        from callscore.cli.prosody import print_prosody

        print_prosody(prosody, to=to)
    else:
        to.print("prosody:", style="bold")
        for key, value in _flat(data["prosody"]):
            to.print(f"  {key}: {value}", markup=False)


def _events(to: Console, title: str, items: list[dict[str, Any]], describe: Any) -> None:
    to.print(f"{title}: {len(items)}", style="bold")
    for it in items:
        to.print(
            f"  {it['start']:7.2f}-{it['end']:7.2f} s ({it['duration']:.1f} s) {describe(it)}", markup=False
        )


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Scalars of a nested dict as dotted keys (lists shown by length), for the prosody panel."""
    if isinstance(value, dict):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(_flat(v, f"{prefix}{k}."))
        return out
    if isinstance(value, list):
        return [(prefix.rstrip("."), f"[{len(value)} items]")]
    return [(prefix.rstrip(".") or "value", round(value, 3) if isinstance(value, float) else value)]
