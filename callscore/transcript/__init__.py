"""Transcript stage: the transcript data model and its JSON, and transcription gated by voice activity.

``model`` (Word, Segment, Speaker, Transcript; lossless schema-versioned JSON), ``transcribe`` (per channel,
through an ``callscore.asr`` backend, cached by audio hash, model and settings), ``textnorm`` (the one word
normaliser every later stage uses: word keys, plain text, standard spelling with numbers as digits for
matching and WER, the sentiment model's tokens; informal lexicon in ``rubrics/lang/<code>/lexicon.yaml``).
"""

from callscore.transcript.model import (
    AGENT,
    CUSTOMER,
    ROLES,
    Segment,
    Speaker,
    Transcript,
    TranscriptionInfo,
    Word,
    is_transcript_file,
    load_transcript,
    save_transcript,
    transcript_from_dict,
    transcript_to_dict,
    transcript_to_json,
)
from callscore.transcript.transcribe import TranscribeOptions, transcribe_audio, transcribe_path

__all__ = [
    "AGENT",
    "CUSTOMER",
    "ROLES",
    "Segment",
    "Speaker",
    "TranscribeOptions",
    "Transcript",
    "TranscriptionInfo",
    "Word",
    "is_transcript_file",
    "load_transcript",
    "save_transcript",
    "transcribe_audio",
    "transcribe_path",
    "transcript_from_dict",
    "transcript_to_dict",
    "transcript_to_json",
]
