"""Calibration: how often callscore agrees with the team's reviewers, per item, and reviewers with each other.

For every reviewed (call, item) the human verdict is the newest review; the machine's is the stored
automatic status. Per item:

- accuracy = agreeing pairs / reviewed pairs
- Cohen's kappa = (p_o - p_e) / (1 - p_e), p_e = sum over verdicts of p_machine(v) * p_human(v);
  undefined (None) when p_e = 1 (both sides gave one and the same verdict to everything)
- confusion counts: (machine verdict, human verdict) -> pairs
- inter-reviewer agreement: over (call, item) pairs reviewed by two or more people, each person's newest
  verdict; every pair of reviewers counts once (names in alphabetical order give Cohen's rater A and B)

Trend: accuracy per ISO week of the human verdict. Items are listed worst first (lowest accuracy, then
most reviewed), which is the order a rubric author should tune them in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from .review import ReviewRecord, latest_reviews


@dataclass(frozen=True)
class Agreement:
    """Agreement of two raters over some pairs.

    Attributes:
        n: Pairs compared.
        agree: Pairs with the same verdict.
        accuracy: agree / n, None when n == 0.
        kappa: Cohen's kappa, None when undefined.
        confusion: ((rater A verdict, rater B verdict), count), sorted, counts > 0 only.
    """

    n: int
    agree: int
    accuracy: float | None
    kappa: float | None
    confusion: tuple[tuple[tuple[str, str], int], ...]


@dataclass(frozen=True)
class ItemCalibration:
    """Calibration of one rubric item.

    Attributes:
        item_id: The item.
        machine: callscore (rater A) against the newest human verdict (rater B).
        reviewers: Reviewer against reviewer where two or more reviewed the same call.
    """

    item_id: str
    machine: Agreement
    reviewers: Agreement


@dataclass(frozen=True)
class TrendPoint:
    """Machine-human agreement in one ISO week.

    Attributes:
        week: "YYYY-Www".
        n: Reviewed pairs whose newest review falls in the week.
        agree: Of them, agreeing with callscore.
        accuracy: agree / n.
    """

    week: str
    n: int
    agree: int
    accuracy: float


@dataclass(frozen=True)
class Calibration:
    """Everything the calibration page shows.

    Attributes:
        items: Per item, worst first.
        overall: Machine-human agreement over all items.
        reviewers: Reviewer-reviewer agreement over all items.
        trend: Per ISO week, oldest first.
        calls_reviewed: Distinct calls with at least one review.
    """

    items: tuple[ItemCalibration, ...]
    overall: Agreement
    reviewers: Agreement
    trend: tuple[TrendPoint, ...]
    calls_reviewed: int


def agreement(*, pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Accuracy, Cohen's kappa and confusion counts of (rater A, rater B) verdict pairs."""
    n = len(pairs)
    agree = sum(1 for a, b in pairs if a == b)
    confusion = Counter(pairs)
    kappa: float | None = None
    if n:
        pa, pb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
        p_o = agree / n
        p_e = sum(pa[v] * pb[v] for v in set(pa) | set(pb)) / (n * n)
        kappa = None if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)
    return Agreement(
        n=n,
        agree=agree,
        accuracy=agree / n if n else None,
        kappa=kappa,
        confusion=tuple(sorted(confusion.items())),
    )


def iso_week(timestamp: str) -> str:
    """ "YYYY-Www" of an ISO-8601 date or time."""
    d = dt.date.fromisoformat(timestamp[:10])
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def calibrate(*, machine: Mapping[tuple[str, str], str], reviews: Sequence[ReviewRecord]) -> Calibration:
    """Calibration of callscore against ``reviews``.

    Parameters
    ----------
    machine : (call_key, item_id) -> automatic status, for every stored item result that may be reviewed
    reviews : every review row (history included; only the newest per call/item/person counts)
    """
    final = {k: r for k, r in latest_reviews(reviews).items() if k in machine}
    per_item: dict[str, list[tuple[str, str]]] = {}
    weeks: dict[str, list[bool]] = {}
    for (call_key, item_id), r in final.items():
        auto = machine[(call_key, item_id)]
        per_item.setdefault(item_id, []).append((auto, r.after))
        weeks.setdefault(iso_week(r.created), []).append(auto == r.after)

    by_person: dict[tuple[str, str], dict[str, ReviewRecord]] = {}
    for r in reviews:
        if (r.call_key, r.item_id) not in machine:
            continue
        slot = by_person.setdefault((r.call_key, r.item_id), {})
        cur = slot.get(r.reviewer)
        if cur is None or (r.created, r.review_id) > (cur.created, cur.review_id):
            slot[r.reviewer] = r
    reviewer_pairs: dict[str, list[tuple[str, str]]] = {}
    for (_, item_id), people in by_person.items():
        for a, b in combinations(sorted(people), 2):
            reviewer_pairs.setdefault(item_id, []).append((people[a].after, people[b].after))

    items = [
        ItemCalibration(
            item_id=i,
            machine=agreement(pairs=per_item.get(i, [])),
            reviewers=agreement(pairs=reviewer_pairs.get(i, [])),
        )
        for i in sorted(set(per_item) | set(reviewer_pairs))
    ]
    items.sort(
        key=lambda c: (
            c.machine.accuracy is None,
            c.machine.accuracy if c.machine.accuracy is not None else 0.0,
            -c.machine.n,
            c.item_id,
        )
    )
    trend = tuple(TrendPoint(week, len(v), sum(v), sum(v) / len(v)) for week, v in sorted(weeks.items()))
    return Calibration(
        items=tuple(items),
        overall=agreement(pairs=[p for ps in per_item.values() for p in ps]),
        reviewers=agreement(pairs=[p for ps in reviewer_pairs.values() for p in ps]),
        trend=trend,
        calls_reviewed=len({c for c, _ in final}),
    )
