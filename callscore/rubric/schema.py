"""Rubric files: safe YAML loading with line numbers, schema validation and the built-in rubrics.

A rubric is a YAML file with an id, name, version and language, named **triggers** (things a speaker says
that make other items apply, e.g. a customer complaint) and **items**. Each item has an id, title,
description, weight, ``critical`` flag and a ``kind`` with its own parameters (see ``KIND_PARAMS`` and
``docs/rubrics.md``). Loading never constructs arbitrary objects: YAML is composed with PyYAML's
SafeLoader, any non-standard tag (``!!python/object``, ...) is refused, and every error reads
``FILE:LINE: what is wrong`` so that it can be fixed without guessing.

A rubric is untrusted input (issue 16): :mod:`callscore.rubric.safe_yaml` bounds its size, nesting and
alias expansion (a 539-byte alias bomb used to take minutes and gigabytes); here every number must be
finite, every pattern compiles on the linear-time RE2 engine (:mod:`callscore.rubric.patterns`) and each
kind (and timing measure) takes only its own parameters. Validation goes on past the first problem:
:class:`RubricProblems` carries every one.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callscore.errors import ModelError, RubricError
from callscore.rubric.patterns import compile_pattern
from callscore.rubric.safe_yaml import MAX_DEPTH as MAX_DEPTH  # re-exported: the limits live there
from callscore.rubric.safe_yaml import MAX_NODES as MAX_NODES
from callscore.rubric.safe_yaml import MAX_RUBRIC_BYTES, RubricProblems
from callscore.rubric.safe_yaml import Located as _Loc
from callscore.rubric.safe_yaml import Problems as _Problems
from callscore.rubric.safe_yaml import compose as _compose
from callscore.rubric.safe_yaml import short as _short
from callscore.rubric.textnorm import DEFAULT_SIMILARITY

RUBRIC_SUFFIXES = (".yaml", ".yml")
DEFAULT_RUBRIC = {"id": "id-contact-centre", "en": "en-contact-centre"}
LANGUAGES = ("id", "en")
# a trigger's sentiment gate: a sentence needs this many content words ("tidak" alone is an answer)
DEFAULT_SENTIMENT_MIN_WORDS = 3
# a tone item's blame signal (callscore.rubric.blame): P(negative) that, with the customer framed as the one
# at fault, fails it; and the higher bar for a sentence that only opens with the customer as its subject
DEFAULT_BLAME_NEGATIVE = 0.5
DEFAULT_BLAME_SUBJECT_NEGATIVE = 0.95
# a learned gate (callscore.rubric.acts): the least P(act) of the words around a match that keeps it, and
# how many of the role's sentences on each side of the match's sentence the model reads
DEFAULT_LEARNED_P = 0.5
DEFAULT_LEARNED_CONTEXT = 3
# fewest words the model must read to veto: it learnt from whole customer sides (9 in 10 of 19 words or
# more), and on a lone short report ("aplikasinya tidak bisa dibuka": P 0.38) it is guessing
DEFAULT_LEARNED_MIN_WORDS = 12
ROLES = ("agent", "customer")
KINDS = ("phrase_present", "phrase_absent", "conditional", "timing", "prosody", "tone", "sentiment")
MEASURES = ("interruptions", "dead_air", "hold", "talk_ratio", "monologue")
PROSODY_FEATURES = ("calm", "confidence")
POLARITIES = ("positive", "negative")
SENTIMENT_MEASURES = ("customer_left_no_worse", "agent_tone_non_negative", "positive_language")


# Parameter schema per kind: name -> (type name, required). Types: str, num, int, bool, role, strs,
# window, continuations, range, names, blame, and enumerations given as tuples.
_COMMON: dict[str, tuple[Any, bool]] = {
    "id": ("str", True),
    "title": ("str", True),
    "description": ("str", True),
    "kind": (KINDS, True),
    "weight": ("num", True),
    "critical": ("bool", False),
}
_PHRASES: dict[str, tuple[Any, bool]] = {
    "role": (ROLES, True),
    "phrases": ("strs", False),
    "patterns": ("patterns", False),
    "min_similarity": ("similarity", False),
    "examples": ("strs", False),
    "near_misses": ("strs", False),
    "min_meaning": ("similarity", False),
}
KIND_PARAMS: dict[str, dict[str, tuple[Any, bool]]] = {
    "phrase_present": {
        **_PHRASES,
        "window": ("window", False),
        "min_count": ("int", False),
        "echo": ("echo", False),
    },
    "phrase_absent": {
        **_PHRASES,
        "allowed_continuations": ("continuations", False),
        # an admission of the speaker's own: a hit said of the other party ("kalau Bapak tidak tahu
        # nomornya ...", "if you don't know it ...") is not one (CallContext.said_of_other)
        "said_of_self": ("bool", False),
    },
    "conditional": {**_PHRASES, "when": ("names", True), "within": ("num", False)},
    "timing": {
        "measure": (MEASURES, True),
        "role": (ROLES, False),
        "max_count": ("int", False),
        "min_overlap": ("num", False),
        "allow_backchannel": ("bool", False),
        "min_duration": ("num", False),
        "range": ("range", False),
        "max_seconds": ("num", False),
        "ask_phrases": ("strs", False),
        "thank_phrases": ("strs", False),
        "ask_within": ("num", False),
        "thank_within": ("num", False),
        "excuse_announced": ("bool", False),
    },
    "prosody": {"feature": (PROSODY_FEATURES, True), "min_score": ("num", True)},
    "tone": {
        **_PHRASES,
        "polarity": (POLARITIES, True),
        "blame": ("blame", False),
        "opposite": ("strs", False),
        "opposite_examples": ("strs", False),
        "min_count": ("int", False),
    },
    "sentiment": {
        "measure": (SENTIMENT_MEASURES, True),
        "tolerance": ("num", False),
        "complaint_below": ("num", False),
        "min_gain": ("num", False),
        "min_confidence": ("num", False),
        "exempt_phrases": ("strs", False),
        # positive_language: the agent's phrasing, found as the tone kind finds it (meaning included)
        **{k: v for k, v in _PHRASES.items() if k != "role"},
        "opposite": ("strs", False),
        "opposite_examples": ("strs", False),
        "min_count": ("int", False),
    },
}
# The timing parameters each measure reads (callscore.rubric.checks); any other is refused, not ignored.
MEASURE_PARAMS: dict[str, tuple[str, ...]] = {
    "interruptions": ("role", "max_count", "min_overlap", "allow_backchannel"),
    "dead_air": ("min_duration", "max_count", "excuse_announced", "ask_phrases", "ask_within"),
    "hold": ("min_duration", "ask_phrases", "thank_phrases", "ask_within", "thank_within", "max_seconds"),
    "talk_ratio": ("range",),
    "monologue": ("role", "max_seconds", "max_count"),
}
POSITIVE_ONLY = ("opposite", "min_count")
NEGATIVE_ONLY = (
    "blame",
)  # tone parameters read only with polarity: negative  # tone parameters read only with polarity: positive
_TOP: dict[str, tuple[Any, bool]] = {
    "id": ("str", True),
    "name": ("str", True),
    "version": ("str", True),
    "language": (LANGUAGES, True),
    "description": ("str", False),
    "deprecated": ("bool", False),
    "successor": ("str", False),
    "similarity": ("similarity", False),
    "triggers": ("mapping", False),
    "items": ("list", True),
}


class RubricDeprecationWarning(UserWarning):
    """Issued when a deprecated rubric is loaded; the message names its successor."""


@dataclass(frozen=True)
class SentimentGate:
    """A trigger's second, list-free way to open: a sentence the bundled sentiment model rates negative.

    Phrase and example lists know only the wordings someone thought of; a problem report in other words
    ("udah tiga kali ke kantor, disuruh balik lagi") is still negative, so the model catches it.

    Attributes:
        negative: Least P(negative), 0..1, of a sentence that opens the trigger.
        min_words: Least content words in that sentence (short answers are rated on one word).
        negated: The sentence must also hold a negator ("belum", "nggak", "not"): a problem report says what
            does not work, while the model also rates neutral requests with "saja" / "cuma" negative.
    """

    negative: float
    min_words: int = DEFAULT_SENTIMENT_MIN_WORDS
    negated: bool = False


@dataclass(frozen=True)
class BlameGate:
    """A negative tone item's list-free way to fail: the customer framed as the one at fault.

    Blaming lists know only the wordings someone thought of; "Bapak aja yang nggak baca" and "you should
    have asked for a signature" blame in any words, but always make the customer the actor or owner of the
    fault (:mod:`callscore.rubric.blame`). A frame that is also polite ("ibu yang daftar kemarin ya")
    needs a second sign: a negator after the customer, an obligation word, or the sentiment model.

    Attributes:
        negative: Least P(negative), 0..1, that with a cleft, owner or obligation frame fails the item.
        subject_negative: Least P(negative) for a sentence that only opens with the customer as subject.
    """

    negative: float = DEFAULT_BLAME_NEGATIVE
    subject_negative: float = DEFAULT_BLAME_SUBJECT_NEGATIVE


@dataclass(frozen=True)
class LearnedGate:
    """A trigger's second opinion on what its phrases found, from a learned act model (``rubric.acts``).

    Phrases and examples match words; the same words can sit in a call where the act never happened ("habis
    ini saya mampir" is no complaint; "kami tidak ada solusinya" is no next step). The model reads the
    match's sentence with ``context`` sentences of the same role on each side, and a match whose words it
    rates below ``p`` is vetoed (kept as evidence, with the probability and the words that weighed most).

    Attributes:
        model: Head of the bundled act model of the rubric's language ("problem", "solution", "cause").
        p: Least P(act) that keeps a match, 0..1.
        context: Sentences of the role read on each side of the match's own.
        min_words: Fewest words read for a veto; a match with fewer around it is kept.
    """

    model: str
    p: float = DEFAULT_LEARNED_P
    context: int = DEFAULT_LEARNED_CONTEXT
    min_words: int = DEFAULT_LEARNED_MIN_WORDS


@dataclass(frozen=True)
class Trigger:
    """Something a speaker says that makes conditional items apply ("the customer complains").

    Attributes:
        name: Name items refer to in ``when`` / ``window.after``.
        role: Who must say it: "agent" or "customer".
        phrases: Phrases (fuzzy-matched after normalisation).
        patterns: Regular expressions on the normalised text.
        line: Line in the rubric file.
        examples: Sentences whose meaning opens it (:mod:`callscore.rubric.meaning`).
        near_misses: Sentences that veto a hit in a sentence they match better than any example.
        sentiment: Also opens on a sentence rated this negative, or None.
        learned: Vetoes the matches a learned act model does not read as the trigger, or None.
    """

    name: str
    role: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    line: int = 0
    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()
    sentiment: SentimentGate | None = None
    learned: LearnedGate | None = None


@dataclass(frozen=True)
class RubricItem:
    """One item of a rubric.

    Attributes:
        id: Stable identifier (reports and label files use it).
        title: Short title.
        description: What it checks and which guideline it comes from.
        kind: One of ``KINDS``.
        weight: Weight in the total (>= 0).
        critical: A failure fails the whole call.
        params: Kind-specific parameters as validated (see ``KIND_PARAMS``).
        line: Line in the rubric file.
    """

    id: str
    title: str
    description: str
    kind: str
    weight: float
    critical: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    def __post_init__(self) -> None:
        # the total is a weighted mean: one infinite weight made it NaN (issue 16)
        if isinstance(self.weight, bool) or not (math.isfinite(self.weight) and self.weight >= 0):
            raise RubricError(f"item {self.id!r}: weight must be a finite number >= 0, got {self.weight}")


@dataclass(frozen=True)
class Rubric:
    """A validated rubric.

    Attributes:
        id: Identifier ("id-contact-centre").
        name: Human-readable name.
        version: Version string.
        language: "id" or "en" (selects normalisation).
        description: Free text.
        items: Items in file order.
        triggers: Trigger name -> Trigger.
        similarity: Default fuzzy-match similarity 0..1 for phrases.
        deprecated: True when superseded.
        successor: Rubric to use instead, when deprecated.
        source: File it was loaded from.
    """

    id: str
    name: str
    version: str
    language: str
    description: str = ""
    items: tuple[RubricItem, ...] = ()
    triggers: Mapping[str, Trigger] = field(default_factory=dict)
    similarity: float = DEFAULT_SIMILARITY
    deprecated: bool = False
    successor: str = ""
    source: str = ""

    def item(self, item_id: str) -> RubricItem | None:
        """The item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)


