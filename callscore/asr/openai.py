"""openai-whisper backend: the reference implementation, on the same weights converted to a checkpoint.

Slower than faster-whisper on CPU, but it is the code Whisper's published behaviour comes from, and with
torch it is a natural GPU path. Audio is always passed as an array: given a path, openai-whisper would
shell out to a system ``ffmpeg``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from callscore.asr._torch import pick_device, prompt_text, require, set_threads
from callscore.asr.base import DecodeSettings, RawSegment, RawWord
from callscore.asr.models import get_spec
from callscore.errors import ModelError

EXTRA = "openai-whisper"
BEST_OF = 5  # candidates when sampling at temperature > 0 (openai-whisper and faster-whisper default)


class OpenAIWhisperBackend:
    """Whisper through the openai-whisper package; the model loads once per process.

    ``model`` is a manifest name (converted once from the bundled CTranslate2 weights), a CTranslate2
    folder (converted likewise) or an openai-whisper ``.pt`` checkpoint file.
    """

    name = "openai-whisper"

    def __init__(self, model: str | None, *, device: str = "cpu", cpu_threads: int = 0):
        torch = require("torch", extra=EXTRA)
        whisper = require("whisper", extra=EXTRA, attr="load_model")
        from callscore.asr.convert import openai_checkpoint

        set_threads(torch, cpu_threads)
        self._device = pick_device(torch, device)
        if model and Path(model).expanduser().is_file():
            checkpoint = Path(model).expanduser()
            self.model_id = str(checkpoint)
            self.model_sha256 = ""
        else:
            checkpoint = openai_checkpoint(model)
            is_folder = bool(model and os.path.isdir(model))
            self.model_id = model or get_spec(None).name
            self.model_sha256 = "" if is_folder else get_spec(model).sha256.get("model.bin", "")
        try:
            self._model = whisper.load_model(str(checkpoint), device=self._device)
        except (RuntimeError, KeyError, OSError) as e:
            raise ModelError(f"{checkpoint}: openai-whisper cannot load this checkpoint ({e})") from e
        heads = _checkpoint_alignment_heads(torch, checkpoint)
        if heads:
            self._model.set_alignment_heads(heads)
        self._whisper = whisper

    def transcribe(self, audio: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        """Decode speech-only 16 kHz float32 mono audio (shape (n,)); VAD is already applied by the caller."""
        result = self._whisper.transcribe(
            self._model,
            np.ascontiguousarray(audio, dtype=np.float32),
            verbose=None,
            language=settings.language,
            task="transcribe",
            beam_size=settings.beam_size,
            best_of=BEST_OF,
            temperature=tuple(settings.temperature),
            compression_ratio_threshold=settings.compression_ratio_threshold,
            logprob_threshold=settings.log_prob_threshold,
            no_speech_threshold=settings.no_speech_threshold,
            condition_on_previous_text=settings.condition_on_previous_text,
            initial_prompt=prompt_text(settings),
            word_timestamps=True,
            fp16=self._device != "cpu",
        )
        return [_segment(s) for s in result["segments"]]


def _segment(s: dict[str, Any]) -> RawSegment:
    return RawSegment(
        start=float(s["start"]),
        end=float(s["end"]),
        text=str(s["text"]),
        words=tuple(
            RawWord(float(w["start"]), float(w["end"]), str(w["word"]), float(w["probability"]))
            for w in s.get("words") or ()
        ),
        avg_logprob=float(s["avg_logprob"]),
        no_speech_prob=float(s["no_speech_prob"]),
        compression_ratio=float(s["compression_ratio"]),
    )


def _checkpoint_alignment_heads(torch: Any, checkpoint: Path) -> str | None:
    """The alignment-head dump our converter stores next to the weights (None for other checkpoints).

    openai-whisper only knows heads for its own downloads; without them word timing falls back to all
    heads of the upper half of the decoder, which is less precise.
    """
    try:
        data = torch.load(str(checkpoint), map_location="cpu", weights_only=True, mmap=True)
    except (RuntimeError, OSError, ValueError):
        return None
    heads = data.get("alignment_heads") if isinstance(data, dict) else None
    return heads if isinstance(heads, str) and heads else None
