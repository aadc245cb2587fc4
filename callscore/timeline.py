"""Who spoke when: turns, overlaps (interruptions vs back-channels) and silences of a call.

Definitions (documented for QA leads in docs/timing.md):

- A **turn** is a run of one speaker's speech with no pause longer than ``turn_gap`` seconds.
- An **overlap** is a stretch where both speakers talk. The speaker who was talking first is ``held_by``;
  the one who started later is ``by``. It is an **interruption** when ``by`` starts while ``held_by`` is
  mid-turn (not in the last ``min_overlap`` s of it), the overlap lasts at least ``min_overlap`` s, and
  what ``by`` says during the overlap is not only a back-channel ("iya", "baik", "hmm", ...).
- A **silence** is a gap where neither speaker talks; ``non_talk`` counts those over 3 s (as Amazon
  Connect Contact Lens does), and ``dead_air`` is flagged past a configurable bar (5 s, as Google CCAI
  reports; Calabrio uses 10 s). A silence during which a channel carries sound but no speech (music,
  tones) is a **hold**.
- **Talk ratio** is agent talk time / (agent + customer talk time).

The builder here works from word timestamps alone, so it runs on a saved transcript JSON. Word times from
Whisper land within ~0.2 s of the audio; where the audio is at hand, ``speech_spans`` from voice activity
can replace them for tighter edges.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .transcript import AGENT, CUSTOMER, Transcript

BACKCHANNELS = frozenset(
    {
        "iya",
        "ya",
        "iyah",
        "yah",
        "he'eh",
        "heeh",
        "hmm",
        "hm",
        "mm",
        "mhm",
        "em",
        "eh",
        "oh",
        "o",
        "baik",
        "oke",
        "ok",
        "okay",
        "siap",
        "betul",
        "benar",
        "sip",
        "nah",
        "ooh",
        "aha",
        "ah",
        "yes",
        "yeah",
        "right",
        "sure",
        "uh-huh",
        "uh",
        "huh",
    }
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
ADDRESS_TERMS = frozenset(
    {"pak", "bapak", "bu", "ibu", "kak", "kakak", "mbak", "mas", "sir", "madam", "maam"}
)
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


def _norm_word(text: str) -> str:
    return re.sub(r"[^\w'-]+", "", text.lower())


def word_spans(transcript: Transcript) -> list[Span]:
    """One span per word, labelled by speaker (falling back to the channel when no speaker is set)."""
    return [
        Span(w.speaker or f"S{w.channel}", w.start, max(w.end, w.start), w.text.strip())
        for w in transcript.words()
    ]


def build_turns(
    spans: Sequence[Span], *, roles: Mapping[str, str | None], turn_gap: float
) -> tuple[Turn, ...]:
    """Merge each speaker's spans into turns (pause > ``turn_gap`` s starts a new turn)."""
    turns: list[Turn] = []
    by_speaker: dict[str, list[Span]] = {}
    for s in sorted(spans, key=lambda s: s.start):
        by_speaker.setdefault(s.speaker, []).append(s)
    for speaker, items in by_speaker.items():
        group: list[Span] = []
        for s in items:
            if group and s.start - group[-1].end > turn_gap:
                turns.append(_turn(speaker, roles.get(speaker), group))
                group = []
            group.append(s)
        if group:
            turns.append(_turn(speaker, roles.get(speaker), group))
    return tuple(sorted(turns, key=lambda t: (t.start, t.speaker)))


def _turn(speaker: str, role: str | None, group: Sequence[Span]) -> Turn:
    text = " ".join(s.text for s in group if s.text).strip()
    return Turn(speaker, role, group[0].start, max(s.end for s in group), text, len(text.split()))


def find_overlaps(
    turns: Sequence[Turn], spans: Sequence[Span], *, options: TimelineOptions
) -> tuple[Overlap, ...]:
    """Classify every stretch where turns of two speakers overlap.

    Parameters
    ----------
    turns : turns of all speakers, time-ordered
    spans : the word (or VAD) spans the turns were built from, to read what was said in the overlap
    options : thresholds
    """
    out: list[Overlap] = []
    for i, a in enumerate(turns):
        for b in turns[i + 1 :]:
            if b.start >= a.end:
                break
            if b.speaker == a.speaker:
                continue
            first, second = (a, b) if a.start <= b.start else (b, a)
            start, end = second.start, min(first.end, second.end)
            if end <= start:
                continue
            said = [s.text for s in spans if s.speaker == second.speaker and s.end > start and s.start < end]
            out.append(
                Overlap(
                    start=start,
                    end=end,
                    by=second.speaker,
                    by_role=second.role,
                    held_by=first.speaker,
                    held_by_role=first.role,
                    text=" ".join(said).strip(),
                    kind=_classify(first, second, start, end, said, options),
                )
            )
    return tuple(sorted(out, key=lambda o: o.start))