def _number(v: Any, where: str, *, whole: bool = False) -> float | int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (whole and not isinstance(v, int)):
        raise RubricError(f"{where}: must be a {'whole ' if whole else ''}number, got {_short(v)}")
    try:
        finite = math.isfinite(v)
    except OverflowError:
        finite = False
    if not finite or abs(v) > 1e12:
        raise RubricError(f"{where}: must be a finite number, got {_short(v)}")
    if v < 0:
        raise RubricError(f"{where}: must not be negative, got {v}")
    return v


def _check(kind: Any, loc: _Loc, name: str, source: str) -> Any:
    """Validate one value against a schema type; returns the plain value."""
    v, line = loc.value, loc.line
    where = f"{source}:{line}: {name}"
    if isinstance(kind, tuple):
        if not isinstance(v, str) or v not in kind:
            raise RubricError(f"{where}: {_short(v)} is not one of {', '.join(kind)}")
        return v
    if kind == "str":
        if isinstance(v, (int, float)) and not isinstance(v, bool) and name.endswith("version"):
            return str(v)
        if not isinstance(v, str) or not v.strip():
            raise RubricError(f"{where}: must be non-empty text, got {_short(v)}")
        return v
    if kind in ("num", "int"):
        n = _number(v, where, whole=kind == "int")
        return float(n) if kind == "num" else n
    if kind == "similarity":
        n = float(_number(v, where))
        if not 0 < n <= 1:
            hint = f" (similarity is 0-1: write {n / 100:g}, not {n:g})" if 1 < n <= 100 else ""
            raise RubricError(f"{where}: must be in (0, 1], got {n:g}{hint}")
        return n
    if kind == "bool":
        if not isinstance(v, bool):
            raise RubricError(f"{where}: must be true or false, got {_short(v)}")
        return v
    if kind in ("strs", "names"):
        items = [loc] if kind == "names" and isinstance(v, str) else v
        if not isinstance(items, list) or not items:
            raise RubricError(f"{where}: must be a non-empty list of text")
        return tuple(_check("str", x, name, source) for x in items)
    if kind == "patterns":
        if not isinstance(v, list) or not v:
            raise RubricError(f"{where}: must be a non-empty list of regular expressions")
        found = _Problems()
        out = []
        for x in v:
            try:
                text = _check("str", x, name, source)
                compile_pattern(text)
                _refuse_nested_repeat(text)
                out.append(text)
            except RubricError as e:
                found.add(e if str(e).startswith(source) else RubricError(f"{source}:{x.line}: {name}: {e}"))
        if found.found:
            raise RubricProblems(found.found)
        return tuple(out)
    if kind == "range":
        if not isinstance(v, list) or len(v) != 2:
            raise RubricError(f"{where}: must be [low, high]")
        lo, hi = (_check("num", x, name, source) for x in v)
        if lo > hi:
            raise RubricError(f"{where}: low {lo:g} is above high {hi:g}")
        if hi > 1:
            raise RubricError(f"{where}: a talk share is 0-1, got high {hi:g}")
        return (lo, hi)
    if kind == "window":
        spec = {
            "first": ("num", False),
            "last": ("num", False),
            "after": ("str", False),
            "within": ("num", False),
        }
        w = _mapping(loc, spec, name, source)
        if sum(k in w for k in ("first", "last", "after")) != 1:
            raise RubricError(f"{where}: give exactly one of first, last or after")
        if "within" in w and "after" not in w:
            raise RubricError(f"{where}: within is only read with after")
        return w
    if kind == "trigger_sentiment":
        spec = {"negative": ("num", True), "min_words": ("int", False), "negated": ("bool", False)}
        gate = _mapping(loc, spec, name, source)
        neg = gate["negative"]
        if not 0 < neg <= 1:
            hint = f" (a probability is 0-1: write {neg / 100:g}, not {neg:g})" if 1 < neg <= 100 else ""
            raise RubricError(f"{where}.negative: must be a probability in (0, 1], got {neg:g}{hint}")
        if gate.get("min_words", DEFAULT_SENTIMENT_MIN_WORDS) < 1:
            raise RubricError(f"{where}.min_words: must be at least 1, got {gate['min_words']}")
        return SentimentGate(
            neg, gate.get("min_words", DEFAULT_SENTIMENT_MIN_WORDS), gate.get("negated", False)
        )
    if kind == "blame":
        spec = {"negative": ("num", False), "subject_negative": ("num", False)}
        raw = _mapping(loc, spec, name, source)
        for key in spec:
            p = raw.get(key)
            if p is not None and not 0 < p <= 1:
                hint = f" (a probability is 0-1: write {p / 100:g}, not {p:g})" if 1 < p <= 100 else ""
                line = loc.value[key].line
                raise RubricError(
                    f"{source}:{line}: {name}.{key}: must be a probability in (0, 1], got {p:g}{hint}"
                )
        return BlameGate(
            raw.get("negative", DEFAULT_BLAME_NEGATIVE),
            raw.get("subject_negative", DEFAULT_BLAME_SUBJECT_NEGATIVE),
        )
    if kind == "learned":
        spec = {
            "model": ("str", True),
            "p": ("num", False),
            "context": ("int", False),
            "min_words": ("int", False),
        }
        raw = _mapping(loc, spec, name, source)
        p = raw.get("p", DEFAULT_LEARNED_P)
        if not 0 < p < 1:
            hint = f" (a probability is 0-1: write {p / 100:g}, not {p:g})" if 1 < p <= 100 else ""
            raise RubricError(f"{where}.p: must be a probability in (0, 1), got {p:g}{hint}")
        if not 0 <= raw.get("context", DEFAULT_LEARNED_CONTEXT) <= 10:
            raise RubricError(f"{where}.context: 0 to 10 sentences on each side, got {raw['context']}")
        if raw.get("min_words", DEFAULT_LEARNED_MIN_WORDS) < 1:
            raise RubricError(f"{where}.min_words: must be at least 1, got {raw['min_words']}")
        return LearnedGate(
            raw["model"],
            p,
            raw.get("context", DEFAULT_LEARNED_CONTEXT),
            raw.get("min_words", DEFAULT_LEARNED_MIN_WORDS),
        )
    if kind == "echo":
        spec = {
            "min_shared": ("int", True),
            "cues": ("strs", False),
            "lookback": ("int", False),
        }
        echo = _mapping(loc, spec, name, source)
        if echo["min_shared"] < 2:
            raise RubricError(f"{where}: min_shared must be at least 2 (one shared word is chance)")
        if not 1 <= echo.get("lookback", 2) <= 5:
            raise RubricError(f"{where}: lookback is 1 to 5 of the other role's turns")
        return echo
    if kind == "continuations":
        spec = {
            "phrases": ("strs", False),
            "patterns": ("patterns", False),
            "examples": ("strs", False),  # a promise to find out in other words ("saya cek sekarang ke tim")
            # what looks like one but sends the customer to find out ("bapak coba tanya ke bea cukai")
            "near_misses": ("strs", False),
            "within": ("num", True),
            # the follow-up must name the speaker ("saya cek", "let me check"): "tidak tahu, coba cek di
            # aplikasi" sends the customer, it promises nothing (CallContext.names_speaker)
            "first_person": ("bool", False),
        }
        c = _mapping(loc, spec, name, source)
        if not c.get("phrases") and not c.get("patterns") and not c.get("examples"):
            raise RubricError(f"{where}: needs phrases, patterns or examples")
        return c
    raise AssertionError(kind)  # pragma: no cover - schema typo


