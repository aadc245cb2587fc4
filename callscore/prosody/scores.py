"""Calm and confidence, 0-100, placed against real speakers, with the points each feature cost.

A score is 100 minus one penalty per feature. Each feature has a **centre** (where a typical speaker is)
and an **edge** (where an unusual one is) on its unfavourable side; a value on the favourable side of the
centre costs nothing, and beyond it the penalty is ``weight x e`` with ``e`` = distance from the centre in
centre-to-edge units (capped at 3). The weights of a score add up to 50: a speaker at the edge on every
feature scores 50, the rubric's pass bar; far beyond the edge on two or three features fails too. There is
no head start (the old scale began at 75 / 70 and a mid-range speaker passed by construction): points are
lost in proportion to how much further out than the typical real speaker the voice is.

Where centres and edges come from (docs/prosody.md):

- **real**: the speaker-level distribution of real Indonesian voices (INDspeech train speakers,
  ``reference.json``, written by ``benchmarks/prosody_reference.py``): centre = median, edge = 95th (or 5th)
  percentile. Used for loudness variability, loudness decline and final rises, where read sentences and
  conversation are alike.
- **norm**: conversational ranges from the literature (tempo, pitch variability, pauses, filled pauses,
  level) where read sentences are no reference: they are read faster and flatter than people talk, with
  almost no pauses or fillers (the reference's own figures say so: docs/prosody.md). Centre = the middle
  of the range, edge = its end.
- **baseline**: the speaker's own call-level median; each 60 s window rising above it (pitch, loudness,
  tempo) is penalised, and the call-level calm carries the mean of those window terms as "escalation".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from callscore.prosody.features import ProsodyFeatures, ProsodyOptions

FULL_SCORE = 100.0  # a speaker on the favourable side of every centre
MAX_E = 3.0  # distance (centre-to-edge units) beyond which the penalty stops growing
REFERENCE_FILE = Path(__file__).with_name("reference.json")

F0_NORM_MALE = (85.0, 180.0)  # Hz, typical adult male speaking F0
F0_NORM_FEMALE = (165.0, 255.0)  # Hz, typical adult female speaking F0
SEX_SPLIT_HZ = 160.0  # Hz; with sex="auto", a median F0 below this gets the male norm
F0_ABOVE_SPAN = 6.0  # semitones above the norm's top that count as one centre-to-edge unit

# Calm: weights add up to 50.
RATE_SYL_S = (3.5, 5.5)  # norm: conversational speaking rate incl. pauses (read speech is faster)
RATE_W = 16.0
F0_SPREAD_ST = (1.5, 3.5)  # norm: robust SD of F0 in semitones (read speech is flatter: docs/prosody.md)
F0_SPREAD_W = 14.0
LOUD_SPREAD_W = 12.0  # real: robust SD of voiced-frame level, dB
LOUD_LEVEL_DBFS = (-32.0, -18.0)  # norm: median voiced-frame level; gain-dependent, so a small weight
LOUD_LEVEL_W = 4.0
F0_LEVEL_W = 4.0  # norm: pitch above the voice's norm; small, voices differ

# Rises of a window over the speaker's own call median; the full weight is lost at this rise.
BASELINE_F0_ST = 3.0  # semitones of median F0
BASELINE_F0_W = 12.0
BASELINE_LOUD_DB = 6.0  # dB of voiced-frame level
BASELINE_LOUD_W = 10.0
BASELINE_RATE = 0.3  # fraction of speaking rate
BASELINE_RATE_W = 8.0

# Confidence: weights add up to 50.
PAUSE_RATE_PER_MIN = (2.0, 10.0)  # norm: silent pauses >= 0.25 s per minute of speaking time
PAUSE_RATE_W = 8.0
PAUSE_MEAN_S = (0.3, 0.9)  # norm: mean silent pause
PAUSE_MEAN_W = 7.0
FILLED_PER_100 = (0.0, 4.0)  # norm: filled pauses per 100 words (read speech has none)
FILLED_W = 8.0
DECLINE_W = 8.0  # real: loudness drop from the start to the end of a run, dB
FINAL_RISE_W = 8.0  # real: share of statement ends with rising pitch
ARTIC_SYL_S = (4.0, 6.5)  # norm: articulation rate; slow, dragging speech sounds unsure
ARTIC_W = 7.0
QUIET_DBFS = (-38.0, -24.0)  # norm: voiced-frame level below the low end sounds timid; gain-dependent
QUIET_W = 4.0

# Resolution floors (feature units): a centre-to-edge distance is never taken smaller than this, so a
# tight reference does not turn measurement noise into penalties.
MIN_SPAN = {
    "f0_spread_st": 0.3,
    "loudness_spread_db": 1.0,
    "loudness_decline_db": 1.0,
    "final_rise_fraction": 0.1,
}

NORM = "norm"
REAL = "real"
BASELINE = "baseline"


@dataclass(frozen=True)
class Contribution:
    """One feature's effect on a score.

    Attributes:
        feature: Feature name (a ``ProsodyFeatures`` field, or ``window_vs_call_*`` for baseline terms).
        value: The measured value.
        reference: The reference it was compared with, readable ("3.5 to 5.5 syl/s").
        points: Points added (negative = lowered the score).
        basis: "real" (real speakers' distribution), "norm" (a conversational range) or "baseline" (the
            speaker's own call median).
    """

    feature: str
    value: float
    reference: str
    points: float
    basis: str = NORM


@dataclass(frozen=True)
class ProsodyScore:
    """A 0-100 score with its explanation.

    Attributes:
        score: 0-100, or None when not measured.
        reason: One line: what moved the score most, or why it was not measured.
        contributions: Every feature term, largest effect first.
    """

    score: float | None
    reason: str
    contributions: tuple[Contribution, ...] = ()

    @property
    def measured(self) -> bool:
        """True when a score exists."""
        return self.score is not None


def not_measured(reason: str) -> ProsodyScore:
    """A score that could not be computed, saying why."""
    return ProsodyScore(None, f"not measured: {reason}")


@cache
def reference() -> Mapping[str, Mapping[str, float]]:
    """Feature -> speaker-level percentiles of real voices (``reference.json``; empty when absent)."""
    try:
        data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("features", {})


def penalty(e: float, weight: float) -> float:
    """Points lost at ``e`` centre-to-edge units past the centre (0 on the favourable side)."""
    return -weight * float(np.clip(e, 0.0, MAX_E))


def term(
    feature: str,
    value: float | None,
    ref: tuple[float, float],
    weight: float,
    *,
    unit: str,
    higher_is_worse: bool = True,
    one_sided: bool = False,
    basis: str = NORM,
) -> Contribution | None:
    """Penalty for ``value`` against a norm range ``ref`` = (low, high); None when value is None.

    Centre = the middle of the range, edge = its unfavourable end (``one_sided``: the centre is that end
    too, and one range width past it is one unit).
    """
    if value is None or not np.isfinite(value):
        return None
    lo, hi = ref
    width = hi - lo
    if one_sided:
        e = ((value - hi) if higher_is_worse else (lo - value)) / width
    else:
        e = ((value - (lo + hi) / 2) if higher_is_worse else ((lo + hi) / 2 - value)) / (width / 2)
    return Contribution(
        feature,
        round(float(value), 3),
        f"norm {lo:g} to {hi:g} {unit}".rstrip(),
        round(penalty(e, weight), 2) + 0.0,
        basis,
    )


def real_term(
    feature: str,
    value: float | None,
    weight: float,
    *,
    unit: str,
    higher_is_worse: bool = True,
    fallback: tuple[float, float] | None = None,
) -> Contribution | None:
    """Penalty for ``value`` against real speakers: centre = their median, edge = their 95th (or 5th)
    percentile; the norm ``fallback`` when the reference lacks the feature."""
    ref = reference().get(feature)
    if ref is None or value is None or not np.isfinite(value):
        if ref is None and fallback is not None:
            return term(feature, value, fallback, weight, unit=unit, higher_is_worse=higher_is_worse)
        return None
    centre, edge = ref["p50"], ref["p95"] if higher_is_worse else ref["p5"]
    span = max(abs(edge - centre), MIN_SPAN.get(feature, 1e-6))
    e = ((value - centre) if higher_is_worse else (centre - value)) / span
    where = placement(value, ref)
    units = f" {unit}" if unit else ""
    side = 95 if higher_is_worse else 5
    return Contribution(
        feature,
        round(float(value), 3),
        f"real speakers median {centre:g}, p{side} {edge:g}{units} (n={ref['n']}), {where}",
        round(penalty(e, weight), 2) + 0.0,
        REAL,
    )


def placement(value: float, ref: Mapping[str, float]) -> str:
    """Where ``value`` sits among the real speakers: "at about the 70th percentile", "above p95"."""
    ps = sorted((int(k[1:]), v) for k, v in ref.items() if k.startswith("p"))
    if value > ps[-1][1]:
        return f"above p{ps[-1][0]}"
    if value < ps[0][1]:
        return f"below p{ps[0][0]}"
    pct = float(np.interp(value, [v for _, v in ps], [p for p, _ in ps]))
    return f"about the {pct:.0f}th percentile"


def f0_norm(*, f0_median_hz: float, sex: str = "auto") -> tuple[float, float]:
    """The F0 norm (Hz range) for a voice: per ``sex``, or picked from its median F0 when "auto"."""
    if sex == "male":
        return F0_NORM_MALE
    if sex == "female":
        return F0_NORM_FEMALE
    return F0_NORM_MALE if f0_median_hz < SEX_SPLIT_HZ else F0_NORM_FEMALE


def calm_terms(f: ProsodyFeatures, *, options: ProsodyOptions) -> list[Contribution | None]:
    """Absolute (norm) terms of calm for one stretch."""
    terms = [
        term("speaking_rate", f.speaking_rate, RATE_SYL_S, RATE_W, unit="syl/s"),
        term("f0_spread_st", f.f0_spread_st, F0_SPREAD_ST, F0_SPREAD_W, unit="st"),
        real_term("loudness_spread_db", f.loudness_spread_db, LOUD_SPREAD_W, unit="dB", fallback=(4.0, 8.0)),
        term("loudness_db", f.loudness_db, LOUD_LEVEL_DBFS, LOUD_LEVEL_W, unit="dBFS"),
    ]
    if f.f0_median_hz is not None:
        lo, hi = f0_norm(f0_median_hz=f.f0_median_hz, sex=options.sex)
        above = 12 * np.log2(f.f0_median_hz / hi)  # semitones above the norm's top
        c = term("f0_median_hz", above, (-F0_ABOVE_SPAN, 0.0), F0_LEVEL_W, unit="st", one_sided=True)
        if c is not None:
            terms.append(Contribution(c.feature, f.f0_median_hz, f"{lo:g} to {hi:g} Hz", c.points, c.basis))
    return terms


def rise_term(feature: str, value: float, full: float, weight: float, *, unit: str) -> Contribution:
    """Penalty for rising above the speaker's own baseline: 0 at or below it, -weight at +``full``
    ``unit``, at most -1.5 x weight."""
    points = -weight * float(np.clip(value / full, 0.0, 1.5))
    ref = f"own call median; -{weight:g} at +{full:g} {unit}"
    return Contribution(feature, round(float(value), 3), ref, round(points, 2) + 0.0, BASELINE)


def baseline_terms(window: ProsodyFeatures, call: ProsodyFeatures) -> list[Contribution | None]:
    """Terms of calm for a window against the speaker's own call-level values (rises only)."""
    out: list[Contribution | None] = []
    if window.f0_median_hz and call.f0_median_hz:
        rise = 12 * np.log2(window.f0_median_hz / call.f0_median_hz)
        out.append(rise_term("window_vs_call_f0_st", rise, BASELINE_F0_ST, BASELINE_F0_W, unit="st"))
    if window.loudness_db is not None and call.loudness_db is not None:
        rise = window.loudness_db - call.loudness_db
        out.append(
            rise_term("window_vs_call_loudness_db", rise, BASELINE_LOUD_DB, BASELINE_LOUD_W, unit="dB")
        )
    if window.speaking_rate and call.speaking_rate:
        rise = window.speaking_rate / call.speaking_rate - 1.0
        out.append(rise_term("window_vs_call_rate", rise, BASELINE_RATE, BASELINE_RATE_W, unit="x"))
    return out


def confidence_terms(f: ProsodyFeatures) -> list[Contribution | None]:
    """Absolute (norm) terms of confidence for one stretch."""
    return [
        term("pause_rate", f.pause_rate, PAUSE_RATE_PER_MIN, PAUSE_RATE_W, unit="/min"),
        term("pause_mean", f.pause_mean, PAUSE_MEAN_S, PAUSE_MEAN_W, unit="s"),
        term("filled_pause_rate", f.filled_pause_rate, FILLED_PER_100, FILLED_W, unit="/100 words"),
        real_term("loudness_decline_db", f.loudness_decline_db, DECLINE_W, unit="dB", fallback=(-2.0, 4.0)),
        real_term("final_rise_fraction", f.final_rise_fraction, FINAL_RISE_W, unit="", fallback=(0.0, 0.4)),
        term(
            "articulation_rate",
            f.articulation_rate,
            ARTIC_SYL_S,
            ARTIC_W,
            unit="syl/s",
            higher_is_worse=False,
        ),
        term(
            "loudness_db",
            f.loudness_db,
            QUIET_DBFS,
            QUIET_W,
            unit="dBFS",
            higher_is_worse=False,
            one_sided=True,
        ),
    ]


def combine(name: str, terms: Sequence[Contribution | None]) -> ProsodyScore:
    """100 + the (negative) terms, clipped to 0-100, with a one-line reason naming the biggest costs."""
    kept = sorted((t for t in terms if t is not None), key=lambda t: -abs(t.points))
    score = float(np.clip(FULL_SCORE + sum(t.points for t in kept), 0.0, 100.0))
    movers = [t for t in kept if abs(t.points) >= 0.5][:3]
    said = "; ".join(f"{t.feature} {t.value:g} vs {t.reference} ({t.points:+.1f})" for t in movers)
    reason = f"{name} {score:.0f}/100" + (
        f": {said}" if said else ": every feature as typical as real speakers or calmer"
    )
    return ProsodyScore(round(score, 1), reason, tuple(kept))


def escalation_terms(windows: Sequence[ProsodyScore]) -> list[Contribution]:
    """Mean of the windows' baseline terms, one per feature, for the call-level calm score (none when
    fewer than two windows were scored: one window is its own baseline)."""
    if len(windows) < 2:
        return []
    by_feature: dict[str, list[Contribution]] = {}
    for w in windows:
        for c in w.contributions:
            if c.basis == BASELINE:
                by_feature.setdefault(c.feature, []).append(c)
    out = []
    for feature, cs in by_feature.items():
        worst = max(cs, key=lambda c: c.value)
        out.append(
            Contribution(
                feature,
                worst.value,
                f"{worst.reference}, worst window; points = mean over {len(cs)} windows",
                round(float(np.mean([c.points for c in cs])), 2) + 0.0,
                BASELINE,
            )
        )
    return out


def score_calm(
    *,
    features: ProsodyFeatures,
    options: ProsodyOptions,
    call: ProsodyFeatures | None = None,
    windows: Sequence[ProsodyScore] = (),
) -> ProsodyScore:
    """Calm 0-100 of a stretch.

    Parameters
    ----------
    features : the stretch (whole call, or one window)
    options : sex of the pitch norm
    call : for a window, the speaker's call-level features (its baseline); None for the call itself
    windows : for the call itself, the scored windows whose baseline terms become escalation terms
    """
    if features.problems:
        return not_measured(features.problems[0])
    terms = calm_terms(features, options=options)
    if call is not None:
        terms += baseline_terms(features, call)
    terms += escalation_terms(windows)
    return combine("calm", terms)


def score_confidence(*, features: ProsodyFeatures) -> ProsodyScore:
    """Confidence 0-100 of a stretch (whole call or one window)."""
    if features.problems:
        return not_measured(features.problems[0])
    return combine("confidence", confidence_terms(features))
