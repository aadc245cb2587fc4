"""Audio stage: decode any call recording to 16 kHz float32 channels, and find where each channel has speech.

``decode`` (PyAV's bundled FFmpeg), ``vad`` (Silero speech spans, the gate in front of ASR), ``activity``
(speech vs other sound per channel, for the timeline and diarization); data types in ``model``.
"""

from callscore.audio.activity import ActivityOptions, ChannelActivity, channel_activity
from callscore.audio.decode import MAX_DURATION, SAMPLE_RATE, SUPPORTED_EXTENSIONS, load_audio
from callscore.audio.model import Audio, AudioInfo
from callscore.audio.vad import VadOptions, speech_spans

__all__ = [
    "MAX_DURATION",
    "SAMPLE_RATE",
    "SUPPORTED_EXTENSIONS",
    "ActivityOptions",
    "Audio",
    "AudioInfo",
    "ChannelActivity",
    "VadOptions",
    "channel_activity",
    "load_audio",
    "speech_spans",
]