# A repeated group whose whole body is one repeated atom: "(a+)+", "((\\w*))*", "(x{2,}){2,}". Our RE2 engine
# runs it in linear time, but the same rubric hangs any backtracking engine it is copied into (Python re took
# 56 s on 31 characters) and it never means more than the flat form, so rubric check refuses it and names the
# fix. Groups whose body has more than the one atom ("( [^ ]+){1,16}": each round starts with a space) are
# unambiguous and stay allowed.
_REPEAT = re.compile(r"(?:[+*]|\{\d*,\d*\})\??")
_ONE_REPEATED_ATOM = re.compile(r"(?:\\.|\[(?:\\.|[^\]])*\]|[^()\\|])(?:[+*]|\{\d*,\d*\})\??")


def _body_is_one_repeat(body: str) -> bool:
    body = body.removeprefix("?:")
    while body.startswith("(") and body.endswith(")") and _closing(body, 0) == len(body) - 1:
        body = body[1:-1].removeprefix("?:")
    return _ONE_REPEATED_ATOM.fullmatch(body) is not None


def _closing(pattern: str, start: int) -> int:
    """Index of the ")" that closes the "(" at ``start`` (-1 if none), skipping escapes and classes."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1 + (pattern[i + 1 : i + 2] == "^")
            j += pattern[j : j + 1] == "]"
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _nested_repeat(pattern: str) -> str | None:
    """The first repeated group whose body is one repeated atom, or None."""
    for start, c in enumerate(pattern):
        if c != "(" or (start and pattern[start - 1] == "\\"):
            continue
        end = _closing(pattern, start)
        rep = _REPEAT.match(pattern, end + 1) if end > 0 else None
        if rep and _body_is_one_repeat(pattern[start + 1 : end]):
            return pattern[start : rep.end()]
    return None


def _refuse_nested_repeat(pattern: str) -> None:
    if nested := _nested_repeat(pattern):
        raise RubricError(
            f"pattern {pattern!r} repeats a repeated group {nested!r}: catastrophic in backtracking "
            "regex engines and never needed (write the repeat once, e.g. '(a+)+' as 'a+')"
        )


def _mapping(loc: _Loc, spec: Mapping[str, tuple[Any, bool]], name: str, source: str) -> dict[str, Any]:
    """Check every field of a mapping; raises RubricProblems naming every bad or missing field."""
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: {name} must be a mapping of keys to values")
    out: dict[str, Any] = {}
    found = _Problems()
    for key, sub in loc.value.items():
        if key not in spec:
            found.add(
                RubricError(
                    f"{source}:{sub.line}: unknown field {key!r} in {name} (allowed: {', '.join(spec)})"
                )
            )
            continue
        try:
            out[key] = _check(spec[key][0], sub, key if name == "rubric" else f"{name}.{key}", source)
        except RubricError as e:
            found.add(e)
    for key, (_, required) in spec.items():
        if required and key not in loc.value:
            found.add(RubricError(f"{source}:{loc.line}: {name} is missing required field {key!r}"))
    if found.found:
        raise RubricProblems(found.found)
    return out


def parse_rubric(text: str, *, source: str = "<rubric>", models: bool = True) -> Rubric:
    """Validate rubric YAML text and build a Rubric.

    Raises RubricError naming ``source:LINE`` for a file that cannot be read as YAML, and RubricProblems
    (a RubricError) listing every problem for one that breaks the schema. ``models=False`` skips checking
    ``learned`` gates against the bundled act models (their trainer reads the rubric before they exist).
    """
    root = _compose(text, source)
    if not isinstance(root.value, dict):
        raise RubricError(f"{source}:{root.line}: a rubric must be a mapping with id, name, items, ...")
    found = _Problems()
    # triggers and items have their own validation below
    plain = {k: v for k, v in root.value.items() if k not in ("triggers", "items")}
    fields = {k: v for k, v in _TOP.items() if k not in ("triggers", "items")}
    top: dict[str, Any] = {}
    try:
        top = _mapping(_Loc(plain, root.line), fields, "rubric", source)
    except RubricError as e:
        found.add(e)
    triggers: dict[str, Trigger] = {}
    try:
        triggers = _triggers(root.value.get("triggers"), source)
    except RubricError as e:
        found.add(e)
    items: list[RubricItem] = []
    items_loc = root.value.get("items")
    if items_loc is None:
        found.add(RubricError(f"{source}:{root.line}: rubric is missing required field 'items'"))
    elif not isinstance(items_loc.value, list) or not items_loc.value:
        found.add(RubricError(f"{source}:{items_loc.line}: items must be a non-empty list"))
    else:
        seen: dict[str, int] = {}
        trigger_names = set(triggers) | set(_trigger_names(root.value.get("triggers")))
        for loc in items_loc.value:
            try:
                item = _item(loc, trigger_names, source)
            except RubricError as e:
                found.add(e)
                continue
            if item.id in seen:
                found.add(
                    RubricError(
                        f"{source}:{loc.line}: duplicate item id {item.id!r} (first on line {seen[item.id]})"
                    )
                )
            seen[item.id] = loc.line
            items.append(item)
    if top.get("successor") and not top.get("deprecated"):
        found.add(RubricError(f"{source}:{root.line}: successor is only meaningful with deprecated: true"))
    if top.get("deprecated") and not top.get("successor"):
        found.add(RubricError(f"{source}:{root.line}: a deprecated rubric must name its successor"))
    if models and top.get("language") in LANGUAGES:
        _check_learned(top["language"], triggers, source, found)
    if found.found:
        raise RubricProblems(found.found)
    return Rubric(
        id=top["id"],
        name=top["name"],
        version=top["version"],
        language=top["language"],
        description=top.get("description", ""),
        items=tuple(items),
        triggers=triggers,
        similarity=top.get("similarity", DEFAULT_SIMILARITY),
        deprecated=top.get("deprecated", False),
        successor=top.get("successor", ""),
        source=source,
    )


def _check_learned(language: str, triggers: Mapping[str, Trigger], source: str, found: _Problems) -> None:
    """Every ``learned.model`` names a head of the bundled act model of the rubric's language."""
    gates = [(f"trigger {t.name!r}", t.line, t.learned) for t in triggers.values() if t.learned]
    if not gates:
        return
    from callscore.rubric.acts import act_model

    try:
        heads = act_model(language).heads
    except ModelError as e:
        found.add(RubricError(f"{source}: learned gates need the act model ({e})"))
        return
    for label, line, gate in gates:
        if gate.model not in heads:
            found.add(
                RubricError(
                    f"{source}:{line}: {label}: learned.model {gate.model!r} is not a head of the {language} "
                    f"act model (known: {', '.join(heads)})"
                )
            )


