"""Time the QA dashboard (``callscore report --format html``) on a large SQLite results store: the report
grouped and counted in SQL against the old way, every call and item result loaded into Python.

Builds a synthetic store (``--calls`` calls, 20 rubric items each, 40 agents in 5 teams over 90 days, some
calls unscored or undated) with the store's own schema, then for each grouping times building the report
and rendering the dashboard both ways (best of ``--repeat``), checks both give the same report, and
prints the seconds, the ratio and the rows each way reads from the database.

    python benchmarks/report_speed.py                   # 20,000 calls
    python benchmarks/report_speed.py --calls 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

from report_reference import reference_report  # noqa: E402

from callscore.results.aggregates import GROUPINGS, build_report  # noqa: E402
from callscore.results.dashboard import render_dashboard  # noqa: E402
from callscore.results.store import CALL_COLUMNS, ResultStore, call_key, insert_sql, open_store  # noqa: E402

ITEMS = tuple((f"item_{k:02d}", f"Rubric item {k}", 1.0 + (k % 3), k in (3, 11)) for k in range(20))
TEAMS = ("billing", "network", "sales", "retention", "support")
STATUSES = ("pass", "fail", "not_applicable", "not_measured")


def build_store(path: Path, *, n_calls: int, seed: int = 1) -> None:
    """``n_calls`` calls in one transaction (the store API writes one per call: minutes for 20,000)."""
    with open_store(path):
        pass  # the schema
    rng = random.Random(seed)
    calls, items = [], []
    for n in range(n_calls):
        cid = f"call-{n:06d}"
        statuses = rng.choices(STATUSES, weights=(70, 20, 7, 3), k=len(ITEMS))
        weights = [(w, s) for (_, _, w, _), s in zip(ITEMS, statuses, strict=True) if s in ("pass", "fail")]
        den = sum(w for w, _ in weights)
        total = 100 * sum(w for w, s in weights if s == "pass") / den if den else None
        crit = any(c and s == "fail" for (_, _, _, c), s in zip(ITEMS, statuses, strict=True))
        day = rng.randrange(90)
        date = None if n % 40 == 0 else f"2026-{8 + day // 30:02d}-{1 + day % 28:02d}"
        agent = None if n % 97 == 0 else f"agent-{rng.randrange(40):02d}"
        key = call_key(batch_id="", call_id=cid)
        row = {
            "call_key": key,
            "call_id": cid,
            "batch_id": "",
            "source": f"{cid}.wav",
            "audio_sha256": f"sha{n}",
            "duration": 300.0,
            "agent": agent,
            "team": TEAMS[n % 5],
            "call_date": date,
            "extra": "{}",
            "rubric_id": "r",
            "rubric_version": "1",
            "model": "m",
            "total": total,
            "critical_failed": int(crit),
            "created": f"2026-11-{1 + n % 28:02d}T09:00:00+00:00",
            "report_path": f"reports/{cid}.html",
            "run_settings": "",
        }
        calls.append(tuple(row.get(c) for c in CALL_COLUMNS))  # sentiment columns: NULL
        items += [
            (key, iid, title, s, w, int(c), None, f"{iid} {s}")
            for (iid, title, w, c), s in zip(ITEMS, statuses, strict=True)
        ]
    con = sqlite3.connect(path)
    with con:
        con.executemany(insert_sql("calls"), calls)
        con.executemany(insert_sql("item_results"), items)
    con.close()


class Counting:
    """Counts the rows a store hands back, whichever way it is read."""

    def __init__(self, store: ResultStore) -> None:
        self.rows = 0
        query = store._query

        def counted(sql: str, args=()):  # type: ignore[no-untyped-def]
            out = query(sql, args)
            self.rows += len(out)
            return out

        store._query = counted  # type: ignore[method-assign]


def time_both(path: Path, *, by: str, repeat: int) -> dict[str, object]:
    """Best-of-``repeat`` seconds of report + dashboard, old (Python over rows) and new (SQL)."""
    out: dict[str, object] = {"by": by}
    reports = {}
    for way in ("python", "sql"):
        best = float("inf")
        for _ in range(repeat):
            with open_store(path) as st:
                counter = Counting(st)
                t0 = time.perf_counter()
                if way == "sql":
                    report = build_report(st, by=by)
                else:
                    report = reference_report(st.calls(), st.item_results(), st.failures(), by=by, worst_n=10)
                render_dashboard(report)
                best = min(best, time.perf_counter() - t0)
            out[f"{way}_rows"] = counter.rows
        out[f"{way}_s"] = round(best, 3)
        reports[way] = report
    out["same_report"] = reports["python"] == reports["sql"]
    out["speedup"] = round(float(out["python_s"]) / float(out["sql_s"]), 1)  # type: ignore[arg-type]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "callscore.sqlite"
        t0 = time.perf_counter()
        build_store(path, n_calls=args.calls)
        print(f"store: {args.calls} calls x {len(ITEMS)} items in {time.perf_counter() - t0:.1f} s")
        results = [time_both(path, by=by, repeat=args.repeat) for by in GROUPINGS]
    print(f"{'by':<6} {'python s':>9} {'sql s':>7} {'speedup':>8} {'rows python':>12} {'rows sql':>9} same")
    for r in results:
        print(
            f"{r['by']:<6} {r['python_s']:>9} {r['sql_s']:>7} {r['speedup']:>7}x {r['python_rows']:>12} "
            f"{r['sql_rows']:>9} {r['same_report']}"
        )
    if args.json:
        args.json.write_text(json.dumps({"calls": args.calls, "results": results}, indent=2))
    return 0 if all(r["same_report"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
