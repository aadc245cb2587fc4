"""What every ASR backend returns and the interface it implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class RawWord:
    """A word with times relative to the audio the backend was given.

    Attributes: start (s), end (s), text, probability (0..1).
    """

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class RawSegment:
    """A decoded segment, times relative to the backend's input audio.

    Attributes:
        start: Seconds.
        end: Seconds.
        text: Text.
        words: Words with times.
        avg_logprob: Average token log-probability.
        no_speech_prob: Probability of no speech in the window.
        compression_ratio: gzip compression ratio of the text.
    """

    start: float
    end: float
    text: str
    words: tuple[RawWord, ...]
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


@dataclass(frozen=True)
class DecodeSettings:
    """Decoding settings every backend honours.

    Attributes:
        language: Language code ("id").
        beam_size: Beam width.
        condition_on_previous_text: Feed previous text as prompt (off: avoids runaway repetition).
        initial_prompt: Text prompt biasing vocabulary and style, or None.
        hotwords: Extra words to favour (faster-whisper); folded into the prompt elsewhere.
        temperature: Fallback temperatures, first is used first.
        no_speech_threshold: Whisper's no-speech threshold.
        log_prob_threshold: Whisper's average log-probability threshold for fallback.
        compression_ratio_threshold: Whisper's compression-ratio threshold for fallback.
        batch_size: faster-whisper decodes this many <= 30 s speech clips at once; 1 (default) is
            Whisper's sequential long-form loop. 4 is 1.1-1.5x faster on 2 cores but less accurate
            (docs/backends.md: 44 of 48 example outcomes right against 46), so it is opt-in.
    """

    language: str = "id"
    beam_size: int = 5
    condition_on_previous_text: bool = False
    initial_prompt: str | None = None
    hotwords: str | None = None
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    batch_size: int = 1


class Backend(Protocol):
    """An ASR backend with its model loaded.

    Attributes:
        name: Backend name ("faster-whisper", ...).
        model_id: Model name or path as resolved.
        model_sha256: Checksum of the weights when known, else "".
    """

    name: str
    model_id: str
    model_sha256: str

    def transcribe(self, audio: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        """Decode 16 kHz float32 mono ``audio`` (shape (n,)) into segments with word timestamps."""
        ...
