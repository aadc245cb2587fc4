"""Personal data: find it in a transcript, redact it in text and audio, and record what was redacted.

Entry points for the pipeline (``--redact none|text|audio``):

- :func:`detect_pii` (transcript -> detections),
- :func:`redact_transcript` (transcript + detections -> transcript with ``[NIK]``, ``[TELEPON]``... tags),
- :func:`redaction_log` (detections -> what scorecards record: type, channel, time, never the value),
- :func:`redact_audio` + :func:`write_redacted_audio` (the recording with the spans silenced or toned),
- :func:`redact` (all of it for one mode, in one call).
"""

from __future__ import annotations

from .detect import DetectOptions, detect_pii
from .lexicon import Lexicon, load_lexicon
from .modes import RedactionResult, redact
from .numbers import luhn_valid, nik_valid, phone_shape
from .redact import placeholder, redact_audio, redact_transcript, redaction_log, write_redacted_audio
from .types import (
    ACCOUNT,
    BIRTH_DATE,
    CARD,
    EMAIL,
    KK,
    NAME,
    NIK,
    PHONE,
    PII_TYPES,
    PLACEHOLDERS,
    REDACT_MODES,
    AudioRedactionOptions,
    Detection,
    PiiError,
    Redaction,
    WordRef,
)

__all__ = [
    "ACCOUNT",
    "BIRTH_DATE",
    "CARD",
    "EMAIL",
    "KK",
    "NAME",
    "NIK",
    "PHONE",
    "PII_TYPES",
    "PLACEHOLDERS",
    "REDACT_MODES",
    "AudioRedactionOptions",
    "DetectOptions",
    "Detection",
    "Lexicon",
    "PiiError",
    "Redaction",
    "RedactionResult",
    "WordRef",
    "detect_pii",
    "load_lexicon",
    "luhn_valid",
    "nik_valid",
    "phone_shape",
    "placeholder",
    "redact",
    "redact_audio",
    "redact_transcript",
    "redaction_log",
    "write_redacted_audio",
]
