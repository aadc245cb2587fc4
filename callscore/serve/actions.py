"""State-changing routes of the review app: QA overrides, agent disputes, thread messages and QA's
decisions. The rows they add come from the pure functions of :mod:`callscore.serve.review`."""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse, Response

from . import queries as q
from .auth import (
    now_iso,
)
from .pages import _call_for, _item_for, api_call
from .review import (
    OPEN,
    BadInput,
    DisputeRecord,
    MessageRecord,
    ReviewRecord,
    check_can_dispute,
    current_verdict,
    new_id,
    open_dispute_statements,
    parse_comment,
    parse_verdict,
    resolve_statements,
    review_statements,
)
from .web import (
    Ctx,
    NotFound,
    page,
)


# -- review and disputes --------------------------------------------------------------------------------
def _review(ctx: Ctx, fields: dict[str, Any]) -> str:
    call, item, _ = _item_for(ctx, ctx.param("call_key"), ctx.param("item_id"))
    call_key, item_id = call.call_key, item.item_id
    after = parse_verdict(fields.get("verdict"))
    comment = parse_comment(fields.get("comment"), required=True)
    before = current_verdict(item=item, reviews=q.call_reviews(ctx.app.db, call_keys=[call_key]))
    user = ctx.user.username
    rec = ReviewRecord(new_id(), call_key, item_id, user, before, after, comment, None, now_iso())
    ctx.app.db.execute(review_statements(record=rec))
    return call_key


def review_submit(ctx: Ctx) -> Response:
    call_key = _review(ctx, dict(ctx.form))
    return RedirectResponse(f"/calls/{call_key}#review", status_code=303)


def api_review(ctx: Ctx) -> Response:
    if not isinstance(ctx.json, dict):
        raise BadInput("request body: a JSON object with verdict and comment is required")
    _review(ctx, ctx.json)
    return api_call(ctx)


def dispute_submit(ctx: Ctx) -> Response:
    call, item, _ = _item_for(ctx, ctx.param("call_key"), ctx.param("item_id"))
    call_key, item_id = call.call_key, item.item_id
    wanted = parse_verdict(ctx.form.get("wanted"), field="wanted")
    comment = parse_comment(ctx.form.get("comment"), required=True)
    db = ctx.app.db
    disputes, _ = q.call_disputes(db, call_key=call_key)
    verdict = current_verdict(item=item, reviews=q.call_reviews(db, call_keys=[call_key]))
    check_can_dispute(item=item, verdict=verdict, wanted=wanted, disputes=disputes)
    at = now_iso()
    d = DisputeRecord(new_id(), call_key, item_id, ctx.user.username, wanted, OPEN, at, None, None)
    db.execute(
        open_dispute_statements(
            dispute=d, message=MessageRecord(new_id(), d.dispute_id, ctx.user.username, comment, at)
        )
    )
    return RedirectResponse(f"/calls/{call_key}#disputes", status_code=303)


def _dispute_for(ctx: Ctx) -> DisputeRecord:
    d = q.get_dispute(ctx.app.db, dispute_id=ctx.param("dispute_id"))
    if d is None:
        raise NotFound(f"dispute {ctx.param('dispute_id')}: no such dispute")
    _call_for(ctx, d.call_key)  # an agent may only touch disputes of their own calls
    return d


def dispute_message(ctx: Ctx) -> Response:
    d = _dispute_for(ctx)
    body = parse_comment(ctx.form.get("body"), required=True, field="body")
    ctx.app.db.execute([*_msg(ctx, d, body)])
    return RedirectResponse(f"/calls/{d.call_key}#disputes", status_code=303)


def _msg(ctx: Ctx, d: DisputeRecord, body: str) -> list[tuple[str, tuple]]:
    from .review import message_statements

    return message_statements(
        message=MessageRecord(new_id(), d.dispute_id, ctx.user.username, body, now_iso())
    )


def dispute_resolve(ctx: Ctx) -> Response:
    d = _dispute_for(ctx)
    decision = ctx.form.get("decision", "")
    if decision not in ("accept", "reject"):
        raise BadInput(f"decision: {decision!r} is not accept or reject")
    body = parse_comment(ctx.form.get("comment"), required=decision == "reject")
    db = ctx.app.db
    items = q.call_items(db, call_key=d.call_key)
    item = next((i for i in items if i.item_id == d.item_id), None)
    if item is None:
        raise NotFound(f"call {d.call_key}: has no item {d.item_id!r}")
    before = current_verdict(item=item, reviews=q.call_reviews(db, call_keys=[d.call_key]))
    at = now_iso()
    text = body or ("accepted" if decision == "accept" else "rejected")
    db.execute(
        resolve_statements(
            dispute=d,
            accept=decision == "accept",
            by=ctx.user.username,
            at=at,
            before=before,
            message=MessageRecord(new_id(), d.dispute_id, ctx.user.username, text, at),
        )
    )
    return RedirectResponse(f"/calls/{d.call_key}#disputes", status_code=303)


def disputes_page(ctx: Ctx) -> Response:
    agent = ctx.user.agent_id if ctx.user.role == "agent" else None
    rows = q.open_disputes(ctx.app.db, agent_id=agent)
    return page(ctx.app, "disputes.html", session=ctx.session, rows=rows)
