"""End to end with the real pipeline and the bundled Whisper model: ``batch`` (resume included), ``ci``
and ``analyze`` on small espeak-ng calls, through the CLI as a user runs them (no stand-in scorer)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from batch_helpers import espeak_call
from typer.testing import CliRunner

from callscore.batch.driver import SUMMARY_NAME
from callscore.cli import app

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
    ),
]
runner = CliRunner()
AGENT = "Selamat pagi, terima kasih telah menghubungi bank kami. Ada yang bisa saya bantu, Bapak?"
CUSTOMER = "Saya mau tanya tagihan kartu kredit saya bulan ini."
ISAS = {"GENERIC", "AVX", "AVX2", "AVX512"}


@pytest.fixture(scope="module")
def calls(tmp_path_factory) -> Path:
    """Two short stereo calls (agent left, customer right), in a folder of their own."""
    src = tmp_path_factory.mktemp("calls")
    espeak_call(src / "budi_1.wav", AGENT, CUSTOMER)
    espeak_call(
        src / "sari_2.wav", "Selamat siang, dengan Sari, ada yang bisa saya bantu?", "Kartu saya hilang."
    )
    return src


def _summary(out: Path) -> dict:
    return json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))


def test_batch_scores_then_resumes_and_a_cached_rerun_is_not_fast(calls, tmp_path, monkeypatch):
    from callscore.asr.models import CACHE_ENV, resolve_model_dir

    resolve_model_dir()  # the assembled model stays where it is; only transcripts start from empty
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    out = tmp_path / "out"
    first_only = tmp_path / "first"
    first_only.mkdir()
    shutil.copy(calls / "budi_1.wav", first_only / "budi_1.wav")
    res = runner.invoke(app, ["batch", str(first_only), "--out", str(out), "--no-html", "--threads", "2"])
    assert res.exit_code == 0, res.output
    card = json.loads((out / "budi_1.json").read_text(encoding="utf-8"))
    assert card["total"] is not None and card["items"]
    greeting = next(i for i in card["items"] if i["id"] == "greeting")
    assert greeting["status"] == "pass"  # the real model heard "Selamat pagi" on the agent's channel
    runtime = card["settings"]["transcription"]["runtime"]
    assert runtime["libraries"]["ctranslate2"] and runtime["libraries"]["faster-whisper"]
    assert runtime["cpu_path"]["isa"] in ISAS and runtime["cpu_path"]["matmul"] in ("MKL", "oneDNN")
    assert _summary(out)["scored"] == 1 and _summary(out)["transcribed_s"] > 3.0

    # Resume: a second call appears; the first is skipped, only the new one is scored.
    shutil.copy(calls / "sari_2.wav", first_only / "sari_2.wav")
    res = runner.invoke(app, ["batch", str(first_only), "--out", str(out), "--no-html", "--threads", "2"])
    assert res.exit_code == 0, res.output
    s = _summary(out)
    status = {c["call_id"]: c["status"] for c in s["calls"]}
    assert status == {"budi_1": "skipped", "sari_2": "scored"}
    assert "skipped 1 (already scored)" in res.output

    # --force re-scores both from the transcript cache: no audio transcribed, so no "x real time".
    res = runner.invoke(app, ["batch", str(first_only), "--out", str(out), "--no-html", "--force"])
    assert res.exit_code == 0, res.output
    s = _summary(out)
    assert s["scored"] == 2 and s["transcribed_s"] == 0 and s["speed_x_realtime"] is None
    assert "real time" not in res.output and "nothing transcribed" in res.output


def test_ci_gate_passes_and_fails_on_the_score_bar_with_junit(calls, tmp_path):
    call = str(calls / "budi_1.wav")
    junit = tmp_path / "ci.xml"
    ok = runner.invoke(app, ["ci", call, "--min-score", "1", "--junit", str(junit)])
    assert ok.exit_code == 0, ok.output
    suites = ET.parse(junit).getroot()
    assert suites.tag == "testsuites" and len(list(suites)) == 1
    # A short call cannot meet every item of the default rubric: a bar of 100 fails the gate.
    bad = runner.invoke(app, ["ci", call, "--min-score", "100"])
    assert bad.exit_code == 1, bad.output
    assert "0 of 1 calls passed" in bad.output


def test_analyze_finds_the_agent_on_the_left_and_the_talk_ratio(calls):
    res = runner.invoke(app, ["analyze", str(calls / "budi_1.wav"), "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    roles = {s["channel"]: s["role"] for s in data["speakers"]}
    assert roles == {0: "agent", 1: "customer"}
    # The agent's sentence is about twice the customer's: the ratio says the agent talked more.
    assert 0.5 < data["talk_ratio"] < 0.85
    assert data["interruptions"] == [] and data["timeline_source"] in ("words", "vad")
