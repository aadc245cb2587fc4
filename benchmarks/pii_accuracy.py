"""Personal-data detection accuracy on the labelled set, and the audio check with the bundled model.

    python benchmarks/pii_accuracy.py                  # precision/recall per type, dev and test
    python benchmarks/pii_accuracy.py --split dev --errors
    python benchmarks/pii_accuracy.py --audio          # also: espeak-ng calls, redact audio, re-transcribe

A detection matches a labelled instance when it has the same type and shares at least one word with it
(one detection or instance matches at most one). "Leaked words" counts labelled words no detection of any
type covers: that is what redaction would leave in clear. Tune on ``dev`` only; ``test`` is for reporting.
Rebuild the set after changing the generator: ``python benchmarks/pii_set.py``.

The audio check synthesises calls with espeak-ng (Indonesian voice) in which a customer reads out a phone
number, a NIK, a card and an account number, transcribes them with the bundled Whisper model, detects and
redacts the audio, transcribes the redacted copy and counts the redacted digits that are heard again.
Needs espeak-ng; skipped cleanly without it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, ahead of any installed callscore

from callscore.audio import AudioInfo  # noqa: E402
from callscore.pii import PII_TYPES, detect_pii  # noqa: E402
from callscore.transcript import Segment, Transcript, TranscriptionInfo, Word  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "pii"
WORD_SECONDS = 0.35  # s per word in the synthetic timeline
TURN_GAP = 0.6  # s between turns
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.90
TARGET_RECALL_STRICT = 0.98  # NIK (with KK), phone, card
STRICT_TYPES = ("nik", "kk", "phone", "card")


def load_calls(split: str) -> list[dict]:
    """Calls of one split from the committed JSONL."""
    path = DATA / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_transcript(call: dict) -> Transcript:
    """The call as a Transcript: one segment per turn, words timed one after another."""
    segments = []
    t = 0.0
    for i, turn in enumerate(call["turns"]):
        words = []
        for w in turn["words"]:
            words.append(
                Word(
                    start=round(t, 3),
                    end=round(t + WORD_SECONDS * 0.9, 3),
                    text=" " + w,
                    channel=turn["channel"],
                )
            )
            t += WORD_SECONDS
        segments.append(
            Segment(
                id=i,
                channel=turn["channel"],
                start=words[0].start,
                end=words[-1].end,
                text="".join(w.text for w in words),
                words=tuple(words),
            )
        )
        t += TURN_GAP
    return Transcript(
        audio=AudioInfo(path=f"{call['id']}.wav", sha256="", duration=t, sample_rate=16000, channels=2),
        info=TranscriptionInfo(backend="import", model="pii-set", language=call["language"]),
        segments=tuple(segments),
    )


def gold_of(call: dict) -> dict[str, tuple[str, set[tuple[int, int]]]]:
    """Instance id -> (type, words as (turn, index))."""
    out: dict[str, tuple[str, set[tuple[int, int]]]] = {}
    for ti, turn in enumerate(call["turns"]):
        for wi, tag in enumerate(turn["tags"]):
            if tag:
                kind = tag.split(":")[0]
                out.setdefault(tag, (kind, set()))[1].add((ti, wi))
    return out


def evaluate(calls: list[dict], *, errors: bool = False) -> dict[str, Counter]:
    """Counts per type: tp, fn, fp, gold words, leaked gold words."""
    stats: dict[str, Counter] = {k: Counter() for k in PII_TYPES}
    for call in calls:
        tr = to_transcript(call)
        dets = detect_pii(transcript=tr)
        gold = gold_of(call)
        covered = {(r.segment, r.index) for d in dets for r in d.words}
        matched_gold: set[str] = set()
        for d in dets:
            words = {(r.segment, r.index) for r in d.words}
            hit = next(
                (
                    g
                    for g, (kind, ws) in gold.items()
                    if g not in matched_gold and kind == d.type and ws & words
                ),
                None,
            )
            if hit is None:
                stats[d.type]["fp"] += 1
                if errors:
                    print(f"  FP {call['id']} {d.type:<10} {d.text!r} ({d.reason})")
            else:
                matched_gold.add(hit)
                stats[d.type]["tp"] += 1
        for g, (kind, ws) in gold.items():
            stats[kind]["gold_words"] += len(ws)
            stats[kind]["leaked_words"] += len(ws - covered)
            if g not in matched_gold:
                stats[kind]["fn"] += 1
                if errors:
                    text = " ".join(call["turns"][t]["words"][i] for t, i in sorted(ws))
                    other = sorted({d.type for d in dets if {(r.segment, r.index) for r in d.words} & ws})
                    print(
                        f"  FN {call['id']} {kind:<10} {text!r}" + (f" (typed as {other})" if other else "")
                    )
    return stats


def _pr(c: Counter) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def report(split: str, stats: dict[str, Counter], seconds: float, n_calls: int) -> bool:
    """Print the table; True when the split meets every target."""
    print(
        f"\n== {split}: {n_calls} calls, {sum(c['tp'] + c['fn'] for c in stats.values())} instances, "
        f"{seconds * 1000 / max(n_calls, 1):.1f} ms per call"
    )
    print(
        f"{'type':<12}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>8}"
        f"{'leaked words':>14}"
    )
    total: Counter = Counter()
    for kind in PII_TYPES:
        c = stats[kind]
        total.update(c)
        p, r = _pr(c)
        print(
            f"{kind:<12}{c['tp'] + c['fn']:>6}{c['tp']:>6}{c['fp']:>6}{c['fn']:>6}{p:>11.3f}{r:>8.3f}"
            f"{c['leaked_words']:>7}/{c['gold_words']}"
        )
    p, r = _pr(total)
    print(
        f"{'overall':<12}{total['tp'] + total['fn']:>6}{total['tp']:>6}{total['fp']:>6}{total['fn']:>6}"
        f"{p:>11.3f}{r:>8.3f}{total['leaked_words']:>7}/{total['gold_words']}"
    )
    strict: Counter = Counter()
    for kind in STRICT_TYPES:
        strict.update(stats[kind])
    sp, sr = _pr(strict)
    ok = r >= TARGET_RECALL and p >= TARGET_PRECISION
    strict_ok = (
        all(_pr(stats[k])[1] >= TARGET_RECALL_STRICT for k in ("phone", "card"))
        and _pr(stats["nik"] + stats["kk"])[1] >= TARGET_RECALL_STRICT
    )

    def frac(c: Counter) -> str:
        return f"{c['tp']}/{c['tp'] + c['fn']} = {_pr(c)[1]:.4f}"

    print(
        f"targets: overall recall {r:.4f} (>= {TARGET_RECALL}), precision {p:.4f} (>= {TARGET_PRECISION}): "
        f"{'met' if ok else 'MISSED'}; recall NIK+KK {frac(stats['nik'] + stats['kk'])}, phone "
        f"{frac(stats['phone'])}, card {frac(stats['card'])} (each >= {TARGET_RECALL_STRICT}): "
        f"{'met' if strict_ok else 'MISSED'}"
    )
    return ok and strict_ok


def main() -> int:
    """Print the report per split (and the audio check with --audio); exit 1 when test misses a target."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", action="append", help="dev or test (default: both)")
    ap.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    ap.add_argument("--audio", action="store_true", help="also run the espeak-ng + Whisper audio check")
    args = ap.parse_args()
    ok = True
    for split in args.split or ["dev", "test"]:
        calls = load_calls(split)
        t0 = time.perf_counter()
        stats = evaluate(calls, errors=args.errors)
        met = report(split, stats, time.perf_counter() - t0, len(calls))
        ok &= met or split != "test"
    if args.audio:
        from pii_audio import main as audio_main  # noqa: PLC0415  (benchmarks/ is on sys.path when run)

        ok &= audio_main([]) == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
