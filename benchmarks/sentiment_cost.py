"""Time sentiment adds to scoring a call: the rubric benchmark's transcripts scored with and without it.

    python benchmarks/sentiment_cost.py [--repeats 5]

Both runs use the same transcripts, rubric and process (model loaded before timing, as a batch worker
does); the figure is the median over repeats of (with - without) per call, and the ratio of the two.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from callscore.rubric.schema import load_rubric  # noqa: E402
from callscore.scorecard import score_transcript  # noqa: E402
from callscore.sentiment import get_model  # noqa: E402
from callscore.transcript.model import load_transcript  # noqa: E402

CALLS = ROOT / "benchmarks" / "data" / "rubric" / "calls"
TARGET_MS = 20.0  # added per call: cheap enough to be on by default


def main() -> int:
    """Print ms per call with and without sentiment; exit 1 when the added time exceeds the target."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rubric = load_rubric("id-contact-centre")
    calls = [load_transcript(p) for p in sorted(CALLS.glob("*.json"))]
    model = get_model(language="id")
    turns = 0
    for t in calls:  # warm-up (imports, caches), and count the turns scored
        card = score_transcript(t, rubric=rubric, sentiment=model)
        turns += len(card.sentiment.turns) if card.sentiment else 0
    on, off = [], []
    for _ in range(args.repeats):
        for flag, sink in ((model, on), (False, off)):
            t0 = time.perf_counter()
            for t in calls:
                score_transcript(t, rubric=rubric, sentiment=flag)
            sink.append((time.perf_counter() - t0) * 1000 / len(calls))
    with_ms, without_ms = statistics.median(on), statistics.median(off)
    added = with_ms - without_ms
    print(f"{len(calls)} calls, {turns / len(calls):.1f} turns per call, {args.repeats} repeats")
    print(f"scoring without sentiment: {without_ms:.2f} ms/call")
    print(f"scoring with sentiment:    {with_ms:.2f} ms/call  (x{with_ms / without_ms:.2f})")
    print(f"added by sentiment:        {added:.2f} ms/call (target <= {TARGET_MS:g} ms)")
    return 0 if added <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
