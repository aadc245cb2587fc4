"""``callscore prosody`` wiring: transcript JSON + audio in, table/JSON out, one-line errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import soundfile as sf
from prosody_synth import HAVE_TOOLS, Call, Voice, agent_plan, make_call
from typer.testing import CliRunner

from callscore.cli import app
from callscore.transcript.model import save_transcript

pytestmark = pytest.mark.skipif(not HAVE_TOOLS, reason="needs Debian espeak-ng and sox")


@pytest.fixture(scope="module")
def call_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Call]:
    folder = tmp_path_factory.mktemp("prosody-cli")
    voice = Voice(folder)
    call = make_call(voice, agent_plan(voice, repeats=1), folder=folder)
    wav = folder / "call.wav"
    sf.write(wav, call.audio.samples.T, 16000, subtype="PCM_16")
    transcript = replace(call.transcript, audio=replace(call.transcript.audio, path=str(wav)))
    js = save_transcript(transcript, folder / "call.json")
    return js, wav, call


def test_transcript_json_with_its_audio(call_files: tuple[Path, Path, Call], tmp_path: Path) -> None:
    js, _, _ = call_files
    out = tmp_path / "prosody.json"
    result = CliRunner().invoke(app, ["prosody", str(js), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "calm" in result.output and "speaking_rate" in result.output and "00:00-00:57" in result.output
    data = json.loads(out.read_text())
    agent = data["speakers"][0]
    assert agent["role"] == "agent" and 0 <= agent["calm"]["score"] <= 100
    assert data["options"]["tracker"] == "yin"


def test_transcript_json_without_audio_is_not_measured(
    call_files: tuple[Path, Path, Call], tmp_path: Path
) -> None:
    _, _, call = call_files
    js = save_transcript(
        replace(call.transcript, audio=replace(call.transcript.audio, path=str(tmp_path / "gone.wav"))),
        tmp_path / "t.json",
    )
    result = CliRunner().invoke(app, ["prosody", str(js)])
    assert result.exit_code == 0, result.output
    assert "not measured: no audio" in result.output


def test_bad_tracker_is_one_error_line(call_files: tuple[Path, Path, Call]) -> None:
    js, wav, _ = call_files
    result = CliRunner().invoke(app, ["prosody", str(js), "--audio", str(wav), "--tracker", "crepe"])
    assert result.exit_code == 1
    assert "error:" in result.output and "tracker 'crepe' unknown" in result.output
    assert "Traceback" not in result.output
