"""Page routes of the review app: login, the calls list, one call (page, JSON, audio), calibration and
the admin's users page. Each is a function of a :class:`~callscore.serve.web.Ctx` behind
:func:`~callscore.serve.web.route`, which has already checked the login, role and CSRF token."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode

from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from . import queries as q
from .auth import (
    ROLES,
    UserError,
    add_user,
    authenticate,
    end_session,
    list_users,
    set_disabled,
    start_session,
    tokens_equal,
)
from .calibration import calibrate
from .callfiles import (
    audio_mime,
    card_from_rows,
    find_scorecard,
    find_transcript,
    recording_path,
    report_body,
)
from .review import (
    OPEN,
    VERDICTS,
    BadInput,
    reviewed_items,
    reviewed_total,
    threads,
)
from .web import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    AppState,
    Ctx,
    Forbidden,
    NotFound,
    error_response,
    page,
    set_cookie,
)

MENU_TTL = 300.0  # s: agent/team/item menus of the filter form are cached this long


# -- access ---------------------------------------------------------------------------------------------
def _call_for(ctx: Ctx, ref: str) -> q.CallRow:
    """The call a URL names: by its store key (the app's own links), or by a call id that names exactly
    one call (a link typed by hand, or one from before store schema 2). Call ids repeat across batches in
    a shared store, so an ambiguous one is refused rather than guessed."""
    db = ctx.app.db
    call = q.get_call(db, call_key=ref)
    if call is None:
        same = q.calls_named(db, call_id=ref, limit=2)
        if len(same) > 1:
            raise NotFound(f"call {ref}: several batches have a call of this id; open it from the calls list")
        if not same:
            raise NotFound(f"call {ref}: not in the results store")
        call = same[0]
    u = ctx.user
    if u.role == "agent" and call.agent != u.agent_id:
        raise Forbidden(f"call {call.call_id}: agents see only their own calls")
    return call


def _item_for(ctx: Ctx, call_key: str, item_id: str) -> tuple[q.CallRow, q.ItemRow, list[q.ItemRow]]:
    call = _call_for(ctx, call_key)
    items = q.call_items(ctx.app.db, call_key=call.call_key)
    item = next((i for i in items if i.item_id == item_id), None)
    if item is None:
        raise NotFound(f"call {call.call_id}: has no item {item_id!r}")
    return call, item, items


def _cached(state: AppState, key: str, make: Any) -> Any:
    hit = state.cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < MENU_TTL:
        return hit[1]
    value = make()
    state.cache[key] = (time.monotonic(), value)
    return value


# -- login ----------------------------------------------------------------------------------------------
def _safe_next(target: str) -> str:
    """Where to go after logging in: a path on this site only (browsers read ``/\\host`` as ``//host``)."""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/calls"
    return target


def login_page(ctx: Ctx) -> Response:
    token = secrets.token_urlsafe(24)
    resp = page(
        ctx.app, "login.html", csrf=token, next=_safe_next(ctx.request.query_params.get("next", "")), error=""
    )
    set_cookie(resp, ctx.request, ctx.app, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return resp


def login_submit(ctx: Ctx) -> Response:
    req, state = ctx.request, ctx.app
    cookie = req.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = ctx.form.get(CSRF_FIELD, "")
    if not cookie or not sent or not tokens_equal(cookie, sent):
        return error_response(req, state, 403, "CSRF token missing or wrong: reload the login page")
    username = ctx.form.get("username", "").strip()
    password = ctx.form.get("password", "")
    if not username or not password:
        raise BadInput("username and password: both are required")
    client = req.client.host if req.client else "?"
    keys = (f"ip:{client}", f"user:{username.lower()}")
    wait = state.limiter.retry_after(*keys)
    if wait > 0:
        resp = error_response(req, state, 429, f"too many failed logins: try again in {int(wait) + 1} s")
        resp.headers["Retry-After"] = str(int(wait) + 1)
        return resp
    user = authenticate(state.db, username=username, password=password)
    if user is None:
        state.limiter.failed(*keys)
        token = secrets.token_urlsafe(24)
        resp = page(
            state,
            "login.html",
            401,
            csrf=token,
            next=_safe_next(ctx.form.get("next", "")),
            error="Wrong user name or password, or the account is disabled.",
        )
        set_cookie(resp, req, state, LOGIN_CSRF_COOKIE, token, max_age=3600)
        return resp
    state.limiter.succeeded(keys[1])  # the address keeps its count: one good account must not reset it
    token, _ = start_session(state.db, user=user)
    resp = RedirectResponse(_safe_next(ctx.form.get("next", "")), status_code=303)
    set_cookie(resp, req, state, SESSION_COOKIE, token, max_age=12 * 3600)
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return resp


def logout(ctx: Ctx) -> Response:
    end_session(ctx.app.db, token=ctx.request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


# -- calls list -----------------------------------------------------------------------------------------
def _list(ctx: Ctx) -> tuple[q.CallFilter, q.CallPage, dict[str, tuple[float | None, bool]]]:
    params = dict(ctx.request.query_params)
    if ctx.user.role == "agent":
        params["agent"] = ctx.user.agent_id or ""
    flt = q.parse_filter(params)
    result = q.list_calls(ctx.app.db, flt=flt)
    keys = [c.call_key for c in result.calls]
    reviews = q.call_reviews(ctx.app.db, call_keys=keys)
    reviewed: dict[str, tuple[float | None, bool]] = {}  # call_key -> reviewed (total, critical failed)
    touched = {r.call_key for r in reviews}
    for key in touched:
        items = q.call_items(ctx.app.db, call_key=key)
        reviewed[key] = reviewed_total(items=reviewed_items(items=items, reviews=reviews))
    return flt, result, reviewed


def calls_page(ctx: Ctx) -> Response:
    flt, result, reviewed = _list(ctx)
    db, state = ctx.app.db, ctx.app
    menus = _cached(
        state,
        "menus",
        lambda: {
            "agents": q.distinct_values(db, column="agent"),
            "teams": q.distinct_values(db, column="team"),
            "items": q.item_ids(db),
        },
    )
    base = {k: v for k, v in ctx.request.query_params.items() if k != "page" and v}

    def page_url(n: int) -> str:
        return "/calls?" + urlencode({**base, "page": n})

    return page(
        state,
        "calls.html",
        session=ctx.session,
        flt=flt,
        result=result,
        reviewed=reviewed,
        menus=menus,
        page_url=page_url,
        sorts=list(q.SORTS),
    )


def api_calls(ctx: Ctx) -> Response:
    flt, result, reviewed = _list(ctx)
    calls = [
        {
            "call_key": c.call_key,
            "call_id": c.call_id,
            "source": c.source,
            "agent": c.agent,
            "team": c.team,
            "call_date": c.call_date,
            "total": c.total,
            "critical_failed": c.critical_failed,
            "reviewed_total": reviewed[c.call_key][0] if c.call_key in reviewed else None,
        }
        for c in result.calls
    ]
    return JSONResponse(
        {"count": result.total_count, "page": result.page, "pages": result.pages, "calls": calls},
        headers=SECURITY_HEADERS,
    )


# -- one call -------------------------------------------------------------------------------------------
def _call_view(ctx: Ctx, call_key: str) -> dict[str, Any]:
    db = ctx.app.db
    call = _call_for(ctx, call_key)
    items = q.call_items(db, call_key=call.call_key)
    reviews = q.call_reviews(db, call_keys=[call.call_key])
    rows = reviewed_items(items=items, reviews=reviews)
    total, crit = reviewed_total(items=rows)
    disputes, messages = q.call_disputes(db, call_key=call.call_key)
    return {
        "call": call,
        "items": rows,
        "reviews": reviews,
        "reviewed_total": total,
        "reviewed_critical": crit,
        "threads": threads(disputes=disputes, messages=messages),
        "any_review": bool(reviews),
    }


def call_page(ctx: Ctx) -> Response:
    view = _call_view(ctx, ctx.param("call_key"))
    call = view["call"]
    card = find_scorecard(call=call, target=ctx.app.db.target)
    transcript = find_transcript(call=call)
    if card is None:
        card = card_from_rows(call=call, items=[r.item for r in view["items"]])
    audio = recording_path(call=call, transcript=transcript)
    open_items = {d.item_id for d, _ in view["threads"] if d.state == OPEN}
    return page(
        ctx.app,
        "call.html",
        session=ctx.session,
        body=report_body(card=card, transcript=transcript),
        has_audio=audio is not None,
        verdicts=VERDICTS,
        open_items=open_items,
        has_transcript=transcript is not None,
        **view,
    )


def api_call(ctx: Ctx) -> Response:
    view = _call_view(ctx, ctx.param("call_key"))
    c = view["call"]
    return JSONResponse(
        {
            "call_key": c.call_key,
            "call_id": c.call_id,
            "source": c.source,
            "agent": c.agent,
            "team": c.team,
            "call_date": c.call_date,
            "total": c.total,
            "critical_failed": c.critical_failed,
            "reviewed_total": view["reviewed_total"],
            "reviewed_critical_failed": view["reviewed_critical"],
            "items": [
                {
                    "item_id": r.item.item_id,
                    "title": r.item.title,
                    "status": r.item.status,
                    "verdict": r.verdict,
                    "reviewed": r.reviewed,
                }
                for r in view["items"]
            ],
            "history": [
                {
                    "item_id": r.item_id,
                    "reviewer": r.reviewer,
                    "before": r.before,
                    "after": r.after,
                    "comment": r.comment,
                    "created": r.created,
                }
                for r in view["reviews"]
            ],
        },
        headers=SECURITY_HEADERS,
    )


def call_audio(ctx: Ctx) -> Response:
    call = _call_for(ctx, ctx.param("call_key"))
    path = recording_path(call=call, transcript=find_transcript(call=call))
    if path is None:
        raise NotFound(f"call {call.call_id}: its recording is not on disk")
    # FileResponse answers Range requests (206 with Content-Range; 416 when unsatisfiable).
    return FileResponse(path, media_type=audio_mime(path), headers={"Cache-Control": "private, max-age=60"})


# -- calibration ----------------------------------------------------------------------------------------
def calibration_page(ctx: Ctx) -> Response:
    db = ctx.app.db
    cal = calibrate(machine=q.reviewed_machine_verdicts(db), reviews=q.all_reviews(db))
    return page(ctx.app, "calibration.html", session=ctx.session, cal=cal)


# -- users (admin) --------------------------------------------------------------------------------------
def users_page(ctx: Ctx, *, error: str = "", status: int = 200) -> Response:
    return page(
        ctx.app,
        "users.html",
        status,
        session=ctx.session,
        users=list_users(ctx.app.db),
        roles=ROLES,
        error=error,
    )


def users_add(ctx: Ctx) -> Response:
    f = ctx.form
    try:
        add_user(
            ctx.app.db,
            username=f.get("username", "").strip(),
            role=f.get("role", ""),
            password=f.get("password", ""),
            agent_id=f.get("agent_id", "").strip() or None,
        )
    except UserError as e:
        return users_page(ctx, error=str(e), status=400)
    return RedirectResponse("/users", status_code=303)


def users_toggle(ctx: Ctx) -> Response:
    name = ctx.param("username")
    if name == ctx.user.username:
        raise BadInput("you cannot disable your own account")
    try:
        set_disabled(ctx.app.db, username=name, disabled=ctx.form.get("disabled") == "1")
    except UserError as e:
        raise NotFound(str(e)) from None
    return RedirectResponse("/users", status_code=303)