def _trigger_names(loc: _Loc | None) -> list[str]:
    """Names defined under ``triggers`` even where a trigger itself is invalid (reported once, there)."""
    return list(loc.value) if loc is not None and isinstance(loc.value, dict) else []


def _triggers(loc: _Loc | None, source: str) -> dict[str, Trigger]:
    if loc is None:
        return {}
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: triggers must be a mapping of name -> {{role, phrases}}")
    out = {}
    found = _Problems()
    spec = {
        "role": (ROLES, True),
        "phrases": ("strs", False),
        "patterns": ("patterns", False),
        "examples": ("strs", False),
        "near_misses": ("strs", False),
        "sentiment": ("trigger_sentiment", False),
        "learned": ("learned", False),
    }
    for name, sub in loc.value.items():
        try:
            t = _mapping(sub, spec, f"trigger {name}", source)
        except RubricError as e:
            found.add(e)
            continue
        if not any(t.get(k) for k in ("phrases", "patterns", "examples", "sentiment")):
            found.add(
                RubricError(
                    f"{source}:{sub.line}: trigger {name!r} needs phrases, patterns, examples or sentiment"
                )
            )
            continue
        out[name] = Trigger(
            name,
            t["role"],
            t.get("phrases", ()),
            t.get("patterns", ()),
            sub.line,
            t.get("examples", ()),
            t.get("near_misses", ()),
            t.get("sentiment"),
            t.get("learned"),
        )
    if found.found:
        raise RubricProblems(found.found)
    return out


