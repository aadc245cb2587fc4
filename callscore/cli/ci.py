"""``callscore ci``: a quality gate for CI pipelines, with JUnit XML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from callscore.batch.gate import DEFAULT_MIN_SCORE, GateVerdict
from callscore.cli.asr_options import with_asr_options
from callscore.transcript.transcribe import TranscribeOptions

console = Console(highlight=False, soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``ci`` to ``app``."""
    app.command("ci")(ci_cmd)


def verdict_table(verdicts: list[GateVerdict], *, min_score: float) -> Table:
    """Compact table: one row per call."""
    table = Table("call", "score", "critical", "result", "why", title=f"callscore gate (min {min_score:g})")
    for v in verdicts:
        card = v.card
        score = "" if card is None or card.total is None else f"{card.total:.1f}"
        crit = ", ".join(i.id for i in card.critical_failures) if card is not None else ""
        table.add_row(v.call_id, score, crit, "PASS" if v.passed else "FAIL", "; ".join(v.reasons))
    return table


@with_asr_options
def ci_cmd(
    paths: Annotated[list[str], typer.Argument(help="Recordings or transcript JSON: files, folders, globs.")],
    min_score: Annotated[float, typer.Option(help="Lowest passing score (0-100).")] = DEFAULT_MIN_SCORE,
    fail_on_critical: Annotated[
        bool, typer.Option(help="Fail a call with a failed critical item whatever its score.")
    ] = False,
    junit: Annotated[Path | None, typer.Option(help="Write JUnit XML here.")] = None,
    rubric: Annotated[
        str, typer.Option(help="Built-in rubric name or rubric YAML path.")
    ] = "id-contact-centre",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    agent_channel: Annotated[
        str | None, typer.Option(help="Force the agent channel of stereo calls: left or right.")
    ] = None,
    no_cache: Annotated[bool, typer.Option(help="Do not use or fill the transcript cache.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Score recordings and exit non-zero when a call is below --min-score (or, with --fail-on-critical,
    fails a critical item, or cannot be scored)."""
    from callscore.batch.driver import RunKey, resolve_run_key
    from callscore.batch.gate import GateOptions, gate_exit_code, junit_xml, run_gate
    from callscore.batch.inputs import plan_inputs
    from callscore.batch.work import default_scorer_factory
    from callscore.cli import batch as batch_commands
    from callscore.cli.common import handle_errors
    from callscore.files import write_text_atomic

    with handle_errors(debug):
        if not 0 <= min_score <= 100:
            from callscore.batch.driver import BatchError

            raise BatchError(f"--min-score {min_score:g}: use a score from 0 to 100")
        calls, _ = plan_inputs(paths)
        pipeline, factory, key = batch_commands.pipeline_setup(
            rubric=rubric, agent_channel=agent_channel, transcribe=asr, use_cache=not no_cache
        )
        run_key: RunKey | None = key
        if factory is None:
            factory = default_scorer_factory
            run_key = resolve_run_key(pipeline)
        options = GateOptions(min_score=min_score, fail_on_critical=fail_on_critical)
        verdicts = list(run_gate(calls, options=options, factory=factory, pipeline=pipeline, jobs=jobs))
        if junit is not None:
            write_text_atomic(junit, junit_xml(verdicts, options=options, key=run_key))
    console.print(verdict_table(verdicts, min_score=min_score))
    passed = sum(v.passed for v in verdicts)
    console.print(f"{passed} of {len(verdicts)} calls passed" + (f"; JUnit XML in {junit}" if junit else ""))
    if not verdicts:
        console.print("no calls found: nothing was checked", markup=False)
    code = gate_exit_code(verdicts)
    if code:
        raise typer.Exit(code)
