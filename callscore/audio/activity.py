"""Per-channel activity with tight edges: where there is speech, and where there is sound but no speech.

Silero voice activity (``callscore.audio.vad``) finds speech reliably, hold music and tones included as
non-speech, but its edges are loose: at callscore's low threshold (0.2) a stretch only ends once the speech
probability falls below 0.05, which lands ~0.2 s after the voice stops. Timing rules (overlaps, dead air)
want edges to ~0.1 s, so each speech stretch is trimmed to the frames whose energy clears the channel's
noise floor. Trimming only ever shrinks a stretch, so it cannot invent speech.

Sound without speech (hold music, tones, a radio in the background) is the energy above the floor outside
speech; the timeline uses it to tell a hold from dead air.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from callscore.audio.levels import to_db
from callscore.audio.model import BLOCK, as_float32, float_blocks
from callscore.audio.vad import VadOptions, speech_spans

SAMPLE_RATE = 16000  # Hz
FRAME = 0.01  # s, energy frame
FLOOR_PERCENTILE = 10  # the quietest 10 % of frames measure the noise floor
MIN_LEVEL_DB = -60.0  # dBFS; nothing quieter counts as sound whatever the floor


@dataclass(frozen=True)
class ActivityOptions:
    """Settings of per-channel activity.

    Attributes:
        vad: Voice activity settings: small padding (the energy trim sets the edges) and speech ending
            when the probability drops below 0.3, so music right after speech is not taken as speech.
        above_floor_db: A frame is sound when its energy is this many dB over the noise floor.
        below_peak_db: ... and not more than this many dB below the loudest frame of its speech stretch.
        min_sound: Sound stretches shorter than this (s) are dropped (clicks).
        sound_gap: Sound stretches closer than this (s) are joined (notes of a melody).
        min_fragment: A speech piece shorter than this (s) that runs into non-speech sound is taken as
            the onset of that sound (Silero calls the first ~0.3 s of music speech).
    """

    vad: VadOptions = field(
        default_factory=lambda: VadOptions(min_silence_ms=250, speech_pad_ms=60, neg_threshold=0.3)
    )
    above_floor_db: float = 12.0
    below_peak_db: float = 35.0
    min_sound: float = 0.3
    sound_gap: float = 0.3
    min_fragment: float = 0.5


@dataclass(frozen=True)
class ChannelActivity:
    """Activity of one channel.

    Attributes:
        speech: (start, end) of speech in seconds, sorted, edges trimmed by energy.
        sound: (start, end) of sound that is not speech (music, tones), seconds.
        floor_db: Noise floor of the channel in dBFS.
    """

    speech: tuple[tuple[float, float], ...]
    sound: tuple[tuple[float, float], ...]
    floor_db: float


def frame_db(*, y: np.ndarray, sr: int = SAMPLE_RATE, frame: float = FRAME) -> np.ndarray:
    """RMS level of consecutive frames.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio
    sr : sample rate in Hz
    frame : frame length in seconds

    Returns
    -------
    np.ndarray, shape (n // (frame * sr),), dBFS (floored at -120)
    """
    n = max(1, int(round(frame * sr)))
    m = y.size // n
    if m == 0:
        return np.zeros(0)
    rms = np.sqrt(np.mean(np.square(y[: m * n].reshape(m, n), dtype=np.float64), axis=1))
    return to_db(rms)


def speech_band_db(*, y: np.ndarray, sr: int = SAMPLE_RATE, frame: float = FRAME) -> np.ndarray:
    """:func:`frame_db` of ``y`` band-passed to 100-3400 Hz (voice fundamentals up to the telephone top).

    Energy edges are measured here: broadband hiss above the band is noise, so a wideband recording with
    line noise keeps its quiet speech (benchmarks/speakers.py, white noise at -45 dBFS: DER 27 % -> 11 %
    at 16 kHz, 12 % -> 10 % at 8 kHz, clean mixes unchanged at 2.7 %). Filtered a block at a time with
    the filter state carried over, which gives the same samples as one pass over the channel without its
    float64 copy (0.9 GB for a 2-hour channel).
    """
    from scipy.signal import butter, sosfilt, sosfilt_zi

    if y.size < 64:
        return frame_db(y=as_float32(y), sr=sr, frame=frame)
    n = max(1, int(round(frame * sr)))
    sos = butter(4, [100, min(3400, 0.45 * sr)], btype="bandpass", fs=sr, output="sos")
    zi = np.zeros_like(sosfilt_zi(sos))
    out = []
    for _, x in float_blocks(y, block=BLOCK // n * n):
        band, zi = sosfilt(sos, x, zi=zi)
        out.append(frame_db(y=band.astype(np.float32), sr=sr, frame=frame))
    return np.concatenate(out)


def channel_activity(
    *, y: np.ndarray, sr: int = SAMPLE_RATE, options: ActivityOptions | None = None
) -> ChannelActivity:
    """Speech (tight edges) and non-speech sound of one channel.

    Parameters
    ----------
    y : np.ndarray, shape (n,), audio at 16 kHz: float32, or int16 PCM (``audio.model.as_float32``)
    sr : sample rate in Hz (16000)
    options : thresholds

    Returns
    -------
    ChannelActivity
    """
    opts = options or ActivityOptions()
    spans = speech_spans(y=y, sr=sr, options=opts.vad)
    db = speech_band_db(y=y, sr=sr)
    if db.size == 0:
        return ChannelActivity((), (), -120.0)
    floor = float(np.percentile(db, FLOOR_PERCENTILE))
    loud = db > max(floor + opts.above_floor_db, MIN_LEVEL_DB)
    gap = opts.vad.min_silence_ms / 1000
    pieces = [p for s, e in spans for p in _split(s, e, db, loud, opts.below_peak_db, gap)]
    is_speech = np.zeros(db.size, dtype=bool)
    for s, e in spans:  # untrimmed: the breath around speech is not hold music
        is_speech[int(s / FRAME) : int(np.ceil(e / FRAME))] = True
    sound = _runs(loud & ~is_speech, gap=opts.sound_gap, min_len=opts.min_sound)
    # Silero often calls the first few hundred ms of music "speech": a short piece that runs straight
    # into non-speech sound is that sound's onset.
    speech: list[tuple[float, float]] = []
    onsets: list[tuple[float, float]] = []
    for s, e in pieces:
        touches = any(abs(ss - e) <= opts.sound_gap or abs(se - s) <= opts.sound_gap for ss, se in sound)
        (onsets if e - s < opts.min_fragment and touches else speech).append((s, e))
    if onsets:
        for s, e in onsets:
            is_speech[int(s / FRAME) : int(np.ceil(e / FRAME))] = False
        sound = _runs(loud & ~is_speech, gap=opts.sound_gap, min_len=opts.min_sound)
    return ChannelActivity(tuple(speech), sound, floor)


def _split(
    start: float, end: float, db: np.ndarray, loud: np.ndarray, below_peak_db: float, gap: float
) -> list[tuple[float, float]]:
    """A voice-activity stretch trimmed to its loud frames and split at quiet runs of ``gap`` s or more."""
    a, b = int(start / FRAME), min(int(np.ceil(end / FRAME)), db.size)
    if b <= a:
        return []
    keep = loud[a:b] & (db[a:b] > db[a:b].max() - below_peak_db)
    return [
        (round(float(s) + a * FRAME, 3), round(float(e) + a * FRAME, 3))
        for s, e in _runs(keep, gap=gap, min_len=0.0)
    ]


def _runs(mask: np.ndarray, *, gap: float, min_len: float) -> tuple[tuple[float, float], ...]:
    """(start, end) in seconds of True runs, joined across gaps < ``gap``, at least ``min_len`` long."""
    idx = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    runs: list[list[float]] = []
    for s, e in zip(idx[::2] * FRAME, idx[1::2] * FRAME, strict=True):
        if runs and s - runs[-1][1] < gap:
            runs[-1][1] = e
        else:
            runs.append([s, e])
    return tuple((round(float(s), 3), round(float(e), 3)) for s, e in runs if e - s >= min_len)
