"""ASR speed per backend on the same audio: real-time factor and faster-whisper's lead over openai-whisper.

    PYTHONPATH=. python benchmarks/asr_speed.py [AUDIO ...] [--backends faster-whisper,openai-whisper]
        [--beam 5] [--threads N] [--compute-type int8] [--temperature 0,0.2,...] [--minutes 5]
        [--json out.json]

Without files, a ~5 minute synthetic Indonesian call (espeak-ng sentences, two voices, pauses) is built in
memory; its script is the reference for a word error rate. Every backend decodes the same 16 kHz
mono audio, whole (no VAD gating, so every second is decoded), with the same beam and CPU threads, word
timestamps on, the bundled Whisper base weights. Each backend first decodes 3 s once, untimed, so
one-time costs (numba JIT, lazy imports) are not counted; its load time (including a first conversion
of the weights) is reported apart. RTF = decoding seconds / audio seconds (lower is faster).

Targets on the 2-core dev machine: faster-whisper RTF <= 0.12 on a 5 minute call, >= 3x faster than
openai-whisper. On a shared machine absolute times are pessimistic; the ratio comes from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from callscore.asr.base import DecodeSettings
from callscore.transcript.textnorm import plain_text

SAMPLE_RATE = 16000  # Hz
WARMUP_S = 3.0  # s of audio decoded untimed per backend
BATCHED = 4  # clips per batch for the batched run (measured fastest on 2 cores)
TARGET_RTF = 0.12  # faster-whisper on a 5 minute call, 2 cores
TARGET_SPEEDUP = 3.0  # faster-whisper vs openai-whisper
PAUSE_RANGE = (0.4, 1.2)  # s of silence between sentences
VOICES = ("id", "id+f3")  # agent, customer
SPEED_WPM = 135  # espeak-ng words per minute (faster synthetic speech is poorly intelligible)

DIALOGUE = (
    "Selamat pagi, terima kasih sudah menghubungi layanan pelanggan Bank Sejahtera, dengan Rina di sini.",
    "Pagi mbak, saya mau tanya soal tagihan kartu kredit saya bulan ini.",
    "Baik bapak, boleh saya tahu nama lengkap dan nomor kartu yang terdaftar?",
    "Nama saya Budi Santoso, nomor kartunya berakhiran empat lima enam tujuh.",
    "Terima kasih pak Budi, mohon ditunggu sebentar, saya periksa datanya terlebih dahulu.",
    "Iya mbak, silakan.",
    "Terima kasih sudah menunggu. Di tagihan bulan ini ada transaksi sebesar dua juta rupiah.",
    "Nah itu dia mbak, saya tidak merasa melakukan transaksi itu.",
    "Baik pak, saya mengerti kekhawatiran bapak. Transaksi itu tercatat pada tanggal dua belas.",
    "Tanggal dua belas saya sedang di luar kota dan kartunya ada di rumah.",
    "Kalau begitu saya akan bantu ajukan sanggahan transaksi untuk bapak.",
    "Berapa lama prosesnya mbak?",
    "Proses sanggahan biasanya memakan waktu empat belas hari kerja, pak.",
    "Apakah kartu saya perlu diblokir dulu?",
    "Untuk keamanan, saya sarankan kartu diblokir dan kami kirimkan kartu pengganti.",
    "Baik, tolong diblokir saja mbak.",
    "Kartu sudah saya blokir. Kartu pengganti akan dikirim ke alamat rumah dalam tujuh hari kerja.",
    "Apakah ada biaya untuk kartu pengganti?",
    "Tidak ada biaya pak, karena ini terkait dugaan penyalahgunaan kartu.",
    "Oke, terima kasih mbak, sangat membantu.",
    "Sama sama pak. Apakah ada lagi yang bisa saya bantu?",
    "Satu lagi mbak, bagaimana cara mengubah batas kredit saya?",
    "Bapak bisa mengajukan perubahan batas kredit melalui aplikasi atau lewat telepon seperti ini.",
    "Kalau lewat telepon sekarang bisa?",
    "Bisa pak, tetapi pengajuan akan diproses setelah kartu pengganti aktif.",
    "Baik kalau begitu nanti saja saya hubungi lagi.",
    "Baik pak Budi. Nomor laporan sanggahan bapak adalah tujuh delapan sembilan satu dua.",
    "Tujuh delapan sembilan satu dua, sudah saya catat.",
    "Terima kasih sudah menghubungi Bank Sejahtera, selamat pagi dan semoga harinya menyenangkan.",
    "Terima kasih mbak, selamat pagi.",
)


def synth_call(*, seconds: float, seed: int = 0) -> tuple[np.ndarray, str, np.ndarray]:
    """A 16 kHz call of at least ``seconds``: the dialogue repeated, voices alternating, pauses.

    Returns
    -------
    (samples, script, stereo) : float32 mono array of shape (n,), the spoken text in order (WER
    reference), and the same call as a call recorder stores it, shape (2, n): agent left, customer right.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from callsynth import say

    rng = np.random.default_rng(seed)
    parts: list[np.ndarray] = []
    said: list[str] = []
    total = 0
    k = 0
    while total < seconds * SAMPLE_RATE:
        text = DIALOGUE[k % len(DIALOGUE)]
        speech = say(text, VOICES[k % 2], SPEED_WPM + 10 * (k % 2))
        pause = np.zeros(int(rng.uniform(*PAUSE_RANGE) * SAMPLE_RATE), dtype=np.float32)
        parts += [np.asarray(speech, dtype=np.float32), pause]
        said.append(text)
        total += speech.size + pause.size
        k += 1
    mono = np.concatenate(parts)
    stereo = np.zeros((2, mono.size), dtype=np.float32)
    at = 0
    for i in range(0, len(parts), 2):  # (speech, pause) pairs; sentence i // 2 is said by voice (i // 2) % 2
        n = parts[i].size
        stereo[(i // 2) % 2, at : at + n] = parts[i]
        at += n + parts[i + 1].size
    return mono, " ".join(said), stereo


def run_pipeline(stereo: np.ndarray, *, threads: int, batch_size: int) -> dict[str, float | str]:
    """callscore's own path on a stereo call: default faster-whisper settings, each channel gated by voice
    activity and transcribed apart, transcript cache off. RTF is wall time over the call's duration.
    ``batch_size`` 1 is Whisper's sequential long-form loop, more decodes that many 30 s clips at once."""
    from callscore.audio.model import Audio, AudioInfo
    from callscore.transcript.transcribe import TranscribeOptions, transcribe_audio

    duration = stereo.shape[1] / SAMPLE_RATE
    info = AudioInfo(
        path="synthetic-stereo.wav",
        sha256="0" * 64,
        duration=duration,
        sample_rate=SAMPLE_RATE,
        channels=2,
        codec="pcm_f32le",
    )
    audio = Audio(samples=stereo, sample_rate=SAMPLE_RATE, info=info)
    options = TranscribeOptions(cpu_threads=threads, decode=DecodeSettings(batch_size=batch_size))
    warm = Audio(samples=stereo[:, : 3 * SAMPLE_RATE], sample_rate=SAMPLE_RATE, info=info)
    transcribe_audio(warm, options=options, use_cache=False)  # warm-up: model load, JIT
    t0 = time.perf_counter()
    t = transcribe_audio(audio, options=options, use_cache=False)
    took = time.perf_counter() - t0
    words = sorted(t.words(), key=lambda w: w.start)
    return {
        "duration_s": duration,
        "wall_s": took,
        "rtf": took / duration,
        "words": float(len(words)),
        "text": " ".join(w.text.strip() for w in words),
    }


def load_input(path: Path) -> np.ndarray:
    """A file's channels mixed to mono at 16 kHz (callscore's own decoder)."""
    from callscore.audio.decode import load_audio

    return load_audio(path).samples.mean(axis=0).astype(np.float32)


def wer(reference: str, hypothesis: str) -> float | None:
    """Word error rate, or None when jiwer (a dev dependency) is missing."""
    try:
        import jiwer
    except ImportError:
        return None
    return float(jiwer.wer(plain_text(reference), plain_text(hypothesis)))


def run_backend(
    name: str,
    audio: np.ndarray,
    *,
    beam: int,
    threads: int,
    compute_type: str,
    temperature: tuple[float, ...],
) -> dict[str, float | str]:
    """Load ``name``, warm it up, decode ``audio`` once; times in s."""
    from callscore.asr import load_backend

    settings = DecodeSettings(language="id", beam_size=beam, temperature=temperature)
    t0 = time.perf_counter()
    backend = load_backend(name, None, compute_type=compute_type, cpu_threads=threads)
    load_s = time.perf_counter() - t0
    backend.transcribe(audio[: int(WARMUP_S * SAMPLE_RATE)], settings)
    t0 = time.perf_counter()
    segments = backend.transcribe(audio, settings)
    decode_s = time.perf_counter() - t0
    return {
        "backend": name,
        "load_s": load_s,
        "decode_s": decode_s,
        "rtf": decode_s / (audio.size / SAMPLE_RATE),
        "text": " ".join(s.text.strip() for s in segments),
        "words": float(sum(len(s.words) for s in segments)),
    }


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("audio", nargs="*", type=Path, help="audio files (default: a synthetic call)")
    parser.add_argument("--backends", default="faster-whisper,openai-whisper,transformers")
    parser.add_argument("--beam", type=int, default=5, help="beam size for every backend")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU threads per backend")
    parser.add_argument("--compute-type", default="int8", help="faster-whisper compute type (default int8)")
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the synthetic call")
    parser.add_argument(
        "--temperature",
        default=",".join(str(t) for t in DecodeSettings().temperature),
        help='fallback temperatures, comma separated ("0" = no fallback; default: callscore\'s ladder)',
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--no-pipeline", action="store_true", help="skip callscore's own VAD-gated stereo path on the call"
    )
    args = parser.parse_args()
    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    temperature = tuple(float(t) for t in args.temperature.split(","))

    inputs: list[tuple[str, np.ndarray, str | None]] = []
    pipeline_figures: dict[str, dict[str, object]] = {}
    if args.audio:
        inputs = [(str(p), load_input(p), None) for p in args.audio]
    else:
        y, script, stereo = synth_call(seconds=args.minutes * 60)
        inputs = [(f"synthetic Indonesian call ({y.size / SAMPLE_RATE:.0f} s)", y, script)]
        if not args.no_pipeline:
            print(
                "callscore path (stereo, agent left / customer right, VAD-gated per channel, faster-whisper"
            )
            print(f"int8 beam {DecodeSettings().beam_size}, cache off), same call:")
            pipeline = {}
            default = DecodeSettings().batch_size
            for label, batch_size in (("sequential", 1), ("batched", BATCHED)):
                p = run_pipeline(stereo, threads=args.threads, batch_size=batch_size)
                p["wer_vs_script"] = wer(script, str(p["text"])) or 0.0
                pipeline[label] = p
                ok = "meets" if float(p["rtf"]) <= TARGET_RTF else "misses"
                mark = ", default" if batch_size == default else ""
                print(
                    f"  {label:<10} (--batch-size {batch_size}{mark}): {float(p['wall_s']):5.1f} s for "
                    f"{float(p['duration_s']):.0f} s, RTF {float(p['rtf']):.3f} ({ok} the <= {TARGET_RTF} "
                    f"target), {int(float(p['words']))} words, WER/script {float(p['wer_vs_script']):.3f}"
                )
            ratio = float(pipeline["sequential"]["wall_s"]) / float(pipeline["batched"]["wall_s"])
            print(f"  batched is {ratio:.2f}x faster than sequential on this call")
            pipeline_figures = {k: {f: v for f, v in p.items() if f != "text"} for k, p in pipeline.items()}

    print(
        f"threads={args.threads} beam={args.beam} temperatures={temperature} "
        f"faster-whisper compute_type={args.compute_type}"
    )
    results: list[dict[str, object]] = []
    if pipeline_figures:
        results.append({"input": "callscore stereo path", "pipeline": pipeline_figures})
    for label, audio, script in inputs:
        duration = audio.size / SAMPLE_RATE
        print(f"\n{label}: {duration:.1f} s")
        print(f"{'backend':<16}{'load s':>8}{'decode s':>10}{'RTF':>8}{'words':>7}{'WER/script':>12}")
        rows = {}
        for name in names:
            r = run_backend(
                name,
                audio,
                beam=args.beam,
                threads=args.threads,
                compute_type=args.compute_type,
                temperature=temperature,
            )
            r["wer_vs_script"] = wer(script, str(r["text"])) if script else None  # type: ignore[assignment]
            rows[name] = r
            w = r["wer_vs_script"]
            print(
                f"{name:<16}{r['load_s']:>8.1f}{r['decode_s']:>10.1f}{r['rtf']:>8.3f}{int(r['words']):>7}"
                f"{'' if w is None else f'{w:.3f}':>12}"
            )
        entry: dict[str, object] = {"input": label, "duration_s": duration, "backends": rows}
        fw, ow = rows.get("faster-whisper"), rows.get("openai-whisper")
        if fw:
            ok = "meets" if float(fw["rtf"]) <= TARGET_RTF else "misses"
            print(f"faster-whisper RTF {float(fw['rtf']):.3f} ({ok} the <= {TARGET_RTF} target)")
            for other in rows.values():
                if other is not fw:
                    agree = wer(str(fw["text"]), str(other["text"]))
                    if agree is not None:
                        print(f"WER {other['backend']} vs faster-whisper: {agree:.3f}")
        if fw and ow:
            speedup = float(ow["decode_s"]) / float(fw["decode_s"])
            entry["speedup_faster_vs_openai"] = speedup
            ok = "meets" if speedup >= TARGET_SPEEDUP else "misses"
            print(f"faster-whisper is {speedup:.2f}x faster than openai-whisper", end=" ")
            print(f"({ok} the >= {TARGET_SPEEDUP}x target)")
        results.append(entry)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
