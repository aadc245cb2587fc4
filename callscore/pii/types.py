"""Data types of the personal-data stage: what was found, where, and what redaction was applied.

A :class:`Detection` points at words of a :class:`~callscore.transcript.Transcript` by (segment id, word
index) so that redaction can rewrite exactly those words and keep every other word's times. It carries the
matched digits or text only in memory, for checks and benchmarks; :class:`Redaction`, the form that goes
into scorecards and files, never holds the value.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CallscoreError

NIK = "nik"
KK = "kk"
PHONE = "phone"
CARD = "card"
ACCOUNT = "account"
EMAIL = "email"
BIRTH_DATE = "birth_date"
NAME = "name"

PII_TYPES = (NIK, KK, PHONE, CARD, ACCOUNT, EMAIL, BIRTH_DATE, NAME)

# Typed placeholders written in place of the words. Indonesian tags (the product's first language) are the
# defaults; English transcripts get English tags so a report reads in one language.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "id": {
        NIK: "[NIK]",
        KK: "[KK]",
        PHONE: "[TELEPON]",
        CARD: "[KARTU]",
        ACCOUNT: "[REKENING]",
        EMAIL: "[EMAIL]",
        BIRTH_DATE: "[TGL_LAHIR]",
        NAME: "[NAMA]",
    },
    "en": {
        NIK: "[NATIONAL_ID]",
        KK: "[FAMILY_CARD]",
        PHONE: "[PHONE]",
        CARD: "[CARD]",
        ACCOUNT: "[ACCOUNT]",
        EMAIL: "[EMAIL]",
        BIRTH_DATE: "[DATE_OF_BIRTH]",
        NAME: "[NAME]",
    },
}

REDACT_MODES = ("none", "text", "audio")


class PiiError(CallscoreError):
    """Personal-data settings or data that cannot be used (unknown language, bad lexicon, bad mode)."""


@dataclass(frozen=True)
class WordRef:
    """One word of a transcript.

    Attributes:
        segment: ``Segment.id`` of the segment holding the word.
        index: Position of the word in ``Segment.words``; -1 for a segment without words, where the
            detection covers the segment text from ``char_start`` to ``char_end``.
        char_start: For word-less segments, first character of the span in ``Segment.text``, else 0.
        char_end: For word-less segments, end (exclusive) of the span in ``Segment.text``, else 0.
    """

    segment: int
    index: int
    char_start: int = 0
    char_end: int = 0


@dataclass(frozen=True)
class Detection:
    """One piece of personal data found in a transcript.

    Attributes:
        type: One of :data:`PII_TYPES` ("nik", "phone", "card", ...).
        channel: Audio channel the words were heard on.
        start: Start of the first word, seconds from the start of the call.
        end: End of the last word, seconds.
        words: The words covered, in order.
        text: The covered words as written (in memory only: never serialise a Detection).
        value: Normalised value (digits of a number, the e-mail address, ISO date, the name).
        reason: Why it was flagged ("cue 'nomor hp'", "NIK structure", "Luhn"), for review.
    """

    type: str
    channel: int
    start: float
    end: float
    words: tuple[WordRef, ...]
    text: str = ""
    value: str = ""
    reason: str = ""

    def __repr__(self) -> str:  # keep values out of logs and tracebacks
        return (
            f"Detection(type={self.type!r}, channel={self.channel}, start={self.start:.2f}, "
            f"end={self.end:.2f}, words={len(self.words)}, reason={self.reason!r})"
        )


@dataclass(frozen=True)
class Redaction:
    """What was redacted, as scorecards and files record it: type and place, never the value.

    Attributes:
        type: One of :data:`PII_TYPES`.
        placeholder: The tag written in its place ("[TELEPON]").
        channel: Audio channel.
        start: Start in seconds.
        end: End in seconds.
    """

    type: str
    placeholder: str
    channel: int
    start: float
    end: float


@dataclass(frozen=True)
class AudioRedactionOptions:
    """How audio spans are blanked.

    Attributes:
        margin: Seconds added before and after each span; Whisper base word times are off by
            ~0.15-0.25 s, so the margin must exceed that.
        fill: "silence" (zeros) or "tone" (a steady beep, so a listener hears that something was removed).
        tone_hz: Frequency of the tone in Hz.
        tone_level: Peak amplitude of the tone, 0..1.
        ramp: Seconds over which speech fades out before a span and back in after it (outside the
            span, which holds no trace of the speech), so the cut does not click.
        all_channels: Blank the span on every channel, not only the one it was heard on: telephone
            echo and crosstalk carry the customer's voice onto the agent's channel.
    """

    margin: float = 0.3
    fill: str = "silence"
    tone_hz: float = 1000.0
    tone_level: float = 0.1
    ramp: float = 0.005
    all_channels: bool = True
