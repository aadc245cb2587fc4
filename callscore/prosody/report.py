"""How the agent sounded: calm and confidence (0-100) from prosody, explained, with a per-minute curve.

Entry point :func:`analyze_prosody`. Features are measured per speaker from that speaker's own speech
(:mod:`callscore.prosody.features`), then scored against reference ranges and the speaker's own call
baseline (:mod:`callscore.prosody.scores`). Where the audio cannot support a judgement (no audio, silence,
too little speech, only one-word turns, clipping, heavy noise) the score is None with the reason: never a
made-up number. The rubric engine reads ``report.calm.score`` / ``report.calm.reason``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from callscore.audio.model import Audio
from callscore.errors import CallscoreError
from callscore.intervals import merge_spans, subtract_spans
from callscore.prosody.features import (
    ProsodyFeatures,
    ProsodyOptions,
    SpeakerFrames,
    analyse_frames,
    measure,
    speech_runs,
)
from callscore.prosody.scores import ProsodyScore, not_measured, score_calm, score_confidence
from callscore.timeline.model import Timeline
from callscore.transcript.model import AGENT, CUSTOMER, Transcript, Word

__all__ = [
    "CurvePoint",
    "ProsodyError",
    "ProsodyFeatures",
    "ProsodyOptions",
    "ProsodyReport",
    "ProsodyScore",
    "SpeakerProsody",
    "analyze_prosody",
    "prosody_to_dict",
]

TRACKERS = ("yin", "praat")
SEXES = ("auto", "male", "female")
NO_AUDIO = "no audio: prosody needs the recording, not only the transcript JSON"


class ProsodyError(CallscoreError):
    """Prosody settings that cannot be used."""


@dataclass(frozen=True)
class CurvePoint:
    """Calm and confidence over one window of the call.

    Attributes:
        start: Window start (s from call start).
        end: Window end (s).
        calm: Calm in this window (None score when the speaker said too little in it).
        confidence: Confidence in this window.
        features: The window's features.
    """

    start: float
    end: float
    calm: ProsodyScore
    confidence: ProsodyScore
    features: ProsodyFeatures


@dataclass(frozen=True)
class SpeakerProsody:
    """Prosody of one speaker.

    Attributes:
        speaker: Speaker label ("S0", ...).
        role: "agent", "customer" or None.
        channel: Audio channel analysed.
        features: Call-level features.
        calm: Call-level calm.
        confidence: Call-level confidence.
        curve: One point per window (``options.window`` s), in time order.
    """

    speaker: str
    role: str | None
    channel: int
    features: ProsodyFeatures
    calm: ProsodyScore
    confidence: ProsodyScore
    curve: tuple[CurvePoint, ...] = ()


@dataclass(frozen=True)
class ProsodyReport:
    """Prosody of every speaker of a call.

    Attributes:
        speakers: One entry per speaker, agent first.
        options: Settings used.
    """

    speakers: tuple[SpeakerProsody, ...]
    options: ProsodyOptions = field(default_factory=ProsodyOptions)

    @property
    def agent(self) -> SpeakerProsody | None:
        """The agent's prosody, or None when no speaker has the agent role."""
        return next((s for s in self.speakers if s.role == AGENT), None)

    @property
    def calm(self) -> ProsodyScore:
        """The agent's calm (not measured when there is no agent)."""
        return self.agent.calm if self.agent else not_measured("no speaker has the agent role")

    @property
    def confidence(self) -> ProsodyScore:
        """The agent's confidence (not measured when there is no agent)."""
        return self.agent.confidence if self.agent else not_measured("no speaker has the agent role")


def prosody_to_dict(report: ProsodyReport) -> dict[str, Any]:
    """Plain-JSON form of a report (for scorecard metrics and ``--json``)."""
    return asdict(report)


SUMMARY_FEATURES = (
    "f0_median_hz",
    "f0_spread_st",
    "f0_range_st",
    "loudness_db",
    "loudness_spread_db",
    "speaking_rate",
    "articulation_rate",
    "pause_rate",
    "pause_mean",
    "filled_pause_rate",
    "final_movement_st",
    "hnr_db",
    "jitter_pct",
    "shimmer_pct",
)
SUMMARY_CONTRIBUTIONS = 5  # largest feature effects kept per score in a scorecard


def prosody_summary(report: ProsodyReport) -> dict[str, Any]:
    """Compact plain-JSON prosody for a scorecard: per speaker the two scores with their largest
    contributions, the main features and the per-window curve (what a report draws), without frame data."""

    def score(s: ProsodyScore) -> dict[str, Any]:
        return {
            "score": None if s.score is None else round(float(s.score), 1),
            "reason": s.reason,
            "contributions": [
                {
                    "feature": c.feature,
                    "value": round(float(c.value), 3),
                    "reference": c.reference,
                    "points": round(float(c.points), 1),
                    "basis": c.basis,
                }
                for c in s.contributions[:SUMMARY_CONTRIBUTIONS]
            ],
        }

    def rounded(v: Any) -> Any:
        return round(float(v), 2) if isinstance(v, (float, np.floating)) else v

    speakers = []
    for sp in report.speakers:
        feats = {k: rounded(getattr(sp.features, k, None)) for k in SUMMARY_FEATURES}
        speakers.append(
            {
                "speaker": sp.speaker,
                "role": sp.role,
                "channel": sp.channel,
                "calm": score(sp.calm),
                "confidence": score(sp.confidence),
                "features": feats,
                "problems": list(sp.features.problems),
                "curve": [
                    {
                        "start": round(p.start, 2),
                        "end": round(p.end, 2),
                        "calm": None if p.calm.score is None else round(float(p.calm.score), 1),
                        "confidence": None
                        if p.confidence.score is None
                        else round(float(p.confidence.score), 1),
                    }
                    for p in sp.curve
                ],
            }
        )
    return {"tracker": report.options.tracker, "window_s": report.options.window, "speakers": speakers}


