"""benchmarks/batch_throughput.py: argument parsing, arithmetic, staging, and one run with the fake scorer."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import benchmark_module, fake_factory, write_call

from callscore.batch.driver import RunKey

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "batch_throughput.py"


@pytest.fixture(scope="module")
def bench():
    with benchmark_module(SCRIPT) as mod:
        yield mod


def test_parse_args(bench):
    a = bench.parse_args([])
    assert a.paths == ["examples"] and a.calls == 8 and a.configs == ["local1", "local2", "ray"]
    a = bench.parse_args(["x.wav", "y", "-n", "3", "--configs", "local2, local1", "--json", "o.json"])
    assert a.paths == ["x.wav", "y"] and a.calls == 3 and a.configs == ["local2", "local1"]
    assert a.json == Path("o.json")
    with pytest.raises(SystemExit):
        bench.parse_args(["--configs", "local3"])
    with pytest.raises(SystemExit):
        bench.parse_args(["-n", "0"])


def test_arithmetic(bench):
    m1 = bench.Measurement("local1", "local", 1, 8, 0, audio_s=480.0, wall_s=60.0)
    m2 = bench.Measurement("local2", "local", 2, 8, 0, audio_s=480.0, wall_s=35.0)
    assert m1.speed == 8.0
    assert bench.scaling(m2, m1) == pytest.approx(60.0 / 35.0)
    assert bench.scaling(None, m1) is None
    assert bench.scaling(m2, bench.Measurement("local1", "local", 1, 0, 0, 0.0, 0.0)) is None
    assert bench.throughput(10.0, 0.0) == 0.0
    text = bench.format_results([m1, m2])
    assert "best speed 13.71x real time (target >= 8x): met" in text
    assert "--jobs 2 / --jobs 1 = 1.71 (target >= 1.6): met" in text
    slow = bench.Measurement("local2", "local", 2, 8, 0, audio_s=480.0, wall_s=50.0)
    assert "= 1.20 (target >= 1.6): NOT met" in bench.format_results([m1, slow])
    assert "2 processes do 1.50x the work of one" in bench.format_results([m1, slow], 1.5)
    assert "--jobs 2 reached 80% of it" in bench.format_results([m1, slow], 1.5)


def test_cpu_ceiling_is_a_plausible_ratio(bench):
    ratio = bench.cpu_ceiling(workers=2, loops=200_000)
    assert 0.3 < ratio < 2.6  # 2 processes: at most twice the work of one, give or take timer noise


def test_stage_calls_cycles_with_unique_names(bench, tmp_path):
    a = write_call(tmp_path / "ex", "a.wav")
    b = write_call(tmp_path / "ex", "b.flac")
    write_call(tmp_path / "ex", "truth.json")
    found = bench.find_audio([str(tmp_path / "ex")])
    assert found == [a, b]
    staged = bench.stage_calls(found, 5, tmp_path / "in", tag="local1")
    assert [p.name for p in staged] == [
        "local1-0000-a.wav",
        "local1-0001-b.flac",
        "local1-0002-a.wav",
        "local1-0003-b.flac",
        "local1-0004-a.wav",
    ]
    assert len({p.stem for p in staged}) == 5  # distinct call ids: nothing is skipped as a duplicate


def test_measure_with_the_fake_scorer(bench, tmp_path):
    files = [write_call(tmp_path / "src", f"c{i}.wav", duration=45.0) for i in range(3)]
    staged = bench.stage_calls(files, 3, tmp_path / "in", tag="local1")
    m = bench.measure(
        "local1", staged, out=tmp_path / "out", factory=fake_factory, run_key=RunKey("r", "1", "m")
    )
    assert (m.calls, m.failed, m.audio_s, m.jobs) == (3, 0, 135.0, 1)
    assert m.wall_s > 0 and m.speed == pytest.approx(135.0 / m.wall_s)