def _classify(
    first: Turn,
    second: Turn,
    start: float,
    end: float,
    said: Sequence[str],
    options: TimelineOptions,
) -> str:
    words = [w for w in (_norm_word(t) for t in " ".join(said).split()) if w]
    # The later speaker's whole turn being a short back-channel: listening, not taking the floor.
    turn_words = [w for w in (_norm_word(t) for t in second.text.split()) if w]
    if (
        turn_words
        and len(turn_words) <= options.backchannel_max_words
        and all(w in options.backchannels for w in turn_words)
    ):
        return "backchannel"
    if (
        words
        and len(words) <= options.backchannel_max_words
        and all(w in options.backchannels for w in words)
        and second.end <= first.end
    ):
        return "backchannel"
    if end - start < options.min_overlap:
        return "brief"
    # Starting in the last moments of the other's turn is a quick hand-over, not cutting them off.
    if first.end - start < options.min_overlap:
        return "brief"
    return "interruption"


def find_silences(
    spans: Sequence[Span],
    *,
    duration: float,
    min_duration: float,
    sound_spans: Sequence[tuple[float, float]] = (),
    hold_min: float = 5.0,
) -> tuple[Silence, ...]:
    """Gaps between any speech longer than ``min_duration`` s; those filled with sound are holds.

    Parameters
    ----------
    spans : speech spans of all speakers
    duration : call length (s)
    min_duration : shortest silence reported (s)
    sound_spans : (start, end) of non-speech sound (music, tones) on the line, from the audio when known
    hold_min : a gap at least this long and at least half covered by sound is a hold
    """
    ordered = sorted(spans, key=lambda s: s.start)
    out: list[Silence] = []
    reach = None
    last_speaker = None
    for s in ordered:
        if reach is not None and s.start - reach > min_duration:
            out.append(_silence(reach, s.start, last_speaker, s.speaker, sound_spans, hold_min))
        if reach is None or s.end >= reach:
            reach = s.end
            last_speaker = s.speaker
    return tuple(out)


def _silence(
    start: float,
    end: float,
    before: str | None,
    after: str | None,
    sound_spans: Sequence[tuple[float, float]],
    hold_min: float,
) -> Silence:
    covered = sum(max(0.0, min(e, end) - max(s, start)) for s, e in sound_spans)
    kind = "hold" if end - start >= hold_min and covered >= 0.5 * (end - start) else "gap"
    return Silence(start, end, kind, before, after)


def build_timeline(
    transcript: Transcript,
    *,
    options: TimelineOptions | None = None,
    spans: Sequence[Span] | None = None,
    sound_spans: Sequence[tuple[float, float]] = (),
) -> Timeline:
    """Timeline of a transcript.

    Parameters
    ----------
    transcript : words labelled by speaker (or channel) and speakers with roles
    options : thresholds (defaults: see TimelineOptions)
    spans : speech spans to use instead of word timings (e.g. voice activity per channel)
    sound_spans : non-speech sound on the line, to tell holds from dead air
    """
    opts = options or TimelineOptions()
    use = list(spans) if spans is not None else word_spans(transcript)
    roles: dict[str, str | None] = {s.label: s.role for s in transcript.speakers}
    for s in use:
        roles.setdefault(s.speaker, None)
    turns = build_turns(use, roles=roles, turn_gap=opts.turn_gap)
    talk: dict[str, float] = {}
    for t in turns:
        talk[t.speaker] = talk.get(t.speaker, 0.0) + t.duration
    return Timeline(
        duration=transcript.audio.duration,
        turns=turns,
        overlaps=find_overlaps(turns, use, options=opts),
        silences=find_silences(
            use,
            duration=transcript.audio.duration,
            min_duration=min(opts.non_talk, opts.dead_air),
            sound_spans=sound_spans,
            hold_min=opts.hold_min,
        ),
        talk_time=talk,
        roles=roles,
        options=opts,
        source="words" if spans is None else "vad",
    )
