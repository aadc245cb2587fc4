"""What applying a rubric yields: one result per item, with status, weight and evidence.

The scorecard (:mod:`callscore.scorecard`) collects these for a call; the checks
(:mod:`callscore.rubric.checks`) make them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from callscore.errors import RubricError

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "not_applicable"
NOT_MEASURED = "not_measured"
STATUSES = (PASS, FAIL, NOT_APPLICABLE, NOT_MEASURED)


@dataclass(frozen=True)
class Evidence:
    """Why an item passed or failed, pointing into the call.

    Attributes:
        quote: The words said (or a description for timing evidence, e.g. "7.2 s of silence").
        start: Seconds from call start.
        end: Seconds.
        speaker: Speaker label, or None.
        role: "agent"/"customer"/None.
        similarity: Fuzzy-match similarity 0..1 for phrase matches, None otherwise.
        matched: The rubric phrase that matched, or "".
        note: Short extra explanation ("allowed: followed by 'akan saya cek'").
    """

    quote: str
    start: float
    end: float
    speaker: str | None = None
    role: str | None = None
    similarity: float | None = None
    matched: str = ""
    note: str = ""


@dataclass(frozen=True)
class ItemResult:
    """One rubric item checked on one call.

    Attributes:
        id: Item id from the rubric.
        title: Short title.
        description: What the item checks and which seed idea it comes from.
        kind: Item kind ("phrase_present", "phrase_absent", "conditional", "timing", "prosody", "tone").
        weight: Weight in the total.
        critical: A failure fails the whole call.
        status: "pass", "fail", "not_applicable" or "not_measured".
        reason: One line saying why.
        evidence: Supporting evidence, in time order.
        value: Measured value for numeric items (count, seconds, ratio, score), else None.
    """

    id: str
    title: str
    description: str
    kind: str
    weight: float
    critical: bool
    status: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None


def weighted_total(items: tuple[ItemResult, ...] | list[ItemResult]) -> float | None:
    """0-100 over pass/fail items only: not-applicable and not-measured items leave the denominator.

    Never NaN or infinite: a non-finite or negative weight raises RubricError.
    """
    for i in items:
        # a rubric cannot carry such a weight (schema); a hand-built item or crafted scorecard might
        if not (math.isfinite(i.weight) and i.weight >= 0):
            raise RubricError(f"item {i.id!r}: weight {i.weight} is not a finite non-negative number")
    scored = [i for i in items if i.status in (PASS, FAIL) and i.weight > 0]
    denom = sum(i.weight for i in scored)
    if denom == 0:
        return None
    return round(100.0 * sum(i.weight for i in scored if i.status == PASS) / denom, 1)
