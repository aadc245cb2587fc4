"""Rubric files: safe YAML loading with line numbers, schema validation and the built-in rubrics.

A rubric is a YAML file with an id, name, version and language, named **triggers** (things a speaker says
that make other items apply, e.g. a customer complaint) and **items**. Each item has an id, title,
description, weight, ``critical`` flag and a ``kind`` with its own parameters (see ``KIND_PARAMS`` and
``docs/rubrics.md``). Loading never constructs arbitrary objects: YAML is composed with PyYAML's
SafeLoader, any non-standard tag (``!!python/object``, ...) is refused, and every error reads
``FILE:LINE: what is wrong`` so that it can be fixed without guessing.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callscore.errors import RubricError
from callscore.rubric.textnorm import DEFAULT_SIMILARITY

RUBRIC_SUFFIXES = (".yaml", ".yml")
DEFAULT_RUBRIC = {"id": "id-contact-centre", "en": "en-contact-centre"}
LANGUAGES = ("id", "en")
ROLES = ("agent", "customer")
KINDS = ("phrase_present", "phrase_absent", "conditional", "timing", "prosody", "tone", "sentiment")
MEASURES = ("interruptions", "dead_air", "hold", "talk_ratio", "monologue")
PROSODY_FEATURES = ("calm", "confidence")
POLARITIES = ("positive", "negative")
SENTIMENT_MEASURES = ("customer_left_no_worse", "agent_tone_non_negative", "positive_language")

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

# Parameter schema per kind: name -> (type name, required). Types: str, num, int, bool, role, strs,
# window, continuations, range, names, and enumerations given as tuples.
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
    "patterns": ("strs", False),
    "min_similarity": ("num", False),
}
KIND_PARAMS: dict[str, dict[str, tuple[Any, bool]]] = {
    "phrase_present": {**_PHRASES, "window": ("window", False), "min_count": ("int", False)},
    "phrase_absent": {**_PHRASES, "allowed_continuations": ("continuations", False)},
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
        "opposite": ("strs", False),
        "min_count": ("int", False),
    },
    "sentiment": {
        "measure": (SENTIMENT_MEASURES, True),
        "tolerance": ("num", False),
        "complaint_below": ("num", False),
        "min_gain": ("num", False),
        "min_confidence": ("num", False),
        "exempt_phrases": ("strs", False),
        "phrases": ("strs", False),
        "patterns": ("strs", False),
        "opposite": ("strs", False),
        "min_similarity": ("num", False),
        "min_count": ("int", False),
    },
}
_TOP: dict[str, tuple[Any, bool]] = {
    "id": ("str", True),
    "name": ("str", True),
    "version": ("str", True),
    "language": (LANGUAGES, True),
    "description": ("str", False),
    "deprecated": ("bool", False),
    "successor": ("str", False),
    "similarity": ("num", False),
    "triggers": ("mapping", False),
    "items": ("list", True),
}


class RubricDeprecationWarning(UserWarning):
    """Issued when a deprecated rubric is loaded; the message names its successor."""


@dataclass(frozen=True)
class Trigger:
    """Something a speaker says that makes conditional items apply ("the customer complains").

    Attributes:
        name: Name items refer to in ``when`` / ``window.after``.
        role: Who must say it: "agent" or "customer".
        phrases: Phrases (fuzzy-matched after normalisation).
        patterns: Regular expressions on the normalised text.
        line: Line in the rubric file.
    """

    name: str
    role: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    line: int = 0


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


class _Loc:
    """A composed YAML value with the line it started on."""

    __slots__ = ("value", "line")

    def __init__(self, value: Any, line: int) -> None:
        self.value = value
        self.line = line


def _compose(text: str, source: str) -> _Loc:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise RubricError(f"{source}:{line}: invalid YAML ({e.problem or e.context})") from e
    except yaml.YAMLError as e:
        raise RubricError(f"{source}:1: invalid YAML ({e})") from e
    if node is None:
        raise RubricError(f"{source}:1: the rubric file is empty")
    return _walk(node, source)


def _walk(node: Any, source: str) -> _Loc:
    import yaml

    line = node.start_mark.line + 1
    if node.tag not in _SAFE_TAGS:
        raise RubricError(
            f"{source}:{line}: YAML tag {node.tag!r} is not allowed in a rubric (plain data only)"
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, _Loc] = {}
        for k, v in node.value:
            key = _walk(k, source)
            if not isinstance(key.value, str):
                raise RubricError(f"{source}:{key.line}: keys must be text, got {key.value!r}")
            if key.value in out:
                raise RubricError(f"{source}:{key.line}: duplicate key {key.value!r}")
            out[key.value] = _walk(v, source)
        return _Loc(out, line)
    if isinstance(node, yaml.SequenceNode):
        return _Loc([_walk(v, source) for v in node.value], line)
    try:
        value = yaml.SafeLoader("").construct_object(node)
    except yaml.YAMLError as e:
        raise RubricError(f"{source}:{line}: cannot read value {node.value!r} ({e})") from e
    return _Loc(value, line)


def _check(kind: Any, loc: _Loc, name: str, source: str) -> Any:
    """Validate one value against a schema type; returns the plain value."""
    v, line = loc.value, loc.line
    where = f"{source}:{line}: {name}"
    if isinstance(kind, tuple):
        if v not in kind:
            raise RubricError(f"{where}: {v!r} is not one of {', '.join(kind)}")
        return v
    if kind == "str":
        if isinstance(v, (int, float)) and not isinstance(v, bool) and name.endswith("version"):
            return str(v)
        if not isinstance(v, str) or not v.strip():
            raise RubricError(f"{where}: must be non-empty text")
        return v
    if kind in ("num", "int"):
        if (
            isinstance(v, bool)
            or not isinstance(v, (int, float))
            or (kind == "int" and not isinstance(v, int))
        ):
            raise RubricError(f"{where}: must be a {'whole ' if kind == 'int' else ''}number, got {v!r}")
        if v < 0:
            raise RubricError(f"{where}: must not be negative, got {v}")
        return float(v) if kind == "num" else v
    if kind == "bool":
        if not isinstance(v, bool):
            raise RubricError(f"{where}: must be true or false, got {v!r}")
        return v
    if kind in ("strs", "names"):
        items = [loc] if kind == "names" and isinstance(v, str) else v
        if not isinstance(items, list) or not items:
            raise RubricError(f"{where}: must be a non-empty list of text")
        return tuple(_check("str", x, name, source) for x in items)
    if kind == "range":
        if not isinstance(v, list) or len(v) != 2:
            raise RubricError(f"{where}: must be [low, high]")
        lo, hi = (_check("num", x, name, source) for x in v)
        if lo > hi:
            raise RubricError(f"{where}: low {lo} is above high {hi}")
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
        return w
    if kind == "continuations":
        spec = {"phrases": ("strs", False), "patterns": ("strs", False), "within": ("num", True)}
        c = _mapping(loc, spec, name, source)
        if not c.get("phrases") and not c.get("patterns"):
            raise RubricError(f"{where}: needs phrases or patterns")
        return c
    raise AssertionError(kind)  # pragma: no cover - schema typo


def _mapping(loc: _Loc, spec: Mapping[str, tuple[Any, bool]], name: str, source: str) -> dict[str, Any]:
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: {name} must be a mapping of keys to values")
    out: dict[str, Any] = {}
    for key, sub in loc.value.items():
        if key not in spec:
            raise RubricError(
                f"{source}:{sub.line}: unknown field {key!r} in {name} (allowed: {', '.join(spec)})"
            )
        out[key] = _check(spec[key][0], sub, key if name == "rubric" else f"{name}.{key}", source)
    for key, (_, required) in spec.items():
        if required and key not in out:
            raise RubricError(f"{source}:{loc.line}: {name} is missing required field {key!r}")
    return out


def parse_rubric(text: str, *, source: str = "<rubric>") -> Rubric:
    """Validate rubric YAML text and build a Rubric; raises RubricError naming ``source:LINE``."""
    root = _compose(text, source)
    if not isinstance(root.value, dict):
        raise RubricError(f"{source}:{root.line}: a rubric must be a mapping with id, name, items, ...")
    if "items" not in root.value:
        raise RubricError(f"{source}:{root.line}: rubric is missing required field 'items'")
    # triggers and items have their own validation below
    plain = {k: v for k, v in root.value.items() if k not in ("triggers", "items")}
    fields = {k: v for k, v in _TOP.items() if k not in ("triggers", "items")}
    top = _mapping(_Loc(plain, root.line), fields, "rubric", source)
    triggers = _triggers(root.value.get("triggers"), source)
    items_loc = root.value["items"]
    if not isinstance(items_loc.value, list) or not items_loc.value:
        raise RubricError(f"{source}:{items_loc.line}: items must be a non-empty list")
    items: list[RubricItem] = []
    seen: dict[str, int] = {}
    for loc in items_loc.value:
        item = _item(loc, triggers, source)
        if item.id in seen:
            raise RubricError(
                f"{source}:{loc.line}: duplicate item id {item.id!r} (first on line {seen[item.id]})"
            )
        seen[item.id] = loc.line
        items.append(item)
    if top.get("successor") and not top.get("deprecated"):
        raise RubricError(f"{source}:{root.line}: successor is only meaningful with deprecated: true")
    if top.get("deprecated") and not top.get("successor"):
        raise RubricError(f"{source}:{root.line}: a deprecated rubric must name its successor")
    sim = top.get("similarity", DEFAULT_SIMILARITY)
    if not 0 < sim <= 1:
        raise RubricError(
            f"{source}:{root.value['similarity'].line}: similarity must be in (0, 1], got {sim}"
        )
    return Rubric(
        id=top["id"],
        name=top["name"],
        version=top["version"],
        language=top["language"],
        description=top.get("description", ""),
        items=tuple(items),
        triggers=triggers,
        similarity=sim,
        deprecated=top.get("deprecated", False),
        successor=top.get("successor", ""),
        source=source,
    )


def _triggers(loc: _Loc | None, source: str) -> dict[str, Trigger]:
    if loc is None:
        return {}
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: triggers must be a mapping of name -> {{role, phrases}}")
    out = {}
    spec = {"role": (ROLES, True), "phrases": ("strs", False), "patterns": ("strs", False)}
    for name, sub in loc.value.items():
        t = _mapping(sub, spec, f"trigger {name}", source)
        if not t.get("phrases") and not t.get("patterns"):
            raise RubricError(f"{source}:{sub.line}: trigger {name!r} needs phrases or patterns")
        out[name] = Trigger(name, t["role"], t.get("phrases", ()), t.get("patterns", ()), sub.line)
    return out


def _item(loc: _Loc, triggers: Mapping[str, Trigger], source: str) -> RubricItem:
    if not isinstance(loc.value, dict):
        raise RubricError(f"{source}:{loc.line}: each item must be a mapping (id, title, kind, weight, ...)")
    item_id = loc.value.get("id")
    label = f"item {item_id.value!r}" if item_id is not None and isinstance(item_id.value, str) else "item"
    kind_loc = loc.value.get("kind")
    if kind_loc is None:
        raise RubricError(f"{source}:{loc.line}: {label} is missing required field 'kind'")
    kind = _check(KINDS, kind_loc, f"{label} kind", source)
    spec = {**_COMMON, **KIND_PARAMS[kind]}
    values = _mapping(loc, spec, label, source)
    params = {k: v for k, v in values.items() if k not in _COMMON}
    if (
        "phrases" in spec
        and kind not in ("timing", "sentiment")
        and not params.get("phrases")
        and not params.get("patterns")
    ):
        raise RubricError(f"{source}:{loc.line}: {label} ({kind}) needs phrases or patterns")
    refs = [(r, loc.value["when"].line) for r in params.get("when", ())]
    if "window" in params and "after" in params["window"]:
        refs.append((params["window"]["after"], loc.value["window"].line))
    for ref, line in refs:
        if ref not in triggers:
            known = ", ".join(triggers) or "none defined"
            raise RubricError(f"{source}:{line}: {label} refers to unknown trigger {ref!r} (known: {known})")
    if kind == "timing":
        _check_timing(params, loc, label, source)
    if kind == "prosody" and not 0 <= params["min_score"] <= 100:
        raise RubricError(f"{source}:{loc.line}: {label} min_score must be in 0..100 (prosody scores)")
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


def _check_timing(params: Mapping[str, Any], loc: _Loc, label: str, source: str) -> None:
    need = {"talk_ratio": "range", "monologue": "max_seconds", "dead_air": "min_duration"}
    m = params["measure"]
    if m in need and need[m] not in params:
        raise RubricError(f"{source}:{loc.line}: {label} (timing {m}) needs {need[m]}")
    if m == "hold" and not (params.get("ask_phrases") and params.get("thank_phrases")):
        raise RubricError(f"{source}:{loc.line}: {label} (timing hold) needs ask_phrases and thank_phrases")


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


def load_rubric(name_or_path: str | os.PathLike[str]) -> Rubric:
    """Load and validate a rubric by file path or built-in name; warns when it is deprecated."""
    path = rubric_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RubricError(f"{path}: cannot read rubric ({e})") from e
    rubric = parse_rubric(text, source=str(path))
    if rubric.deprecated:
        warnings.warn(
            f"rubric {rubric.id} {rubric.version} is deprecated; use {rubric.successor} instead",
            RubricDeprecationWarning,
            stacklevel=2,
        )
    return rubric
