"""The report as callscore computed it before SQL did: straightforward Python over every stored row.

tests/test_report_sql.py checks the SQL aggregates against it; benchmarks/report_speed.py times it as the
baseline.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

from callscore.results.aggregates import (
    HIST_BIN,
    UNKNOWN,
    WORSE_OFF_BELOW,
    GroupStats,
    ItemStats,
    Report,
    TrendPoint,
    iso_week,
)
from callscore.results.store import CallRow, FailureRow, ItemRow
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS


def left_worse_off(call: CallRow) -> bool:
    """Whether the customer's sentiment fell by more than WORSE_OFF_BELOW over the call."""
    return call.customer_sentiment_shift is not None and call.customer_sentiment_shift < -WORSE_OFF_BELOW


def _week(c: CallRow) -> str:
    """Week of the call date, else of the day it was scored, else UNKNOWN."""
    return iso_week(c.call_date) or iso_week(c.created) or UNKNOWN


def _stats(key: str, calls: Sequence[CallRow]) -> GroupStats:
    totals = [c.total for c in calls if c.total is not None]
    shifts = [c.customer_sentiment_shift for c in calls if c.customer_sentiment_shift is not None]
    return GroupStats(
        key=key,
        calls=len(calls),
        scored=len(totals),
        mean=round(statistics.fmean(totals), 1) if totals else None,
        median=round(statistics.median(totals), 1) if totals else None,
        min=min(totals) if totals else None,
        max=max(totals) if totals else None,
        critical_failed=sum(1 for c in calls if c.critical_failed),
        customer_shift=round(statistics.fmean(shifts), 2) if shifts else None,
        worse_off=sum(1 for c in calls if left_worse_off(c)),
    )


def reference_report(
    calls: Sequence[CallRow],
    items: Sequence[ItemRow],
    failures: Sequence[FailureRow],
    *,
    by: str,
    worst_n: int,
) -> Report:
    """The report as callscore computed it before SQL did (rows in the store's read order)."""
    keyfn = {"agent": lambda c: c.agent or UNKNOWN, "team": lambda c: c.team or UNKNOWN, "week": _week}
    groups: tuple[GroupStats, ...] = ()
    if by in keyfn:
        buckets: dict[str, list[CallRow]] = defaultdict(list)
        for c in calls:
            buckets[keyfn[by](c)].append(c)
        groups = tuple(_stats(k, v) for k, v in sorted(buckets.items()))
    hist = [0] * 10
    for c in calls:
        if c.total is not None:
            hist[min(9, max(0, int(c.total // HIST_BIN)))] += 1
    per_item: dict[str, list[ItemRow]] = defaultdict(list)
    for it in items:
        per_item[it.item_id].append(it)
    item_stats = [
        ItemStats(
            item_id=iid,
            title=rows[-1].title,
            critical=any(r.critical for r in rows),
            passed=sum(r.status == PASS for r in rows),
            failed=sum(r.status == FAIL for r in rows),
            not_applicable=sum(r.status == NOT_APPLICABLE for r in rows),
            not_measured=sum(r.status == NOT_MEASURED for r in rows),
        )
        for iid, rows in per_item.items()
    ]
    item_stats.sort(key=lambda s: (-(s.fail_rate or 0.0), not s.critical, s.item_id))
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for c in calls:
        if c.total is not None:
            cells[c.agent or UNKNOWN][_week(c)].append(c.total)
    trend = {
        a: tuple(TrendPoint(w, round(statistics.fmean(v), 1), len(v)) for w, v in sorted(weeks.items()))
        for a, weeks in sorted(cells.items())
    }

    def worst_first(c: CallRow) -> tuple:
        return (not c.critical_failed, c.total is None, c.total or 0, c.call_id, c.call_key)

    worst = sorted(calls, key=worst_first)[:worst_n]
    return Report(
        by=by,
        overall=_stats("all", calls),
        groups=groups,
        items=tuple(item_stats),
        histogram=tuple(hist),
        worst=tuple(worst),
        trend=trend,
        failures=tuple(failures),
        worse_off=tuple(
            sorted(
                (c for c in calls if left_worse_off(c)),
                key=lambda c: (c.customer_sentiment_shift or 0.0, c.call_id, c.call_key),
            )[:worst_n]
        ),
    )


def reference_export(calls: Sequence[CallRow], items: Sequence[ItemRow]) -> list[dict]:
    """One dict per item result with its call's fields, by call id, call key, then item id (Python's
    order); an item belongs to the call of its key (call ids repeat across batches)."""
    by_key = {c.call_key: c for c in calls}
    call_fields = ("call_key", "call_id", "source", "agent", "team", "call_date", "duration", "rubric_id")
    call_fields += ("rubric_version", "model", "total", "critical_failed")
    item_fields = ("item_id", "title", "status", "weight", "critical", "value", "reason")
    return [
        {
            **{f: getattr(by_key[it.call_key], f) for f in call_fields},
            **{f: getattr(it, f) for f in item_fields},
        }
        for it in sorted(
            (i for i in items if i.call_key in by_key),
            key=lambda i: (by_key[i.call_key].call_id, i.call_key, i.item_id),
        )
    ]
