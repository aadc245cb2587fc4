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

from collections.abc import Mapping, Sequence

from callscore.timeline.model import Overlap, Silence, Span, Timeline, TimelineOptions, Turn
from callscore.transcript.model import Transcript
from callscore.transcript.textnorm import word_key


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
    words = [w for w in (word_key(t) for t in " ".join(said).split()) if w]
    # The later speaker's whole turn being a short back-channel: listening, not taking the floor.
    turn_words = [w for w in (word_key(t) for t in second.text.split()) if w]
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
