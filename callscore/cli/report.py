"""``callscore report`` and ``callscore export``: read the results store a batch filled."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from callscore.results.aggregates import FORMATS, GROUPINGS
from callscore.results.export import EXPORT_FORMATS

console = Console(highlight=False, soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``export`` to ``app``."""
    app.command("report")(report_cmd)
    app.command("export")(export_cmd)


def _db_option_help() -> str:
    return "Results store: the SQLite file a batch wrote (<out>/callscore.sqlite) or postgresql://..."


def report_cmd(
    db: Annotated[str, typer.Option(help=_db_option_help())],
    by: Annotated[str, typer.Option(help=f"Group by: {', '.join(GROUPINGS)}.")] = "agent",
    fmt: Annotated[str, typer.Option("--format", help=f"Output: {', '.join(FORMATS)}.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write here instead of the terminal.")] = None,
    worst: Annotated[int, typer.Option(help="How many worst calls to list.")] = 10,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Score averages and distributions, item failure rates, worst calls and per-agent trends."""
    from callscore.cli.common import handle_errors
    from callscore.files import write_text_atomic
    from callscore.results.aggregates import ReportError, build_report, report_csv, report_tables
    from callscore.results.dashboard import render_dashboard
    from callscore.results.store import StoreError, open_store, parse_store_url

    with handle_errors(debug):
        if fmt not in FORMATS:
            raise ReportError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
        target = parse_store_url(db)
        if target.kind == "sqlite" and target.path is not None and not target.path.is_file():
            raise StoreError(f"{target.path}: no results store here (run `callscore batch` first)")
        with open_store(db) as store:
            report = build_report(store, by=by, worst_n=worst)
        if fmt == "table":
            if out is not None:
                import io

                file_console = Console(record=True, width=160, file=io.StringIO())
                for t in report_tables(report):
                    file_console.print(t)
                write_text_atomic(out, file_console.export_text())
            else:
                for t in report_tables(report):
                    console.print(t)
            text = None
        elif fmt == "csv":
            text = report_csv(report)
        else:
            text = render_dashboard(report, page_dir=(out.parent.resolve() if out else Path.cwd()))
        if text is not None:
            if out is None:
                typer.echo(text, nl=False)
            else:
                write_text_atomic(out, text)
        if out is not None:
            console.print(f"wrote {out}", style="dim")


def export_cmd(
    db: Annotated[str, typer.Option(help=_db_option_help())],
    out: Annotated[Path, typer.Option(help="Output file.")],
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(EXPORT_FORMATS)}.")] = "csv",
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Export all item results (one row per call and item) as CSV or Parquet."""
    from callscore.cli.common import handle_errors
    from callscore.results.aggregates import ReportError
    from callscore.results.export import export_rows, write_export
    from callscore.results.store import StoreError, open_store, parse_store_url

    with handle_errors(debug):
        if fmt not in EXPORT_FORMATS:
            raise ReportError(f"--format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
        target = parse_store_url(db)
        if target.kind == "sqlite" and target.path is not None and not target.path.is_file():
            raise StoreError(f"{target.path}: no results store here (run `callscore batch` first)")
        with open_store(db) as store:
            rows = export_rows(store)
        write_export(rows, out, fmt=fmt)
    console.print(f"wrote {len(rows)} item results to {out}", markup=False)
