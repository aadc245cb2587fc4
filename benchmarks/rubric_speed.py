"""Scoring speed: the built-in rubric on a 10-minute scripted call, with and without meaning matching.

    python benchmarks/rubric_speed.py            # prints seconds per call (best of 3) and the ratio

Issue 12's target: scoring a 10-minute transcript stays under 1 s. The baseline is the same rubric with
its ``examples`` / ``near_misses`` removed (literal phrases only), measured in the same run, so the cost
of the meaning model shows even on a loaded machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

from scripted import ScriptedTurn, transcript_from_turns  # noqa: E402

from callscore.rubric.apply import apply_rubric  # noqa: E402
from callscore.rubric.schema import Rubric, load_rubric  # noqa: E402
from callscore.transcript import Transcript  # noqa: E402

TARGET_S = 1.0
MEANING_KEYS = ("examples", "near_misses", "opposite_examples")
# our own lines: a long complaint call, agent and customer alternating
CUSTOMER_LINES = (
    "internet saya mati lagi dari kemarin kok belum dibetulkan juga",
    "iya mbak nomor pelanggannya 1234 5678 atas nama budi",
    "padahal tagihan sudah saya bayar tanggal lima",
    "oke kalau begitu saya tunggu teknisinya",
)
AGENT_LINES = (
    "mohon maaf atas gangguannya Pak saya bisa bayangkan pasti repot",
    "baik Pak saya cek dulu datanya sebentar ya",
    "ternyata ada perbaikan kabel di area Bapak sehingga jaringannya putus",
    "sudah saya jadwalkan teknisi datang besok pagi jam sembilan nomor tiketnya 4471",
)


def ten_minute_call(*, minutes: float = 10.0) -> Transcript:
    """A scripted call of at least ``minutes`` minutes (about 160 words a minute)."""
    turns: list[ScriptedTurn] = []
    t, k = 0.3, 0
    while t < minutes * 60:
        for role, text in (("customer", CUSTOMER_LINES[k % 4]), ("agent", AGENT_LINES[k % 4])):
            dur = 0.38 * len(text.split())
            turns.append(ScriptedTurn(role, round(t, 3), round(t + dur, 3), text))
            t += dur + 0.6
        k += 1
    return transcript_from_turns(turns, call_id="speed", language="id")


def without_meaning(rubric: Rubric) -> Rubric:
    """The rubric with every example and near miss removed (literal phrases only)."""
    items = tuple(
        dataclasses.replace(i, params={k: v for k, v in i.params.items() if k not in MEANING_KEYS})
        for i in rubric.items
    )
    triggers = {n: dataclasses.replace(t, examples=(), near_misses=()) for n, t in rubric.triggers.items()}
    return dataclasses.replace(rubric, items=items, triggers=triggers)


def best_time(transcript: Transcript, *, rubric: Rubric, repeats: int = 3) -> float:
    """Best wall time of ``repeats`` scorings (s)."""
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        apply_rubric(transcript, rubric=rubric)
        out.append(time.perf_counter() - t0)
    return min(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Print both timings and the ratio; exit 1 when the target is missed."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    call = ten_minute_call()
    rubric = load_rubric("id-contact-centre")
    with_m = best_time(call, rubric=rubric, repeats=args.repeats)
    base = best_time(call, rubric=without_meaning(rubric), repeats=args.repeats)
    words = sum(len(s.words) for s in call.segments)
    print(
        f"10-min call ({call.segments[-1].end:.0f} s, {words} words): {with_m:.3f} s with meaning matching, "
        f"{base:.3f} s phrases only (ratio {with_m / base:.2f})"
    )
    met = with_m < TARGET_S
    print(f"target < {TARGET_S:.0f} s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
