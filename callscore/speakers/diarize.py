"""Two speakers in one mono channel: who spoke when, from voice activity and speaker embeddings.

Method (measured DER in benchmarks/speakers.py): Silero voice activity (edges trimmed by energy,
see ``callscore.audio.activity``) splits the channel into speech
stretches; each stretch is covered by 1.6 s windows every ``hop`` seconds (a stretch shorter than a window
gets one window); the numpy voice encoder embeds every window; KMeans(2) on the unit embeddings splits
them into two voices. Each 50 ms frame of speech then takes the voice whose centroid is closest to the
mean embedding of the windows covering it, and runs shorter than ``min_run`` are absorbed by their
neighbours. When the two centroids are nearly the same voice (cosine >= ``same_voice_cosine``) the call
is taken to have one speaker.

Limits: one label per instant, so overlapping speech is given to one speaker; turns shorter than about
half a second are not separated; more than two speakers are not handled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from callscore.audio.activity import ActivityOptions, channel_activity
from callscore.audio.levels import to_db
from callscore.audio.model import as_float32

SAMPLE_RATE = 16000  # Hz
WINDOW = 1.6  # s, the voice encoder's partial-utterance length
FRAME = 0.05  # s, resolution of the speaker labels


@dataclass(frozen=True)
class DiarizeOptions:
    """Settings of mono diarization.

    Attributes:
        hop: Step between embedding windows (s); smaller is finer and slower.
        min_run: Speaker runs shorter than this (s) are merged into the neighbouring speaker.
        same_voice_cosine: Centroid cosine at or above which both clusters are taken as one voice.
        activity: Speech detection settings (voice activity, edges trimmed by energy).
        seed: Random state of KMeans, for repeatable results.
    """

    hop: float = 0.4
    min_run: float = 0.6
    same_voice_cosine: float = 0.9
    activity: ActivityOptions = field(default_factory=ActivityOptions)
    seed: int = 0


@dataclass(frozen=True)
class SpeakerTurn:
    """A stretch of one diarized speaker.

    Attributes:
        speaker: "S0" (the speaker heard first) or "S1".
        start: Seconds from the start of the call.
        end: Seconds.
    """

    speaker: str
    start: float
    end: float


def window_starts(*, spans: list[tuple[float, float]], hop: float) -> list[tuple[float, int]]:
    """Embedding windows covering speech spans.

    Parameters
    ----------
    spans : speech (start, end) in seconds
    hop : step between windows (s)

    Returns
    -------
    list of (window start in s, index of its span); windows stay inside their span where the span is at
    least ``WINDOW`` long, the last one aligned to the span end
    """
    out: list[tuple[float, int]] = []
    for i, (s, e) in enumerate(spans):
        if e - s <= WINDOW:
            out.append((s, i))
            continue
        t = s
        while t + WINDOW < e:
            out.append((t, i))
            t += hop
        out.append((e - WINDOW, i))
    return out


def diarize_two(
    *, y: np.ndarray, sr: int = SAMPLE_RATE, options: DiarizeOptions | None = None
) -> tuple[SpeakerTurn, ...]:
    """Split a mono channel into (at most) two speakers.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float32 audio at 16 kHz, or int16 PCM (a long call, never converted whole)
    sr : sample rate in Hz (16000)
    options : settings

    Returns
    -------
    tuple of SpeakerTurn in time order, labels "S0"/"S1" by first appearance; empty for silence
    """
    from sklearn.cluster import KMeans

    from callscore.speakers.voice_encoder import embed_windows

    opts = options or DiarizeOptions()
    if sr != SAMPLE_RATE:
        raise ValueError(f"diarize_two needs {SAMPLE_RATE} Hz audio, got {sr}")
    spans = list(channel_activity(y=y, sr=sr, options=opts.activity).speech)
    if not spans:
        return ()
    # A long call is held as int16 (audio.model.Audio): the gain and the mel frames convert it span by span
    # and block by block, never the whole channel (a 2-hour mono call would be 0.46 GB more of float32).
    # One gain for the whole channel: the encoder's (non-log) input scales with loudness.
    gain = _speech_gain(y, spans, sr)
    windows = window_starts(spans=spans, hop=opts.hop)
    starts = np.array([round(t * sr) for t, _ in windows], dtype=np.int64)
    emb = embed_windows(y=y, starts=starts, gain=gain)

    frames = _speech_frames(spans, y.size / sr)
    if len(windows) < 2:
        labels = np.zeros(frames.size, dtype=np.int64)
    else:
        km = KMeans(n_clusters=2, n_init=10, random_state=opts.seed).fit(emb)
        cent = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
        if float(cent[0] @ cent[1]) >= opts.same_voice_cosine:
            labels = np.zeros(frames.size, dtype=np.int64)
        else:
            labels = _frame_labels(frames, windows, spans, emb, cent)
    return _turns(frames, labels, spans, min_run=opts.min_run)


def _speech_gain(y: np.ndarray, spans: list[tuple[float, float]], sr: int) -> float:
    """The gain ``voice_encoder.normalize_volume`` gives the channel's speech, measured span by span.

    Joining the speech and squaring it in float64 held 1.4 GB for an hour of it; the sums are the same.
    """
    from callscore.speakers.voice_encoder import INT16_MAX, TARGET_DBFS

    cuts = [(int(s * sr), int(e * sr)) for s, e in spans]
    n, peak, sq = 0, 0.0, 0.0
    for a, b in cuts:
        p = as_float32(y[a:b])
        n += p.size
        peak = max(peak, float(np.max(np.abs(p), initial=0.0)))
        sq += float(np.sum(np.square(p * INT16_MAX, dtype=np.float64)))
    rms = float(np.sqrt(sq / n)) if n else 0.0
    if rms <= 0 or peak <= 0:
        return 0.0 if peak <= 0 else 1.0
    change = TARGET_DBFS - float(to_db(rms / INT16_MAX))
    if change < 0:
        return 1.0
    k = 10 ** (change / 20)
    raised = max(
        float(np.max(np.abs((as_float32(y[a:b]) * k).astype(np.float32)), initial=0.0)) for a, b in cuts
    )
    return raised / max(peak, 1e-9)


def _speech_frames(spans: list[tuple[float, float]], duration: float) -> np.ndarray:
    """Centres (s) of the FRAME-long frames that fall inside speech."""
    centres = (np.arange(int(np.ceil(duration / FRAME))) + 0.5) * FRAME
    inside = np.zeros(centres.size, dtype=bool)
    for s, e in spans:
        inside |= (centres >= s) & (centres < e)
    return centres[inside]


def _frame_labels(
    frames: np.ndarray,
    windows: list[tuple[float, int]],
    spans: list[tuple[float, float]],
    emb: np.ndarray,
    cent: np.ndarray,
) -> np.ndarray:
    """Voice of each speech frame: nearest centroid to the mean embedding of the windows over it."""
    w_start = np.array([t for t, _ in windows])
    w_end = np.array([min(t + WINDOW, spans[i][1]) for t, i in windows])
    labels = np.zeros(frames.size, dtype=np.int64)
    for k, c in enumerate(frames):
        cover = (w_start <= c) & (w_end > c)
        if not cover.any():  # frame of a span shorter than a window: nearest window
            cover = np.zeros(len(windows), dtype=bool)
            cover[int(np.argmin(np.abs((w_start + w_end) / 2 - c)))] = True
        labels[k] = int(np.argmax(cent @ emb[cover].mean(axis=0)))
    return labels


def _turns(
    frames: np.ndarray, labels: np.ndarray, spans: list[tuple[float, float]], *, min_run: float
) -> tuple[SpeakerTurn, ...]:
    """Runs of equal labels inside each span, short runs absorbed, labelled by first appearance."""
    runs: list[list[float]] = []  # [label, start, end]
    for s, e in spans:
        inside = (frames >= s) & (frames < e)
        idx = np.flatnonzero(inside)
        if idx.size == 0:
            continue
        span_runs: list[list[float]] = []
        for k in idx:
            lab = float(labels[k])
            if span_runs and span_runs[-1][0] == lab:
                span_runs[-1][2] = frames[k] + FRAME / 2
            else:
                span_runs.append([lab, frames[k] - FRAME / 2, frames[k] + FRAME / 2])
        span_runs[0][1], span_runs[-1][2] = s, e
        runs.extend(_absorb_short(span_runs, min_run))
    order: dict[float, str] = {}
    for lab, _, _ in runs:
        order.setdefault(lab, f"S{len(order)}")
    return tuple(SpeakerTurn(order[lab], round(float(st), 3), round(float(en), 3)) for lab, st, en in runs)


def _absorb_short(runs: list[list[float]], min_run: float) -> list[list[float]]:
    """Give runs shorter than ``min_run`` to a neighbour (the longer one), then merge equal neighbours."""
    runs = [r[:] for r in runs]
    while len(runs) > 1:
        lengths = [r[2] - r[1] for r in runs]
        k = int(np.argmin(lengths))
        if lengths[k] >= min_run:
            break
        if k == 0:
            n = 1
        elif k == len(runs) - 1:
            n = k - 1
        else:
            n = k - 1 if lengths[k - 1] >= lengths[k + 1] else k + 1
        runs[k][0] = runs[n][0]
        merged: list[list[float]] = []
        for r in runs:
            if merged and merged[-1][0] == r[0]:
                merged[-1][2] = r[2]
            else:
                merged.append(r)
        runs = merged
    return runs
