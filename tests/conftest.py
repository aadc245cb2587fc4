"""Shared fixtures: paths of the small test data and of the bundled example calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import PostgresServer, benchmark_module, pg_bindir, pg_skip_reason

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
    with benchmark_module(REPO / "benchmarks" / "rubric_v2.py") as mod:
        yield mod


@pytest.fixture(scope="module")
def pg_server():
    """A throwaway PostgreSQL server for a test module (skips where PostgreSQL is not installed)."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    server = PostgresServer(pg_bindir())
    yield server
    server.stop()
