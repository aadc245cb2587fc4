"""Rubric regular expressions on a linear-time engine (RE2), compiled once when the rubric is loaded.

Python's ``re`` backtracks: a rubric pattern such as ``(a+)+$`` takes seconds per extra character of one
word (issue 16: 56 s for 31 characters). RE2 (``google-re2``, BSD) matches in time linear in the text, so a
rubric cannot hang scoring. RE2 has no look-around or back-references; the one form the rubrics need,
"not preceded by these words" (``(?<!bisa )(?<!dapat )(saya|kami) bantu``), is kept as a bounded extension:
*leading* negative look-behinds of literal text are taken off the pattern and checked on the text just
before each match, which keeps the time linear and gives the same matches as ``re`` would. Likewise "not
followed by these words": a *trailing* ``(?! (kandung|saya)\\b)`` of literal words is checked on the tokens
right after each match.

Patterns match whole tokens of the normalised text (tokens joined by single spaces): a match starts at a
token start and ends at a token end, as ``(?<!\\S)(?:PATTERN)(?!\\S)`` does with ``re``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Protocol

from callscore.errors import RubricError

MAX_PATTERN_CHARS = 2000  # a rubric pattern longer than this is a mistake, not a phrase
MAX_PROGRAM_MEMORY = 8 << 20  # bytes RE2 may use for one compiled pattern (huge counted repeats)

# a leading (?<!literal) group: literal text only (no metacharacters), the one look-around RE2 lacks that
# the built-in rubrics use
_LOOKBEHIND = re.compile(r"\(\?<!((?:[^\\()\[\]{}.*+?|^$]|\\[\\()\[\]{}.*+?|^$ ])+)\)")
_UNESCAPE = re.compile(r"\\(.)")
# a trailing (?! word|(w1|w2)) group of literal words, optionally ending in \b: "not followed by these words"
_LOOKAHEAD = re.compile(r"\(\?! ?\(?((?:[\w ]+\|)*[\w ]+)\)?(?:\\b)?\)$")


class PatternMatch(Protocol):
    """What a match of the RE2 wrapper offers (the ``re.Match`` subset used here)."""

    def span(self, group: int = 0) -> tuple[int, int]:
        """(start, end) of ``group``."""
        ...


class Regex(Protocol):
    """A compiled RE2 program (the ``re.Pattern`` subset used here)."""

    def search(self, text: bytes, pos: int = 0) -> PatternMatch | None:
        """The leftmost match starting at or after ``pos``."""
        ...


@dataclass(frozen=True)
class CompiledPattern:
    """A rubric pattern ready to search normalised text.

    Attributes:
        source: The pattern as written in the rubric.
        not_after: Literal texts that must not come right before a match (the leading look-behinds).
        not_before: Whole words that must not come right after a match (a trailing look-ahead).
        regex: The RE2 program ``(?:^| )(core)(?: |$)``; group 1 is the match.
    """

    source: str
    not_after: tuple[str, ...]
    regex: Regex
    not_before: tuple[str, ...] = ()


def _re2() -> Any:
    try:
        import re2
    except ImportError as e:  # pragma: no cover - a core dependency
        raise RubricError(
            "google-re2 is not installed; it is a core dependency: pip install 'google-re2>=1.1'"
        ) from e
    return re2


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> CompiledPattern:
    """Compile a rubric pattern with RE2; raises RubricError (no file:line: the caller adds it).

    Unsupported syntax (look-ahead, look-behind other than a leading literal one, back-references) and
    invalid syntax are refused here, so a bad pattern fails ``rubric check``, never ``score``.
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RubricError(f"pattern is {len(pattern)} characters long (at most {MAX_PATTERN_CHARS})")
    not_after: list[str] = []
    core = pattern
    while m := _LOOKBEHIND.match(core):
        not_after.append(_UNESCAPE.sub(r"\1", m.group(1)))
        core = core[m.end() :]
    not_before: tuple[str, ...] = ()
    if ahead := _LOOKAHEAD.search(core):
        not_before = tuple(w.strip() for w in ahead.group(1).split("|") if w.strip())
        core = core[: ahead.start()]
    if re.search(r"\(\?<?[=!]", core):
        raise RubricError(
            f"pattern {pattern!r}: look-ahead/look-behind is not supported (only a leading (?<!words ) "
            "is); match the words instead"
        )
    if re.search(r"\\[1-9]|\(\?P=", core):
        raise RubricError(f"pattern {pattern!r}: back-references are not supported (RE2 engine)")
    re2 = _re2()
    options = re2.Options()
    options.max_mem = MAX_PROGRAM_MEMORY
    options.log_errors = False
    try:
        re2.compile(core, options)  # alone first, so that the error names the rubric's own text
        # bytes: the wrapper re-encodes a str text on every search, which made many matches quadratic
        regex = re2.compile(f"(?:^| )((?:{core}))(?: |$)".encode(), options)
    except Exception as e:  # noqa: BLE001 - re2.error, or plain errors from the wrapper for some inputs
        raise RubricError(f"pattern {pattern!r} is not a valid regular expression ({_why(e)})") from None
    return CompiledPattern(pattern, tuple(not_after), regex, not_before)


def _why(e: Exception) -> str:
    why = e.args[0] if e.args else e
    text = why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)
    return " ".join(text.split()) or type(e).__name__


def pattern_spans(compiled: CompiledPattern, text: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) character spans in ``text`` where the pattern matches whole tokens.

    ``text`` is normalised tokens joined by single spaces. Spans are leftmost-first, in order, as
    ``re.finditer`` gives them; the whole search is linear in ``len(text)``.
    """
    data = text.encode("utf-8")
    if len(data) == len(text):  # ASCII: byte offsets are character offsets
        char_at: list[int] | None = None
    else:
        char_at = [0] * (len(data) + 1)
        b = 0
        for i, ch in enumerate(text):
            n = len(ch.encode("utf-8"))
            char_at[b : b + n] = [i] * n
            b += n
        char_at[len(data)] = len(text)
    out: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(data):
        m = compiled.regex.search(data, pos)
        if m is None:
            break
        bs, be = m.span(1)
        start, end = (bs, be) if char_at is None else (char_at[bs], char_at[be])
        if any(text.endswith(w, 0, start) for w in compiled.not_after) or _followed_by(
            text, end, compiled.not_before
        ):
            pos = bs + 1
            continue
        out.append((start, end))
        # the space after this match can be the next match's leading one
        pos = max(be, bs + 1)
    return out


def _followed_by(text: str, end: int, words: tuple[str, ...]) -> bool:
    """True when one of ``words`` (whole words) comes right after the match ending at ``end``."""
    for w in words:
        after = end + 1 + len(w)
        if text.startswith(" " + w, end) and (after == len(text) or text[after] == " "):
            return True
    return False
