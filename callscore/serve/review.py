"""Review and dispute logic as pure functions: what a reviewed call scores, and the rows a change adds.

A review never edits anything: each override is a new ``serve_reviews`` row (who, when, the verdict
before, the verdict after, the comment), and an item's reviewed verdict is the newest row's ``after``.
The automatic verdicts stay in the results store untouched, so both totals can always be shown side by
side. A dispute is an agent's request that one item of their own call get another verdict; QA accepts it
(which records a review to the wanted verdict) or rejects it, and both sides add messages to its thread.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import CallscoreError
from ..results.store import ItemRow
from ..scorecard import FAIL, NOT_APPLICABLE, PASS, ItemResult, weighted_total

VERDICTS = (PASS, FAIL, NOT_APPLICABLE)  # what a human may set; "not measured" is the machine's own
VERDICT_ALIASES = {"na": NOT_APPLICABLE, "n/a": NOT_APPLICABLE, "n.a.": NOT_APPLICABLE}
MAX_COMMENT = 2000  # characters
OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
DISPUTE_STATES = (OPEN, ACCEPTED, REJECTED)


class BadInput(CallscoreError):
    """A form or request field that is missing or malformed; the message names the field."""


@dataclass(frozen=True)
class ReviewRecord:
    """One change of one item's verdict, as kept forever in ``serve_reviews``.

    Attributes:
        review_id: Random identifier.
        call_key: The call.
        item_id: The rubric item.
        reviewer: User name of who changed it.
        before: Verdict just before this change (the automatic one for the first review).
        after: Verdict set.
        comment: Why.
        dispute_id: The dispute this change settled, or None.
        created: ISO-8601 UTC time.
    """

    review_id: str
    call_key: str
    item_id: str
    reviewer: str
    before: str
    after: str
    comment: str
    dispute_id: str | None
    created: str


@dataclass(frozen=True)
class DisputeRecord:
    """An agent's dispute of one item.

    Attributes:
        dispute_id: Random identifier.
        call_key: The call.
        item_id: The item disputed.
        agent_user: User name of the agent who opened it.
        wanted: Verdict the agent asks for.
        state: "open", "accepted" or "rejected".
        created: ISO-8601 UTC time opened.
        resolved_by: QA user who settled it, or None.
        resolved_at: When, or None.
    """

    dispute_id: str
    call_key: str
    item_id: str
    agent_user: str
    wanted: str
    state: str
    created: str
    resolved_by: str | None
    resolved_at: str | None


@dataclass(frozen=True)
class MessageRecord:
    """One message in a dispute's thread.

    Attributes:
        message_id: Random identifier.
        dispute_id: The dispute.
        author: User name.
        body: Text.
        created: ISO-8601 UTC time.
    """

    message_id: str
    dispute_id: str
    author: str
    body: str
    created: str


@dataclass(frozen=True)
class ReviewedItem:
    """An item of a call with its automatic and its reviewed verdict.

    Attributes:
        item: The stored automatic result.
        verdict: Reviewed verdict (the automatic status when nobody reviewed it).
        reviewed: True when a human set ``verdict``.
        last: The newest review, or None.
    """

    item: ItemRow
    verdict: str
    reviewed: bool
    last: ReviewRecord | None


def new_id() -> str:
    """A random 128-bit identifier as hex (portable primary key for SQLite and PostgreSQL)."""
    return secrets.token_hex(16)


def parse_verdict(text: str | None, *, field: str = "verdict") -> str:
    """A human verdict from form text ("pass", "fail", "not_applicable"/"na"); BadInput otherwise."""
    value = (text or "").strip().lower()
    value = VERDICT_ALIASES.get(value, value)
    if value not in VERDICTS:
        raise BadInput(f"{field}: {text!r} is not one of {', '.join(VERDICTS)}")
    return value


def parse_comment(text: str | None, *, required: bool, field: str = "comment") -> str:
    """Comment text, stripped; BadInput when required and empty or longer than MAX_COMMENT."""
    value = (text or "").strip()
    if required and not value:
        raise BadInput(f"{field}: a comment is required")
    if len(value) > MAX_COMMENT:
        raise BadInput(f"{field}: at most {MAX_COMMENT} characters ({len(value)} given)")
    return value


def latest_reviews(reviews: Iterable[ReviewRecord]) -> dict[tuple[str, str], ReviewRecord]:
    """(call_key, item_id) -> its newest review (ties broken by review id, so the answer is stable)."""
    out: dict[tuple[str, str], ReviewRecord] = {}
    for r in reviews:
        key = (r.call_key, r.item_id)
        cur = out.get(key)
        if cur is None or (r.created, r.review_id) > (cur.created, cur.review_id):
            out[key] = r
    return out


def reviewed_items(*, items: Sequence[ItemRow], reviews: Sequence[ReviewRecord]) -> list[ReviewedItem]:
    """Each item of one call with its reviewed verdict, in the order given."""
    last = latest_reviews(reviews)
    out = []
    for it in items:
        r = last.get((it.call_key, it.item_id))
        out.append(ReviewedItem(it, r.after if r else it.status, r is not None, r))
    return out


def reviewed_total(*, items: Sequence[ReviewedItem]) -> tuple[float | None, bool]:
    """(0-100 total, critical failed) of a call over its reviewed verdicts, by the scorecard's own rule."""
    results = [
        ItemResult(
            id=r.item.item_id,
            title=r.item.title,
            description="",
            kind="",
            weight=r.item.weight,
            critical=r.item.critical,
            status=r.verdict,
            reason="",
        )
        for r in items
    ]
    return weighted_total(results), any(i.critical and i.status == FAIL for i in results)


