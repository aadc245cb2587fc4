"""One call through every stage: audio -> transcript -> speakers -> timeline -> prosody -> scorecard.

Orchestration only: each stage lives in its own module. ``batch.py`` and the CLI call :func:`score_path`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .audio import Audio, load_audio
from .scorecard import Scorecard
from .timeline import SCORING_TIMELINE, Timeline, TimelineOptions
from .transcribe import TranscribeOptions, transcribe_audio
from .transcript import Transcript, is_transcript_file, load_transcript

DEFAULT_RUBRIC = "id-contact-centre"


@dataclass(frozen=True)
class PipelineOptions:
    """Settings of a scoring run (recorded in every scorecard).

    Attributes:
        transcribe: Transcription settings.
        rubric: Built-in rubric name or a YAML path.
        agent_channel: "left"/"right" forces which stereo channel is the agent; None detects it.
        timeline: Timeline thresholds (interruptions, dead air...).
        prosody: Measure calm/confidence (needs the audio).
        use_cache: Reuse cached transcripts.
    """

    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    rubric: str = DEFAULT_RUBRIC
    agent_channel: str | None = None
    timeline: TimelineOptions = field(default_factory=lambda: SCORING_TIMELINE)
    prosody: bool = True
    use_cache: bool = True


@dataclass(frozen=True, eq=False)
class CallResult:
    """Everything learnt about one call.

    Attributes:
        transcript: Transcript with speakers and roles.
        timeline: Turns, overlaps, silences.
        prosody: Prosody report, or None when not measured (no audio, or disabled).
        scorecard: The scored rubric.
        audio_path: The audio file when the input was audio (for report players), else None.
    """

    transcript: Transcript
    timeline: Timeline
    prosody: Any | None
    scorecard: Scorecard
    audio_path: str | None


def load_rubric_for(options: PipelineOptions) -> Any:
    """Load and validate the rubric of a run once (a broken rubric fails before any audio is touched)."""
    from .rubric import load_rubric

    return load_rubric(options.rubric)


def score_path(
    path: str | os.PathLike[str],
    *,
    options: PipelineOptions | None = None,
    call_id: str | None = None,
    rubric: Any | None = None,
) -> CallResult:
    """Score one call from an audio file or a saved transcript JSON.

    Raises CallscoreError subclasses with one-line messages for bad input.
    """
    opts = options or PipelineOptions()
    rub = rubric if rubric is not None else load_rubric_for(opts)
    audio: Audio | None = None
    if is_transcript_file(path):
        transcript = load_transcript(path)
        audio_path = _sibling_audio(transcript, Path(path))
        if audio_path and opts.prosody:
            audio = load_audio(audio_path, max_duration=opts.transcribe.max_duration)
    else:
        audio = load_audio(path, max_duration=opts.transcribe.max_duration)
        transcript = transcribe_audio(audio, options=opts.transcribe, use_cache=opts.use_cache)
        audio_path = str(path)
    return score_transcript_and_audio(
        transcript, audio, options=opts, rubric=rub, call_id=call_id or Path(path).stem, audio_path=audio_path
    )


def score_transcript_and_audio(
    transcript: Transcript,
    audio: Audio | None,
    *,
    options: PipelineOptions,
    rubric: Any,
    call_id: str,
    audio_path: str | None = None,
) -> CallResult:
    """The stages after transcription, for callers that already hold a transcript."""
    from .analyze import AnalyzeOptions, analyze_call
    from .call_timeline import CallTimelineOptions
    from .scoring import score_transcript
    from .speakers import SpeakerOptions

    analysis = analyze_call(
        transcript,
        audio,
        options=AnalyzeOptions(
            speakers=SpeakerOptions(agent_channel=options.agent_channel),
            timeline=CallTimelineOptions(timeline=options.timeline),
            prosody=options.prosody,
        ),
    )
    settings = {
        "transcription": {
            "backend": transcript.info.backend,
            "model": transcript.info.model,
            "model_sha256": transcript.info.model_sha256,
            "options": transcript.info.options,
        },
        "agent_channel": options.agent_channel,
        "timeline": _plain(options.timeline),
        "timeline_source": analysis.timeline.source,
        "prosody": options.prosody,
        "prosody_note": analysis.prosody_note,
    }
    card = score_transcript(
        analysis.transcript,
        rubric=rubric,
        timeline=analysis.timeline,
        prosody=analysis.prosody,
        call_id=call_id,
        settings=settings,
    )
    if analysis.prosody is not None:
        from .prosody import prosody_summary

        card = replace(card, metrics={**card.metrics, "prosody": prosody_summary(analysis.prosody)})
    card = replace(
        card,
        source=str(audio_path or transcript.audio.path),
        created=card.created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        callscore_version=card.callscore_version or __version__,
    )
    return CallResult(analysis.transcript, analysis.timeline, analysis.prosody, card, audio_path)


def _sibling_audio(transcript: Transcript, json_path: Path) -> str | None:
    """The audio a transcript was made from, when it still exists (as recorded, or next to the JSON)."""
    from .audio import file_sha256

    recorded = Path(transcript.audio.path)
    for candidate in (recorded, json_path.parent / recorded.name):
        # Only the very same recording: prosody of another file would be a made-up measurement.
        if candidate.is_file() and (
            not transcript.audio.sha256 or file_sha256(candidate) == transcript.audio.sha256
        ):
            return str(candidate)
    return None


def _plain(obj: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(obj).items()}
    return obj
