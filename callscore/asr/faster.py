"""faster-whisper (CTranslate2) backend: the default, fastest on CPU (int8)."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from ..models import get_spec, resolve_model_dir
from .base import DecodeSettings, RawSegment, RawWord


class FasterWhisperBackend:
    """Whisper through CTranslate2; the model loads once and serves every channel and file."""

    name = "faster-whisper"

    def __init__(
        self, model: str | None, *, device: str = "cpu", compute_type: str = "int8", cpu_threads: int = 0
    ):
        from faster_whisper import WhisperModel

        path = resolve_model_dir(model)
        self.model_id = model or get_spec(None).name
        spec = None if model and os.path.isdir(model) else get_spec(model)
        self.model_sha256 = spec.sha256.get("model.bin", "") if spec else ""
        self._model = WhisperModel(
            str(path),
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            local_files_only=True,
        )

    supports_progress = True

    def transcribe(
        self, audio: np.ndarray, settings: DecodeSettings, progress: Callable[[float], None] | None = None
    ) -> list[RawSegment]:
        """Decode speech-only audio (VAD already applied); ``progress(seconds_done)`` after each segment."""
        segments, _ = self._model.transcribe(
            audio,
            language=settings.language,
            beam_size=settings.beam_size,
            word_timestamps=True,
            condition_on_previous_text=settings.condition_on_previous_text,
            initial_prompt=settings.initial_prompt,
            hotwords=settings.hotwords,
            temperature=list(settings.temperature),
            no_speech_threshold=settings.no_speech_threshold,
            log_prob_threshold=settings.log_prob_threshold,
            compression_ratio_threshold=settings.compression_ratio_threshold,
            vad_filter=False,
        )
        out = []
        for s in segments:  # a generator: decoding happens as we iterate
            out.append(
                RawSegment(
                    start=s.start,
                    end=s.end,
                    text=s.text,
                    words=tuple(RawWord(w.start, w.end, w.word, w.probability) for w in (s.words or ())),
                    avg_logprob=s.avg_logprob,
                    no_speech_prob=s.no_speech_prob,
                    compression_ratio=s.compression_ratio,
                )
            )
            if progress:
                progress(s.end)
        return out
