"""Learned act models: does this stretch of a call report a problem, give a next step, explain a cause?

Phrase lists and examples know the wordings someone wrote down; on each new independently written set the
triggers and the solution and cause items were the engine's weakest (docs/rubrics.md). A linear model over
the same hashed word and character n-grams as the sentiment model (:mod:`callscore.sentiment.features`),
plus that model's P(negative), trained on the labelled development calls (``scripts/train_acts.py``),
reads a stretch of one role's words and says how likely the act is in it. A trigger uses it as a second
opinion on what its phrases found (``learned:`` in the rubric, :class:`callscore.rubric.schema.LearnedGate`):
a match whose surrounding words the model reads as unlikely to hold the act is vetoed, and the evidence
names the model's probability and the words that weighed most, so a reviewer sees why.

``models/acts-id.npz`` and ``models/acts-en.npz`` hold one head per act (logistic regression, float16
weights; today one head, ``problem``: does the customer report a problem?); their data and figures are in
``models/ACTS.md``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..sentiment.features import FeatureConfig, vectorise
from ..sentiment.model import get_model
from ..transcript.textnorm import model_tokens

FORMAT = "callscore.rubric.acts"
FORMAT_VERSION = 1
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class ActModel:
    """Logistic-regression heads over hashed n-grams, one per act.

    Attributes:
        heads: Act names ("problem", "solution", "cause"), in the weights' column order.
        weights: float32 array (n_buckets, len(heads)).
        bias: float32 array (len(heads),).
        sentiment: float32 array (len(heads),): each head's weight on the bundled sentiment model's
            P(negative) of the same text, a feature learned from 11,000 reviews that 400 calls cannot teach
            (that "kecewa" or "broken" is bad news whatever else is said).
        config: Feature settings it was trained with.
        canonical: Informal -> canonical spelling map it was trained with.
        language: "id" or "en".
        meta: Training facts (sets, calls per head, C, cross-validation figures) as stored in the file.
    """

    heads: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    sentiment: np.ndarray
    config: FeatureConfig
    canonical: dict[str, str]
    language: str
    meta: dict[str, object]

    def logit(self, head: str, text: str) -> float:
        """The head's log-odds that ``text`` holds the act."""
        k = self.heads.index(head)
        idx, val = vectorise(text, config=self.config, canonical=self.canonical)
        z = float(self.bias[k]) + float(val.astype(np.float64) @ self.weights[idx, k].astype(np.float64))
        if self.sentiment[k]:
            z += float(self.sentiment[k]) * negative_probability(text, self.language)
        return z

    def probability(self, head: str, text: str) -> float:
        """P(the act is in ``text``), 0..1."""
        return float(1.0 / (1.0 + np.exp(-self.logit(head, text))))

    def weighed(self, head: str, text: str, *, k: int = 3) -> tuple[tuple[str, float], ...]:
        """The ``k`` words that moved the head most, each with the log-odds it adds (its absence's loss).

        Leave-one-word-out on the normalised words: what a reviewer can check against the quote, unlike
        hashed n-gram buckets. Words that add and words that take away are both named, strongest first.
        """
        tokens = model_tokens(text, canonical=self.canonical)
        if len(tokens) < 2:
            return ()
        full = self.logit(head, " ".join(tokens))
        seen: dict[str, float] = {}
        for i, t in enumerate(tokens):
            if t not in seen:
                seen[t] = full - self.logit(head, " ".join(tokens[:i] + tokens[i + 1 :]))
        ranked = sorted(seen.items(), key=lambda x: -abs(x[1]))
        return tuple((t, round(d, 2)) for t, d in ranked[:k] if abs(d) >= 0.05)


def save_act_model(
    path: Path,
    *,
    heads: tuple[str, ...],
    weights: np.ndarray,
    bias: np.ndarray,
    sentiment: np.ndarray,
    config: FeatureConfig,
    canonical: Mapping[str, str],
    language: str,
    meta: Mapping[str, object],
) -> None:
    """Write a model file (float16 weights, compressed) that :func:`load_act_model` reads back."""
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "heads": list(heads),
        "language": language,
        "config": {
            "n_buckets": config.n_buckets,
            "char_min": config.char_min,
            "char_max": config.char_max,
            "bigrams": config.bigrams,
        },
        "canonical": dict(canonical),
        "meta": dict(meta),
    }
    with open(path, "wb") as f:
        np.savez_compressed(
            f,
            weights=weights.astype(np.float16),
            bias=bias.astype(np.float32),
            sentiment=sentiment.astype(np.float32),
            header=np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )


def load_act_model(path: Path) -> ActModel:
    """Read a model file written by :func:`save_act_model`; refuse a foreign or broken one."""
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(bytes(z["header"]).decode("utf-8"))
            weights = z["weights"].astype(np.float32)
            bias = z["bias"].astype(np.float32)
            sentiment = z["sentiment"].astype(np.float32)
    except FileNotFoundError:
        raise ModelError(f"{path}: act model file not found") from None
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path}: not a callscore act model ({e})") from e
    if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{path}: not a callscore act model of format version {FORMAT_VERSION}")
    heads = tuple(str(h) for h in header.get("heads", ()))
    cfg = FeatureConfig(**header["config"])
    n = len(heads)
    if not heads or weights.shape != (cfg.n_buckets, n) or bias.shape != (n,) or sentiment.shape != (n,):
        raise ModelError(
            f"{path}: weights of shape {weights.shape} do not fit {cfg.n_buckets} x {len(heads)}"
        )
    return ActModel(
        heads=heads,
        weights=weights,
        bias=bias,
        sentiment=sentiment,
        config=cfg,
        canonical=dict(header["canonical"]),
        language=str(header["language"]),
        meta=dict(header.get("meta", {})),
    )


@functools.lru_cache(maxsize=65536)
def negative_probability(text: str, language: str) -> float:
    """P(negative) of ``text`` from the bundled sentiment model of ``language`` (cached per text)."""
    return float(get_model(language=language).predict([text])[0].negative)


def builtin_act_path(language: str) -> Path:
    """Path of the bundled act model of ``language``."""
    from ..resources import data_dir

    if language not in LANGUAGES:
        raise ModelError(f"no bundled act model for language {language!r} (have: {', '.join(LANGUAGES)})")
    return data_dir("models") / f"acts-{language}.npz"


@functools.lru_cache(maxsize=4)
def act_model(language: str) -> ActModel:
    """The bundled act model of ``language``, loaded once."""
    return load_act_model(builtin_act_path(language))
