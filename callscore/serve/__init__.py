"""Review and calibration web app over the results store (``callscore serve``; the ``serve`` extra).

QA reviewers override item verdicts (kept as history, never overwritten), agents dispute items of their
own calls, and calibration measures how often callscore agrees with the team's reviewers. The app's
tables live beside the results store's in the same SQLite or PostgreSQL database (:mod:`.tables`).
``import callscore.serve`` imports no web framework; :func:`create_app` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["create_app"]


def create_app(**kwargs: Any) -> Starlette:
    """The Starlette app; see :func:`callscore.serve.app.create_app`."""
    from .app import create_app as make

    return make(**kwargs)
