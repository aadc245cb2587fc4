"""Sentiment per turn and per call: the customer's start, end, quarters and shift; the agent's tone.

The call-level scale follows Amazon Connect Contact Lens: scores run from -5 (very negative) to +5 (very
positive). A turn's score is P(positive) - P(negative) (-1..1); a stretch of the call scores 5 x the mean of
its turns' scores, each turn weighted by its word count (a long complaint weighs more than "iya"). A
courtesy reply ("tidak, sudah cukup", "no that's all, thanks": :mod:`.courtesy`) never counts below neutral:
it answers the closing check, and the model's negative reading of its "tidak ada" is not a mood (its thanks
still count). The call is cut into four equal quarters of its duration and a turn belongs to the quarter
holding its midpoint. A role's **start** is the score of the first quarter it spoke in, its **end** the
score of the last, and the **shift** is ``end - start`` (so -10..+10; positive = ended happier).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..timeline import SCORING_TIMELINE, Turn, build_timeline
from ..transcript import AGENT, CUSTOMER, Transcript
from .courtesy import courtesy_reply
from .model import SentimentModel, get_model
from .types import NEGATIVE, POSITIVE, CallSentiment, QuarterSentiment, RoleSentiment, TurnSentiment

SCALE = 5.0  # call-level scores run -SCALE..+SCALE, as Contact Lens
N_QUARTERS = 4


def score_turns(*, turns: Sequence[Turn], model: SentimentModel) -> tuple[TurnSentiment, ...]:
    """Sentiment of every turn, in the given order (one model call for all of them)."""
    sentiments = model.predict([t.text for t in turns])
    return tuple(
        TurnSentiment(i, t.speaker, t.role, t.start, t.end, t.text, s)
        for i, (t, s) in enumerate(zip(turns, sentiments, strict=False))
    )


def mood_score(turn: TurnSentiment) -> float:
    """The turn's score (-1..1) as the call-level figures count it: a courtesy reply never below 0."""
    score = turn.sentiment.score
    return max(score, 0.0) if score < 0 and courtesy_reply(turn.text) else score


def weighted_score(turns: Sequence[TurnSentiment]) -> float | None:
    """SCALE x word-weighted mean :func:`mood_score` of ``turns``, -5..+5; None when there are none."""
    if not turns:
        return None
    weights = [max(len(t.text.split()), 1) for t in turns]
    total = sum(w * mood_score(t) for w, t in zip(weights, turns, strict=False))
    return SCALE * total / sum(weights)


def quarter_of(turn: TurnSentiment, *, duration: float) -> int:
    """Quarter (1..4) holding the turn's midpoint; times past ``duration`` fall in the last one."""
    if duration <= 0:
        return 1
    mid = (turn.start + turn.end) / 2
    return min(max(int(mid / duration * N_QUARTERS) + 1, 1), N_QUARTERS)


def role_sentiment(*, turns: Sequence[TurnSentiment], role: str, duration: float) -> RoleSentiment:
    """One role's sentiment over the call: overall, per quarter, start, end and shift (-5..+5 scale).

    Parameters
    ----------
    turns : scored turns of the whole call (other roles are ignored)
    role : "agent" or "customer"
    duration : call length in seconds, cut into four equal quarters
    """
    mine = [t for t in turns if t.role == role]
    quarters = []
    for q in range(1, N_QUARTERS + 1):
        in_q = [t for t in mine if quarter_of(t, duration=duration) == q]
        quarters.append(
            QuarterSentiment(
                q, duration * (q - 1) / N_QUARTERS, duration * q / N_QUARTERS, weighted_score(in_q), len(in_q)
            )
        )
    spoken = [q.score for q in quarters if q.score is not None]
    start = spoken[0] if spoken else None
    end = spoken[-1] if spoken else None
    return RoleSentiment(
        role=role,
        overall=weighted_score(mine),
        start=start,
        end=end,
        shift=None if start is None or end is None else end - start,
        quarters=tuple(quarters),
        n_turns=len(mine),
        n_negative=sum(1 for t in mine if t.sentiment.label == NEGATIVE),
        n_positive=sum(1 for t in mine if t.sentiment.label == POSITIVE),
    )


def analyse_turns(*, turns: Sequence[Turn], duration: float, model: SentimentModel) -> CallSentiment:
    """Per-turn sentiment and the customer's and agent's call-level figures.

    Parameters
    ----------
    turns : the call's turns (``Timeline.turns``), with roles
    duration : call length in seconds (the last turn's end is used when it is longer)
    model : the sentiment model
    """
    scored = score_turns(turns=turns, model=model)
    length = max([duration] + [t.end for t in turns])
    return CallSentiment(
        turns=scored,
        customer=role_sentiment(turns=scored, role=CUSTOMER, duration=length),
        agent=role_sentiment(turns=scored, role=AGENT, duration=length),
        duration=length,
        model=model.name,
    )


def analyse_transcript(*, transcript: Transcript, model: SentimentModel | None = None) -> CallSentiment:
    """``analyse_turns`` over the scoring timeline's turns of a transcript.

    The bundled model of the transcript's language is used when ``model`` is None.
    """
    m = model or get_model(language=transcript.info.language if transcript.info.language == "en" else "id")
    timeline = build_timeline(transcript, options=SCORING_TIMELINE)
    return analyse_turns(turns=timeline.turns, duration=transcript.audio.duration, model=m)
