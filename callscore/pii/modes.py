"""One call for the pipeline: detect, then redact what the ``--redact`` mode asks for."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..transcript import Transcript
from .detect import DetectOptions, detect_pii
from .redact import redact_audio, redact_transcript, redaction_log
from .types import REDACT_MODES, AudioRedactionOptions, PiiError, Redaction


@dataclass(frozen=True, eq=False)
class RedactionResult:
    """What a redaction mode produced for one call.

    Attributes:
        mode: "none", "text" or "audio".
        transcript: The transcript to use downstream: redacted for "text" and "audio", as given for "none".
        redactions: What was (or, for "none", would have been) redacted: type, placeholder, channel, time.
        samples: For "audio": the recording with the spans blanked, float32 (channels, n_samples) or
            (n_samples,) as given; None otherwise.
    """

    mode: str
    transcript: Transcript
    redactions: tuple[Redaction, ...]
    samples: np.ndarray | None = None


def redact(
    *,
    transcript: Transcript,
    mode: str,
    samples: np.ndarray | None = None,
    sample_rate: int | None = None,
    detect_options: DetectOptions | None = None,
    audio_options: AudioRedactionOptions | None = None,
) -> RedactionResult:
    """Detect personal data in ``transcript`` and redact it as ``mode`` says.

    Parameters
    ----------
    transcript : the call's transcript (from the ASR or the cache)
    mode : "none" (detect only, nothing changed), "text" (placeholders in the transcript) or "audio"
        (placeholders and the recording blanked over each span)
    samples : for "audio": float32, shape (n_samples,) or (channels, n_samples)
    sample_rate : for "audio": Hz of ``samples``
    detect_options, audio_options : see :class:`DetectOptions`, :class:`AudioRedactionOptions`

    Raises
    ------
    PiiError
        Unknown mode, or "audio" without samples.
    """
    if mode not in REDACT_MODES:
        raise PiiError(f"--redact {mode!r}: choose one of {', '.join(REDACT_MODES)}")
    detections = detect_pii(transcript=transcript, options=detect_options)
    lang = (detect_options.language if detect_options else None) or transcript.info.language or "id"
    log = redaction_log(detections=detections, language=lang)
    if mode == "none":
        return RedactionResult(mode=mode, transcript=transcript, redactions=log)
    redacted = redact_transcript(transcript=transcript, detections=detections, language=lang)
    if mode == "text":
        return RedactionResult(mode=mode, transcript=redacted, redactions=log)
    if samples is None or not sample_rate:
        raise PiiError(f"{transcript.audio.path}: --redact audio needs the recording, and none was loaded")
    audio = redact_audio(
        samples=samples, sample_rate=sample_rate, detections=detections, options=audio_options
    )
    return RedactionResult(mode=mode, transcript=redacted, redactions=log, samples=audio)
