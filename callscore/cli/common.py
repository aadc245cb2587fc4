"""What every command shares: one error line on stderr, and the only place errors become exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
