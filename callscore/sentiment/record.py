"""Call sentiment as the scorecard records it: plain JSON, and back.

Turn texts are not repeated: each recorded turn names its index in the scorecard's recorded timeline, which
holds the words (one copy of what was said, so redacting the timeline redacts the sentiment too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..timeline import Turn
from .types import CallSentiment, QuarterSentiment, RoleSentiment, Sentiment, TurnSentiment


def _r(x: float | None) -> float | None:
    return None if x is None else float(x)


def _role_to_dict(r: RoleSentiment) -> dict[str, Any]:
    return {
        "overall": _r(r.overall),
        "start": _r(r.start),
        "end": _r(r.end),
        "shift": _r(r.shift),
        "quarters": [
            {
                "quarter": q.quarter,
                "start": _r(q.start),
                "end": _r(q.end),
                "score": _r(q.score),
                "n_turns": q.n_turns,
            }
            for q in r.quarters
        ],
        "n_turns": r.n_turns,
        "n_negative": r.n_negative,
        "n_positive": r.n_positive,
    }


def sentiment_to_dict(call: CallSentiment) -> dict[str, Any]:
    """Plain-JSON form: model, duration, customer and agent figures (-5..+5), and label/score per turn."""
    return {
        "model": call.model,
        "duration": _r(call.duration),
        "customer": _role_to_dict(call.customer),
        "agent": _role_to_dict(call.agent),
        "turns": [
            {
                "turn": t.index,
                "speaker": t.speaker,
                "role": t.role,
                "start": _r(t.start),
                "end": _r(t.end),
                "label": t.sentiment.label,
                "score": _r(t.sentiment.score),
                "negative": _r(t.sentiment.negative),
                "neutral": _r(t.sentiment.neutral),
                "positive": _r(t.sentiment.positive),
            }
            for t in call.turns
        ],
    }


def _role_from_dict(role: str, d: Mapping[str, Any]) -> RoleSentiment:
    return RoleSentiment(
        role=role,
        overall=d["overall"],
        start=d["start"],
        end=d["end"],
        shift=d["shift"],
        quarters=tuple(
            QuarterSentiment(q["quarter"], q["start"], q["end"], q["score"], q["n_turns"])
            for q in d["quarters"]
        ),
        n_turns=d["n_turns"],
        n_negative=d["n_negative"],
        n_positive=d["n_positive"],
    )


def sentiment_from_dict(data: Mapping[str, Any], *, turns: Sequence[Turn] = ()) -> CallSentiment:
    """Rebuild :func:`sentiment_to_dict` output; turn texts come from ``turns`` (the recorded timeline).

    Raises KeyError/TypeError on malformed input (the scorecard reader turns them into one-line errors).
    """
    out = []
    for t in data["turns"]:
        i = int(t["turn"])
        text = turns[i].text if 0 <= i < len(turns) else ""
        s = Sentiment(t["label"], t["score"], t["negative"], t["neutral"], t["positive"])
        out.append(TurnSentiment(i, t["speaker"], t["role"], t["start"], t["end"], text, s))
    return CallSentiment(
        turns=tuple(out),
        customer=_role_from_dict("customer", data["customer"]),
        agent=_role_from_dict("agent", data["agent"]),
        duration=data["duration"],
        model=data["model"],
    )


def sentiment_metrics(call: CallSentiment) -> dict[str, float | None]:
    """Flat call-level figures for the scorecard's metrics and the results store (-5..+5 scale)."""
    return {
        "customer_sentiment_start": _r(call.customer.start),
        "customer_sentiment_end": _r(call.customer.end),
        "customer_sentiment_shift": _r(call.customer.shift),
        "agent_sentiment": _r(call.agent.overall),
    }
