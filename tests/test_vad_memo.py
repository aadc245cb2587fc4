"""Silero runs once per channel: transcription, activity and diarization threshold the same probabilities."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from callscore.audio import vad
from callscore.audio.activity import ActivityOptions, channel_activity
from callscore.audio.decode import load_audio

DATA = Path(__file__).parent / "data"


def test_one_model_run_per_channel_and_the_same_spans_as_without_the_memo(monkeypatch) -> None:
    audio = load_audio(DATA / "short_stereo.wav")
    y = audio.channel(0)
    runs = []
    real = vad._run_silero

    def counting(a: np.ndarray) -> np.ndarray:
        runs.append(a.shape)
        return real(a)

    monkeypatch.setattr(vad, "_run_silero", counting)
    vad._SILERO_PROBS.clear()
    gate = vad.speech_spans(y=y, sr=audio.sample_rate)  # transcription's thresholds
    activity = channel_activity(y=y, sr=audio.sample_rate)  # the timeline's thresholds, same channel
    assert len(runs) == 1 and gate and activity.speech
    vad.speech_spans(y=audio.channel(1), sr=audio.sample_rate)
    assert len(runs) == 2  # another channel is another run

    # Fresh runs of the model (memo emptied before each) give exactly the memoised answers.
    vad._SILERO_PROBS.clear()
    assert vad.speech_spans(y=y, sr=audio.sample_rate) == gate
    vad._SILERO_PROBS.clear()
    assert channel_activity(y=y, sr=audio.sample_rate, options=ActivityOptions()) == activity
