"""What the two torch backends share: importing optional packages, device and thread setup, prompts."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from callscore.asr.base import DecodeSettings
from callscore.errors import MissingDependencyError

EXTRAS = {"openai-whisper": "openai-whisper", "transformers": "transformers"}


def require(module: str, *, extra: str, attr: str | None = None) -> ModuleType:
    """Import an optional module or raise MissingDependencyError naming the extra to install.

    ``attr`` guards against an unrelated package of the same name (PyPI's ``whisper`` is not
    openai-whisper): the module must have it.
    """
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        raise MissingDependencyError(
            f"the {extra} backend needs the {module!r} package: pip install 'callscore[{extra}]'"
        ) from e
    if attr is not None and not hasattr(mod, attr):
        raise MissingDependencyError(
            f"the installed {module!r} package is not the one the {extra} backend needs "
            f"(no {module}.{attr}): pip install 'callscore[{extra}]'"
        )
    return mod


def pick_device(torch: Any, device: str) -> str:
    """'auto' -> 'cuda' when a GPU is visible, else 'cpu'; other values pass through."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def set_threads(torch: Any, cpu_threads: int) -> None:
    """Use ``cpu_threads`` intra-op threads when > 0 (0 keeps torch's default, all cores)."""
    if cpu_threads > 0:
        torch.set_num_threads(cpu_threads)


def prompt_text(settings: DecodeSettings) -> str | None:
    """The text prompt: hotwords first (as faster-whisper places them), then the initial prompt."""
    parts = [p.strip() for p in (settings.hotwords, settings.initial_prompt) if p and p.strip()]
    return " ".join(parts) or None
