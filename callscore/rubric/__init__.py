"""Rubric stage: YAML rubrics (safe loading, validation with file:line), the checks, and applying them.

``schema`` (Rubric, RubricItem, built-in rubrics; validation reporting every problem), ``safe_yaml``
(plain-data YAML bounded in size, depth and alias expansion), ``patterns`` (rubric regexes on RE2, linear
time), ``textnorm`` (fuzzy phrase and pattern matching over words normalised by the one word normaliser,
``callscore.transcript.textnorm``), ``checks`` (one function per item kind), ``apply`` (every check on
one call), ``model`` (ItemResult, Evidence, statuses).
"""

from callscore.rubric.apply import RubricOutcome, apply_rubric
from callscore.rubric.model import (
    FAIL,
    NOT_APPLICABLE,
    NOT_MEASURED,
    PASS,
    STATUSES,
    Evidence,
    ItemResult,
    weighted_total,
)
from callscore.rubric.schema import Rubric, RubricItem, builtin_rubrics, load_rubric, parse_rubric

__all__ = [
    "FAIL",
    "NOT_APPLICABLE",
    "NOT_MEASURED",
    "PASS",
    "STATUSES",
    "Evidence",
    "ItemResult",
    "Rubric",
    "RubricItem",
    "RubricOutcome",
    "apply_rubric",
    "builtin_rubrics",
    "load_rubric",
    "parse_rubric",
    "weighted_total",
]
