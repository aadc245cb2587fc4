"""One call through every stage: audio, transcript, speakers, timeline, prosody, rubric, scorecard.

The one orchestrator: each stage lives in its own package and this module only calls them in order.
``callscore analyze`` stops after prosody (:func:`analyze_call`); ``score``, ``batch`` and ``ci`` go on
to the rubric (:func:`score_path`).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from callscore import __version__
from callscore.audio.decode import load_audio
from callscore.audio.model import Audio
from callscore.files import file_sha256
from callscore.pii.types import PiiError
from callscore.pii.wire import (
    apply_mode,
    check_mode,
    recorded_redactions,
    redact_text,
    redacted_audio_path,
    redaction_settings,
    report_audio,
    without_record,
    write_redacted_copy,
)
from callscore.prosody.report import ProsodyReport, analyze_prosody, prosody_summary
from callscore.rubric.schema import Rubric, load_rubric
from callscore.scorecard import Scorecard, score_transcript
from callscore.sentiment import SentimentModel, get_model
from callscore.speakers.assign import SpeakerOptions, assign_speakers, diarize_mono
from callscore.timeline.from_audio import CallTimelineOptions, build_call_timeline
from callscore.timeline.model import SCORING_TIMELINE, Overlap, Silence, Timeline, TimelineOptions
from callscore.transcript.model import AGENT, CUSTOMER, Transcript, is_transcript_file, load_transcript
from callscore.transcript.transcribe import TranscribeOptions, transcribe_audio

DEFAULT_RUBRIC = "id-contact-centre"
BUNDLED_SENTIMENT = "bundled"  # the bundled sentiment model of the rubric's language
NO_SENTIMENT = "off"


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
        redact: Personal data in what is written: "none", "text" (placeholders everywhere text goes, no
            audio in reports) or "audio" (text, plus a redacted copy of the recording that reports play);
            see callscore/pii/wire.py and docs/pii.md.
        redacted_audio_dir: Folder for ``<call_id>.redacted.wav`` (needed by ``redact="audio"``).
        sentiment_model: "bundled" (the bundled model of the rubric's language), "off", or a model name,
            ``.npz`` file or transformers checkpoint (folder or hub id) for ``sentiment.get_model``.
    """

    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)
    rubric: str = DEFAULT_RUBRIC
    agent_channel: str | None = None
    timeline: TimelineOptions = field(default_factory=lambda: SCORING_TIMELINE)
    prosody: bool = True
    use_cache: bool = True
    redact: str = "text"
    redacted_audio_dir: str | None = None
    sentiment_model: str = BUNDLED_SENTIMENT


def sentiment_for(options: PipelineOptions) -> SentimentModel | bool:
    """What ``score_transcript`` takes as ``sentiment`` for a run (a named model is loaded once, cached)."""
    if options.sentiment_model == BUNDLED_SENTIMENT:
        return True
    if options.sentiment_model == NO_SENTIMENT:
        return False
    return get_model(options.sentiment_model)


@dataclass(frozen=True, eq=False)
class CallResult:
    """Everything learnt about one call.

    Attributes:
        transcript: Transcript with speakers and roles.
        timeline: Turns, overlaps, silences.
        prosody: Prosody report, or None when not measured (no audio, or disabled).
        scorecard: The scored rubric.
        audio_path: The recording report players may play (the original with ``redact="none"``, the
            redacted copy with "audio", None with "text" or without audio).
    """

    transcript: Transcript
    timeline: Timeline
    prosody: ProsodyReport | None
    scorecard: Scorecard
    audio_path: str | None


def load_rubric_for(options: PipelineOptions) -> Rubric:
    """Load and validate the rubric of a run once (a broken rubric fails before any audio is touched)."""
    return load_rubric(options.rubric)


