"""SQL of the review app: the filtered, sorted, paged calls list and the per-call look-ups.

Filtering, sorting and paging run in the database over the results store's ``calls`` and
``item_results`` tables (indexes in :mod:`callscore.serve.tables`), so a page of 50 costs the same on
10,000 calls as on 100. Only fixed column names ever reach the SQL text; every value is a placeholder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..results.store import CallRow, ItemRow
from .db import Database
from .review import BadInput, DisputeRecord, MessageRecord, ReviewRecord

PAGE_SIZE = 50  # calls per page
SORTS = {  # name -> ORDER BY columns (call_id, then the unique call_key last, so pages are stable)
    "date": "call_date {d}, call_id {d}, call_key {d}",
    "score": "total {d}, call_id {d}, call_key {d}",
    "agent": "agent {d}, call_id {d}, call_key {d}",
    "team": "team {d}, call_id {d}, call_key {d}",
    "call": "call_id {d}, call_key {d}",
}
CALL_COLS = (
    "call_id, source, audio_sha256, duration, agent, team, call_date, extra, rubric_id, rubric_version, "
    "model, total, critical_failed, created, report_path, call_key, batch_id"
)
ITEM_COLS = "call_key, item_id, title, status, weight, critical, value, reason"
REVIEW_COLS = (
    "review_id, call_key, item_id, reviewer, before_status, after_status, comment, dispute_id, created"
)
DISPUTE_COLS = (
    "dispute_id, call_key, item_id, agent_user, wanted_status, state, created, resolved_by, resolved_at"
)


@dataclass(frozen=True)
class CallFilter:
    """What the calls list shows.

    Attributes:
        agent: Only this agent (forced to their own id for an agent user).
        team: Only this team.
        date_from: Earliest call date, ISO.
        date_to: Latest call date, ISO.
        score_min: Lowest automatic total.
        score_max: Highest automatic total.
        failed_item: Only calls where this item failed.
        critical: "yes" (critical failure), "no" (none) or "" (either).
        sort: A key of SORTS.
        descending: Sort direction.
        page: 1-based page number.
    """

    agent: str = ""
    team: str = ""
    date_from: str = ""
    date_to: str = ""
    score_min: float | None = None
    score_max: float | None = None
    failed_item: str = ""
    critical: str = ""
    sort: str = "date"
    descending: bool = True
    page: int = 1


def _date(params: Mapping[str, str], key: str) -> str:
    v = (params.get(key) or "").strip()
    if not v:
        return ""
    try:
        return dt.date.fromisoformat(v).isoformat()
    except ValueError:
        raise BadInput(f"{key}: {v!r} is not a date (YYYY-MM-DD)") from None


def _score(params: Mapping[str, str], key: str) -> float | None:
    v = (params.get(key) or "").strip()
    if not v:
        return None
    try:
        x = float(v)
    except ValueError:
        raise BadInput(f"{key}: {v!r} is not a number") from None
    if not 0.0 <= x <= 100.0:
        raise BadInput(f"{key}: {v} is outside 0-100")
    return x


def parse_filter(params: Mapping[str, str]) -> CallFilter:
    """A CallFilter from query parameters; BadInput names the first malformed one."""
    sort = (params.get("sort") or "date").strip()
    if sort not in SORTS:
        raise BadInput(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    order = (params.get("order") or "desc").strip()
    if order not in ("asc", "desc"):
        raise BadInput(f"order: {order!r} is not asc or desc")
    critical = (params.get("critical") or "").strip()
    if critical not in ("", "yes", "no"):
        raise BadInput(f"critical: {critical!r} is not yes, no or empty")
    page_text = (params.get("page") or "1").strip()
    if not page_text.isdigit() or int(page_text) < 1 or int(page_text) > 1_000_000:
        raise BadInput(f"page: {page_text!r} is not a page number")
    f = CallFilter(
        agent=(params.get("agent") or "").strip(),
        team=(params.get("team") or "").strip(),
        date_from=_date(params, "date_from"),
        date_to=_date(params, "date_to"),
        score_min=_score(params, "score_min"),
        score_max=_score(params, "score_max"),
        failed_item=(params.get("failed_item") or "").strip(),
        critical=critical,
        sort=sort,
        descending=order == "desc",
        page=int(page_text),
    )
    if f.score_min is not None and f.score_max is not None and f.score_min > f.score_max:
        raise BadInput(f"score_min: {f.score_min:g} is above score_max {f.score_max:g}")
    return f


def where_clause(f: CallFilter) -> tuple[str, list[object]]:
    """SQL WHERE text (qmark placeholders) and its arguments for filter ``f``."""
    conds: list[str] = []
    args: list[object] = []
    for col, value in (("agent", f.agent), ("team", f.team)):
        if value:
            conds.append(f"{col} = ?")
            args.append(value)
    if f.date_from:
        conds.append("call_date >= ?")
        args.append(f.date_from)
    if f.date_to:
        conds.append("call_date <= ?")
        args.append(f.date_to)
    if f.score_min is not None:
        conds.append("total >= ?")
        args.append(f.score_min)
    if f.score_max is not None:
        conds.append("total <= ?")
        args.append(f.score_max)
    if f.critical:
        conds.append("critical_failed = ?")
        args.append(1 if f.critical == "yes" else 0)
    if f.failed_item:
        conds.append("call_key IN (SELECT call_key FROM item_results WHERE item_id = ? AND status = 'fail')")
        args.append(f.failed_item)
    return (" WHERE " + " AND ".join(conds)) if conds else "", args


def _call(row: Sequence[object]) -> CallRow:
    extra = row[7]
    return CallRow(
        call_id=str(row[0]),
        source=str(row[1]),
        audio_sha256=str(row[2]),
        duration=None if row[3] is None else float(row[3]),  # type: ignore[arg-type]
        agent=row[4],  # type: ignore[arg-type]
        team=row[5],  # type: ignore[arg-type]
        call_date=row[6],  # type: ignore[arg-type]
        extra=json.loads(extra) if isinstance(extra, str) and extra else {},
        rubric_id=str(row[8]),
        rubric_version=str(row[9]),
        model=str(row[10]),
        total=None if row[11] is None else float(row[11]),  # type: ignore[arg-type]
        critical_failed=bool(row[12]),
        created=str(row[13]),
        report_path=row[14],  # type: ignore[arg-type]
        call_key=str(row[15]),
        batch_id=str(row[16]),
    )


def _item(row: Sequence[object]) -> ItemRow:
    return ItemRow(
        call_key=str(row[0]),
        item_id=str(row[1]),
        title=str(row[2]),
        status=str(row[3]),
        weight=float(row[4]),  # type: ignore[arg-type]
        critical=bool(row[5]),
        value=None if row[6] is None else float(row[6]),  # type: ignore[arg-type]
        reason=str(row[7]),
    )


def _review(row: Sequence[object]) -> ReviewRecord:
    return ReviewRecord(*(None if v is None else str(v) for v in row))  # type: ignore[arg-type]


@dataclass(frozen=True)
class CallPage:
    """One page of the calls list.

    Attributes:
        calls: The calls on this page.
        total_count: Calls matching the filter.
        page: This page (1-based).
        pages: Number of pages.
    """

    calls: tuple[CallRow, ...]
    total_count: int
    page: int
    pages: int


def list_calls(db: Database, *, flt: CallFilter) -> CallPage:
    """One page of calls matching ``flt``, counted and sorted in SQL."""
    where, args = where_clause(flt)
    total = int(db.query(f"SELECT COUNT(*) FROM calls{where}", args)[0][0])
    pages = max(1, -(-total // PAGE_SIZE))
    order = SORTS[flt.sort].format(d="DESC" if flt.descending else "ASC")
    # Sort and page the keys alone (mostly inside an index), then fetch the page's 50 full rows: sorting
    # thousands of full rows (metadata JSON included) was 3x slower on 10,000 calls.
    keys = [
        str(r[0])
        for r in db.query(
            f"SELECT call_key FROM calls{where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, PAGE_SIZE, (flt.page - 1) * PAGE_SIZE],
        )
    ]
    if not keys:
        return CallPage((), total, flt.page, pages)
    rows = db.query(f"SELECT {CALL_COLS} FROM calls WHERE call_key IN ({', '.join('?' * len(keys))})", keys)
    by_key = {str(r[15]): r for r in rows}
    return CallPage(tuple(_call(by_key[k]) for k in keys if k in by_key), total, flt.page, pages)


def get_call(db: Database, *, call_key: str) -> CallRow | None:
    """One stored call, or None."""
    rows = db.query(f"SELECT {CALL_COLS} FROM calls WHERE call_key = ?", (call_key,))
    return _call(rows[0]) if rows else None


def calls_named(db: Database, *, call_id: str, limit: int) -> list[CallRow]:
    """Up to ``limit`` stored calls whose call id (the label, not unique across batches) is ``call_id``."""
    rows = db.query(
        f"SELECT {CALL_COLS} FROM calls WHERE call_id = ? ORDER BY call_key LIMIT ?", (call_id, limit)
    )
    return [_call(r) for r in rows]


def call_items(db: Database, *, call_key: str) -> list[ItemRow]:
    """The stored item results of one call, critical ones first, then by item id."""
    rows = db.query(
        f"SELECT {ITEM_COLS} FROM item_results WHERE call_key = ? ORDER BY critical DESC, item_id",
        (call_key,),
    )
    return [_item(r) for r in rows]


def call_reviews(db: Database, *, call_keys: Sequence[str]) -> list[ReviewRecord]:
    """Every review of the given calls, oldest first."""
    if not call_keys:
        return []
    marks = ", ".join("?" * len(call_keys))
    rows = db.query(
        f"SELECT {REVIEW_COLS} FROM serve_reviews WHERE call_key IN ({marks}) ORDER BY created, review_id",
        list(call_keys),
    )
    return [_review(r) for r in rows]


def all_reviews(db: Database) -> list[ReviewRecord]:
    """Every review, oldest first."""
    rows = db.query(f"SELECT {REVIEW_COLS} FROM serve_reviews ORDER BY created, review_id")
    return [_review(r) for r in rows]


def reviewed_machine_verdicts(db: Database) -> dict[tuple[str, str], str]:
    """(call_key, item_id) -> automatic status, for every item that has at least one review."""
    rows = db.query(
        "SELECT i.call_key, i.item_id, i.status FROM item_results i "
        "WHERE EXISTS (SELECT 1 FROM serve_reviews r WHERE r.call_key = i.call_key AND r.item_id = i.item_id)"
    )
    return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}


def call_disputes(db: Database, *, call_key: str) -> tuple[list[DisputeRecord], list[MessageRecord]]:
    """The disputes of one call and all their messages."""
    ds = [
        DisputeRecord(*r)  # type: ignore[arg-type]
        for r in db.query(f"SELECT {DISPUTE_COLS} FROM serve_disputes WHERE call_key = ?", (call_key,))
    ]
    if not ds:
        return [], []
    marks = ", ".join("?" * len(ds))
    ms = [
        MessageRecord(*r)  # type: ignore[arg-type]
        for r in db.query(
            f"SELECT message_id, dispute_id, author, body, created FROM serve_messages "
            f"WHERE dispute_id IN ({marks})",
            [d.dispute_id for d in ds],
        )
    ]
    return ds, ms


def open_disputes(
    db: Database, *, agent_id: str | None = None
) -> list[tuple[DisputeRecord, str | None, str]]:
    """Open disputes, oldest first, with each call's agent and call id (its label); only ``agent_id``'s
    calls when given."""
    sql = (
        f"SELECT {', '.join('d.' + c.strip() for c in DISPUTE_COLS.split(','))}, c.agent, c.call_id "
        "FROM serve_disputes d "
        "JOIN calls c ON c.call_key = d.call_key WHERE d.state = 'open'"
    )
    args: list[object] = []
    if agent_id is not None:
        sql += " AND c.agent = ?"
        args.append(agent_id)
    rows = db.query(sql + " ORDER BY d.created", args)
    return [(DisputeRecord(*r[:9]), r[9], str(r[10])) for r in rows]  # type: ignore[arg-type]


def get_dispute(db: Database, *, dispute_id: str) -> DisputeRecord | None:
    """One dispute, or None."""
    rows = db.query(f"SELECT {DISPUTE_COLS} FROM serve_disputes WHERE dispute_id = ?", (dispute_id,))
    return DisputeRecord(*rows[0]) if rows else None  # type: ignore[arg-type]


def distinct_values(db: Database, *, column: str) -> list[str]:
    """Distinct non-empty values of ``calls.agent`` or ``calls.team``, for the filter menus."""
    if column not in ("agent", "team"):
        raise ValueError(column)
    rows = db.query(f"SELECT DISTINCT {column} FROM calls WHERE {column} IS NOT NULL ORDER BY {column}")
    return [str(r[0]) for r in rows if r[0]]


def item_ids(db: Database) -> list[str]:
    """Distinct item ids in the store, for the failed-item filter."""
    return [str(r[0]) for r in db.query("SELECT DISTINCT item_id FROM item_results ORDER BY item_id")]
