"""Reports, dashboard (checked in headless Chromium) and exports over a results store."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from batch_helpers import make_card
from typer.testing import CliRunner

from callscore.cli import app
from callscore.results.aggregates import ReportError, build_report, iso_week, report_csv
from callscore.results.dashboard import render_dashboard
from callscore.results.store import open_store

EVIL = '<script>alert("x")</script>&co'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def store_path(tmp_path) -> Path:
    """A store with 6 calls by 3 agents over 2 weeks, one critical failure and one unscorable call."""
    db = tmp_path / "out" / "callscore.sqlite"
    reports = tmp_path / "out"
    reports.mkdir(parents=True)
    calls = [
        # call_id, agent, team, date, failed items
        ("c1", "budi", "billing", "2026-11-16", ()),  # 2026-W47, 100
        ("c2", "budi", "billing", "2026-11-24", ("greeting",)),  # 2026-W48, 75
        ("c3", "ani", "sales", "2026-11-17", ("verify",)),  # W47, 50
        ("c4", "ani", "sales", "2026-11-25", ("verify", "closing")),  # W48, 25
        ("c5", EVIL, "sales", "2026-11-18", ("no_abuse",)),  # W47, 100 but critical
        ("c6", "budi", "billing", "2026-11-25", ("greeting", "verify", "closing")),  # W48, 0
    ]
    with open_store(db) as st:
        for cid, agent, team, date, fail in calls:
            html = reports / f"{cid}.html"
            html.write_text(f"<html><body>{cid}</body></html>")
            st.save_call(
                make_card(cid, fail=fail, sha=cid),
                model="m",
                agent=agent,
                team=team,
                call_date=date,
                report_path=str(html.resolve()),
            )
        st.record_failure(call_id="c7", source="c7.wav", audio_sha256="x", reason="c7.wav: no speech found")
    return db


def _report(db: Path, by: str = "agent"):
    with open_store(db) as st:
        return build_report(st, by=by)


def test_statistics(store_path):
    r = _report(store_path)
    assert r.overall.calls == 6 and r.overall.mean == 58.3 and r.overall.critical_failed == 1
    by = {g.key: g for g in r.groups}
    assert (by["budi"].calls, by["budi"].mean, by["budi"].min, by["budi"].max) == (3, 58.3, 0.0, 100.0)
    assert by["ani"].mean == 37.5 and by[EVIL].critical_failed == 1
    assert r.histogram == (1, 0, 1, 0, 0, 1, 0, 1, 0, 2)
    rates = {s.item_id: s.fail_rate for s in r.items}
    assert rates == {
        "verify": 0.5,
        "greeting": pytest.approx(1 / 3),
        "closing": pytest.approx(1 / 3),
        "no_abuse": pytest.approx(1 / 6),
    }
    assert r.items[0].item_id == "verify"
    assert [c.call_id for c in r.worst[:3]] == ["c5", "c6", "c4"]  # critical first, then lowest
    assert [(p.week, p.mean, p.calls) for p in r.trend["budi"]] == [
        ("2026-W47", 100.0, 1),
        ("2026-W48", 37.5, 2),
    ]
    weeks = {g.key: g.calls for g in _report(store_path, "week").groups}
    assert weeks == {"2026-W47": 3, "2026-W48": 3}
    assert {g.key for g in _report(store_path, "team").groups} == {"billing", "sales"}
    assert [f.call_id for f in r.failures] == ["c7"]
    with pytest.raises(ReportError, match="--by 'month'"):
        _report(store_path, "month")


def test_helpers():
    assert iso_week("2026-11-23") == "2026-W48" and iso_week("2027-01-01T10:00:00") == "2026-W53"
    assert iso_week(None) is None and iso_week("soon") is None


def test_csv_by_item_and_by_agent(store_path):
    rows = list(csv.DictReader(io.StringIO(report_csv(_report(store_path, "item")))))
    verify = next(r for r in rows if r["item_id"] == "verify")
    assert (verify["failed"], verify["passed"], verify["fail_rate"]) == ("3", "3", "0.500")
    res = CliRunner().invoke(app, ["report", "--db", str(store_path), "--by", "agent", "--format", "csv"])
    assert res.exit_code == 0, res.output
    agents = {r["agent"]: r for r in csv.DictReader(io.StringIO(res.output))}
    assert agents["ani"]["mean"] == "37.5" and agents["all"]["calls"] == "6"


def test_table_output_and_errors(store_path, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["report", "--db", str(store_path), "--by", "team"])
    assert res.exit_code == 0, res.output
    assert (
        "scores by team" in res.output and "worst calls" in res.output and "c7.wav: no speech" in res.output
    )
    res = runner.invoke(app, ["report", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 1 and "no results store here" in res.output
    res = runner.invoke(app, ["report", "--db", str(store_path), "--format", "pdf"])
    assert res.exit_code == 1 and "--format 'pdf'" in res.output


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def within(self, tag: str, svg_id: str) -> int:
        count, inside = 0, False
        for t, a in self.tags:
            if t == "svg":
                inside = a.get("id") == svg_id
            elif t == tag and inside:
                count += 1
        return count


def test_dashboard_renders_in_headless_chromium(store_path, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium)")
    page = tmp_path / "out" / "dashboard.html"
    res = CliRunner().invoke(app, ["report", "--db", str(store_path), "--format", "html", "--out", str(page)])
    assert res.exit_code == 0, res.output
    text = page.read_text()
    assert (
        "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
    )  # no CDN
    assert "<script" not in text  # the agent named <script> is escaped, not executed
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'chrome'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _Dom()
    dom.feed(proc.stdout)
    svgs = [a.get("id") for t, a in dom.tags if t == "svg"]
    assert svgs == ["chart-histogram", "chart-items", "chart-trend"]
    assert dom.within("rect", "chart-histogram") == 10
    bars = [a for t, a in dom.tags if t == "rect" and "fail-rate" in (a.get("class") or "")]
    assert {a["data-item"]: a["data-rate"] for a in bars} == {
        "verify": "0.500",
        "greeting": "0.333",
        "closing": "0.333",
        "no_abuse": "0.167",
    }
    lines = {a["data-agent"] for t, a in dom.tags if t == "polyline"}
    assert lines == {"ani", "budi", EVIL}
    assert not any(t == "script" for t, _ in dom.tags)
    assert EVIL in "".join(dom.text)  # shown as text
    links = [a["href"] for t, a in dom.tags if t == "a"]
    assert "c5.html" in links and "c6.html" in links  # relative to the dashboard's folder


def test_dashboard_of_an_empty_store_still_renders(tmp_path):
    with open_store(tmp_path / "e.sqlite") as st:
        page = render_dashboard(build_report(st))
    assert 'id="chart-histogram"' in page and 'id="chart-trend"' in page


def test_export_csv_and_parquet(store_path, tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    runner = CliRunner()
    out_csv, out_pq = tmp_path / "items.csv", tmp_path / "items.parquet"
    res = runner.invoke(app, ["export", "--db", str(store_path), "--format", "csv", "--out", str(out_csv)])
    assert res.exit_code == 0, res.output
    assert "wrote 24 item results" in res.output
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 24
    r = next(r for r in rows if r["call_id"] == "c5" and r["item_id"] == "no_abuse")
    assert (r["status"], r["critical"], r["critical_failed"], r["agent"]) == ("fail", "true", "true", EVIL)
    res = runner.invoke(app, ["export", "--db", str(store_path), "--format", "parquet", "--out", str(out_pq)])
    assert res.exit_code == 0, res.output
    table = pa.read_table(out_pq)
    assert table.num_rows == 24
    assert (
        str(table.schema.field("total").type) == "double"
        and str(table.schema.field("critical").type) == "bool"
    )
    assert sorted(set(table.column("call_id").to_pylist())) == ["c1", "c2", "c3", "c4", "c5", "c6"]
    res = runner.invoke(app, ["export", "--db", str(store_path), "--format", "xlsx", "--out", str(out_pq)])
    assert res.exit_code == 1 and "--format 'xlsx'" in res.output
