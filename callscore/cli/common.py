"""What every command shares: one error line on stderr, and the only place errors become exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console

from callscore.errors import CallscoreError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def error_line(message: str) -> None:
    """Print one clear error line to stderr."""
    err_console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)


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
