"""Score a sentiment model on labelled texts: accuracy, macro-F1, confusion matrix.

Pure functions over ``LabelledText`` rows, so the CLI, the benchmarks and the tests count the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import CallscoreError
from .model import SentimentModel
from .types import LABELS, EvalReport, LabelledText

LABEL_ALIASES = {
    "negative": "negative",
    "neg": "negative",
    "negatif": "negative",
    "-1": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "netral": "neutral",
    "0": "neutral",
    "positive": "positive",
    "pos": "positive",
    "positif": "positive",
    "1": "positive",
}


class LabelsFileError(CallscoreError):
    """A labelled-text file that cannot be read; the message names the file and line."""


def read_labels(path: Path) -> list[LabelledText]:
    """Rows of a ``text<TAB>label`` file (labels: negative/neutral/positive, also neg/neu/pos, -1/0/1).

    A first line whose label column is "label" is a header and skipped; blank lines are skipped.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LabelsFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LabelsFileError(f"{path}: cannot read ({e})") from e
    rows: list[LabelledText] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        text, tab, label = line.rpartition("\t")
        if not tab:
            raise LabelsFileError(f"{path}:{n}: expected text<TAB>label, found no tab")
        key = label.strip().lower()
        if n == 1 and key == "label":
            continue
        if key not in LABEL_ALIASES:
            raise LabelsFileError(f"{path}:{n}: label {label.strip()!r} is not one of {', '.join(LABELS)}")
        rows.append(LabelledText(text.strip(), LABEL_ALIASES[key], n))
    if not rows:
        raise LabelsFileError(f"{path}: no labelled rows")
    return rows


def report_from_predictions(
    *, gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS, model: str = ""
) -> EvalReport:
    """Accuracy, per-label F1, macro-F1 and confusion matrix of predicted vs gold labels.

    Macro-F1 averages over ``labels`` that occur in gold or predictions (absent ones would count 0 or
    be undefined).
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    labs = tuple(labels)
    pos = {lbl: i for i, lbl in enumerate(labs)}
    conf = [[0] * len(labs) for _ in labs]
    for g, p in zip(gold, predicted, strict=False):
        conf[pos[g]][pos[p]] += 1
    f1s = []
    used = []
    for i in range(len(labs)):
        tp = conf[i][i]
        n_gold = sum(conf[i])
        n_pred = sum(row[i] for row in conf)
        f1s.append(2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0)
        if n_gold + n_pred:
            used.append(f1s[-1])
    n = len(gold)
    correct = sum(conf[i][i] for i in range(len(labs)))
    return EvalReport(
        n=n,
        accuracy=correct / n if n else 0.0,
        macro_f1=sum(used) / len(used) if used else 0.0,
        f1=tuple(f1s),
        labels=labs,
        confusion=tuple(tuple(r) for r in conf),
        model=model,
    )


def evaluate(rows: Sequence[LabelledText], *, model: SentimentModel) -> EvalReport:
    """Score ``model`` on ``rows`` (all three labels)."""
    predicted = [s.label for s in model.predict([r.text for r in rows])]
    return report_from_predictions(gold=[r.label for r in rows], predicted=predicted, model=model.name)


def format_report(report: EvalReport, *, title: str = "") -> list[str]:
    """Plain-text lines: counts, accuracy, macro-F1, F1 per label and the confusion matrix."""
    width = max(len(lbl) for lbl in report.labels) + 2
    lines = [title] if title else []
    lines += [
        f"texts     {report.n}",
        f"accuracy  {report.accuracy:.4f}",
        f"macro-F1  {report.macro_f1:.4f}",
        "F1        " + "  ".join(f"{lbl} {f:.4f}" for lbl, f in zip(report.labels, report.f1, strict=False)),
        "confusion (rows gold, columns predicted):",
        " " * width + "".join(f"{lbl:>{width}}" for lbl in report.labels),
    ]
    for lbl, row in zip(report.labels, report.confusion, strict=False):
        lines.append(f"{lbl:<{width}}" + "".join(f"{v:>{width}}" for v in row))
    return lines


def report_to_dict(report: EvalReport) -> dict[str, object]:
    """JSON-ready form of a report."""
    return {
        "model": report.model,
        "n": report.n,
        "accuracy": report.accuracy,
        "macro_f1": report.macro_f1,
        "f1": dict(zip(report.labels, report.f1, strict=False)),
        "labels": list(report.labels),
        "confusion": [list(r) for r in report.confusion],
    }
