"""What every command shares: one error line on stderr, and the only place errors become exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from callscore.errors import CallscoreError

err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def printable(text: object) -> str:
    """``text`` with control characters shown as ``\\xNN``: an escape sequence in a file name must not
    reach the terminal raw (for consoles printing with ``markup=False``)."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" for ch in str(text))


def plain(text: object) -> str:
    """``text`` for a markup-enabled print: :func:`printable`, with rich markup escaped.

    File names, rubric values and CSV cells are user data: ``call[red]x.wav`` must print as itself and
    ``[/bold]`` must not crash rich.
    """
    from rich.markup import escape

    return escape(printable(text))


def error_line(message: str) -> None:
    """Print one clear error line to stderr; ``message`` is printed as plain text."""
    err_console.print(f"[bold red]error:[/] {plain(message)}", markup=True, highlight=False)


def warning_line(message: str) -> None:
    """Print one warning line to stderr; ``message`` is printed as plain text."""
    err_console.print(f"[yellow]warning:[/] {plain(message)}", markup=True, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` as one error line and exit with ``code``."""
    error_line(message)
    raise typer.Exit(code)


@contextmanager
def handle_errors(debug: bool = False) -> Iterator[None]:
    """Turn CallscoreError into one line and exit code 1; tracebacks only with ``--debug``."""
    try:
        yield
    except CallscoreError as e:
        if debug:
            raise
        fail(str(e))
    except KeyboardInterrupt:
        if debug:
            raise
        fail("interrupted", code=130)


# Machine output, the same on transcribe, score, analyze and prosody: --format picks what is written,
# --out where (a file, or a folder of one file per call).
FORMAT_HELP = "What to write: {choices}. Without --out, printed to stdout."
OUT_HELP = (
    "Write the output here: a file, or a folder (one file per call) when it is an existing folder, "
    "has no extension, or several calls are given."
)
JSON_DEPRECATED = "--json PATH is deprecated: use --format json --out PATH"


def output_target(out: Path, *, stem: str, ext: str, many: bool) -> Path:
    """The file to write for one call: ``out`` itself, or ``out/<stem>.<ext>`` when ``out`` is a folder.

    ``out`` is a folder when it is one already, has no extension (``out/`` arrives as ``out``) or when
    several calls are written; so ``transcribe x.wav --out out/`` writes ``out/x.json``, never a file
    named ``out``.
    """
    if many or out.is_dir() or not out.suffix:
        return out / f"{stem}.{ext}"
    return out


def resolve_output(
    fmt: str | None, out: Path | None, json_out: Path | None, *, choices: tuple[str, ...], default: str
) -> tuple[str, Path | None]:
    """Format and output path from ``--format``/``--out``, honouring the deprecated ``--json PATH``."""
    if json_out is not None:
        err_console.print(f"[yellow]warning:[/] {JSON_DEPRECATED}", markup=True)
        if out is not None and out != json_out:
            raise CallscoreError("give --out or the deprecated --json, not both")
        fmt, out = fmt or "json", json_out
    fmt = fmt or default
    if fmt not in choices:
        raise CallscoreError(f"unknown format {fmt!r} (choose one of: {', '.join(choices)})")
    return fmt, out
