"""Audio redaction check: calls with spoken numbers, redacted, re-transcribed; are any redacted digits heard?

    python benchmarks/pii_audio.py              # (also run by: python benchmarks/pii_accuracy.py --audio)
    python benchmarks/pii_audio.py --keep DIR   # keep the calls and their redacted copies

Each call is two channels made with espeak-ng's Indonesian voices (benchmarks/callsynth.py): the agent asks
for a number, the customer reads it out, both close the call. The bundled Whisper model (public API,
``transcribe_path``) transcribes the call, :func:`callscore.pii.redact` finds and blanks the numbers in the
audio, and the redacted copy is transcribed again. Printed per call: what was detected, the digits Whisper
heard inside the redacted spans before and after redaction (target after: 0), the longest run of a
redacted value's digits anywhere in the re-transcript (target: below 4), and the level left in the spans.

Whisper base hears espeak-ng Indonesian poorly ("delapan" comes back as "darapan", "sa tu"), so the readings
were chosen among those it hears on every CPU path (see CALLS). Skipped cleanly without espeak-ng.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from callsynth import SAMPLE_RATE, Utterance, have_espeak, render, write_wav  # noqa: E402

from callscore.pii import AudioRedactionOptions, redact, write_redacted_audio  # noqa: E402
from callscore.pii.lexicon import load_lexicon  # noqa: E402
from callscore.pii.numbers import number_atoms  # noqa: E402
from callscore.transcript import TranscribeOptions, Transcript, save_transcript, transcribe_path  # noqa: E402  # noqa: E402

GAP = 0.6  # s between turns
GROUP_PAUSE = 0.4  # s of silence between the digit groups of a number read out
MAX_RECOVERED_RUN = 3  # digits: a run of 4 or more of a redacted value heard again is a leak

# (agent question, customer answer in groups said with a pause between, the digits said, customer voice,
# rate in words per minute). Chosen by ear of Whisper base on every CPU path (CT2_FORCE_CPU_ISA=AVX2|AVX512
# x CT2_USE_MKL=0|1): espeak-ng's id voice at 150 wpm, digit groups of four with a 0.4 s pause, and digits
# whose espeak words base hears ("tujuh" came back "tu du" / "tuju tempat", "enam" "aham", a run of "nol"
# lost one, "nol delapan" came back "nolga rapan" where "kosong delapan" is heard); the customer closes
# with "Sudah, itu saja." ("Terima kasih banyak" came back "satu lima kasi").
CALLS = [
    (
        "Nomor HP yang bisa dihubungi?",
        ("Nomor HP saya", "kosong 8 1 2,", "5 2 1 9,", "3 4 5 1."),
        "081252193451",
        "id",
        150,
    ),
    (
        "Boleh sebutkan nomor rekening?",
        ("Nomor rekening saya", "5 2 1 4,", "9 0 3 5,", "1 2."),
        "5214903512",
        "id",
        150,
    ),
    (
        "Untuk verifikasi, NIK Bapak berapa?",
        ("NIK saya", "3 2 0 1,", "1 5 2 5,", "0 5 9 1,", "2 3 4 5."),
        "3201152505912345",
        "id",
        150,
    ),
    (
        "Nomor kartunya berapa?",
        ("Kartu kredit saya", "4 5 3 2,", "1 5 9 4,", "2 3 1 5,", "0 1 2 0."),
        "4532159423150120",
        "id",
        150,
    ),
    (
        "Nomor HP yang bisa dihubungi?",
        ("Nomor HP saya,", "kosong delapan satu tiga,", "dua dua empat lima,", "sembilan satu."),
        "0813224591",
        "id",
        150,
    ),
]


def say_groups(phrases: tuple[str, ...], voice: str, rate: int) -> np.ndarray:
    """``phrases`` said one after another with :data:`GROUP_PAUSE` of silence between them, the way a
    customer reads a number out in groups."""
    from callsynth import say

    pause = np.zeros(int(GROUP_PAUSE * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    for k, phrase in enumerate(phrases):
        parts += [pause] if k else []
        parts.append(say(phrase, voice, rate))
    return np.concatenate(parts)


def make_call(
    question: str, answer: tuple[str, ...], voice: str, rate: int
) -> tuple[np.ndarray, tuple[float, float]]:
    """Stereo call (agent on 0, customer on 1) and the answer's (start, end) in seconds."""
    t = 0.5
    q = Utterance(0, t, question, "id+f2")
    t = q.end + GAP
    a_audio = say_groups(answer, voice, rate)
    a = Utterance(1, t, " ".join(answer), voice)
    # Utterance.audio uses the default speed; place the chosen-rate reading ourselves
    t_end = t + a_audio.size / SAMPLE_RATE
    close_a = Utterance(0, t_end + GAP, "Baik, terima kasih, sudah kami catat.", "id+f2")
    close_c = Utterance(1, close_a.end + GAP, "Sudah, itu saja.", voice)
    duration = close_c.end + 0.8
    stereo = render([q, close_a, close_c], duration=duration, noise_db=-60.0)
    i = int(round(a.start * SAMPLE_RATE))
    stereo[1, i : i + a_audio.size] += a_audio[: stereo.shape[1] - i]
    return stereo, (a.start, t_end)


