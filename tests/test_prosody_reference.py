"""Prosody reference ranges: the script on a numpy stand-in corpus (train split only, numbers only, clean
skip) and how a score places a value against the real-speaker percentiles."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_real_voice_benchmark import corpora  # noqa: F401  (the stand-in corpus fixture)

from callscore.prosody import scores
from callscore.prosody.features import ProsodyFeatures, ProsodyOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import prosody_reference  # noqa: E402


def test_skips_cleanly_without_a_corpus(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("CALLSCORE_SVCSR", raising=False)
    monkeypatch.delenv("CALLSCORE_CDSR", raising=False)
    out = tmp_path / "ref.json"
    assert prosody_reference.main(["--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("SKIP:")
    assert not out.exists()


def test_reference_from_train_speakers_is_numbers_only(corpora, tmp_path: Path) -> None:  # noqa: F811
    tel, dig = corpora
    out = tmp_path / "ref.json"
    assert prosody_reference.main(["--corpus", str(tel), "--digits", str(dig), "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    # FAA is the stand-in TELDIALOG train speaker; FZZ sits in speech/test/ and must never be read
    assert data["source"]["speakers"].get("teldialog_svcsr") == 1
    assert data["n_speakers"] >= 1
    assert "CC BY-NC-SA" in data["source"]["licence"]
    rate = data["features"]["speaking_rate"]
    assert rate["p5"] <= rate["p50"] <= rate["p95"] and rate["n"] == data["n_speakers"]
    text = out.read_text().lower()
    for word in ("selamat", "bantu", "terima", "dimana", "satu dua"):
        assert word not in text  # no corpus text travels into the summary


REF = {"loudness_spread_db": {"n": 26, "p5": 4.0, "p25": 5.5, "p50": 6.0, "p75": 7.0, "p95": 9.0}}


def test_real_term_places_a_value_against_real_speakers(monkeypatch) -> None:
    monkeypatch.setattr(scores, "reference", lambda: REF)
    w = scores.LOUD_SPREAD_W
    at = {
        v: scores.real_term("loudness_spread_db", v, w, unit="dB") for v in (5.0, 6.0, 7.5, 9.0, 12.0, 30.0)
    }
    assert at[5.0].points == 0 and at[6.0].points == 0  # the typical side costs nothing
    assert at[7.5].points == pytest.approx(-w / 2)  # halfway to the 95th percentile
    assert at[9.0].points == pytest.approx(-w)  # the edge costs the full weight
    assert at[12.0].points == pytest.approx(-2 * w)
    assert at[30.0].points == pytest.approx(-scores.MAX_E * w)  # capped
    assert at[9.0].basis == scores.REAL and "p95 9" in at[9.0].reference
    assert "above p95" in at[12.0].reference and "percentile" in at[7.5].reference


def test_no_head_start_a_speaker_at_every_edge_scores_the_bar(monkeypatch) -> None:
    """Weights add up to 50: at the edge of every calm term a speaker lands on the rubric's bar of 50; on
    the typical side of every centre, 100."""
    ref = {
        "loudness_spread_db": {"n": 26, "p5": 4.0, "p50": 6.0, "p95": 9.0},
        "loudness_decline_db": {"n": 26, "p5": 2.0, "p50": 4.0, "p95": 7.0},
        "final_rise_fraction": {"n": 26, "p5": 0.0, "p50": 0.02, "p95": 0.2},
    }
    monkeypatch.setattr(scores, "reference", lambda: ref)
    opts = ProsodyOptions(sex="male")
    edge = ProsodyFeatures(
        start=0.0,
        end=60.0,
        speaking_rate=5.5,
        f0_spread_st=3.5,
        loudness_spread_db=9.0,
        loudness_db=-18.0,
        f0_median_hz=180.0 * 2 ** (6 / 12),  # 6 semitones above the male norm's top
    )
    assert scores.score_calm(features=edge, options=opts).score == pytest.approx(50.0, abs=0.1)
    typical = ProsodyFeatures(
        start=0.0,
        end=60.0,
        speaking_rate=4.0,
        f0_spread_st=2.0,
        loudness_spread_db=5.0,
        loudness_db=-28.0,
        f0_median_hz=120.0,
    )
    calm = scores.score_calm(features=typical, options=opts)
    assert calm.score == 100.0 and "typical" in calm.reason
    conf_edge = ProsodyFeatures(
        start=0.0,
        end=60.0,
        pause_rate=10.0,
        pause_mean=0.9,
        filled_pause_rate=4.0,
        loudness_decline_db=7.0,
        final_rise_fraction=0.2,
        articulation_rate=4.0,
        loudness_db=-52.0,
    )
    assert scores.score_confidence(features=conf_edge).score == pytest.approx(50.0, abs=0.1)


def test_shipped_reference_is_real_and_recorded() -> None:
    data = json.loads(scores.REFERENCE_FILE.read_text())
    assert data["n_speakers"] >= 20
    assert set(data["source"]["corpora"]) == {"teldialog_svcsr", "digit_cdsr"}
    for f in ("loudness_spread_db", "loudness_decline_db", "final_rise_fraction"):
        assert f in scores.reference()
