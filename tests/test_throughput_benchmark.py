"""benchmarks/throughput.py: corpus loading and fallback, the figures and their verdicts (no model)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from batch_helpers import benchmark_module

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "throughput.py"


@pytest.fixture(scope="module")
def bench():
    with benchmark_module(SCRIPT) as mod:
        yield mod


def test_corpus_is_read_per_condition_and_absent_means_examples(bench, tmp_path):
    assert bench.load_corpus(tmp_path / "none", calls=0, conditions=["stereo16"]) == []
    for i in range(3):
        files = {c: f"real{i:03d}.{c}.wav" for c in ("stereo16", "tel8")}
        (tmp_path / f"real{i:03d}.labels.json").write_text(json.dumps({"call_id": i, "files": files}))
    got = bench.load_corpus(tmp_path, calls=2, conditions=["stereo16", "tel8"])
    assert [(c, p.name) for c, p, _ in got] == [
        ("stereo16", "real000.stereo16.wav"),
        ("stereo16", "real001.stereo16.wav"),
        ("tel8", "real000.tel8.wav"),
        ("tel8", "real001.tel8.wav"),
    ]
    examples = bench.example_calls(2)
    assert len(examples) == 2 and all(
        c == "example" and p.is_file() and lab is None for c, p, lab in examples
    )


def test_speeds_ratios_and_verdicts(bench):
    empty = {
        "roles": {},
        "channel_of": {},
        "words": (),
        "turns": (),
        "interruptions": (),
        "dead_air": (),
        "items": {},
        "reasons": {},
        "talk_ratio": None,
    }
    runs = [
        bench.CallRun("faster-whisper", "a.wav", "example", 30.0, 5.0, empty),
        bench.CallRun("faster-whisper", "b.wav", "example", 30.0, 5.0, empty),
        bench.CallRun("default", "a.wav", "example", 30.0, 2.0, empty),
        bench.CallRun("default", "b.wav", "example", 30.0, 1.0, empty),
    ]
    workers = {
        "faster-whisper": SimpleNamespace(rss_mb=500.0, load_s=1.0),
        "default": SimpleNamespace(rss_mb=1100.0, load_s=1.0),
    }
    rows = bench.summarise(runs, workers, {})
    by = {r["config"]: r for r in rows}
    assert by["faster-whisper"]["x_real_time"] == 6.0 and by["faster-whisper"]["ratio_to_baseline"] == 1.0
    assert by["default"]["x_real_time"] == 20.0 and by["default"]["ratio_to_baseline"] == pytest.approx(3.333)
    text = bench.format_rows(rows)
    assert "20.00x real time (target >= 15x): MET" in text
    assert "3.33x (target >= 1.8x): MET" in text
    assert "at most 1100 MB (target <= 1024 MB): MISSED" in text
    slow = [bench.CallRun(r.config, r.call, r.condition, r.audio_s, r.wall_s * 4, r.view) for r in runs[2:]]
    text = bench.format_rows(bench.summarise(runs[:2] + slow, workers, {}))
    assert "5.00x real time (target >= 15x): MISSED" in text and "0.83x (target >= 1.8x): MISSED" in text
