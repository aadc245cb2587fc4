"""Word times from Whisper's cross-attention: dynamic time warping over the alignment heads.

The method and constants of openai-whisper's ``timing.py`` (``find_alignment``, ``merge_punctuations``),
in numpy, for backends that do not compute word times themselves (transformers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

TIME_PRECISION = 0.02  # s per timestamp token and per encoder frame
MEDIAN_FILTER_WIDTH = 7  # encoder frames (openai-whisper's default)
PREPEND_PUNCTUATION = "\"'“¿([{-"  # attached to the following word (openai-whisper)
APPEND_PUNCTUATION = "\"'.。,，!！?？:：”)]}、"  # attached to the preceding word


@dataclass(frozen=True)
class WordTiming:
    """A word with times and probability, and how many text tokens it spans.

    Attributes: text, start (s), end (s), probability, n_tokens.
    """

    text: str
    start: float
    end: float
    probability: float
    n_tokens: int


def dtw_matrix(*, weights: np.ndarray, n_prefix: int) -> np.ndarray:
    """Token-by-frame alignment score from cross-attention weights (openai-whisper ``find_alignment``).

    Parameters
    ----------
    weights : np.ndarray, shape (heads, tokens, frames)
        Attention of each decoder position over encoder frames (20 ms each), rows summing to 1.
    n_prefix : int
        Start-of-transcript tokens before the no-timestamps token; their rows are dropped.

    Returns
    -------
    np.ndarray, shape (tokens - n_prefix - 1, frames)
        Normalised, median-filtered, head-averaged scores: one row per text token plus the end token.
    """
    from scipy.ndimage import median_filter

    std = weights.std(axis=-2, keepdims=True)
    mean = weights.mean(axis=-2, keepdims=True)
    w = (weights - mean) / np.maximum(std, 1e-10)
    if w.shape[-1] >= MEDIAN_FILTER_WIDTH:
        w = median_filter(w, size=(1, 1, MEDIAN_FILTER_WIDTH), mode="mirror")
    matrix = w.mean(axis=0)
    return np.asarray(matrix[n_prefix:-1], dtype=np.float64)


def align_words(
    *, matrix: np.ndarray, words: list[tuple[str, list[int]]], token_probs: np.ndarray, offset: float
) -> list[WordTiming]:
    """Word start/end times from a token-by-frame score matrix by dynamic time warping.

    Parameters
    ----------
    matrix : np.ndarray, shape (n_text_tokens + 1, frames)
        Output of :func:`dtw_matrix`; frames are 20 ms apart.
    words : list of (text, token ids)
        The window's words in order, covering all text tokens.
    token_probs : np.ndarray, shape (n_text_tokens,)
        Probability of each text token.
    offset : float
        Start of the window in the audio, s.

    Returns
    -------
    list of WordTiming, times in s from the start of the audio, punctuation merged into words.
    """
    text_idx, time_idx = dtw_path(cost=-matrix)
    jumps = np.pad(np.diff(text_idx), (1, 0), constant_values=1).astype(bool)
    jump_times = time_idx[jumps] * TIME_PRECISION
    bounds = np.concatenate([[0], np.cumsum([len(t) for _, t in words])]).astype(int)
    out = []
    for k, (text, toks) in enumerate(words):
        i, j = bounds[k], bounds[k + 1]
        start = float(jump_times[min(i, len(jump_times) - 1)])
        end = float(jump_times[min(j, len(jump_times) - 1)])
        prob = float(np.mean(token_probs[i:j])) if j > i else 0.0
        out.append(
            WordTiming(text, round(offset + start, 3), round(offset + max(end, start), 3), prob, len(toks))
        )
    return merge_punctuation(out)


def dtw_path(*, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cheapest monotonic path through a cost matrix, with openai-whisper's moves and tie-breaking.

    Each cell is reached diagonally, from above (next token, same frame) or from the left (same token,
    next frame). Rows are filled vectorised: within a row the left-move recurrence is a running minimum
    of (cost so far - cumulative row cost).

    Parameters
    ----------
    cost : np.ndarray, shape (n, m)
        Cost of matching token i with frame j.

    Returns
    -------
    (rows, cols) : two int arrays of the same length, the path from (0, 0) to (n - 1, m - 1).
    """
    n, m = cost.shape
    acc = np.full((n + 1, m + 1), np.inf)
    acc[0, 0] = 0.0
    for i in range(1, n + 1):
        row = cost[i - 1]
        best_above = np.minimum(acc[i - 1, :-1], acc[i - 1, 1:])  # diagonal or from above, per column
        through = row + best_above
        csum = np.cumsum(row)
        acc[i, 1:] = csum + np.minimum.accumulate(through - csum)
    rows, cols = [], []
    i, j = n, m
    while i > 0 or j > 0:
        rows.append(i - 1)
        cols.append(j - 1)
        if i == 0:
            j -= 1
            continue
        if j == 0:
            i -= 1
            continue
        c0, c1, c2 = acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]
        if c0 < c1 and c0 < c2:
            i, j = i - 1, j - 1
        elif c1 < c0 and c1 < c2:
            i -= 1
        else:
            j -= 1
    return np.array(rows[::-1]), np.array(cols[::-1])


def merge_punctuation(words: list[WordTiming]) -> list[WordTiming]:
    """Attach punctuation tokens to their word, as openai-whisper's ``merge_punctuations``: opening marks
    join the next word (which keeps its times), closing marks join the previous word (likewise)."""
    items = list(words)
    for k in range(len(items) - 2, -1, -1):
        prev, nxt = items[k], items[k + 1]
        if prev.text.startswith(" ") and prev.text.strip() in PREPEND_PUNCTUATION and prev.text.strip():
            items[k + 1] = replace(nxt, text=prev.text + nxt.text, n_tokens=prev.n_tokens + nxt.n_tokens)
            items[k] = replace(prev, text="", n_tokens=0)
    for k in range(1, len(items)):
        prev, nxt = items[k - 1], items[k]
        if prev.text and not prev.text.endswith(" ") and nxt.text and nxt.text in APPEND_PUNCTUATION:
            items[k - 1] = replace(prev, text=prev.text + nxt.text, n_tokens=prev.n_tokens + nxt.n_tokens)
            items[k] = replace(nxt, text="", n_tokens=0)
    return [w for w in items if w.text]


def take_words(words: list[WordTiming], cursor: int, n_tokens: int) -> tuple[list[WordTiming], int]:
    """Words covering the next ``n_tokens`` text tokens, starting at word index ``cursor``."""
    taken, used = [], 0
    k = cursor
    while k < len(words) and used < n_tokens:
        taken.append(words[k])
        used += words[k].n_tokens
        k += 1
    return taken, k - cursor
