"""``callscore rubric check|show|list`` and ``callscore eval rubric``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console(highlight=False)

rubric_app = typer.Typer(
    help="Validate and inspect rubrics.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
eval_app = typer.Typer(
    help="Measure accuracy against hand labels.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def register(app: typer.Typer) -> None:
    """Add the ``rubric`` and ``eval`` command groups to ``app``."""
    app.add_typer(rubric_app, name="rubric")
    app.add_typer(eval_app, name="eval")


def _load(name_or_path: str):
    from callscore.cli.common import err_console
    from callscore.rubric.schema import load_rubric

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rubric = load_rubric(name_or_path)
    for w in caught:
        err_console.print(f"[yellow]warning:[/] {w.message}", markup=True, highlight=False)
    return rubric


@rubric_app.command("check")
def check_cmd(
    file: Annotated[str, typer.Argument(help="Rubric YAML file (or built-in rubric name).")],
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Validate a rubric; prints every problem as FILE:LINE: what is wrong, and exits 1 if there is any."""
    from callscore.cli.common import err_console, handle_errors
    from callscore.errors import RubricError
    from callscore.rubric.schema import RubricProblems

    with handle_errors(debug):
        try:
            r = _load(file)
        except RubricProblems as e:
            if debug:
                raise
            if len(e.problems) == 1:
                raise RubricError(e.problems[0]) from None
            for problem in e.problems:
                err_console.print(problem, markup=False, highlight=False)
            raise RubricError(f"{file}: {len(e.problems)} problems") from None
    console.print(f"ok: {r.id} {r.version} ({r.language}), {len(r.items)} items, {len(r.triggers)} triggers")


@rubric_app.command("show")
def show_cmd(
    rubric: Annotated[str, typer.Argument(help="Rubric YAML file or built-in rubric name.")],
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Print a rubric's items: id, kind, weight, critical flag and title."""
    from callscore.cli.common import handle_errors

    with handle_errors(debug):
        r = _load(rubric)
    table = Table(
        "id", "kind", "weight", "critical", "title", title=f"{r.name} — {r.id} {r.version} ({r.language})"
    )
    for i in r.items:
        detail = i.params.get("measure") or i.params.get("feature") or i.params.get("polarity") or ""
        kind = f"{i.kind} ({detail})" if detail else i.kind
        table.add_row(i.id, kind, f"{i.weight:g}", "yes" if i.critical else "", i.title)
    console.print(table)
    if r.deprecated:
        console.print(f"deprecated: use {r.successor}")


@rubric_app.command("list")
def list_cmd() -> None:
    """List the built-in rubrics."""
    from callscore.rubric.schema import builtin_rubrics, parse_rubric

    for name, path in builtin_rubrics().items():
        r = parse_rubric(path.read_text(encoding="utf-8"), source=str(path))
        note = f"  (deprecated: use {r.successor})" if r.deprecated else ""
        console.print(f"{name:<24} {r.version:<8} {r.language}  {r.name}{note}")


@eval_app.command("rubric")
def eval_rubric_cmd(
    labels: Annotated[Path, typer.Option(help="Labels: TSV (path, item, expected[, split]) or JSON.")],
    rubric: Annotated[str, typer.Option(help="Rubric file or built-in name.")] = "id-contact-centre",
    split: Annotated[str | None, typer.Option(help="Evaluate only this split (e.g. dev, test).")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every mismatch.")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Per-item precision/recall/F1 of detecting FAIL, and macro-F1, against hand labels."""
    from callscore.cli.common import handle_errors
    from callscore.eval.rubric_eval import evaluate, format_report, read_labels, report_to_dict
    from callscore.files import write_text_atomic

    with handle_errors(debug):
        r = _load(rubric)
        report = evaluate(read_labels(labels), rubric=r, split=split)
    title = f"rubric {r.id} {r.version} on {labels}" + (f" (split {split})" if split else "")
    console.print(format_report(report, title=title), markup=False)
    if errors:
        for m in report.mismatches:
            console.print(
                f"  {m.call}  {m.item}: expected {m.expected}, got {m.got} — {m.reason}", markup=False
            )
    if json_out is not None:
        write_text_atomic(json_out, json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
        console.print(f"wrote {json_out}", style="dim")
