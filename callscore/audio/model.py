"""The audio stage's data: decoded samples and what is known of the source recording."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
        samples: float32 array of shape (channels, n_samples) at ``sample_rate``, values in [-1, 1].
            Identical stereo channels are collapsed to one.
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
        """One channel as a 1-D float32 array."""
        return self.samples[index]
