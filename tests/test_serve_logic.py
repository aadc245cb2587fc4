"""Review-app logic without a server: calibration against a hand count, reviewed totals, the calls filter,
the login limiter, the users CLI and the export-reviews -> eval rubric round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from batch_helpers import make_card
from serve_helpers import REPO
from typer.testing import CliRunner

from callscore.cli import app
from callscore.results.store import ItemRow, open_store
from callscore.serve import queries as q
from callscore.serve.auth import LoginLimiter, authenticate, get_user
from callscore.serve.calibration import agreement, calibrate, iso_week
from callscore.serve.db import Database
from callscore.serve.review import (
    BadInput,
    ReviewRecord,
    new_id,
    parse_verdict,
    review_statements,
    reviewed_items,
    reviewed_total,
)

runner = CliRunner()


def rev(call: str, item: str, who: str, after: str, when: str, before: str = "") -> ReviewRecord:
    return ReviewRecord(new_id(), call, item, who, before or "pass", after, "c", None, when)


W1, W2 = "2026-11-03T10:00:00+00:00", "2026-11-11T10:00:00+00:00"  # Tuesday of ISO weeks 45 and 46


def test_calibration_matches_a_hand_count():
    machine = {
        ("c1", "A"): "pass", ("c2", "A"): "pass", ("c3", "A"): "fail", ("c4", "A"): "fail",
        ("c5", "A"): "pass", ("c6", "A"): "not_measured", ("c1", "B"): "fail", ("c2", "B"): "fail",
    }  # fmt: skip
    reviews = [
        rev("c1", "A", "qa1", "pass", W1),
        rev("c2", "A", "qa1", "pass", W1),  # later overruled by qa2: only the newest verdict counts
        rev("c3", "A", "qa1", "fail", W1),
        rev("c3", "A", "qa2", "fail", W1.replace("10:00", "11:00")),
        rev("c4", "A", "qa1", "fail", W1),
        rev("c1", "B", "qa1", "fail", W1),
        rev("c2", "A", "qa2", "fail", W2),
        rev("c5", "A", "qa1", "pass", W2),
        rev("c6", "A", "qa1", "not_applicable", W2),
        rev("c2", "B", "qa1", "fail", W2),
        rev("c9", "A", "qa1", "fail", W2),  # a call no longer in the store: ignored
    ]
    cal = calibrate(machine=machine, reviews=reviews)
    a, b = cal.items
    # Item A by hand: 6 reviewed, 4 agree; machine marginals pass 3 / fail 2 / nm 1, human pass 2 /
    # fail 3 / na 1; p_e = (3*2 + 2*3) / 36 = 1/3; kappa = (4/6 - 1/3) / (2/3) = 0.5.
    assert (a.item_id, a.machine.n, a.machine.agree) == ("A", 6, 4)
    assert a.machine.accuracy == pytest.approx(4 / 6) and a.machine.kappa == pytest.approx(0.5)
    assert dict(a.machine.confusion) == {
        ("fail", "fail"): 2, ("not_measured", "not_applicable"): 1, ("pass", "fail"): 1, ("pass", "pass"): 2,
    }  # fmt: skip
    # Reviewers on A: c2 (qa1 pass, qa2 fail) and c3 (fail, fail): 1 of 2; p_e = (1*0 + 1*2) / 4 = 0.5 -> 0.
    assert (a.reviewers.n, a.reviewers.agree) == (2, 1) and a.reviewers.kappa == pytest.approx(0.0)
    # Item B: 2 of 2, every verdict "fail" on both sides: kappa undefined. Worst item first.
    assert (b.item_id, b.machine.n, b.machine.accuracy, b.machine.kappa) == ("B", 2, 1.0, None)
    # Overall: 8 pairs, 6 agree; p_e = (3*2 + 4*5) / 64; kappa = (0.75 - p_e) / (1 - p_e).
    pe = 26 / 64
    assert (cal.overall.n, cal.overall.agree) == (8, 6)
    assert cal.overall.kappa == pytest.approx((0.75 - pe) / (1 - pe))
    assert cal.calls_reviewed == 6
    # Trend by the week of the newest review: W45 has c1A c3A c4A c1B (4/4), W46 c2A c5A c6A c2B (2/4).
    assert [(t.week, t.n, t.agree) for t in cal.trend] == [("2026-W45", 4, 4), ("2026-W46", 4, 2)]


def test_agreement_edge_cases():
    assert agreement(pairs=[]) == agreement(pairs=[])
    empty = agreement(pairs=[])
    assert (empty.n, empty.accuracy, empty.kappa) == (0, None, None)
    opposite = agreement(pairs=[("pass", "fail"), ("fail", "pass")])
    assert opposite.accuracy == 0.0 and opposite.kappa == pytest.approx(-1.0)
    assert iso_week("2026-01-01") == "2026-W01" and iso_week("2026-12-31T23:00:00+00:00") == "2026-W53"


def test_reviewed_total_uses_the_scorecard_rule():
    card = make_card(
        "x", fail=("greeting",)
    )  # weights greeting 1, verify 2, closing 1, no_abuse 0 (critical)
    items = [
        ItemRow("x", i.id, i.title, i.status, i.weight, i.critical, i.value, i.reason) for i in card.items
    ]
    none = reviewed_items(items=items, reviews=[])
    assert reviewed_total(items=none) == (75.0, False) and not any(r.reviewed for r in none)
    flips = [
        rev("x", "greeting", "qa1", "pass", W1),
        rev("x", "verify", "qa1", "not_applicable", W1),
        rev("x", "no_abuse", "qa1", "fail", W1),
    ]
    rows = reviewed_items(items=items, reviews=flips)
    assert reviewed_total(items=rows) == (100.0, True)  # n.a. leaves the denominator; critical failed
    assert parse_verdict("N/A") == "not_applicable"
    with pytest.raises(BadInput, match="not_measured"):
        parse_verdict("not_measured")  # the machine's own status, not a human verdict


def test_filter_parsing_and_sql():
    f = q.parse_filter({"agent": "a1", "score_min": "50", "failed_item": "greeting", "critical": "no",
                        "sort": "score", "order": "asc", "page": "2"})  # fmt: skip
    where, args = q.where_clause(f)
    assert args == ["a1", 50.0, 0, "greeting"] and where.count("?") == 4
    assert "a1" not in where and "greeting" not in where  # values only ever travel as parameters
    for bad in ({"page": "-1"}, {"order": "up"}, {"critical": "maybe"}, {"date_from": "yesterday"}):
        with pytest.raises(BadInput):
            q.parse_filter(bad)


def test_login_limiter_window():
    now = [1000.0]
    lim = LoginLimiter(max_failures=3, window_s=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert lim.retry_after("ip:1", "user:a") == 0
        lim.failed("ip:1", "user:a")
    assert lim.retry_after("ip:1") == pytest.approx(60.0)
    assert lim.retry_after("ip:2", "user:a") == pytest.approx(60.0)  # the name is blocked from anywhere
    assert lim.retry_after("ip:2", "user:b") == 0
    now[0] += 61.0
    assert lim.retry_after("ip:1", "user:a") == 0


def test_users_cli(tmp_path):
    db = str(tmp_path / "s.sqlite")
    ok = runner.invoke(app, ["users", "add", "rina", "--db", db, "--role", "agent", "--agent-id", "a7",
                             "--password-stdin"], input="secret-pass-1\n")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "added rina (agent, agent a7)" in ok.output
    bad = runner.invoke(app, ["users", "add", "bob", "--db", db, "--role", "boss", "--password-stdin"],
                        input="secret-pass-1\n")  # fmt: skip
    assert bad.exit_code == 1 and "role 'boss' is not one of admin, qa, agent" in bad.output
    short = runner.invoke(
        app, ["users", "add", "bob", "--db", db, "--role", "qa", "--password-stdin"], input="x\n"
    )
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    dup = runner.invoke(app, ["users", "add", "rina", "--db", db, "--role", "qa", "--password-stdin"],
                        input="secret-pass-1\n")  # fmt: skip
    assert dup.exit_code == 1 and "already exists" in dup.output
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert "rina" in listed.output and "agent" in listed.output and "active" in listed.output
    d = Database(db)
    stored = d.query("SELECT password_hash FROM serve_users WHERE username = 'rina'")[0][0]
    assert stored.startswith("$argon2id$") and "secret-pass-1" not in stored
    assert authenticate(d, username="rina", password="secret-pass-1") is not None
    assert runner.invoke(app, ["users", "disable", "rina", "--db", db]).exit_code == 0
    assert (
        get_user(d, username="rina").disabled
        and authenticate(d, username="rina", password="secret-pass-1") is None
    )
    assert runner.invoke(app, ["users", "disable", "rina", "--db", db, "--enable"]).exit_code == 0
    reset = runner.invoke(
        app, ["users", "reset", "rina", "--db", db, "--password-stdin"], input="new-pass-22\n"
    )
    assert reset.exit_code == 0
    assert authenticate(d, username="rina", password="new-pass-22") is not None
    assert authenticate(d, username="rina", password="secret-pass-1") is None
    gone = runner.invoke(
        app, ["users", "reset", "nobody", "--db", db, "--password-stdin"], input="new-pass-22\n"
    )
    assert gone.exit_code == 1 and "no such user" in gone.output


def test_export_reviews_scores_with_eval_rubric(tmp_path):
    """Reviews of calls scored from transcript JSONs -> labels.tsv -> eval rubric: the label count and the
    status agreement eval reports are the review app's own calibration figures."""
    from callscore.rubric import load_rubric
    from callscore.scorecard import score_transcript
    from callscore.transcript.model import load_transcript

    rubric = load_rubric("id-contact-centre")
    db = str(tmp_path / "callscore.sqlite")
    paths = sorted((REPO / "tests" / "data" / "example_transcripts").glob("*.json"))[:4]
    with open_store(db) as st:
        keys = [
            st.save_call(
                score_transcript(load_transcript(p), rubric=rubric, call_id=p.stem), model="m", source=str(p)
            )
            for p in paths
        ]
    d = Database(db)
    items = {key: q.call_items(d, call_key=key) for key in keys}
    t0 = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
    flipped = {"pass": "fail", "fail": "pass", "not_applicable": "pass", "not_measured": "fail"}
    n = 0
    for cid, rows in list(items.items())[:3]:
        for k, it in enumerate(rows[:5]):
            after = flipped[it.status] if k % 2 else (it.status if it.status != "not_measured" else "pass")
            when = (t0 + dt.timedelta(minutes=n)).isoformat()
            rec = ReviewRecord(new_id(), cid, it.item_id, "qa1", it.status, after, "checked", None, when)
            d.execute(review_statements(record=rec))
            n += 1
    cal = calibrate(machine=q.reviewed_machine_verdicts(d), reviews=q.all_reviews(d))
    out = tmp_path / "labels.tsv"
    res = runner.invoke(app, ["export-reviews", "--db", db, "--out", str(out), "--split", "dev"])
    assert res.exit_code == 0, res.output
    assert f"wrote {n} labels from 3 reviewed calls" in res.output
    lines = out.read_text().splitlines()
    assert lines[0] == "path\titem\texpected\tsplit" and lines[1].startswith("# ") and len(lines) == n + 2
    report = tmp_path / "eval.json"
    ev = runner.invoke(app, ["eval", "rubric", "--labels", str(out), "--rubric", "id-contact-centre",
                             "--split", "dev", "--json", str(report)])  # fmt: skip
    assert ev.exit_code == 0, ev.output
    got = json.loads(report.read_text())
    assert got["labels"] == n == cal.overall.n and got["calls"] == 3
    assert got["agreement"] == pytest.approx(cal.overall.accuracy)
    assert 0.2 < got["agreement"] < 0.9  # the flipped verdicts really disagree, the kept ones agree
    assert len(got["mismatches"]) == n - cal.overall.agree


