"""The Ray engine on a local Ray (2 CPUs): same outputs and skip/resume semantics as the process pool."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from batch_helpers import fake_factory, write_call

from callscore.batch.driver import FAILED, SCORED, SKIPPED, BatchOptions, RunKey, run_batch
from callscore.batch.inputs import plan_inputs
from callscore.batch.work import WORKER_DIED
from callscore.results.store import open_store
from callscore.scorecard import scorecard_from_dict

pytestmark = pytest.mark.slow
KEY = RunKey("test-rubric", "1", "fake-model")


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    here = Path(__file__).parent
    # Ray's worker processes must import this test's helpers and the checkout under test.
    paths = [str(here.parent), str(here), os.environ.get("PYTHONPATH", "")]
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}},
    )
    yield ray
    ray.shutdown()


def test_ray_engine_scores_skips_and_records_failures(tmp_path, local_ray):
    src = tmp_path / "calls"
    for i in range(4):
        write_call(src, f"c{i}.wav", duration=30.0 * (i + 1), fail=["greeting"] if i % 2 else [])
    write_call(src, "bad.wav", bad="no speech found")
    write_call(src, "dies.wav", die=True)
    calls, _ = plan_inputs([src])
    out = tmp_path / "out"
    opts = BatchOptions(out_dir=out, jobs=2, engine="ray", scorer_factory=fake_factory, run_key=KEY)

    first = run_batch(calls, options=opts)
    status = {o.call_id: o.status for o in first.outcomes}
    assert status == {"bad": FAILED, "c0": SCORED, "c1": SCORED, "c2": SCORED, "c3": SCORED, "dies": FAILED}
    reasons = {o.call_id: o.reason for o in first.of(FAILED)}
    assert reasons["bad"].endswith("bad.wav: no speech found") and WORKER_DIED in reasons["dies"]
    assert first.audio_s == pytest.approx(300.0)
    card = scorecard_from_dict(json.loads((out / "c1.json").read_text()))
    assert card.total == 75.0 and card.call_id == "c1"
    with open_store(out / "callscore.sqlite") as st:
        assert len(st.calls()) == 4 and len(st.item_results()) == 16 and len(st.failures()) == 2

    second = run_batch(calls, options=opts)
    assert len(second.of(SKIPPED)) == 4 and {o.call_id for o in second.of(FAILED)} == {"bad", "dies"}
    assert local_ray.is_initialized()  # the engine leaves a Ray it did not start running
