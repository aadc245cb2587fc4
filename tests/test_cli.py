import json

import pytest
from typer.testing import CliRunner

from callscore.cli import app

from audiogen import needs_espeak, speak, write_any

runner = CliRunner()


def one_error_line(output: str, needle: str) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert any(needle in line for line in errors), output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "file not found"), (b"", "file is empty"), (b"just text\n" * 20, "not an audio file")],
    ids=["missing", "empty", "not-audio"],
)
def test_transcribe_bad_input_one_line_nonzero(tmp_path, content, needle):
    path = tmp_path / "call.mp3"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["transcribe", str(path)])
    assert result.exit_code == 1
    one_error_line(result.output, needle)
    assert str(path) in result.output


def test_debug_shows_the_exception(tmp_path):
    result = runner.invoke(app, ["transcribe", str(tmp_path / "nope.wav"), "--debug"])
    assert result.exit_code != 0
    assert result.exception is not None and "file not found" in str(result.exception)


def test_unknown_backend(tmp_path):
    result = runner.invoke(app, ["transcribe", str(tmp_path / "x.wav"), "--backend", "kaldi"])
    assert result.exit_code == 1
    one_error_line(result.output, "unknown backend 'kaldi'")


def test_silent_file_is_an_error(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    path = write_any(tmp_path / "silent.wav", [np.zeros(16000 * 5, np.float32)])
    result = runner.invoke(app, ["transcribe", str(path)])
    assert result.exit_code == 1
    one_error_line(result.output, "no speech found")


@pytest.mark.model
@needs_espeak
def test_transcribe_prints_and_writes_json_and_continues_after_a_bad_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    good = write_any(tmp_path / "good.wav", [speak("Terima kasih, selamat siang.", tmp_path / "s.wav")])
    out = tmp_path / "json"
    out.mkdir()
    result = runner.invoke(app, ["transcribe", str(tmp_path / "missing.wav"), str(good), "--json", str(out)])
    assert result.exit_code == 1  # one file failed ...
    assert "MONO" in result.output and "[00:0" in result.output  # ... the other was still transcribed
    data = json.loads((out / "good.json").read_text())
    assert data["schema"] == "callscore.transcript" and data["segments"]