def score_path(
    path: str | os.PathLike[str],
    *,
    options: PipelineOptions | None = None,
    call_id: str | None = None,
    rubric: Rubric | None = None,
) -> CallResult:
    """Score one call from an audio file or a saved transcript JSON.

    Raises CallscoreError subclasses with one-line messages for bad input.
    """
    opts = options or PipelineOptions()
    mode = check_mode(opts.redact)
    rub = rubric if rubric is not None else load_rubric_for(opts)
    audio: Audio | None = None
    if is_transcript_file(path):
        transcript = apply_mode(load_transcript(path), mode=mode)
        audio_path = _sibling_audio(transcript, Path(path))
        if audio_path and (opts.prosody or mode == "audio"):
            audio = load_audio(audio_path, max_duration=opts.transcribe.max_duration)
    else:
        audio = load_audio(path, max_duration=opts.transcribe.max_duration)
        transcript = transcribe_audio(
            audio,
            options=opts.transcribe,
            use_cache=opts.use_cache,
            redact=None if mode == "none" else redact_text,
        )
        audio_path = str(path)
    cid = call_id or Path(path).stem
    result = score_transcript_and_audio(
        transcript, audio, options=opts, rubric=rub, call_id=cid, audio_path=audio_path
    )
    # ``source`` is the input as given (docs/scorecard-schema.md), for a transcript input too.
    result = replace(result, scorecard=replace(result.scorecard, source=os.fspath(path)))
    return _with_redaction(result, audio=audio, mode=mode, options=opts, original=audio_path)


def _with_redaction(
    result: CallResult, *, audio: Audio | None, mode: str, options: PipelineOptions, original: str | None
) -> CallResult:
    """Record what was redacted in the scorecard; for "audio", write the redacted copy reports play."""
    card = result.scorecard
    if mode == "none":
        return replace(
            result, scorecard=replace(card, settings={**card.settings, "redaction": {"mode": mode}})
        )
    spans = recorded_redactions(result.transcript) or ()
    copy, sha = None, ""
    if mode == "audio":
        if audio is None:
            raise PiiError(f"{card.source}: --redact audio needs the recording, and it was not found")
        if not options.redacted_audio_dir:
            raise PiiError(f"{card.source}: --redact audio writes a redacted copy: give an output folder")
        copy, sha = write_redacted_copy(
            audio=audio, redactions=spans, path=redacted_audio_path(options.redacted_audio_dir, card.call_id)
        )
    record = redaction_settings(mode=mode, redactions=spans, audio_copy=copy, audio_sha256=sha)
    card = replace(card, settings={**card.settings, "redaction": record})
    return replace(result, scorecard=card, audio_path=report_audio(mode=mode, original=original, copy=copy))


def score_transcript_and_audio(
    transcript: Transcript,
    audio: Audio | None,
    *,
    options: PipelineOptions,
    rubric: Rubric,
    call_id: str,
    audio_path: str | None = None,
) -> CallResult:
    """The stages after transcription, for callers that already hold a transcript."""
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
            "options": without_record(transcript.info.options),
            # Versions and CPU path the transcript was made with (it may come from the cache, made on
            # another run): what one needs to reproduce a contested score (docs/backends.md).
            "runtime": transcript.info.runtime,
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
        sentiment=sentiment_for(options),
    )
    if analysis.prosody is not None:
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
    recorded = Path(transcript.audio.path)
    for candidate in (recorded, json_path.parent / recorded.name):
        # Only the very same recording: prosody of another file would be a made-up measurement.
        # An empty recorded hash verifies nothing: a crafted transcript could name any local file.
        if (
            transcript.audio.sha256
            and candidate.is_file()
            and file_sha256(candidate) == transcript.audio.sha256
        ):
            return str(candidate)
    return None


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in dataclasses.asdict(obj).items()}
    return obj


# ---------------------------------------------------------------- analysis (callscore analyze)

ANALYSIS_SCHEMA_NAME = "callscore.analysis"
ANALYSIS_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class AnalyzeOptions:
    """Settings of the conversation analysis.

    Attributes:
        speakers: Speaker and role assignment.
        timeline: Timeline from audio (turns, interruptions, silences, holds).
        prosody: Measure prosody (needs the audio).
    """

    speakers: SpeakerOptions = field(default_factory=SpeakerOptions)
    timeline: CallTimelineOptions = field(default_factory=CallTimelineOptions)
    prosody: bool = True