def current_verdict(*, item: ItemRow, reviews: Sequence[ReviewRecord]) -> str:
    """The verdict a new review of ``item`` changes from."""
    last = latest_reviews(r for r in reviews if r.item_id == item.item_id and r.call_key == item.call_key)
    r = last.get((item.call_key, item.item_id))
    return r.after if r else item.status


def review_statements(*, record: ReviewRecord) -> list[tuple[str, tuple]]:
    """The INSERT that keeps one review (nothing is ever updated or deleted)."""
    r = record
    return [
        (
            "INSERT INTO serve_reviews (review_id, call_key, item_id, reviewer, before_status, after_status, "
            "comment, dispute_id, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.review_id,
                r.call_key,
                r.item_id,
                r.reviewer,
                r.before,
                r.after,
                r.comment,
                r.dispute_id,
                r.created,
            ),
        )
    ]


def open_dispute_statements(*, dispute: DisputeRecord, message: MessageRecord) -> list[tuple[str, tuple]]:
    """INSERTs of a new dispute and its first message."""
    d = dispute
    return [
        (
            "INSERT INTO serve_disputes (dispute_id, call_key, item_id, agent_user, wanted_status, state, "
            "created, resolved_by, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.dispute_id, d.call_key, d.item_id, d.agent_user, d.wanted, d.state, d.created, None, None),
        ),
        *message_statements(message=message),
    ]


def message_statements(*, message: MessageRecord) -> list[tuple[str, tuple]]:
    """INSERT of one thread message."""
    m = message
    return [
        (
            "INSERT INTO serve_messages (message_id, dispute_id, author, body, created) "
            "VALUES (?, ?, ?, ?, ?)",
            (m.message_id, m.dispute_id, m.author, m.body, m.created),
        )
    ]


def check_can_dispute(*, item: ItemRow, verdict: str, wanted: str, disputes: Sequence[DisputeRecord]) -> None:
    """BadInput unless the item has no open dispute and ``wanted`` differs from its current verdict."""
    if any(d.item_id == item.item_id and d.state == OPEN for d in disputes):
        raise BadInput(f"item {item.item_id}: already has an open dispute; add a message to it instead")
    if wanted == verdict:
        raise BadInput(f"wanted: item {item.item_id} is already {verdict}")


def resolve_statements(
    *,
    dispute: DisputeRecord,
    accept: bool,
    by: str,
    at: str,
    before: str,
    message: MessageRecord,
) -> list[tuple[str, tuple]]:
    """UPDATE of an open dispute to accepted/rejected, its closing message, and (when accepted) the review
    that sets the wanted verdict. BadInput when it is not open."""
    if dispute.state != OPEN:
        raise BadInput(f"dispute {dispute.dispute_id}: already {dispute.state}")
    statements: list[tuple[str, tuple]] = [
        (
            "UPDATE serve_disputes SET state = ?, resolved_by = ?, resolved_at = ? "
            "WHERE dispute_id = ? AND state = ?",
            (ACCEPTED if accept else REJECTED, by, at, dispute.dispute_id, OPEN),
        ),
        *message_statements(message=message),
    ]
    if accept:
        comment = f"dispute accepted: {message.body}" if message.body else "dispute accepted"
        statements += review_statements(
            record=ReviewRecord(
                new_id(),
                dispute.call_key,
                dispute.item_id,
                by,
                before,
                dispute.wanted,
                comment,
                dispute.dispute_id,
                at,
            )
        )
    return statements


def threads(
    *, disputes: Sequence[DisputeRecord], messages: Sequence[MessageRecord]
) -> list[tuple[DisputeRecord, list[MessageRecord]]]:
    """Each dispute (oldest first) with its messages in time order."""
    by: Mapping[str, list[MessageRecord]] = {d.dispute_id: [] for d in disputes}
    for m in sorted(messages, key=lambda m: (m.created, m.message_id)):
        if m.dispute_id in by:
            by[m.dispute_id].append(m)
    return [(d, by[d.dispute_id]) for d in sorted(disputes, key=lambda d: (d.created, d.dispute_id))]
