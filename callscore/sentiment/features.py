"""Text -> hashed feature vector, shared by the training script and inference (so both agree exactly).

Whisper writes speech without a fixed casing or punctuation and keeps informal forms ("gak", "udah",
"bangettt"). The normaliser (``callscore.transcript.textnorm.model_tokens``, the mode the models were
trained with) folds those differences away before hashing: lower case, punctuation to spaces,
runs of three or more equal letters to one, and informal spellings to one canonical form (the map is stored
inside each model file, so a model always runs with the map it was trained with). Features are word
unigrams and bigrams (CRC-32) and character n-grams of the normalised text, spaces included (robust to
misspellings; a polynomial hash with Murmur3's finaliser, vectorised in numpy), all hashed into ``n_buckets``
buckets, log-scaled counts, L2-normalised.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from callscore.transcript.textnorm import model_tokens


@dataclass(frozen=True)
class FeatureConfig:
    """How text becomes features; stored in each model file.

    Attributes:
        n_buckets: Size of the hashed feature space (a power of two).
        char_min: Shortest character n-gram.
        char_max: Longest character n-gram.
        bigrams: Whether word bigrams are features (they carry negation: "tidak enak").
    """

    n_buckets: int = 1 << 18
    char_min: int = 2
    char_max: int = 5
    bigrams: bool = True


_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_BASE = np.uint64(0x100000001B3)  # FNV prime: a multiplier that spreads code points over 64 bits


def _mix(h: np.ndarray) -> np.ndarray:
    """Murmur3's 64-bit finaliser: every input bit affects every output bit (uint64 wraps on purpose)."""
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX2
    return h ^ (h >> np.uint64(33))


def char_ngram_buckets(text: str, *, config: FeatureConfig) -> np.ndarray:
    """Bucket of every character n-gram (``char_min``..``char_max``) of ``text``, int64 array.

    Vectorised over the string (a polynomial hash grown one letter at a time): a turn in well under 1 ms.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n_codes = len(codes)
    mask = np.uint64(config.n_buckets - 1)
    parts = []
    with np.errstate(over="ignore"):
        h = codes.copy()  # h[j] = hash of the n-gram starting at j, grown one letter per step
        power = np.uint64(1)
        for n in range(2, min(config.char_max, n_codes) + 1):
            power = power * _BASE
            h = h[: n_codes - n + 1] + codes[n - 1 :] * power
            if n >= config.char_min:
                parts.append((_mix(h + np.uint64(n)) & mask).astype(np.int64))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def word_buckets(tokens: list[str], *, config: FeatureConfig) -> np.ndarray:
    """Bucket of every word and (when configured) word bigram, int64 array."""
    mask = config.n_buckets - 1
    feats = ["w " + t for t in tokens]
    if config.bigrams:
        feats += ["b " + a + " " + b for a, b in zip(tokens, tokens[1:], strict=False)]
    return np.fromiter(
        (zlib.crc32(f.encode("utf-8")) & mask for f in feats), dtype=np.int64, count=len(feats)
    )


def vectorise(
    text: str, *, config: FeatureConfig, canonical: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Sparse feature vector of one text.

    Returns
    -------
    indices : int64 array (k,), distinct bucket indices
    values : float32 array (k,), log(1 + count), L2-normalised (all zeros never: empty text gives k = 0)
    """
    tokens = model_tokens(text, canonical=canonical)
    if not tokens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    buckets = np.concatenate(
        [word_buckets(tokens, config=config), char_ngram_buckets(" " + " ".join(tokens) + " ", config=config)]
    )
    idx, counts = np.unique(buckets, return_counts=True)
    val = np.log1p(counts).astype(np.float32)
    val /= np.float32(np.sqrt(float(val @ val)))
    return idx, val
