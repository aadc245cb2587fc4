"""The numpy voice encoder: equal to Resemblyzer's, and voices separate (known-answer on espeak-ng)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from callsynth import have_espeak, say  # noqa: E402

from callscore.errors import ModelError  # noqa: E402
from callscore.speakers import voice_encoder as ve  # noqa: E402

needs_espeak = pytest.mark.skipif(not have_espeak(), reason="needs the espeak-ng binary")
SENTENCES = (
    "Selamat pagi, terima kasih telah menghubungi layanan pelanggan",
    "Pesanan saya belum sampai sejak minggu lalu",
)
VOICES = ("id", "id+f3", "id+m7")


def test_weights_file_is_small_and_says_where_it_came_from() -> None:
    path = ve.weights_path()
    assert path.stat().st_size <= 10_000_000
    enc = ve.load_voice_encoder()
    assert "Apache-2.0" in enc.provenance and "Resemblyzer" in enc.provenance
    assert [w.shape for w, _, _ in enc.lstm] == [(40, 1024), (256, 1024), (256, 1024)]
    assert (path.parent / "VOICE_ENCODER_LICENSE.txt").is_file()


def test_missing_or_broken_weights_raise_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ve.load_voice_encoder(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, mel_basis=np.zeros((40, 201)))
    with pytest.raises(ModelError, match="lack"):
        ve.load_voice_encoder(bad)


def test_mel_frames_shape_and_tone_band() -> None:
    t = np.arange(16000) / 16000
    tone = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    mel = ve.mel_frames(y=tone)
    assert mel.shape == (101, 40)
    enc = ve.load_voice_encoder()
    bin_1k = round(1000 * ve.N_FFT / 16000)
    assert int(np.argmax(mel[50])) == int(np.argmax(enc.mel_basis[:, bin_1k]))


def test_partial_slices_cover_the_utterance() -> None:
    slices = ve.partial_slices(n_samples=16000 * 3, rate=1.3)
    assert all(s.stop - s.start == ve.PARTIAL_FRAMES for s in slices)
    assert slices[0].start == 0 and slices[-1].stop * ve.HOP >= 16000 * 3 * 0.75
    assert len(ve.partial_slices(n_samples=4000)) == 1
    with pytest.raises(ValueError):
        ve.partial_slices(n_samples=16000, rate=0.1)


@needs_espeak
def test_embeddings_are_unit_and_non_negative() -> None:
    e = ve.embed_utterance(y=ve.normalize_volume(y=np.array(say(SENTENCES[0], "id"))))
    assert e.shape == (256,) and e.dtype == np.float32
    assert abs(float(np.linalg.norm(e)) - 1) < 1e-5 and float(e.min()) >= 0


@needs_espeak
def test_same_voice_is_closer_than_other_voices() -> None:
    emb = {
        (v, i): ve.embed_utterance(y=ve.normalize_volume(y=np.array(say(s, v))))
        for v in VOICES
        for i, s in enumerate(SENTENCES)
    }
    for v in VOICES:
        same = float(emb[(v, 0)] @ emb[(v, 1)])
        others = [float(emb[(v, 0)] @ emb[(w, 1)]) for w in VOICES if w != v]
        assert same > max(others) + 0.05, (v, same, others)


@needs_espeak
def test_each_window_is_closest_to_the_voice_speaking_in_it() -> None:
    # Two voices back to back in one signal: a window inside each part must embed closer to that voice's
    # own utterance (said in other words) than to the other voice. The old test compared one code path
    # with itself (windows vs the same frames embedded directly), which cannot fail.
    a, b = (ve.normalize_volume(y=np.array(say(SENTENCES[0], v))) for v in ("id", "id+f3"))
    ref_a, ref_b = (
        ve.embed_utterance(y=ve.normalize_volume(y=np.array(say(SENTENCES[1], v)))) for v in ("id", "id+f3")
    )
    y = np.concatenate([a, b]).astype(np.float32)
    win = ve.embed_windows(y=y, starts=np.array([0, a.size]))
    assert float(win[0] @ ref_a) > float(win[0] @ ref_b) + 0.02
    assert float(win[1] @ ref_b) > float(win[1] @ ref_a) + 0.02


@needs_espeak
def test_matches_resemblyzer() -> None:
    pytest.importorskip("torch")
    resemblyzer = pytest.importorskip("resemblyzer")
    reference = resemblyzer.VoiceEncoder(device="cpu", verbose=False)
    for voice, text in (("id", SENTENCES[0]), ("id+f3", SENTENCES[1])):
        y = ve.normalize_volume(y=np.array(say(text, voice)))
        ours = ve.embed_utterance(y=y)
        theirs = reference.embed_utterance(y)
        assert float(ours @ theirs) > 0.999
        np.testing.assert_allclose(
            ve.mel_frames(y=y), resemblyzer.audio.wav_to_mel_spectrogram(y), rtol=1e-3, atol=1e-6
        )
