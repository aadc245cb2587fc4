"""Text normalisation of spoken Indonesian (and English) and fuzzy phrase search over word sequences.

Whisper base writes call-centre Indonesian unevenly: "nggak" / "gak" / "enggak", "makasih" / "terimakasih",
"2x24 jam" / "dua kali dua puluh empat jam", "Bapak" / "pak", and slips such as "mohon maap" or
"terimah kasih". Rubric phrases are written once in standard form; both sides go through
:func:`normalize_words`, which maps informal forms to standard ones and number words to digits, and
:func:`find_phrase` then compares at character level (rapidfuzz) so ASR slips still hit.

Negation is never dropped: every informal negator becomes "tidak", and a fuzzy match must carry exactly as
many negators as the phrase ("saya tahu" never matches "saya tidak tahu").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from callscore.resources import has_language_data, language_data
from callscore.rubric.patterns import compile_pattern, pattern_spans

DEFAULT_SIMILARITY = 0.85  # 0..1, rapidfuzz ratio / 100 needed for a phrase hit
TOKEN_MIN = 0.8  # 0..1, least similarity of each word to its counterpart in a same-length window
MAX_SPLIT_DIFF = 2  # characters: a window with another word count may differ this much (split/merged words)
MAX_SPLIT_WORDS = 2  # a phrase may be split into (or merged from) this many more (fewer) words
MAX_NUMBER_WORDS = 12  # longest number spelled in words that is read back as digits
EXACT_ONLY_CHARS = 4  # phrases this short (characters) must match exactly: "maaf" vs "mana" is 0.5 apart


@functools.cache
def informal_lexicon(language: str) -> dict[str, str]:
    """Informal / chat / misheard spelling -> standard form, from ``rubrics/lang/<language>/lexicon.yaml``.

    A language without a lexicon of its own uses the English one (as before: only "id" had its own).
    """
    lang = language if has_language_data(language, "lexicon") else "en"
    return {str(k): str(v) for k, v in (language_data(lang, "lexicon").get("informal") or {}).items()}


INFORMAL_ID: dict[str, str] = informal_lexicon("id")
INFORMAL_EN: dict[str, str] = informal_lexicon("en")

NEGATORS = frozenset(
    {"tidak", "bukan", "belum", "jangan", "not", "no", "never", "don't", "can't", "cannot", "won't", "n't"}
)

_ID_UNITS = {
    "nol": 0,
    "kosong": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1000,
}
_ID_SCALES = {"belas": None, "puluh": 10, "ratus": 100, "ribu": 1000, "juta": 1_000_000}
_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_TIMES_RE = re.compile(r"^(\d+)[x×](\d+)$")  # "2x24" -> 2 kali 24
_PUNCT_RE = re.compile(r"[^\w'\-×]+", re.UNICODE)


@dataclass(frozen=True)
class NormWords:
    """Normalised tokens of a word sequence, each pointing back to the words it came from.

    Attributes:
        tokens: Normalised tokens (lower-case, standard spelling, numbers as digits).
        origin: For each token, (first, last) index of the source words it came from (inclusive).
    """

    tokens: tuple[str, ...]
    origin: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        """Tokens joined by single spaces."""
        return " ".join(self.tokens)


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


def number_to_words(n: int, *, language: str = "id") -> str:
    """Spell a non-negative integer below one billion in words ("24" -> "dua puluh empat")."""
    if n < 0 or n >= 1_000_000_000:
        raise ValueError(f"number {n} out of range 0..999,999,999")
    return _num_id(n) if language == "id" else _num_en(n)


def _num_id(n: int) -> str:
    units = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
    if n < 10:
        return units[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{units[n - 10]} belas"
    for scale, word, one in (
        (1_000_000, "juta", "satu juta"),
        (1000, "ribu", "seribu"),
        (100, "ratus", "seratus"),
    ):
        if n >= scale:
            head, rest = divmod(n, scale)
            lead = one if head == 1 else f"{_num_id(head)} {word}"
            return lead if rest == 0 else f"{lead} {_num_id(rest)}"
    tens, rest = divmod(n, 10)
    return f"{units[tens]} puluh" + (f" {units[rest]}" if rest else "")


def _num_en(n: int) -> str:
    small = {v: k for k, v in _EN_UNITS.items()}
    if n in small:
        return small[n]
    for scale, word in ((1_000_000, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= scale:
            head, rest = divmod(n, scale)
            return f"{_num_en(head)} {word}" + (f" {_num_en(rest)}" if rest else "")
    tens, rest = divmod(n, 10)
    return f"{small[tens * 10]} {small[rest]}"


def words_to_number(tokens: Sequence[str], *, language: str = "id") -> tuple[int, int] | None:
    """Read a number spelled in words at the start of ``tokens``.

    Returns
    -------
    (value, consumed) : the number and how many tokens it used, or None when ``tokens[0]`` is no number word.
    """
    units, scales = (_ID_UNITS, _ID_SCALES) if language == "id" else (_EN_UNITS, _EN_SCALES)
    total, current, last, used = 0, 0, 0, 0
    prev = ""  # "unit", "scale" or "" (nothing read yet)
    for tok in tokens:
        if tok in units:
            val = units[tok]
            # "dua tiga" is two numbers (or digits read out); "twenty four" is one
            if prev == "unit" and not (language == "en" and last in range(20, 100, 10) and val < 10):
                break
            if val >= 1000:  # "seribu"
                total += val
                current, last, prev = 0, 0, "scale"
            elif val == 100:  # "seratus"
                current += val
                last, prev = 0, "scale"
            else:
                current += val
                last, prev = val, "unit"
        elif tok in scales and (prev == "unit" or (prev and (scales[tok] or 0) >= 1000)):
            if tok == "belas":
                if last >= 10:
                    break
                current += 10
                last += 10
                prev = "unit"
            else:
                mult = scales[tok] or 1
                if mult >= 1000:
                    total = (total + current) * mult if total and total < mult else total + current * mult
                    current, last = 0, 0
                else:
                    current += last * (mult - 1)
                    last = 0
                prev = "scale"
        else:
            break
        used += 1
    if used == 0:
        return None
    return total + current, used


def _clean(word: str) -> str:
    w = word.lower().replace("’", "'").replace("`", "'")
    w = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", w)  # 50.000 -> 50000
    w = _PUNCT_RE.sub(" ", w)
    return w.strip(" -'")


def normalize_words(words: Sequence[str], *, language: str = "id", mark_questions: bool = False) -> NormWords:
    """Normalise a sequence of words (as Whisper wrote them), keeping where each token came from.

    Parameters
    ----------
    words : the words, one per item; may carry spaces, case and punctuation
    language : "id" or "en"
    mark_questions : add a token "?" after each word Whisper ended with a question mark (for patterns that
        need the question form, e.g. a restated problem "jadi ... ya Pak?")

    Returns
    -------
    NormWords with standard spelling, numbers as digits ("dua puluh empat" -> "24", "2x24" ->
    "2 kali 24"), informal forms expanded ("makasih" -> "terima kasih", "gak" -> "tidak").
    """
    informal = informal_lexicon(language)
    times = "kali" if language == "id" else "times"
    raw: list[tuple[str, int]] = []
    for i, w in enumerate(words):
        for piece in _clean(w).split():
            for sub in piece.split("-") if not _is_reduplication(piece) else [piece]:
                if not sub:
                    continue
                m = _TIMES_RE.match(sub)
                if m:
                    raw.extend([(m.group(1), i), (times, i), (m.group(2), i)])
                else:
                    raw.append((sub.replace("×", "x"), i))
        if mark_questions and w.rstrip().endswith("?"):
            raw.append(("?", i))
    expanded: list[tuple[str, int]] = []
    for tok, i in raw:
        repl = informal.get(tok, tok)
        expanded.extend((t, i) for t in repl.split())
    tokens: list[str] = []
    origin: list[tuple[int, int]] = []
    k = 0
    while k < len(expanded):
        tok, i = expanded[k]
        num = words_to_number([t for t, _ in expanded[k : k + MAX_NUMBER_WORDS]], language=language)
        if num is not None:
            value, used = num
            tokens.append(str(value))
            origin.append((i, expanded[k + used - 1][1]))
            k += used
            continue
        tokens.append(tok)
        origin.append((i, i))
        k += 1
    return NormWords(tuple(tokens), tuple(origin))


def _is_reduplication(piece: str) -> bool:
    # "sama-sama", "baik-baik": keep as one token; "terima-kasih" splits.
    parts = piece.split("-")
    return len(parts) == 2 and parts[0] == parts[1]


def normalize_text(text: str, *, language: str = "id") -> str:
    """Normalised form of a phrase or sentence (see :func:`normalize_words`)."""
    return normalize_words(text.split(), language=language).text


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

    p_tokens = normalize_words(phrase.split(), language=language).tokens
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
