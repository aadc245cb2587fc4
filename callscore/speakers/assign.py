"""Who is who in a call: speakers for every word and segment, and which speaker is the agent.

- **Stereo** (two analysis channels): one speaker per channel, "S0" left and "S1" right.
- **Mono**: the channel is split into two voices (``speakers.diarize``: voice activity, numpy speaker
  embeddings, KMeans(2)); every word gets the speaker of the diarized turn it overlaps most.

Then the agent is picked from what each speaker says (``callscore.speakers.roles``), with a confidence and a
reason, unless the user forces it (``agent_channel="left"|"right"`` on a stereo call, confidence 1.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from callscore.errors import AudioError, CallscoreError
from callscore.speakers.diarize import DiarizeOptions, SpeakerTurn, diarize_two
from callscore.speakers.roles import RoleDecision, RoleOptions, decide_roles
from callscore.transcript.model import AGENT, CUSTOMER, Speaker, Transcript, Word

if TYPE_CHECKING:
    from callscore.audio.model import Audio

CHANNEL_NAMES = ("left", "right")


@dataclass(frozen=True)
class SpeakerOptions:
    """Settings of speaker assignment.

    Attributes:
        agent_channel: "left" or "right" to force which stereo channel is the agent; None detects it.
        convention_channel: Recorder convention for stereo calls whose content cues are weak: the agent's
            channel ("left" = channel 0, the default of most contact-centre recorders), or None to leave
            roles unknown then. Content cues always win when they are clear.
        roles: Cue lists and thresholds of role detection.
        diarize: Settings of mono diarization.
    """

    agent_channel: str | None = None
    convention_channel: str | None = "left"
    roles: RoleOptions = field(default_factory=RoleOptions)
    diarize: DiarizeOptions = field(default_factory=DiarizeOptions)


def assign_speakers(
    transcript: Transcript,
    audio: Audio | None = None,
    *,
    options: SpeakerOptions | None = None,
    turns: Sequence[SpeakerTurn] | None = None,
) -> Transcript:
    """A copy of ``transcript`` with speakers (and roles) on every word and segment.

    Parameters
    ----------
    transcript : the call's transcript (not changed)
    audio : ``callscore.audio.decode.Audio`` of the same call; needed for mono calls (diarization), unused for
        stereo
    options : settings
    turns : diarized turns to use instead of diarizing ``audio`` (mono only; e.g. computed once and shared
        with the timeline)

    Returns
    -------
    Transcript with ``speakers`` filled and ``speaker`` set on every Word and Segment

    Raises
    ------
    CallscoreError
        ``agent_channel`` is not "left"/"right".
    AudioError
        A mono call without audio or turns (diarization needs the audio).
    """
    opts = options or SpeakerOptions()
    if opts.agent_channel not in (None, *CHANNEL_NAMES):
        raise CallscoreError(f"agent channel {opts.agent_channel!r}: use 'left' or 'right'")
    if opts.convention_channel not in (None, *CHANNEL_NAMES):
        raise CallscoreError(f"convention channel {opts.convention_channel!r}: use 'left', 'right' or None")
    if transcript.audio.analysis_channels == 2:
        return _stereo(transcript, opts)
    if turns is None:
        turns = diarize_mono(transcript, audio, options=opts)
    return _mono(transcript, turns, opts)


def diarize_mono(
    transcript: Transcript, audio: Audio | None, *, options: SpeakerOptions
) -> tuple[SpeakerTurn, ...]:
    """Diarized turns of a mono call's audio.

    Raises
    ------
    AudioError
        No audio given.
    """
    if audio is None:
        raise AudioError(
            f"{transcript.audio.path}: mono call: telling two speakers apart needs the audio file, "
            "not only the transcript"
        )
    return diarize_two(y=audio.samples[0], sr=audio.sample_rate, options=options.diarize)


def _stereo(transcript: Transcript, opts: SpeakerOptions) -> Transcript:
    labels = {0: "S0", 1: "S1"}
    segments = [
        replace(
            s, speaker=labels[s.channel], words=tuple(replace(w, speaker=labels[w.channel]) for w in s.words)
        )
        for s in transcript.segments
        if s.channel in labels
    ]
    relabelled = transcript.with_segments(segments)
    if opts.agent_channel is not None:
        agent = labels[CHANNEL_NAMES.index(opts.agent_channel)]
        decision = RoleDecision(agent, 1.0, f"forced: agent on the {opts.agent_channel} channel")
    else:
        conv = opts.convention_channel
        by_convention = labels[CHANNEL_NAMES.index(conv)] if conv in CHANNEL_NAMES else None
        decision = _decide(
            relabelled, list(labels.values()), opts, by_convention, f"agent on the {conv} channel"
        )
    speakers = tuple(_speaker(label, ch, decision) for ch, label in labels.items())
    return replace(relabelled, speakers=speakers)


def _mono(transcript: Transcript, turns: Sequence[SpeakerTurn], opts: SpeakerOptions) -> Transcript:
    labels = sorted({t.speaker for t in turns}) or ["S0"]
    segments = []
    for s in transcript.segments:
        words = tuple(replace(w, speaker=speaker_at(turns, w.start, w.end) or labels[0]) for w in s.words)
        segments.append(
            replace(
                s, speaker=_majority(words) or speaker_at(turns, s.start, s.end) or labels[0], words=words
            )
        )
    relabelled = transcript.with_segments(segments)
    decision = _decide(relabelled, labels, opts)
    if opts.agent_channel is not None and decision.agent is not None:
        decision = replace(decision, reason=f"{decision.reason} (agent_channel ignored: mono call)")
    return replace(relabelled, speakers=tuple(_speaker(label, None, decision) for label in labels))


def speaker_at(turns: Sequence[SpeakerTurn], start: float, end: float) -> str | None:
    """Speaker whose turns overlap [start, end] most; the nearest turn's speaker when none overlaps.

    Parameters
    ----------
    turns : diarized turns
    start, end : seconds
    """
    if not turns:
        return None
    cover: dict[str, float] = {}
    for t in turns:
        ov = min(t.end, end) - max(t.start, start)
        if ov > 0:
            cover[t.speaker] = cover.get(t.speaker, 0.0) + ov
    if cover:
        return max(cover, key=lambda k: cover[k])
    mid = (start + end) / 2
    return min(turns, key=lambda t: max(t.start - mid, mid - t.end, 0.0)).speaker


def _majority(words: Sequence[Word]) -> str | None:
    by: dict[str, float] = {}
    for w in words:
        if w.speaker is not None:
            by[w.speaker] = by.get(w.speaker, 0.0) + max(w.end - w.start, 1e-3)
    return max(by, key=lambda k: by[k]) if by else None


def _decide(
    transcript: Transcript,
    labels: Sequence[str],
    opts: SpeakerOptions,
    convention_agent: str | None = None,
    convention: str = "",
) -> RoleDecision:
    texts = {label: " ".join(w.text for w in transcript.words(speaker=label)) for label in labels}
    words = transcript.words()
    first = words[0].speaker if words else None
    decision = decide_roles(
        texts=texts,
        first_speaker=first,
        convention_agent=convention_agent,
        convention=convention,
        options=opts.roles,
    )
    if len(labels) < 2 and decision.agent is not None:
        return replace(decision, reason=f"{decision.reason} (only one voice heard)")
    return decision


def _speaker(label: str, channel: int | None, decision: RoleDecision) -> Speaker:
    if decision.agent is None:
        return Speaker(label, channel, None, 0.0, decision.reason)
    role = AGENT if label == decision.agent else CUSTOMER
    return Speaker(label, channel, role, decision.confidence, decision.reason)
