"""Benchmark: can interruptions be found in **mono** recordings? Overlap cues on the real-voice dev set.

    PYTHONPATH=. python benchmarks/real_calls_mono_overlap.py [--dev-set /work/data/real_calls] [--calls N]

A mono channel holds both voices summed, and diarization (``callscore.speakers.diarize``) gives one speaker
per instant, so talking over each other is not seen directly. Two cues are tried on the dev set's
``<call>.mono16.wav`` and compared with the labelled interruptions (the agent starting over the customer
and overlapping >= 0.8 s; ``benchmarks/real_calls_build.py``):

- **change**: the diarized speaker changes inside one stretch of continuous speech (no pause between
  the two voices); the detection is at the change.
- **mixed**: 1.6 s embedding windows every 0.2 s whose voice is between the two speakers' centroids (cosine
  margin below a threshold: a mixture of both voices); runs of such windows >= 0.5 s; several thresholds.

A detection matches a true interruption when it falls inside it or within ``MATCH_TOL`` of it; precision =
matched detections / detections, recall = matched truths / truths. callscore reports mono interruptions
only if a cue reaches precision >= 0.9 (issue 11) at recall >= ``MIN_RECALL``; otherwise they stay "not
measured" with the reason.
Skips with a clear message when the dev set is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ENV_DEV_SET = "CALLSCORE_REAL_CALLS"
DEFAULT_DEV_SET = "/work/data/real_calls"
MATCH_TOL = 0.5  # s
TARGET_PRECISION = 0.9
MIN_RECALL = 0.5  # a cue that finds fewer than half the interruptions is no detector, however precise
MIX_HOP = 0.2  # s between embedding windows
MIX_MIN = 0.5  # s, shortest run of mixed windows that is a detection
MIX_QUANTILES = (0.05, 0.10, 0.20, 0.30)  # margin thresholds: these quantiles of each call's margins


def change_points(turns: Sequence) -> list[float]:
    """Times where the diarized speaker changes with no pause between the two turns."""
    return [
        b.start
        for a, b in zip(turns, turns[1:], strict=False)
        if b.speaker != a.speaker and b.start - a.end < 0.05
    ]


def mixed_regions(
    *, y: np.ndarray, sr: int, quantile: Sequence[float]
) -> dict[float, list[tuple[float, float]]]:
    """Runs of windows whose embedding sits between the two voices, per margin quantile."""
    from sklearn.cluster import KMeans

    from callscore.audio.activity import channel_activity
    from callscore.speakers.diarize import WINDOW, DiarizeOptions, window_starts
    from callscore.speakers.voice_encoder import embed_windows, normalize_volume

    opts = DiarizeOptions()
    spans = list(channel_activity(y=y, sr=sr, options=opts.activity).speech)
    if not spans:
        return {q: [] for q in quantile}
    speech = np.concatenate([y[int(s * sr) : int(e * sr)] for s, e in spans])
    gain = float(np.max(np.abs(normalize_volume(y=speech)), initial=0.0)) / max(
        float(np.max(np.abs(speech))), 1e-9
    )
    windows = window_starts(spans=spans, hop=MIX_HOP)
    starts = np.array([round(t * sr) for t, _ in windows], dtype=np.int64)
    emb = embed_windows(y=(y * gain).astype(np.float32), starts=starts)
    km = KMeans(n_clusters=2, n_init=10, random_state=0).fit(emb)
    cent = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
    unit = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    sims = unit @ cent.T
    margin = np.abs(sims[:, 0] - sims[:, 1])
    out = {}
    for q in quantile:
        bar = float(np.quantile(margin, q))
        regions: list[list[float]] = []
        for (t, i), m in zip(windows, margin, strict=True):
            if m > bar:
                continue
            s, e = t, min(t + WINDOW, spans[i][1])
            if regions and s <= regions[-1][1] - WINDOW + MIX_HOP + 1e-6:
                regions[-1][1] = e
            else:
                regions.append([s, e])
        # a run of mixed windows points at the middle of the overlap the windows share
        out[q] = [
            (s + WINDOW / 2 - MIX_HOP, e - WINDOW / 2 + MIX_HOP)
            for s, e in regions
            if e - s >= WINDOW + MIX_MIN - MIX_HOP
        ]
    return out


def score(detections: Sequence[float], truths: Sequence[tuple[float, float]]) -> tuple[int, int, int]:
    """(matched detections, detections, matched truths) for detection times against true (start, end)."""

    def hit(t: float, tr: tuple[float, float]) -> bool:
        return tr[0] - MATCH_TOL <= t <= tr[1] + MATCH_TOL

    tp_d = sum(any(hit(t, tr) for tr in truths) for t in detections)
    tp_t = sum(any(hit(t, tr) for t in detections) for tr in truths)
    return tp_d, len(detections), tp_t


def prf(tp_d: int, n_d: int, tp_t: int, n_t: int) -> str:
    p = tp_d / n_d if n_d else float("nan")
    r = tp_t / n_t if n_t else float("nan")
    f = 2 * p * r / (p + r) if n_d and n_t and p + r > 0 else 0.0
    return (
        f"P {p:5.2f}  R {r:5.2f}  F1 {f:4.2f}  (detections {n_d}, matched {tp_d}; truths {n_t}, found {tp_t})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dev-set", default=os.environ.get(ENV_DEV_SET, DEFAULT_DEV_SET))
    p.add_argument("--calls", type=int, default=0, help="first N calls only (0 = all)")
    p.add_argument("--json")
    args = p.parse_args(argv)
    folder = Path(args.dev_set)
    labels = sorted(folder.glob("*.labels.json")) if folder.is_dir() else []
    if not labels:
        print(f"SKIP: no real-voice dev set at {folder} (build it: benchmarks/real_calls_build.py)")
        return 0
    if args.calls:
        labels = labels[: args.calls]
    from callscore.audio.decode import load_audio
    from callscore.speakers.diarize import diarize_two

    t0 = time.perf_counter()
    totals = {"change": [0, 0, 0]} | {f"mixed q{q:g}": [0, 0, 0] for q in MIX_QUANTILES}
    n_truth = 0
    for lab in labels:
        d = json.loads(lab.read_text(encoding="utf-8"))
        truths = [(i["start"], i["end"]) for i in d["interruptions"]]
        n_truth += len(truths)
        audio = load_audio(
            folder / d["files"]["mono16"]
            if "files" in d and "mono16" in d["files"]
            else folder / f"{d['call_id']}.mono16.wav"
        )
        y, sr = audio.channel(0), audio.sample_rate
        found = {"change": change_points(diarize_two(y=y, sr=sr))}
        for q, regs in mixed_regions(y=y, sr=sr, quantile=MIX_QUANTILES).items():
            found[f"mixed q{q:g}"] = [s for s, _ in regs]
        for k, dets in found.items():
            a, b, c = score(dets, truths)
            totals[k][0] += a
            totals[k][1] += b
            totals[k][2] += c
    print(
        f"mono overlap cues on {len(labels)} calls ({n_truth} true interruptions), "
        f"{time.perf_counter() - t0:.0f} s"
    )
    best = 0.0
    out = {}
    for k, (a, b, c) in totals.items():
        print(f"  {k:12s} {prf(a, b, c, n_truth)}")
        prec = a / b if b else 0.0
        if n_truth and c / n_truth >= MIN_RECALL:
            best = max(best, prec)
        out[k] = {"precision": prec, "recall": c / n_truth if n_truth else 0.0, "detections": b}
    verdict = "met" if best >= TARGET_PRECISION else "missed"
    print(f"best precision at recall >= {MIN_RECALL}: {best:.2f} (target >= {TARGET_PRECISION}): {verdict}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"cues": out, "best_precision": best, "calls": len(labels)}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
