"""The call's timeline from the audio when we have it: tighter edges than word times, and holds.

Word times from Whisper land ~0.2 s off the voice, and silent stretches carry no words at all, so music
on hold looks like dead air. With the audio at hand:

- **stereo**: each channel's speech (voice activity with energy-trimmed edges, ``audio.activity``) is
  its speaker's speech; what they said comes from the words inside each stretch;
- **mono**: the diarized turns (``speakers.diarize``) are the speech; a mono timeline has no overlaps,
  since diarization gives one speaker per instant;
- sound that is not speech on any channel (tones, music) turns a long silence into a **hold**.

Without audio it falls back to word times (``timeline.from_words.build_timeline``). Definitions of turns,
interruptions, dead air, holds, non-talk time and talk ratio: docs/timing.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from callscore.audio.activity import ActivityOptions, channel_activity
from callscore.speakers.diarize import DiarizeOptions, SpeakerTurn, diarize_two
from callscore.timeline.from_words import build_timeline
from callscore.timeline.model import Span, Timeline, TimelineOptions
from callscore.transcript.model import Transcript, Word

if TYPE_CHECKING:
    from callscore.audio.model import Audio

WORD_SLACK = 0.5  # s; a word this close to a speech stretch belongs to it


@dataclass(frozen=True)
class CallTimelineOptions:
    """Settings of the audio-based timeline.

    Attributes:
        timeline: Turn, interruption and silence rules (see docs/timing.md).
        activity: Per-channel speech/sound detection.
        diarize: Mono diarization (used only when no diarized turns are passed in).
    """

    timeline: TimelineOptions = field(default_factory=TimelineOptions)
    activity: ActivityOptions = field(default_factory=ActivityOptions)
    diarize: DiarizeOptions = field(default_factory=DiarizeOptions)


def build_call_timeline(
    transcript: Transcript,
    audio: Audio | None = None,
    *,
    options: CallTimelineOptions | None = None,
    turns: Sequence[SpeakerTurn] | None = None,
) -> Timeline:
    """Turns, overlaps, silences and holds of a call, from the audio when given, else from word times.

    Parameters
    ----------
    transcript : the call, ideally after ``assign_speakers`` (labels and roles); not changed
    audio : the call's decoded audio (``callscore.audio.decode.load_audio``), samples (channels, n) at 16 kHz
    options : settings
    turns : diarized turns of a mono call (as given to ``assign_speakers``), to avoid diarizing twice

    Returns
    -------
    Timeline with ``source`` "vad" (audio) or "words"
    """
    opts = options or CallTimelineOptions()
    if audio is None:
        return build_timeline(transcript, options=opts.timeline)
    words = transcript.words()
    spans: list[Span] = []
    sound: list[tuple[float, float]] = []
    if audio.samples.shape[0] >= 2:
        for ch in range(2):
            act = channel_activity(y=audio.samples[ch], sr=audio.sample_rate, options=opts.activity)
            label = _label_of_channel(transcript, ch)
            spans.extend(_spans_with_words(label, act.speech, [w for w in words if w.channel == ch]))
            sound.extend(act.sound)
    else:
        act = channel_activity(y=audio.samples[0], sr=audio.sample_rate, options=opts.activity)
        if turns is None:
            turns = diarize_two(y=audio.samples[0], sr=audio.sample_rate, options=opts.diarize)
        for label in sorted({t.speaker for t in turns}):
            mine = [(t.start, t.end) for t in turns if t.speaker == label]
            spans.extend(_spans_with_words(label, mine, [w for w in words if w.speaker == label]))
        sound.extend(act.sound)
    timeline = build_timeline(transcript, options=opts.timeline, spans=spans, sound_spans=sorted(sound))
    return _with_duration(timeline, audio.duration)


def _label_of_channel(transcript: Transcript, channel: int) -> str:
    sp = next((s for s in transcript.speakers if s.channel == channel), None)
    return sp.label if sp else f"S{channel}"


def _spans_with_words(label: str, speech: Sequence[tuple[float, float]], words: Sequence[Word]) -> list[Span]:
    """Speech stretches of one speaker with the words said in each.

    A word goes to the stretch it overlaps most, else to the nearest one within ``WORD_SLACK`` s (word
    times are ~0.2 s off); a word farther from all stretches is speech the voice activity missed and
    becomes a span of its own, so nothing said is dropped.
    """
    texts: list[list[str]] = [[] for _ in speech]
    out: list[Span] = []
    for w in words:
        best, best_cover, best_dist = -1, 0.0, WORD_SLACK
        for i, (s, e) in enumerate(speech):
            cover = min(e, w.end) - max(s, w.start)
            dist = max(s - w.end, w.start - e, 0.0)
            if cover > best_cover or (best_cover == 0.0 and cover <= 0 and dist <= best_dist):
                best, best_cover, best_dist = i, max(cover, 0.0), dist
        if best >= 0:
            texts[best].append(w.text.strip())
        else:
            out.append(Span(label, w.start, max(w.end, w.start), w.text.strip()))
    out.extend(Span(label, s, e, " ".join(t).strip()) for (s, e), t in zip(speech, texts, strict=True))
    return out


def _with_duration(timeline: Timeline, duration: float) -> Timeline:
    from dataclasses import replace

    return replace(timeline, duration=round(duration, 6))
