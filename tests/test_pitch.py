"""Known-answer tests of the YIN pitch tracker: tones, a chirp, a missing fundamental, noise, and an
espeak-ng voice shifted with sox, at 16 kHz and at 8 kHz mu-law."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from prosody_synth import HAVE_TOOLS

from callscore.audio.decode import load_audio
from callscore.prosody.pitch import frame_level_db, track_pitch

SR = 16000  # Hz


def cents(a: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    return 1200 * np.log2(a / b)


def tone(freq: float, seconds: float = 2.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("freq", [80.0, 200.0, 350.0])
def test_tone_has_its_pitch(freq: float) -> None:
    tr = track_pitch(y=tone(freq), sr=SR)
    assert tr.voiced.mean() > 0.95
    assert np.nanmedian(tr.f0) == pytest.approx(freq, rel=0.003)
    assert np.nanmax(np.abs(cents(tr.f0[tr.voiced], freq))) < 10


def test_tone_through_8khz_mulaw_file(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    t = np.arange(16000) / 8000
    sf.write(path, 0.5 * np.sin(2 * np.pi * 200 * t), 8000, subtype="ULAW")
    audio = load_audio(path)
    tr = track_pitch(y=audio.channel(0), sr=audio.sample_rate)
    assert tr.voiced.mean() > 0.9
    assert np.nanmedian(tr.f0) == pytest.approx(200.0, rel=0.003)


def test_chirp_is_followed() -> None:
    import librosa

    y = 0.3 * librosa.chirp(fmin=100, fmax=300, sr=SR, duration=2.0)
    tr = track_pitch(y=y, sr=SR)
    truth = 100 * 3 ** (tr.times / 2.0)  # exponential sweep 100 -> 300 Hz over 2 s
    v = tr.voiced
    assert v.mean() > 0.9
    err = np.abs(cents(tr.f0[v], truth[v]))
    assert np.median(err) < 10 and np.mean(err > 50) < 0.02


def test_missing_fundamental_is_not_an_octave_error() -> None:
    # Telephone band cuts the fundamental of a male voice: only harmonics 2-5 of 120 Hz remain.
    t = np.arange(2 * SR) / SR
    y = sum(0.1 * np.sin(2 * np.pi * 120 * k * t + k) for k in range(2, 6)).astype(np.float32)
    tr = track_pitch(y=y, sr=SR)
    assert np.nanmedian(tr.f0) == pytest.approx(120.0, rel=0.01)
    assert np.mean(np.abs(cents(tr.f0[tr.voiced], 120.0)) > 50) < 0.02


def test_noise_and_silence_are_unvoiced() -> None:
    rng = np.random.default_rng(1)
    assert track_pitch(y=0.1 * rng.standard_normal(2 * SR).astype(np.float32), sr=SR).voiced.mean() < 0.05
    assert not track_pitch(y=np.zeros(SR, np.float32), sr=SR).voiced.any()
    assert track_pitch(y=np.zeros(100, np.float32), sr=SR).f0.size == 0


def test_frame_level_of_a_sine() -> None:
    levels = frame_level_db(y=tone(200.0, amp=0.1), sr=SR)
    assert np.median(levels) == pytest.approx(20 * np.log10(0.1 / np.sqrt(2)), abs=0.2)


@pytest.mark.skipif(not HAVE_TOOLS, reason="needs Debian espeak-ng and sox")
@pytest.mark.parametrize("phone", [False, True], ids=["16k", "8k-mulaw"])
def test_espeak_voice_shifted_with_sox(tmp_path: Path, phone: bool) -> None:
    raw = tmp_path / "voice.wav"
    text = "Selamat pagi, terima kasih telah menghubungi layanan pelanggan kami."
    subprocess.run(["espeak-ng", "-v", "id", "-w", str(raw), text], check=True)
    medians = []
    for cents_up in (0, 500):
        out = tmp_path / f"shift{cents_up}.wav"
        fmt = ["-r", "8000", "-e", "u-law"] if phone else ["-r", str(SR)]
        subprocess.run(["sox", "-V1", str(raw), *fmt, str(out), "pitch", str(cents_up)], check=True)
        audio = load_audio(out)
        tr = track_pitch(y=audio.channel(0), sr=audio.sample_rate)
        assert tr.voiced.sum() * 0.01 > 1.0  # over a second of voiced speech found
        medians.append(np.nanmedian(tr.f0))
    assert 70 < medians[0] < 130  # espeak-ng's Indonesian voice, a low male voice
    assert cents(medians[1], medians[0]) == pytest.approx(500, abs=40)
