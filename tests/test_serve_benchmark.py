"""benchmarks/serve_load.py: its arithmetic, and one short bounded run against a real server."""

from __future__ import annotations

import pytest
from serve_helpers import load_bench

bench = load_bench()


def test_parse_args_and_percentiles():
    a = bench.parse_args([])
    assert (a.calls, a.sessions, a.seconds, a.think) == (10_000, 50, 60.0, 1.0)
    xs = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert bench.percentile(xs, 0.95) == pytest.approx(0.095) and bench.percentile(xs, 0.5) == 0.050
    s = bench.summarise([bench.Sample("list", 0.010, True), bench.Sample("call", 0.030, False)], 2.0)
    assert s["requests"] == 2 and s["errors"] == 1 and s["rate_per_s"] == 1.0
    assert s["list"]["p95_ms"] == 10.0 and s["all"]["max_ms"] == 30.0


def test_short_run_serves_every_kind_without_errors(tmp_path):
    s = bench.run(url=str(tmp_path / "load.sqlite"), calls=300, sessions=3, seconds=3.0, think=0.1)
    assert s["errors"] == 0 and s["calls"] == 300
    for kind in ("list", "call", "api"):
        assert s[kind]["n"] >= 3, kind
    assert s["requests"] >= 15 and s["all"]["p95_ms"] > 0
