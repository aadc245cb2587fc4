"""Three rubric measures built on call sentiment, independent of the rubric engine.

Each takes a ``CallSentiment`` (from ``analyse_turns`` / ``analyse_transcript``) plus keyword settings and
returns a ``MeasureResult``: outcome ("pass" / "fail" / "not_applicable"), the figure judged, a one-line
reason and the turns that drove it. The rubric engine maps an item to one of them, passing the item's own
settings (phrases, thresholds) through:

- ``customer_left_no_worse``: the customer's shift (end - start, -10..+10) is at least ``-tolerance``;
  after a complaint (start at or below ``complaint_below``) it must be a gain of at least ``min_gain``.
- ``agent_tone_non_negative``: no agent turn is negative with P(negative) >= ``min_confidence``, apart from
  apology/empathy turns (they name a problem, not a mood).
- ``positive_language``: what the agent said, judged by both signals: every turn that is negative (the
  model hears it so, or it holds "can't" phrasing) must be answered by positive phrasing (the rubric's
  phrases and meaning examples) in that turn or the next agent turn.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from importlib import resources

from callscore.transcript.textnorm import plain_text

from .analysis import mood_score, quarter_of
from .types import (
    FAIL,
    NEGATIVE,
    NOT_APPLICABLE,
    PASS,
    CallSentiment,
    MeasureResult,
    TurnSentiment,
)

TOLERANCE = 0.5  # -5..+5 points the customer may lose before the call counts as leaving them worse
COMPLAINT_BELOW = -1.0  # a start score at or below this is a complaint
MIN_GAIN = 0.5  # points a complaining customer must gain
MIN_CONFIDENCE = 0.6  # P(negative) from which an agent turn counts as negative in tone
# positive_language (chosen on the dev halves of benchmarks/rubric_accuracy.py and rubric_v2.py):
NEGATIVE_LANGUAGE_CONFIDENCE = 0.7  # P(negative) from which the model's word makes a turn negative
RECOVER_WITHIN = 1  # agent turns after a negative one in which positive phrasing may answer it
PHRASE_VETO_CONFIDENCE = 0.8  # P(negative) from which the model overrules a turn's positive phrasing
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
        """The customer's turns in quarter ``q``, less a courtesy reply the model misread as negative."""
        return [
            t
            for t in call.turns
            if t.role == "customer"
            and quarter_of(t, duration=call.duration) == q
            and mood_score(t) == t.sentiment.score
        ]

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
    min_count: int = 0,
    phrases: Sequence[str] = (),
    opposite: Sequence[str] = (),
    phrase_turns: Collection[int] | None = None,
    opposite_turns: Collection[int] | None = None,
    min_confidence: float = NEGATIVE_LANGUAGE_CONFIDENCE,
    recover_within: int = RECOVER_WITHIN,
    veto_confidence: float = PHRASE_VETO_CONFIDENCE,
    exempt_phrases: Sequence[str] | None = None,
    language: str = "id",
) -> MeasureResult:
    """Does the agent say what can be done rather than what cannot? Both signals judge what was said.

    A turn is *positive* when it holds positive phrasing (``phrases``, or the turn indices
    ``phrase_turns`` the rubric engine's phrase and meaning search found) and the model does not hear
    it as negative with P(negative) >= ``veto_confidence`` ("ya sudah begitu, terserah" is no offer).
    A turn is *negative* when it holds ``opposite`` phrasing or the model hears it as negative with
    P(negative) >= ``min_confidence`` (the model catches a "saya nggak tau" the lists miss);
    apology/empathy turns (``exempt_phrases``, default the language's) name the customer's problem and
    count as neither. Fails when a negative turn is not answered by positive phrasing in the same turn or
    the next ``recover_within`` agent turns ("tidak bisa ..., tapi Bapak bisa ..." passes), or when fewer
    than ``min_count`` turns are positive. Thresholds chosen on the rubric benchmarks' dev halves.
    """
    name = "positive_language"
    agent = [t for t in call.turns if t.role == "agent"]
    if not agent:
        return MeasureResult(name, NOT_APPLICABLE, None, "no agent turns", ())
    exempt = empathy_phrases(language) if exempt_phrases is None else tuple(exempt_phrases)

    def said(t: TurnSentiment, found: Collection[int] | None, listed: Sequence[str]) -> bool:
        return t.index in found if found is not None else contains_phrase(t.text, listed)

    def negative(t: TurnSentiment) -> bool:
        if contains_phrase(t.text, exempt):
            return False
        heard = t.sentiment.label == NEGATIVE and t.sentiment.negative >= min_confidence
        return heard or said(t, opposite_turns, opposite)

    def positive(t: TurnSentiment) -> bool:
        vetoed = t.sentiment.label == NEGATIVE and t.sentiment.negative >= veto_confidence
        return said(t, phrase_turns, phrases) and not vetoed

    good = [positive(t) for t in agent]
    pos = [t for t, g in zip(agent, good, strict=True) if g]
    neg = [k for k, t in enumerate(agent) if negative(t)]
    unanswered = [agent[k] for k in neg if not any(good[k : k + 1 + recover_within])]
    value = float(len(pos) - len(unanswered))
    if unanswered:
        first = unanswered[0]
        why = (
            f"{len(unanswered)} negative agent turn(s) not answered by what can be done, "
            f"first at {first.start:.1f} s ({len(pos)} with positive phrasing)"
        )
        return MeasureResult(name, FAIL, value, why, tuple(unanswered[:EVIDENCE_TURNS]))
    if len(pos) < min_count:
        why = f"{len(pos)} agent turns with positive phrasing, need {min_count}"
        return MeasureResult(name, FAIL, value, why, _strongest(agent, lowest=True))
    why = f"{len(pos)} agent turns with positive phrasing; {len(neg)} negative, each answered"
    answered = tuple(agent[k] for k in neg)[:EVIDENCE_TURNS]
    return MeasureResult(
        name, PASS, value, why, tuple(sorted(pos[:EVIDENCE_TURNS] + list(answered), key=lambda t: t.start))
    )
