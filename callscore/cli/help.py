"""Help text a new user can read: plain value names and one switch per off-by-default flag.

Typer labels values by their Python annotation (``<list[Path]>``, ``<str>``, ``<bool>``) and gives every
boolean flag a negative twin, so ``--no-cache`` came with ``--no-no-cache``. Every command is built with
:class:`ReadableCommand`, which relabels values the way Unix tools do (PATH, INTEGER, NUMBER, TEXT,
``a|b|c``), shows nothing for a flag, and keeps the ``--x/--no-x`` pair only for flags that are on by
default (``--prosody/--no-prosody``), where the negative is the useful one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import DefaultPlaceholder


def value_label(param: Any) -> str:
    """What a value of ``param`` is, for help: PATH, INTEGER, NUMBER, TEXT or the choices; "" for flags."""
    if getattr(param, "is_flag", False):
        return ""
    desc = getattr(param, "type_descriptor", None)  # Typer >= 0.20 describes values by their annotation
    if desc is None:
        return "TEXT"
    if desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    if desc.is_path:
        return "PATH"
    kind = desc.annotation
    if desc.is_list:
        kind = (get_args(kind) or (str,))[0]
    return {int: "INTEGER", float: "NUMBER", bool: "BOOLEAN", Path: "PATH"}.get(kind, "TEXT")


def make_readable(param: Any) -> None:
    """Relabel ``param`` for help in place (called once, while its command is built)."""
    label = value_label(param)
    if isinstance(param, TyperArgument):
        # An argument's metavar is also its name in help and usage; relabel only the type column.
        param.display_type_rich = lambda ctx, label=label: label  # type: ignore[method-assign,misc]
        return
    if not isinstance(param, TyperOption):
        return
    param.metavar = label
    if param.is_flag and param.secondary_opts and not param.default:
        param.secondary_opts = []
        param.show_default = False


class _ReadableHelp:
    """Mixin for a click command or group: its options, ``-h/--help`` included, get readable labels."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            make_readable(param)

    def get_help_option(self, ctx: Any) -> Any:
        """The ``-h/--help`` option, labelled like the rest."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            make_readable(option)
        return option


class ReadableCommand(_ReadableHelp, TyperCommand):
    """A Typer command whose help uses :func:`make_readable` labels."""


class ReadableGroup(_ReadableHelp, TyperGroup):
    """A Typer command group whose own options (``--version``, ``-h``) use :func:`make_readable` labels."""


def use_readable_help(app: typer.Typer) -> None:
    """Build every command of ``app`` and of its sub-apps (registered so far) as a ReadableCommand."""
    if isinstance(app.info.cls, DefaultPlaceholder) or app.info.cls in (None, TyperGroup):
        app.info.cls = ReadableGroup
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # Typer fills in TyperCommand when none was asked for
            info.cls = ReadableCommand
    for group in app.registered_groups:
        if isinstance(group.cls, DefaultPlaceholder) or group.cls in (None, TyperGroup):
            group.cls = ReadableGroup
        if group.typer_instance is not None:
            use_readable_help(group.typer_instance)


__all__ = ["ReadableCommand", "ReadableGroup", "make_readable", "use_readable_help", "value_label"]
