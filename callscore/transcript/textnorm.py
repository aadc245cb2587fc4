"""The one word normaliser: how every stage turns what Whisper wrote into words it can compare.

Whisper base writes call-centre Indonesian unevenly: "nggak" / "gak" / "enggak", "makasih" / "terimakasih",
"2x24 jam" / "dua kali dua puluh empat jam", "Bapak" / "pak", and slips such as "maap" or "terimah kasih".
Each stage needs one of a few views of the same words, and all of them live here so they cannot drift:

- :func:`word_key`: one word as a lookup key (lower case, no punctuation): back-channels in the timeline,
  filled pauses and syllables in prosody.
- :func:`plain_text`: text lower-cased with punctuation to spaces, nothing else changed: role cues, where
  the cue lists are written in the speakers' own informal forms.
- :func:`normalize_words` / :func:`normalize_text`: standard spelling, each token pointing back to its
  source words, for rubric phrase matching. Informal forms go through the lexicon in
  ``rubrics/lang/<code>/lexicon.yaml``; its ``spelling`` section holds the rest of the language's
  conventions: prepositions apart ("dimana" -> "di mana", but "dibantu" stays), "sama2" -> "sama-sama",
  numbers and amounts as digits whichever way they were written ("Rp1.750.000", "1,75 juta", "satu juta
  tujuh ratus lima puluh ribu rupiah" -> "1750000 rupiah"), "%" as a word.
- :func:`wer_tokens`: the same, with every number digit by digit: callscore's own WER (``callscore eval``,
  ``benchmarks/real_calls.py``, beside Whisper's basic normaliser).
- :func:`model_tokens`: the exact tokens the bundled sentiment model was trained on (its informal map is
  stored inside each model file); kept byte-for-byte so a model always sees what it was trained with.

Negation is never dropped: every informal negator becomes "tidak" ("not" in English), and phrase matching
(``callscore.rubric.textnorm``) counts negators.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

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


@dataclass(frozen=True)
class SpellingRules:
    """A language's spelling and number conventions, from the ``lexicon.yaml`` next to its rubrics.

    Attributes:
        prepositions: Prepositions Whisper writes joined to the next word ("dimana", "kesini").
        places: Words after which such a prefix is the preposition, not a verb prefix ("mana", "sini"):
            "dibantu" stays one word because "bantu" is no place.
        clitics: Endings a place word may carry and still count ("dirumahnya" -> "di rumahnya").
        fused: Words that look like preposition + place but are standard as one word ("keluar").
        reduplication_mark: A digit written for a repeated word ("sama2" -> "sama-sama"), or "".
        decimal_mark: The language's decimal separator ("," in Indonesian, "." in English).
        decimal_word: The spoken decimal separator ("koma", "point").
        half: The word for one half before a scale ("satu setengah juta" = 1,5 juta), or "".
        scales: Scale words that multiply a number written in digits ("50 ribu" = 50000).
        currency: Symbol written before an amount -> word spoken after it ("rp" -> "rupiah").
        percent: The word for "%".
    """

    prepositions: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    clitics: tuple[str, ...] = ()
    fused: frozenset[str] = frozenset()
    reduplication_mark: str = ""
    decimal_mark: str = "."
    decimal_word: str = ""
    half: str = ""
    scales: Mapping[str, int] = field(default_factory=dict)
    currency: Mapping[str, str] = field(default_factory=dict)
    percent: str = ""


@functools.cache
def spelling_rules(language: str) -> SpellingRules:
    """The spelling rules of ``language`` (``spelling`` in its lexicon; the English file when it has none)."""
    lang = language if has_language_data(language, "lexicon") else "en"
    d = language_data(lang, "lexicon").get("spelling") or {}
    prep = d.get("prepositions") or {}
    return SpellingRules(
        prepositions=frozenset(str(x) for x in prep.get("prefixes") or ()),
        places=frozenset(str(x) for x in prep.get("places") or ()),
        clitics=tuple(str(x) for x in prep.get("clitics") or ()),
        fused=frozenset(str(x) for x in prep.get("fused") or ()),
        reduplication_mark=str(d.get("reduplication_mark") or ""),
        decimal_mark=str(d.get("decimal_mark") or "."),
        decimal_word=str(d.get("decimal_word") or ""),
        half=str(d.get("half") or ""),
        scales={str(k): int(v) for k, v in (d.get("scales") or {}).items()},
        currency={str(k): str(v) for k, v in (d.get("currency") or {}).items()},
        percent=str(d.get("percent") or ""),
    )


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
_ID_SCALES = {
    "belas": None,
    "puluh": 10,
    "ratus": 100,
    "ribu": 1000,
    "juta": 1_000_000,
    "miliar": 1_000_000_000,
    "triliun": 1_000_000_000_000,
}
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
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_TIMES_RE = re.compile(r"^(\d+)[x×](\d+)$")  # "2x24" -> 2 kali 24
_PUNCT_RE = re.compile("[^\\w'\\-×\ue000\ue001]+", re.UNICODE)


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


_COMMA, _POINT = "\ue000", "\ue001"  # decimal separators kept through punctuation removal (private use)
_NUMBER_RE = re.compile("^(\\d+)(?:([\ue000\ue001])(\\d+))?$")
_GLUED_RE = re.compile("^([^\\W\\d_]*?)(\\d+(?:[\ue000\ue001]\\d+)?)([^\\W\\d_]*)$")


_THOUSANDS_RE = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_DEC_COMMA_RE = re.compile(r"(?<=\d),(?=\d)")
_DEC_POINT_RE = re.compile(r"(?<=\d)\.(?=\d)")


def _clean(word: str, *, percent: str = "") -> str:
    w = word.lower().replace("’", "'").replace("`", "'").replace(_COMMA, " ").replace(_POINT, " ")
    w = _THOUSANDS_RE.sub("", w)  # 50.000 -> 50000
    # what is left between digits is a decimal separator ("1,5") or joins two numbers ("10.30"); which of
    # the two is decided with the words around it (see _read_value)
    w = _DEC_COMMA_RE.sub(_COMMA, w)
    w = _DEC_POINT_RE.sub(_POINT, w)
    if percent:
        w = w.replace("%", f" {percent} ")
    w = _PUNCT_RE.sub(" ", w)
    return w.strip(" -'")


def _split_word(sub: str, *, rules: SpellingRules, informal: Mapping[str, str]) -> list[str]:
    """One written word as the words it stands for: "sama2", "rp50.000", "50rb", "dimana"."""
    mark = rules.reduplication_mark
    if mark and sub.endswith(mark) and len(sub) > len(mark) + 1 and sub[: -len(mark)].isalpha():
        stem = sub[: -len(mark)]
        return [f"{stem}-{stem}"]
    m = _GLUED_RE.match(sub)
    if m and (m.group(1) or m.group(3)):
        head, number, tail = m.groups()
        tail_word = informal.get(tail, tail)
        head_ok = not head or head in rules.currency
        tail_ok = (
            not tail or tail_word in rules.scales or tail_word == rules.percent or tail in rules.currency
        )
        return [t for t in (head, number, tail) if t] if head_ok and tail_ok else [sub]
    if sub in informal or sub in rules.fused:
        return [sub]
    for prep in rules.prepositions:
        rest = sub[len(prep) :]
        if not sub.startswith(prep) or not rest:
            continue
        if rest in rules.places or any(
            rest.endswith(c) and rest[: -len(c)] in rules.places for c in rules.clitics
        ):
            return [prep, rest]
    return [sub]


def _fmt(value: Decimal, *, mark: str) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", mark)


def _read_value(
    toks: Sequence[str], k: int, *, language: str, rules: SpellingRules
) -> tuple[list[str], int, int] | None:
    """A number at ``toks[k]``, in words or digits, with a spoken decimal, a half and a scale.

    Returns
    -------
    (tokens, end, scale) : the number as it is written normalised (one token, or two where "10.30" joins
    two numbers), the index after it and the scale it was multiplied by (1 when none), or None.
    """
    num = words_to_number(toks[k : k + MAX_NUMBER_WORDS], language=language)
    split: list[str] | None = None
    if num is not None:
        value, j = Decimal(num[0]), k + num[1]
    elif m := _NUMBER_RE.match(toks[k]):
        j = k + 1
        whole, sep, frac = m.groups()
        value = Decimal(f"{whole}.{frac}") if sep else Decimal(whole)
        if sep and (_COMMA if rules.decimal_mark == "," else _POINT) != sep:
            split = [whole, frac]  # the other mark: "10.30" is two numbers unless a scale follows
    elif rules.half and toks[k] == rules.half and k + 1 < len(toks) and toks[k + 1] in rules.scales:
        value, j = Decimal("0.5"), k + 1
    else:
        return None
    whole_number = num is not None or (split is None and value == value.to_integral_value())
    if rules.decimal_word and whole_number and j + 1 < len(toks) and toks[j] == rules.decimal_word:
        digits = ""
        while j + 1 + len(digits) < len(toks):
            d = words_to_number([toks[j + 1 + len(digits)]], language=language)
            t = toks[j + 1 + len(digits)]
            if t.isdigit() and len(t) == 1:
                digits += t
            elif d is not None and d[0] < 10:
                digits += str(d[0])
            else:
                break
        if digits:
            value, j = Decimal(f"{int(value)}.{digits}"), j + 1 + len(digits)
    if rules.half and whole_number and j < len(toks) and toks[j] == rules.half:
        value, j = value + Decimal("0.5"), j + 1
    scale = 1
    if j < len(toks) and toks[j] in rules.scales:
        scale = rules.scales[toks[j]]
        value, j, split = value * scale, j + 1, None
    if split is not None:
        return split, j, 1
    if j == k + 1 and num is None and _NUMBER_RE.match(toks[k]) and toks[k].isdigit():
        return [toks[k]], j, 1  # digits as written: "0812" keeps its zero
    return [_fmt(value, mark=rules.decimal_mark)], j, scale


def _read_amount(
    toks: Sequence[str], k: int, *, language: str, rules: SpellingRules
) -> tuple[list[str], int] | None:
    """An amount at ``toks[k]``: "1 juta 750 ribu" -> 1750000; "rp 50 ribu" -> "50000 rupiah"."""
    if toks[k] in rules.currency and k + 1 < len(toks):
        inner = _read_amount(toks, k + 1, language=language, rules=rules)
        if inner is not None and len(inner[0]) == 1:
            word = rules.currency[toks[k]]
            end = inner[1] + 1 if inner[1] < len(toks) and toks[inner[1]] == word else inner[1]
            return [*inner[0], word], end
    read = _read_value(toks, k, language=language, rules=rules)
    if read is None:
        return None
    out, j, scale = read
    # "1 juta 750 ribu": groups of falling scale add up
    while scale > 1 and j < len(toks):
        nxt = _read_value(toks, j, language=language, rules=rules)
        if nxt is None or not 1 < nxt[2] < scale or len(nxt[0]) != 1:
            break
        total = Decimal(out[0].replace(rules.decimal_mark, ".")) + Decimal(
            nxt[0][0].replace(rules.decimal_mark, ".")
        )
        out, j, scale = [_fmt(total, mark=rules.decimal_mark)], nxt[1], nxt[2]
    return out, j


@functools.lru_cache(maxsize=1 << 16)
def _word_tokens(word: str, language: str) -> tuple[str, ...]:
    """The tokens one written word stands for, informal forms expanded (cached: calls repeat their words)."""
    informal = informal_lexicon(language)
    rules = spelling_rules(language)
    times = "kali" if language == "id" else "times"
    out: list[str] = []
    for piece in _clean(word, percent=rules.percent).split():
        for sub in piece.split("-") if not _is_reduplication(piece) else [piece]:
            if not sub:
                continue
            m = _TIMES_RE.match(sub)
            parts = (
                [m.group(1), times, m.group(2)]
                if m
                else _split_word(sub.replace("×", "x"), rules=rules, informal=informal)
            )
            for tok in parts:
                out.extend(informal.get(tok, tok).split())
    return tuple(out)


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
    NormWords with standard spelling and numbers as digits: "dua puluh empat" -> "24", "2x24" ->
    "2 kali 24", informal forms expanded ("makasih" -> "terima kasih", "gak" -> "tidak"), prepositions
    apart ("dimana" -> "di mana", "dibantu" stays), amounts whole ("Rp1.750.000", "1,5 juta", "rp 50 ribu",
    "satu juta tujuh ratus lima puluh ribu rupiah" -> "1750000 rupiah"), "50%" -> "50 persen".
    """
    rules = spelling_rules(language)
    expanded: list[tuple[str, int]] = []
    for i, w in enumerate(words):
        expanded.extend((t, i) for t in _word_tokens(w, language))
        if mark_questions and w.rstrip().endswith("?"):
            expanded.append(("?", i))
    toks = [t for t, _ in expanded]
    tokens: list[str] = []
    origin: list[tuple[int, int]] = []
    k = 0
    while k < len(expanded):
        tok, i = expanded[k]
        amount = _read_amount(toks, k, language=language, rules=rules)
        if amount is not None:
            out, end = amount
            # every token of an amount spans all its words: "rupiah" may come from a symbol written first
            span = (i, expanded[end - 1][1])
            tokens.extend(out)
            origin.extend([span] * len(out))
            k = end
            continue
        tokens.append(rules.currency.get(tok, tok))  # a symbol with no amount after it: "rp" -> "rupiah"
        origin.append((i, i))
        k += 1
    return NormWords(tuple(tokens), tuple(origin))


def wer_tokens(text: str, *, language: str = "id") -> list[str]:
    """Tokens for word error rate: :func:`normalize_words`, then every number digit by digit.

    Whisper groups a digit string as it likes ("246", "24 6") and a speaker reads it either way, so "119",
    "seratus sembilan belas" and "satu satu sembilan" are the same three tokens.

    >>> wer_tokens("Nomornya 119, gak bisa")
    ['nomornya', '1', '1', '9', 'tidak', 'bisa']
    """
    out: list[str] = []
    for tok in normalize_words(text.split(), language=language).tokens:
        if tok.isdigit():
            out.extend(tok)
        else:
            out.append(tok)
    return out


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
