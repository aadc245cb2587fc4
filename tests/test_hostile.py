"""Issue 16, points 4-12: hostile file names, killed drivers, crafted files, outages, long calls.

Each test is one case of the issue, stated as the outcome that matters (the file is named as itself, no
process is left, no byte of a local file reaches a report, ...). Property tests feed the transcript and
audio loaders random and mutated bytes: a one-line CallscoreError or a result, never a traceback or hang.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from batch_helpers import fake_factory, make_card, write_call
from typer.testing import CliRunner

from callscore.batch.driver import SCORED, SKIPPED, BatchError, BatchOptions, RunKey, run_batch
from callscore.batch.gate import GateOptions, judge, junit_xml
from callscore.batch.inputs import InputError, find_inputs, plan_inputs
from callscore.errors import AudioError, CallscoreError, ModelError
from callscore.files import file_sha256
from callscore.render import confined_path, get_writer
from callscore.render.html.report import audio_source
from callscore.scorecard import scorecard_to_json

HERE = Path(__file__).parent
KEY = RunKey("test-rubric", "1", "fake-model")


def options(out: Path, **kw) -> BatchOptions:
    return BatchOptions(out_dir=out, scorer_factory=fake_factory, run_key=KEY, **kw)


def cli(*args: str):
    from callscore.cli import app

    return CliRunner().invoke(app, list(args))


# -- 4. rich markup in messages ------------------------------------------------------------------------
def test_markup_in_file_names_prints_literally(tmp_path):
    bad = tmp_path / "call[red]x.wav"
    bad.write_bytes(b"not audio at all")
    (tmp_path / "a[").mkdir()
    closing = tmp_path / "a[" / "bold]b.wav"  # the path holds "[/bold]"
    closing.write_bytes(b"not audio either")
    res = cli("score", str(bad), str(closing))
    assert res.exit_code == 1
    assert "call[red]x.wav" in res.output  # was reported as "callx.wav"
    assert "a[/bold]b.wav" in res.output  # was a rich MarkupError that skipped the remaining files
    assert "Traceback" not in res.output


def test_error_and_warning_lines_are_plain_text(capsys):
    from callscore.cli.common import error_line, warning_line

    error_line("PostgreSQL needs pg8000: pip install 'callscore[postgres]'")
    warning_line("metadata.csv: call_date '[/]2026' is not a date")
    err = capsys.readouterr().err
    assert "'callscore[postgres]'" in err  # the hint named the bare package before
    assert "'[/]2026'" in err


def test_control_characters_never_reach_the_terminal_raw(capsys):
    from callscore.cli.common import error_line

    error_line("call\x1b[2Jname.wav: not audio")
    err = capsys.readouterr().err
    assert "\x1b[2J" not in err and "\\x1bname" not in err and "\\x1b[2Jname.wav" in err


# -- 5. orphaned workers, SIGTERM ---------------------------------------------------------------------------
def _children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid``."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _start_driver(tmp_path: Path, n: int = 6, sleep: float = 3.0) -> tuple[subprocess.Popen, Path]:
    src = tmp_path / "calls"
    for i in range(n):
        write_call(src, f"c{i}.wav", sleep=sleep)
    out = tmp_path / "out"
    script = (
        "from pathlib import Path; from batch_helpers import fake_factory;"
        "from callscore.batch.driver import BatchOptions, RunKey, run_batch;"
        "from callscore.batch.inputs import plan_inputs;"
        f"calls, _ = plan_inputs([{str(src)!r}]);"
        f"s = run_batch(calls, options=BatchOptions(out_dir=Path({str(out)!r}), jobs=2,"
        " scorer_factory=fake_factory, run_key=RunKey('test-rubric', '1', 'fake-model')));"
        "print('INTERRUPTED' if s.interrupted else 'DONE', flush=True)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return proc, out


def _wait_for_workers(proc: subprocess.Popen, n: int = 2, timeout: float = 60) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # spawn: the pool starts a resource tracker too; workers are the children beyond it
        kids = {k for k in _children(proc.pid) if "resource_tracker" not in _cmdline(k)}
        if len(kids) >= n:
            time.sleep(1.0)  # let them import and take a call
            return kids
        time.sleep(0.1)
    raise AssertionError("workers did not start")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigkill_of_the_driver_alone_leaves_no_worker(tmp_path):
    proc, _ = _start_driver(tmp_path)
    try:
        workers = _wait_for_workers(proc)
        proc.kill()  # the driver only, not its process group
        proc.wait()
        assert _gone_within(workers, 10.0) == set()  # were left running forever
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigterm_of_the_driver_is_a_clean_stop_with_a_summary(tmp_path):
    proc, out = _start_driver(tmp_path)
    try:
        workers = _wait_for_workers(proc)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=20)
        assert "INTERRUPTED" in stdout, stderr  # SIGTERM wrote no summary before
        summary = json.loads((out / "batch-summary.json").read_text())
        assert summary["interrupted"] is True
        assert _gone_within(workers, 10.0) == set()
        assert "leaked semaphore" not in stderr and "Traceback" not in stderr
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_a_two_job_batch_leaks_no_semaphore(tmp_path):
    src = tmp_path / "calls"
    for i in range(4):
        write_call(src, f"c{i}.wav")
    out = tmp_path / "out"
    script = (
        "from pathlib import Path; from batch_helpers import fake_factory;"
        "from callscore.batch.driver import BatchOptions, RunKey, run_batch;"
        "from callscore.batch.inputs import plan_inputs;"
        f"calls, _ = plan_inputs([{str(src)!r}]);"
        f"s = run_batch(calls, options=BatchOptions(out_dir=Path({str(out)!r}), jobs=2,"
        " scorer_factory=fake_factory, run_key=RunKey('test-rubric', '1', 'fake-model')));"
        "assert len(s.outcomes) == 4"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])}
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "leaked semaphore" not in res.stderr


# -- 6. path traversal ------------------------------------------------------------------------------------
@pytest.mark.parametrize("call_id", ["../escaped", "/tmp/abs-escaped", "a/b", "..", "x\x1by"])
def test_render_refuses_call_ids_that_leave_out(tmp_path, call_id):
    card = make_card(call_id)
    sc = tmp_path / "card.json"
    sc.write_text(scorecard_to_json(card))
    out = tmp_path / "out"
    out.mkdir()
    res = cli("render", str(sc), "--format", "md", "--out", str(out))
    assert res.exit_code == 1 and "not a plain file name" in res.output
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - {sc}
    assert written == set()
    assert not Path("/tmp/abs-escaped.md").exists()
    with pytest.raises(CallscoreError):
        confined_path(out, f"{call_id}.md")


def test_plain_call_id_still_renders(tmp_path):
    target = get_writer("md").default_path(tmp_path, "bank-call-001")
    assert target == tmp_path / "bank-call-001.md"


# -- 7. local file disclosure -----------------------------------------------------------------------------
SECRET = b"api_key=sk-live-0123456789abcdef\n" * 8


def test_scorecard_source_naming_a_local_file_is_not_embedded(tmp_path):
    secret = tmp_path / "secret.wav"
    secret.write_bytes(SECRET)
    card = make_card("c1", source=str(secret), sha="")  # crafted: names a file, no hash
    sc = tmp_path / "c1.json"
    sc.write_text(scorecard_to_json(card))
    out = tmp_path / "out"
    res = cli("render", str(sc), "--format", "html", "--out", str(out))
    assert res.exit_code == 0, res.output
    page = (out / "c1.html").read_text()
    assert base64.b64encode(SECRET).decode()[:40] not in page
    assert "<audio" not in page  # no player for an unverified file
    # the wrong hash is refused too; the right one is embedded
    assert audio_source(secret, expected_sha256="0" * 64) is None
    ok = audio_source(secret, expected_sha256=file_sha256(secret))
    assert ok is not None and ok.embedded


def test_transcript_naming_a_local_file_does_not_read_it(tmp_path, short_stereo_transcript_path):
    from callscore.pipeline import PipelineOptions, score_path

    secret = tmp_path / "secret.wav"
    secret.write_bytes(SECRET)
    data = json.loads(short_stereo_transcript_path.read_text())
    data["audio"]["path"], data["audio"]["sha256"] = str(secret), ""
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data))
    result = score_path(crafted, options=PipelineOptions(prosody=False))
    assert result.audio_path is None  # the named file was taken as the recording before
    assert result.scorecard.source == str(crafted)  # point 10: source is the input as given
    page = get_writer("html").render(
        scorecard=result.scorecard, transcript=result.transcript, audio_path=result.audio_path
    )
    assert base64.b64encode(SECRET).decode()[:40] not in page


def test_oversize_recording_link_works_from_the_reports_folder(tmp_path):
    rec = tmp_path / "rec" / "big.wav"
    rec.parent.mkdir()
    rec.write_bytes(b"RIFF" + bytes(2000))
    src = audio_source(rec, max_bytes=100, expected_sha256=file_sha256(rec))
    assert src is not None and not src.embedded
    assert src.src == rec.resolve().as_uri()  # was relative to the current folder
    linked = audio_source(rec, max_bytes=100, base_dir=tmp_path / "out")
    assert linked is not None and (tmp_path / "out" / linked.src).resolve() == rec.resolve()


# -- 8. PostgreSQL outage -----------------------------------------------------------------------------------
class _FlakyConn:
    """A DB-API connection that loses its server for the first ``drops`` commits (pg8000's error)."""

    def __init__(self, inner, drops: list[int]) -> None:
        self.inner, self.drops = inner, drops

    def cursor(self):
        return self.inner.cursor()

    def commit(self):
        from pg8000.exceptions import InterfaceError

        if self.drops[0] > 0:
            self.drops[0] -= 1
            raise InterfaceError("network error")
        self.inner.commit()

    def rollback(self):
        self.inner.rollback()

    def close(self):
        from pg8000.exceptions import InterfaceError

        raise InterfaceError("connection is closed")


def _flaky_store(tmp_path: Path, drops: int):
    import sqlite3

    from callscore.results.store import ResultStore, StoreTarget

    pytest.importorskip("pg8000")
    db = tmp_path / "s.sqlite"
    left = [drops]
    target = StoreTarget(kind="sqlite", path=db, display=str(db))

    def connect():
        return _FlakyConn(sqlite3.connect(db), left)

    return ResultStore(target, connect(), reconnect=connect, retry_delays=(0.01, 0.02, 0.04))


def test_store_reconnects_and_writes_one_row_after_an_outage(tmp_path):
    store = _flaky_store(tmp_path, drops=0)
    store._conn.drops[0] = 2  # the server goes away for two attempts mid-batch
    store.save_call(make_card("c1", sha="abc"), model="m")
    assert [c.call_id for c in store.calls()] == ["c1"] and len(store.item_results()) == 4
    store.close()  # raised InterfaceError from a dead connection, masking the real error


def test_store_outage_that_lasts_is_one_clear_error(tmp_path):
    from callscore.results.store import StoreError

    store = _flaky_store(tmp_path, drops=0)
    store._conn.drops[0] = 99
    with pytest.raises(StoreError, match="connection lost.*4 attempts.*run the batch again"):
        store.save_call(make_card("c1", sha="abc"), model="m")
    store.close()


def test_batch_with_the_store_gone_writes_a_summary_and_a_clear_error(tmp_path, monkeypatch):
    import callscore.results.store as store_mod
    from callscore.results.store import StoreError

    src = tmp_path / "calls"
    for i in range(3):
        write_call(src, f"c{i}.wav")
    calls, _ = plan_inputs([src])

    def broken(self, card, **kw):
        raise StoreError("db: database connection lost; write failed after 6 attempts (network error)")

    monkeypatch.setattr(store_mod.ResultStore, "save_call", broken)
    summary = run_batch(calls, options=options(tmp_path / "out"))
    assert summary.exit_code == 1 and "connection lost" in summary.error
    data = json.loads((tmp_path / "out" / "batch-summary.json").read_text())
    assert "connection lost" in data["error"]


def test_real_postgres_outage_close_does_not_mask(tmp_path):
    from batch_helpers import PostgresServer, pg_bindir

    from callscore.results.store import StoreError, open_store

    pytest.importorskip("pg8000")
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed")
    server = PostgresServer(bindir)
    try:
        store = open_store(server.url(), retry_delays=(0.05, 0.1))
        store.save_call(make_card("c1", sha="abc"), model="m")
        server.stop()
        with pytest.raises(StoreError, match="connection lost|cannot|failed"):
            store.save_call(make_card("c2", sha="def"), model="m")
        store.close()  # must not raise InterfaceError over the real error
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()  # stopped above already


# -- 9. shared store collisions ------------------------------------------------------------------------------
_pg_names = iter(range(1000))


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request, tmp_path):
    """One results store that several batches (different --out folders) write to."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite")
    return request.getfixturevalue("pg_server").create_database(f"hostile_{next(_pg_names)}")


def test_batches_whose_files_share_names_keep_their_own_rows(tmp_path, shared_db):
    from callscore.results.aggregates import build_report
    from callscore.results.export import export_rows
    from callscore.results.store import open_store
    from callscore.serve import queries as q
    from callscore.serve.db import Database

    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    write_call(day1, "call1.wav", fail=["greeting"])  # 75
    write_call(day1, "call2.wav")
    write_call(day2, "call1.wav")  # same name, another recording: 100
    write_call(day2, "call2.wav", fail=["closing"])
    first = run_batch(plan_inputs([day1])[0], options=options(tmp_path / "out1", db=shared_db))
    second = run_batch(plan_inputs([day2])[0], options=options(tmp_path / "out2", db=shared_db))
    assert len(first.of(SCORED)) == len(second.of(SCORED)) == 2
    with open_store(shared_db) as st:
        calls = st.calls()
        # the second batch deleted and replaced the first one's call1 and call2 before
        assert sorted((c.call_id, Path(c.source).parent.name, c.total) for c in calls) == [
            ("call1", "day1", 75.0),
            ("call1", "day2", 100.0),
            ("call2", "day1", 100.0),
            ("call2", "day2", 75.0),
        ]
        assert len({c.call_key for c in calls}) == 4 and len({c.batch_id for c in calls}) == 2
        assert len(st.item_results()) == 16
        report = build_report(st, by="item")
        assert report.overall.calls == 4 and report.overall.mean == 87.5
        rows = export_rows(st)
        assert len(rows) == 16 and {
            (r["call_id"], r["total"]) for r in rows if r["item_id"] == "greeting"
        } == {
            ("call1", 75.0),
            ("call1", 100.0),
            ("call2", 100.0),
            ("call2", 75.0),
        }
    # each batch resumes its own rows (skips), and a failure in one leaves the other's call alone
    again = run_batch(plan_inputs([day1])[0], options=options(tmp_path / "out1", db=shared_db))
    assert len(again.of(SKIPPED)) == 2
    write_call(day2, "call1.wav", bad=True)
    run_batch(plan_inputs([day2])[0], options=options(tmp_path / "out2", db=shared_db))
    with open_store(shared_db) as st:
        assert [(c.call_id, Path(c.source).parent.name) for c in st.calls() if c.call_id == "call1"] == [
            ("call1", "day1")
        ]
        assert [(f.call_id, Path(f.source).parent.name) for f in st.failures()] == [("call1", "day2")]
    # the review app lists both call2 rows, each under its own key
    db = Database(shared_db)
    page = q.list_calls(db, flt=q.CallFilter(sort="call", descending=False))
    twins = [c for c in page.calls if c.call_id == "call2"]
    assert len(twins) == 2 and {q.get_call(db, call_key=c.call_key).source for c in twins} == {
        c.source for c in twins
    }
    assert sorted(i.status for c in twins for i in q.call_items(db, call_key=c.call_key)).count("fail") == 1


def test_review_app_urls_name_calls_by_key(tmp_path):
    from starlette.testclient import TestClient

    from callscore.serve.app import create_app
    from callscore.serve.auth import add_user
    from callscore.serve.db import Database

    db = str(tmp_path / "shared.sqlite")
    for day, spec in (("day1", {"fail": ["greeting"]}), ("day2", {})):
        write_call(tmp_path / day, "call1.wav", **spec)
        run_batch(plan_inputs([tmp_path / day])[0], options=options(tmp_path / f"out-{day}", db=db))
    write_call(tmp_path / "day1", "solo.wav")
    run_batch(plan_inputs([tmp_path / "day1"])[0], options=options(tmp_path / "out-day1", db=db))
    add_user(Database(db), username="qa1", role="qa", password="correct horse battery")
    with TestClient(create_app(db_url=db), follow_redirects=False) as client:
        bench = __import__("serve_helpers").load_bench()
        csrf = bench.login(client, "", "qa1", "correct horse battery")
        listed = client.get("/api/calls?sort=call&order=asc").json()["calls"]
        keys = {c["source"]: c["call_key"] for c in listed if c["call_id"] == "call1"}
        assert len(keys) == 2
        totals = {
            Path(src).parent.name: client.get(f"/api/calls/{k}").json()["total"] for src, k in keys.items()
        }
        assert totals == {"day1": 75.0, "day2": 100.0}
        # a review of one call1 is not a review of the other
        k1 = keys[str(tmp_path / "day1" / "call1.wav")]
        r = client.post(
            f"/calls/{k1}/items/greeting/review", data={"csrf": csrf, "verdict": "pass", "comment": "ok"}
        )
        assert r.status_code == 303 and r.headers["location"] == f"/calls/{k1}#review"
        assert {
            Path(s).parent.name: client.get(f"/api/calls/{k}").json()["reviewed_total"]
            for s, k in keys.items()
        } == {
            "day1": 100.0,
            "day2": 100.0,
        }
        k2 = keys[str(tmp_path / "day2" / "call1.wav")]
        assert client.get(f"/api/calls/{k2}").json()["history"] == []
        # a call id that names one call still opens; one that names two is refused, never guessed
        assert client.get("/api/calls/solo").json()["call_id"] == "solo"
        ambiguous = client.get("/calls/call1")
        assert ambiguous.status_code == 404 and "several batches" in ambiguous.text


V1_DDL = (  # the schema 1 store as callscore wrote it before call keys (frozen here to test the upgrade)
    "CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE calls (call_id TEXT PRIMARY KEY, source TEXT NOT NULL, audio_sha256 TEXT NOT NULL, "
    "duration DOUBLE PRECISION, agent TEXT, team TEXT, call_date TEXT, extra TEXT NOT NULL, "
    "rubric_id TEXT NOT NULL, rubric_version TEXT NOT NULL, model TEXT NOT NULL, total DOUBLE PRECISION, "
    "critical_failed INTEGER NOT NULL, created TEXT NOT NULL, report_path TEXT, "
    "customer_sentiment_start DOUBLE PRECISION, customer_sentiment_end DOUBLE PRECISION, "
    "customer_sentiment_shift DOUBLE PRECISION, agent_sentiment DOUBLE PRECISION)",
    "CREATE TABLE item_results (call_id TEXT NOT NULL, item_id TEXT NOT NULL, title TEXT NOT NULL, "
    "status TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, critical INTEGER NOT NULL, "
    "value DOUBLE PRECISION, reason TEXT NOT NULL, PRIMARY KEY (call_id, item_id))",
    "CREATE TABLE failures (call_id TEXT PRIMARY KEY, source TEXT NOT NULL, audio_sha256 TEXT NOT NULL, "
    "reason TEXT NOT NULL, created TEXT NOT NULL)",
    "CREATE INDEX item_results_item ON item_results (item_id)",
    "CREATE TABLE serve_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE serve_reviews (review_id TEXT PRIMARY KEY, call_id TEXT NOT NULL, item_id TEXT NOT NULL, "
    "reviewer TEXT NOT NULL, before_status TEXT NOT NULL, after_status TEXT NOT NULL, comment TEXT NOT NULL, "
    "dispute_id TEXT, created TEXT NOT NULL)",
    "CREATE TABLE serve_disputes (dispute_id TEXT PRIMARY KEY, call_id TEXT NOT NULL, item_id TEXT NOT NULL, "
    "agent_user TEXT NOT NULL, wanted_status TEXT NOT NULL, state TEXT NOT NULL, created TEXT NOT NULL, "
    "resolved_by TEXT, resolved_at TEXT)",
    "CREATE INDEX serve_calls_date ON calls (call_date, call_id)",
    "CREATE INDEX serve_reviews_call ON serve_reviews (call_id, item_id, created)",
)


def _v1_store(url: str, src: Path) -> None:
    """A schema 1 store holding call1 (75, from ``src``/call1.wav), its 4 items, a failure and a review."""
    rows = [
        "INSERT INTO store_info VALUES ('schema_version', '1')",
        "INSERT INTO serve_info VALUES ('schema_version', '1')",
        f"INSERT INTO calls VALUES ('call1', '{src / 'call1.wav'}', 'old', 60, 'budi', NULL, '2026-11-02', "
        "'{}', 'test-rubric', '1', 'fake-model', 75, 0, '2026-11-02T09:00:00+00:00', NULL, "
        "NULL, NULL, NULL, NULL)",
        *(
            f"INSERT INTO item_results VALUES ('call1', '{i}', '{i}', '{st}', 1, 0, NULL, '{i}: {st}')"
            for i, st in (("greeting", "fail"), ("verify", "pass"), ("closing", "pass"), ("no_abuse", "pass"))
        ),
        "INSERT INTO failures VALUES ('bad', 'bad.wav', '', 'bad.wav: no speech found', '2026-11-02')",
        "INSERT INTO serve_reviews VALUES ('r1', 'call1', 'greeting', 'qa1', 'fail', 'pass', 'heard it', "
        "NULL, '2026-11-03T10:00:00+00:00')",
    ]
    if url.startswith("postgresql://"):
        import pg8000.dbapi

        from callscore.results.store import parse_store_url

        con = pg8000.dbapi.connect(**parse_store_url(url).params)
    else:
        import sqlite3

        con = sqlite3.connect(url)
    cur = con.cursor()
    for sql in (*V1_DDL, *rows):
        cur.execute(sql)
    con.commit()
    con.close()


def test_a_schema_1_store_is_migrated_keeping_every_row(tmp_path, shared_db):
    from callscore.results.export import export_rows
    from callscore.results.store import STORE_SCHEMA_VERSION, open_store
    from callscore.serve import queries as q
    from callscore.serve.db import Database

    src = tmp_path / "calls"
    write_call(src, "call1.wav")  # re-recorded since: now scores 100
    _v1_store(shared_db, src)
    with open_store(shared_db) as st:
        assert STORE_SCHEMA_VERSION == 2
        assert st.read("SELECT value FROM store_info WHERE key = 'schema_version'") == [("2",)]
        (old,) = st.calls()
        assert (old.call_key, old.call_id, old.total, old.agent) == ("v1:call1", "call1", 75.0, "budi")
        assert sorted((r["item_id"], r["status"]) for r in export_rows(st))[1] == ("greeting", "fail")
        assert [(f.call_key, f.reason) for f in st.failures()] == [("v1:bad", "bad.wav: no speech found")]
    db = Database(shared_db)
    assert [(r.call_key, r.after) for r in q.all_reviews(db)] == [("v1:call1", "pass")]
    assert q.get_call(db, call_key="v1:call1").call_id == "call1"
    # A batch re-scoring the same file takes the old row over, key and review included: no stale twin.
    summary = run_batch(plan_inputs([src])[0], options=options(tmp_path / "out", db=shared_db))
    assert len(summary.of(SCORED)) == 1
    with open_store(shared_db) as st:
        (now,) = st.calls()
        assert (now.call_key, now.total) == ("v1:call1", 100.0) and now.batch_id
    assert [r.call_key for r in q.all_reviews(db)] == ["v1:call1"]
    # ... and only that batch: another one's call1 of the same file gets a key of its own.
    run_batch(plan_inputs([src])[0], options=options(tmp_path / "out-b", db=shared_db))
    with open_store(shared_db) as st:
        assert sorted(c.call_key.startswith("v1:") for c in st.calls()) == [False, True]


# -- issue 15: the run key covers redaction and the sentiment model ------------------------------------------
def test_a_batch_resumed_with_another_redact_mode_or_sentiment_model_rescores(tmp_path):
    from callscore.batch.driver import resolve_run_key
    from callscore.pipeline import PipelineOptions

    src = tmp_path / "calls"
    write_call(src, "a.wav")
    write_call(src, "b.wav", fail=["closing"])
    calls, _ = plan_inputs([src])
    npz = tmp_path / "senti.npz"
    npz.write_bytes(b"model one")

    def run(**pipeline):
        # The run key is resolved from the pipeline options as `callscore batch` does; only its rubric is
        # the fake scorer's (its cards, hence the stored rows, name that rubric).
        p = PipelineOptions(**pipeline)
        key = dataclasses.replace(resolve_run_key(p), rubric_id="test-rubric", rubric_version="1")
        opts = BatchOptions(out_dir=tmp_path / "out", scorer_factory=fake_factory, pipeline=p, run_key=key)
        s = run_batch(calls, options=opts)
        return len(s.of(SCORED)), len(s.of(SKIPPED))

    assert run(redact="text") == (2, 0)
    assert run(redact="text") == (0, 2)  # unchanged: reused
    assert run(redact="none") == (2, 0)  # evidence and stored text now hold what "text" redacted
    assert run(redact="none") == (0, 2)
    assert run(redact="none", sentiment_model="off") == (2, 0)  # metrics and sentiment items change
    assert run(redact="none", sentiment_model=str(npz)) == (2, 0)
    assert run(redact="none", sentiment_model=str(npz)) == (0, 2)
    npz.write_bytes(b"model two")  # the same file name, other weights
    assert run(redact="none", sentiment_model=str(npz)) == (2, 0)


# -- 10. smaller ones ---------------------------------------------------------------------------------------
def test_models_is_not_ready_after_a_tampered_model_is_refused(tmp_path, monkeypatch):
    import callscore.cli.transcribe as transcribe_cli
    from callscore.asr import models

    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(transcribe_cli.console, "width", 400)  # one table row per model, unwrapped
    models.resolve_model_dir.cache_clear()
    try:
        where = models.resolve_model_dir(None)

        def base_row(output: str) -> str:
            return next(line for line in output.splitlines() if "whisper-base" in line)

        assert " yes " in base_row(cli("models").output)
        with open(where / "model.bin", "r+b") as f:  # same size, one flipped byte
            f.seek(1_000_000)
            byte = f.read(1)
            f.seek(1_000_000)
            f.write(bytes([byte[0] ^ 0xFF]))
        models.resolve_model_dir.cache_clear()
        with pytest.raises(ModelError, match="tampered"):
            models.resolve_model_dir(None)
        res = cli("models")
        row = base_row(res.output)
        assert res.exit_code == 0 and " no " in row and " yes " not in row and "tampered" in row
        assert not models.model_status(models.get_spec(None), verify=True).ready
    finally:
        models.resolve_model_dir.cache_clear()


HEAVY = (
    "callscore.pipeline",
    "callscore.asr",
    "callscore.batch",
    "callscore.sentiment",
    "ctranslate2",
    "torch",
)


def test_rubric_check_imports_no_pipeline_and_answers_hostile_rubrics_in_2_s(tmp_path):
    from test_hostile_rubric import _alias_bomb, _pattern_rubric

    probe = (
        "import sys; from callscore.cli import app_for; app_for(['rubric', 'check']); "
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout  # importing callscore.cli loaded every command's
    exe = Path(sys.executable).with_name("callscore")
    bomb, pattern = tmp_path / "bomb.yaml", tmp_path / "pattern.yaml"
    bomb.write_text(_alias_bomb(8))
    pattern.write_text(_pattern_rubric("(a+)+$"))
    for path, rc, says in ((bomb, 1, "alias bomb"), (pattern, 1, "repeats a repeated group")):
        took = []
        for _ in range(3):  # best of three: the machine is shared; the bar is the command's own time
            t0 = time.perf_counter()
            cmd = [str(exe), "rubric", "check", str(path)]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            took.append(time.perf_counter() - t0)  # process start included: 2.9-3.6 s before, under load
            assert res.returncode == rc and says in res.stdout + res.stderr, res.stderr
            assert "Traceback" not in res.stderr
        assert min(took) < 2.0, f"{path.name}: {min(took):.2f} s"


def test_every_command_is_mapped_to_the_modules_that_register_it():
    from callscore.cli import COMMANDS, app_for, build_app

    full = build_app()
    names = [c.name for c in full.registered_commands] + [g.name for g in full.registered_groups]
    assert sorted(names) == sorted(COMMANDS)
    for name in COMMANDS:
        light = app_for([name])
        assert name in [c.name for c in light.registered_commands] + [g.name for g in light.registered_groups]
    # the eval group, filled by three modules and shared by every app built, has each subcommand once
    (group,) = [g.typer_instance for g in full.registered_groups if g.name == "eval"]
    assert sorted(c.name for c in group.registered_commands) == ["asr", "rubric", "sentiment"]
    assert cli("eval", "asr", "--help").exit_code == 0


def test_scorecard_source_is_the_transcript_input_in_score_and_batch(tmp_path, short_stereo_transcript_path):
    from callscore.pipeline import PipelineOptions
    from callscore.results.store import open_store

    given = tmp_path / "call.json"  # a transcript JSON naming its recording (short_stereo.wav) beside it
    data = json.loads(short_stereo_transcript_path.read_text())
    data["audio"]["path"] = str(short_stereo_transcript_path.with_suffix(".wav"))
    given.write_text(json.dumps(data))
    res = cli("score", str(given), "--format", "json", "--out", str(tmp_path / "card.json"), "--no-prosody")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "card.json").read_text())["source"] == str(
        given
    )  # docs/scorecard-schema.md
    calls, _ = plan_inputs([given])
    out = tmp_path / "batch"
    summary = run_batch(calls, options=BatchOptions(out_dir=out, pipeline=PipelineOptions(prosody=False)))
    assert len(summary.of(SCORED)) == 1, summary.outcomes
    assert json.loads((out / "call.json").read_text())["source"] == str(given)
    with open_store(out / "callscore.sqlite") as st:
        assert [c.source for c in st.calls()] == [str(given)]


def test_symlink_loops_dangling_links_and_fifos(tmp_path):
    folder = tmp_path / "calls"
    write_call(folder, "good.wav")
    (folder / "loop1.wav").symlink_to(folder / "loop2.wav")
    (folder / "loop2.wav").symlink_to(folder / "loop1.wav")
    (folder / "dangling.wav").symlink_to(folder / "nowhere.wav")
    os.mkfifo(folder / "pipe.wav")
    search = find_inputs([folder])
    assert [p.name for p in search.files] == ["good.wav"]
    notes = " ".join(search.skipped)
    assert "symlink loop" in notes and "dangling symlink" in notes and "not a regular file" in notes
    _, warnings = plan_inputs([folder])
    assert len(warnings) == 4  # skipped with no word before
    named = find_inputs([folder / "loop1.wav"])
    assert named.files == () and "symlink loop" in named.problems[0]
    res = cli("render", str(folder / "loop1.wav"))  # was a traceback
    assert res.exit_code == 1 and "Traceback" not in res.output and "loop1.wav" in res.output


def test_batch_with_nothing_to_score_fails(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no audio or transcript"):
        plan_inputs([empty])
    only_out = tmp_path / "in"
    write_call(only_out / "out", "c.wav")
    with pytest.raises(InputError, match="no calls to score"):
        plan_inputs([only_out], exclude=[only_out / "out"])  # exited 0 before


def test_junit_xml_stays_well_formed_with_control_characters(tmp_path):
    import xml.etree.ElementTree as ET

    card = make_card("bad\x01name", source="calls/bad\x01name\x1b.wav", fail=("greeting",))
    v = judge(card, options=GateOptions(min_score=50))
    text = junit_xml([v], options=GateOptions(min_score=50))
    ET.fromstring(text.split("\n", 1)[1])  # raised ParseError (invalid XML) before
    assert "\\x01" in text


def test_nan_total_never_passes_the_gate():
    card = make_card("c1")
    import dataclasses

    nan_card = dataclasses.replace(card, total=float("nan"))
    assert not judge(nan_card, options=GateOptions(min_score=50)).passed  # passed with rc 0 before


def nan_factory(pipeline):
    """fake_factory whose cards carry a NaN total (a rubric whose weights sum to inf)."""
    import dataclasses

    score = fake_factory(pipeline)

    def run(path: str, call_id: str):
        res = score(path, call_id)
        card = dataclasses.replace(res.scorecard, total=float("nan"))
        return dataclasses.replace(res, scorecard=card)

    return run


def test_batch_json_is_strict(tmp_path):
    write_call(tmp_path / "calls", "c.wav")
    calls, _ = plan_inputs([tmp_path / "calls"])
    opts = BatchOptions(out_dir=tmp_path / "out", scorer_factory=nan_factory, run_key=KEY)
    summary = run_batch(calls, options=opts)
    assert [o.status for o in summary.outcomes] == [SCORED]

    def strict(text: str) -> object:
        def refuse(name: str) -> object:
            raise ValueError(f"non-JSON constant {name}")

        return json.loads(text, parse_constant=refuse)

    card = strict((tmp_path / "out" / "c.json").read_text())
    assert card["total"] is None  # was NaN
    strict((tmp_path / "out" / "batch-summary.json").read_text())


def test_concurrent_batches_on_one_out_are_refused(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    write_call(tmp_path / "calls", "c.wav")
    calls, _ = plan_inputs([tmp_path / "calls"])
    with (out / ".callscore-batch.lock").open("a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # another batch is running
        held.write("pid 12345")
        held.flush()
        with pytest.raises(BatchError, match="another batch .* is writing"):
            run_batch(calls, options=options(out))
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    assert [o.status for o in run_batch(calls, options=options(out)).outcomes] == [SCORED]


def test_over_length_message_names_no_missing_option():
    from callscore.audio.decode import _too_long

    msg = _too_long(Path("long.wav"), 9000.0, 7200.0)
    assert "--max-duration" not in msg and "long.wav" in msg


# -- 11. long calls ---------------------------------------------------------------------------------------
def _voice(seconds: float, sr: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    f = 140 + 50 * np.sin(2 * np.pi * 0.25 * t)
    phase = 2 * np.pi * np.cumsum(f) / sr
    y = 0.3 * np.sin(phase) + 0.15 * np.sin(2 * phase)
    y *= np.sin(2 * np.pi * 0.4 * t) > -0.4  # pauses
    return (y + 0.005 * np.random.default_rng(0).standard_normal(t.size)).astype(np.float32)


def test_pitch_memory_does_not_grow_with_call_length():
    from callscore.prosody.pitch import track_pitch

    peaks = []
    for seconds in (60.0, 240.0):
        y = _voice(seconds)
        tracemalloc.start()
        track_pitch(y=y, sr=16000)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    # Was 190 MB for 1 min and ~560 MB for 5 min of one speaker; now the frame x lag arrays are built
    # per chunk and only the signal and per-frame vectors scale.
    assert peaks[1] < 140, peaks
    assert peaks[1] - peaks[0] < 60, peaks


def test_chunked_pitch_equals_one_block(monkeypatch):
    import callscore.prosody.pitch as pitch

    y = _voice(50.0)
    chunked = pitch.track_pitch(y=y, sr=16000)
    monkeypatch.setattr(pitch, "CHUNK_FRAMES", 10**9)
    whole = pitch.track_pitch(y=y, sr=16000)
    assert np.array_equal(chunked.voiced, whole.voiced)
    assert np.allclose(chunked.f0, whole.f0, equal_nan=True, atol=1e-6)
    assert chunked.voiced.mean() > 0.4 and abs(np.nanmedian(chunked.f0) - 140) < 15


# -- 12. quantised CTranslate2 weights ----------------------------------------------------------------------
def test_int8_weights_are_dequantised_with_their_scale():
    from callscore.asr.convert import dequantise

    rng = np.random.default_rng(1)
    w = rng.normal(0, 0.05, (8, 16)).astype(np.float32)
    scale = (127.0 / np.abs(w).max(axis=1)).astype(np.float32)
    q = np.rint(w * scale[:, None]).astype(np.int8)  # CTranslate2's int8 quantisation
    out = dequantise({"dec/linear/weight": q, "dec/linear/weight_scale": scale}, source="model.bin")
    back = out["dec/linear/weight"]
    assert back.dtype == np.float16
    assert np.abs(back.astype(np.float32) - w).max() < 0.5 / scale.min() + 1e-3  # was read as raw ints
    assert "dec/linear/weight_scale" not in out


def test_bfloat16_weights_are_widened():
    from callscore.asr.convert import dequantise

    w = np.array([[1.0, -2.5, 0.15625]], dtype=np.float32)
    bits = (w.view(np.uint32) >> 16).astype(np.uint16)  # bfloat16 = high half of float32
    out = dequantise({"enc/weight": bits}, source="model.bin")
    assert np.array_equal(out["enc/weight"].astype(np.float32), w)


def test_int8_weight_without_scale_is_refused():
    from callscore.asr.convert import dequantise

    with pytest.raises(ModelError, match="without .*_scale"):
        dequantise({"enc/weight": np.zeros((2, 2), np.int8)}, source="model.bin")


# -- property tests: the transcript JSON loader and the audio loader ---------------------------------------
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROPERTY = settings(
    max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _one_line_error_or_result(fn, path: Path) -> None:
    try:
        fn(path)
    except CallscoreError as e:
        assert "\n" not in str(e) and str(path.name) in str(e)


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    b = bytearray(data)
    for pos, val in edits:
        if not b:
            break
        i = pos % len(b)
        if val < 256:
            b[i] = val
        elif val < 300:
            del b[i : i + (val - 255)]
        else:
            b[i:i] = bytes([val % 256])
    return bytes(b)


@PROPERTY
@given(st.binary(max_size=2048))
def test_transcript_loader_random_bytes(tmp_path, data):
    from callscore.transcript.model import load_transcript

    p = tmp_path / "t.json"
    p.write_bytes(data)
    _one_line_error_or_result(load_transcript, p)


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400)), min_size=1, max_size=8))
def test_transcript_loader_mutated_valid_file(tmp_path, short_stereo_transcript_path, edits):
    from callscore.transcript.model import load_transcript

    p = tmp_path / "t.json"
    p.write_bytes(_mutate(short_stereo_transcript_path.read_bytes(), edits))
    _one_line_error_or_result(load_transcript, p)


@PROPERTY
@given(st.data())
def test_transcript_loader_mutated_json_values(tmp_path, short_stereo_transcript_path, data):
    """Valid JSON, wrong shapes: any field replaced by any JSON value."""
    from callscore.transcript.model import load_transcript

    doc = json.loads(short_stereo_transcript_path.read_text())
    paths: list[list[object]] = []

    def walk(node: object, at: list[object]) -> None:
        paths.append(at)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, [*at, k])
        elif isinstance(node, list):
            for i, v in enumerate(node[:3]):
                walk(v, [*at, i])

    walk(doc, [])
    target = data.draw(st.sampled_from(paths[1:]))
    value = data.draw(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
            max_leaves=5,
        )
    )
    node = doc
    for k in target[:-1]:
        node = node[k]  # type: ignore[index]
    node[target[-1]] = value  # type: ignore[index]
    p = tmp_path / "t.json"
    p.write_text(json.dumps(doc))
    _one_line_error_or_result(load_transcript, p)


@PROPERTY
@given(st.binary(max_size=4096))
def test_audio_loader_random_bytes(tmp_path, data):
    from callscore.audio.decode import load_audio

    p = tmp_path / "a.wav"
    p.write_bytes(data)
    _one_line_error_or_result(load_audio, p)


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400)), min_size=1, max_size=8))
def test_audio_loader_mutated_valid_file(tmp_path, edits):
    from callscore.audio.decode import load_audio

    src = HERE / "data" / "short_stereo.wav"
    head = src.read_bytes()[:16384]  # header plus ~1 s: enough to reach the decoder
    p = tmp_path / "a.wav"
    p.write_bytes(_mutate(head, edits))
    _one_line_error_or_result(load_audio, p)


def test_audio_loader_unknown_codec_is_a_one_line_error(tmp_path):
    """Found by the property test above: byte 20 of a WAV header (the format tag) set to 0 names a codec
    FFmpeg has no decoder for; the stream then has no codec context."""
    from callscore.audio.decode import load_audio

    head = (HERE / "data" / "short_stereo.wav").read_bytes()[:16384]
    p = tmp_path / "a.wav"
    p.write_bytes(_mutate(head, [(20, 0)]))
    with pytest.raises(AudioError, match="a.wav: audio stream has an unknown or unsupported codec"):
        load_audio(p)
