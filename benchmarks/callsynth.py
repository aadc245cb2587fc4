"""Constructed calls with known truth: espeak-ng voices placed at known times with numpy.

Shared by tests/test_speakers*.py and benchmarks/speakers.py. Needs the Debian ``espeak-ng`` binary.
Each utterance is synthesised, resampled to 16 kHz and trimmed to its audible part, so its placement time
*is* its true onset and its length its true duration.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000  # Hz
ESPEAK_RATE = 22050  # Hz, espeak-ng's output rate
TRIM_DB = -40.0  # dB below the utterance peak that counts as silence at its edges
TRIM_FRAME = 0.01  # s
SPEECH_LEVEL = 0.3  # peak amplitude of placed speech

VOICES = ("id", "id+f3", "id+m3", "id+f2", "id+m7", "id+f4")  # espeak-ng Indonesian voice + variants


def have_espeak() -> bool:
    """True when the espeak-ng binary is on PATH."""
    return shutil.which("espeak-ng") is not None


@functools.lru_cache(maxsize=256)
def say(text: str, voice: str = "id", speed: int = 160) -> np.ndarray:
    """espeak-ng speech of ``text`` at 16 kHz, trimmed to its audible part, peak ``SPEECH_LEVEL``.

    Returns
    -------
    np.ndarray, shape (n,), float32 (read-only: copy before changing)
    """
    import soundfile as sf
    from scipy.signal import resample_poly

    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], check=True, capture_output=True
    ).stdout
    y, sr = sf.read(io.BytesIO(wav), dtype="float32")
    if sr != ESPEAK_RATE:
        raise RuntimeError(f"espeak-ng wrote {sr} Hz, expected {ESPEAK_RATE}")
    y = resample_poly(y, 320, 441).astype(np.float32)
    n = int(TRIM_FRAME * SAMPLE_RATE)
    rms = np.sqrt(np.mean(y[: y.size // n * n].reshape(-1, n) ** 2, axis=1))
    loud = np.flatnonzero(rms > rms.max() * 10 ** (TRIM_DB / 20))
    y = y[loud[0] * n : (loud[-1] + 1) * n]
    y = y / np.max(np.abs(y)) * SPEECH_LEVEL
    y.setflags(write=False)
    return y


@dataclass(frozen=True)
class Utterance:
    """One placed utterance.

    Attributes:
        speaker: Index of the speaker (0 or 1), which is also its stereo channel.
        start: Onset in seconds.
        text: What is said.
        voice: espeak-ng voice.
        kind: Truth tag: "speech", "interruption" or "backchannel".
    """

    speaker: int
    start: float
    text: str
    voice: str
    kind: str = "speech"

    @property
    def audio(self) -> np.ndarray:
        """The synthesised speech."""
        return say(self.text, self.voice)

    @property
    def end(self) -> float:
        """Offset in seconds."""
        return self.start + self.audio.size / SAMPLE_RATE


def render(
    utterances: Sequence[Utterance],
    *,
    duration: float,
    holds: Sequence[tuple[int, float, float]] = (),
    noise_db: float = -70.0,
    gains_db: Sequence[float] = (0.0, 0.0),
    seed: int = 0,
) -> np.ndarray:
    """Two channels with each speaker's utterances (and hold music) at their times.

    Parameters
    ----------
    utterances : what is said, when, by whom
    duration : call length (s)
    holds : (channel, start, end) of hold music (a chord of pure tones with a slow melody)
    noise_db : level of white line noise in dBFS (keeps channels from being digitally silent)
    gains_db : level of each speaker's speech relative to ``SPEECH_LEVEL`` peak, dB
    seed : noise seed

    Returns
    -------
    np.ndarray, shape (2, n), float32 at 16 kHz
    """
    n = int(round(duration * SAMPLE_RATE))
    rng = np.random.default_rng(seed)
    out = (rng.standard_normal((2, n)) * 10 ** (noise_db / 20)).astype(np.float32)
    for u in utterances:
        a = int(round(u.start * SAMPLE_RATE))
        seg = u.audio[: max(0, n - a)]
        out[u.speaker, a : a + seg.size] += seg * 10 ** (gains_db[u.speaker] / 20)
    for ch, s, e in holds:
        a, b = int(s * SAMPLE_RATE), int(e * SAMPLE_RATE)
        t = np.arange(b - a) / SAMPLE_RATE
        melody = np.array([262.0, 330.0, 392.0, 349.0])[(t // 0.5).astype(int) % 4]
        music = sum(np.sin(2 * np.pi * melody * k * t) / k for k in (1, 2, 3))
        out[ch, a:b] += (0.08 * music).astype(np.float32)
    return out


def to_mono(stereo: np.ndarray) -> np.ndarray:
    """Sum of both channels, peak kept below 1."""
    y = stereo.sum(axis=0)
    return (y / max(1.0, float(np.max(np.abs(y))) / 0.9)).astype(np.float32)


def write_wav(path: str, samples: np.ndarray, *, telephone: bool = False) -> str:
    """Write (channels, n) or (n,) 16 kHz audio; ``telephone`` writes 8 kHz µ-law like a call recorder."""
    import soundfile as sf
    from scipy.signal import resample_poly

    y = samples.T if samples.ndim == 2 else samples
    if telephone:
        sf.write(path, resample_poly(y, 1, 2, axis=0).astype(np.float32), 8000, subtype="ULAW")
    else:
        sf.write(path, y, SAMPLE_RATE, subtype="PCM_16")
    return path


def words_of(utterances: Sequence[Utterance]) -> list[tuple[int, float, float, str]]:
    """Oracle word timings: (speaker, start, end, word), each utterance's time shared out by characters."""
    out = []
    for u in utterances:
        words = u.text.split()
        total = sum(len(w) + 1 for w in words)
        t = u.start
        for w in words:
            d = (u.end - u.start) * (len(w) + 1) / total
            out.append((u.speaker, t, t + d, w))
            t += d
    return out


def make_call(
    utterances: Sequence[Utterance],
    path: str,
    *,
    duration: float | None = None,
    holds: Sequence[tuple[int, float, float]] = (),
    mono: bool = False,
    telephone: bool = False,
    noise_db: float = -70.0,
    gains_db: Sequence[float] = (0.0, 0.0),
    seed: int = 0,
):  # -> tuple[Audio, Transcript]
    """Write a constructed call to ``path`` and return it loaded back plus an oracle transcript.

    The audio goes through ``callscore.audio.decode.load_audio`` like any recording (8 kHz µ-law when
    ``telephone``). The transcript holds one segment per utterance with words timed by
    :func:`words_of`, on the speaker's channel (channel 0 for mono), no speakers assigned.
    """
    from callscore.audio.decode import load_audio
    from callscore.transcript.model import Segment, Transcript, TranscriptionInfo, Word

    end = max(u.end for u in utterances) + 1.0
    stereo = render(
        utterances, duration=duration or end, holds=holds, noise_db=noise_db, gains_db=gains_db, seed=seed
    )
    write_wav(path, to_mono(stereo) if mono else stereo, telephone=telephone)
    audio = load_audio(path)
    segments = []
    timed = words_of(utterances)
    for i, u in enumerate(utterances):
        ws = tuple(
            Word(s, e, f" {w}", 1.0, 0 if mono else spk)
            for spk, s, e, w in timed
            if spk == u.speaker and u.start - 1e-9 <= s < u.end
        )
        segments.append(Segment(i, 0 if mono else u.speaker, u.start, u.end, u.text, ws))
    info = TranscriptionInfo(backend="import", model="oracle (constructed call)")
    return audio, Transcript(audio=audio.info, info=info).with_segments(segments)
