"""Fuzzy phrase search and pattern search over normalised word sequences (the rubric's matching).

Rubric phrases are written once in standard form; both sides go through the one word normaliser,
:func:`callscore.transcript.textnorm.normalize_words` (informal forms to standard ones, number words to
digits), and :func:`find_phrase` then compares at character level (rapidfuzz) so ASR slips still hit.

Negation is never dropped: every informal negator becomes "tidak", and a fuzzy match must carry exactly as
many negators as the phrase ("saya tahu" never matches "saya tidak tahu").
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from callscore.rubric.patterns import compile_pattern, pattern_spans
from callscore.transcript.textnorm import NEGATORS, NormWords, normalize_words

DEFAULT_SIMILARITY = 0.85  # 0..1, rapidfuzz ratio / 100 needed for a phrase hit
TOKEN_MIN = 0.8  # 0..1, least similarity of each word to its counterpart in a same-length window
MAX_SPLIT_DIFF = 2  # characters: a window with another word count may differ this much (split/merged words)
MAX_SPLIT_WORDS = 2  # a phrase may be split into (or merged from) this many more (fewer) words
WILDCARD = "*"  # in a phrase: any one word ("terima kasih * menunggu": "sudah", "telah", or misheard)
EXACT_ONLY_CHARS = 4  # phrases this short (characters) must match exactly: "maaf" vs "mana" is 0.5 apart


@dataclass(frozen=True)
class PhraseMatch:
    """A fuzzy hit of a phrase in a word sequence.

    Attributes:
        similarity: 0..1 (1 = identical after normalisation).
        first: Index of the first source word of the hit.
        last: Index of the last source word (inclusive).
        phrase: The phrase as given.
    """

    similarity: float
    first: int
    last: int
    phrase: str


def _negations(tokens: Sequence[str]) -> int:
    return sum(1 for t in tokens if t in NEGATORS or t.endswith("n't"))


def find_phrase(
    phrase: str,
    words: NormWords,
    *,
    language: str = "id",
    min_similarity: float = DEFAULT_SIMILARITY,
) -> list[PhraseMatch]:
    """Fuzzy, character-level search of ``phrase`` in a normalised word sequence.

    Every window of the sequence with as many tokens as the phrase is compared to the phrase (rapidfuzz
    ratio, with and without spaces), and each of its words must resemble its counterpart (``TOKEN_MIN``):
    misspelt words hit, swapped or missing words do not. Windows with up to two tokens fewer or more are
    compared without spaces and only when about as long, so that "terimakasih" meets "terima kasih" but "ada
    yang bisa saya bantu" does not meet "ada lagi yang bisa saya bantu". The best non-overlapping windows at
    or above ``min_similarity`` are returned. A window must hold as many negators ("tidak", "bukan", "not",
    ...) as the phrase.

    Parameters
    ----------
    phrase : phrase in any spelling; normalised here
    words : the sequence to search, from :func:`normalize_words`
    language : "id" or "en"
    min_similarity : 0..1

    Returns
    -------
    Hits in sequence order, each with similarity and the source-word span (indices into the words given to
    :func:`normalize_words`).
    """
    from rapidfuzz import fuzz

    parts = phrase.split()
    if WILDCARD in parts:
        return _find_wild(parts, words, language=language, min_similarity=min_similarity, phrase=phrase)
    p_tokens = normalize_words(parts, language=language).tokens
    if not p_tokens or not words.tokens:
        return []
    target = " ".join(p_tokens)
    target_ns = target.replace(" ", "")
    p_neg = _negations(p_tokens)
    exact = len(target_ns) <= EXACT_ONLY_CHARS
    n = len(p_tokens)
    lengths = sorted({max(1, n + d) for d in range(-MAX_SPLIT_WORDS, MAX_SPLIT_WORDS + 1)})
    cands: list[tuple[float, int, int]] = []
    toks = words.tokens
    # negators before each position, so a window's count is one subtraction (speed: 10-min calls)
    neg_before = [0]
    for t in toks:
        neg_before.append(neg_before[-1] + (1 if t in NEGATORS or t.endswith("n't") else 0))
    first_ok = {t for t in set(toks) if fuzz.ratio(t, p_tokens[0]) >= TOKEN_MIN * 100}
    # characters before each position: a window's length without spaces is one subtraction
    chars_before = [0]
    for t in toks:
        chars_before.append(chars_before[-1] + len(t))
    for i in range(len(toks)):
        for length in lengths:
            j = i + length
            if j > len(toks):
                break
            if neg_before[j] - neg_before[i] != p_neg:
                continue
            if length == n:
                # same word count: the first word must resemble the phrase's (exact phrases: equal)
                if (exact and toks[i] != p_tokens[0]) or (not exact and toks[i] not in first_ok):
                    continue
            elif exact or abs(chars_before[j] - chars_before[i] - len(target_ns)) > MAX_SPLIT_DIFF:
                continue
            window = toks[i:j]
            text = " ".join(window)
            if exact:
                sim = 1.0 if text == target else 0.0
            elif length == n:
                # same word count: every word must still resemble its counterpart (a slip, not a swap)
                if min(fuzz.ratio(a, b) for a, b in zip(window, p_tokens, strict=True)) < TOKEN_MIN * 100:
                    continue
                sim = max(fuzz.ratio(text, target), fuzz.ratio(text.replace(" ", ""), target_ns)) / 100.0
            else:
                # other word count: only a split or merged word ("terimakasih"), not a missing word
                text_ns = text.replace(" ", "")
                if abs(len(text_ns) - len(target_ns)) > MAX_SPLIT_DIFF:
                    continue
                sim = fuzz.ratio(text_ns, target_ns) / 100.0
            if sim >= min_similarity:
                cands.append((sim, i, j - 1))
    # Greedy: best hits first, drop those overlapping an accepted one.
    cands.sort(key=lambda c: (-c[0], c[2] - c[1], c[1]))
    taken: list[tuple[float, int, int]] = []
    for c in cands:
        if all(c[2] < t[1] or c[1] > t[2] for t in taken):
            taken.append(c)
    out = []
    for sim, i, j in sorted(taken, key=lambda c: c[1]):
        out.append(PhraseMatch(round(min(sim, 1.0), 3), words.origin[i][0], words.origin[j][1], phrase))
    return out


def find_pattern(pattern: str, words: NormWords) -> list[PhraseMatch]:
    """Regular-expression search on the normalised token text (tokens joined by single spaces).

    The pattern must match whole tokens (it is wrapped in word boundaries). Hits carry similarity 1.0.
    """
    text = words.text
    starts = []
    pos = 0
    for t in words.tokens:
        starts.append(pos)
        pos += len(t) + 1
    out = []
    if not starts:
        return []
    # RE2, linear time (callscore.rubric.patterns): compiled and checked when the rubric was loaded;
    # bisect keeps a pattern that matches every word of a long call from going quadratic
    for a, b in pattern_spans(compile_pattern(pattern), text):
        first = bisect.bisect_right(starts, a) - 1
        last = bisect.bisect_left(starts, max(b, a + 1)) - 1
        out.append(PhraseMatch(1.0, words.origin[first][0], words.origin[last][1], pattern))
    return out


def _find_wild(
    parts: Sequence[str], words: NormWords, *, language: str, min_similarity: float, phrase: str
) -> list[PhraseMatch]:
    """:func:`find_phrase` for a phrase with ``*`` words: windows of exactly its word count, each ``*``
    taking any one word that is not a negator, the other words compared as in a same-length window.

    Whisper base mishears the small middle words of set phrases ("terima kasih sultat menunggu" for
    "sudah"); the words that carry the act are the ones to match.
    """
    from rapidfuzz import fuzz

    p_tokens: list[str] = []
    for part in parts:
        norm = [part] if part == WILDCARD else normalize_words([part], language=language).tokens
        p_tokens.extend(norm)
    fixed = [k for k, t in enumerate(p_tokens) if t != WILDCARD]
    toks, n = words.tokens, len(p_tokens)
    if not fixed or not toks:
        return []
    target = " ".join(p_tokens[k] for k in fixed)
    p_neg = _negations([p_tokens[k] for k in fixed])
    cands: list[tuple[float, int, int]] = []
    for i in range(len(toks) - n + 1):
        window = toks[i : i + n]
        if _negations(window) != p_neg:
            continue
        kept = [window[k] for k in fixed]
        if min(fuzz.ratio(a, p_tokens[k]) for a, k in zip(kept, fixed, strict=True)) < TOKEN_MIN * 100:
            continue
        if len(target.replace(" ", "")) <= EXACT_ONLY_CHARS:
            sim = 1.0 if kept == [p_tokens[k] for k in fixed] else 0.0
        else:
            sim = fuzz.ratio(" ".join(kept), target) / 100.0
        if sim >= min_similarity:
            cands.append((sim, i, i + n - 1))
    cands.sort(key=lambda c: (-c[0], c[1]))
    taken: list[tuple[float, int, int]] = []
    for c in cands:
        if all(c[2] < t[1] or c[1] > t[2] for t in taken):
            taken.append(c)
    return [
        PhraseMatch(round(min(sim, 1.0), 3), words.origin[i][0], words.origin[j][1], phrase)
        for sim, i, j in sorted(taken, key=lambda c: c[1])
    ]