def test_export_of_an_unreviewed_store_is_an_empty_label_set(tmp_path):
    db = str(tmp_path / "s.sqlite")
    open_store(db).close()
    out = tmp_path / "labels.tsv"
    res = runner.invoke(app, ["export-reviews", "--db", db, "--out", str(out)])
    assert res.exit_code == 0 and "wrote 0 labels" in res.output
    assert Path(out).read_text().splitlines()[0] == "path\titem\texpected\tsplit"


def test_serve_refuses_a_missing_sqlite_store(tmp_path):
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "nope.sqlite")])
    assert res.exit_code == 1 and "no results store here" in res.output
    assert not (tmp_path / "nope.sqlite").exists()


def test_login_redirect_stays_on_this_site():
    from callscore.serve.pages import _safe_next

    assert _safe_next("/calls/c1?x=1") == "/calls/c1?x=1"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "/\tx", "calls"):
        assert _safe_next(evil) == "/calls", evil


def test_login_limiter_forgets_stale_keys():
    from callscore.serve import auth

    now = [0.0]
    lim = LoginLimiter(max_failures=1, window_s=10.0, clock=lambda: now[0])
    for k in range(auth.LIMITER_KEYS_MAX + 1):
        lim.failed(f"user:{k}")
    now[0] = 20.0
    lim.failed("user:new")
    assert len(lim._fails) == 1 and lim.retry_after("user:new") == pytest.approx(10.0)
