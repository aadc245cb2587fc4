"""Peak memory of scoring long calls: the pitch tracker alone, and a whole ``score`` of a 2-hour stereo
call and a 1-hour mono call, transcription included; plus the transcript a long channel gets piece by
piece against the same channel transcribed in one go.

    PYTHONPATH=. python benchmarks/long_call_memory.py [--minutes 1,5,10] [--hours 2] [--mono-hours 1]
        [--wer-minutes 12] [--json out.json]

Each memory figure is the peak resident set of a fresh Python process (``VmHWM`` of /proc/self/status:
anonymous and file-backed pages; not ``ru_maxrss``, which on Linux keeps the parent's peak from before
exec), so imports (numpy, scipy, PyAV, CTranslate2, onnxruntime) and the Whisper model are included and
nothing of one run inflates the next.

1. Pitch (``track_pitch``) on N minutes of one synthetic voice (a gliding two-harmonic tone with pauses):
   chunked (the shipped ``CHUNK_FRAMES``) against the same tracker with the whole call in one block
   (``CHUNK_FRAMES`` set huge), which is what callscore did before (190 / 558 / 1015 MB for 1 / 5 / 10
   min in issue 16). The chunked peak should be flat in N apart from the signal itself.
2. ``pipeline.score_path`` of a synthetic call, transcript cache off, default settings (Whisper base
   int8, beam 5, prosody, sentiment, redact=text): a minute-long conversation of espeak-ng turns (agent
   on the left channel, customer on the right, pauses and a dead-air gap between turns, line noise at
   -60 dBFS) repeated to the length asked, written as 16-bit WAV. The peak after each stage (load_audio,
   transcribe, analysis + rubric) is printed, with the 1 GB target met or missed. A mono call is the
   two channels mixed (diarization then runs too).
3. WER of a ~12-minute mono call of the same turns transcribed as shipped (pieces of ``vad.PIECE_S`` of
   speech) and with ``PIECE_S`` set unlimited (the whole channel at once, as before), against the text
   that was spoken: long-call accuracy must not suffer from the pieces.
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
NOISE_DB = -60.0  # dBFS line noise on both channels
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
import sys
import callscore.prosody.pitch as pitch
if sys.argv[2] == "block":
    pitch.CHUNK_FRAMES = 10**9
y = voice(float(sys.argv[1]) * 60)
track = pitch.track_pitch(y=y, sr={sr})
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
print(hwm / 1024, float(track.voiced.mean()))
""".replace("{sr}", str(SR))
)

# A minute of conversation: (speaker, text, pause after in s). Agent = 0 (left), customer = 1 (right).
TURNS = (
    (0, "Selamat pagi, terima kasih telah menghubungi layanan pelanggan, dengan saya Rina.", 0.8),
    (1, "Selamat pagi, saya mau menanyakan tagihan bulan ini yang terlalu besar.", 0.6),
    (0, "Baik, boleh saya minta nomor pelanggan Bapak terlebih dahulu?", 1.2),
    (1, "Nomor pelanggan saya satu dua tiga empat lima enam tujuh delapan.", 4.0),
    (0, "Terima kasih, saya periksa dulu datanya, mohon ditunggu sebentar.", 0.7),
    (1, "Iya, silakan, saya tunggu.", 1.5),
    (0, "Ada biaya tambahan untuk paket internet yang aktif tanggal lima belas.", 0.9),
    (1, "Saya tidak pernah mengaktifkan paket itu, tolong dibatalkan saja.", 0.6),
    (0, "Mohon maaf atas ketidaknyamanannya, paket sudah saya batalkan dan dananya dikembalikan.", 1.0),
    (1, "Baik, terima kasih banyak atas bantuannya.", 0.8),
    (0, "Apakah ada lagi yang bisa saya bantu? Terima kasih dan selamat pagi.", 2.5),
)
VOICES = ("id", "id+m3")  # espeak-ng voices of agent and customer


def conversation() -> tuple[object, str, float]:
    """One cycle of :data:`TURNS`: (stereo float32 (2, n), its text, its length in s)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from callsynth import Utterance, render

    t, utts = 0.5, []
    for speaker, text, pause in TURNS:
        u = Utterance(speaker, t, text, VOICES[speaker])
        utts.append(u)
        t = u.end + pause
    return render(utts, duration=t, noise_db=NOISE_DB), " ".join(x[1] for x in TURNS), t


def write_call(path: Path, seconds: float, *, mono: bool) -> tuple[Path, str]:
    """A 16-bit WAV of the conversation repeated to ``seconds`` (written a cycle at a time), and the text
    of every turn that is wholly in it."""
    import numpy as np
    import soundfile as sf

    stereo, text, cycle = conversation()
    y = np.asarray(stereo)
    if mono:
        mixed = y.sum(axis=0)
        y = (mixed / max(1.0, float(np.max(np.abs(mixed))) / 0.9))[None, :]
    n_total, n_cycle = int(seconds * SR), y.shape[1]
    words: list[str] = []
    with sf.SoundFile(path, "w", samplerate=SR, channels=y.shape[0], subtype="PCM_16") as f:
        for a in range(0, n_total, n_cycle):
            k = min(n_cycle, n_total - a)
            f.write(y[:, :k].T)
            if k == n_cycle:
                words.append(text)
    return path, " ".join(words)


_SCORE = """
import json, sys, time
t0 = time.perf_counter()
stages = []
def mark(name):
    hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
    stages.append({"stage": name, "peak_mb": hwm / 1024, "s": round(time.perf_counter() - t0, 1)})
