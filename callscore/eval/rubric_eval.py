"""Accuracy of a rubric against hand labels: per-item precision/recall/F1 of detecting FAIL, and macro-F1.

A label file lists (transcript JSON or audio path, item id, expected status[, split]) as TSV or JSON.
The useful question for a QA team is "when callscore flags an item as failed, is it right, and does it
catch the real failures?", so FAIL is the positive class:

- precision = calls correctly flagged FAIL / calls flagged FAIL
- recall    = calls correctly flagged FAIL / calls that really FAIL
- F1        = harmonic mean; undefined (shown "-") for an item with no real and no flagged failures
- macro-F1  = mean F1 over items where it is defined
- agreement = share of labels whose status (pass/fail/not_applicable/not_measured) matches exactly
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from callscore.errors import CallscoreError
from callscore.rubric.schema import Rubric
from callscore.scorecard import FAIL, STATUSES, Scorecard
from callscore.transcript.model import Transcript

_ALIASES = {"na": "not_applicable", "n/a": "not_applicable", "nm": "not_measured", "ok": "pass"}
FAIL_DEFINITION = (
    "FAIL is the positive class: precision = correct FAIL flags / all FAIL flags; recall = correct FAIL "
    "flags / all true FAILs; F1 undefined ('-') when an item has neither; macro-F1 = mean of defined F1s; "
    "agreement = exact status matches / labels."
)


@dataclass(frozen=True)
class Label:
    """One expected outcome.

    Attributes:
        path: Transcript JSON (or audio) path, resolved against the label file's folder.
        item: Rubric item id.
        expected: "pass", "fail", "not_applicable" or "not_measured".
        split: Optional split name ("dev", "test"), "" when not given.
        line: Line (TSV) or index (JSON) in the label file.
    """

    path: str
    item: str
    expected: str
    split: str = ""
    line: int = 0


@dataclass(frozen=True)
class Mismatch:
    """A label the rubric got wrong. Attributes: call, item, expected, got, reason."""

    call: str
    item: str
    expected: str
    got: str
    reason: str


@dataclass(frozen=True)
class ItemMetrics:
    """Counts and scores of one item (FAIL = positive class).

    Attributes:
        item: Item id.
        n: Labels of this item.
        tp: Expected FAIL, flagged FAIL.
        fp: Flagged FAIL, expected something else.
        fn: Expected FAIL, not flagged.
        agree: Labels whose status matched exactly.
        precision: tp / (tp + fp), None when nothing was flagged.
        recall: tp / (tp + fn), None when nothing really failed.
        f1: Harmonic mean, None when tp + fp + fn == 0.
    """

    item: str
    n: int
    tp: int
    fp: int
    fn: int
    agree: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class EvalReport:
    """Result of evaluating a rubric on a label set.

    Attributes:
        rubric_id: Rubric evaluated.
        rubric_version: Its version.
        calls: Number of calls scored.
        labels: Number of labels compared.
        items: Per-item metrics, in rubric order.
        macro_f1: Mean of defined per-item F1, None when none is defined.
        agreement: Exact status agreement over all labels.
        mismatches: Every label the rubric got wrong.
    """

    rubric_id: str
    rubric_version: str
    calls: int
    labels: int
    items: tuple[ItemMetrics, ...]
    macro_f1: float | None
    agreement: float
    mismatches: tuple[Mismatch, ...]


def read_labels(path: str | os.PathLike[str]) -> list[Label]:
    """Read labels from TSV (``path<TAB>item<TAB>expected[<TAB>split]``, optional header, ``#`` comments)
    or JSON (a list of objects with transcript/item/expected[/split], or {"labels": [...]}).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CallscoreError(f"{p}: cannot read label file ({e})") from e
    rows: list[tuple[int, list[str]]] = []
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise CallscoreError(f"{p}: not valid JSON ({e})") from e
        data = data.get("labels") if isinstance(data, dict) else data
        if not isinstance(data, list):
            raise CallscoreError(f"{p}: expected a list of labels (or {{'labels': [...]}})")
        for k, row in enumerate(data):
            if not isinstance(row, dict):
                raise CallscoreError(f"{p}: label {k} must be an object with transcript, item, expected")
            rows.append(
                (
                    k,
                    [str(row.get(f, "")) for f in ("transcript", "item", "expected")]
                    + [str(row.get("split", ""))],
                )
            )
    else:
        for k, rec in enumerate(csv.reader(text.splitlines(), delimiter="\t"), start=1):
            if not rec or not "".join(rec).strip() or rec[0].lstrip().startswith("#"):
                continue
            if k == 1 and len(rec) >= 3 and rec[2].strip().lower() == "expected":
                continue  # header
            rows.append((k, [c.strip() for c in rec]))
    out = []
    for line, rec in rows:
        where = f"{p}:{line}" if p.suffix.lower() != ".json" else f"{p}: label {line}"
        if len(rec) < 3 or not rec[0] or not rec[1]:
            raise CallscoreError(f"{where}: need transcript path, item id and expected status")
        expected = _ALIASES.get(rec[2].lower(), rec[2].lower())
        if expected not in STATUSES:
            raise CallscoreError(f"{where}: expected status {rec[2]!r} is not one of {', '.join(STATUSES)}")
        target = rec[0] if os.path.isabs(rec[0]) else str(p.parent / rec[0])
        out.append(Label(target, rec[1], expected, rec[3] if len(rec) > 3 else "", line))
    if not out:
        raise CallscoreError(f"{p}: no labels found")
    return out


def load_call(path: str) -> Transcript:
    """The transcript at ``path``: a transcript JSON is read; audio is transcribed (cached)."""
    from callscore.transcript.model import is_transcript_file, load_transcript

    if is_transcript_file(path):
        return load_transcript(path)
    from callscore.transcript.transcribe import transcribe_path

    return transcribe_path(path)


def evaluate(
    labels: Sequence[Label],
    *,
    rubric: Rubric,
    split: str | None = None,
    score: Callable[[str], Scorecard] | None = None,
) -> EvalReport:
    """Score every labelled call once and compare with the labels.

    Parameters
    ----------
    labels : from :func:`read_labels`
    rubric : the rubric to evaluate
    split : only labels of this split (None: all)
    score : path -> Scorecard (default: load/transcribe the call and :func:`score_transcript` it)
    """
    from callscore.scorecard import score_transcript

    chosen = [lb for lb in labels if split is None or lb.split == split]
    if not chosen:
        raise CallscoreError(f"no labels in split {split!r}")
    for lb in chosen:
        if rubric.item(lb.item) is None:
            raise CallscoreError(f"label line {lb.line}: unknown item {lb.item!r} for rubric {rubric.id}")

    def default_score(path: str) -> Scorecard:
        return score_transcript(load_call(path), rubric=rubric, call_id=Path(path).stem)

    scorer = score or default_score
    cards: dict[str, Scorecard] = {}
    for lb in chosen:
        if lb.path not in cards:
            cards[lb.path] = scorer(lb.path)
    per_item: dict[str, list[tuple[str, str]]] = {}
    mismatches = []
    for lb in chosen:
        res = cards[lb.path].item(lb.item)
        got = res.status if res else "missing"
        per_item.setdefault(lb.item, []).append((lb.expected, got))
        if got != lb.expected:
            mismatches.append(
                Mismatch(Path(lb.path).stem, lb.item, lb.expected, got, res.reason if res else "")
            )
    metrics = [_metrics(i.id, per_item[i.id]) for i in rubric.items if i.id in per_item]
    f1s = [m.f1 for m in metrics if m.f1 is not None]
    return EvalReport(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        calls=len(cards),
        labels=len(chosen),
        items=tuple(metrics),
        macro_f1=sum(f1s) / len(f1s) if f1s else None,
        agreement=sum(m.agree for m in metrics) / len(chosen),
        mismatches=tuple(mismatches),
    )


def _metrics(item: str, pairs: Sequence[tuple[str, str]]) -> ItemMetrics:
    tp = sum(1 for e, g in pairs if e == FAIL and g == FAIL)
    fp = sum(1 for e, g in pairs if e != FAIL and g == FAIL)
    fn = sum(1 for e, g in pairs if e == FAIL and g != FAIL)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return ItemMetrics(
        item, len(pairs), tp, fp, fn, sum(1 for e, g in pairs if e == g), precision, recall, f1
    )


def format_report(report: EvalReport, *, title: str = "") -> str:
    """Plain-text table of an EvalReport, with the metric definitions."""

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    lines = [
        title or f"rubric {report.rubric_id} {report.rubric_version}",
        f"{report.calls} calls, {report.labels} labels",
        f"{'item':<24}{'n':>4}{'tp':>4}{'fp':>4}{'fn':>4}{'prec':>7}{'recall':>8}{'F1':>6}{'agree':>7}",
    ]
    for m in report.items:
        lines.append(
            f"{m.item:<24}{m.n:>4}{m.tp:>4}{m.fp:>4}{m.fn:>4}{f(m.precision):>7}{f(m.recall):>8}"
            f"{f(m.f1):>6}{m.agree / m.n:>7.2f}"
        )
    lines.append(
        f"macro-F1 (FAIL detection): {f(report.macro_f1)}   status agreement: {report.agreement:.3f}"
    )
    lines.append(FAIL_DEFINITION)
    return "\n".join(lines)


def report_to_dict(report: EvalReport) -> dict[str, object]:
    """Plain-JSON form of an EvalReport."""
    from dataclasses import asdict

    return asdict(report)
