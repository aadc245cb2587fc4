"""faster-whisper (CTranslate2) backend: the default, fastest on CPU (int8)."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from callscore.asr.base import DecodeSettings, RawSegment, RawWord
from callscore.asr.models import get_spec, resolve_model_dir
from callscore.audio.vad import SAMPLE_RATE

MAX_ROUNDS = 3  # batched passes: the clips, then what Whisper left undecoded at their ends
TAIL_S = 1.5  # speech left after a clip's last segment that is worth a second pass (s)


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
        from callscore.asr.runtime import capture_ct2_cpu_path

        # The first load in a process also records which CPU path CTranslate2 took (asr/runtime.py).
        self._model = capture_ct2_cpu_path(
            lambda: WhisperModel(
                str(path),
                device=device,
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        )
        self._batched: Any = None  # BatchedInferencePipeline, made on first use

    supports_progress = True
    supports_clips = True

    def transcribe(
        self,
        audio: np.ndarray,
        settings: DecodeSettings,
        progress: Callable[[float], None] | None = None,
        clips: Sequence[tuple[float, float]] | None = None,
    ) -> list[RawSegment]:
        """Decode speech-only audio (VAD already applied); ``progress(seconds_done)`` after each segment.

        With ``clips`` (<= 30 s pieces of ``audio`` that end between words, see
        :func:`callscore.audio.vad.speech_clips`) and ``settings.batch_size`` > 1, the clips are decoded in
        batches: 1.1-1.5x faster on 2 CPU cores than Whisper's sequential long-form loop, a little less
        accurate (docs/backends.md). Batched decoding has no temperature fallback, so a clip whose text
        comes out repetitive or improbable is decoded again on its own with the rest of the temperature
        ladder, as Whisper would.
        """
        if clips and settings.batch_size > 1:
            return self._transcribe_batched(audio, settings, clips, progress)
        segments, _ = self._model.transcribe(audio, **self._options(settings), vad_filter=False)
        return _collect(segments, progress)

    def _options(self, settings: DecodeSettings) -> dict[str, Any]:
        return {
            "language": settings.language,
            "beam_size": settings.beam_size,
            "word_timestamps": True,
            "condition_on_previous_text": settings.condition_on_previous_text,
            "initial_prompt": settings.initial_prompt,
            "hotwords": settings.hotwords,
            "temperature": list(settings.temperature),
            "no_speech_threshold": settings.no_speech_threshold,
            "log_prob_threshold": settings.log_prob_threshold,
            "compression_ratio_threshold": settings.compression_ratio_threshold,
        }

    def _transcribe_batched(
        self,
        audio: np.ndarray,
        settings: DecodeSettings,
        clips: Sequence[tuple[float, float]],
        progress: Callable[[float], None] | None,
    ) -> list[RawSegment]:
        from faster_whisper import BatchedInferencePipeline

        if self._batched is None:
            self._batched = BatchedInferencePipeline(self._model)
        options = self._options(settings)
        options["temperature"] = list(settings.temperature[:1])
        fallback = settings.temperature[1:]
        out: list[RawSegment] = []
        pending = list(clips)
        for _round in range(MAX_ROUNDS):
            if not pending:
                break
            segments, _ = self._batched.transcribe(
                audio,
                **options,
                without_timestamps=False,  # timestamp tokens give sentence-sized segments, not one per clip
                clip_timestamps=[{"start": s, "end": e} for s, e in pending],
                batch_size=settings.batch_size,
                vad_filter=False,
            )
            per_clip: list[list[RawSegment]] = [[] for _ in pending]
            starts = [s for s, _ in pending]
            for seg in _collect(segments, progress):
                middle = (seg.start + seg.end) / 2  # starts are rounded: one can fall just before its clip
                per_clip[max(bisect.bisect_right(starts, middle) - 1, 0)].append(seg)
            tails = []
            for (start, end), segs in zip(pending, per_clip, strict=True):
                if fallback and any(_needs_fallback(seg, settings) for seg in segs):
                    piece = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
                    redo, _ = self._model.transcribe(
                        piece, **{**options, "temperature": list(fallback)}, vad_filter=False
                    )
                    out.extend(_shift(seg, start) for seg in _collect(redo, None))
                    continue
                out.extend(segs)
                # Whisper sometimes ends a window early; the sequential loop would seek to the last
                # timestamp and go on, so the rest of the clip is decoded in the next round.
                # Word ends, not segment ends: a skipped stretch can still sit under a final timestamp.
                done = max((w.end for seg in segs for w in seg.words), default=end)
                if end - done > TAIL_S:
                    tails.append((done, end))
            pending = tails
        return sorted(out, key=lambda seg: seg.start)


def _needs_fallback(seg: RawSegment, settings: DecodeSettings) -> bool:
    """Whisper's rule for decoding again at a higher temperature (silence excepted)."""
    if seg.no_speech_prob > settings.no_speech_threshold and seg.avg_logprob < settings.log_prob_threshold:
        return False  # Whisper calls this silence; the transcript filter drops it
    return seg.compression_ratio > settings.compression_ratio_threshold or seg.avg_logprob < (
        settings.log_prob_threshold
    )


def _shift(seg: RawSegment, offset: float) -> RawSegment:
    return replace(
        seg,
        start=seg.start + offset,
        end=seg.end + offset,
        words=tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in seg.words),
    )


def _collect(segments: Iterable[Any], progress: Callable[[float], None] | None) -> list[RawSegment]:
    """faster-whisper's segment generator (decoding happens as it is iterated) as raw segments."""
    out = []
    for s in segments:
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
