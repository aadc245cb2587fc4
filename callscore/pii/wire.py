"""``--redact none|text|audio`` for the product: what the pipeline, the cache and the writers call.

The detection and redaction functions (``detect``, ``redact``, ``modes``) are pure; this module is where a
mode meets files:

- the transcript cache stores only the redacted transcript when redaction is on, with the record of what
  was redacted (type, channel, time; never the value) in ``TranscriptionInfo.options["redaction"]``, so a
  cache hit still knows the spans (for scorecards and for blanking the audio) without the clear text;
- ``audio`` writes ``<call_id>.redacted.wav`` next to the outputs (0600: the voices are still personal
  data) and the reports play that copy;
- scorecards record the mode, the spans and the copy's sha256 under ``settings["redaction"]``.

Defaults (docs/pii.md, README "Personal data"): ``text`` for ``score``, ``batch`` and ``render`` -- their
files are shared and kept, and a reviewer needs to see that a number was said, not the number.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..audio.model import Audio, as_float32
from ..files import file_sha256
from ..transcript import Transcript
from .modes import redact
from .redact import redaction_ops, write_redacted_blocks
from .types import REDACT_MODES, AudioRedactionOptions, Detection, PiiError, Redaction

DEFAULT_REDACT = "text"
RECORD_KEY = "redaction"  # key in TranscriptionInfo.options and in Scorecard.settings
REDACTED_AUDIO_SUFFIX = ".redacted.wav"
MODE_HELP = (
    "Personal data (NIK, phone, card, account, e-mail, birth date, names): none = clear text; "
    "text = typed placeholders ([NIK], [TELEPON]...) in every file written, no audio in reports; "
    "audio = text, plus a redacted copy of the recording that the HTML report plays."
)

COPY_BLOCK = 15 * 16000  # samples per channel blanked and written at a time (15 s at 16 kHz)


def check_mode(mode: str) -> str:
    """``mode`` when it is one of none/text/audio, else a one-line PiiError."""
    m = (mode or "").strip().lower()
    if m not in REDACT_MODES:
        raise PiiError(f"--redact {mode!r}: choose one of {', '.join(REDACT_MODES)}")
    return m


def redaction_to_dict(r: Redaction) -> dict[str, Any]:
    """JSON form of one redaction: type, placeholder, channel, start, end (no value)."""
    return {
        "type": r.type,
        "placeholder": r.placeholder,
        "channel": r.channel,
        "start": r.start,
        "end": r.end,
    }


def redactions_from_dicts(items: Iterable[Mapping[str, Any]]) -> tuple[Redaction, ...]:
    """Rebuild redactions from :func:`redaction_to_dict` output; malformed entries raise PiiError."""
    try:
        return tuple(
            Redaction(
                type=str(i["type"]),
                placeholder=str(i["placeholder"]),
                channel=int(i["channel"]),
                start=float(i["start"]),
                end=float(i["end"]),
            )
            for i in items
        )
    except (KeyError, TypeError, ValueError) as e:
        raise PiiError(f"recorded redactions are malformed ({e})") from e


def recorded_redactions(transcript: Transcript) -> tuple[Redaction, ...] | None:
    """The redactions a transcript was made with, or None for a transcript that was never redacted."""
    rec = transcript.info.options.get(RECORD_KEY) if isinstance(transcript.info.options, dict) else None
    if not isinstance(rec, Mapping):
        return None
    return redactions_from_dicts(rec.get("redactions", ()))


def redact_text(transcript: Transcript) -> Transcript:
    """The transcript with placeholders, and the redaction record in ``info.options["redaction"]``.

    Already redacted transcripts (a cache hit, a saved redacted transcript) come back as they are, so
    their record is kept and nothing is detected twice.
    """
    if recorded_redactions(transcript) is not None:
        return transcript
    result = redact(transcript=transcript, mode="text")
    record = {"mode": "text", "redactions": [redaction_to_dict(r) for r in result.redactions]}
    info = replace(result.transcript.info, options={**transcript.info.options, RECORD_KEY: record})
    return replace(result.transcript, info=info)


def apply_mode(transcript: Transcript, *, mode: str) -> Transcript:
    """What every writer downstream sees for ``mode``: the transcript as is ("none") or redacted."""
    return transcript if check_mode(mode) == "none" else redact_text(transcript)


def without_record(options: Mapping[str, Any]) -> dict[str, Any]:
    """Transcription options without the redaction record (it is reported once, in ``settings``)."""
    return {k: v for k, v in options.items() if k != RECORD_KEY}


def redacted_audio_path(folder: str | os.PathLike[str], call_id: str) -> Path:
    """``folder/<call_id>.redacted.wav`` (the call id made safe for a file name)."""
    safe = re.sub(r"[^\w.-]+", "_", call_id).strip("._") or "call"
    return Path(folder) / f"{safe}{REDACTED_AUDIO_SUFFIX}"


def write_redacted_copy(
    *,
    audio: Audio,
    redactions: Sequence[Redaction],
    path: str | os.PathLike[str],
    options: AudioRedactionOptions | None = None,
) -> tuple[Path, str]:
    """Write the recording with every redacted span (plus margin) blanked; returns (path, sha256).

    The copy is the decoded audio (16 kHz, the call's channels) as 16-bit WAV, created 0600.
    """
    spans = [
        Detection(type=r.type, channel=r.channel, start=r.start, end=r.end, words=()) for r in redactions
    ]
    channels, n = audio.samples.shape
    ops = redaction_ops(
        detections=spans, channels=channels, n=n, sample_rate=audio.sample_rate, options=options
    )

    def blocks() -> Iterator[tuple[int, np.ndarray]]:
        # a block of every channel at a time, converted from int16 where a long call is held so
        for a in range(0, n, COPY_BLOCK):
            yield a, np.stack([as_float32(audio.samples[c, a : a + COPY_BLOCK]) for c in range(channels)])

    out = write_redacted_blocks(
        path=path, blocks=blocks, channels=channels, sample_rate=audio.sample_rate, ops=ops
    )
    return out, file_sha256(out)


def redaction_settings(
    *,
    mode: str,
    redactions: Sequence[Redaction],
    audio_copy: str | os.PathLike[str] | None = None,
    audio_sha256: str = "",
) -> dict[str, Any]:
    """What a scorecard records under ``settings["redaction"]``: mode, spans, the redacted copy."""
    body: dict[str, Any] = {
        "mode": mode,
        "count": len(redactions),
        "redactions": [redaction_to_dict(r) for r in redactions],
    }
    if audio_copy is not None:
        body["audio"] = str(audio_copy)
        body["audio_sha256"] = audio_sha256
    return body


def report_audio(
    *, mode: str, original: str | os.PathLike[str] | None, copy: str | os.PathLike[str] | None
) -> str | None:
    """The recording a report may play: the original with "none", the redacted copy with "audio",
    nothing with "text" (the recording is personal data in itself)."""
    if mode == "none":
        return None if original is None else str(original)
    if mode == "audio":
        return None if copy is None else str(copy)
    return None


def scorecard_mode(settings: Mapping[str, Any]) -> str:
    """The redaction mode a scorecard was made with ("none" for scorecards from before ``--redact``)."""
    rec = settings.get(RECORD_KEY)
    mode = rec.get("mode") if isinstance(rec, Mapping) else None
    return mode if mode in REDACT_MODES else "none"


def redact_quotes(*, quotes: Sequence[tuple[str, float, float, int]], language: str = "id") -> list[str]:
    """Each (quote, start, end, channel) with its personal data replaced by placeholders.

    For scorecards scored with ``--redact none`` and rendered with redaction: the quotes are read as
    short transcripts of their own, so numbers with their structure or a cue inside the quote are found
    (an answer whose cue was in the other side's turn is not: re-score such calls with ``--redact``).
    """
    from ..audio.model import AudioInfo
    from ..transcript import Segment, TranscriptionInfo

    segments = tuple(
        Segment(id=n, channel=ch, start=start, end=max(start, end), text=text)
        for n, (text, start, end, ch) in enumerate(quotes)
    )
    t = Transcript(
        audio=AudioInfo(path="", sha256="", duration=0.0, sample_rate=16000, channels=2),
        info=TranscriptionInfo(backend="import", model="", language=language),
        segments=segments,
    )
    out = redact(transcript=t, mode="text").transcript
    return [s.text for s in out.segments]


def recorded_spans(settings: Mapping[str, Any]) -> tuple[Redaction, ...]:
    """The redactions a scorecard records under ``settings["redaction"]`` (empty when none)."""
    rec = settings.get(RECORD_KEY)
    return redactions_from_dicts(rec.get("redactions", ())) if isinstance(rec, Mapping) else ()
