"""``callscore analyze`` through the CLI: panels, JSON, forced roles, errors, the prosody stage."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from callsynth import Utterance, have_espeak, make_call  # noqa: E402

from callscore.cli import app  # noqa: E402
from callscore.transcript.model import save_transcript  # noqa: E402

pytestmark = pytest.mark.skipif(not have_espeak(), reason="needs the espeak-ng binary")
runner = CliRunner()


@pytest.fixture(scope="module")
def stereo_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A transcript JSON whose audio file sits next to it (agent on the left)."""
    d = tmp_path_factory.mktemp("analyze")
    a1 = Utterance(
        0, 0.5, "Selamat pagi, terima kasih telah menghubungi kami, ada yang bisa saya bantu", "id"
    )
    c1 = Utterance(1, a1.end + 0.4, "Saya mau komplain, pesanan saya belum sampai sejak minggu lalu", "id+f3")
    a2 = Utterance(0, c1.end + 6.0, "Baik Bapak, mohon ditunggu, saya cek dulu", "id")
    c2 = Utterance(1, a2.start + 1.0, "Kenapa lama sekali, saya sudah menunggu", "id+f3")
    audio, transcript = make_call([a1, c1, a2, c2], str(d / "call.wav"))
    path = d / "call.json"
    save_transcript(replace(transcript, audio=replace(transcript.audio, path=str(d / "call.wav"))), path)
    return path


@pytest.fixture
def no_prosody() -> list[str]:
    """Options that switch prosody off (the panels are what these tests are about)."""
    return ["--no-prosody"]


def test_analyze_prints_panels_and_writes_json(
    stereo_json: Path, tmp_path: Path, no_prosody: list[str]
) -> None:
    out = tmp_path / "a.json"
    r = runner.invoke(app, ["analyze", str(stereo_json), "--json", str(out), *no_prosody])
    assert r.exit_code == 0, r.output
    for text in (
        "S0",
        "agent",
        "customer",
        "talk ratio",
        "interruptions: 1",
        "dead air (> 5 s): 1",
        "non-talk time",
        "prosody: disabled",
    ):
        assert text in r.output
    data = json.loads(out.read_text())
    assert data["schema"] == "callscore.analysis" and data["timeline_source"] == "vad"
    assert [s["role"] for s in data["speakers"]] == ["agent", "customer"]
    assert 0 < data["talk_ratio"] < 1
    (i,) = data["interruptions"]
    assert i["by_role"] == "customer" and i["duration"] > 1
    assert data["dead_air"][0]["duration"] == pytest.approx(6.0, abs=0.1)
    assert data["prosody"] is None and data["prosody_note"] == "disabled"


def test_agent_channel_forces_roles(stereo_json: Path, no_prosody: list[str]) -> None:
    r = runner.invoke(app, ["analyze", str(stereo_json), "--agent-channel", "right", *no_prosody])
    assert r.exit_code == 0, r.output
    assert "forced: agent on the right channel" in r.output


def test_bad_agent_channel_is_one_error_line(stereo_json: Path) -> None:
    r = runner.invoke(app, ["analyze", str(stereo_json), "--agent-channel", "up"])
    assert r.exit_code == 1
    assert "--agent-channel 'up': use left or right" in r.output
    assert "Traceback" not in r.output


def test_missing_file_is_one_error_line(tmp_path: Path) -> None:
    r = runner.invoke(app, ["analyze", str(tmp_path / "none.wav")])
    assert r.exit_code == 1 and "file not found" in r.output and "Traceback" not in r.output


def test_prosody_panel_runs_the_prosody_stage_on_the_labelled_call(
    stereo_json: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import callscore.pipeline as pipeline

    calls = []
    real = pipeline.analyze_prosody

    def spy(audio, transcript, timeline):
        calls.append((audio, transcript, timeline))
        return real(audio, transcript, timeline)

    monkeypatch.setattr(pipeline, "analyze_prosody", spy)
    out = tmp_path / "p.json"
    r = runner.invoke(app, ["analyze", str(stereo_json), "--json", str(out)])
    assert r.exit_code == 0, r.output
    ((audio, transcript, timeline),) = calls
    # prosody gets the decoded stereo audio, the transcript with roles and the audio timeline
    assert audio.samples.shape[0] == 2 and transcript.speakers and timeline.source == "vad"
    assert "calm" in r.output and "confidence" in r.output
    data = json.loads(out.read_text())
    roles = [s["role"] for s in data["prosody"]["speakers"]]
    assert roles == ["agent", "customer"] and data["prosody_note"] == ""
