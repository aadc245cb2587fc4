"""Small audio made on the fly for tests: espeak-ng speech, tones, noise, in any container."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

SR = 16000  # Hz

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def speak(text: str, path: Path, *, voice: str = "id", rate: int = 140, sr: int = SR) -> np.ndarray:
    """Synthesise ``text`` with espeak-ng and return float32 mono at ``sr``."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
    y, file_sr = sf.read(raw, dtype="float32")
    raw.unlink()
    if file_sr != sr:
        import soxr

        y = soxr.resample(y, file_sr, sr).astype(np.float32)
    return y


def tone(freq: float, seconds: float, *, sr: int = SR, amp: float = 0.3) -> np.ndarray:
    """A sine tone."""
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def hold_music(seconds: float, *, sr: int = SR) -> np.ndarray:
    """A simple melody of harmonic tones, like on-hold music."""
    notes = [261.6, 329.6, 392.0, 523.3, 392.0, 329.6]
    n = int(seconds * sr)
    per = n // len(notes) + 1
    t = np.arange(per) / sr
    y = np.concatenate([0.2 * (np.sin(2 * np.pi * f * t) + 0.5 * np.sin(4 * np.pi * f * t)) for f in notes])
    return y[:n].astype(np.float32)


def line_noise(seconds: float, *, sr: int = SR, seed: int = 0) -> np.ndarray:
    """Telephone line noise: hiss plus 50 Hz hum."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sr)) / sr
    return (0.02 * rng.standard_normal(t.size) + 0.01 * np.sin(2 * np.pi * 50 * t)).astype(np.float32)


def pad_to(y: np.ndarray, n: int) -> np.ndarray:
    """Zero-pad (or cut) to ``n`` samples."""
    return np.pad(y, (0, max(0, n - y.size)))[:n]


def write_any(path: Path, channels: list[np.ndarray], *, sr: int = SR, subtype: str | None = None) -> Path:
    """Write float32 channels to ``path``; container from the suffix (wav/flac/ogg via soundfile,
    mp3/m4a via PyAV), ``subtype`` e.g. "ULAW"/"ALAW" for telephone WAV."""
    n = max(c.size for c in channels)
    data = np.stack([pad_to(c, n) for c in channels], axis=1)
    if path.suffix in (".mp3", ".m4a"):
        _encode_av(path, data, sr)
    else:
        sf.write(path, data, sr, subtype=subtype)
    return path


def _encode_av(path: Path, data: np.ndarray, sr: int) -> None:
    import av

    codec = "mp3" if path.suffix == ".mp3" else "aac"
    layout = "stereo" if data.shape[1] == 2 else "mono"
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=sr)
        stream.layout = layout
        planar = np.ascontiguousarray(data.T.astype(np.float32))
        frame_size = 1152
        for i in range(0, planar.shape[1], frame_size):
            frame = av.AudioFrame.from_ndarray(planar[:, i : i + frame_size], format="fltp", layout=layout)
            frame.sample_rate = sr
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
