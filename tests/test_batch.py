"""Batch orchestration: inputs, metadata, atomic results, skip on re-run, failures, crashes, exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import broken_factory, fake_factory, write_call
from typer.testing import CliRunner

from callscore.batch.driver import FAILED, SCORED, SKIPPED, BatchError, BatchOptions, RunKey, run_batch
from callscore.batch.inputs import (
    InputError,
    assign_call_ids,
    compile_name_pattern,
    discover_inputs,
    metadata_from_name,
    normalize_date,
    plan_inputs,
    read_metadata_csv,
)
from callscore.batch.work import WORKER_DIED, threads_per_worker
from callscore.pipeline import PipelineOptions
from callscore.results.store import open_store
from callscore.scorecard import scorecard_from_dict
from callscore.transcript.transcribe import TranscribeOptions

KEY = RunKey("test-rubric", "1", "fake-model")


def options(out: Path, **kw) -> BatchOptions:
    return BatchOptions(out_dir=out, scorer_factory=fake_factory, run_key=KEY, **kw)


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# -- inputs and metadata ----------------------------------------------------------------------------------
def test_discover_files_folders_globs_and_excludes_out(tmp_path):
    a = write_call(tmp_path / "in", "a.wav")
    b = write_call(tmp_path / "in" / "sub", "b.MP3")
    c = tmp_path / "in" / "c.json"
    c.write_text('{"schema": "callscore.transcript", "schema_version": 1}')
    write_call(tmp_path / "in", "truth.json")  # ground truth or scorecards lying next to the audio
    write_call(tmp_path / "in", "notes.txt")
    write_call(tmp_path / "in", ".hidden.wav")
    write_call(tmp_path / "in" / "out", "old.json")  # the batch's own output folder
    found = discover_inputs([tmp_path / "in"], exclude=[tmp_path / "in" / "out"])
    assert found == sorted([a, b, c])
    assert discover_inputs([str(tmp_path / "in" / "**" / "*.MP3")]) == [b]
    assert discover_inputs([a, str(a)]) == [a]  # named twice, scored once
    assert discover_inputs([tmp_path / "in" / "truth.json"]) == [tmp_path / "in" / "truth.json"]  # named
    with pytest.raises(InputError, match="no such file"):
        discover_inputs([tmp_path / "missing.wav"])
    with pytest.raises(InputError, match="matches no audio"):
        discover_inputs([str(tmp_path / "in" / "*.flac")])


def test_call_ids_are_stems_and_stay_unique_and_stable():
    paths = [Path("x/a.wav"), Path("y/a.wav"), Path("y/b.wav")]
    ids = [cid for cid, _ in assign_call_ids(paths)]
    assert ids[2] == "b"
    assert ids[0].startswith("a-") and ids[1].startswith("a-") and ids[0] != ids[1]
    assert ids == [cid for cid, _ in assign_call_ids(paths)]


def test_name_pattern_parses_agent_date_and_extra_fields():
    rx = compile_name_pattern("{agent}_{date}_{id}")
    md = metadata_from_name("budi_20261120_0007", rx)
    assert md is not None
    assert (md.agent, md.call_date, dict(md.extra)) == ("budi", "2026-11-20", {"id": "0007"})
    assert metadata_from_name("budi-20261120", rx) is None
    assert metadata_from_name("budi_notadate_1", rx) is None
    md2 = metadata_from_name("sales.ani_2026-11-21_x_9", compile_name_pattern("{team}.{agent}_{date}_{id}"))
    assert md2 is not None and (md2.team, md2.agent, md2.extra["id"]) == ("sales", "ani", "x_9")
    with pytest.raises(InputError, match="no \\{field\\}"):
        compile_name_pattern("calls")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-11-20", "2026-11-20"),
        ("20261120", "2026-11-20"),
        ("20/11/2026", "2026-11-20"),
        ("2026-11-20T08:15:00Z", "2026-11-20T08:15:00"),
    ],
)
def test_dates_normalise(text, iso):
    assert normalize_date(text) == iso


def test_bad_date_names_its_source():
    with pytest.raises(InputError, match="calls.csv:3: date"):
        normalize_date("2026-13-45", source="calls.csv:3: date")


def test_metadata_csv_columns_extra_and_errors(tmp_path):
    csv_path = tmp_path / "calls.csv"
    csv_path.write_text(
        "file,agent_id,Team,call_date,campaign\n"
        "recs/a.wav,budi,billing,2026-11-20,promo\n"
        "b,ani,sales,20261121,\n"
    )
    table = read_metadata_csv(csv_path)
    assert table["a"].agent == "budi" and table["a"].team == "billing"
    assert table["a"].call_date == "2026-11-20" and dict(table["a"].extra) == {"campaign": "promo"}
    assert table["b"].call_date == "2026-11-21" and dict(table["b"].extra) == {}

    (tmp_path / "dup.csv").write_text("call_id,agent\na,x\nA,y\n")
    with pytest.raises(InputError, match="dup.csv:3: call 'A' appears twice"):
        read_metadata_csv(tmp_path / "dup.csv")
    (tmp_path / "nokey.csv").write_text("agent,team\nx,y\n")
    with pytest.raises(InputError, match="no call key column"):
        read_metadata_csv(tmp_path / "nokey.csv")
    (tmp_path / "baddate.csv").write_text("call_id;agent;date\na;x;yesterday\n")
    with pytest.raises(InputError, match="baddate.csv:2: date"):
        read_metadata_csv(tmp_path / "baddate.csv")


def test_plan_inputs_merges_csv_over_name_and_warns(tmp_path):
    write_call(tmp_path / "in", "budi_20261120_1.wav")
    write_call(tmp_path / "in", "odd.wav")
    (tmp_path / "m.csv").write_text("call_id,team,agent\nbudi_20261120_1,billing,\n")
    calls, warnings = plan_inputs(
        [tmp_path / "in"], metadata_csv=tmp_path / "m.csv", name_pattern="{agent}_{date}_{id}"
    )
    by = {c.call_id: c.metadata for c in calls}
    assert by["budi_20261120_1"].agent == "budi"  # from the name; the CSV's empty agent does not erase it
    assert by["budi_20261120_1"].team == "billing"
    assert by["budi_20261120_1"].call_date == "2026-11-20"
    assert by["odd"].agent is None
    assert any("odd.wav" in w and "does not fit" in w for w in warnings)
    assert any("odd.wav" in w and "not listed" in w for w in warnings)


def test_threads_per_worker_fit_the_cores():
    assert threads_per_worker(1, 2) == 2
    assert threads_per_worker(2, 2) == 1
    assert threads_per_worker(4, 2) == 1
    assert threads_per_worker(3, 16) == 5


# -- running batches ---------------------------------------------------------------------------------------
def test_batch_scores_records_failures_and_skips_on_rerun(tmp_path):
    src = tmp_path / "calls"
    write_call(src, "budi_20261120_1.wav", duration=120.0, fail=["greeting"])
    write_call(src, "ani_20261127_2.wav", duration=60.0)
    write_call(src, "ani_20261127_3.wav", bad="no speech found (silence only)")
    write_call(src, "budi_20261127_4.wav", boom=True)
    calls, _ = plan_inputs([src], name_pattern="{agent}_{date}_{id}")
    out = tmp_path / "out"

    first = run_batch(calls, options=options(out, jobs=2))
    assert [(o.call_id, o.status) for o in first.outcomes] == [  # input order, whatever finished first
        ("ani_20261127_2", SCORED),
        ("ani_20261127_3", FAILED),
        ("budi_20261120_1", SCORED),
        ("budi_20261127_4", FAILED),
    ]
    assert first.exit_code == 1
    bad = {o.call_id: o.reason for o in first.of(FAILED)}
    assert bad["ani_20261127_3"].endswith("ani_20261127_3.wav: no speech found (silence only)")
    assert "unexpected error (ZeroDivisionError" in bad["budi_20261127_4"]
    assert first.audio_s == pytest.approx(180.0)

    card = scorecard_from_dict(json.loads((out / "budi_20261120_1.json").read_text()))
    assert card.call_id == "budi_20261120_1" and card.total == 75.0 and card.audio_sha256
    assert not (out / "ani_20261127_3.json").exists()
    assert no_temp_files(out)
    with open_store(out / "callscore.sqlite") as st:
        rows = {r.call_id: r for r in st.calls()}
        assert set(rows) == {"budi_20261120_1", "ani_20261127_2"}
        assert rows["budi_20261120_1"].agent == "budi" and rows["budi_20261120_1"].call_date == "2026-11-20"
        assert rows["budi_20261120_1"].model == "fake-model" and rows["budi_20261120_1"].total == 75.0
        assert len(st.item_results()) == 8
        assert {f.call_id for f in st.failures()} == {"ani_20261127_3", "budi_20261127_4"}
    summary = json.loads((out / "batch-summary.json").read_text())
    assert (summary["scored"], summary["skipped"], summary["failed"]) == (2, 0, 2)

    second = run_batch(calls, options=options(out, jobs=1))
    assert {o.call_id: o.status for o in second.outcomes} == {
        "budi_20261120_1": SKIPPED,
        "ani_20261127_2": SKIPPED,
        "ani_20261127_3": FAILED,  # failures are retried, never skipped
        "budi_20261127_4": FAILED,
    }
    assert second.of(SKIPPED)[0].total is not None


def test_changed_audio_or_rubric_version_is_rescored(tmp_path):
    src = tmp_path / "calls"
    write_call(src, "a.wav")
    write_call(src, "b.wav")
    calls, _ = plan_inputs([src])
    out = tmp_path / "out"
    assert len(run_batch(calls, options=options(out)).of(SCORED)) == 2
    write_call(src, "a.wav", fail=["verify"])  # new recording under the same name
    again = run_batch(calls, options=options(out))
    assert {o.call_id: o.status for o in again.outcomes} == {"a": SCORED, "b": SKIPPED}
    assert json.loads((out / "a.json").read_text())["total"] == 50.0
    v2 = BatchOptions(
        out_dir=out,
        pipeline=PipelineOptions(rubric="test-rubric@2"),
        scorer_factory=fake_factory,
        run_key=RunKey("test-rubric", "2", "fake-model"),
    )
    assert len(run_batch(calls, options=v2).of(SCORED)) == 2
    (out / "b.json").unlink()  # a result file lost: scored again, whatever the store says
    assert {o.call_id: o.status for o in run_batch(calls, options=v2).outcomes} == {"a": SKIPPED, "b": SCORED}


def test_a_file_that_now_fails_loses_its_stale_result(tmp_path):
    src = tmp_path / "calls"
    write_call(src, "a.wav")
    calls, _ = plan_inputs([src])
    out = tmp_path / "out"
    run_batch(calls, options=options(out))
    write_call(src, "a.wav", bad="truncated file")
    assert run_batch(calls, options=options(out)).of(FAILED)
    assert not (out / "a.json").exists()
    with open_store(out / "callscore.sqlite") as st:
        assert st.calls() == [] and [f.reason for f in st.failures()][0].endswith("truncated file")


def test_crash_after_k_calls_keeps_them_and_rerun_scores_only_the_rest(tmp_path):
    src = tmp_path / "calls"
    for i in range(5):
        write_call(src, f"c{i}.wav", duration=30.0 + i)
    calls, _ = plan_inputs([src])
    out = tmp_path / "out"
    seen = []

    def crash_after_two(p):
        seen.append(p.last.call_id)
        if len(seen) == 2:
            raise RuntimeError("driver crashed")

    with pytest.raises(RuntimeError, match="driver crashed"):
        run_batch(calls, options=options(out), progress=crash_after_two)
    written = sorted(p.stem for p in out.glob("*.json"))
    assert written == sorted(seen)
    for p in out.glob("*.json"):
        scorecard_from_dict(json.loads(p.read_text()))  # complete, valid files only
    assert no_temp_files(out)
    rerun = run_batch(calls, options=options(out))
    assert sorted(o.call_id for o in rerun.of(SKIPPED)) == sorted(seen)
    assert len(rerun.of(SCORED)) == 3 and rerun.exit_code == 0


def test_hard_kill_mid_batch_then_resume(tmp_path):
    src = tmp_path / "calls"
    for i in range(6):
        write_call(src, f"c{i}.wav", sleep=0.4)
    out = tmp_path / "out"
    here = Path(__file__).parent
    script = (
        "import sys; from pathlib import Path; from batch_helpers import fake_factory;"
        "from callscore.batch.driver import BatchOptions, RunKey, run_batch;"
        "from callscore.batch.inputs import plan_inputs;"
        f"calls, _ = plan_inputs([{str(src)!r}]);"
        f"run_batch(calls, options=BatchOptions(out_dir=Path({str(out)!r}), scorer_factory=fake_factory,"
        " run_key=RunKey('test-rubric', '1', 'fake-model')))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here.parent), str(here)])}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("*.json"))) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # driver and workers, as a power cut would
        proc.wait()
    done_before = {p.stem for p in out.glob("*.json")}
    assert 2 <= len(done_before) < 6
    for p in out.glob("*.json"):
        scorecard_from_dict(json.loads(p.read_text()))
    calls, _ = plan_inputs([src])
    rerun = run_batch(calls, options=options(out))
    skipped = {o.call_id for o in rerun.of(SKIPPED)}
    # A JSON written just before the kill but not yet in the store is scored again; nothing is lost.
    assert skipped <= done_before and len(skipped) >= len(done_before) - 1
    assert len(rerun.of(SCORED)) + len(skipped) == 6 and rerun.exit_code == 0


def test_worker_death_is_retried_then_recorded(tmp_path):
    src = tmp_path / "calls"
    write_call(src, "a.wav")
    write_call(src, "b_dies.wav", die=True)
    write_call(src, "c.wav")
    calls, _ = plan_inputs([src])
    summary = run_batch(calls, options=options(tmp_path / "out"))
    assert {o.call_id: o.status for o in summary.outcomes} == {"a": SCORED, "b_dies": FAILED, "c": SCORED}
    assert WORKER_DIED in summary.of(FAILED)[0].reason


def test_scorer_that_cannot_start_stops_the_batch(tmp_path):
    write_call(tmp_path / "calls", "a.wav")
    calls, _ = plan_inputs([tmp_path / "calls"])
    opts = BatchOptions(out_dir=tmp_path / "out", scorer_factory=broken_factory, run_key=KEY)
    with pytest.raises(BatchError, match="could not start: model whisper-base not found"):
        run_batch(calls, options=opts)


def test_ctrl_c_returns_an_interrupted_summary(tmp_path):
    src = tmp_path / "calls"
    for i in range(4):
        write_call(src, f"c{i}.wav")
    calls, _ = plan_inputs([src])

    def interrupt(p):
        raise KeyboardInterrupt

    summary = run_batch(calls, options=options(tmp_path / "out"), progress=interrupt)
    assert summary.interrupted and summary.exit_code == 130
    assert len(summary.of(SCORED)) == 1 and len(summary.outcomes) == 1


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(BatchError, match="--jobs 0"):
        run_batch([], options=options(tmp_path, jobs=0))
    with pytest.raises(BatchError, match="--engine 'spark'"):
        run_batch([], options=options(tmp_path, engine="spark"))


# -- the command line --------------------------------------------------------------------------------------
@pytest.fixture
def cli_app(monkeypatch):
    from callscore.cli import batch as batch_cmd

    seen = {}

    def setup(**kw):
        seen.update(kw)
        return None, fake_factory, KEY

    monkeypatch.setattr(batch_cmd, "pipeline_setup", setup)
    from callscore.cli import app

    return app, seen


def test_cli_batch_exit_codes_summary_and_metadata(tmp_path, cli_app):
    app, seen = cli_app
    src = tmp_path / "calls"
    write_call(src, "a.wav", duration=90)
    write_call(src, "b.wav")
    (tmp_path / "m.csv").write_text("call_id,agent,team,date\na,budi,billing,2026-11-20\n")
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "batch",
            str(src),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--rubric",
            "my.yaml",
            "--metadata",
            str(tmp_path / "m.csv"),
            "--no-cache",
            "--agent-channel",
            "left",
            "--sentiment-model",
            "off",
        ],
    )
    assert res.exit_code == 0, res.output
    assert seen == {
        "rubric": "my.yaml",
        "agent_channel": "left",
        "transcribe": TranscribeOptions(),  # the shared ASR options, at their defaults
        "use_cache": False,
        "redact": "text",  # the documented default (docs/pii.md)
        "out_dir": out,
        "sentiment_model": "off",
    }
    assert "scored 2, skipped 0 (already scored), failed 0" in res.output
    with open_store(out / "callscore.sqlite") as st:
        assert {r.call_id: r.team for r in st.calls()} == {"a": "billing", "b": None}

    write_call(src, "c.wav", bad="not audio")
    res = runner.invoke(app, ["batch", str(src), "--out", str(out)])
    assert res.exit_code == 1
    assert "scored 0, skipped 2 (already scored), failed 1" in res.output
    assert "c.wav: not audio" in res.output

    res = runner.invoke(app, ["batch", str(tmp_path / "nothing"), "--out", str(out)])
    assert res.exit_code == 1 and "nothing: no such file or folder" in res.output
    res = runner.invoke(app, ["batch", str(src), "--out", str(out), "--agent-channel", "middle"])
    assert res.exit_code == 1 and "--agent-channel 'middle'" in res.output


def test_cli_batch_takes_the_shared_asr_options(tmp_path, cli_app):
    """batch had no --backend/--device before issue 10: the ASR options now reach the pipeline as given."""
    app, seen = cli_app
    write_call(tmp_path / "calls", "a.wav")
    args = ["batch", str(tmp_path / "calls"), "--out", str(tmp_path / "out"), "--backend", "transformers"]
    args += ["--device", "cuda", "--compute-type", "float16", "--beam-size", "2", "--language", "en"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    t = seen["transcribe"]
    assert (t.backend, t.device, t.compute_type, t.decode.beam_size, t.decode.language) == (
        "transformers",
        "cuda",
        "float16",
        2,
        "en",
    )
    bad = CliRunner().invoke(app, [*args[:4], "--backend", "kaldi"])
    assert bad.exit_code == 1 and "unknown backend 'kaldi'" in bad.output
