#!/usr/bin/env python
"""Milliseconds per turn of the bundled sentiment models, on one core, for turns of ordinary length.

Texts: the held-out sets in ``benchmarks/data`` (reviews and our call-centre sentences), cut to at most
``--max-words`` words (a long turn). Reports the median and 95th percentile over ``--rounds`` passes of
single-text calls (the worst case: no batching), after one warm-up pass, and the model load time.
Pin to one core with ``taskset -c 0`` for the one-core figure.

    taskset -c 0 python benchmarks/sentiment_speed.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from callscore.sentiment import get_model

DATA = Path(__file__).resolve().parent / "data"
TARGET_MS = 1.0


def texts(language: str, *, max_words: int) -> list[str]:
    files = (
        ["sentiment_calls_id.tsv"]
        if language == "id"
        else ["goemotions_dev_sentiment.tsv", "sentiment_calls_en.tsv"]
    )
    out = []
    for name in files:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()[1:]:
            t = line.rpartition("\t")[0]
            if t.strip():
                out.append(" ".join(t.split()[:max_words]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-words", type=int, default=40)
    ap.add_argument("--limit", type=int, default=2000, help="texts per language")
    args = ap.parse_args(argv)
    for lang in ("id", "en"):
        t0 = time.perf_counter()
        model = get_model(language=lang)
        load_s = time.perf_counter() - t0
        sample = texts(lang, max_words=args.max_words)[: args.limit]
        model.predict(sample)  # warm-up
        per_turn = []
        for _ in range(args.rounds):
            for t in sample:
                s = time.perf_counter()
                model.predict([t])
                per_turn.append((time.perf_counter() - s) * 1000)
        arr = np.array(per_turn)
        words = np.mean([len(t.split()) for t in sample])
        med, p95 = float(np.median(arr)), float(np.percentile(arr, 95))
        verdict = "MET" if med < TARGET_MS else "MISSED"  # the median turn; p95 shows neighbours' load too
        print(
            f"{lang}: {model.name}, load {load_s * 1000:.0f} ms; {len(sample)} turns of {words:.1f} words on "
            f"average: median {med:.3f} ms, p95 {p95:.3f} ms per turn (median < {TARGET_MS} ms: {verdict})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