def speaker_words(transcript: Transcript) -> list[tuple[str, str | None, tuple[Word, ...]]]:
    """(label, role, words) per speaker, agent first.

    Without speaker assignment, channel 0 is the agent "S0" and channel 1 the customer "S1" (a mono call
    then has only "S0", treated as the agent).
    """
    if transcript.speakers:
        out = [(s.label, s.role, transcript.words(speaker=s.label)) for s in transcript.speakers]
    else:
        out = [
            (f"S{ch}", AGENT if ch == 0 else CUSTOMER if ch == 1 else None, transcript.words(channel=ch))
            for ch in transcript.channels
        ]
    out = [o for o in out if o[2]]
    return sorted(out, key=lambda o: (o[1] != AGENT, o[0]))


def analyze_prosody(
    audio: Audio | None,
    transcript: Transcript,
    timeline: Timeline | None = None,
    *,
    options: ProsodyOptions | None = None,
) -> ProsodyReport:
    """Calm and confidence of every speaker, explained, with a per-window curve.

    Parameters
    ----------
    audio : the call's decoded audio (``samples`` shape (channels, n) at ``sample_rate`` Hz), or None when
        only a transcript JSON is at hand (scores are then not measured)
    transcript : words with times (s), channels and speaker labels; ``speakers`` give roles
    timeline : optional; its turns of other speakers also end a speaker's runs (e.g. VAD-based turns)
    options : settings (defaults: :class:`ProsodyOptions`)

    Raises
    ------
    ProsodyError
        Unknown tracker or sex option.
    MissingDependencyError
        ``tracker="praat"`` without the ``praat`` extra installed.
    """
    opts = options or ProsodyOptions()
    if opts.tracker not in TRACKERS:
        raise ProsodyError(f"prosody tracker {opts.tracker!r} unknown (choose one of: {', '.join(TRACKERS)})")
    if opts.sex not in SEXES:
        raise ProsodyError(f"prosody sex {opts.sex!r} unknown (choose one of: {', '.join(SEXES)})")
    duration = audio.duration if audio is not None else transcript.audio.duration
    all_words = transcript.words()
    out = []
    for label, role, words in speaker_words(transcript):
        mine = {id(w) for w in words}
        others = [(w.start, w.end) for w in all_words if id(w) not in mine]
        if timeline is not None:
            others += [(t.start, t.end) for t in timeline.turns if t.speaker != label]
        runs = speech_runs(words, others=others, pause_max=opts.pause_max)
        channel = Counter(w.channel for w in words).most_common(1)[0][0]
        if audio is not None:
            channel = channel if channel < audio.samples.shape[0] else 0
            spans = merge_spans([(w.start - opts.pad, w.end + opts.pad) for w in words])
            same_channel = [
                (w.start, w.end)
                for w in all_words
                if id(w) not in mine and (w.channel == channel or audio.samples.shape[0] == 1)
            ]
            spans = subtract_spans(spans, same_channel)
            frames = analyse_frames(y=audio.channel(channel), sr=audio.sample_rate, spans=spans, options=opts)
        else:
            frames = _no_frames()
        out.append(
            _speaker(
                label, role, channel, frames, runs, duration, opts, transcript.info.language, audio is None
            )
        )
    return ProsodyReport(speakers=tuple(out), options=opts)


def _no_frames() -> SpeakerFrames:
    empty = np.zeros(0)
    return SpeakerFrames(empty, empty, empty, empty, None, 0.0)


def _speaker(
    label: str,
    role: str | None,
    channel: int,
    frames: SpeakerFrames,
    runs: list[tuple[Word, ...]],
    duration: float,
    opts: ProsodyOptions,
    language: str,
    no_audio: bool,
) -> SpeakerProsody:
    def features(start: float, end: float) -> ProsodyFeatures:
        f = measure(frames=frames, runs=runs, start=start, end=end, options=opts, language=language)
        return replace(f, problems=(NO_AUDIO, *f.problems)) if no_audio else f

    call = features(0.0, math.inf)
    call = replace(call, end=round(duration, 3))
    curve = []
    n_windows = max(1, math.ceil(duration / opts.window))
    for k in range(n_windows):
        start, end = k * opts.window, min((k + 1) * opts.window, duration)
        wf = features(start, end if k < n_windows - 1 else math.inf)
        wf = replace(wf, end=round(end, 3))
        calm = score_calm(features=wf, options=opts, call=None if call.problems else call)
        curve.append(CurvePoint(start, end, calm, score_confidence(features=wf), wf))
    calm = score_calm(features=call, options=opts, windows=[p.calm for p in curve if p.calm.measured])
    return SpeakerProsody(
        speaker=label,
        role=role,
        channel=channel,
        features=call,
        calm=calm,
        confidence=score_confidence(features=call),
        curve=tuple(curve),
    )
