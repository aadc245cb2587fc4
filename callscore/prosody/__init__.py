"""Prosody stage: explained 0-100 calm and confidence scores per speaker from pitch, loudness, rate, pauses.

``pitch`` (YIN tracker), ``praat`` (opt-in GPL tracker), ``features`` (per-speaker measurements),
``scores`` (features -> scores with every contribution), ``report`` (the stage entry point and its types).
"""

from callscore.prosody.features import ProsodyFeatures, ProsodyOptions
from callscore.prosody.report import (
    ProsodyError,
    ProsodyReport,
    SpeakerProsody,
    analyze_prosody,
    prosody_summary,
    prosody_to_dict,
)
from callscore.prosody.scores import ProsodyScore

__all__ = [
    "ProsodyError",
    "ProsodyFeatures",
    "ProsodyOptions",
    "ProsodyReport",
    "ProsodyScore",
    "SpeakerProsody",
    "analyze_prosody",
    "prosody_summary",
    "prosody_to_dict",
]
