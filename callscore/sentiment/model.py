"""The bundled sentiment models (numpy only) and the factory that picks a backend.

``models/sentiment-id.npz`` and ``models/sentiment-en.npz`` are softmax regressions over hashed word and
character n-grams (see ``features``), trained by ``scripts/train_sentiment.py``; their data and licences are
in ``models/SENTIMENT.md``. Inference is one sparse dot product per text: well under a millisecond.
A transformers sequence-classification checkpoint can replace them (``get_model("DIR-or-hub-id")``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelError
from .features import FeatureConfig, vectorise
from .types import LABELS, Sentiment, sentiment_from_probs

BUILTIN = {"id": "sentiment-id", "en": "sentiment-en"}
FORMAT = "callscore.sentiment.linear"
FORMAT_VERSION = 1


class SentimentModel(Protocol):
    """What the analysis needs of a model: a name and a batch predictor."""

    @property
    def name(self) -> str:
        """Model name for reports ("sentiment-id", a checkpoint path)."""
        ...

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Sentiment of each text, in order."""
        ...


@dataclass(frozen=True)
class LinearSentimentModel:
    """Softmax regression over hashed features.

    Attributes:
        name: Model name ("sentiment-id").
        weights: float32 array (n_buckets, 3), columns in ``LABELS`` order.
        bias: float32 array (3,).
        config: Feature settings it was trained with.
        canonical: Informal -> canonical spelling map it was trained with.
        language: "id" or "en".
        meta: Training facts (data, hyper-parameters, cross-validation scores) as stored in the file.
    """

    name: str
    weights: np.ndarray
    bias: np.ndarray
    config: FeatureConfig
    canonical: dict[str, str]
    language: str
    meta: dict[str, object]

    def probabilities(self, text: str) -> np.ndarray:
        """Class probabilities of one text, float64 array (3,) in ``LABELS`` order."""
        idx, val = vectorise(text, config=self.config, canonical=self.canonical)
        logits = self.bias.astype(np.float64) + val.astype(np.float64) @ self.weights[idx]
        e = np.exp(logits - logits.max())
        return np.asarray(e / e.sum(), dtype=np.float64)

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Sentiment of each text, in order (an empty text is neutral by the bias alone)."""
        out = []
        for t in texts:
            p = self.probabilities(t)
            out.append(sentiment_from_probs(float(p[0]), float(p[1]), float(p[2])))
        return out


def save_linear_model(
    path: Path,
    *,
    weights: np.ndarray,
    bias: np.ndarray,
    config: FeatureConfig,
    canonical: dict[str, str],
    language: str,
    meta: dict[str, object],
) -> None:
    """Write a model file (float16 weights, compressed) that ``load_linear_model`` reads back."""
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "labels": list(LABELS),
        "language": language,
        "config": {
            "n_buckets": config.n_buckets,
            "char_min": config.char_min,
            "char_max": config.char_max,
            "bigrams": config.bigrams,
        },
        "canonical": canonical,
        "meta": meta,
    }
    with open(path, "wb") as f:
        np.savez_compressed(
            f,
            weights=weights.astype(np.float16),
            bias=bias.astype(np.float32),
            header=np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )


def load_linear_model(path: Path, *, name: str | None = None) -> LinearSentimentModel:
    """Read a model file written by ``save_linear_model``; refuse a foreign or broken one."""
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(bytes(z["header"]).decode("utf-8"))
            weights = z["weights"].astype(np.float32)
            bias = z["bias"].astype(np.float32)
    except FileNotFoundError:
        raise ModelError(f"{path}: sentiment model file not found") from None
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path}: not a callscore sentiment model ({e})") from e
    if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{path}: not a callscore sentiment model of format version {FORMAT_VERSION}")
    if tuple(header.get("labels", ())) != LABELS:
        raise ModelError(f"{path}: labels {header.get('labels')} differ from {list(LABELS)}")
    cfg = FeatureConfig(**header["config"])
    if weights.shape != (cfg.n_buckets, len(LABELS)) or bias.shape != (len(LABELS),):
        raise ModelError(f"{path}: weights of shape {weights.shape} do not fit {cfg.n_buckets} buckets")
    return LinearSentimentModel(
        name=name or path.stem,
        weights=weights,
        bias=bias,
        config=cfg,
        canonical=dict(header["canonical"]),
        language=str(header["language"]),
        meta=dict(header.get("meta", {})),
    )


def builtin_model_path(language: str) -> Path:
    """Path of the bundled model file for ``language`` ("id" or "en")."""
    from ..resources import data_dir

    if language not in BUILTIN:
        raise ModelError(f"no bundled sentiment model for language {language!r} (have: {', '.join(BUILTIN)})")
    return data_dir("models") / f"{BUILTIN[language]}.npz"


@functools.lru_cache(maxsize=4)
def get_model(name: str | None = None, *, language: str = "id") -> SentimentModel:
    """The sentiment model to use, loaded once.

    Parameters
    ----------
    name : None or "sentiment-id"/"sentiment-en" for a bundled model; a ``.npz`` file of ours; otherwise a
        transformers sequence-classification checkpoint (local folder or hub id; needs the transformers extra)
    language : picks the bundled model when ``name`` is None
    """
    if name is None:
        return load_linear_model(builtin_model_path(language), name=BUILTIN[language])
    for lang, builtin in BUILTIN.items():
        if name == builtin:
            return load_linear_model(builtin_model_path(lang), name=builtin)
    if name.endswith(".npz"):
        return load_linear_model(Path(name))
    from .hf import load_transformers_model

    return load_transformers_model(name)
