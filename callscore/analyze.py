"""One call's conversation analysis: speakers and roles, timeline, and prosody when available.

Orchestration only: ``assign_speakers`` (callscore.speakers), ``build_call_timeline``
(callscore.call_timeline) and, if the module exists, ``callscore.prosody.analyze_prosody``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .call_timeline import CallTimelineOptions, build_call_timeline
from .speakers import SpeakerOptions, assign_speakers, diarize_mono
from .timeline import Overlap, Silence, Timeline
from .transcript import AGENT, CUSTOMER, Transcript

if TYPE_CHECKING:
    from .audio import Audio

SCHEMA_NAME = "callscore.analysis"
SCHEMA_VERSION = 1
PROSODY_MODULE = "callscore.prosody"


@dataclass(frozen=True)
class AnalyzeOptions:
    """Settings of the conversation analysis.

    Attributes:
        speakers: Speaker and role assignment.
        timeline: Timeline from audio (turns, interruptions, silences, holds).
        prosody: Run prosody when ``callscore.prosody`` is installed.
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
        prosody: What ``callscore.prosody.analyze_prosody`` returned, or None.
        prosody_note: Why there is no prosody ("not available"), or "".
    """

    transcript: Transcript
    timeline: Timeline
    prosody: Any = None
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


def _prosody(audio: Audio | None, transcript: Transcript, timeline: Timeline) -> tuple[Any, str]:
    """Call ``callscore.prosody.analyze_prosody`` if that module exists (another stage may not be there)."""
    try:
        module = importlib.import_module(PROSODY_MODULE)
    except ModuleNotFoundError as e:
        if e.name not in (PROSODY_MODULE, "callscore"):
            raise
        return None, "not available"
    fn = getattr(module, "analyze_prosody", None)
    if fn is None:
        return None, "not available"
    if audio is None:
        return None, "needs the audio"
    params = inspect.signature(fn).parameters
    keyword_only = any(
        p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n in ("audio", "transcript")
    )
    if keyword_only:
        return fn(audio=audio, transcript=transcript, timeline=timeline), ""
    return fn(audio, transcript, timeline), ""


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
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
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
