"""Three rubric measures built on call sentiment, independent of the rubric engine.

Each takes a ``CallSentiment`` (from ``analyse_turns`` / ``analyse_transcript``) plus keyword settings and
returns a ``MeasureResult``: outcome ("pass" / "fail" / "not_applicable"), the figure judged, a one-line
reason and the turns that drove it. The rubric engine maps an item to one of them, passing the item's own
settings (phrases, thresholds) through:

- ``customer_left_no_worse``: the customer's shift (end - start, -10..+10) is at least ``-tolerance``;
  after a complaint (start at or below ``complaint_below``) it must be a gain of at least ``min_gain``.
- ``agent_tone_non_negative``: no agent turn is negative with P(negative) >= ``min_confidence``, apart from
  apology/empathy turns (they name a problem, not a mood).
- ``positive_language``: what the agent said is judged by the model (with the item's phrase lists as
  extra votes): at least ``min_count`` positive agent turns and more positive than negative ones.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources

from callscore.transcript.textnorm import plain_text

from .analysis import quarter_of
from .types import (
    FAIL,
    NEGATIVE,
    NOT_APPLICABLE,
    PASS,
    POSITIVE,
    CallSentiment,
    MeasureResult,
    TurnSentiment,
)

TOLERANCE = 0.5  # -5..+5 points the customer may lose before the call counts as leaving them worse
COMPLAINT_BELOW = -1.0  # a start score at or below this is a complaint
MIN_GAIN = 0.5  # points a complaining customer must gain
MIN_CONFIDENCE = 0.6  # P(negative) from which an agent turn counts as negative in tone
EVIDENCE_TURNS = 3  # turns kept as evidence per side


@functools.lru_cache(maxsize=4)
def empathy_phrases(language: str) -> tuple[str, ...]:
    """Apology/empathy phrases of ``language`` (data/measures.json) that exempt an agent turn."""
    text = (resources.files("callscore.sentiment") / "data" / "measures.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return tuple(data.get(language, ()))


def _plain(text: str) -> str:
    return " " + plain_text(text) + " "


def contains_phrase(text: str, phrases: Sequence[str]) -> bool:
    """Whether ``text`` holds any of ``phrases`` as whole words (case and punctuation ignored)."""
    t = _plain(text)
    return any(_plain(p) in t for p in phrases if p.strip())


def _strongest(turns: Sequence[TurnSentiment], *, lowest: bool) -> tuple[TurnSentiment, ...]:
    ordered = sorted(turns, key=lambda t: t.sentiment.score, reverse=not lowest)
    return tuple(sorted(ordered[:EVIDENCE_TURNS], key=lambda t: t.start))


def customer_left_no_worse(
    *,
    call: CallSentiment,
    tolerance: float = TOLERANCE,
    complaint_below: float = COMPLAINT_BELOW,
    min_gain: float = MIN_GAIN,
) -> MeasureResult:
    """Did the customer leave no worse than they came (better, after a complaint)?

    Not applicable when the customer spoke in fewer than two quarters (no start and end to compare).
    Evidence: the customer's most telling turns of the first and of the last quarter they spoke in.
    """
    c = call.customer
    spoken = [q for q in c.quarters if q.score is not None]
    name = "customer_left_no_worse"
    if len(spoken) < 2 or c.start is None or c.end is None or c.shift is None:
        return MeasureResult(name, NOT_APPLICABLE, None, "customer spoke in fewer than two quarters", ())
    first, last = spoken[0].quarter, spoken[-1].quarter

    def turns_of(q: int) -> list[TurnSentiment]:
        return [t for t in call.turns if t.role == "customer" and quarter_of(t, duration=call.duration) == q]

    complained = c.start <= complaint_below
    evidence = _strongest(turns_of(first), lowest=True) + _strongest(turns_of(last), lowest=c.shift < 0)
    figures = f"start {c.start:+.1f}, end {c.end:+.1f}, shift {c.shift:+.1f}"
    if complained:
        ok = c.shift >= min_gain
        why = f"complaint at the start; {figures}: " + (
            "left better" if ok else f"gain below {min_gain:+.1f}"
        )
    else:
        ok = c.shift >= -tolerance
        why = f"{figures}: " + ("no worse" if ok else f"lost more than {tolerance:.1f}")
    return MeasureResult(name, PASS if ok else FAIL, c.shift, why, evidence)


def agent_tone_non_negative(
    *,
    call: CallSentiment,
    min_confidence: float = MIN_CONFIDENCE,
    exempt_phrases: Sequence[str] | None = None,
    language: str = "id",
) -> MeasureResult:
    """Does the agent's tone stay non-negative over the call?

    An agent turn counts against it when labelled negative with P(negative) >= ``min_confidence`` and it
    holds none of ``exempt_phrases`` (default: the language's apology/empathy phrases). Evidence: those
    turns, or on a pass the agent's lowest-scoring turns.
    """
    name = "agent_tone_non_negative"
    agent = [t for t in call.turns if t.role == "agent"]
    if not agent:
        return MeasureResult(name, NOT_APPLICABLE, None, "no agent turns", ())
    exempt = empathy_phrases(language) if exempt_phrases is None else tuple(exempt_phrases)
    negative = [
        t
        for t in agent
        if t.sentiment.label == NEGATIVE
        and t.sentiment.negative >= min_confidence
        and not contains_phrase(t.text, exempt)
    ]
    if negative:
        return MeasureResult(
            name,
            FAIL,
            float(len(negative)),
            f"{len(negative)} of {len(agent)} agent turns negative in tone",
            tuple(negative),
        )
    return MeasureResult(
        name, PASS, 0.0, f"none of {len(agent)} agent turns negative in tone", _strongest(agent, lowest=True)
    )


def positive_language(
    *,
    call: CallSentiment,
    min_count: int = 2,
    phrases: Sequence[str] = (),
    opposite: Sequence[str] = (),
) -> MeasureResult:
    """Does the agent speak positively? Judged by what the agent said, with phrase lists as extra votes.

    A turn is positive when the model labels it positive, or it holds one of ``phrases`` and is not
    labelled negative; negative when labelled negative or it holds one of ``opposite``. Passes with at
    least ``min_count`` positive agent turns and more positive than negative ones.
    """
    name = "positive_language"
    agent = [t for t in call.turns if t.role == "agent"]
    if not agent:
        return MeasureResult(name, NOT_APPLICABLE, None, "no agent turns", ())
    pos = [
        t
        for t in agent
        if t.sentiment.label == POSITIVE
        or (t.sentiment.label != NEGATIVE and contains_phrase(t.text, phrases))
    ]
    neg = [t for t in agent if t.sentiment.label == NEGATIVE or contains_phrase(t.text, opposite)]
    ok = len(pos) >= min_count and len(pos) > len(neg)
    why = f"{len(pos)} positive and {len(neg)} negative agent turns (need >= {min_count} and more positive)"
    evidence = _strongest(pos, lowest=False) + _strongest(neg, lowest=True)
    return MeasureResult(name, PASS if ok else FAIL, float(len(pos) - len(neg)), why, evidence)