def _item(loc: _Loc, triggers: set[str], source: str) -> RubricItem:
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: each item must be a mapping (id, title, kind, weight, ...)")
    item_id = loc.value.get("id")
    label = f"item {item_id.value!r}" if item_id is not None and isinstance(item_id.value, str) else "item"
    kind_loc = loc.value.get("kind")
    if kind_loc is None:
        raise RubricError(f"{source}:{loc.line}: {label} is missing required field 'kind'")
    kind = _check(KINDS, kind_loc, f"{label} kind", source)
    spec = {**_COMMON, **KIND_PARAMS[kind]}
    found = _Problems()
    values: dict[str, Any] = {}
    try:
        values = _mapping(loc, spec, label, source)
    except RubricError as e:
        found.add(e)
    params = {k: v for k, v in values.items() if k not in _COMMON}
    if (
        "phrases" in spec
        and "phrases" not in loc.value
        and "patterns" not in loc.value
        and "examples" not in loc.value
        and kind not in ("timing", "sentiment")
        and not any("unknown field" in f for f in found.found)  # a misspelt "phrases" says it better
    ):
        found.add(RubricError(f"{source}:{loc.line}: {label} ({kind}) needs phrases, patterns or examples"))
    refs = [(r, loc.value["when"].line) for r in params.get("when", ())]
    if "window" in params and "after" in params["window"]:
        refs.append((params["window"]["after"], loc.value["window"].line))
    for ref, line in refs:
        if ref not in triggers:
            known = ", ".join(sorted(triggers)) or "none defined"
            found.add(
                RubricError(f"{source}:{line}: {label} refers to unknown trigger {ref!r} (known: {known})")
            )
    if kind == "timing" and "measure" in params:
        _check_timing(params, loc, label, source, found)
    if kind == "tone":
        # each polarity's own parameters, refused under the other one
        only = {"negative": ("positive", POSITIVE_ONLY), "positive": ("negative", NEGATIVE_ONLY)}
        read_with, keys = only.get(str(params.get("polarity")), ("", ()))
        for key in keys:
            if key in loc.value:
                found.add(
                    RubricError(
                        f"{source}:{loc.value[key].line}: {label}: {key} is only read with polarity: "
                        f"{read_with}; remove it"
                    )
                )
    if kind == "prosody" and "min_score" in params and not 0 <= params["min_score"] <= 100:
        found.add(
            RubricError(
                f"{source}:{loc.value['min_score'].line}: {label} min_score must be in 0..100 (prosody "
                "scores)"
            )
        )
    if found.found:
        raise RubricProblems(found.found)
    return RubricItem(
        id=values["id"],
        title=values["title"],
        description=values["description"],
        kind=kind,
        weight=values["weight"],
        critical=values.get("critical", False),
        params=params,
        line=loc.line,
    )


