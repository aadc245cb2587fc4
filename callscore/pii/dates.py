"""Dates as they are said and as Whisper writes them: "17 Agustus 1990", "17-08-1990", "tujuh belas Agustus
sembilan belas sembilan puluh", "tanggal 17 bulan 8 tahun 1990", "August 17, 1990", "the 17th of August".

Only the parsing lives here; whether a date is a date of birth is the detector's call (a cue before it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexicon import Lexicon
from .numbers import Atom, number_atoms

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


def parse_date(window: Sequence[str], lex: Lexicon) -> tuple[int, str] | None:
    """The date that starts ``window``, as (index of its last word, ISO date), or None.

    Parameters
    ----------
    window : normalised words (lower case, no outer punctuation) from where the date may start
    lex : the language's months, ordinals and number words

    A date without a year is returned as "--MM-DD" when the month was a word ("17 Agustus"); a day and
    a numeric month alone ("17 8") are not a date.
    """
    if not window:
        return None
    m = _NUMERIC_DATE.match(window[0])
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), _year(int(m.group(3)), len(m.group(3)))
        return (0, f"{y:04d}-{mo:02d}-{d:02d}") if 1 <= d <= 31 and 1 <= mo <= 12 else None
    if window[0] in lex.date_glue:
        return None  # the date starts at its first number or month, not at "tanggal"
    atoms = number_atoms([_strip_ordinal(w, lex) for w in window], lex.numbers)
    k = 0
    month: int | None = None
    day: int | None = None
    end = -1
    month_word = False
    if window[0] in lex.months:  # "August 17, 1990"
        month, k, month_word = lex.months[window[0]], 1, True
        k = _skip(window, k, lex.date_glue)
        day, end, k = _day_at(window, k, atoms, lex)
        if day is None:
            return None
    else:
        day, end, k = _day_at(window, 0, atoms, lex)
        if day is None:
            return None
        k = _skip(window, k, lex.date_glue)
        if k < len(window) and window[k] in lex.months:
            month, end, k, month_word = lex.months[window[k]], k, k + 1, True
        else:
            a = _atom_at(atoms, k)
            if a is None or not 1 <= int(a.digits) <= 12 or a.first != k:
                return None
            month, end, k = int(a.digits), a.last, a.last + 1
    k = _skip(window, k, lex.date_glue)
    year, y_end = _year_at(atoms, k)
    if year is not None:
        end = y_end
    elif not month_word:
        return None  # day and numeric month without a year is too weak ("17 8" could be anything)
    iso = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return end, iso


def _strip_ordinal(word: str, lex: Lexicon) -> str:
    m = _ORDINAL_DIGITS.match(word)
    if m and m.group(2) in lex.ordinal_suffixes:
        return m.group(1)
    if word in lex.ordinals:
        return str(lex.ordinals[word])
    return word


def _skip(window: Sequence[str], k: int, words: frozenset[str]) -> int:
    while k < len(window) and window[k] in words:
        k += 1
    return k


def _atom_at(atoms: Sequence[Atom], k: int) -> Atom | None:
    return next((a for a in atoms if a.first == k), None)


def _day_at(
    window: Sequence[str], k: int, atoms: Sequence[Atom], lex: Lexicon
) -> tuple[int | None, int, int]:
    """(day, its last index, next index) of a day number starting at ``k``."""
    a = _atom_at(atoms, k)
    if a is None or not a.digits.isdigit() or not 1 <= int(a.digits) <= 31 or len(a.digits) > 2:
        return None, -1, k
    day, end = int(a.digits), a.last
    # "twenty first" / "dua puluh satu" is one atom already; "the 17th of"
    return day, end, end + 1


def _year(value: int, width: int) -> int:
    if width == 2:
        return 2000 + value if value <= 30 else 1900 + value
    return value


def _year_at(atoms: Sequence[Atom], k: int) -> tuple[int | None, int]:
    """(year, last index) of a year starting at ``k``: "1990", "90", "sembilan belas sembilan puluh",
    "nineteen ninety", "dua ribu lima", "satu sembilan sembilan nol"."""
    seq = [a for a in atoms if a.first >= k]
    if not seq or seq[0].first != k:
        return None, -1
    a = seq[0]
    v = int(a.digits) if a.digits.isdigit() else -1
    if len(a.digits) == 4 and 1900 <= v <= 2099:
        return v, a.last
    if v in (19, 20) and len(seq) > 1 and seq[1].first == a.last + 1 and len(seq[1].digits) <= 2:
        y = v * 100 + int(seq[1].digits)
        return y, seq[1].last
    if len(seq) >= 4 and all(len(x.digits) == 1 for x in seq[:4]):
        y = int("".join(x.digits for x in seq[:4]))
        if 1900 <= y <= 2099 and all(seq[i + 1].first == seq[i].last + 1 for i in range(3)):
            return y, seq[3].last
    if len(a.digits) == 2:
        return _year(v, 2), a.last
    return None, -1
