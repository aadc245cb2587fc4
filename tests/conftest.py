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
