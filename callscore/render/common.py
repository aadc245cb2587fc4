"""Helpers shared by the scorecard writers: time formatting, item ordering, speaker roles, transcript blocks.

Nothing here formats for one output; each writer module turns these plain values into its own markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, Evidence, ItemResult, Scorecard
from callscore.transcript.model import AGENT, CUSTOMER, Transcript

BLOCK_GAP = 1.0  # s: a pause longer than this starts a new transcript block for the same speaker
BLOCK_MAX_LEN = 30.0  # s: a longer monologue is split into several blocks
HIGHLIGHT_TOLERANCE = 0.05  # s: word times and evidence times may disagree by this much
HIGHLIGHT_MAX_SPAN = 30.0  # s: longer evidence (e.g. "whole call") is not highlighted word by word

STATUS_LABELS = {
    PASS: "pass",
    FAIL: "fail",
    NOT_APPLICABLE: "not applicable",
    NOT_MEASURED: "not measured",
}
ROLE_LABELS = {AGENT: "Agent", CUSTOMER: "Customer"}
DEFAULT_CHANNEL_ROLES = {"S0": AGENT, "S1": CUSTOMER}


def fmt_ts(seconds: float | None) -> str:
    """``mm:ss`` (``h:mm:ss`` past an hour) for a time in seconds; "--:--" when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    total = max(0, int(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def fmt_duration(seconds: float | None) -> str:
    """Seconds for people: "7.2 s" below a minute, else "m:ss"."""
    if seconds is None or not math.isfinite(seconds):
        return "unknown"
    if seconds < 60:
        return f"{seconds:.1f} s"
    return fmt_ts(seconds)


def fmt_score(total: float | None) -> str:
    """Score text: "72.5", "100", or "n/a" when no item could be scored."""
    return "n/a" if total is None else f"{total:.1f}".removesuffix(".0")


def fmt_weight(weight: float) -> str:
    """Weight without a useless ".0"."""
    return f"{weight:g}"


def fmt_value(value: object) -> str:
    """A metric or item value for people: floats to 3 significant digits, None as "n/a"."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "n/a"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt_value(v) for v in value)
    return str(value)


def verdict(card: Scorecard) -> str:
    """Call verdict: "FAIL" if a critical item failed, else "PASS", or "NOT SCORED" when nothing was."""
    if card.critical_failed or card.critical_failures:
        return "FAIL"
    return "NOT SCORED" if card.total is None else "PASS"


@dataclass(frozen=True)
class Summary:
    """The plain-text facts the table and Markdown reports open with (each writer escapes and styles them).

    Attributes:
        verdict: "PASS", "FAIL" or "NOT SCORED".
        critical: "(2 critical items failed)": how many critical items failed.
        counts: "3 passed · 1 failed · 0 not applicable · 0 not measured".
        rubric_name: Rubric name (its id when it has none).
        rubric: "<id> v<version>".
        duration: Call length as shown.
        created: When it was scored, as shown, or "".
    """

    verdict: str
    critical: str
    counts: str
    rubric_name: str
    rubric: str
    duration: str
    created: str


def summary(card: Scorecard) -> Summary:
    """What :class:`Summary` says about ``card``."""
    crit = card.critical_failures
    counts = status_counts(card.items)
    return Summary(
        verdict=verdict(card),
        critical=f"({len(crit)} critical item{'s' if len(crit) != 1 else ''} failed)",
        counts=(
            f"{counts[PASS]} passed · {counts[FAIL]} failed · {counts[NOT_APPLICABLE]} not applicable · "
            f"{counts[NOT_MEASURED]} not measured"
        ),
        rubric_name=card.rubric_name or card.rubric_id,
        rubric=f"{card.rubric_id} v{card.rubric_version}",
        duration=fmt_duration(card.duration),
        created=fmt_created(card.created) if card.created else "",
    )


def ordered_items(card: Scorecard) -> tuple[ItemResult, ...]:
    """Critical failures first, then every other item in the scorecard's order."""
    crit = card.critical_failures
    return crit + tuple(i for i in card.items if i not in crit)


def status_counts(items: Iterable[ItemResult]) -> dict[str, int]:
    """Number of items per status, all four statuses present."""
    counts = {s: 0 for s in STATUS_LABELS}
    for i in items:
        counts[i.status] = counts.get(i.status, 0) + 1
    return counts


def scalar_metrics(metrics: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Metrics that print on one line (numbers, strings, booleans, None), in their given order."""
    return [(k, v) for k, v in metrics.items() if v is None or isinstance(v, (int, float, str, bool))]


def one_line(text: str) -> str:
    """Collapse whitespace and newlines so quotes fit a table cell or a list line."""
    return " ".join(str(text).split())


def speaker_roles(transcript: Transcript | None) -> dict[str, str | None]:
    """Speaker label -> role; without assigned speakers channel 0 ("S0") is the agent, 1 the customer."""
    if transcript is None or not transcript.speakers:
        return dict(DEFAULT_CHANNEL_ROLES)
    return {s.label: s.role for s in transcript.speakers}


def speaker_name(label: str | None, role: str | None) -> str:
    """Display name: "Agent", "Customer", or "Speaker <label>" when the role is unknown."""
    if role in ROLE_LABELS:
        return ROLE_LABELS[role]
    return f"Speaker {label}" if label else "Unknown"


def evidence_who(ev: Evidence) -> str:
    """Who the evidence is about, for a quote line ("Agent", "Customer", "S2" or "")."""
    if ev.role in ROLE_LABELS:
        return ROLE_LABELS[ev.role]
    return ev.speaker or ""


@dataclass(frozen=True)
class BlockWord:
    """A word placed in a transcript block.

    Attributes:
        index: Position of the word in the whole call, in time order.
        start: Seconds.
        end: Seconds.
        text: The word, stripped.
    """

    index: int
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Block:
    """Consecutive words of one speaker, as shown in a chat-like transcript.

    Attributes:
        index: Position of the block in the call.
        speaker: Speaker label.
        role: "agent"/"customer"/None.
        start: Seconds.
        end: Seconds.
        words: The words in time order.
    """

    index: int
    speaker: str
    role: str | None
    start: float
    end: float
    words: tuple[BlockWord, ...]

    @property
    def text(self) -> str:
        """Words joined by spaces."""
        return " ".join(w.text for w in self.words)


def transcript_blocks(
    transcript: Transcript, *, gap: float = BLOCK_GAP, max_len: float = BLOCK_MAX_LEN
) -> tuple[Block, ...]:
    """Split a call into speaker blocks, ordered by start time, for a chat-like transcript.

    Each speaker's words are grouped on their own, so talking over each other gives two blocks (one per
    speaker) rather than alternating single words. A block ends at a pause longer than ``gap`` s or once
    it is ``max_len`` s long. Words without a speaker label take the speaker of their channel, else
    ``S<channel>``; segments without word timestamps count as one word spanning the segment.
    """
    roles = speaker_roles(transcript)
    by_channel = {s.channel: s.label for s in transcript.speakers if s.channel is not None}
    raw: list[tuple[float, float, str, str]] = []
    for seg in transcript.segments:
        if seg.words:
            for w in seg.words:
                label = w.speaker or by_channel.get(w.channel) or f"S{w.channel}"
                raw.append((w.start, max(w.end, w.start), label, w.text.strip()))
        elif seg.text.strip():
            label = seg.speaker or by_channel.get(seg.channel) or f"S{seg.channel}"
            raw.append((seg.start, max(seg.end, seg.start), label, seg.text.strip()))
    raw.sort(key=lambda r: (r[0], r[2]))
    groups: list[tuple[str, list[BlockWord]]] = []
    open_group: dict[str, list[BlockWord]] = {}
    for idx, (start, end, label, text) in enumerate(raw):
        current = open_group.get(label)
        if current is None or start - current[-1].end > gap or start - current[0].start > max_len:
            current = []
            open_group[label] = current
            groups.append((label, current))
        current.append(BlockWord(idx, start, end, text))
    groups.sort(key=lambda g: (g[1][0].start, g[1][0].index))
    return tuple(_block(n, label, roles.get(label), words) for n, (label, words) in enumerate(groups))


def _block(index: int, speaker: str, role: str | None, words: Sequence[BlockWord]) -> Block:
    return Block(index, speaker, role, words[0].start, max(w.end for w in words), tuple(words))


def evidence_covers(
    ev: Evidence,
    *,
    start: float,
    end: float,
    speaker: str,
    role: str | None,
    tol: float = HIGHLIGHT_TOLERANCE,
) -> bool:
    """True when a word (``start``..``end`` s, by ``speaker``) lies inside the evidence passage.

    Evidence longer than ``HIGHLIGHT_MAX_SPAN`` is about the call as a whole and covers no single word. A
    word counts when its midpoint falls in the passage; the speaker must match when the evidence names
    one (by label, else by role).
    """
    if ev.end - ev.start > HIGHLIGHT_MAX_SPAN:
        return False
    mid = 0.5 * (start + end)
    if not (ev.start - tol <= mid <= ev.end + tol):
        return False
    if ev.speaker:
        return ev.speaker == speaker
    if ev.role:
        return ev.role == role
    return True


def block_at(blocks: Sequence[Block], t: float) -> Block | None:
    """The block being spoken at ``t`` s, else the last block starting before it, else the first."""
    if not blocks:
        return None
    inside = [b for b in blocks if b.start - HIGHLIGHT_TOLERANCE <= t <= b.end + HIGHLIGHT_TOLERANCE]
    if inside:
        return inside[0]
    before = [b for b in blocks if b.start <= t]
    return before[-1] if before else blocks[0]


def anchor_id(item_id: str) -> str:
    """An HTML id/fragment-safe form of a rubric item id ("item-<id>")."""
    return "item-" + re.sub(r"[^A-Za-z0-9_-]+", "-", item_id)


def fmt_created(created: str) -> str:
    """An ISO-8601 time as "2026-11-23 09:30 UTC" (other zones keep their offset); unparsable text as is."""
    from datetime import datetime, timezone

    try:
        dt = datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
    except ValueError:
        return created
    if dt.tzinfo is not None and dt.utcoffset() == timezone.utc.utcoffset(None):
        return dt.strftime("%Y-%m-%d %H:%M UTC")
    return dt.strftime("%Y-%m-%d %H:%M %z").strip()
