"""Rubric accuracy on the labelled benchmark: per-item precision/recall of detecting FAIL and macro-F1.

    python benchmarks/rubric_accuracy.py                 # dev and test halves
    python benchmarks/rubric_accuracy.py --split test --errors

Tune the rubric on ``dev`` only; ``test`` is for reporting. Regenerate the calls first when calls.yaml
changed: ``python benchmarks/data/rubric/build.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, ahead of any installed callscore

from callscore.eval.rubric_eval import evaluate, format_report, read_labels  # noqa: E402
from callscore.rubric.schema import load_rubric  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "rubric" / "labels.tsv"
TARGET_MACRO_F1 = 0.9


def main() -> int:
    """Print the report per split; exit 1 when the test half misses the target."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--rubric", default="id-contact-centre")
    ap.add_argument("--split", action="append", help="dev, test, holdout (default: all three)")
    ap.add_argument("--errors", action="store_true", help="list every mismatch")
    args = ap.parse_args()
    rubric = load_rubric(args.rubric)
    labels = read_labels(args.labels)
    ok = True
    for split in args.split or ["dev", "test", "holdout"]:
        t0 = time.perf_counter()
        report = evaluate(labels, rubric=rubric, split=split)
        took = time.perf_counter() - t0
        print(format_report(report, title=f"== {split}: rubric {rubric.id} {rubric.version} ({took:.1f} s)"))
        if args.errors:
            for m in report.mismatches:
                print(f"  {m.call}  {m.item}: expected {m.expected}, got {m.got} - {m.reason}")
        print()
        if split == "test" and (report.macro_f1 or 0.0) < TARGET_MACRO_F1:
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
