"""Shared fixtures: paths of the small test data and of the bundled example calls."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``tests/data``: small fixtures checked into the repo (and ``example_transcripts/``, what Whisper base
    hears in each bundled example)."""
    return REPO / "tests" / "data"


@pytest.fixture(scope="session")
def short_stereo_path(data_dir: Path) -> Path:
    """14 s 8 kHz µ-law stereo call: agent greeting on the left, customer complaint on the right."""
    return data_dir / "short_stereo.wav"


@pytest.fixture(scope="session")
def short_stereo_transcript_path(data_dir: Path) -> Path:
    """Transcript JSON of ``short_stereo.wav`` made with the bundled Whisper base model."""
    return data_dir / "short_stereo.json"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """``examples/``: the six bundled example calls, ``truth.json`` and ``make_examples.py``."""
    return REPO / "examples"


@pytest.fixture(scope="session")
def rubric_v2_bench():
    """benchmarks/rubric_v2.py as a module: the loader both rubric data sets (v2, v3) are read with."""
    import importlib.util
    import sys

    script = REPO / "benchmarks" / "rubric_v2.py"
    spec = importlib.util.spec_from_file_location("rubric_v2", script)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["rubric_v2"] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop("rubric_v2", None)
