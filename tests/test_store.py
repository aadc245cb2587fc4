"""Results store on SQLite and on a real throwaway PostgreSQL server: same schema, same behaviour."""

from __future__ import annotations

import sqlite3

import pytest
from batch_helpers import fake_factory, make_card, write_call

from callscore.batch.driver import SCORED, SKIPPED, BatchOptions, RunKey, run_batch
from callscore.batch.inputs import plan_inputs
from callscore.results.store import TABLES, StoreError, call_key, open_store, parse_store_url

_db_counter = iter(range(1000))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite")
    server = request.getfixturevalue("pg_server")
    return server.create_database(f"callscore_{next(_db_counter)}")


def test_save_replace_fail_and_read_back(store_url):
    with open_store(store_url) as st:
        st.save_call(
            make_card("c1", fail=("greeting",), sha="abc"),
            model="m1",
            agent="budi",
            team="billing",
            call_date="2026-11-20",
            extra={"campaign": "promo", "queue": "7"},
            report_path="/r/c1.html",
        )
        st.save_call(make_card("c2", fail=("no_abuse",), sha="def"), model="m1")
        calls = {c.call_id: c for c in st.calls()}
        assert calls["c1"].total == 75.0 and calls["c1"].critical_failed is False
        assert calls["c1"].extra == {"campaign": "promo", "queue": "7"}
        assert (calls["c1"].agent, calls["c1"].team, calls["c1"].call_date) == (
            "budi",
            "billing",
            "2026-11-20",
        )
        assert calls["c1"].report_path == "/r/c1.html"
        assert calls["c2"].critical_failed is True and calls["c2"].agent is None
        key = calls["c1"].call_key
        assert key == call_key(batch_id="", call_id="c1") and len(key) == 32
        items = [i for i in st.item_results() if i.call_key == key]
        assert [(i.item_id, i.status) for i in items] == [
            ("closing", "pass"),
            ("greeting", "fail"),
            ("no_abuse", "pass"),
            ("verify", "pass"),
        ]
        assert next(i for i in items if i.item_id == "no_abuse").critical is True
        assert next(i for i in items if i.item_id == "verify").weight == 2.0

        st.save_call(make_card("c1", sha="abc2"), model="m2")  # re-scored: replaces, never duplicates
        assert len(st.calls()) == 2 and len(st.item_results()) == 8
        assert st.done_keys()[key].audio_sha256 == "abc2" and st.done_keys()[key].model == "m2"

        st.record_failure(call_id="c2", source="c2.wav", audio_sha256="def", reason="c2.wav: no speech found")
        assert [c.call_id for c in st.calls()] == ["c1"]  # the stale result went with the failure
        assert [(f.call_id, f.reason) for f in st.failures()] == [("c2", "c2.wav: no speech found")]
        st.save_call(make_card("c2"), model="m2")
        assert st.failures() == []
    with open_store(store_url) as again:  # persisted, schema created only once
        assert len(again.calls()) == 2


def test_sqlite_and_postgresql_schemas_are_identical(tmp_path, pg_server):
    url = pg_server.create_database("schema_cmp")
    with open_store(tmp_path / "s.sqlite") as lite, open_store(url) as pg:
        assert lite.tables() == pg.tables() == sorted(TABLES)
        for table in TABLES:
            assert lite.columns(table) == pg.columns(table), table
        assert [c for c, _ in pg.columns("item_results")] == [
            "call_key",
            "item_id",
            "title",
            "status",
            "weight",
            "critical",
            "value",
            "reason",
        ]


def test_batch_into_postgresql_skips_on_rerun(tmp_path, pg_server):
    url = pg_server.create_database("batch_run")
    src = tmp_path / "calls"
    write_call(src, "a.wav", duration=30)
    write_call(src, "b.wav", fail=["closing"])
    calls, _ = plan_inputs([src])
    opts = BatchOptions(
        out_dir=tmp_path / "out", scorer_factory=fake_factory, run_key=RunKey("test-rubric", "1", "m"), db=url
    )
    first = run_batch(calls, options=opts)
    assert len(first.of(SCORED)) == 2 and first.store.startswith("postgresql://")
    assert not (tmp_path / "out" / "callscore.sqlite").exists()
    with open_store(url) as st:
        assert {c.call_id: c.total for c in st.calls()} == {"a": 100.0, "b": 75.0}
    assert len(run_batch(calls, options=opts).of(SKIPPED)) == 2


def test_store_urls():
    assert parse_store_url("out/x.sqlite").path.as_posix() == "out/x.sqlite"
    assert parse_store_url("sqlite:///rel/x.db").path.as_posix() == "rel/x.db"
    assert parse_store_url("sqlite:////abs/x.db").path.as_posix() == "/abs/x.db"
    t = parse_store_url("postgresql://qa:s3cret@db.local:6543/calls")
    assert t.kind == "postgresql" and t.params == {
        "user": "qa",
        "password": "s3cret",
        "database": "calls",
        "host": "db.local",
        "port": 6543,
    }
    assert "s3cret" not in t.display
    sock = parse_store_url("postgres://qa@/calls?host=/run/postgresql")
    assert sock.params["unix_sock"] == "/run/postgresql/.s.PGSQL.5432"
    with pytest.raises(StoreError, match="unknown database"):
        parse_store_url("mysql://x/y")


def test_unreachable_postgresql_is_one_clear_line():
    with pytest.raises(StoreError, match=r"postgresql://qa:\*\*\*@127.0.0.1:1/calls: cannot connect"):
        open_store("postgresql://qa:pw@127.0.0.1:1/calls")


def test_newer_store_schema_is_refused(tmp_path):
    db = tmp_path / "s.sqlite"
    open_store(db).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE store_info SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema version 99 is not supported"):
        open_store(db)
