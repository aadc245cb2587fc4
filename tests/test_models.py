import shutil

import pytest
from typer.testing import CliRunner

from callscore.asr import models
from callscore.cli import app
from callscore.errors import ModelError
from callscore.files import file_sha256


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    models.resolve_model_dir.cache_clear()
    yield tmp_path / "cache"
    models.resolve_model_dir.cache_clear()


def test_manifest_lists_bundled_default_with_checksum():
    spec = models.get_spec(None)
    assert spec.name == models.default_model_name() == "whisper-base"
    assert spec.sha256["model.bin"] == "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
    assert spec.license == "MIT"
    assert models.get_spec("whisper-large-v3").hub


def test_unknown_model_names_the_known_ones():
    with pytest.raises(ModelError, match="whisper-base"):
        models.get_spec("whisper-gigantic")


def test_assemble_verifies_and_is_ready(cache):
    where = models.resolve_model_dir(None)
    assert where == cache / "models" / "whisper-base"
    assert (where / "model.bin").stat().st_size == 145217532
    assert file_sha256(where / "model.bin") == models.get_spec(None).sha256["model.bin"]
    assert not list(where.glob(".*"))  # no temp files left behind
    status = models.model_status(models.get_spec(None))
    assert status.ready and "assembled" in status.detail


def test_tampered_model_is_refused(cache):
    where = models.resolve_model_dir(None)
    models.resolve_model_dir.cache_clear()
    blob = where / "model.bin"
    data = bytearray(blob.read_bytes())
    data[1_000_000] ^= 0xFF  # same size, one flipped byte
    blob.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="tampered"):
        models.resolve_model_dir(None)


def test_truncated_model_is_refused_by_size(cache, tmp_path):
    spec = models.get_spec(None)
    target = tmp_path / "copy"
    models.assemble(spec, target=target)
    with open(target / "model.bin", "r+b") as f:
        f.truncate(1000)
    with pytest.raises(ModelError, match="size 1000 bytes"):
        models.verify_file(target / "model.bin", spec, "model.bin")


def test_wrong_part_refused_during_assembly(cache, tmp_path, monkeypatch):
    spec = models.get_spec(None)
    bogus = tmp_path / "bogus.part"
    bogus.write_bytes(b"x" * 10)
    real = models._part_path
    monkeypatch.setattr(models, "_part_path", lambda part: bogus if part.endswith("part2") else real(part))
    with pytest.raises(ModelError):
        models.assemble(spec, target=tmp_path / "bad")
    assert not (tmp_path / "bad" / "model.bin").exists()


def test_local_model_dir_env(cache, tmp_path, monkeypatch):
    local = tmp_path / "mine" / "whisper-small"
    local.mkdir(parents=True)
    (local / "model.bin").write_bytes(b"weights")
    monkeypatch.setenv(models.MODEL_DIR_ENV, str(tmp_path / "mine"))
    status = models.model_status(models.get_spec("whisper-small"))
    assert status.ready and status.where == str(local)


def test_hub_models_not_ready_offline_say_how(cache, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(cache / "empty-hf"))
    status = models.model_status(models.get_spec("whisper-medium"))
    assert not status.ready
    assert "Systran/faster-whisper-medium" in status.detail
    with pytest.raises(ModelError, match="not available offline"):
        models.resolve_model_dir("whisper-medium")


def test_models_command_lists_readiness(cache):
    result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0
    assert "whisper-base" in result.output and "default" in result.output
    assert "whisper-large-v3" in result.output


def test_cache_root_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("CALLSCORE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert models.cache_root() == tmp_path / "callscore"


def test_cache_dir_can_be_removed_and_rebuilt(cache):
    models.resolve_model_dir(None)
    shutil.rmtree(cache)
    models.resolve_model_dir.cache_clear()
    assert (models.resolve_model_dir(None) / "model.bin").is_file()