def heard_digits(transcript: Transcript, spans: list[tuple[float, float]] | None = None) -> str:
    """Digits Whisper wrote (as digits or digit words), all channels, optionally only inside ``spans``."""
    lex = load_lexicon(transcript.info.language or "id")
    words = [
        w
        for w in transcript.words()
        if spans is None or any(a <= (w.start + w.end) / 2 <= b for a, b in spans)
    ]
    tokens = [w.text.strip().lower().strip(",.;:!?") for w in words]
    return "".join(a.digits for a in number_atoms(tokens, lex.numbers))


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest common substring of two digit strings."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def main(argv: list[str] | None = None) -> int:
    """Run every call; exit 1 when a redacted digit is heard again or a number was not detected."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="write calls and redacted copies here")
    ap.add_argument("--margin", type=float, default=AudioRedactionOptions().margin, help="seconds")
    args = ap.parse_args(argv)
    if not have_espeak():
        print("pii_audio: espeak-ng not installed, skipped")
        return 0
    os.environ.setdefault("CALLSCORE_CACHE_DIR", tempfile.mkdtemp(prefix="pii-audio-cache-"))
    opts = TranscribeOptions(cpu_threads=min(4, os.cpu_count() or 1))
    out = args.keep or Path(tempfile.mkdtemp(prefix="pii-audio-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"\n== audio redaction: {len(CALLS)} calls, margin {args.margin:.2f} s, silence fill")
    print(
        f"{'call':<6}{'detected':<34}{'in spans before':>16}{'after':>7}{'longest run':>13}{'span level':>12}"
    )
    totals = {"after": 0, "before": 0, "missed": 0, "leaks": 0}
    t0 = time.perf_counter()
    for k, (question, answer, digits, voice, rate) in enumerate(CALLS):
        stereo, (a0, a1) = make_call(question, answer, voice, rate)
        src = out / f"call{k}.wav"
        write_wav(str(src), stereo)
        original = transcribe_path(src, options=opts, use_cache=False)
        result = redact(
            transcript=original,
            mode="audio",
            samples=stereo,
            sample_rate=SAMPLE_RATE,
            audio_options=AudioRedactionOptions(margin=args.margin),
        )
        numbers = [r for r in result.redactions if r.type in ("nik", "kk", "phone", "card", "account")]
        spans = [(r.start - args.margin, r.end + args.margin) for r in numbers]
        assert result.samples is not None
        dst = write_redacted_audio(
            path=out / f"call{k}.redacted.wav", samples=result.samples, sample_rate=SAMPLE_RATE
        )
        again = transcribe_path(dst, options=opts, use_cache=False)
        if args.keep is not None:  # transcripts kept next to the audio, for review (they hold the numbers)
            save_transcript(original, out / f"call{k}.json")
            save_transcript(again, out / f"call{k}.redacted.json")
        before = heard_digits(original, spans)
        after = heard_digits(again, spans)
        run = longest_common_run(digits, heard_digits(again))
        level = max(
            (
                float(
                    np.max(
                        np.abs(result.samples[:, int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]), initial=0.0
                    )
                )
                for a, b in spans
            ),
            default=0.0,
        )
        covered = any(r.start <= a1 and r.end >= a0 for r in numbers)
        totals["before"] += len(before)
        totals["after"] += len(after)
        totals["missed"] += not covered
        totals["leaks"] += run > MAX_RECOVERED_RUN
        label = ", ".join(f"{r.type} {r.start:.1f}-{r.end:.1f}s" for r in numbers) or "NOTHING"
        print(f"{k:<6}{label:<34}{len(before):>16}{len(after):>7}{run:>13}{level:>12.4f}")
        print(f"      agent asked: {original.text(channel=0)!r}")
        print(f"      heard first: {original.text(channel=1)!r}")
        print(f"      heard after: {again.text(channel=1)!r}")
    print(
        f"digits heard in redacted spans: {totals['before']} before, {totals['after']} after (target 0); "
        f"calls whose number was not detected: {totals['missed']}; calls where 4+ digits of the value were "
        f"heard again anywhere: {totals['leaks']}; {time.perf_counter() - t0:.0f} s"
    )
    if args.keep is None:
        for f in out.glob("*.wav"):
            f.unlink()
        out.rmdir()
    return 0 if totals["after"] == 0 and totals["leaks"] == 0 and totals["missed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
