"""Per-language data for detection: number words, cue phrases, e-mail words, months, name stop words.

The data lives in ``callscore/pii/lang/<language>.yaml`` (as whisper keeps its English spelling map in a data
file), so a new language is a new file, not new code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .types import PiiError

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class NumberWords:
    """How numbers are spoken.

    Attributes:
        digits: Word -> digit 0..9.
        words: Word -> whole number it stands for ("sepuluh" 10, "twenty" 20, "seratus" 100).
        teen: Words that turn the unit before into 10+unit ("belas").
        tens: Words that multiply the unit before by ten ("puluh").
        hundred: Words that multiply by 100.
        thousand: Words that multiply by 1000.
        million: Words that multiply by 1,000,000.
        repeat: Word -> how many times the next digit is said ("double" 2).
        joiners: Words allowed inside a compound number ("hundred and five").
        fillers: Words that may sit inside a number being read out without ending it.
    """

    digits: dict[str, int]
    words: dict[str, int]
    teen: frozenset[str]
    tens: frozenset[str]
    hundred: frozenset[str]
    thousand: frozenset[str]
    million: frozenset[str]
    repeat: dict[str, int]
    joiners: frozenset[str]
    fillers: frozenset[str]

    @functools.cached_property
    def spelled(self) -> frozenset[str]:
        """Every number word, the vocabulary run-together readings are cut into ("nollima")."""
        return frozenset(
            (*self.digits, *self.words, *self.teen, *self.tens, *self.hundred, *self.thousand, *self.million)
        )

    def is_number_word(self, token: str) -> bool:
        """True for any word that is part of a spoken number."""
        return (
            token in self.digits
            or token in self.words
            or token in self.teen
            or token in self.tens
            or token in self.hundred
            or token in self.thousand
            or token in self.million
            or token in self.repeat
        )


@dataclass(frozen=True)
class Lexicon:
    """Everything detection needs to know about one language.

    Attributes:
        language: Language code.
        numbers: Spoken number words.
        cues: PII type (or "not_pii", "name_weak", "name_questions") -> cue phrases as word tuples.
        honorifics: Words said before a name ("pak", "ibu", "mr").
        number_units: Words after a number that make it an amount or duration.
        email: "at", "dot", "underscore", "dash", "tlds", "stop" -> words.
        months: Month word -> 1..12.
        date_glue: Words allowed inside a spoken date.
        ordinals: Ordinal word -> day number ("seventeenth" 17).
        ordinal_suffixes: Suffixes after a day number ("17th").
        name_stop: Words that are never part of a name.
        not_names: Capitalised words that are not people: brands, banks, products, places.
        name_followers: Words that may follow a name after a weak cue (else the name must end a clause).
        name_openers: Words an answer to "atas nama siapa?" may open with before the name ("iya, saya").
        name_max_words: Longest name taken after a cue.
    """

    language: str
    numbers: NumberWords
    cues: dict[str, tuple[tuple[str, ...], ...]]
    honorifics: frozenset[str]
    number_units: frozenset[str]
    email: dict[str, frozenset[str]]
    months: dict[str, int]
    date_glue: frozenset[str]
    ordinals: dict[str, int]
    ordinal_suffixes: tuple[str, ...]
    name_stop: frozenset[str]
    not_names: frozenset[str]
    name_followers: frozenset[str]
    name_openers: frozenset[str]
    name_max_words: int


def _words(items: Any) -> frozenset[str]:
    return frozenset(str(x).lower() for x in (items or ()))


@functools.lru_cache(maxsize=8)
def load_lexicon(language: str) -> Lexicon:
    """The shipped lexicon of ``language`` ("id" or "en"), parsed once per process.

    Raises
    ------
    PiiError
        No data file for the language, or a file that lacks a required section.
    """
    lang = (language or "id").lower().split("-")[0]
    path = resources.files("callscore.pii") / "lang" / f"{lang}.yaml"
    if not path.is_file():
        raise PiiError(
            f"callscore/pii/lang/{lang}.yaml: no personal-data lexicon for language {language!r} "
            f"(available: {', '.join(LANGUAGES)})"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        n = data["numbers"]
        numbers = NumberWords(
            digits={str(k).lower(): int(v) for k, v in n["digits"].items()},
            words={str(k).lower(): int(v) for k, v in (n.get("words") or {}).items()},
            teen=_words(n.get("teen")),
            tens=_words(n.get("tens")),
            hundred=_words(n.get("hundred")),
            thousand=_words(n.get("thousand")),
            million=_words(n.get("million")),
            repeat={str(k).lower(): int(v) for k, v in (n.get("repeat") or {}).items()},
            joiners=_words(n.get("joiners")),
            fillers=_words(n.get("fillers")),
        )
        cues = {
            str(kind): tuple(tuple(str(p).lower().split()) for p in phrases or ())
            for kind, phrases in data["cues"].items()
        }
        d = data["dates"]
        return Lexicon(
            language=lang,
            numbers=numbers,
            cues=cues,
            honorifics=_words(data.get("honorifics")),
            number_units=_words(data.get("number_units")),
            email={k: _words(v) for k, v in data["email"].items()},
            months={str(k).lower(): int(v) for k, v in d["months"].items()},
            date_glue=_words(d.get("glue")),
            ordinals={str(k).lower(): int(v) for k, v in (d.get("ordinals") or {}).items()},
            ordinal_suffixes=tuple(str(s) for s in d.get("ordinal_suffixes") or ()),
            name_stop=_words(data["names"]["stop"]),
            not_names=_words(data["names"].get("not_names")),
            name_followers=_words(data["names"].get("followers")),
            name_openers=_words(data["names"].get("answer_openers")),
            name_max_words=int(data["names"].get("max_words", 4)),
        )
    except (KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as e:
        raise PiiError(f"callscore/pii/lang/{lang}.yaml: malformed lexicon ({e})") from e
