"""CI gate: verdicts, exit codes and JUnit XML (parsed back and checked for consistency)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from batch_helpers import fake_factory, make_card, write_call
from typer.testing import CliRunner

from callscore.batch.driver import RunKey
from callscore.batch.gate import GateOptions, GateVerdict, gate_exit_code, judge, junit_xml

KEY = RunKey("test-rubric", "1", "fake-model")


def test_judge_bar_and_critical():
    good = make_card("a")  # 100
    low = make_card("b", fail=("verify",))  # 50
    crit = make_card("c", fail=("no_abuse",))  # 100, critical failed
    opts = GateOptions(min_score=75)
    assert judge(good, options=opts).passed
    v = judge(low, options=opts)
    assert not v.passed and v.reasons == ("score 50.0 below 75",)
    assert judge(crit, options=opts).passed  # critical only counts with fail_on_critical
    v = judge(crit, options=GateOptions(min_score=75, fail_on_critical=True))
    assert not v.passed and v.reasons == ("critical item failed: no_abuse",)
    none = make_card("d", na=("greeting", "verify", "closing"))
    assert judge(none, options=opts).reasons == ("no rubric item could be scored",)
    assert judge(make_card("e", fail=("greeting",)), options=opts).passed  # exactly 75 passes


def test_exit_codes():
    ok = GateVerdict("a", "a.wav", True)
    bad = GateVerdict("b", "b.wav", False, ("score 10.0 below 75",))
    assert gate_exit_code([ok]) == 0
    assert gate_exit_code([ok, bad]) == 1
    assert gate_exit_code([]) == 1


def test_junit_xml_structure():
    opts = GateOptions(min_score=75, fail_on_critical=True)
    verdicts = [
        judge(make_card("good"), options=opts, wall_s=1.5),
        judge(make_card("low <&>", fail=("verify",), na=("closing",)), options=opts),
        GateVerdict("broken", "broken.wav", False, ("broken.wav: no speech",), None, "broken.wav: no speech"),
    ]
    root = ET.fromstring(junit_xml(verdicts, options=opts, key=KEY))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["good", "low <&>", "broken"]
    for s in suites:  # counts agree with the testcases inside
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
        assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    assert int(root.get("tests")) == 5 + 5 + 1
    good, low, broken = suites
    assert good.find("testcase").find("failure") is None and good.find("testcase").get("time") == "1.500"
    verdict = low.find("testcase").find("failure")
    assert verdict.get("message") == "score 33.3 below 75"
    item = next(c for c in low.findall("testcase") if c.get("name").startswith("verify"))
    failure = item.find("failure")
    assert failure.get("message") == "verify missing"
    assert "[1.0-2.0 s agent] <verify> said at 1.0 s" in failure.text  # evidence with time and role
    closing = next(c for c in low.findall("testcase") if c.get("name").startswith("closing"))
    assert closing.find("skipped").get("message").startswith("not_applicable")
    assert any(c.get("name") == "no_abuse: No abusive language [critical]" for c in low.findall("testcase"))
    assert broken.find("testcase").find("error").get("message") == "broken.wav: no speech"
    props = {p.get("name"): p.get("value") for p in good.find("properties")}
    assert props["model"] == "fake-model" and props["total"] == "100.0" and props["min_score"] == "75"


@pytest.fixture
def app(monkeypatch):
    from callscore.cli import batch as batch_cmd

    seen = {}

    def setup(**kw):
        seen.update(kw)
        return None, fake_factory, KEY

    monkeypatch.setattr(batch_cmd, "pipeline_setup", setup)
    from callscore.cli import app as the_app

    the_app.seen = seen
    return the_app


def test_cli_gate_passes_fails_and_writes_junit(tmp_path, app):
    src = tmp_path / "examples"
    write_call(src, "good.wav")
    write_call(src, "critical.wav", fail=["no_abuse"])
    runner = CliRunner()
    junit = tmp_path / "junit.xml"
    res = runner.invoke(
        app, ["ci", str(src), "--min-score", "75", "--junit", str(junit), "--rubric", "r.yaml"]
    )
    assert res.exit_code == 0, res.output
    assert app.seen["rubric"] == "r.yaml"
    assert "2 of 2 calls passed" in res.output
    assert ET.parse(junit).getroot().get("failures") == "1"  # the critical item, reported but not gating

    res = runner.invoke(app, ["ci", str(src), "--fail-on-critical", "--junit", str(junit)])
    assert res.exit_code == 1
    assert "1 of 2 calls passed" in res.output and "critical item failed: no_abuse" in res.output

    write_call(src, "low.wav", fail=["verify"])
    write_call(src, "bad.wav", bad="not a recording")
    res = runner.invoke(app, ["ci", str(src), "--min-score", "60", "--jobs", "2", "--junit", str(junit)])
    assert res.exit_code == 1
    assert "2 of 4 calls passed" in res.output
    root = ET.parse(junit).getroot()
    assert root.get("errors") == "1" and [s.get("name") for s in root] == ["bad", "critical", "good", "low"]

    res = runner.invoke(app, ["ci", str(src), "--min-score", "120"])
    assert res.exit_code == 1 and "--min-score 120" in res.output
