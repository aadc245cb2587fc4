"""``callscore transcribe`` and ``callscore models``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from callscore.cli.asr_options import with_asr_options
from callscore.cli.common import FORMAT_HELP, JSON_DEPRECATED, OUT_HELP
from callscore.errors import CallscoreError
from callscore.transcript.model import Transcript, save_transcript
from callscore.transcript.transcribe import TranscribeOptions, transcribe_path

console = Console(highlight=False, markup=False)
FORMATS = ("text", "json")
EXTENSIONS = {"text": "txt", "json": "json"}


def register(app: typer.Typer) -> None:
    """Add the transcription commands to ``app``."""
    app.command("transcribe")(transcribe_cmd)
    app.command("models")(models_cmd)


def with_roles(t: Transcript) -> Transcript:
    """A stereo call labelled agent/customer per channel (detected from what each side says: cheap, no
    audio needed); mono calls are left as they are (telling voices apart is ``callscore analyze``'s job)."""
    if t.speakers or t.audio.analysis_channels != 2:
        return t
    from callscore.speakers.assign import assign_speakers

    return assign_speakers(t)


def format_transcript(t: Transcript) -> str:
    """Readable timestamped transcript, one line per segment, labelled by speaker/role or channel."""
    names = {0: "LEFT", 1: "RIGHT"} if len(t.channels) > 1 or t.audio.analysis_channels == 2 else {0: "MONO"}
    lines = []
    for s in t.segments:
        who = s.speaker or names.get(s.channel, f"CH{s.channel}")
        role = t.role_of(s.speaker)
        label = f"{who} ({role})" if role else who
        lines.append(f"[{_ts(s.start)} - {_ts(s.end)}] {label:<16} {s.text}")
    return "\n".join(lines)


def _ts(t: float) -> str:
    m, s = divmod(t, 60)
    return f"{int(m):02d}:{s:05.2f}"


@with_asr_options
def transcribe_cmd(
    files: Annotated[
        list[Path], typer.Argument(help="Audio files (wav, mp3, m4a, ogg, flac) or transcript JSON.")
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=FORMAT_HELP.format(choices="text, json"))
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", hidden=True, help=JSON_DEPRECATED)] = None,
    no_cache: Annotated[bool, typer.Option(help="Ignore and do not write the transcript cache.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Transcribe calls per channel with word timestamps, offline."""
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    from callscore.cli.common import error_line, handle_errors, output_target, resolve_output
    from callscore.files import write_text_atomic
    from callscore.transcript.model import transcript_to_dict

    with handle_errors(debug):
        fmt, out = resolve_output(fmt, out, json_out, choices=FORMATS, default="text")
    opts = asr or TranscribeOptions()
    failed = 0
    for f in files:
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as bar:
                task = bar.add_task(f"transcribing {f.name}", total=1.0)

                def show(done: float, total: float, task: TaskID = task) -> None:
                    bar.update(task, completed=done / max(total, 1e-9))

                t = transcribe_path(f, options=opts, use_cache=not no_cache, progress=show)
            t = with_roles(t)
        except CallscoreError as e:
            if debug:
                raise
            error_line(str(e))
            failed += 1
            continue
        if fmt == "json" and out is None:
            typer.echo(json.dumps(transcript_to_dict(t), ensure_ascii=False, indent=2))
            continue
        console.rule(f"{f}  ({t.audio.duration:.1f} s, {t.audio.sample_rate} Hz, {t.audio.channels} ch)")
        console.print(format_transcript(t), markup=False)
        if out is not None:
            target = output_target(out, stem=f.stem, ext=EXTENSIONS[fmt], many=len(files) > 1)
            if fmt == "json":
                save_transcript(t, target)
            else:
                write_text_atomic(target, format_transcript(t) + "\n")
            console.print(f"wrote {target}", style="dim")
    if failed:
        raise typer.Exit(1)


def models_cmd() -> None:
    """List the ASR models callscore knows and whether each is ready offline."""
    from callscore.asr.models import default_model_name, list_models

    table = Table("model", "ready offline", "licence", "where / why", title="ASR models")
    default = default_model_name()
    for st in list_models():
        name = st.spec.name + (" (default)" if st.spec.name == default else "")
        table.add_row(name, "yes" if st.ready else "no", st.spec.license, st.detail)
    console.print(table)
