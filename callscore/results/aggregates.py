"""QA reports over the results store: score averages and distributions, item failure rates, worst calls and
per-agent trends over weeks. Pure functions over stored rows; writers for table, CSV and (in
:mod:`callscore.results.dashboard`) HTML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from callscore.errors import CallscoreError
from callscore.results.store import CallRow, FailureRow, ItemRow
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS

GROUPINGS = ("agent", "team", "item", "week")
FORMATS = ("table", "csv", "html")
HIST_BIN = 10.0  # score points per histogram bar (0-10, 10-20, ..., 90-100)
WORST_N = 10  # calls listed as worst
UNKNOWN = "(unknown)"


class ReportError(CallscoreError):
    """A report that cannot be made (unknown grouping or format)."""


@dataclass(frozen=True)
class GroupStats:
    """Scores of a group of calls (an agent, a team, a week, or all).

    Attributes:
        key: Group name ("budi", "2026-W47", "all").
        calls: Calls in the group.
        scored: Calls with a total (not None).
        mean: Mean total, or None.
        median: Median total, or None.
        min: Lowest total, or None.
        max: Highest total, or None.
        critical_failed: Calls with a failed critical item.
        customer_shift: Mean customer sentiment shift (end - start, -10..+10) over calls that have one.
        worse_off: Calls where the customer left worse off (shift below -WORSE_OFF_BELOW).
    """

    key: str
    calls: int
    scored: int
    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    critical_failed: int
    customer_shift: float | None = None
    worse_off: int = 0

    @property
    def critical_rate(self) -> float:
        """Share of calls with a critical failure, 0..1."""
        return self.critical_failed / self.calls if self.calls else 0.0


@dataclass(frozen=True)
class ItemStats:
    """How often one rubric item fails.

    Attributes:
        item_id: Item id.
        title: Item title.
        critical: True for a critical item.
        passed: Calls where it passed.
        failed: Calls where it failed.
        not_applicable: Calls where it did not apply.
        not_measured: Calls where it could not be measured.
    """

    item_id: str
    title: str
    critical: bool
    passed: int
    failed: int
    not_applicable: int
    not_measured: int

    @property
    def fail_rate(self) -> float | None:
        """failed / (passed + failed), None when never scored."""
        n = self.passed + self.failed
        return self.failed / n if n else None


@dataclass(frozen=True)
class TrendPoint:
    """One agent's scores in one ISO week.

    Attributes:
        week: ISO week, "2026-W47".
        mean: Mean total that week.
        calls: Scored calls that week.
    """

    week: str
    mean: float
    calls: int


@dataclass(frozen=True)
class Report:
    """Everything a QA lead looks at, computed from the store.

    Attributes:
        by: The grouping of ``groups``: "agent", "team", "week" or "item".
        overall: All calls together.
        groups: One row per agent/team/week (empty when ``by`` is "item").
        items: Failure rates of every rubric item, most failed first.
        histogram: Calls per score bin of HIST_BIN points, 0-10 first, 90-100 last.
        worst: Lowest-scoring calls (critical failures first), at most WORST_N.
        trend: Agent -> mean score per ISO week, weeks in order.
        failures: Calls that could not be scored.
        worse_off: Calls where the customer left worse off, largest drop first, at most WORST_N.
    """

    by: str
    overall: GroupStats
    groups: tuple[GroupStats, ...]
    items: tuple[ItemStats, ...]
    histogram: tuple[int, ...]
    worst: tuple[CallRow, ...]
    trend: dict[str, tuple[TrendPoint, ...]]
    failures: tuple[FailureRow, ...] = ()
    worse_off: tuple[CallRow, ...] = ()


WORSE_OFF_BELOW = 0.5  # -5..+5 points lost: the customer_left_no_worse item's default tolerance


def left_worse_off(call: CallRow) -> bool:
    """Whether the customer's sentiment fell by more than WORSE_OFF_BELOW over the call."""
    return call.customer_sentiment_shift is not None and call.customer_sentiment_shift < -WORSE_OFF_BELOW


def iso_week(date_text: str | None) -> str | None:
    """ISO week ("2026-W47") of an ISO date or date-time, None when missing or unreadable."""
    if not date_text:
        return None
    try:
        d = dt.date.fromisoformat(date_text[:10])
    except ValueError:
        return None
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def call_week(call: CallRow) -> str:
    """Week of the call date, else of the day it was scored (so undated calls still show up)."""
    return iso_week(call.call_date) or iso_week(call.created) or UNKNOWN


def group_stats(key: str, calls: Sequence[CallRow]) -> GroupStats:
    """Score statistics of ``calls``."""
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


