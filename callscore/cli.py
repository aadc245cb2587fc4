"""The ``callscore`` command line. Only this layer turns errors into exit codes.

Each command group lives in ``callscore/commands/<name>.py`` and exposes ``register(app)``; add its module
to ``COMMAND_MODULES`` to wire it in.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console

from .errors import CallscoreError

COMMAND_MODULES = (
    "callscore.commands.transcribe",
    "callscore.commands.analyze",
    "callscore.commands.prosody",
    "callscore.commands.score",
    "callscore.commands.render",
    "callscore.commands.rubric",
    "callscore.commands.eval_asr",
    "callscore.commands.batch",
    "callscore.commands.report",
    "callscore.commands.ci",
    "callscore.sentiment.cli",  # after commands.rubric, which creates the eval group
)

app = typer.Typer(
    name="callscore",
    help="Score recorded customer-service calls offline: transcript, speakers, prosody, rubric, scorecard.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="callscore")


if __name__ == "__main__":  # pragma: no cover
    main()
