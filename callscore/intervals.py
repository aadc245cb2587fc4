"""The one interval toolkit: time spans as (start, end) pairs in seconds.

Speech spans from voice activity, word stretches, cut-outs where another speaker talks: every stage that
adds, joins or removes stretches of time does it with these.
"""

from __future__ import annotations

from collections.abc import Sequence

Interval = tuple[float, float]  # (start, end) in seconds, start <= end


def total_duration(spans: Sequence[tuple[float, float]]) -> float:
    """Summed length of spans in seconds."""
    return float(sum(e - s for s, e in spans))


def merge_spans(spans: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of (start, end) spans, sorted, touching spans joined."""
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def subtract_spans(
    spans: Sequence[tuple[float, float]], cut: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``spans`` minus every stretch in ``cut`` (both lists of (start, end) in seconds)."""
    out = []
    cuts = merge_spans(cut)
    for s, e in spans:
        pieces = [(s, e)]
        for cs, ce in cuts:
            if ce <= s or cs >= e:
                continue
            pieces = [p for a, b in pieces for p in ((a, min(b, cs)), (max(a, ce), b)) if p[1] - p[0] > 1e-6]
        out.extend(pieces)
    return out
