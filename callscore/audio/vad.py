"""Voice activity per channel, tuned for telephone-band speech.

Uses the Silero VAD ONNX model that faster-whisper ships (MIT, no download, onnxruntime only). Silero's
default threshold of 0.5 drops about a third of 8 kHz µ-law speech (see docs/models.md), so callscore
uses 0.2; hold music and tones still score near zero and stay out.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

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
    y : np.ndarray, shape (n,), float32 mono audio at ``sr``
    sr : sample rate in Hz; must be 16000 (what the Silero model takes here)
    options : thresholds

    Returns
    -------
    list of (start, end) in seconds, sorted, non-overlapping
    """
    from faster_whisper.vad import VadOptions as FwVadOptions
    from faster_whisper.vad import get_speech_timestamps

    _memoise_silero()
    if sr != SAMPLE_RATE:
        raise ValueError(f"speech_spans needs {SAMPLE_RATE} Hz audio, got {sr}")
    opts = options or VadOptions()
    if y.size == 0 or float(np.max(np.abs(y), initial=0.0)) < 1e-4:
        return []
    stamps = get_speech_timestamps(
        np.ascontiguousarray(y, dtype=np.float32),
        FwVadOptions(
            threshold=opts.threshold,
            neg_threshold=opts.neg_threshold,
            min_speech_duration_ms=opts.min_speech_ms,
            min_silence_duration_ms=opts.min_silence_ms,
            speech_pad_ms=opts.speech_pad_ms,
        ),
        sampling_rate=sr,
    )
    return [(float(s["start"]) / sr, float(s["end"]) / sr) for s in stamps]


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
    pieces = [y[int(s * sr) : int(e * sr)] for s, e in spans]
    audio = np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)
    return audio, SpeechMap.from_spans([(int(s * sr) / sr, int(e * sr) / sr) for s, e in spans])


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


class _MemoisedSilero:
    """Silero's per-frame speech probabilities, computed once per channel.

    Transcription gates a channel with one set of thresholds and the timeline's activity reads the same
    channel with another (and diarization a third time on mono): only the thresholding differs, so the
    model runs once per channel and each caller thresholds the same probabilities.
    """

    def __init__(self, model: Callable[..., np.ndarray]) -> None:
        self.model = model

    def __call__(self, audio: np.ndarray, *args: object, **kwargs: object) -> np.ndarray:
        key = hashlib.blake2b(np.ascontiguousarray(audio).tobytes(), digest_size=16).digest()
        probs = _SILERO_PROBS.get(key)
        if probs is None:
            probs = self.model(audio, *args, **kwargs)
            _SILERO_PROBS[key] = probs
            while len(_SILERO_PROBS) > PROBABILITY_MEMO:
                _SILERO_PROBS.popitem(last=False)
        else:
            _SILERO_PROBS.move_to_end(key)
        return probs


def _memoise_silero() -> None:
    """Route faster-whisper's VAD model through :class:`_MemoisedSilero` (once per process)."""
    import faster_whisper.vad as fw_vad

    if getattr(fw_vad.get_vad_model, "_callscore_memo", False):
        return
    memo = _MemoisedSilero(fw_vad.get_vad_model())

    def get_vad_model() -> _MemoisedSilero:
        return memo

    get_vad_model._callscore_memo = True  # type: ignore[attr-defined]
    fw_vad.get_vad_model = get_vad_model
