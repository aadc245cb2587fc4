"""Request plumbing of the review app: who is asking, may they, and one clear answer for every failure.

Every route is a plain function of a :class:`Ctx` run in a worker thread (the database drivers are
blocking). :func:`route` wraps it with the checks that must never be forgotten on one page: a login
(redirect to ``/login``, or 401 for ``/api/``), the role, the CSRF token on anything but GET/HEAD, and
the translation of errors into pages: BadInput -> 400, NotFound -> 404, Forbidden -> 403, a database
outage -> 503 with a page that says so (the server keeps running; the next request tries again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..errors import CallscoreError
from .auth import LoginLimiter, Session, load_session, tokens_equal
from .db import Database, DatabaseUnavailable
from .review import BadInput

log = logging.getLogger("callscore.serve")

SESSION_COOKIE = "callscore_session"
LOGIN_CSRF_COOKIE = "callscore_login_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD")
MAX_FORM_BYTES = 64 * 1024  # bytes: no form of this app is larger
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "media-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class NotFound(CallscoreError):
    """An unknown call, item, dispute or user."""


class Forbidden(CallscoreError):
    """A logged-in user asking for something their role or agent id does not allow."""


@dataclass(frozen=True)
class Ctx:
    """What a route sees.

    Attributes:
        request: The Starlette request.
        session: The logged-in session (None only on public routes).
        form: Parsed form fields (POST), else empty.
        json: Parsed JSON body (POST to /api/ with a JSON body), else None.
        app: The app's shared state.
    """

    request: Request
    session: Session | None
    form: Mapping[str, str]
    json: dict[str, Any] | list[Any] | str | int | float | bool | None
    app: AppState

    @property
    def user(self):  # noqa: ANN201 - User; kept loose to avoid a cycle in type-only imports
        assert self.session is not None
        return self.session.user

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])


@dataclass
class AppState:
    """Shared by every request: the database, templates, settings and the login limiter.

    Attributes:
        db: Pooled database.
        render: Template name + context -> HTML text.
        secure_cookies: Always mark cookies Secure (the app is behind TLS).
        limiter: Login rate limiter.
        cache: Small time-limited cache (filter menus).
    """

    db: Database
    render: Callable[..., str]
    secure_cookies: bool
    limiter: LoginLimiter
    cache: dict[str, tuple[float, Any]] = field(default_factory=dict)


def is_https(request: Request, *, force: bool) -> bool:
    """True when the browser talks TLS to us or to a proxy in front (X-Forwarded-Proto), or when forced."""
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return force or request.url.scheme == "https" or proto == "https"


def set_cookie(
    response: Response, request: Request, state: AppState, name: str, value: str, **kw: Any
) -> None:
    """Set an HttpOnly, SameSite=Lax cookie, Secure behind TLS."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",
        secure=is_https(request, force=state.secure_cookies),
        path="/",
        **kw,
    )


def page(state: AppState, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """An HTML page from ``template``."""
    return HTMLResponse(state.render(template, **context), status_code=status, headers=SECURITY_HEADERS)


def error_response(
    request: Request, state: AppState, status: int, message: str, session: Session | None = None
) -> Response:
    """A JSON error for /api/, else an error page."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)
    titles = {
        400: "Bad request",
        401: "Login required",
        403: "Not allowed",
        404: "Not found",
        405: "Method not allowed",
        413: "Too large",
        429: "Too many attempts",
        503: "Database unavailable",
    }
    return page(
        state,
        "error.html",
        status,
        title=titles.get(status, "Error"),
        message=message,
        session=session,
        code=status,
    )


async def read_body(request: Request) -> tuple[dict[str, str], Any]:
    """(form fields, JSON body) of a POST; BadInput for an oversized, undecodable or malformed body."""
    if request.method in SAFE_METHODS:
        return {}, None
    size = request.headers.get("content-length")
    if size is not None and (not size.isdigit() or int(size) > MAX_FORM_BYTES):
        raise BadInput(f"request body: larger than {MAX_FORM_BYTES} bytes")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        import json

        raw = await request.body()
        if len(raw) > MAX_FORM_BYTES:
            raise BadInput(f"request body: larger than {MAX_FORM_BYTES} bytes")
        try:
            return {}, json.loads(raw.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError) as e:
            raise BadInput(f"request body: not valid JSON ({e})") from None
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form(max_files=0, max_fields=50)
        except Exception as e:  # python-multipart raises its own parse errors
            raise BadInput(f"form: cannot be read ({e})") from None
        return {k: v for k, v in form.items() if isinstance(v, str)}, None
    if ctype == "" and (size in (None, "0")):
        return {}, None
    raise BadInput(f"request body: content type {ctype!r} is not a form or JSON")


def route(
    state: AppState, fn: Callable[[Ctx], Response], *, login: bool = True, roles: tuple[str, ...] = ()
) -> Callable[[Request], Any]:
    """An ASGI endpoint running ``fn`` in a worker thread behind the login, role and CSRF checks."""

    async def endpoint(request: Request) -> Response:
        session: Session | None = None
        try:
            form, body = await read_body(request)
            return await run_in_threadpool(_guarded, request, form, body)
        except BadInput as e:
            return error_response(request, state, 400, str(e), session)

    def _guarded(request: Request, form: dict[str, str], body: Any) -> Response:
        session: Session | None = None
        try:
            token = request.cookies.get(SESSION_COOKIE, "")
            if token:
                session = load_session(state.db, token=token)
            if login and session is None:
                if request.url.path.startswith("/api/"):
                    return error_response(request, state, 401, "login required")
                nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                from urllib.parse import quote

                return RedirectResponse(f"/login?next={quote(nxt, safe='')}", status_code=303)
            if session is not None and roles and session.user.role not in roles:
                raise Forbidden(f"{request.url.path}: needs role {' or '.join(roles)}")
            if login and request.method not in SAFE_METHODS:
                assert session is not None
                sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
                if not sent or not tokens_equal(sent, session.csrf):
                    return error_response(
                        request,
                        state,
                        403,
                        "CSRF token missing or wrong: reload the page and try again",
                        session,
                    )
            return fn(Ctx(request, session, form, body, state))
        except BadInput as e:
            return error_response(request, state, 400, str(e), session)
        except NotFound as e:
            return error_response(request, state, 404, str(e), session)
        except Forbidden as e:
            return error_response(request, state, 403, str(e), session)
        except DatabaseUnavailable as e:
            log.warning("database unavailable: %s", e)
            return error_response(
                request,
                state,
                503,
                f"The results database cannot be reached right now ({e}). The review app keeps running; "
                "try again in a moment.",
                None,
            )

    return endpoint


def static_file(path: Path, media_type: str) -> Callable[[Request], Any]:
    """An endpoint serving one packaged file."""
    body = path.read_bytes()

    async def endpoint(request: Request) -> Response:
        return Response(body, media_type=media_type, headers={"Cache-Control": "max-age=3600"})

    return endpoint
