"""Does librosa earn a place in the prosody stage? Our code against librosa on what prosody needs.

For each feature the prosody stage uses (RMS loudness per frame, pitch with a voicing decision,
resampling to the tracker's 8 kHz), this times librosa's function and ours on the same signal in the same
run and checks accuracy on known answers: tones and a chirp of known F0, a constant-level signal of known
dBFS, a 1 kHz tone resampled (error against the exact 8 kHz tone). Speaking rate needs no onset strength:
it is syllables per second from the transcript's word timings (``prosody/features.py``), which an onset
detector cannot beat on speech with known words.

Usage::

    PYTHONPATH=. python benchmarks/librosa_vs_ours.py [--seconds 10] [--repeat 3]

Prints one line per feature: time ours / librosa (best of --repeat, after one warm-up run) and the
accuracy figure of each. Needs librosa (``pip install librosa``; it is not a runtime dependency).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from callscore.prosody.pitch import (
    FMAX,
    FMIN,
    HOP,
    TRACK_RATE,
    WINDOW,
    frame_level_db,
    to_track_rate,
    track_pitch,
)

SR = 16000  # Hz, the rate calls are decoded at


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Seconds of the fastest of ``repeat`` runs after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def tone(f0: float | np.ndarray, seconds: float, sr: int = SR) -> np.ndarray:
    """A harmonic-rich voiced-like signal (fundamental + 4 harmonics) at ``f0`` Hz (array: a glide)."""
    n = int(seconds * sr)
    f = np.full(n, f0) if np.isscalar(f0) else np.interp(np.arange(n), np.linspace(0, n, len(f0)), f0)
    phase = 2 * np.pi * np.cumsum(f) / sr
    y = sum(np.sin(k * phase) / k for k in range(1, 6))
    return (0.3 * y / np.max(np.abs(y))).astype(np.float32)


def cents_error(est: np.ndarray, truth: np.ndarray) -> float:
    """Median absolute error in cents over frames both voiced (finite, > 0)."""
    ok = np.isfinite(est) & (est > 0)
    return float(np.median(np.abs(1200 * np.log2(est[ok] / truth[ok])))) if ok.any() else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import librosa

    sec, rep = args.seconds, args.repeat
    print(f"librosa {librosa.__version__}; {sec:g} s signals at {SR} Hz; best of {rep} after warm-up")

    # RMS loudness: a constant-level tone has a known dBFS; both must give it on every frame.
    y = tone(200.0, sec)
    expected_db = 10 * np.log10(np.mean(np.square(y.astype(np.float64))))
    w, h = int(WINDOW * SR), int(HOP * SR)
    ours_db = frame_level_db(y=y, sr=SR)
    lib_db = 20 * np.log10(librosa.feature.rms(y=y, frame_length=w, hop_length=h, center=False)[0])
    t_ours = best_time(lambda: frame_level_db(y=y, sr=SR), rep)
    t_lib = best_time(lambda: librosa.feature.rms(y=y, frame_length=w, hop_length=h, center=False), rep)
    print(
        f"RMS dBFS    ours {t_ours * 1e3:7.1f} ms  librosa {t_lib * 1e3:7.1f} ms   "
        f"max |error| ours {np.max(np.abs(ours_db - expected_db)):.3f} dB, "
        f"librosa {np.max(np.abs(lib_db - expected_db)):.3f} dB"
    )

    # Pitch: a 100 -> 300 Hz glide of known F0 per frame.
    glide = np.geomspace(100.0, 300.0, 50)
    y = tone(glide, sec)
    n = y.size

    def truth_at(times: np.ndarray) -> np.ndarray:
        return np.interp(times * SR, np.linspace(0, n, len(glide)), glide)

    track = track_pitch(y=y, sr=SR)
    ours_err = cents_error(np.where(track.voiced, track.f0, np.nan), truth_at(track.times))
    ours_voiced = float(np.mean(track.voiced))
    frame = 1024
    f0, voiced, _ = librosa.pyin(y, fmin=FMIN, fmax=FMAX, sr=SR, frame_length=frame, hop_length=h)
    t_frames = librosa.frames_to_time(np.arange(f0.size), sr=SR, hop_length=h)
    pyin_err = cents_error(np.where(voiced, f0, np.nan), truth_at(t_frames))
    t_ours = best_time(lambda: track_pitch(y=y, sr=SR), rep)
    t_pyin = best_time(
        lambda: librosa.pyin(y, fmin=FMIN, fmax=FMAX, sr=SR, frame_length=frame, hop_length=h), 1
    )
    yin = librosa.yin(y, fmin=FMIN, fmax=FMAX, sr=SR, frame_length=frame, hop_length=h)
    yin_err = cents_error(yin, truth_at(librosa.frames_to_time(np.arange(yin.size), sr=SR, hop_length=h)))
    t_yin = best_time(
        lambda: librosa.yin(y, fmin=FMIN, fmax=FMAX, sr=SR, frame_length=frame, hop_length=h), rep
    )
    print(
        f"pitch       ours {t_ours * 1e3:7.1f} ms  pyin {t_pyin * 1e3:8.1f} ms  yin {t_yin * 1e3:7.1f} ms   "
        f"median error ours {ours_err:.1f} cents ({ours_voiced:.0%} voiced), pyin {pyin_err:.1f} cents "
        f"({float(np.mean(voiced)):.0%} voiced), yin {yin_err:.1f} cents (no voicing decision)"
    )

    # Resampling 16 kHz -> 8 kHz: a 1 kHz tone must come out as the exact 8 kHz tone.
    t = np.arange(int(sec * SR)) / SR
    y = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    exact = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(int(sec * TRACK_RATE)) / TRACK_RATE)
    inner = slice(400, -400)  # both filters ring at the edges

    def snr(z: np.ndarray) -> float:
        m = min(z.size, exact.size)
        err = z[:m][inner] - exact[:m][inner]
        return float(10 * np.log10(np.sum(exact[:m][inner] ** 2) / np.sum(err**2)))

    ours = to_track_rate(y=y, sr=SR)
    lib = librosa.resample(y, orig_sr=SR, target_sr=TRACK_RATE)
    t_ours = best_time(lambda: to_track_rate(y=y, sr=SR), rep)
    t_lib = best_time(lambda: librosa.resample(y, orig_sr=SR, target_sr=TRACK_RATE), rep)
    print(
        f"resample    ours {t_ours * 1e3:7.1f} ms  librosa {t_lib * 1e3:7.1f} ms   "
        f"SNR vs exact ours {snr(ours):.1f} dB, librosa (soxr_hq) {snr(lib):.1f} dB"
    )


if __name__ == "__main__":
    main()