def _check_timing(params: Mapping[str, Any], loc: _Loc, label: str, source: str, found: _Problems) -> None:
    need = {"talk_ratio": "range", "monologue": "max_seconds", "dead_air": "min_duration"}
    m = params["measure"]
    allowed = MEASURE_PARAMS[m]
    for key, sub in loc.value.items():
        if key in KIND_PARAMS["timing"] and key != "measure" and key not in allowed:
            found.add(
                RubricError(
                    f"{source}:{sub.line}: {label}: {key!r} is not read by measure {m} "
                    f"(it takes: {', '.join(allowed)})"
                )
            )
    if m in need and need[m] not in loc.value:
        found.add(RubricError(f"{source}:{loc.line}: {label} (timing {m}) needs {need[m]}"))
    if m == "hold" and not ("ask_phrases" in loc.value and "thank_phrases" in loc.value):
        found.add(
            RubricError(f"{source}:{loc.line}: {label} (timing hold) needs ask_phrases and thank_phrases")
        )


def builtin_rubrics() -> dict[str, Path]:
    """Built-in rubric name -> file."""
    from callscore.resources import data_dir

    folder = data_dir("rubrics")
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in RUBRIC_SUFFIXES}


def rubric_path(name_or_path: str | os.PathLike[str]) -> Path:
    """Resolve a rubric file path or a built-in rubric name to a file."""
    p = Path(name_or_path)
    if p.suffix in RUBRIC_SUFFIXES or p.exists():
        if not p.is_file():
            raise RubricError(f"{p}: rubric file not found")
        return p
    known = builtin_rubrics()
    if str(name_or_path) in known:
        return known[str(name_or_path)]
    raise RubricError(
        f"{name_or_path}: no such rubric file or built-in rubric (built-in: {', '.join(known) or 'none'})"
    )


def load_rubric(name_or_path: str | os.PathLike[str], *, models: bool = True) -> Rubric:
    """Load and validate a rubric by file path or built-in name; warns when it is deprecated.

    ``models=False``: do not check ``learned`` gates against the act models (see :func:`parse_rubric`).
    """
    path = rubric_path(name_or_path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_RUBRIC_BYTES + 1)  # never the whole of a huge (or endless) file
        if len(data) > MAX_RUBRIC_BYTES:
            raise RubricError(f"{path}: rubric is over {MAX_RUBRIC_BYTES:,} bytes; is this the right file?")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RubricError(f"{path}: cannot read rubric ({' '.join(str(e).split())})") from e
    rubric = parse_rubric(text, source=str(path), models=models)
    if rubric.deprecated:
        warnings.warn(
            f"rubric {rubric.id} {rubric.version} is deprecated; use {rubric.successor} instead",
            RubricDeprecationWarning,
            stacklevel=2,
        )
    return rubric
