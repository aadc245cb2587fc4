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
from callscore.rubric.apply import apply_rubric
from callscore.rubric.model import ItemResult
from callscore.rubric.schema import Rubric
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


TIMING_KEYS = frozenset({"t", "gap", "overlap", "dur"})
SECONDS_PER_WORD = 0.38  # s: conversational speech, ~160 words per minute
DEFAULT_GAP = 0.6  # s between turns
FIRST_START = 0.3  # s: the first turn's start


def spoken_call(turns: Sequence[tuple[str, str]], *, call_id: str, language: str) -> Transcript:
    """A transcript of ``(role, text)`` turns said one after another at the default pace (first turn at
    ``FIRST_START``, ``SECONDS_PER_WORD`` per word, ``DEFAULT_GAP`` between turns): the tiny probe calls
    the rubric tests score."""
    t, out = FIRST_START, []
    for role, text in turns:
        dur = SECONDS_PER_WORD * len(text.split())
        out.append(ScriptedTurn(role, t, t + dur, text))
        t += dur + DEFAULT_GAP
    return transcript_from_turns(out, call_id=call_id, language=language)


def probe_item(
    turns: Sequence[tuple[str, str]], item: str, *, rubric: Rubric, sentiment: bool = False
) -> ItemResult:
    """One item's result on a :func:`spoken_call` of ``(role, text)`` turns in the rubric's language: the
    probe sentences of the rubric tests (``sentiment`` runs the bundled sentiment model, as
    :func:`~callscore.rubric.apply.apply_rubric` does)."""
    call = spoken_call(turns, call_id="p", language=rubric.language)
    return {i.id: i for i in apply_rubric(call, rubric=rubric, sentiment=sentiment).items}[item]


def turns_from_compact(
    raw: object, *, where: str, timing: frozenset[str] = TIMING_KEYS
) -> tuple[ScriptedTurn, ...]:
    """Timed turns from the compact form labelled calls are written in (the rubric benchmarks' YAML).

    Each turn is ``a:`` (agent) or ``c:`` (customer) text with optional timing: ``t`` (start, s), ``gap``
    (s after the latest end so far, default ``DEFAULT_GAP``), ``overlap`` (s before the previous turn's
    end: talking over it), ``dur`` (s, default words x ``SECONDS_PER_WORD``). ``timing`` names the keys a
    data set may use; any other key is an error naming ``where`` and the turn.
    """
    if not isinstance(raw, list) or len(raw) < 2:
        raise TranscriptError(f"{where}: turns must be a list of at least two turns")
    out: list[ScriptedTurn] = []
    reach = 0.0
    for k, t in enumerate(raw):
        if not isinstance(t, dict) or set(t) - timing - {"a", "c"} or len({"a", "c"} & set(t)) != 1:
            raise TranscriptError(
                f"{where}: turn {k}: need exactly one of a:/c: and only {'/'.join(sorted(timing))} besides"
            )
        role = AGENT if "a" in t else CUSTOMER
        said = t["a"] if "a" in t else t["c"]
        if not isinstance(said, str):  # a bare `no` / `yes` is read by YAML as a bool: quote it
            raise TranscriptError(f"{where}: turn {k}: text {said!r} is not a string (quote it)")
        text = said.strip()
        if not text:
            raise TranscriptError(f"{where}: turn {k}: empty text")
        if "t" in t:
            start = float(t["t"])
            if start < reach:
                raise TranscriptError(f"{where}: turn {k}: t={start} starts before the previous turn ends")
        elif "overlap" in t:
            if not out:
                raise TranscriptError(f"{where}: turn {k}: overlap on the first turn")
            start = out[-1].end - float(t["overlap"])
        else:
            start = reach + float(t.get("gap", DEFAULT_GAP)) if out else FIRST_START
        dur = float(t.get("dur", len(text.split()) * SECONDS_PER_WORD))
        turn = ScriptedTurn(role, round(start, 3), round(start + dur, 3), text)
        out.append(turn)
        reach = max(reach, turn.end)
    return tuple(out)
