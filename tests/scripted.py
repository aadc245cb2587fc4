"""Transcripts from scripted turns (role, start, end, text): for labelled test calls and imported scripts.

Words are spread evenly over each turn, which is how a QA lead writes a call down ("agent, 0-4 s: ...").
The agent is channel 0 / speaker "S0", the customer channel 1 / "S1", as in a stereo recording.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from callscore.audio.model import AudioInfo
from callscore.errors import TranscriptError
from callscore.transcript.model import AGENT, CUSTOMER, Segment, Speaker, Transcript, TranscriptionInfo, Word

ROLE_CHANNEL = {AGENT: 0, CUSTOMER: 1}
TAIL = 1.0  # s of recording after the last word


@dataclass(frozen=True)
class ScriptedTurn:
    """One turn of a scripted call.

    Attributes:
        role: "agent" or "customer".
        start: Seconds from call start.
        end: Seconds (> start).
        text: What was said.
    """

    role: str
    start: float
    end: float
    text: str


def transcript_from_turns(
    turns: Sequence[ScriptedTurn],
    *,
    call_id: str = "scripted",
    language: str = "id",
    duration: float | None = None,
) -> Transcript:
    """Build a two-speaker transcript, one segment per turn, words evenly spaced inside each turn.

    Parameters
    ----------
    turns : the turns; may overlap in time (talking over each other)
    call_id : recorded as the audio path ``<call_id>.json`` (the scorecard's call id)
    language : language code recorded in the transcript info
    duration : call length (s); default last turn end + ``TAIL``
    """
    segments = []
    for i, t in enumerate(sorted(turns, key=lambda t: t.start)):
        if t.role not in ROLE_CHANNEL:
            raise TranscriptError(f"{call_id}: turn {i}: role must be agent or customer, got {t.role!r}")
        if not t.end > t.start:
            raise TranscriptError(f"{call_id}: turn {i}: end {t.end} must be after start {t.start}")
        tokens = t.text.split()
        if not tokens:
            raise TranscriptError(f"{call_id}: turn {i}: empty text")
        ch = ROLE_CHANNEL[t.role]
        step = (t.end - t.start) / len(tokens)
        words = tuple(
            Word(
                start=round(t.start + k * step, 3),
                end=round(t.start + (k + 0.9) * step, 3),
                text=(" " + tok),
                probability=0.9,
                channel=ch,
                speaker=f"S{ch}",
            )
            for k, tok in enumerate(tokens)
        )
        segments.append(Segment(i, ch, t.start, t.end, t.text, words, speaker=f"S{ch}"))
    end = max((t.end for t in turns), default=0.0)
    total = duration if duration is not None else end + TAIL
    return Transcript(
        audio=AudioInfo(
            path=f"{call_id}.json",
            sha256=hashlib.sha256(call_id.encode()).hexdigest(),
            duration=round(total, 3),
            sample_rate=8000,
            channels=2,
        ),
        info=TranscriptionInfo(backend="import", model="scripted", language=language),
        segments=tuple(segments),
        speakers=(
            Speaker("S0", 0, AGENT, 1.0, "scripted"),
            Speaker("S1", 1, CUSTOMER, 1.0, "scripted"),
        ),
    )
