"""ASR backends behind one interface: each turns 16 kHz mono speech into raw segments with word times.

Voice-activity gating, channel handling, filtering and caching live in
:mod:`callscore.transcript.transcribe`, so all backends see the same speech and are judged the same way.
"""

from __future__ import annotations

import functools

from callscore.asr.base import Backend, RawSegment, RawWord
from callscore.errors import ModelError

BACKENDS = ("faster-whisper", "openai-whisper", "transformers")
DEFAULT_BACKEND = "faster-whisper"

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "RawSegment", "RawWord", "load_backend"]


@functools.lru_cache(maxsize=4)
def load_backend(
    name: str, model: str | None, *, device: str = "cpu", compute_type: str = "int8", cpu_threads: int = 0
) -> Backend:
    """Load a backend once per process (the model stays in memory between calls).

    Parameters
    ----------
    name : one of BACKENDS
    model : manifest model name, a local model folder, or (transformers) a hub id; None = default
    device : "cpu", "cuda" or "auto"
    compute_type : CTranslate2 compute type for faster-whisper ("int8", "float32", "float16", ...)
    cpu_threads : threads per model on CPU (0 = library default)
    """
    if name == "faster-whisper":
        from callscore.asr.faster import FasterWhisperBackend

        return FasterWhisperBackend(model, device=device, compute_type=compute_type, cpu_threads=cpu_threads)
    if name == "openai-whisper":
        from callscore.asr.openai import OpenAIWhisperBackend

        return OpenAIWhisperBackend(model, device=device, cpu_threads=cpu_threads)
    if name == "transformers":
        from callscore.asr.hf import TransformersBackend

        return TransformersBackend(model, device=device, cpu_threads=cpu_threads)
    raise ModelError(f"unknown backend {name!r} (choose one of: {', '.join(BACKENDS)})")
