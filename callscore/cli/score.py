"""``callscore score``: scorecards for one or more calls, printed or written per call."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from callscore.cli.asr_options import with_asr_options
from callscore.cli.common import FORMAT_HELP, OUT_HELP
from callscore.cli.sentiment_options import DEFAULT_SENTIMENT_MODEL, SentimentModelOption
from callscore.errors import CallscoreError
from callscore.pii.wire import DEFAULT_REDACT, MODE_HELP, check_mode
from callscore.pipeline import DEFAULT_RUBRIC, PipelineOptions, load_rubric_for, score_path, sentiment_for
from callscore.transcript.transcribe import TranscribeOptions

console = Console(highlight=False, markup=False)
EXTENSIONS = {"table": "txt", "json": "json", "html": "html", "md": "md"}


def register(app: typer.Typer) -> None:
    """Add ``score`` to ``app``."""
    app.command("score")(score_cmd)


@with_asr_options
def score_cmd(
    inputs: Annotated[
        list[Path], typer.Argument(help="Audio files, transcript JSON files, or folders of them (recursive).")
    ],
    rubric: Annotated[str, typer.Option(help="Built-in rubric name or a rubric YAML file.")] = DEFAULT_RUBRIC,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=FORMAT_HELP.format(choices="table, json, html, md"))
    ] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help=OUT_HELP)] = None,
    agent_channel: Annotated[
        str | None, typer.Option(help="Force the agent channel of stereo calls: left or right.")
    ] = None,
    prosody: Annotated[bool, typer.Option(help="Measure calm/confidence from the audio.")] = True,
    sentiment_model: SentimentModelOption = DEFAULT_SENTIMENT_MODEL,
    no_cache: Annotated[bool, typer.Option(help="Re-transcribe even if a cached transcript exists.")] = False,
    redact: Annotated[str, typer.Option(help=MODE_HELP)] = DEFAULT_REDACT,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Score calls against a rubric: total, every item with pass/fail, weight and evidence."""
    from callscore.batch.inputs import find_inputs
    from callscore.cli.common import error_line, handle_errors
    from callscore.render import FORMATS, render_call

    with handle_errors(debug):
        if fmt not in FORMATS:
            raise CallscoreError(f"unknown format {fmt!r} (choose one of: {', '.join(FORMATS)})")
        if agent_channel not in (None, "left", "right"):
            raise CallscoreError(f"--agent-channel must be left or right, not {agent_channel!r}")
        mode = check_mode(redact)
        if mode == "audio" and out is None:
            raise CallscoreError("--redact audio writes a redacted copy of each recording: give --out FOLDER")
        transcribe = asr or TranscribeOptions()
        options = PipelineOptions(
            transcribe=transcribe,
            rubric=rubric,
            agent_channel=agent_channel,
            prosody=prosody,
            use_cache=not no_cache,
            redact=mode,
            redacted_audio_dir=None if out is None else str(out),
            sentiment_model=sentiment_model,
        )
        rub = load_rubric_for(options)
        sentiment_for(options)  # a missing or broken sentiment model fails before any audio is touched
        search = find_inputs(inputs)
        files, problems = search.files, search.problems
    for problem in problems:
        error_line(problem)
    failed = len(problems)
    for f in files:
        try:
            with console.status(Text(f"scoring {f.name}…")):  # a name is not markup
                result = score_path(f, options=options, rubric=rub)
            text = render_call(
                fmt,
                scorecard=result.scorecard,
                transcript=result.transcript,
                timeline=result.timeline,
                audio_path=result.audio_path,
            )
        except CallscoreError as e:
            if debug:
                raise
            error_line(str(e))
            failed += 1
            continue
        if out is not None:
            from callscore.cli.common import output_target
            from callscore.files import write_text_atomic

            target = output_target(
                out, stem=result.scorecard.call_id, ext=EXTENSIONS[fmt], many=len(files) > 1
            )
            write_text_atomic(target, text)
            total = result.scorecard.total
            console.print(f"{f}: {'n/a' if total is None else f'{total:.0f}'} -> {target}")
        elif fmt == "table":
            from callscore.render.table import build

            # Laid out for this console (the terminal's width, 80 columns when piped), never drawn wider
            # and wrapped again.
            console.print(build(scorecard=result.scorecard))
        else:
            typer.echo(text)
    if failed:
        raise typer.Exit(1)
