"""The one word normaliser: how every stage turns what Whisper wrote into words it can compare.

Whisper base writes call-centre Indonesian unevenly: "nggak" / "gak" / "enggak", "makasih" / "terimakasih",
"2x24 jam" / "dua kali dua puluh empat jam", "Bapak" / "pak", and slips such as "maap" or "terimah kasih".
Each stage needs one of a few views of the same words, and all of them live here so they cannot drift:

- :func:`word_key`: one word as a lookup key (lower case, no punctuation): back-channels in the timeline,
  filled pauses and syllables in prosody.
- :func:`plain_text`: text lower-cased with punctuation to spaces, nothing else changed: role cues, where
  the cue lists are written in the speakers' own informal forms.
- :func:`normalize_words` / :func:`normalize_text`: standard spelling, informal forms mapped through the
  lexicon in ``rubrics/lang/<code>/lexicon.yaml``, numbers as digits, each token pointing back to its
  source words: rubric phrase matching and callscore's own WER ("ours" beside Whisper's basic normaliser).
- :func:`model_tokens`: the exact tokens the bundled sentiment model was trained on (its informal map is
  stored inside each model file); kept byte-for-byte so a model always sees what it was trained with.

Negation is never dropped: every informal negator becomes "tidak" ("not" in English), and phrase matching
(``callscore.rubric.textnorm``) counts negators.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from callscore.resources import has_language_data, language_data

MAX_NUMBER_WORDS = 12  # longest number spelled in words that is read back as digits

_WORD_KEY_RE = re.compile(r"[^\w'-]+")
_PLAIN_RE = re.compile(r"[^\w']+")


def word_key(text: str) -> str:
    """One word as a lookup key: lower case, no punctuation inside or around ("Mm-hmm," -> "mm-hmm").

    Apostrophes and hyphens inside a word stay ("don't", "sama-sama"); at its edges they go.
    """
    return _WORD_KEY_RE.sub("", text.lower()).strip("-'")


def plain_text(text: str) -> str:
    """Lower case, punctuation (but not apostrophes) to spaces, single spaces; spelling left as written."""
    return " ".join(_PLAIN_RE.sub(" ", text.lower()).split())


@functools.cache
def informal_lexicon(language: str) -> dict[str, str]:
    """Informal / chat / misheard spelling -> standard form, from ``rubrics/lang/<language>/lexicon.yaml``.

    A language without a lexicon of its own uses the English one (as before: only "id" had its own).
    """
    lang = language if has_language_data(language, "lexicon") else "en"
    return {str(k): str(v) for k, v in (language_data(lang, "lexicon").get("informal") or {}).items()}


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


_MODEL_PUNCT = re.compile(r"[^\w\s']+|_")
_MODEL_DIGITS = re.compile(r"\d+")
_MODEL_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_MODEL_SPACE = re.compile(r"\s+")


def model_tokens(text: str, *, canonical: Mapping[str, str]) -> list[str]:
    """Tokens of ``text`` as the sentiment model sees them: lower case, no punctuation, informal forms folded.

    Every run of digits becomes "0" and runs of three or more equal letters one ("bangettt" -> "banget").
    This is the mode the bundled models were trained with: changing it means retraining them.

    Parameters
    ----------
    text : one utterance or sentence
    canonical : informal spelling -> canonical word ("gak" -> "tidak"), stored in the model file; a value may
        hold several words
    """
    t = _MODEL_PUNCT.sub(" ", text.lower())
    t = _MODEL_DIGITS.sub(" 0 ", t)
    t = _MODEL_REPEAT.sub(r"\1", t)
    out: list[str] = []
    for tok in _MODEL_SPACE.split(t.strip()):
        tok = tok.strip("'")
        if not tok:
            continue
        out.extend(canonical.get(tok, tok).split())
    return out
