"""Prosody time as a fraction of transcription time, on the same call (target: <= 10 %).

    PYTHONPATH=. python benchmarks/prosody_speed.py [CALL.wav] [--pyin]

Without a file, a ~2 minute stereo call is synthesised with espeak-ng (agent left, customer right; needs
Debian espeak-ng and sox). Transcription runs with the default model and options, cache off. Prosody is
timed twice: "cold" includes first-use imports (scipy.fft/signal), "warm" is the steady cost per call in a
batch. ``--pyin`` also times librosa's pyin on the agent's channel, the accurate but slow alternative.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def synth_call(folder: Path) -> Path:
    """Write a synthetic stereo call to ``folder`` and return its path."""
    import soundfile as sf

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from prosody_synth import Voice, agent_plan, make_call

    voice = Voice(folder)
    call = make_call(voice, agent_plan(voice, repeats=2), folder=folder)
    path = folder / "synthetic-call.wav"
    sf.write(path, call.audio.samples.T, 16000, subtype="PCM_16")
    return path


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("call", nargs="?", type=Path, help="call audio (default: a synthetic call)")
    parser.add_argument("--pyin", action="store_true", help="also time librosa.pyin on the agent channel")
    args = parser.parse_args()

    from callscore.audio.decode import load_audio
    from callscore.prosody.report import analyze_prosody
    from callscore.transcript.transcribe import transcribe_audio

    with tempfile.TemporaryDirectory() as tmp:
        path = args.call or synth_call(Path(tmp))
        audio = load_audio(path)
        t0 = time.perf_counter()
        transcript = transcribe_audio(audio, use_cache=False)
        t_asr = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = analyze_prosody(audio, transcript)
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = analyze_prosody(audio, transcript)
        t_warm = time.perf_counter() - t0

    print(
        f"call: {path.name if args.call else 'synthetic espeak-ng call'}, {audio.duration:.1f} s, "
        f"{audio.samples.shape[0]} channel(s), {len(transcript.words())} words"
    )
    print(f"transcription (default model, cache off): {t_asr:.2f} s  (RTF {t_asr / audio.duration:.3f})")
    print(
        f"prosody, cold (first use, imports): {t_cold:.3f} s = {100 * t_cold / t_asr:.1f} % of transcription"
    )
    print(
        f"prosody, warm (per call in a batch): {t_warm:.3f} s = {100 * t_warm / t_asr:.1f} % of transcription"
        f" = {100 * t_warm / audio.duration:.2f} % of audio duration"
    )
    print(
        f"target <= 10 % of transcription: {'met' if t_cold <= 0.1 * t_asr else 'NOT met'} (cold), "
        f"{'met' if t_warm <= 0.1 * t_asr else 'NOT met'} (warm)"
    )
    for sp in report.speakers:
        print(f"  {sp.speaker} ({sp.role}): {sp.calm.reason} | {sp.confidence.reason}")

    if args.pyin:
        import librosa

        y = audio.channel(0)
        t0 = time.perf_counter()
        librosa.pyin(y, fmin=60, fmax=400, sr=audio.sample_rate, frame_length=1024, hop_length=160)
        t_pyin = time.perf_counter() - t0
        speech = float(np.sum([w.end - w.start for w in transcript.words(channel=0)]))
        print(
            f"librosa.pyin on the whole agent channel ({audio.duration:.0f} s, {speech:.0f} s of words): "
            f"{t_pyin:.2f} s = {100 * t_pyin / t_asr:.1f} % of transcription"
        )


if __name__ == "__main__":
    main()
