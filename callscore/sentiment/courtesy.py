"""Courtesy replies: closing formulas that a review-trained sentiment model misreads as a mood.

"tidak, sudah cukup", "nggak ada lagi mbak", "udah itu aja kak" answer the agent's closing check; a model
trained on product reviews hears "tidak ada" and "udah itu aja" as complaints, and the customer would seem
to leave every such call unhappy. A turn made only of closing words (``data/courtesy.json``) with a closing
cue says nothing about how the caller feels, so the call-level figures leave it out.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from rapidfuzz.distance import Levenshtein

from callscore.transcript.textnorm import plain_text

MIN_FUZZY_LEN = 4  # words this long may be one letter off, as Whisper writes them ("sudak", "cuku")


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[int, frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    text = (resources.files("callscore.sentiment") / "data" / "courtesy.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return (
        int(data["max_words"]),
        frozenset(data["words"]),
        frozenset(data["cues"]),
        frozenset(data["negators"]),
        frozenset(data["negatable"]),
        frozenset(data["not_closing"]),
    )


def courtesy_reply(text: str) -> bool:
    """Whether ``text`` is only a closing or courtesy formula (every word a closing word, one a cue).

    A negated "enough" or "all" makes it a complaint ("itu saja tidak cukup", "not all of it"); a "no"
    before "thanks" does not ("no thanks", "tidak, terima kasih").
    """
    max_words, words, cues, negators, negatable, not_closing = _lists()
    said = plain_text(text).split()
    if not said or len(said) > max_words:
        return False
    tokens = []
    for t in said:  # the first word that is no closing word settles it: no fuzzy look at the rest
        closest = None if t in not_closing else _closest(t, words)
        if closest is None:
            return False
        tokens.append(closest)
    after_negator = [i > 0 and tokens[i - 1] in negators for i in range(len(tokens))]
    if any(t in negatable and neg for t, neg in zip(tokens, after_negator, strict=True)):
        return False
    return any(t in cues for t in tokens)


def _closest(token: str, words: frozenset[str]) -> str | None:
    """``token`` if it is a closing word, else the closing word one edit away (long words only), else None."""
    if token in words:
        return token
    if len(token) < MIN_FUZZY_LEN:
        return None
    near = sorted(
        w for w in words if len(w) >= MIN_FUZZY_LEN and Levenshtein.distance(token, w, score_cutoff=1) <= 1
    )
    return near[0] if near else None
