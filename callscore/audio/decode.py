"""Load call recordings: any container FFmpeg knows, 8 kHz µ-law/A-law included, mono or stereo.

Decoding goes through PyAV, which carries its own FFmpeg, so no system ffmpeg is needed. Every channel is
resampled to 16 kHz float32 (what Whisper and the analysis expect) and kept separate: call recorders put the
agent on one channel and the customer on the other.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from callscore.audio.model import PCM_SCALE, Audio, AudioInfo, file_backed, float_blocks, release
from callscore.errors import AudioError
from callscore.files import file_sha256

SAMPLE_RATE = 16000  # Hz, what Whisper and the analysis stages expect
MOVE_BLOCK = 1 << 20  # samples moved at a time when trimming the decode buffer in place
MAX_DURATION = 2 * 3600.0  # s; longer files are refused
FLOAT_LIMIT_BYTES = 256 << 20  # decoded audio bigger than this as float32 is held as int16 (half the size)
IDENTICAL_TOLERANCE = 1e-3  # max abs difference between channels still called "the same signal"
IDENTICAL_RATIO_DB = -40.0  # dB; a lossy codec's joint stereo leaves a residual this far below the signal
SUPPORTED_EXTENSIONS = (
    ".wav",
    ".mp3",
    ".m4a",
    ".ogg",
    ".oga",
    ".opus",
    ".flac",
    ".aac",
    ".mp4",
    ".wma",
)


def load_audio(
    path: str | os.PathLike[str],
    *,
    sample_rate: int = SAMPLE_RATE,
    max_duration: float | None = MAX_DURATION,
) -> Audio:
    """Decode ``path`` per channel at ``sample_rate``: float32, or int16 for long calls (``Audio.samples``).

    A 2-hour stereo call is 0.92 GB as float32, most of a 1 GB budget before any model is loaded; as
    16-bit PCM it is 0.46 GB, with quantisation noise at -96 dBFS, far below any telephone line's floor.
    Shorter calls keep float32, so they decode exactly as they always did.

    Parameters
    ----------
    path : audio file (wav incl. µ-law/A-law, mp3, m4a, ogg, flac, ...)
    sample_rate : output rate in Hz
    max_duration : refuse files longer than this many seconds (None: no limit)

    Raises
    ------
    AudioError
        Missing, unreadable, not audio, no audio stream, empty, more than two channels, too long.
    """
    import av  # PyAV ships with faster-whisper; imported lazily to keep ``import callscore`` light

    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: file not found")
    if p.is_dir():
        raise AudioError(f"{p}: is a folder, not an audio file")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: file is empty (0 bytes)")

    try:
        container = av.open(str(p), metadata_errors="ignore")
    except av.error.InvalidDataError as e:
        raise AudioError(f"{p}: not an audio file or an unsupported format") from e
    except (av.error.FFmpegError, OSError) as e:
        raise AudioError(f"{p}: cannot be read ({e.strerror or e})") from e

    with container:
        if not container.streams.audio:
            raise AudioError(f"{p}: has no audio stream")
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        if ctx is None:  # a damaged header can name a codec FFmpeg has no decoder for
            raise AudioError(f"{p}: audio stream has an unknown or unsupported codec")
        src_rate = int(ctx.sample_rate or stream.rate or 0)
        src_channels = int(ctx.channels or 0)
        codec = ctx.name or ""
        if src_channels > 2:
            raise AudioError(
                f"{p}: has {src_channels} channels; callscore expects mono or stereo (agent/customer)"
            )
        if max_duration is not None and stream.duration and stream.time_base:
            declared = float(stream.duration * stream.time_base)
            if declared > max_duration:
                raise AudioError(_too_long(p, declared, max_duration))

        layout = "stereo" if src_channels == 2 else "mono"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
        declared_s = (
            float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
        )
        # A crafted header may declare any length: never reserve more than the limit allows.
        expect_s = min(declared_s, max_duration if max_duration is not None else MAX_DURATION)
        buf = _SampleBuffer(2 if src_channels == 2 else 1, int(expect_s * sample_rate) + sample_rate)
        if buf.float_bytes(int(expect_s * sample_rate)) > FLOAT_LIMIT_BYTES:
            buf.to_pcm16()
        limit = None if max_duration is None else int(max_duration * sample_rate)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    buf.add(out.to_ndarray())
                if limit is not None and buf.n > limit:
                    raise AudioError(_too_long(p, buf.n / sample_rate, max_duration or 0.0))
            for out in resampler.resample(None):
                buf.add(out.to_ndarray())
        except (av.error.FFmpegError, OSError) as e:
            raise AudioError(f"{p}: corrupt audio data ({e.strerror or e})") from e
        container_name = container.format.name if container.format else ""

    if buf.n == 0:
        raise AudioError(f"{p}: contains no audio samples (empty or corrupt)")
    samples = buf.result()
    if samples.dtype == np.float32:  # int16 was clipped on the way in
        np.clip(samples, -1.0, 1.0, out=samples)

    identical = samples.shape[0] == 2 and channels_identical(samples[0], samples[1])
    if identical:
        samples = samples[:1]
    info = AudioInfo(
        path=str(path),
        sha256=file_sha256(p),
        duration=round(samples.shape[1] / sample_rate, 6),
        sample_rate=src_rate or sample_rate,
        channels=src_channels or samples.shape[0],
        codec=codec,
        container=container_name,
        identical_channels=identical,
    )
    return Audio(samples=samples, sample_rate=sample_rate, info=info)


class _SampleBuffer:
    """Decoded samples written straight into one preallocated (channels, n) array.

    Collecting decoder frames in a list and concatenating them held every sample twice (0.9 GB for a
    2-hour mono call); here the array is sized from the container's declared duration (untouched pages
    cost no memory), grows by half when that was short, and is trimmed in place. It holds float32 until
    that would pass ``FLOAT_LIMIT_BYTES``, then int16 (:meth:`to_pcm16`).
    """

    def __init__(self, channels: int, capacity: int) -> None:
        self.buf = np.empty((channels, max(capacity, 1)), dtype=np.float32)
        self.n = 0

    def float_bytes(self, n: int) -> int:
        """Bytes ``n`` samples per channel take as float32."""
        return 4 * self.buf.shape[0] * n

    def to_pcm16(self) -> None:
        """Hold the samples as int16 from now on (those already decoded are converted block by block)."""
        if self.buf.dtype == np.int16:
            return
        pcm = file_backed(self.buf.shape, np.int16)
        for a in range(0, self.n, MOVE_BLOCK):
            b = min(self.n, a + MOVE_BLOCK)
            pcm[:, a:b] = _pcm16(self.buf[:, a:b])
            _release_rows(pcm, a, b)
        self.buf = pcm

    def add(self, arr: np.ndarray) -> None:
        k = arr.shape[1]
        if self.n + k > self.buf.shape[1]:
            if self.buf.dtype == np.float32 and self.float_bytes(self.n + k) > FLOAT_LIMIT_BYTES:
                self.to_pcm16()
            shape = (self.buf.shape[0], int((self.n + k) * 1.5) + 1)
            if self.buf.dtype == np.int16:
                bigger = file_backed(shape, np.int16)
                for a in range(0, self.n, MOVE_BLOCK):
                    b = min(self.n, a + MOVE_BLOCK)
                    bigger[:, a:b] = self.buf[:, a:b]
                    _release_rows(bigger, a, b)
            else:
                bigger = np.empty(shape, dtype=np.float32)
                bigger[:, : self.n] = self.buf[:, : self.n]
            self.buf = bigger
        if self.buf.dtype == np.int16:
            self.buf[:, self.n : self.n + k] = _pcm16(arr)
            if (self.n + k) // MOVE_BLOCK > self.n // MOVE_BLOCK:  # a block filled: let its pages go
                _release_rows(self.buf, self.n // MOVE_BLOCK * MOVE_BLOCK, self.n + k)
        else:
            self.buf[:, self.n : self.n + k] = arr
        self.n += k

    def result(self) -> np.ndarray:
        """The samples, shape (channels, n), C-contiguous, sharing the buffer (no second copy)."""
        ch, cap = self.buf.shape
        n = self.n
        if ch == 1 or n == cap:
            return self.buf[:, :n]
        flat = self.buf.reshape(-1)
        for c in range(1, ch):  # move each row left onto the end of the previous, block by block
            for a in range(0, n, MOVE_BLOCK):
                b = min(n, a + MOVE_BLOCK)
                flat[c * n + a : c * n + b] = flat[c * cap + a : c * cap + b]
                release(flat[max(c * n + a - MOVE_BLOCK, 0) : c * cap + b])
        return flat[: ch * n].reshape(ch, n)


def _release_rows(buf: np.ndarray, a: int, b: int) -> None:
    """Let go of columns ``a:b`` of every row of a file-backed buffer (see ``audio.model.release``)."""
    for row in buf:
        release(row[max(a - MOVE_BLOCK, 0) : b])


def _pcm16(x: np.ndarray) -> np.ndarray:
    """float samples as int16 PCM (rounded, clipped to full scale)."""
    return np.clip(np.rint(x * PCM_SCALE), -PCM_SCALE, PCM_SCALE - 1).astype(np.int16)


def channels_identical(
    left: np.ndarray, right: np.ndarray, *, tolerance: float = IDENTICAL_TOLERANCE
) -> bool:
    """True when two channels carry the same signal (a mono call saved as stereo).

    Read a block at a time (float32 or int16 channels): the whole difference of two 2-hour channels
    would be another 0.46 GB.
    """
    if left.shape != right.shape:
        return False
    if left.size == 0:
        return True
    peak, sum_sq, diff_sq = 0.0, 0.0, 0.0
    for (_, a), (_, b) in zip(float_blocks(left), float_blocks(right), strict=True):
        diff = a - b
        peak = max(peak, float(np.max(np.abs(diff), initial=0.0)))
        sum_sq += float(np.sum(np.square(a + b) / 4, dtype=np.float64))
        diff_sq += float(np.sum(np.square(diff), dtype=np.float64))
    if peak <= tolerance:
        return True
    signal = float(np.sqrt(sum_sq / left.size))
    residual = float(np.sqrt(diff_sq / left.size))
    return bool(signal > 0 and 20 * np.log10(max(residual, 1e-12) / signal) <= IDENTICAL_RATIO_DB)


def _too_long(p: Path, seconds: float, limit: float) -> str:
    return (
        f"{p}: recording is {seconds / 3600:.1f} h long, over the {limit / 3600:.1f} h limit "
        "(split it into parts under the limit and score each part)"
    )
