"""The ``callscore`` command line. Only this layer turns errors into exit codes.

Each command group lives in ``callscore/cli/<name>.py`` and exposes ``register(app)``; add its module to
``COMMAND_MODULES`` and its top-level commands to ``COMMANDS`` to wire it in. Shared error handling is in
``callscore/cli/common.py``.

The command modules import what their commands run (the ASR backends, numpy, the whole pipeline): over a
second of imports before anything happens. So the console script builds only the module(s) of the
command it was given (``callscore rubric check`` never imports the pipeline), and the full app, every
command at once, only for root help or an unknown command. ``callscore.cli.app`` (tests, ``python -m``)
is that full app, built on first use.
"""

from __future__ import annotations

import functools
import importlib
import sys
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
# Top-level command or group -> the modules that register it, in COMMAND_MODULES order (the ``eval`` group
# is made by the rubric module and filled by two others). tests/test_hostile.py checks this against the
# full app.
COMMANDS: dict[str, tuple[str, ...]] = {
    "transcribe": ("callscore.cli.transcribe",),
    "models": ("callscore.cli.transcribe",),
    "analyze": ("callscore.cli.analyze",),
    "prosody": ("callscore.cli.prosody",),
    "score": ("callscore.cli.score",),
    "render": ("callscore.cli.render",),
    "rubric": ("callscore.cli.rubric",),
    "eval": ("callscore.cli.rubric", "callscore.cli.sentiment", "callscore.cli.eval_asr"),
    "sentiment": ("callscore.cli.rubric", "callscore.cli.sentiment"),
    "batch": ("callscore.cli.batch",),
    "report": ("callscore.cli.report",),
    "export": ("callscore.cli.report",),
    "ci": ("callscore.cli.ci",),
    "serve": ("callscore.cli.serve",),
    "export-reviews": ("callscore.cli.serve",),
    "users": ("callscore.cli.serve",),
    "cache": ("callscore.cli.cache",),
}
HELP = "Score recorded customer-service calls offline: transcript, speakers, prosody, rubric, scorecard."


def _print_version(value: bool) -> None:
    if value:
        from callscore import __version__

        typer.echo(f"callscore {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Score recorded customer-service calls offline: transcript, speakers, prosody, rubric, scorecard."""


@functools.cache
def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """The CLI with the commands of ``modules`` (in COMMAND_MODULES order), readable help and ``--version``.

    Cached: registering a module twice would add its commands twice to the shared ``eval`` group.
    """
    from callscore.cli.help import use_readable_help

    app = typer.Typer(
        name="callscore",
        help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in COMMAND_MODULES:
        if name in modules:
            importlib.import_module(name).register(app)
    app.callback()(_root)
    use_readable_help(app)  # after every command is registered
    return app


def app_for(argv: list[str]) -> typer.Typer:
    """The app for one command line: only the modules of its command, else (no command, root options,
    an unknown name) the full app, whose help and "no such command" list every command."""
    command = argv[0] if argv else ""
    return build_app(COMMANDS[command]) if command in COMMANDS else build_app()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the full app, built on first use (``from callscore.cli import app``)
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    app_for(sys.argv[1:])(prog_name="callscore")


if __name__ == "__main__":  # pragma: no cover
    main()
