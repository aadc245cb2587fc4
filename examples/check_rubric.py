"""Score the bundled examples with callscore and compare each item with the outcome truth.json expects.

Runs ``callscore score`` (default rubric, Whisper base, transcripts from the cache when present) on every
example and prints, per example, the total and every expected item whose outcome differs, with the
scorer's reason. Exit status 1 when any expected outcome differs, so it can gate rubric changes.

Usage::

    CALLSCORE_CACHE_DIR=/tmp/cs-cache python examples/check_rubric.py [--prosody] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def compare(*, expected: dict[str, str], scorecard: dict) -> list[tuple[str, str, str, str]]:
    """(item id, expected, got, reason) for every expected item whose outcome differs."""
    items = {i["id"]: i for i in scorecard["items"]}
    out = []
    for item_id, want in expected.items():
        got = items.get(item_id)
        status = got["status"] if got else "missing"
        if status != want:
            out.append((item_id, want, status, got["reason"] if got else "item not in the scorecard"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: score the examples, print disagreements, exit 1 when there are any."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", help="only this example (repeatable)")
    ap.add_argument("--prosody", action="store_true", help="also measure calm/confidence (slower)")
    args = ap.parse_args(argv)
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["examples"]
    names = args.only or list(truth)
    agree = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "callscore.cli", "score", "-f", "json", "--out", tmp]
        cmd += [str(HERE / truth[n]["file"]) for n in names]
        if not args.prosody:
            cmd.append("--no-prosody")
        run = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        for name in names:
            card_path = Path(tmp) / f"{name}.json"
            if not card_path.is_file():
                print(f"{name}: not scored\n{run.stdout}{run.stderr}")
                return 1
            card = json.loads(card_path.read_text(encoding="utf-8"))
            diffs = compare(expected=truth[name]["expected"], scorecard=card)
            n = len(truth[name]["expected"])
            agree += n - len(diffs)
            total += n
            print(f"{name}: total {card['total']}, {n - len(diffs)}/{n} expected outcomes")
            for item_id, want, got, reason in diffs:
                print(f"  {item_id}: expected {want}, got {got} ({reason})")
    print(f"agreement {agree}/{total}")
    return 0 if agree == total else 1


if __name__ == "__main__":
    sys.exit(main())