import callscore.pipeline as pipeline
mark("imports")
def staged(name, fn):
    def run(*a, **k):
        out = fn(*a, **k)
        mark(name)
        return out
    return run
pipeline.load_audio = staged("load_audio", pipeline.load_audio)
pipeline.transcribe_audio = staged("transcribe", pipeline.transcribe_audio)
pipeline.score_transcript_and_audio = staged("analysis + rubric", pipeline.score_transcript_and_audio)
result = pipeline.score_path(sys.argv[1], options=pipeline.PipelineOptions(use_cache=False))
mark("score_path done")
card = result.scorecard
words = sum(len(s.words) for s in result.transcript.segments)
print(json.dumps({"stages": stages, "words": words, "total": card.total,
                  "duration": result.transcript.audio.duration}))
"""

_WER = """
import json, sys
import callscore.audio.vad as vad
from callscore.audio.decode import load_audio
from callscore.transcript.transcribe import transcribe_audio
if sys.argv[2] == "whole":
    vad.PIECE_S = float("inf")
audio = load_audio(sys.argv[1])
t = transcribe_audio(audio, use_cache=False)
print(json.dumps({"text": " ".join(s.text for s in t.segments)}))
"""


def _json(code: str, *args: str) -> dict[str, object]:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _run(code: str, *args: str) -> list[float]:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{res.stderr}")
    return [float(x) for x in res.stdout.split()]


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate after callscore's own WER normalisation (case, punctuation, numbers)."""
    import jiwer

    from callscore.transcript.textnorm import wer_tokens

    return float(jiwer.wer(" ".join(wer_tokens(reference)), " ".join(wer_tokens(hypothesis))))


def score_call(hours: float, *, mono: bool) -> dict[str, object]:
    """Peak RSS per stage of ``score_path`` on a synthetic call of ``hours``."""
    kind = "mono" if mono else "stereo"
    with tempfile.TemporaryDirectory(prefix="callscore-long-") as tmp:
        wav, _ = write_call(Path(tmp) / f"long_{kind}.wav", hours * 3600, mono=mono)
        out = _json(_SCORE, str(wav))
    stages = out["stages"]
    assert isinstance(stages, list)
    peak = float(stages[-1]["peak_mb"])
    print(f"\n{hours:g} h {kind} call, score_path (cache off): {out['words']} words, total {out['total']}")
    print(f"{'stage':>20} {'peak MB':>8} {'at s':>7}")
    for st in stages:
        print(f"{st['stage']:>20} {st['peak_mb']:8.0f} {st['s']:7.0f}")
    ok = "met" if peak < TARGET_MB else "MISSED"
    print(f"peak {peak:.0f} MB (target < {TARGET_MB:.0f} MB: {ok})")
    return {"hours": hours, "channels": 1 if mono else 2, "peak_mb": peak, "met": peak < TARGET_MB, **out}


def piece_wer(minutes: float) -> dict[str, object]:
    """WER of a mono call transcribed in pieces and in one go."""
    with tempfile.TemporaryDirectory(prefix="callscore-wer-") as tmp:
        wav, truth = write_call(Path(tmp) / "wer.wav", minutes * 60, mono=True)
        pieces = str(_json(_WER, str(wav), "pieces")["text"])
        whole = str(_json(_WER, str(wav), "whole")["text"])
    w_pieces, w_whole = wer(truth, pieces), wer(truth, whole)
    print(
        f"\n{minutes:g} min mono call: WER in pieces {w_pieces:.3f}, in one go {w_whole:.3f} "
        f"({len(truth.split())} words spoken)"
    )
    return {"minutes": minutes, "wer_pieces": w_pieces, "wer_whole": w_whole, "words": len(truth.split())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", default="1,5,10", help="pitch lengths to measure (minutes; '' = skip)")
    ap.add_argument("--hours", type=float, default=2.0, help="length of the stereo call scored (0 = skip)")
    ap.add_argument("--mono-hours", type=float, default=1.0, help="length of the mono call (0 = skip)")
    ap.add_argument("--wer-minutes", type=float, default=12.0, help="length of the WER call (0 = skip)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the one-block pitch baseline")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    report: dict[str, object] = {"pitch": []}
    minutes = [float(x) for x in args.minutes.split(",") if x]
    if minutes:
        print("pitch tracking, one speaker (peak RSS of a fresh process, MB)")
        print(f"{'minutes':>8} {'chunked':>9} {'one block':>10} {'ratio':>6}")
    for m in minutes:
        chunked = _run(_PITCH, str(m), "chunked")[0]
        block = None if args.no_baseline else _run(_PITCH, str(m), "block")[0]
        ratio = f"{block / chunked:5.1f}x" if block else "   -"
        print(f"{m:8.1f} {chunked:9.0f} {block if block is not None else float('nan'):10.0f} {ratio:>6}")
        report["pitch"].append({"minutes": m, "chunked_mb": chunked, "one_block_mb": block})  # type: ignore[union-attr]
    if args.hours > 0:
        report["stereo_call"] = score_call(args.hours, mono=False)
    if args.mono_hours > 0:
        report["mono_call"] = score_call(args.mono_hours, mono=True)
    if args.wer_minutes > 0:
        report["pieces_wer"] = piece_wer(args.wer_minutes)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
