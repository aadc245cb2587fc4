"""The audio stage's data: decoded samples and what is known of the source recording."""

from __future__ import annotations

import mmap
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

PCM_SCALE = 32768.0  # int16 full scale: float = int16 / PCM_SCALE, as FFmpeg converts s16 to float
FAULT_AROUND_BYTES = 256 << 10  # more than the kernel maps around a page fault (fault_around_bytes)
BLOCK = 60 * 16000  # samples converted to float at a time by :func:`float_blocks` (1 min at 16 kHz)


def as_float32(y: np.ndarray) -> np.ndarray:
    """``y`` as float32 in [-1, 1]: int16 PCM is scaled (a copy), float32 is returned as is (no copy).

    Long calls are held as int16 in a file-backed map (see :class:`Audio`); every reader converts the
    piece it works on, never the whole channel, and the piece's pages of the map are let go once read.
    """
    if y.dtype == np.int16:
        out = y.astype(np.float32)
        out *= np.float32(1.0 / PCM_SCALE)
        release(y)
        return out
    return np.asarray(y, dtype=np.float32)


def float_blocks(y: np.ndarray, block: int = BLOCK) -> Iterator[tuple[int, np.ndarray]]:
    """(start, float32 piece) of ``y`` a block at a time, so a pass over a channel holds one block."""
    for a in range(0, y.size, block):
        yield a, as_float32(y[a : a + block])


def file_backed(shape: tuple[int, ...], dtype: type[np.generic]) -> np.ndarray:
    """A zeroed array whose memory is a (deleted) temporary file, mapped shared.

    The decoded samples of a long call live here: pages a reader has let go (:func:`release`) stay in
    the page cache, which the kernel may write out and reclaim, instead of in this process's resident
    memory, so a 2-hour call's 0.46 GB of int16 is not all resident at once.
    """
    with tempfile.TemporaryFile(prefix="callscore-audio-") as f:
        return np.memmap(f, dtype=dtype, mode="w+", shape=shape)


def release(y: np.ndarray) -> None:
    """Let go of the pages under ``y`` when it is a view of a :func:`file_backed` array (else nothing).

    The data stays in the file; reading ``y`` again maps it back in. The pages at ``y``'s two ends, and
    those just before it, are let go too, though they hold neighbouring samples: the map is shared with
    its file (``w+``), so a dropped page is read back unchanged, and many short reads (a speaker's word
    spans) would otherwise leave resident every page they or the kernel's fault-around touched.
    """
    mm = _mapping_of(y)
    if mm is None or y.size == 0 or not y.flags.c_contiguous:
        return
    base = np.frombuffer(mm, dtype=np.uint8).__array_interface__["data"][0]
    start = y.__array_interface__["data"][0] - base
    end = start + y.nbytes
    # Reading one page maps its neighbours too (the kernel's fault-around, 64-128 kB aligned), and that
    # maps back pages just behind ``y`` that an earlier short read had let go: drop those with it.
    first = max(0, start - FAULT_AROUND_BYTES) // mmap.PAGESIZE * mmap.PAGESIZE
    last = min(-(-end // mmap.PAGESIZE) * mmap.PAGESIZE, len(mm))
    if last > first:
        mm.madvise(mmap.MADV_DONTNEED, first, last - first)


def _mapping_of(y: np.ndarray) -> mmap.mmap | None:
    """The map under ``y``, found through its bases: ``np.ascontiguousarray`` and friends hand back
    plain-ndarray views of a memmap, which no longer carry its ``_mmap``."""
    obj: object = y
    while obj is not None:
        mm = getattr(obj, "_mmap", None)
        if isinstance(mm, mmap.mmap):
            return mm
        if isinstance(obj, mmap.mmap):
            return obj
        obj = getattr(obj, "base", None)
    return None


@dataclass(frozen=True)
class AudioInfo:
    """What we know of the source recording.

    Attributes:
        path: The file as given (not resolved, so reports stay readable).
        sha256: Hash of the file bytes; keys the transcript cache and the batch skip logic.
        duration: Length in seconds.
        sample_rate: Original sample rate in Hz (8000 for telephone recordings).
        channels: Channels in the file.
        codec: Codec name as FFmpeg reports it ("pcm_mulaw", "mp3", ...).
        container: Container format ("wav", "mp3", "mov,mp4,m4a,...").
        identical_channels: True when a stereo file carries the same signal twice (treated as mono).
    """

    path: str
    sha256: str
    duration: float
    sample_rate: int
    channels: int
    codec: str = ""
    container: str = ""
    identical_channels: bool = False

    @property
    def analysis_channels(self) -> int:
        """Channels worth analysing separately: 2 for a real stereo call, else 1."""
        return 2 if self.channels >= 2 and not self.identical_channels else 1


@dataclass(frozen=True, eq=False)
class Audio:
    """Decoded audio.

    Attributes:
        samples: array of shape (channels, n_samples) at ``sample_rate``: float32 in [-1, 1], or, when
            float32 would exceed ``decode.FLOAT_LIMIT_BYTES``, int16 PCM in a :func:`file_backed` map
            (``as_float32`` scales a piece of it and lets its pages go), so a 2-hour stereo call holds
            neither 0.92 GB of float32 nor 0.46 GB of int16 resident. Identical stereo channels are
            collapsed to one.
        sample_rate: Hz (16000 unless asked otherwise).
        info: Facts about the source file.
    """

    samples: np.ndarray
    sample_rate: int
    info: AudioInfo

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.samples.shape[1] / self.sample_rate

    def channel(self, index: int) -> np.ndarray:
        """One channel as stored (float32 or int16, see ``samples``); read it with :func:`float_blocks`."""
        return self.samples[index]

    def float_samples(self) -> np.ndarray:
        """All samples as float32 (a copy only when held as int16): for readers that need the whole."""
        return as_float32(self.samples)
