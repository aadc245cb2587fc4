"""ASR accuracy harness: normalisation, error arithmetic, manifest errors, and a real run on the model."""

from __future__ import annotations

import json

import pytest
from audiogen import needs_espeak, speak, write_any
from typer.testing import CliRunner

from callscore.cli import app
from callscore.errors import CallscoreError
from callscore.eval.asr_eval import evaluate_asr, read_manifest, score_pair
from callscore.transcript.textnorm import wer_tokens


def test_numbers_compare_whichever_way_they_are_written():
    assert wer_tokens("119") == wer_tokens("seratus sembilan belas") == wer_tokens("satu satu sembilan")
    assert score_pair("hubungi 119 ya", "Hubungi seratus sembilan belas, ya!").word_edits == 0


def test_informal_forms_case_and_punctuation_do_not_count_as_errors():
    s = score_pair("Terima kasih, Bu. Tidak bisa sudah dicoba?", "makasih bu gak bisa udah dicoba")
    assert s.word_edits == 0 and s.wer == 0.0 and s.cer == 0.0


def test_error_rates_are_edits_over_reference_length():
    s = score_pair("saya akan cek tagihan ibu", "saya cek tagihan bapak")  # 1 deletion, 1 substitution
    assert (s.word_edits, s.words) == (2, 5)
    assert s.wer == pytest.approx(0.4)
    assert (s.char_edits, s.chars) == (10, 25)  # "akan " deleted (5), "ibu" -> "bapak" (5)
    assert score_pair("", "halo").wer is None  # no reference words: undefined, not zero


def test_manifest_parsing_and_errors(tmp_path):
    m = tmp_path / "m.tsv"
    m.write_text("audio\treference\n# a comment\na.wav\tselamat pagi\n/abs/b.wav\tterima kasih\n\n")
    rows = read_manifest(m)
    assert [str(r.audio) for r in rows] == [str(tmp_path / "a.wav"), "/abs/b.wav"]
    assert rows[0].reference == "selamat pagi" and rows[1].line == 4
    bad = tmp_path / "bad.tsv"
    bad.write_text("a.wav selamat pagi\n")
    with pytest.raises(CallscoreError, match=r"bad.tsv:1: expected two tab-separated columns"):
        read_manifest(bad)
    with pytest.raises(CallscoreError, match="manifest not found"):
        read_manifest(tmp_path / "nope.tsv")
    (tmp_path / "empty.tsv").write_text("audio\treference\n")
    with pytest.raises(CallscoreError, match="no rows"):
        read_manifest(tmp_path / "empty.tsv")


def test_a_failing_file_is_reported_and_the_rest_are_scored(tmp_path):
    m = tmp_path / "m.tsv"
    m.write_text("a.wav\tselamat pagi\nb.wav\tterima kasih\n")

    def fake(path):
        if path.name == "a.wav":
            raise CallscoreError(f"{path}: file not found")
        return "terima kasih"

    report = evaluate_asr(read_manifest(m), fake)
    assert report.failed == 1 and "file not found" in report.files[0].error
    assert report.wer == 0.0 and report.files[1].wer == 0.0


@pytest.mark.model
@needs_espeak
def test_eval_asr_cli_on_the_bundled_model(tmp_path):
    said = "Selamat pagi, terima kasih sudah menelepon. Ada yang bisa saya bantu?"
    y = speak(said, tmp_path / "raw.wav")
    write_any(tmp_path / "clip.wav", [y])
    m = tmp_path / "m.tsv"
    m.write_text(f"clip.wav\t{said}\nmissing.wav\thalo\n")
    res = CliRunner().invoke(
        app, ["eval", "asr", "--manifest", str(m), "--no-cache", "--json", str(tmp_path / "r.json")]
    )
    assert res.exit_code == 1, res.output  # one file is missing: reported, non-zero exit
    assert "missing.wav" in res.output and "overall" in res.output
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["failed"] == 1
    assert data["files"][0]["wer"] is not None and data["files"][0]["wer"] < 0.6, data["files"][0]
