"""QA reports over the results store: score averages and distributions, item failure rates, worst calls and
per-agent trends over weeks; writers for table, CSV and (in :mod:`callscore.results.dashboard`) HTML.

The database groups and counts (``GROUP BY``), the same SQL text for SQLite and PostgreSQL through
:meth:`ResultStore.read`, so a report reads one row per group and distinct total, per item, per bin,
not every call and item result. The one thing SQL does not do alike in both is the ISO week of a
date: the distinct dates are read, turned into weeks by :func:`iso_week` and joined back as a VALUES
table, so both databases (and the week of an unreadable date) agree with Python's calendar.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from callscore.errors import CallscoreError
from callscore.results.store import CALL_COLUMNS, CallRow, FailureRow, ResultStore, call_row
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS

GROUPINGS = ("agent", "team", "item", "week")
FORMATS = ("table", "csv", "html")
HIST_BIN = 10.0  # score points per histogram bar (0-10, 10-20, ..., 90-100)
WORST_N = 10  # calls listed as worst
UNKNOWN = "(unknown)"
STATUSES = (PASS, FAIL, NOT_APPLICABLE, NOT_MEASURED)  # order of the counts in ItemStats


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


def _unknown_if_empty(column: str) -> str:
    """SQL for a text column with NULL and "" shown as UNKNOWN (one ``?`` parameter: UNKNOWN)."""
    return f"COALESCE(NULLIF({column}, ''), CAST(? AS TEXT))"


def _binary(store: ResultStore, column: str) -> str:
    """``column`` ordered by code point, as Python sorts strings (PostgreSQL's default is the locale's)."""
    return f'{column} COLLATE "C"' if store.kind == "postgresql" else column


def _weeks(store: ResultStore) -> tuple[str, list[str]]:
    """A ``weeks(d, wk)`` common table: each distinct date prefix of the calls with its ISO week.

    The week of a call is that of its date, else of the day it was scored, else UNKNOWN (undated calls
    still show up); unreadable dates have no row, so they fall through the same way as in Python.
    """
    rows = store.read(
        "SELECT DISTINCT substr(call_date, 1, 10) FROM calls WHERE call_date IS NOT NULL "
        "UNION SELECT DISTINCT substr(created, 1, 10) FROM calls"
    )
    pairs = [(d, w) for (d,) in rows if d is not None and (w := iso_week(d)) is not None]
    if not pairs:
        return "weeks(d, wk) AS (SELECT CAST(NULL AS TEXT), CAST(NULL AS TEXT) WHERE 1 = 0)", []
    values = ", ".join("(CAST(? AS TEXT), CAST(? AS TEXT))" for _ in pairs)
    return f"weeks(d, wk) AS (VALUES {values})", [x for pair in pairs for x in pair]


WEEK_JOINS = (
    "LEFT JOIN weeks w1 ON w1.d = substr(c.call_date, 1, 10) "
    "LEFT JOIN weeks w2 ON w2.d = substr(c.created, 1, 10)"
)
WEEK_KEY = "COALESCE(w1.wk, w2.wk, CAST(? AS TEXT))"


def exact_mean(counts: Sequence[tuple[float, int]]) -> float:
    """Mean of totals given as (value, how many calls) pairs, rounded as ``statistics.fmean`` rounds.

    SQL's ``AVG`` adds in row order and can land on the other side of a rounding boundary (61.15 shows
    as 61.1 instead of 61.2 on the bundled examples): the sum here is exact (fractions), then rounded once
    to a float and divided, which is what ``fmean``'s ``fsum(data) / n`` does.
    """
    n = sum(c for _, c in counts)
    return float(sum(Fraction(v) * c for v, c in counts)) / n


def exact_median(counts: Sequence[tuple[float, int]]) -> float:
    """``statistics.median`` of totals given as (value, how many calls) pairs, sorted by value."""
    n = sum(c for _, c in counts)

    def at(index: int) -> float:
        seen = 0
        for v, c in counts:
            seen += c
            if index < seen:
                return v
        raise IndexError(index)  # pragma: no cover - index < n always

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def group_stats(store: ResultStore, *, by: str | None) -> tuple[GroupStats, ...]:
    """Score statistics per agent, team or week (``by``), or of all calls together (``by`` None).

    One ``GROUP BY`` (group, total) gives how many calls of each group have each total and how many of
    them failed a critical item: totals repeat (a rubric has few weight combinations), so this is small,
    and count, mean, median, min and max come out of it exactly as Python computes them over every call.
    """
    ctes: list[str] = []
    args: list[object] = []
    joins = ""
    if by == "week":
        weeks, dates = _weeks(store)
        ctes.append(weeks)
        args += dates
        key, joins = WEEK_KEY, WEEK_JOINS
        args.append(UNKNOWN)
    elif by in ("agent", "team"):
        key = _unknown_if_empty(f"c.{by}")
        args.append(UNKNOWN)
    else:
        key = "CAST(? AS TEXT)"
        args.append("all")
    with_ = f"WITH {', '.join(ctes)} " if ctes else ""
    inner = (
        f"(SELECT {key} AS k, c.total AS total, c.critical_failed AS crit, "
        f"c.customer_sentiment_shift AS shift FROM calls c {joins}) g"
    )
    rows = store.read(
        f"{with_}SELECT g.k, g.total, COUNT(*), SUM(g.crit), SUM(g.shift), COUNT(g.shift), "
        f"SUM(ABS(g.shift)), SUM(CASE WHEN g.shift < ? THEN 1 ELSE 0 END) FROM {inner} GROUP BY g.k, g.total",
        [*args[:-1], -WORSE_OFF_BELOW, args[-1]],
    )
    cells: dict[str, list[tuple[float | None, int, int]]] = defaultdict(list)
    shifts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])  # sum, count, sum |x|, worse off
    for k, total, n, crit, s_sum, s_n, s_abs, worse in rows:
        cells[str(k)].append((None if total is None else float(total), int(n), int(crit or 0)))
        acc = shifts[str(k)]
        acc[0] += float(s_sum or 0.0)
        acc[1] += int(s_n or 0)
        acc[2] += float(s_abs or 0.0)
        acc[3] += int(worse or 0)
    if by is None and not cells:
        cells["all"] = []

    def customer_shift(k: str) -> float | None:
        s_sum, s_n, s_abs, _ = shifts[k]
        if not s_n:
            return None
        # The database's sum may differ from an exact one by a few ulps: only when that could change the
        # rounded mean are the group's values read to take their exact mean (fmean), as before.
        slack = 4 * (s_n + len(cells[k])) * sys.float_info.epsilon * s_abs + 1e-300
        lo, hi = round((s_sum - slack) / s_n, 2), round((s_sum + slack) / s_n, 2)
        if lo == hi:
            return round(s_sum / s_n, 2)
        values = store.read(
            f"{with_}SELECT g.shift FROM {inner} WHERE g.k = CAST(? AS TEXT) AND g.shift IS NOT NULL",
            [*args, k],
        )
        return round(statistics.fmean(float(v) for (v,) in values), 2)

    out = []
    for k, cell in sorted(cells.items()):
        dist = sorted((t, n) for t, n, _ in cell if t is not None)
        out.append(
            GroupStats(
                key=k,
                calls=sum(n for _, n, _ in cell),
                scored=sum(n for _, n in dist),
                mean=round(exact_mean(dist), 1) if dist else None,
                median=round(exact_median(dist), 1) if dist else None,
                min=dist[0][0] if dist else None,
                max=dist[-1][0] if dist else None,
                critical_failed=sum(c for _, _, c in cell),
                customer_shift=customer_shift(k),
                worse_off=int(shifts[k][3]),
            )
        )
    return tuple(out)


def histogram(store: ResultStore, *, bin_width: float = HIST_BIN) -> tuple[int, ...]:
    """Calls per score bin (0-100; 100 goes into the last bin, a total below 0 into the first)."""
    n_bins = int(round(100 / bin_width))
    whens = " ".join(f"WHEN total < ? THEN {i}" for i in range(n_bins - 1))
    rows = store.read(
        f"SELECT CASE {whens} ELSE {n_bins - 1} END AS b, COUNT(*) FROM calls "
        "WHERE total IS NOT NULL GROUP BY 1",
        [(i + 1) * bin_width for i in range(n_bins - 1)],
    )
    counts = [0] * n_bins
    for b, n in rows:
        counts[int(b)] = int(n)
    return tuple(counts)


def item_stats(store: ResultStore) -> tuple[ItemStats, ...]:
    """Per-item pass/fail/n.a. counts, highest failure rate first (then critical first, then id).

    The title shown is the one stored with the item's result under the greatest call key: titles differ
    only between rubric versions, and one fixed row keeps the answer the same on every run and database.
    """
    counts = ", ".join(f"SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS n{i}" for i in range(len(STATUSES)))
    # The title's row is found by its primary key (call_key, item_id), not a sort of every row.
    # SQLite would walk the item_id index and fetch every row out of order: one scan is 2x faster.
    scan = "item_results NOT INDEXED" if store.kind == "sqlite" else "item_results"
    rows = store.read(
        "SELECT m.item_id, r.title, m.crit, m.n0, m.n1, m.n2, m.n3 FROM "
        f"(SELECT item_id, MAX({_binary(store, 'call_key')}) AS last, MAX(critical) AS crit, {counts} "
        f"FROM {scan} GROUP BY item_id) m "
        "JOIN item_results r ON r.call_key = m.last AND r.item_id = m.item_id",
        list(STATUSES),
    )
    out = [
        ItemStats(
            item_id=str(iid),
            title=str(title),
            critical=bool(crit),
            passed=int(p),
            failed=int(f),
            not_applicable=int(na),
            not_measured=int(nm),
        )
        for iid, title, crit, p, f, na, nm in rows
    ]
    out.sort(key=lambda s: (-(s.fail_rate or 0.0), not s.critical, s.item_id))
    return tuple(out)


def agent_trend(store: ResultStore) -> dict[str, tuple[TrendPoint, ...]]:
    """Agent -> mean score per ISO week (weeks sorted); calls without a total are left out."""
    weeks, args = _weeks(store)
    rows = store.read(
        f"WITH {weeks} SELECT {_unknown_if_empty('c.agent')}, {WEEK_KEY}, c.total, COUNT(*) "
        f"FROM calls c {WEEK_JOINS} WHERE c.total IS NOT NULL GROUP BY 1, 2, 3",
        [*args, UNKNOWN, UNKNOWN],
    )
    cells: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    for agent, week, total, n in rows:
        cells[str(agent)][str(week)].append((float(total), int(n)))
    return {
        agent: tuple(
            TrendPoint(week, round(exact_mean(dist), 1), sum(n for _, n in dist))
            for week, dist in sorted(weeks.items())
        )
        for agent, weeks in sorted(cells.items())
    }


def worst_calls(store: ResultStore, *, n: int = WORST_N) -> tuple[CallRow, ...]:
    """The ``n`` worst calls: critical failures first, then lowest total; unscored calls last."""
    rows = store.read(
        f"SELECT {', '.join(CALL_COLUMNS)} FROM calls ORDER BY critical_failed DESC, "
        f"CASE WHEN total IS NULL THEN 1 ELSE 0 END, COALESCE(total, 0), {_binary(store, 'call_id')}, "
        f"{_binary(store, 'call_key')} "
        "LIMIT ?",
        (max(0, n),),
    )
    return tuple(call_row(r) for r in rows)


def worse_off_calls(store: ResultStore, *, n: int = WORST_N) -> tuple[CallRow, ...]:
    """The ``n`` calls whose customer left worse off (shift below -WORSE_OFF_BELOW), largest drop first."""
    rows = store.read(
        f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE customer_sentiment_shift < ? "
        f"ORDER BY customer_sentiment_shift, {_binary(store, 'call_id')}, {_binary(store, 'call_key')} "
        "LIMIT ?",
        (-WORSE_OFF_BELOW, max(0, n)),
    )
    return tuple(call_row(r) for r in rows)


def build_report(store: ResultStore, *, by: str = "agent", worst_n: int = WORST_N) -> Report:
    """The report over the store's calls and item results, grouped ``by`` agent, team, week or item."""
    if by not in GROUPINGS:
        raise ReportError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    (overall,) = group_stats(store, by=None)
    return Report(
        by=by,
        overall=overall,
        groups=group_stats(store, by=by) if by != "item" else (),
        items=item_stats(store),
        histogram=histogram(store),
        worst=worst_calls(store, n=worst_n),
        trend=agent_trend(store),
        failures=tuple(store.failures()),
        worse_off=worse_off_calls(store, n=worst_n),
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
