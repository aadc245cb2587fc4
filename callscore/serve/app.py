"""The review app: ``create_app(db_url=...)`` builds the Starlette application ``callscore serve`` runs.

Pages: ``/login``, ``/calls`` (filtered list), ``/calls/{id}`` (report, player, review and disputes),
``/calls/{id}/audio`` (range requests), ``/disputes``, ``/calibration``, ``/users`` (admin) and a JSON API
under ``/api/``. ``/healthz`` answers without a login. What each role may do: QA and admin review every
call; an agent sees only calls whose ``agent`` is their agent id, and disputes items of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError

try:
    import jinja2
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, RedirectResponse, Response
    from starlette.routing import Route
except ImportError as e:  # pragma: no cover - the serve extra is missing
    raise MissingDependencyError("callscore serve needs its extra: pip install 'callscore[serve]'") from e

from ..scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS
from .actions import (
    api_review,
    dispute_message,
    dispute_resolve,
    dispute_submit,
    disputes_page,
    review_submit,
)
from .auth import LoginLimiter
from .db import Database, DatabaseUnavailable
from .pages import (
    api_call,
    api_calls,
    calibration_page,
    call_audio,
    call_page,
    calls_page,
    login_page,
    login_submit,
    logout,
    users_add,
    users_page,
    users_toggle,
)
from .web import AppState, error_response, log, route, static_file

HERE = Path(__file__).parent
STATUS_NAMES = {PASS: "pass", FAIL: "fail", NOT_APPLICABLE: "n.a.", NOT_MEASURED: "not measured"}


def _fmt_score(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def _fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def make_renderer() -> Callable[..., str]:
    """Template name + context -> HTML, with autoescaping on for every template."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["score"] = _fmt_score
    env.filters["ratio"] = _fmt_ratio
    env.filters["status"] = lambda s: STATUS_NAMES.get(s, s)
    env.filters["when"] = lambda s: (s or "")[:16].replace("T", " ")

    def render(name: str, **context: Any) -> str:
        context.setdefault("session", None)
        return env.get_template(name).render(**context)

    return render


# -- the app --------------------------------------------------------------------------------------------
def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(
    *, db_url: str | os.PathLike[str], secure_cookies: bool = False, limiter: LoginLimiter | None = None
) -> Starlette:
    """The review app over the results store at ``db_url``.

    Parameters
    ----------
    db_url : SQLite file or ``postgresql://`` URL of the results store
    secure_cookies : mark cookies Secure even without X-Forwarded-Proto (the app is served over TLS)
    limiter : login rate limiter (default: 5 failures per 5 minutes per address and per user name)
    """
    state = AppState(
        db=Database(db_url),
        render=make_renderer(),
        secure_cookies=secure_cookies,
        limiter=limiter or LoginLimiter(),
    )
    qa, admin = ("qa", "admin"), ("admin",)

    def r(path: str, fn: Any, methods: tuple[str, ...] = ("GET",), **kw: Any) -> Route:
        return Route(path, route(state, fn, **kw), methods=list(methods))

    routes = [
        Route("/healthz", healthz),
        Route("/static/app.css", static_file(HERE / "static" / "app.css", "text/css")),
        Route("/static/report.css", _report_asset("css")),
        Route("/static/report.js", _report_asset("js")),
        r("/login", login_page, login=False),
        r("/login", login_submit, ("POST",), login=False),
        r("/logout", logout, ("POST",)),
        Route("/", lambda request: RedirectResponse("/calls", status_code=303)),
        r("/calls", calls_page),
        r("/calls/{call_key}", call_page),
        r("/calls/{call_key}/audio", call_audio),
        r("/calls/{call_key}/items/{item_id}/review", review_submit, ("POST",), roles=qa),
        r("/calls/{call_key}/items/{item_id}/dispute", dispute_submit, ("POST",), roles=("agent",)),
        r("/disputes", disputes_page),
        r("/disputes/{dispute_id}/message", dispute_message, ("POST",)),
        r("/disputes/{dispute_id}/resolve", dispute_resolve, ("POST",), roles=qa),
        r("/calibration", calibration_page, roles=qa),
        r("/users", users_page, roles=admin),
        r("/users", users_add, ("POST",), roles=admin),
        r("/users/{username}/disabled", users_toggle, ("POST",), roles=admin),
        r("/api/calls", api_calls),
        r("/api/calls/{call_key}", api_call),
        r("/api/calls/{call_key}/items/{item_id}/review", api_review, ("POST",), roles=qa),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = {404: f"{request.url.path}: no such page", 405: f"{request.method} not allowed here"}.get(
            status, "something went wrong"
        )
        return error_response(request, state, status, message)

    async def server_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DatabaseUnavailable):
            return error_response(request, state, 503, str(exc))
        log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(request, state, 500, "internal error: see the server log")

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.serve = state
    return app


def _report_asset(kind: str) -> Any:
    from ..render.html.style import CSS, SCRIPT

    body = (CSS if kind == "css" else SCRIPT).encode("utf-8")
    media = "text/css" if kind == "css" else "text/javascript"

    async def endpoint(request: Request) -> Response:
        return Response(body, media_type=media, headers={"Cache-Control": "max-age=3600"})

    return endpoint
