"""Calm and confidence, 0-100, from prosodic features, with the points each feature moved.

Each score starts at a base and adds one signed term per feature. A term compares the feature with a
reference range (where a calm / confident agent typically is): the middle of the range adds 0, the
favourable edge adds +weight/2, the unfavourable edge -weight/2, and beyond it the penalty grows to at most
-1.5 x weight. One-sided terms (pitch above the norm for the voice, quiet speech) only ever subtract.

Two kinds of reference (see docs/prosody.md):

- **norms**: absolute ranges for conversational speech. Levels that depend on the voice or on the recording
  gain (pitch level, loudness level) get small weights, so a naturally high-pitched agent or a hot
  recording is not called agitated; the pitch norm is the male or female one, picked from the speaker's own
  median F0 unless the options fix it.
- **baseline**: the speaker's own call-level median. Each 60 s window is compared with it (pitch, loudness
  and tempo going *up* from the agent's own usual) with full weight; the call-level calm score carries
  the mean of those window terms as "escalation".

The ranges are engineering defaults from the literature cited in docs/prosody.md and synthetic checks; they
are not fitted to labelled calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from callscore.prosody.features import ProsodyFeatures, ProsodyOptions

CALM_BASE = 75.0  # points for a speaker whose features all sit mid-range
CONFIDENCE_BASE = 70.0  # points

F0_NORM_MALE = (85.0, 180.0)  # Hz, typical adult male speaking F0
F0_NORM_FEMALE = (165.0, 255.0)  # Hz, typical adult female speaking F0
SEX_SPLIT_HZ = 160.0  # Hz; with sex="auto", a median F0 below this gets the male norm
F0_ABOVE_SPAN = 6.0  # semitones above the norm's top at which the pitch-level penalty is full

# (low, high) reference ranges and weights (points). Units in the names.
RATE_SYL_S = (3.5, 5.5)  # speaking rate incl. pauses, conversational speech
RATE_W = 14.0
F0_SPREAD_ST = (1.5, 3.5)  # robust SD of F0 in semitones
F0_SPREAD_W = 12.0
LOUD_SPREAD_DB = (4.0, 8.0)  # robust SD of voiced-frame level
LOUD_SPREAD_W = 10.0
LOUD_LEVEL_DBFS = (-32.0, -18.0)  # median voiced-frame level; gain-dependent, so a small weight
LOUD_LEVEL_W = 5.0
F0_LEVEL_W = 5.0  # pitch above the voice's norm; small: voices differ

# Rises of a window over the speaker's own call median; the full weight is lost at this rise.
BASELINE_F0_ST = 3.0  # semitones of median F0
BASELINE_F0_W = 12.0
BASELINE_LOUD_DB = 6.0  # dB of voiced-frame level
BASELINE_LOUD_W = 10.0
BASELINE_RATE = 0.3  # fraction of speaking rate
BASELINE_RATE_W = 8.0

PAUSE_RATE_PER_MIN = (2.0, 10.0)  # silent pauses >= 0.25 s per minute of speaking time
PAUSE_RATE_W = 10.0
PAUSE_MEAN_S = (0.3, 0.9)  # mean silent pause
PAUSE_MEAN_W = 10.0
FILLED_PER_100 = (0.0, 4.0)  # filled pauses per 100 words
FILLED_W = 12.0
DECLINE_DB = (-2.0, 4.0)  # loudness drop from the start to the end of a run
DECLINE_W = 8.0
FINAL_RISE = (0.0, 0.4)  # share of statement ends with rising pitch
FINAL_RISE_W = 10.0
ARTIC_SYL_S = (4.0, 6.5)  # articulation rate; slow, dragging speech sounds unsure
ARTIC_W = 6.0
QUIET_DBFS = (-38.0, -24.0)  # voiced-frame level below the low end sounds timid; gain-dependent
QUIET_W = 4.0

NORM = "norm"
BASELINE = "baseline"


@dataclass(frozen=True)
class Contribution:
    """One feature's effect on a score.

    Attributes:
        feature: Feature name (a ``ProsodyFeatures`` field, or ``window_vs_call_*`` for baseline terms).
        value: The measured value.
        reference: The reference it was compared with, readable ("3.5 to 5.5 syl/s").
        points: Points added (negative = lowered the score).
        basis: "norm" (absolute reference range) or "baseline" (the speaker's own call median).
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
    """Signed points for ``value`` against the range ``ref`` = (low, high); None when value is None.

    Parameters
    ----------
    feature : name reported in the explanation
    value : the measurement, in ``unit``
    ref : (low, high) reference range in ``unit``
    weight : points; mid-range = 0, favourable edge +weight/2, unfavourable edge -weight/2,
        floor -1.5 x weight
    higher_is_worse : direction of the feature
    one_sided : only penalise values beyond the unfavourable edge (never add points)
    basis : "norm" or "baseline"
    """
    if value is None or not np.isfinite(value):
        return None
    lo, hi = ref
    width = hi - lo
    if one_sided:
        excess = (value - hi) if higher_is_worse else (lo - value)
        d = max(0.0, excess / width)
    else:
        d = (value - (lo + hi) / 2) / width
        d = d if higher_is_worse else -d
    points = -weight * float(np.clip(d, -0.5, 1.5))
    return Contribution(
        feature, round(float(value), 3), f"{lo:g} to {hi:g} {unit}".rstrip(), round(points, 2) + 0.0, basis
    )


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
        term("loudness_spread_db", f.loudness_spread_db, LOUD_SPREAD_DB, LOUD_SPREAD_W, unit="dB"),
        term("loudness_db", f.loudness_db, LOUD_LEVEL_DBFS, LOUD_LEVEL_W, unit="dBFS"),
    ]
    if f.f0_median_hz is not None:
        lo, hi = f0_norm(f0_median_hz=f.f0_median_hz, sex=options.sex)
        above = 12 * np.log2(f.f0_median_hz / hi)  # semitones above the norm's top
        c = term("f0_median_hz", above, (0.0, F0_ABOVE_SPAN), F0_LEVEL_W, unit="st", one_sided=True)
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
        term("loudness_decline_db", f.loudness_decline_db, DECLINE_DB, DECLINE_W, unit="dB"),
        term("final_rise_fraction", f.final_rise_fraction, FINAL_RISE, FINAL_RISE_W, unit=""),
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


def combine(name: str, base: float, terms: Sequence[Contribution | None]) -> ProsodyScore:
    """Base + the terms, clipped to 0-100, with a one-line reason naming the biggest movers."""
    kept = sorted((t for t in terms if t is not None), key=lambda t: -abs(t.points))
    score = float(np.clip(base + sum(t.points for t in kept), 0.0, 100.0))
    movers = [t for t in kept if abs(t.points) >= 0.5][:3]
    said = "; ".join(f"{t.feature} {t.value:g} vs {t.reference} ({t.points:+.1f})" for t in movers)
    reason = f"{name} {score:.0f}/100" + (f": {said}" if said else ": all features mid-range")
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
    return combine("calm", CALM_BASE, terms)


def score_confidence(*, features: ProsodyFeatures) -> ProsodyScore:
    """Confidence 0-100 of a stretch (whole call or one window)."""
    if features.problems:
        return not_measured(features.problems[0])
    return combine("confidence", CONFIDENCE_BASE, confidence_terms(features))
