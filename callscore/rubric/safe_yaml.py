"""Safe YAML for rubrics: plain data only, bounded in size, depth and alias expansion, with line numbers.

A rubric is untrusted input (issue 16): a 539-byte file of nested aliases took 142 s and 874 MB to load.
Here the text is at most ``MAX_RUBRIC_BYTES``, nesting is checked on the (iterative) event stream before
the recursive composer sees it, and expanding aliases stops at ``MAX_NODES`` values. Only the standard
tags are accepted (no ``!!python/object``). Every value keeps the line it started on, for
``FILE:LINE: what is wrong`` messages.
"""

from __future__ import annotations

import re
from typing import Any

from callscore.errors import RubricError

MAX_RUBRIC_BYTES = 256 * 1024  # the built-in rubrics are ~16 KB
MAX_DEPTH = 32  # nesting of mappings/lists (the built-in rubrics use 5)
MAX_NODES = 20_000  # values after alias expansion (the built-in rubrics have ~720)

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class RubricProblems(RubricError):
    """Every problem found in one rubric file, each ``FILE:LINE: what is wrong``.

    ``str()`` is one line (the first problem and how many more), for commands that load a rubric to use
    it; ``rubric check`` prints ``problems``, one per line.

    Attributes:
        problems: The problems in line order.
    """

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(sorted(problems, key=_line_of))
        more = len(self.problems) - 1
        first = self.problems[0] if self.problems else "invalid rubric"
        tail = (
            f" (and {more} more problem{'s' if more > 1 else ''}: run 'callscore rubric check')"
            if more
            else ""
        )
        super().__init__(first + tail)


def _line_of(problem: str) -> int:
    m = re.search(r":(\d+): ", problem)
    return int(m.group(1)) if m else 0


class Problems:
    """Collects the problems of one file so that validation can go on past the first."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, e: RubricError) -> None:
        """Record ``e`` (every problem of it, for a RubricProblems)."""
        if isinstance(e, RubricProblems):
            self.found.extend(e.problems)
        else:
            self.found.append(str(e))


class Located:
    """A composed YAML value with the line it started on."""

    __slots__ = ("value", "line")

    def __init__(self, value: Any, line: int) -> None:
        self.value = value
        self.line = line


def _yaml_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same rules, faster


def compose(text: str, source: str) -> Located:
    import yaml

    if len(text) > MAX_RUBRIC_BYTES:
        raise RubricError(
            f"{source}:1: rubric is {len(text):,} characters; at most {MAX_RUBRIC_BYTES:,} are read"
        )
    loader = _yaml_loader()
    try:
        # events first (an iterative parser): refuses deep nesting before the recursive composer sees it
        depth = 0
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    raise RubricError(f"{source}:{line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise RubricError(f"{source}:{line}: invalid YAML ({e.problem or e.context})") from e
    except yaml.YAMLError as e:
        raise RubricError(f"{source}:1: invalid YAML ({' '.join(str(e).split())})") from e
    except RecursionError as e:  # pragma: no cover - the depth check comes first
        raise RubricError(f"{source}:1: nested too deeply") from e
    if node is None:
        raise RubricError(f"{source}:1: the rubric file is empty")
    return _walk(node, source, [0], 0, yaml.SafeLoader(""))


def _walk(node: Any, source: str, count: list[int], depth: int, loader: Any) -> Located:
    """Plain values from the node graph; aliases are expanded, within ``MAX_NODES`` and ``MAX_DEPTH``."""
    import yaml

    line = node.start_mark.line + 1
    count[0] += 1
    if count[0] > MAX_NODES:
        raise RubricError(
            f"{source}:{line}: more than {MAX_NODES:,} values once aliases are expanded (alias bomb?)"
        )
    if depth > MAX_DEPTH:
        raise RubricError(f"{source}:{line}: nested more than {MAX_DEPTH} levels deep (recursive alias?)")
    if node.tag not in _SAFE_TAGS:
        raise RubricError(
            f"{source}:{line}: YAML tag {node.tag!r} is not allowed in a rubric (plain data only)"
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Located] = {}
        for k, v in node.value:
            key = _walk(k, source, count, depth + 1, loader)
            if not isinstance(key.value, str):
                raise RubricError(f"{source}:{key.line}: keys must be text, got {short(key.value)}")
            if key.value in out:
                raise RubricError(f"{source}:{key.line}: duplicate key {key.value!r}")
            out[key.value] = _walk(v, source, count, depth + 1, loader)
        return Located(out, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_walk(v, source, count, depth + 1, loader) for v in node.value], line)
    try:
        value = loader.construct_object(node)
    except Exception as e:  # noqa: BLE001 - yaml raises ValueError/OverflowError for e.g. 2020-13-45
        raise RubricError(f"{source}:{line}: cannot read value {short(node.value)} ({e})") from None
    return Located(value, line)


def short(v: object) -> str:
    """A value for a one-line message: repr, cut to 60 characters."""
    r = repr(v) if not isinstance(v, Located) else repr(v.value)
    r = " ".join(r.split())
    return r if len(r) <= 60 else r[:57] + "..."
