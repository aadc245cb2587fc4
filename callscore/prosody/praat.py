"""Optional Praat tracker (``tracker="praat"``): pitch, HNR, jitter and shimmer via praat-parselmouth.

praat-parselmouth is **GPL-3**: it is never imported unless a user installs the ``praat`` extra and asks
for this tracker, so the default install stays permissive. Praat's cycle-by-cycle point process gives the
jitter and shimmer the default YIN path cannot (see :mod:`callscore.prosody.features`).
"""

from __future__ import annotations

import numpy as np

from callscore.errors import MissingDependencyError
from callscore.prosody.pitch import HOP, PitchTrack, frame_level_db

PERIOD_FLOOR = 0.0001  # s, Praat's standard shortest period for jitter/shimmer
PERIOD_CEILING = 0.02  # s, Praat's standard longest period
MAX_PERIOD_FACTOR = 1.3  # Praat's standard
MAX_AMPLITUDE_FACTOR = 1.6  # Praat's standard


def praat_track(
    *, y: np.ndarray, sr: int, fmin: float, fmax: float
) -> tuple[PitchTrack, float | None, float | None]:
    """Pitch track plus local jitter and shimmer (%) of a speech signal, with Praat.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio in [-1, 1] at ``sr`` Hz
    sr : sample rate in Hz
    fmin, fmax : pitch floor and ceiling in Hz

    Returns
    -------
    (PitchTrack every 10 ms, jitter % or None, shimmer % or None); None when Praat finds no periods

    Raises
    ------
    MissingDependencyError
        praat-parselmouth is not installed.
    """
    try:
        import parselmouth
        from parselmouth.praat import call
    except ImportError as e:
        raise MissingDependencyError(
            "prosody tracker 'praat' needs praat-parselmouth (GPL-3): pip install 'callscore[praat]', "
            "or use the default tracker 'yin'"
        ) from e

    if y.size < int(0.1 * sr):
        empty = np.zeros(0)
        return PitchTrack(empty, empty, np.zeros(0, bool), empty, empty), None, None
    snd = parselmouth.Sound(np.asarray(y, dtype=np.float64), sampling_frequency=sr)
    pitch = snd.to_pitch_ac(time_step=HOP, pitch_floor=fmin, pitch_ceiling=fmax)
    times = np.asarray(pitch.xs())
    f0 = np.asarray(pitch.selected_array["frequency"], dtype=float)
    voiced = f0 > 0
    harm = snd.to_harmonicity_cc(time_step=HOP, minimum_pitch=fmin)
    hnr = np.interp(times, np.asarray(harm.xs()), np.asarray(harm.values[0], dtype=float))
    ratio = 10 ** (np.clip(hnr, -50, 50) / 10)
    periodicity = np.where(voiced, ratio / (1 + ratio), np.nan)
    levels = frame_level_db(y=np.asarray(y, dtype=np.float64), sr=sr)
    level_times = np.arange(levels.size) * HOP + 0.0125
    level = np.interp(times, level_times, levels) if levels.size else np.full(times.size, -120.0)
    track = PitchTrack(
        times=times, f0=np.where(voiced, f0, np.nan), voiced=voiced, periodicity=periodicity, level_db=level
    )

    points = call(snd, "To PointProcess (periodic, cc)", fmin, fmax)
    jitter = call(points, "Get jitter (local)", 0, 0, PERIOD_FLOOR, PERIOD_CEILING, MAX_PERIOD_FACTOR)
    shimmer = call(
        [snd, points],
        "Get shimmer (local)",
        0,
        0,
        PERIOD_FLOOR,
        PERIOD_CEILING,
        MAX_PERIOD_FACTOR,
        MAX_AMPLITUDE_FACTOR,
    )
    return track, _pct(jitter), _pct(shimmer)


def _pct(x: float) -> float | None:
    return round(100.0 * float(x), 3) if x is not None and np.isfinite(x) else None
