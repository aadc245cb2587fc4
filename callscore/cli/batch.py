"""``callscore batch``: score many calls into a folder and a results store, resumably."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from callscore.batch.driver import (
    ENGINES,
    FAILED,
    SCORED,
    SKIPPED,
    BatchOptions,
    BatchProgress,
    BatchSummary,
    RunKey,
)
from callscore.batch.work import ScorerFactory
from callscore.cli.asr_options import with_asr_options
from callscore.cli.sentiment_options import DEFAULT_SENTIMENT_MODEL, SentimentModelOption
from callscore.pii.wire import DEFAULT_REDACT, MODE_HELP, check_mode
from callscore.pipeline import PipelineOptions
from callscore.transcript.transcribe import TranscribeOptions

console = Console(
    highlight=False, soft_wrap=True, markup=False
)  # reasons and paths stay on one line, greppable
DEFAULT_RUBRIC = "id-contact-centre"


def register(app: typer.Typer) -> None:
    """Add ``batch`` to ``app``."""
    app.command("batch")(batch_cmd)


def pipeline_setup(
    *,
    rubric: str,
    agent_channel: str | None = None,
    transcribe: TranscribeOptions | None = None,
    use_cache: bool = True,
    redact: str = DEFAULT_REDACT,
    out_dir: Path | None = None,
    sentiment_model: str = DEFAULT_SENTIMENT_MODEL,
) -> tuple[PipelineOptions, ScorerFactory | None, RunKey | None]:
    """Pipeline options for the real scorer, and (None, None) = default factory and resolved run key.

    Kept as one function so the CLI wiring can be tested with another scorer.
    """
    from callscore.batch.work import default_pipeline_options

    pipeline = default_pipeline_options(
        transcribe=transcribe or TranscribeOptions(),
        rubric=rubric,
        agent_channel=agent_channel,
        use_cache=use_cache,
        redact=check_mode(redact),
        redacted_audio_dir=None if out_dir is None else str(out_dir),
        sentiment_model=sentiment_model,
    )
    return pipeline, None, None


@with_asr_options
def batch_cmd(
    inputs: Annotated[
        list[str], typer.Argument(help="Audio files, transcript JSON, folders (recursive) or glob patterns.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for scorecards and reports.")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (or Ray actors).")] = 1,
    rubric: Annotated[str, typer.Option(help="Built-in rubric name or rubric YAML path.")] = DEFAULT_RUBRIC,
    metadata: Annotated[
        Path | None, typer.Option(help="CSV with call_id/file, agent, team, call_date and any other columns.")
    ] = None,
    name_pattern: Annotated[
        str | None, typer.Option(help="Parse metadata from file names, e.g. '{agent}_{date}_{id}'.")
    ] = None,
    engine: Annotated[str, typer.Option(help=f"Where to run: {', '.join(ENGINES)}.")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster address: auto or ray://head:10001 (--engine ray).")
    ] = None,
    db: Annotated[
        str | None, typer.Option(help="Results store: SQLite file or postgresql://user@host/db.")
    ] = None,
    agent_channel: Annotated[
        str | None, typer.Option(help="Force the agent channel of stereo calls: left or right.")
    ] = None,
    sentiment_model: SentimentModelOption = DEFAULT_SENTIMENT_MODEL,
    no_cache: Annotated[bool, typer.Option(help="Do not use or fill the transcript cache.")] = False,
    force: Annotated[bool, typer.Option(help="Re-score calls that already have a result.")] = False,
    redact: Annotated[str, typer.Option(help=MODE_HELP)] = DEFAULT_REDACT,
    no_html: Annotated[bool, typer.Option(help="Do not write HTML reports.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Score many calls with N workers; re-runs skip calls already scored with the same audio, rubric
    and model; a bad file is recorded as failed and the batch goes on."""
    from callscore.batch.inputs import plan_inputs
    from callscore.cli.common import handle_errors

    with handle_errors(debug):
        if agent_channel not in (None, "left", "right"):
            from callscore.batch.driver import BatchError

            raise BatchError(f"--agent-channel {agent_channel!r}: use left or right")
        calls, warnings = plan_inputs(inputs, metadata_csv=metadata, name_pattern=name_pattern, exclude=[out])
        pipeline, factory, key = pipeline_setup(
            rubric=rubric,
            agent_channel=agent_channel,
            transcribe=asr,
            use_cache=not no_cache,
            redact=redact,
            out_dir=out,
            sentiment_model=sentiment_model,
        )
        options = BatchOptions(
            out_dir=out,
            jobs=jobs,
            pipeline=pipeline,
            scorer_factory=factory,
            run_key=key,
            db=db,
            engine=engine,
            address=address,
            html=not no_html,
            force=force,
        )
        from callscore.cli.common import warning_line

        for w in warnings:
            warning_line(w)
        summary = _run_with_progress(calls, options, warnings)
    print_summary(summary)
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


def _run_with_progress(calls: list[Any], options: BatchOptions, warnings: list[str]) -> BatchSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from callscore.batch.driver import run_batch

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[hours]} h audio"),
        TextColumn("{task.fields[speed]}"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        # Until the first call is done the workers are loading the rubric and the model.
        task = bar.add_task("loading the model, scoring", total=None, hours="0.00", speed="")

        def on_progress(p: BatchProgress) -> None:
            speed = f"{p.speed:.1f}x real time" if p.speed else "from cache"
            bar.update(
                task,
                description="scoring",
                total=p.total,
                completed=p.done,
                hours=f"{p.audio_s / 3600:.2f}",
                speed=speed,
            )

        return run_batch(calls, options=options, progress=on_progress, warnings=warnings)


def print_summary(summary: BatchSummary) -> None:
    """Counts, speed and every failure with its reason."""
    from callscore.cli.common import printable

    failed = summary.of(FAILED)
    for o in failed:
        console.print(printable(f"FAILED {o.call_id}: {o.reason}"), markup=False)
    scored = summary.of(SCORED)
    if summary.speed:  # over audio actually transcribed, never over transcripts served from the cache
        cached = sum(1 for o in scored if o.transcribed_s <= 0)
        from_cache = f", {cached} from the transcript cache" if cached else ""
        hours = summary.transcribed_s / 3600
        speed = f", {hours:.2f} h transcribed at {summary.speed:.1f}x real time{from_cache}"
    else:
        speed = ", nothing transcribed: transcripts from the cache" if scored else ""
    console.print(
        f"scored {len(scored)}, skipped {len(summary.of(SKIPPED))} (already scored), "
        f"failed {len(failed)} in {summary.wall_s:.1f} s ({summary.audio_s / 3600:.2f} h audio{speed}); "
        f"results in {printable(summary.store)}",
        markup=False,
    )
    if summary.error:
        from callscore.cli.common import error_line

        error_line(summary.error)
    elif summary.interrupted:
        console.print("interrupted: run the same command again to score the rest", markup=False)
