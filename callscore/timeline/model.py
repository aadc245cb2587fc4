"""The timeline's data: turns, overlaps and silences of a call, and the options they were found with.

Built from word times (:mod:`callscore.timeline.from_words`) or from voice activity
(:mod:`callscore.timeline.from_audio`); the definitions are in docs/timing.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from callscore.resources import DEFAULT_LANGUAGES, language_data
from callscore.transcript.model import AGENT, CUSTOMER

# Words that only signal listening, and the address terms that join them for scoring, of every shipped
# language (calls mix them: "iya, okay"), from ``rubrics/lang/<code>/backchannels.yaml``.
BACKCHANNELS = frozenset(
    str(w)
    for lang in DEFAULT_LANGUAGES
    for w in language_data(lang, "backchannels").get("backchannels") or ()
)
ADDRESS_TERMS = frozenset(
    str(w)
    for lang in DEFAULT_LANGUAGES
    for w in language_data(lang, "backchannels").get("address_terms") or ()
)


@dataclass(frozen=True)
class TimelineOptions:
    """Settings of the timeline.

    Attributes:
        turn_gap: A pause longer than this (s) ends a turn.
        min_overlap: Shortest overlap (s) that can count as an interruption.
        backchannel_max_words: Overlapping speech of at most this many words, all back-channel words,
            is a back-channel, not an interruption.
        non_talk: Silences longer than this (s) count towards non-talk time.
        dead_air: Silences longer than this (s) are flagged as dead air.
        hold_min: Silences with sound but no speech longer than this (s) are holds.
        backchannels: Words that only signal listening.
        long_hold: Holds longer than this (s) are flagged (Calabrio flags holds over 2 minutes).
    """

    turn_gap: float = 1.0
    min_overlap: float = 0.5
    backchannel_max_words: int = 2
    non_talk: float = 3.0
    dead_air: float = 5.0
    hold_min: float = 5.0
    backchannels: frozenset[str] = BACKCHANNELS
    long_hold: float = 120.0


# "iya Pak", "baik Bu", "yes sir" only signal listening: for scoring, address terms join the back-channel
# words and a back-channel may be three words long.
SCORING_TIMELINE = TimelineOptions(backchannels=BACKCHANNELS | ADDRESS_TERMS, backchannel_max_words=3)


@dataclass(frozen=True)
class Span:
    """Speech of one speaker between two times (s). Attributes: speaker, start, end, text."""

    speaker: str
    start: float
    end: float
    text: str = ""


@dataclass(frozen=True)
class Turn:
    """A speaker's uninterrupted run of speech.

    Attributes:
        speaker: Speaker label.
        role: "agent"/"customer"/None.
        start: Seconds from call start.
        end: Seconds.
        text: What was said.
        n_words: Number of words.
    """

    speaker: str
    role: str | None
    start: float
    end: float
    text: str
    n_words: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


@dataclass(frozen=True)
class Overlap:
    """Both speakers talking at once.

    Attributes:
        start: Seconds.
        end: Seconds.
        by: Speaker who started later (talked over the other).
        by_role: Role of ``by``.
        held_by: Speaker who was talking already.
        held_by_role: Role of ``held_by``.
        text: What ``by`` said during the overlap.
        kind: "interruption", "backchannel" or "brief" (shorter than ``min_overlap``, or at a turn end).
    """

    start: float
    end: float
    by: str
    by_role: str | None
    held_by: str
    held_by_role: str | None
    text: str
    kind: str

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


@dataclass(frozen=True)
class Silence:
    """Nobody speaking.

    Attributes:
        start: Seconds.
        end: Seconds.
        kind: "gap" (plain silence) or "hold" (sound on the line, no speech).
        before: Speaker who spoke last before it (None at the start of the call).
        after: Speaker who speaks next (None at the end).
    """

    start: float
    end: float
    kind: str = "gap"
    before: str | None = None
    after: str | None = None

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


@dataclass(frozen=True)
class Timeline:
    """Turns, overlaps and silences of a call.

    Attributes:
        duration: Call length (s).
        turns: All turns in time order.
        overlaps: All overlaps, classified.
        silences: Gaps between speech (inside the call, not before the first word or after the last) longer
            than ``options.non_talk``, plus holds.
        talk_time: Speaker label -> seconds of speech.
        roles: Speaker label -> role.
        options: Settings used.
        source: "words" (word timestamps) or "vad" (voice activity on the audio).
    """

    duration: float
    turns: tuple[Turn, ...]
    overlaps: tuple[Overlap, ...]
    silences: tuple[Silence, ...]
    talk_time: Mapping[str, float]
    roles: Mapping[str, str | None]
    options: TimelineOptions = field(default_factory=TimelineOptions)
    source: str = "words"

    def interruptions(self, *, by_role: str | None = AGENT) -> tuple[Overlap, ...]:
        """Overlaps classified as interruptions, optionally only those made by ``by_role``."""
        return tuple(
            o for o in self.overlaps if o.kind == "interruption" and (by_role is None or o.by_role == by_role)
        )

    def dead_air(self, min_duration: float | None = None) -> tuple[Silence, ...]:
        """Silences (not holds) longer than ``min_duration`` (default ``options.dead_air``)."""
        bar = self.options.dead_air if min_duration is None else min_duration
        return tuple(s for s in self.silences if s.kind == "gap" and s.duration > bar)

    def holds(self) -> tuple[Silence, ...]:
        """Silences with sound on the line but no speech (hold music, tones)."""
        return tuple(s for s in self.silences if s.kind == "hold")

    def long_holds(self, min_duration: float | None = None) -> tuple[Silence, ...]:
        """Holds longer than ``min_duration`` (default ``options.long_hold``)."""
        bar = self.options.long_hold if min_duration is None else min_duration
        return tuple(s for s in self.holds() if s.duration > bar)

    def non_talk_time(self) -> float:
        """Seconds of silences longer than ``options.non_talk`` (Contact Lens' definition)."""
        return sum(s.duration for s in self.silences if s.duration > self.options.non_talk)

    def role_talk_time(self, role: str) -> float:
        """Seconds of speech by all speakers with ``role``."""
        return sum(t for spk, t in self.talk_time.items() if self.roles.get(spk) == role)

    def talk_ratio(self) -> float | None:
        """Agent talk time / (agent + customer talk time); None when roles are unknown or nobody talked."""
        agent, customer = self.role_talk_time(AGENT), self.role_talk_time(CUSTOMER)
        return agent / (agent + customer) if agent + customer > 0 else None

    def turns_of(self, role: str) -> tuple[Turn, ...]:
        """Turns by speakers with ``role``."""
        return tuple(t for t in self.turns if t.role == role)


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    """Plain-JSON form of a timeline (recorded in the scorecard, so renderers draw what scoring counted)."""
    body = asdict(timeline)
    body["options"]["backchannels"] = sorted(timeline.options.backchannels)
    body["talk_time"] = dict(timeline.talk_time)
    body["roles"] = dict(timeline.roles)
    return body


def timeline_from_dict(data: Mapping[str, Any]) -> Timeline:
    """Rebuild a Timeline from :func:`timeline_to_dict` output (KeyError/TypeError on a malformed one)."""
    opts = dict(data.get("options") or {})
    if "backchannels" in opts:
        opts["backchannels"] = frozenset(opts["backchannels"])
    return Timeline(
        duration=float(data["duration"]),
        turns=tuple(Turn(**t) for t in data.get("turns", ())),
        overlaps=tuple(Overlap(**o) for o in data.get("overlaps", ())),
        silences=tuple(Silence(**s) for s in data.get("silences", ())),
        talk_time={str(k): float(v) for k, v in (data.get("talk_time") or {}).items()},
        roles=dict(data.get("roles") or {}),
        options=TimelineOptions(**opts),
        source=str(data.get("source", "words")),
    )
