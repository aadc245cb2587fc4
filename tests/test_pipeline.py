"""The whole scoring pipeline on a synthesised stereo call with the bundled model, and the score CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from audiogen import needs_espeak, speak, write_any
from typer.testing import CliRunner

from callscore.cli import app
from callscore.pipeline import PipelineOptions, score_path
from callscore.render import render_call
from callscore.scorecard import FAIL, NOT_MEASURED, PASS
from callscore.transcript.model import save_transcript

SR = 16000
# (channel, start s, text): agent on the left, customer on the right, like a call recorder.
SCRIPT = (
    (0, 0.5, "Selamat pagi, dengan Rina dari Telkomsel. Ada yang bisa saya bantu, Bu?"),
    (1, 7.5, "Internet saya mati sejak kemarin. Saya kecewa sekali."),
    (0, 12.5, "Saya minta maaf, Bu. Saya akan bantu cek sekarang."),
    (1, 19.5, "Baik, terima kasih."),
    (0, 22.0, "Terima kasih sudah menghubungi kami, Bu. Selamat pagi."),
)


@pytest.fixture(scope="module")
def stereo_call(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("call")
    n = int(28 * SR)
    chans = [np.zeros(n, np.float32), np.zeros(n, np.float32)]
    for i, (ch, start, text) in enumerate(SCRIPT):
        y = speak(text, d / f"u{i}.wav", voice="id+f3" if ch == 0 else "id+m3", rate=135)
        a = int(start * SR)
        chans[ch][a : a + y.size] += y[: n - a]
    return write_any(d / "call.wav", chans)


@pytest.fixture(scope="module")
def result(stereo_call):
    return score_path(stereo_call, options=PipelineOptions(use_cache=False))


@pytest.mark.model
@needs_espeak
def test_stereo_call_is_scored_with_roles_timeline_and_prosody(result):
    card = result.scorecard
    by = {i.id: i for i in card.items}
    assert [s.role for s in sorted(result.transcript.speakers, key=lambda s: s.channel or 0)] == [
        "agent",
        "customer",
    ]
    assert by["greeting"].status == PASS and by["greeting"].evidence[0].start < 5
    assert by["apology_on_complaint"].status == PASS
    assert by["no_blaming_language"].status == PASS
    assert by["no_interruptions"].status == PASS  # turns never overlap in the script
    # Prosody is measured from the audio: real numbers, 0-100, and the summary travels in the scorecard.
    assert by["calm_voice"].status in (PASS, FAIL) and 0 <= by["calm_voice"].value <= 100
    agent = next(s for s in card.metrics["prosody"]["speakers"] if s["role"] == "agent")
    assert agent["calm"]["score"] == pytest.approx(by["calm_voice"].value, abs=0.1)
    assert result.timeline.source == "vad" and result.timeline.talk_ratio() is not None
    assert 0 < card.total <= 100 and card.audio_sha256 and card.rubric_id == "id-contact-centre"


@pytest.mark.model
@needs_espeak
def test_html_report_of_a_scored_call_shows_the_voice_panel(result, stereo_call):
    page = render_call(
        "html",
        scorecard=result.scorecard,
        transcript=result.transcript,
        timeline=result.timeline,
        audio_path=result.audio_path,
    )
    # the default --redact text plays no recording (it is personal data in itself): docs/pii.md
    assert 'id="voice"' in page and 'class="voice-curve"' in page and "<audio" not in page
    assert result.audio_path is None and result.scorecard.settings["redaction"]["mode"] == "text"
    page = render_call(
        "html", scorecard=result.scorecard, transcript=result.transcript, audio_path=str(stereo_call)
    )
    assert "<audio" in page  # with a recording (--redact none) the player is there


@pytest.mark.model
@needs_espeak
def test_transcript_without_its_audio_scores_prosody_as_not_measured(result, tmp_path):
    saved = save_transcript(result.transcript, tmp_path / "t.json")
    data = json.loads(saved.read_text())
    data["audio"]["path"] = str(tmp_path / "gone.wav")  # the recording is not available any more
    saved.write_text(json.dumps(data))
    card = score_path(saved).scorecard
    by = {i.id: i for i in card.items}
    assert by["calm_voice"].status == NOT_MEASURED and by["confident_voice"].status == NOT_MEASURED
    assert by["greeting"].status == PASS  # text items still scored from the transcript
    assert "prosody" not in card.metrics


@pytest.mark.model
@needs_espeak
def test_score_cli_writes_one_file_per_call_and_goes_on_after_a_bad_one(stereo_call, tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("this is not audio")
    out = tmp_path / "out"
    args = ["score", str(bad), str(stereo_call), "--format", "json", "--out", str(out)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1
    assert "notes.wav" in res.output
    card = json.loads((out / "call.json").read_text())
    assert card["call_id"] == "call" and card["items"]
    assert sorted(p.name for p in out.iterdir()) == ["call.json"]