def histogram(totals: Sequence[float], *, bin_width: float = HIST_BIN) -> tuple[int, ...]:
    """Counts of ``totals`` (0-100) per bin; 100 goes into the last bin."""
    n_bins = int(round(100 / bin_width))
    counts = [0] * n_bins
    for t in totals:
        counts[min(n_bins - 1, max(0, int(t // bin_width)))] += 1
    return tuple(counts)


def item_stats(items: Sequence[ItemRow]) -> tuple[ItemStats, ...]:
    """Per-item pass/fail/n.a. counts, highest failure rate first (then critical first, then id)."""
    by: dict[str, list[ItemRow]] = defaultdict(list)
    for it in items:
        by[it.item_id].append(it)
    out = []
    for iid, rows in by.items():
        count = {s: sum(1 for r in rows if r.status == s) for s in (PASS, FAIL, NOT_APPLICABLE, NOT_MEASURED)}
        out.append(
            ItemStats(
                item_id=iid,
                title=rows[-1].title,
                critical=any(r.critical for r in rows),
                passed=count[PASS],
                failed=count[FAIL],
                not_applicable=count[NOT_APPLICABLE],
                not_measured=count[NOT_MEASURED],
            )
        )
    out.sort(key=lambda s: (-(s.fail_rate or 0.0), not s.critical, s.item_id))
    return tuple(out)


def agent_trend(calls: Sequence[CallRow]) -> dict[str, tuple[TrendPoint, ...]]:
    """Agent -> mean score per ISO week (weeks sorted); calls without a total are left out."""
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for c in calls:
        if c.total is not None:
            cells[c.agent or UNKNOWN][call_week(c)].append(c.total)
    return {
        agent: tuple(
            TrendPoint(week, round(statistics.fmean(v), 1), len(v)) for week, v in sorted(weeks.items())
        )
        for agent, weeks in sorted(cells.items())
    }


def worst_calls(calls: Sequence[CallRow], *, n: int = WORST_N) -> tuple[CallRow, ...]:
    """The ``n`` worst calls: critical failures first, then lowest total; unscored calls last."""
    ranked = sorted(
        calls,
        key=lambda c: (
            not c.critical_failed,
            c.total is None,
            c.total if c.total is not None else 0,
            c.call_id,
        ),
    )
    return tuple(ranked[:n])


def build_report(
    calls: Sequence[CallRow],
    items: Sequence[ItemRow],
    *,
    by: str = "agent",
    failures: Sequence[FailureRow] = (),
    worst_n: int = WORST_N,
) -> Report:
    """The report over stored calls and item results, grouped ``by`` agent, team, week or item."""
    if by not in GROUPINGS:
        raise ReportError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    keyfn: dict[str, Callable[[CallRow], str]] = {
        "agent": lambda c: c.agent or UNKNOWN,
        "team": lambda c: c.team or UNKNOWN,
        "week": call_week,
    }
    groups: tuple[GroupStats, ...] = ()
    if by in keyfn:
        buckets: dict[str, list[CallRow]] = defaultdict(list)
        for c in calls:
            buckets[keyfn[by](c)].append(c)
        groups = tuple(group_stats(k, v) for k, v in sorted(buckets.items()))
    return Report(
        by=by,
        overall=group_stats("all", calls),
        groups=groups,
        items=item_stats(items),
        histogram=histogram([c.total for c in calls if c.total is not None]),
        worst=worst_calls(calls, n=worst_n),
        trend=agent_trend(calls),
        failures=tuple(failures),
        worse_off=tuple(
            sorted(
                (c for c in calls if left_worse_off(c)),
                key=lambda c: (c.customer_sentiment_shift or 0.0, c.call_id),
            )[:worst_n]
        ),
    )


def _fmt(v: float | None, digits: int = 1) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def group_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the report's main table (groups, or items when grouped by item)."""
    if report.by == "item":
        head = [
            "item_id",
            "title",
            "critical",
            "passed",
            "failed",
            "not_applicable",
            "not_measured",
            "fail_rate",
        ]
        rows = [
            [
                s.item_id,
                s.title,
                "yes" if s.critical else "no",
                str(s.passed),
                str(s.failed),
                str(s.not_applicable),
                str(s.not_measured),
                _fmt(s.fail_rate, 3),
            ]
            for s in report.items
        ]
        return head, rows
    head = [
        report.by,
        "calls",
        "scored",
        "mean",
        "median",
        "min",
        "max",
        "critical_failed",
        "customer_shift",
        "worse_off",
    ]
    rows = [
        [
            g.key,
            str(g.calls),
            str(g.scored),
            _fmt(g.mean),
            _fmt(g.median),
            _fmt(g.min),
            _fmt(g.max),
            str(g.critical_failed),
            _fmt(g.customer_shift, 2),
            str(g.worse_off),
        ]
        for g in (*report.groups, report.overall)
    ]
    return head, rows


def report_csv(report: Report) -> str:
    """The main table as CSV (groups plus an "all" row, or items)."""
    head, rows = group_rows(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue()


def report_tables(report: Report) -> list[object]:
    """rich renderables for the terminal: main table, item failure rates, worst calls, failures."""
    from rich.table import Table

    head, rows = group_rows(report)
    main = Table(*head, title=f"scores by {report.by}", title_justify="left")
    for r in rows:
        main.add_row(*r)
    out: list[object] = [main]
    if report.by != "item":
        items = Table(
            "item",
            "critical",
            "failed",
            "scored",
            "fail rate",
            title="item failure rates",
            title_justify="left",
        )
        for s in report.items:
            items.add_row(
                s.item_id,
                "yes" if s.critical else "",
                str(s.failed),
                str(s.passed + s.failed),
                _fmt(s.fail_rate, 3),
            )
        out.append(items)
    worst = Table(
        "call", "agent", "total", "critical failed", "report", title="worst calls", title_justify="left"
    )
    for c in report.worst:
        worst.add_row(
            c.call_id, c.agent or "", _fmt(c.total), "yes" if c.critical_failed else "", c.report_path or ""
        )
    out.append(worst)
    if report.failures:
        fails = Table("call", "reason", title="calls that could not be scored", title_justify="left")
        for f in report.failures:
            fails.add_row(f.call_id, f.reason)
        out.append(fails)
    return out
