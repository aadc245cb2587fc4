"""Speaker embeddings in numpy: Resemblyzer's voice encoder without torch.

The encoder (Resemble AI's Resemblyzer, Apache-2.0, a GE2E-trained 3-layer LSTM) turns 1.6 s of speech
into a 256-d unit vector; two stretches of the same voice give vectors with a high cosine. Its weights
were extracted once into ``models/voice_encoder.npz`` by ``models/build_voice_encoder.py`` (float16,
2.7 MB); this module reproduces Resemblyzer's front end and forward pass so the default install needs no
torch. Embeddings match Resemblyzer's own to cosine > 0.999 (tests/test_voice_encoder.py).

Front end as Resemblyzer computes it: 25 ms Hann window, 10 ms hop, centred frames with zero padding,
power spectrum, 40-band Slaney mel filterbank. Resemblyzer calls this a mel spectrogram and feeds it to the
LSTM *without* a log, so the input scales with loudness: speech is brought to -30 dBFS first
(``normalize_volume``, as Resemblyzer's ``preprocess_wav`` does, increase only).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from callscore.audio.levels import to_db
from callscore.audio.model import as_float32
from callscore.errors import ModelError

SAMPLE_RATE = 16000  # Hz, the encoder's training rate
N_FFT = 400  # samples (25 ms window)
HOP = 160  # samples (10 ms step)
N_MELS = 40  # mel bands
PARTIAL_FRAMES = 160  # frames per partial utterance (1.6 s)
EMBED_DIM = 256  # embedding size
TARGET_DBFS = -30.0  # dBFS, loudness speech is raised to before embedding
INT16_MAX = 2**15 - 1
WEIGHTS_FILE = "voice_encoder.npz"
N_LAYERS = 3
EMBED_BATCH = 64  # windows through the LSTM at once in diarization (~90 MB; same embeddings as 256)
MEL_BLOCK = 6000  # mel frames computed at a time (60 s)


@dataclass(frozen=True, eq=False)
class VoiceEncoder:
    """The loaded encoder weights (float32 in memory).

    Attributes:
        lstm: Per layer (W_ih^T (in, 1024), W_hh^T (256, 1024), bias (1024,)), transposed and contiguous
            for row-major matmuls; PyTorch gate order i, f, g, o.
        linear_w: Output projection, transposed, shape (256, 256).
        linear_b: Output bias, shape (256,).
        mel_basis: Mel filterbank, shape (40, 201).
        provenance: Where the weights came from (package, licence, checksum).
    """

    lstm: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]
    linear_w: np.ndarray
    linear_b: np.ndarray
    mel_basis: np.ndarray
    provenance: str = ""


def weights_path() -> Path:
    """Where the shipped encoder weights live (wheel data or checkout ``models/``)."""
    from callscore.resources import data_dir

    return data_dir("models") / WEIGHTS_FILE


@functools.lru_cache(maxsize=2)
def load_voice_encoder(path: str | os.PathLike[str] | None = None) -> VoiceEncoder:
    """Load (once) the voice encoder from ``path`` or the shipped ``models/voice_encoder.npz``.

    Raises
    ------
    ModelError
        The weights file is missing or incomplete.
    """
    p = Path(path) if path is not None else weights_path()
    try:
        with np.load(p, allow_pickle=False) as z:
            f32 = {k: z[k].astype(np.float32) for k in z.files if k != "provenance"}
            provenance = str(z["provenance"]) if "provenance" in z.files else ""
    except FileNotFoundError as e:
        raise ModelError(f"{p}: voice encoder weights not found (run models/build_voice_encoder.py)") from e
    except (OSError, ValueError) as e:
        raise ModelError(f"{p}: voice encoder weights unreadable ({e}); rebuild them") from e
    try:
        lstm = tuple(
            (
                np.ascontiguousarray(f32[f"lstm_weight_ih_l{i}"].T),
                np.ascontiguousarray(f32[f"lstm_weight_hh_l{i}"].T),
                f32[f"lstm_bias_ih_l{i}"] + f32[f"lstm_bias_hh_l{i}"],
            )
            for i in range(N_LAYERS)
        )
        linear_w = np.ascontiguousarray(f32["linear_weight"].T)
        return VoiceEncoder(lstm, linear_w, f32["linear_bias"], f32["mel_basis"], provenance)
    except KeyError as e:
        raise ModelError(f"{p}: voice encoder weights lack {e.args[0]!r}; rebuild them") from e


def normalize_volume(*, y: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """Raise quiet audio to ``target_dbfs`` RMS (never lowers it), as Resemblyzer does.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio in [-1, 1]
    target_dbfs : target RMS level in dB relative to full scale

    Returns
    -------
    np.ndarray, shape (n,), float32
    """
    y = np.asarray(y, dtype=np.float32)
    rms = float(np.sqrt(np.mean(np.square(y * INT16_MAX, dtype=np.float64)))) if y.size else 0.0
    if rms <= 0:
        return y
    change = target_dbfs - float(to_db(rms / INT16_MAX))
    return y if change < 0 else (y * 10 ** (change / 20)).astype(np.float32)


def mel_frames(*, y: np.ndarray, encoder: VoiceEncoder | None = None, gain: float = 1.0) -> np.ndarray:
    """Resemblyzer's (non-log) 40-band mel power spectrogram.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio at 16 kHz, or int16 PCM (a long call; scaled block by block)
    encoder : weights holding the mel filterbank (default: the shipped encoder)
    gain : factor applied to ``y`` first (block by block: no scaled copy of the whole signal)

    Returns
    -------
    np.ndarray, shape (1 + n // 160, 40), float32; frame i is centred on sample 160 * i
    """
    enc = encoder or load_voice_encoder()
    y = np.asarray(y)
    if y.dtype != np.int16:  # int16 (a long call) is converted block by block below
        y = np.asarray(y, dtype=np.float32)
    n_frames = 1 + y.size // HOP
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann
    out = np.empty((n_frames, N_MELS), np.float32)
    # A block of frames at a time: the STFT of a whole hour at once took 2.3 GB (frames are independent).
    for f0 in range(0, n_frames, MEL_BLOCK):
        f1 = min(n_frames, f0 + MEL_BLOCK)
        a = f0 * HOP - N_FFT // 2  # first sample of frame f0 in the unpadded signal
        b = (f1 - 1) * HOP + N_FFT // 2
        piece = np.pad(as_float32(y[max(a, 0) : min(b, y.size)]), (max(-a, 0), max(b - y.size, 0)))
        if gain != 1.0:
            piece = (piece * gain).astype(np.float32)
        frames = np.lib.stride_tricks.sliding_window_view(piece, N_FFT)[::HOP][: f1 - f0]
        power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
        out[f0:f1] = power.astype(np.float32) @ enc.mel_basis.T
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # overflow-free logistic


def embed_mels(*, mels: np.ndarray, encoder: VoiceEncoder | None = None, batch: int = 256) -> np.ndarray:
    """Embeddings of a batch of equal-length mel windows (the encoder's forward pass).

    Parameters
    ----------
    mels : np.ndarray, shape (b, frames, 40), from :func:`mel_frames`
    encoder : weights (default: the shipped encoder)
    batch : windows run through the LSTM at once (bounds memory: ~batch * frames * 4 KB)

    Returns
    -------
    np.ndarray, shape (b, 256), float32, non-negative, unit L2 norm
    """
    enc = encoder or load_voice_encoder()
    mels = np.asarray(mels, dtype=np.float32)
    if mels.ndim != 3 or mels.shape[2] != N_MELS:
        raise ValueError(f"mels must have shape (batch, frames, {N_MELS}), got {mels.shape}")
    out = np.zeros((mels.shape[0], EMBED_DIM), np.float32)
    from threadpoolctl import threadpool_limits  # ships with scikit-learn

    # Hundreds of small matmuls: BLAS threads only add contention (measured 5x slower on 2 busy cores).
    with threadpool_limits(limits=1, user_api="blas"):
        for lo in range(0, mels.shape[0], batch):
            out[lo : lo + batch] = _forward(mels[lo : lo + batch], enc)
    return out


def _forward(x: np.ndarray, enc: VoiceEncoder) -> np.ndarray:
    """LSTM stack + linear + ReLU + L2 norm on one batch, shape (b, t, 40) -> (b, 256)."""
    b, t, _ = x.shape
    h = np.zeros((b, EMBED_DIM), np.float32)
    for w_ih, w_hh, bias in enc.lstm:
        gates_in = x.reshape(b * t, -1) @ w_ih  # input part, all steps at once
        gates_in += bias  # in place: a second (b, t, 1024) array was 168 MB at batch 256
        gates_in = gates_in.reshape(b, t, -1)
        h = np.zeros((b, w_hh.shape[0]), np.float32)
        c = np.zeros_like(h)
        hs = np.empty((b, t, h.shape[1]), np.float32)
        for step in range(t):
            g = gates_in[:, step] + h @ w_hh
            i, f, cand, o = np.split(g, 4, axis=1)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(cand)
            h = _sigmoid(o) * np.tanh(c)
            hs[:, step] = h
        x = hs
    raw = np.maximum(h @ enc.linear_w + enc.linear_b, 0.0)
    return raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)


def partial_slices(*, n_samples: int, rate: float = 1.3, min_coverage: float = 0.75) -> list[slice]:
    """Mel-frame slices of the 1.6 s partial utterances Resemblyzer averages over.

    Parameters
    ----------
    n_samples : utterance length in samples at 16 kHz
    rate : partials per second (>= 0.625 so that they cover the utterance)
    min_coverage : a last partial less than this fraction inside the audio is dropped (unless it is the
        only one)

    Returns
    -------
    list of slice over mel frames, each ``PARTIAL_FRAMES`` long (may run past the audio: pad it)
    """
    if not 0 < min_coverage <= 1:
        raise ValueError("min_coverage must be in (0, 1]")
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    frame_step = int(np.round((SAMPLE_RATE / rate) / HOP))
    if not 0 < frame_step <= PARTIAL_FRAMES:
        raise ValueError(f"rate {rate} out of range (0.625..{SAMPLE_RATE / HOP} partials per second)")
    steps = max(1, n_frames - PARTIAL_FRAMES + frame_step + 1)
    slices = [slice(i, i + PARTIAL_FRAMES) for i in range(0, steps, frame_step)]
    last = slices[-1]
    coverage = (n_samples - last.start * HOP) / (PARTIAL_FRAMES * HOP)
    if coverage < min_coverage and len(slices) > 1:
        slices = slices[:-1]
    return slices


def embed_utterance(
    *,
    y: np.ndarray,
    rate: float = 1.3,
    min_coverage: float = 0.75,
    encoder: VoiceEncoder | None = None,
) -> np.ndarray:
    """One embedding for an utterance: the L2-normed mean of its 1.6 s partial embeddings.

    Same computation as ``resemblyzer.VoiceEncoder.embed_utterance`` (without its preprocessing; call
    :func:`normalize_volume` first for audio that is not at speech level).

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio at 16 kHz
    rate, min_coverage : see :func:`partial_slices`
    encoder : weights (default: the shipped encoder)

    Returns
    -------
    np.ndarray, shape (256,), float32, unit norm
    """
    enc = encoder or load_voice_encoder()
    y = np.asarray(y, dtype=np.float32)
    slices = partial_slices(n_samples=y.size, rate=rate, min_coverage=min_coverage)
    need = slices[-1].stop * HOP
    if need >= y.size:
        y = np.pad(y, (0, need - y.size))
    mel = mel_frames(y=y, encoder=enc)
    partials = embed_mels(mels=np.stack([mel[s] for s in slices]), encoder=enc)
    raw = partials.mean(axis=0)
    return (raw / max(float(np.linalg.norm(raw)), 1e-12)).astype(np.float32)


def embed_windows(
    *,
    y: np.ndarray,
    starts: np.ndarray,
    encoder: VoiceEncoder | None = None,
    gain: float = 1.0,
) -> np.ndarray:
    """Embeddings of 1.6 s windows of one signal starting at given samples (for diarization).

    Parameters
    ----------
    y : np.ndarray, shape (n,), float audio at 16 kHz (volume-normalised, or brought there by ``gain``)
    starts : np.ndarray, shape (w,), window start positions in samples; windows past the end are
        zero-padded
    encoder : weights (default: the shipped encoder)
    gain : factor applied to ``y`` first (see :func:`mel_frames`)

    Returns
    -------
    np.ndarray, shape (w, 256), float32, unit norm rows
    """
    enc = encoder or load_voice_encoder()
    starts = np.asarray(starts, dtype=np.int64)
    if starts.size == 0:
        return np.zeros((0, EMBED_DIM), np.float32)
    mel = mel_frames(y=y, encoder=enc, gain=gain)
    first = np.round(starts / HOP).astype(np.int64)
    need = int(first.max()) + PARTIAL_FRAMES
    if need > mel.shape[0]:
        mel = np.concatenate([mel, np.zeros((need - mel.shape[0], N_MELS), np.float32)])
    # Windows stacked a batch at a time (an hour of speech stacked at once is 0.2 GB).
    out = np.empty((first.size, EMBED_DIM), np.float32)
    for lo in range(0, first.size, EMBED_BATCH):
        batch = np.stack([mel[f : f + PARTIAL_FRAMES] for f in first[lo : lo + EMBED_BATCH]])
        out[lo : lo + EMBED_BATCH] = embed_mels(mels=batch, encoder=enc, batch=EMBED_BATCH)
    return out
