"""Peak memory of the stages that scale with call length: pitch tracking, and a whole 2-hour call's audio
and prosody.

    PYTHONPATH=. python benchmarks/long_call_memory.py [--minutes 1,5,10] [--hours 2] [--json out.json]

Each figure is the peak resident set (``ru_maxrss``) of a fresh Python process, so imports (numpy, scipy,
PyAV: ~100 MB) are included and nothing of one run inflates the next.

1. Pitch (``track_pitch``) on N minutes of one synthetic voice (a gliding two-harmonic tone with pauses):
   chunked (the shipped ``CHUNK_FRAMES``) against the same tracker with the whole call in one block
   (``CHUNK_FRAMES`` set huge), which is what callscore did before (190 / 558 / 1015 MB for 1 / 5 / 10
   min in issue 16). The chunked peak should be flat in N apart from the signal itself.
2. A 2-hour mono 16 kHz WAV (written to a temp folder, ~230 MB): ``load_audio`` + the prosody frames of
   both speakers (``analyse_frames`` on alternating 6 s turns), the stages of scoring whose memory grows
   with the call. Target: under 1 GB peak.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SR = 16000  # Hz
TARGET_MB = 1024.0  # peak RSS budget for a 2-hour call

_VOICE = f"""
import numpy as np
def voice(seconds, sr={SR}, seed=0):
    # built a minute at a time in float32, so the test signal itself is the only array that scales
    n = int(seconds * sr)
    out = np.empty(n, np.float32)
    rng = np.random.default_rng(seed)
    step = 60 * sr
    for a in range(0, n, step):
        t = np.arange(a, min(n, a + step)) / sr
        phase = 2 * np.pi * (140 * t - 50 / (2 * np.pi * 0.25) * np.cos(2 * np.pi * 0.25 * t))
        y = 0.3 * np.sin(phase) + 0.15 * np.sin(2 * phase)
        y *= np.sin(2 * np.pi * 0.4 * t) > -0.4
        out[a : a + t.size] = y + 0.005 * rng.standard_normal(t.size)
    return out
"""

_PITCH = (
    _VOICE
    + """
import resource, sys
import callscore.prosody.pitch as pitch
if sys.argv[2] == "block":
    pitch.CHUNK_FRAMES = 10**9
y = voice(float(sys.argv[1]) * 60)
track = pitch.track_pitch(y=y, sr={sr})
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, float(track.voiced.mean()))
""".replace("{sr}", str(SR))
)

_LONG = """
import resource, sys
from callscore.audio.decode import load_audio
from callscore.prosody.features import ProsodyOptions, analyse_frames
audio = load_audio(sys.argv[1], max_duration=None)
y = audio.samples[0]
dur = y.size / audio.sample_rate
turn = 6.0
starts = [i * 2 * turn for i in range(int(dur // (2 * turn)) + 1)]
agent = [(s, min(s + turn, dur)) for s in starts if s < dur]
customer = [(s + turn, min(s + 2 * turn, dur)) for s, _ in agent if s + turn < dur]
voiced = []
for spans in (agent, customer):
    frames = analyse_frames(y=y, sr=audio.sample_rate, spans=spans, options=ProsodyOptions())
    voiced.append(int((frames.f0 == frames.f0).sum()))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, dur, *voiced)
"""


def _run(code: str, *args: str) -> list[float]:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{res.stderr}")
    return [float(x) for x in res.stdout.split()]


def write_long_wav(path: Path, hours: float) -> Path:
    """A mono 16-bit WAV of ``hours`` of the synthetic voice, written in 10-minute pieces."""
    import numpy as np
    import soundfile as sf

    ns: dict[str, object] = {}
    exec(_VOICE, ns)  # noqa: S102 - our own code string, shared with the subprocesses
    piece = ns["voice"](600.0)  # type: ignore[operator]
    with sf.SoundFile(path, "w", samplerate=SR, channels=1, subtype="PCM_16") as f:
        for _ in range(int(round(hours * 6))):
            f.write(np.asarray(piece))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", default="1,5,10", help="pitch lengths to measure (minutes)")
    ap.add_argument("--hours", type=float, default=2.0, help="length of the long call (0 = skip)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the one-block baseline")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    report: dict[str, object] = {"pitch": []}
    print("pitch tracking, one speaker (peak RSS of a fresh process, MB)")
    print(f"{'minutes':>8} {'chunked':>9} {'one block':>10} {'ratio':>6}")
    for m in [float(x) for x in args.minutes.split(",") if x]:
        chunked = _run(_PITCH, str(m), "chunked")[0]
        block = None if args.no_baseline else _run(_PITCH, str(m), "block")[0]
        ratio = f"{block / chunked:5.1f}x" if block else "   -"
        print(f"{m:8.1f} {chunked:9.0f} {block if block is not None else float('nan'):10.0f} {ratio:>6}")
        report["pitch"].append({"minutes": m, "chunked_mb": chunked, "one_block_mb": block})  # type: ignore[union-attr]

    if args.hours > 0:
        with tempfile.TemporaryDirectory(prefix="callscore-long-") as tmp:
            wav = write_long_wav(Path(tmp) / "long.wav", args.hours)
            peak, dur, *voiced = _run(_LONG, str(wav))
        ok = "met" if peak < TARGET_MB else "MISSED"
        print(
            f"\n{dur / 3600:.2f} h call, load_audio + prosody frames of both speakers: peak {peak:.0f} MB "
            f"(target < {TARGET_MB:.0f} MB: {ok}); voiced frames {voiced}"
        )
        report["long_call"] = {
            "hours": dur / 3600,
            "peak_mb": peak,
            "target_mb": TARGET_MB,
            "met": peak < TARGET_MB,
        }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
