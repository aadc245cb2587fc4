"""Build the labelled rubric benchmark: calls.yaml -> one transcript JSON per call + labels.tsv.

Run from anywhere: ``python benchmarks/data/rubric/build.py``. Deterministic: the same calls.yaml gives
byte-identical output. Labels come only from each call's hand-written ``fail:`` / ``na:`` lists (every other
labelled item is expected to pass); the scorer is never consulted here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # the checkout, ahead of any installed callscore
sys.path.insert(1, str(HERE.parents[2] / "tests"))  # scripted.py, rubric_contract.py

from rubric_contract import TRANSCRIPT_ITEMS  # noqa: E402
from scripted import ScriptedTurn, transcript_from_turns, turns_from_compact  # noqa: E402

from callscore.transcript.model import save_transcript  # noqa: E402

# Items labelled for every call: all of id-contact-centre except the prosody items (no audio here).
LABELLED_ITEMS = TRANSCRIPT_ITEMS
TURN_TIMING = frozenset({"gap", "overlap", "dur"})


def turns_of(call: dict) -> tuple[ScriptedTurn, ...]:
    """Timed turns from the compact form (a:/c: text, optional gap / overlap / dur)."""
    return turns_from_compact(call["turns"], where=str(call["id"]), timing=TURN_TIMING)


def labels_of(call: dict) -> dict[str, str]:
    """Expected status per labelled item."""
    fail, na = set(call.get("fail", ())), set(call.get("na", ()))
    unknown = (fail | na) - set(LABELLED_ITEMS)
    if unknown or fail & na:
        raise ValueError(f"{call['id']}: unknown {sorted(unknown)} or both fail and na {sorted(fail & na)}")
    return {i: "fail" if i in fail else "not_applicable" if i in na else "pass" for i in LABELLED_ITEMS}


def main() -> None:
    """Write calls/<id>.json and labels.tsv next to this script."""
    calls = yaml.safe_load((HERE / "calls.yaml").read_text(encoding="utf-8"))["calls"]
    out_dir = HERE / "calls"
    out_dir.mkdir(exist_ok=True)
    rows = ["transcript\titem\texpected\tsplit"]
    for call in calls:
        t = transcript_from_turns(turns_of(call), call_id=call["id"], language="id")
        save_transcript(t, out_dir / f"{call['id']}.json")
        for item, expected in labels_of(call).items():
            rows.append(f"calls/{call['id']}.json\t{item}\t{expected}\t{call['split']}")
    (HERE / "labels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    splits = {s: sum(1 for c in calls if c["split"] == s) for s in ("dev", "test", "holdout")}
    print(f"wrote {len(calls)} calls ({splits}) and {len(rows) - 1} labels to {HERE}")


if __name__ == "__main__":
    main()
