"""The ``callscore`` command line. Only this layer turns errors into exit codes.

Each command group lives in ``callscore/cli/<name>.py`` and exposes ``register(app)``; add its module to
``COMMAND_MODULES`` to wire it in. Shared error handling is in ``callscore/cli/common.py``.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

COMMAND_MODULES = (
    "callscore.cli.transcribe",
    "callscore.cli.analyze",
    "callscore.cli.prosody",
    "callscore.cli.score",
    "callscore.cli.render",
    "callscore.cli.rubric",
    "callscore.cli.sentiment",
    "callscore.cli.eval_asr",
    "callscore.cli.batch",
    "callscore.cli.report",
    "callscore.cli.ci",
    "callscore.cli.serve",  # serve, users, export-reviews (issue 14)
    "callscore.cli.cache",
)

app = typer.Typer(
    name="callscore",
    help="Score recorded customer-service calls offline: transcript, speakers, prosody, rubric, scorecard.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _print_version(value: bool) -> None:
    if value:
        from callscore import __version__

        typer.echo(f"callscore {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Score recorded customer-service calls offline: transcript, speakers, prosody, rubric, scorecard."""


from callscore.cli.help import use_readable_help  # noqa: E402  (after every command is registered)

use_readable_help(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="callscore")


if __name__ == "__main__":  # pragma: no cover
    main()