@dataclass(frozen=True)
class CallAnalysis:
    """Everything ``callscore analyze`` reports on one call.

    Attributes:
        transcript: The transcript with speakers and roles.
        timeline: Turns, overlaps, silences and holds.
        prosody: The prosody report, or None when not measured.
        prosody_note: Why there is no prosody ("disabled", "needs the audio"), or "".
    """

    transcript: Transcript
    timeline: Timeline
    prosody: ProsodyReport | None = None
    prosody_note: str = ""


def analyze_call(
    transcript: Transcript, audio: Audio | None = None, *, options: AnalyzeOptions | None = None
) -> CallAnalysis:
    """Speakers, roles, timeline and prosody of one call.

    Parameters
    ----------
    transcript : the call's transcript (not changed)
    audio : the decoded audio, or None (then timing comes from word times, and a mono call keeps the
        speakers it already has)
    options : settings

    Raises
    ------
    AudioError
        A mono call without audio and without speakers assigned.
    """
    opts = options or AnalyzeOptions()
    turns = None
    if transcript.audio.analysis_channels == 1 and audio is not None:
        turns = diarize_mono(transcript, audio, options=opts.speakers)
    if transcript.audio.analysis_channels == 1 and audio is None and transcript.speakers:
        labelled = transcript
    else:
        labelled = assign_speakers(transcript, audio, options=opts.speakers, turns=turns)
    timeline = build_call_timeline(labelled, audio, options=opts.timeline, turns=turns)
    prosody, note = (None, "disabled") if not opts.prosody else _prosody(audio, labelled, timeline)
    return CallAnalysis(labelled, timeline, prosody, note)


def _prosody(
    audio: Audio | None, transcript: Transcript, timeline: Timeline
) -> tuple[ProsodyReport | None, str]:
    """The prosody report, or None and why not (prosody reads the audio)."""
    if audio is None:
        return None, "needs the audio"
    return analyze_prosody(audio, transcript, timeline), ""


def plain(value: Any) -> Any:
    """JSON-safe form of dataclasses, mappings, sequences and numpy scalars/arrays."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return plain(value.to_dict())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, float):
        return round(value, 4)
    return value


def _overlap(o: Overlap) -> dict[str, Any]:
    return {**plain(o), "duration": round(o.duration, 3)}


def _silence(s: Silence) -> dict[str, Any]:
    return {**plain(s), "duration": round(s.duration, 3)}


def analysis_to_dict(analysis: CallAnalysis) -> dict[str, Any]:
    """Plain-JSON form of an analysis, schema name and version first."""
    t, tl = analysis.transcript, analysis.timeline
    ratio = tl.talk_ratio()
    return {
        "schema": ANALYSIS_SCHEMA_NAME,
        "schema_version": ANALYSIS_SCHEMA_VERSION,
        "file": t.audio.path,
        "duration": round(tl.duration, 3),
        "channels": t.audio.analysis_channels,
        "timeline_source": tl.source,
        "speakers": [plain(s) for s in t.speakers],
        "talk_time": {k: round(v, 3) for k, v in tl.talk_time.items()},
        "agent_talk_time": round(tl.role_talk_time(AGENT), 3),
        "customer_talk_time": round(tl.role_talk_time(CUSTOMER), 3),
        "talk_ratio": None if ratio is None else round(ratio, 4),
        "interruptions": [_overlap(o) for o in tl.interruptions(by_role=None)],
        "overlaps": [_overlap(o) for o in tl.overlaps],
        "dead_air": [_silence(s) for s in tl.dead_air()],
        "holds": [_silence(s) for s in tl.holds()],
        "long_holds": [_silence(s) for s in tl.long_holds()],
        "non_talk_time": round(tl.non_talk_time(), 3),
        "silences": [_silence(s) for s in tl.silences],
        "turns": [plain(x) for x in tl.turns],
        "timeline_options": plain(tl.options),
        "prosody": plain(analysis.prosody),
        "prosody_note": analysis.prosody_note,
    }
