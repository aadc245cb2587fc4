"""Voice activity per channel, tuned for telephone-band speech.

Uses the Silero VAD ONNX model that faster-whisper ships (MIT, no download, onnxruntime only). Silero's
default threshold of 0.5 drops about a third of 8 kHz µ-law speech (see docs/models.md), so callscore
uses 0.2; hold music and tones still score near zero and stay out.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from callscore.audio.model import BLOCK, PCM_SCALE, as_float32, float_blocks, release

SAMPLE_RATE = 16000  # Hz
PROBABILITY_MEMO = 4  # channels whose Silero speech probabilities are kept (a stereo call's two, with room)


@dataclass(frozen=True)
class VadOptions:
    """Voice activity settings.

    Attributes:
        threshold: Speech probability above which a frame is speech (0.2 keeps telephone-band speech).
        min_speech_ms: Shorter speech bursts are dropped (clicks, line noise).
        min_silence_ms: Silence needed to end a speech stretch.
        speech_pad_ms: Padding added on each side of speech, so word edges are not clipped.
        neg_threshold: Probability below which speech ends (None: Silero's threshold - 0.15, i.e. 0.05,
            which ends speech ~0.2 s late; timing analysis raises it).
    """

    threshold: float = 0.2
    min_speech_ms: int = 150
    min_silence_ms: int = 500
    speech_pad_ms: int = 200
    neg_threshold: float | None = None


def speech_spans(
    *, y: np.ndarray, sr: int = SAMPLE_RATE, options: VadOptions | None = None
) -> list[tuple[float, float]]:
    """Speech stretches of one channel.

    Parameters
    ----------
    y : np.ndarray, shape (n,), mono audio at ``sr``: float32, or int16 PCM (``audio.model.as_float32``)
    sr : sample rate in Hz; must be 16000 (what the Silero model takes here)
    options : thresholds

    Returns
    -------
    list of (start, end) in seconds, sorted, non-overlapping
    """
    if sr != SAMPLE_RATE:
        raise ValueError(f"speech_spans needs {SAMPLE_RATE} Hz audio, got {sr}")
    opts = options or VadOptions()
    if y.size == 0 or max((float(np.max(np.abs(b))) for _, b in float_blocks(y)), default=0.0) < 1e-4:
        return []
    stamps = _speech_stamps(speech_probabilities(y), y.size, opts, sr)
    return [(float(s) / sr, float(e) / sr) for s, e in stamps]


def speech_probabilities(y: np.ndarray) -> np.ndarray:
    """Silero's speech probability of each 512-sample window of a channel, memoised per channel.

    Transcription gates a channel with one set of thresholds and the timeline's activity reads the same
    channel with another (and diarization a third time on mono): only the thresholding differs, so the
    model runs once per channel and each caller thresholds the same probabilities.
    """
    y = np.ascontiguousarray(y)
    key = hashlib.blake2b(str(y.dtype).encode(), digest_size=16)
    for a in range(0, y.size, BLOCK):  # no copy; a file-backed channel's pages let go as hashed
        piece = y[a : a + BLOCK]
        key.update(piece.data.cast("B"))
        release(piece)
    digest = key.digest()
    probs = _SILERO_PROBS.get(digest)
    if probs is None:
        probs = _run_silero(y)
        _SILERO_PROBS[digest] = probs
        while len(_SILERO_PROBS) > PROBABILITY_MEMO:
            _SILERO_PROBS.popitem(last=False)
    else:
        _SILERO_PROBS.move_to_end(digest)
    return probs


def _run_silero(y: np.ndarray) -> np.ndarray:
    """faster-whisper's ``SileroVADModel`` call, one ONNX batch of windows at a time.

    Its own call pads and copies the whole channel twice over (0.9 GB more for a 2-hour channel); this
    builds each batch of :data:`SILERO_BATCH` windows with its 64-sample contexts from the channel in
    place, carries the recurrent state across batches exactly as it does, and so returns the same
    probabilities (its quirk included: the final window's last 64 samples are zeroed).
    """
    session = _silero_session()
    n_windows = y.size // SILERO_WINDOW + 1  # faster-whisper always pads, by a whole window if need be
    h = np.zeros((1, 1, 128), dtype=np.float32)
    c = np.zeros((1, 1, 128), dtype=np.float32)
    tail = np.zeros(SILERO_CONTEXT, dtype=np.float32)
    outputs = []
    buffer = np.empty((min(n_windows, SILERO_BATCH), SILERO_CONTEXT + SILERO_WINDOW), dtype=np.float32)
    for w0 in range(0, n_windows, SILERO_BATCH):
        w1 = min(n_windows, w0 + SILERO_BATCH)
        batch = buffer[: w1 - w0]  # one batch's memory, reused
        batch[:] = 0.0
        audio = batch[:, SILERO_CONTEXT:]  # the windows, written straight from the channel
        piece = y[w0 * SILERO_WINDOW : w1 * SILERO_WINDOW]
        full = piece.size // SILERO_WINDOW
        audio[:full] = piece[: full * SILERO_WINDOW].reshape(full, SILERO_WINDOW)
        if piece.size > full * SILERO_WINDOW:
            audio[full, : piece.size - full * SILERO_WINDOW] = piece[full * SILERO_WINDOW :]
        if y.dtype == np.int16:
            audio *= np.float32(1.0 / PCM_SCALE)
            release(piece)
        if w1 == n_windows:
            audio[-1, -SILERO_CONTEXT:] = 0.0
        batch[0, :SILERO_CONTEXT] = tail
        batch[1:, :SILERO_CONTEXT] = audio[:-1, -SILERO_CONTEXT:]
        tail = audio[-1, -SILERO_CONTEXT:].copy()
        out, h, c = session.run(None, {"input": batch, "h": h, "c": c})
        outputs.append(out)
    return np.concatenate(outputs, axis=0)


def _speech_stamps(probs: np.ndarray, n_samples: int, opts: VadOptions, sr: int) -> list[tuple[int, int]]:
    """Speech (start, end) in samples from window probabilities.

    faster-whisper's ``get_speech_timestamps`` (MIT) after its model call, without the maximum-length
    split it skips at its default unlimited length; kept line for line so spans are the same.
    """
    window = SILERO_WINDOW
    threshold = opts.threshold
    neg_threshold = opts.neg_threshold
    if neg_threshold is None:
        neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = sr * opts.min_speech_ms / 1000
    pad = sr * opts.speech_pad_ms / 1000
    min_silence = sr * opts.min_silence_ms / 1000
    triggered = False
    speeches: list[list[int]] = []
    start = 0
    temp_end = 0
    for i, p in enumerate(probs.reshape(-1).tolist()):
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered = True
            start = window * i
            continue
        if p < neg_threshold and triggered:
            if not temp_end:
                temp_end = window * i
            if window * i - temp_end < min_silence:
                continue
            if temp_end - start > min_speech:
                speeches.append([start, temp_end])
            temp_end = 0
            triggered = False
    if triggered and n_samples - start > min_speech:
        speeches.append([start, n_samples])
    for i, speech in enumerate(speeches):
        if i == 0:
            speech[0] = int(max(0, speech[0] - pad))
        if i != len(speeches) - 1:
            gap = speeches[i + 1][0] - speech[1]
            if gap < 2 * pad:
                speech[1] += int(gap // 2)
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - gap // 2))
            else:
                speech[1] = int(min(n_samples, speech[1] + pad))
                speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - pad))
        else:
            speech[1] = int(min(n_samples, speech[1] + pad))
    return [(s, e) for s, e in speeches]


@dataclass(frozen=True)
class SpeechMap:
    """Maps times in the concatenated speech-only audio back to times in the channel.

    Attributes:
        spans: (start, end) of the kept speech in channel time (s).
        offsets: Start of each span in concatenated time (s).
    """

    spans: tuple[tuple[float, float], ...]
    offsets: tuple[float, ...]

    @classmethod
    def from_spans(cls, spans: Sequence[tuple[float, float]]) -> SpeechMap:
        """Build the map for spans laid end to end."""
        offsets, t = [], 0.0
        for s, e in spans:
            offsets.append(t)
            t += e - s
        return cls(tuple(spans), tuple(offsets))

    def to_original(self, t: float, *, is_end: bool = False) -> float:
        """Channel time of concatenated time ``t``; an end time at a span boundary stays in its span."""
        if not self.spans:
            return t
        idx = bisect.bisect_left(self.offsets, t) if is_end else bisect.bisect_right(self.offsets, t)
        idx -= 1
        idx = min(max(idx, 0), len(self.spans) - 1)
        start, end = self.spans[idx]
        return float(min(start + (t - self.offsets[idx]), end))


def concat_speech(
    *, y: np.ndarray, spans: Sequence[tuple[float, float]], sr: int = SAMPLE_RATE
) -> tuple[np.ndarray, SpeechMap]:
    """Speech-only audio of a channel and the map back to channel time.

    Parameters
    ----------
    y : np.ndarray, shape (n,), channel audio
    spans : speech (start, end) in seconds
    sr : sample rate in Hz

    Returns
    -------
    (np.ndarray of shape (m,), SpeechMap)
    """
    bounds = [(int(s * sr), int(e * sr)) for s, e in spans]
    pieces = [(a, min(max(b, a), y.size)) for a, b in bounds]
    audio = np.empty(sum(max(b - a, 0) for a, b in pieces), dtype=np.float32)
    at = 0
    for a, b in pieces:  # written piece by piece: no joined copy at the stored dtype first
        k = max(b - a, 0)
        audio[at : at + k] = as_float32(y[a:b])
        at += k
    return audio, SpeechMap.from_spans([(a / sr, b / sr) for a, b in bounds])


WINDOW_S = 30.0  # Whisper's input window


def speech_clips(
    *, audio: np.ndarray, speech_map: SpeechMap, sr: int = SAMPLE_RATE, max_s: float = WINDOW_S
) -> list[tuple[float, float]]:
    """Cut concatenated speech into clips of at most ``max_s`` that Whisper can decode independently.

    Clips end at the joins between speech stretches, so no word is cut; a single stretch longer than
    ``max_s`` (a monologue with no 0.5 s pause) is cut at its quietest 50 ms within the last third of
    the window. Batched decoding needs this: each clip is one Whisper window.

    Parameters
    ----------
    audio : np.ndarray, shape (n,), the output of :func:`concat_speech`
    speech_map : its map (the joins are ``speech_map.offsets``)
    sr : sample rate in Hz
    max_s : longest clip in seconds

    Returns
    -------
    list of (start, end) in concatenated time (s), in order, covering the whole audio
    """
    total = audio.size / sr
    joins = [t for t in speech_map.offsets[1:] if 0.0 < t < total] + [total]
    clips: list[tuple[float, float]] = []
    start = 0.0
    last = 0.0  # the latest join not beyond start + max_s
    for join in joins:
        while join - start > max_s:
            cut = last if last > start else _quiet_cut(audio, start, start + max_s, sr)
            clips.append((start, cut))
            start = cut
        last = join
    if total > start:
        clips.append((start, total))
    return [(s, e) for s, e in clips if e - s > 0.0]


PIECE_S = 300.0  # s of speech transcribed at a time; a channel with less is one piece, as it always was


def speech_pieces(
    *,
    y: np.ndarray,
    spans: Sequence[tuple[float, float]],
    sr: int = SAMPLE_RATE,
    max_s: float | None = None,
) -> list[list[tuple[float, float]]]:
    """Group a channel's speech spans into pieces of at most ``max_s`` of speech, to transcribe one by one.

    Whisper's feature extraction takes its whole input at once (its STFT of an hour of speech needs
    gigabytes), so a long channel is transcribed piece by piece. Pieces end between two spans, in a
    silence the voice activity found, so no word is cut and each piece's own :class:`SpeechMap` puts its
    words back in channel time. A single span longer than ``max_s`` (a monologue with no 0.5 s pause) is
    cut at its quietest 50 ms within the last third of each ``max_s``.

    Parameters
    ----------
    y : np.ndarray, shape (n,), the channel (float32 or int16)
    spans : its speech (start, end) in seconds, sorted
    sr : sample rate in Hz
    max_s : most speech per piece, seconds (None: :data:`PIECE_S` as it is at call time)

    Returns
    -------
    list of pieces, each a list of (start, end) spans in channel time, in order, covering ``spans``
    """
    max_s = PIECE_S if max_s is None else max_s
    pieces: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    held = 0.0
    for start, end in spans:
        while end - start > max_s:  # one long stretch: cut it at a quiet point
            cut = _quiet_cut(as_float32(y[int(start * sr) : int((start + max_s) * sr)]), 0.0, max_s, sr)
            cut = start + max(cut, 1.0 / sr)
            if current:
                pieces.append(current)
            pieces.append([(start, cut)])
            current, held, start = [], 0.0, cut
        if current and held + (end - start) > max_s:
            pieces.append(current)
            current, held = [], 0.0
        current.append((start, end))
        held += end - start
    if current:
        pieces.append(current)
    return pieces


def _quiet_cut(audio: np.ndarray, start: float, end: float, sr: int) -> float:
    """Time of the quietest 50 ms frame in the last third of [start, end] (where to cut a monologue)."""
    hop = int(0.05 * sr)
    lo, hi = int((start + (end - start) * 2 / 3) * sr), int(end * sr)
    frames = audio[lo:hi][: (hi - lo) // hop * hop].reshape(-1, hop)
    if not frames.size:
        return end
    quietest = int(np.argmin(np.mean(np.square(frames), axis=1)))
    return (lo + quietest * hop + hop // 2) / sr


_SILERO_PROBS: OrderedDict[bytes, np.ndarray] = OrderedDict()
SILERO_WINDOW = 512  # samples per Silero window at 16 kHz
SILERO_CONTEXT = 64  # samples of the previous window each window sees
SILERO_BATCH = 10000  # windows per ONNX run (faster-whisper's batch: 5.1 M samples, 23 MB of input)


def _silero_session() -> Any:
    """faster-whisper's Silero ONNX session (the bundled model, loaded once per process)."""
    global _SESSION
    if _SESSION is None:
        from faster_whisper.vad import get_vad_model

        _SESSION = get_vad_model().session
    return _SESSION


_SESSION: Any = None
