"""Rewrite written text the way Whisper writes speech, to train a model that survives ASR output.

Review text is cased, punctuated and mostly formal; Whisper output of a phone call is lower case, often
without punctuation, full of informal forms ("gak", "udah"), fillers ("eh", "emm") and misheard letters.
``whisper_style`` makes such a copy of a sentence; the training script adds copies next to the originals.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np

from callscore.transcript.textnorm import plain_text

MISSPELL_RATE = 0.08  # share of words (longer than 3 letters) given one letter error
FILLER_RATE = 0.06  # chance of a filler after each word
DROP_RATE = 0.03  # share of short words Whisper loses
_VOWELS = "aiueo"


@functools.lru_cache(maxsize=1)
def _informal() -> dict[str, Any]:
    text = (resources.files("callscore.sentiment") / "data" / "informal.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _misspell(word: str, rng: np.random.Generator) -> str:
    """One letter error of the kinds ASR makes: a letter lost, doubled, swapped or a vowel misheard."""
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(4))
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if word[i] in _VOWELS:
        return word[:i] + _VOWELS[int(rng.integers(len(_VOWELS)))] + word[i + 1 :]
    return word


def whisper_style(
    text: str,
    *,
    rng: np.random.Generator,
    language: str = "id",
    misspell_rate: float = MISSPELL_RATE,
    filler_rate: float = FILLER_RATE,
    drop_rate: float = DROP_RATE,
) -> str:
    """A speech-like rewrite of ``text``: lower case, no punctuation, informal forms, fillers, typos.

    Parameters
    ----------
    text : a written sentence
    rng : random generator (seeded by the caller, so training is reproducible)
    language : "id" or "en" (chooses the informal forms and fillers)
    misspell_rate, filler_rate, drop_rate : per-word chances of a letter error, a filler after it, losing it
    """
    table = _informal()
    forms: dict[str, list[str]] = table.get(language, {})
    fillers: list[str] = table["fillers"].get(language, [])
    t = " " + plain_text(text) + " "
    for formal, informal in forms.items():
        if f" {formal} " in t and rng.random() < 0.7:
            t = t.replace(f" {formal} ", f" {informal[int(rng.integers(len(informal)))]} ")
    out: list[str] = []
    for w in t.split():
        if len(w) <= 3 and rng.random() < drop_rate:
            continue
        if len(w) > 3 and rng.random() < misspell_rate:
            w = _misspell(w, rng)
        out.append(w)
        if fillers and rng.random() < filler_rate:
            out.append(fillers[int(rng.integers(len(fillers)))])
    return " ".join(out) if out else t.strip()
