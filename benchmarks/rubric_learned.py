"""Would a learned per-item classifier judge unseen calls better than the rubric engine? Leave one set out.

    python benchmarks/rubric_learned.py --lang id            # engine vs classifier, five folds
    python benchmarks/rubric_learned.py --lang en --blind    # + the engine as it was when each set was blind

The engine's phrases and examples were tuned on every development set (v2 to v7), so its figure on any of
them is optimistic. This benchmark asks what a model *learned* from the other sets does on the one left
out: for each fold (v3, v4, v5, v6 with both halves, v7; v2 only ever trains) and each item, a logistic
regression on TF-IDF character (2-5) and word (1-2) n-grams of the agent's and the customer's words, its C
chosen by leave-one-set-out inside the training sets, predicts FAIL (pass and n/a together are not-FAIL);
for the complaint items it also predicts "not applicable" (is there a complaint at all?). F1 of detecting
FAIL is printed per item and fold, with the macro over the items and the mean over the folds.

``--blind`` adds the honest engine figure: each set scored by the engine as it stood in git when that set
was first scored blind (``git archive`` of ``BLIND_ENGINE``'s commit into a temporary folder; it needs the
repository's history and is skipped without it), and a hybrid, the classifier plus that blind engine's
verdict. v8 is never read: it is the held-out set. The first run (2026-12-04) is in docs/rubrics.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "benchmarks"))

import rubric_v2  # noqa: E402

SETS = ("v2", "v3", "v4", "v5", "v6", "v7")  # never v8
FOLDS = ("v3", "v4", "v5", "v6", "v7")
ITEMS = (
    "explain_cause",
    "solution_next_step",
    "apology_on_complaint",
    "empathy",
    "ownership",
    "no_blaming_language",
)
COMPLAINT_ITEM = "apology_on_complaint"  # the complaint items share one "not applicable" label
CS = (0.1, 1.0, 10.0)
ENGINE_WEIGHT = 3.0  # the engine's one-hot verdict against the l2-normalised TF-IDF blocks
# The commit whose engine first scored each set blind (v2's had been tuned on v2's dev half; v6's on v6's).
BLIND_ENGINE = {
    "v2": "724571d",
    "v3": "724571d",
    "v4": "2f028a2",
    "v5": "360059f",
    "v6": "56c4df3",
    "v7": "0404763",
}
OLD_ENGINE = """
import json, sys
from pathlib import Path
old = Path(sys.argv[1])
sys.path[:0] = [str(old / "benchmarks"), str(old), str(old / "tests")]
import rubric_v2 as rv
from callscore.rubric.schema import load_rubric
from callscore.scorecard import score_transcript
calls = rv.load_calls(path=Path(sys.argv[2]), language=sys.argv[3])
rubric = load_rubric(rv.RUBRICS[sys.argv[3]])
print(json.dumps({c.id: {i: getattr(score_transcript(rv.transcript_of(c), rubric=rubric, call_id=c.id)
    .item(i), "status", "missing") for i in rv.LABELLED_ITEMS} for c in calls}))
"""


@dataclass(frozen=True)
class Row:
    """One labelled call: its set, the words by role, the reviewer's and the engines' verdicts."""

    set: str
    split: str
    agent: str
    customer: str
    gold: dict[str, str]
    engine: dict[str, str]
    blind: dict[str, str] | None


def _engine(calls: Sequence[rubric_v2.V2Call], lang: str) -> dict[str, dict[str, str]]:
    """The current engine's status per call and labelled item."""
    from callscore.rubric.schema import load_rubric
    from callscore.scorecard import score_transcript

    rubric = load_rubric(rubric_v2.RUBRICS[lang])
    out = {}
    for c in calls:
        card = score_transcript(rubric_v2.transcript_of(c), rubric=rubric, call_id=c.id)
        out[c.id] = {i: getattr(card.item(i), "status", "missing") for i in rubric_v2.LABELLED_ITEMS}
    return out


def _blind_engine(name: str, lang: str, tmp: Path) -> dict[str, dict[str, str]] | None:
    """The verdicts of the engine that first scored set ``name`` blind; None without the git history."""
    commit = BLIND_ENGINE[name]
    tree = tmp / commit
    if not tree.is_dir():
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True)
        if archive.returncode != 0:
            return None
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    path = rubric_v2.SETS[name][lang]
    run = subprocess.run(
        [sys.executable, "-c", OLD_ENGINE, str(tree), str(path), lang],
        capture_output=True,
        text=True,
        cwd=tree,
    )
    return json.loads(run.stdout) if run.returncode == 0 else None


def load(lang: str, *, blind: bool) -> list[Row]:
    """Every call of v2 to v7 in ``lang`` with its verdicts."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in SETS:
            calls = rubric_v2.load_calls(path=rubric_v2.SETS[name][lang], language=lang)
            eng = _engine(calls, lang)
            old = _blind_engine(name, lang, Path(tmp)) if blind else None
            if blind and old is None:
                print(
                    f"--blind: the engine of {BLIND_ENGINE[name]} is not in this clone; skipped",
                    file=sys.stderr,
                )
                blind = False
            for c in calls:
                words = {
                    r: " ".join(t.text for t in c.turns if t.role == r).lower() for r in ("agent", "customer")
                }
                rows.append(
                    Row(
                        name,
                        c.split,
                        words["agent"],
                        words["customer"],
                        dict(c.verdicts),
                        eng[c.id],
                        old[c.id] if old else None,
                    )
                )
    if not blind:
        rows = [Row(r.set, r.split, r.agent, r.customer, r.gold, r.engine, None) for r in rows]
    return rows


def _features(train: Sequence[Row]) -> Callable[[Sequence[Row]], sparse.csr_matrix]:
    """TF-IDF blocks (characters, words; agent, customer) fitted on ``train``."""
    blocks = []
    for field in ("agent", "customer"):
        for kw in (
            {"analyzer": "char_wb", "ngram_range": (2, 5)},
            {"analyzer": "word", "ngram_range": (1, 2)},
        ):
            v = TfidfVectorizer(min_df=2, sublinear_tf=True, **kw)  # type: ignore[arg-type]
            v.fit([getattr(r, field) for r in train])
            blocks.append((field, v))
    return lambda rs: sparse.hstack([v.transform([getattr(r, f) for r in rs]) for f, v in blocks]).tocsr()


def _with_engine(x: sparse.csr_matrix, rows: Sequence[Row], item: str) -> sparse.csr_matrix:
    verdicts = [(r.blind or {}).get(item) for r in rows]
    onehot = np.array([[v == "fail", v == "not_applicable", v == "pass"] for v in verdicts], dtype=float)
    return sparse.hstack([x, sparse.csr_matrix(onehot * ENGINE_WEIGHT)]).tocsr()


def _fit(x: sparse.csr_matrix, y: np.ndarray, test: sparse.csr_matrix, c: float) -> np.ndarray:
    if len(set(y.tolist())) < 2:
        return np.full(test.shape[0], y[0])
    model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000)
    return np.asarray(model.fit(x, y).predict(test))


def _learned(x: sparse.csr_matrix, y: np.ndarray, groups: np.ndarray, test: sparse.csr_matrix) -> np.ndarray:
    """Predictions on ``test``, C chosen by leave-one-set-out inside the training sets."""
    best, best_f = CS[0], -1.0
    for c in CS:
        pred = np.zeros_like(y)
        for g in sorted(set(groups.tolist())):
            out = groups == g
            pred[out] = _fit(x[~out], y[~out], x[out], c)
        f = float(f1_score(y, pred, zero_division=0))
        if f > best_f + 1e-9:
            best, best_f = c, f
    return _fit(x, y, test, best)


def _f1(y: np.ndarray, p: np.ndarray) -> float | None:
    return None if y.sum() == 0 and p.sum() == 0 else float(f1_score(y, p, zero_division=0))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-item, per-fold F1 table and the applicability table."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--lang", choices=("id", "en"), default="id")
    ap.add_argument("--blind", action="store_true", help="also the engine as it was when each set was blind")
    args = ap.parse_args(argv)
    rows = load(args.lang, blind=args.blind)
    blind = rows[0].blind is not None
    cols = ("engine", "blind", "learned", "hybrid") if blind else ("engine", "learned")
    sets = np.array([r.set for r in rows])
    table: dict[tuple[str, str], dict[str, float | None]] = {}
    applicable: dict[str, dict[str, float | None]] = {}
    for fold in FOLDS:
        train = [r for r in rows if r.set != fold]
        test = [r for r in rows if r.set == fold]
        feats = _features(train)
        xtr, xte, groups = feats(train), feats(test), sets[sets != fold]
        for item in ITEMS:
            y = np.array([r.gold[item] == "fail" for r in train], dtype=int)
            gold = np.array([r.gold[item] == "fail" for r in test], dtype=int)
            got = {
                "engine": np.array([r.engine[item] == "fail" for r in test], dtype=int),
                "learned": _learned(xtr, y, groups, xte),
            }
            if blind:
                got["blind"] = np.array([(r.blind or {})[item] == "fail" for r in test], dtype=int)
                got["hybrid"] = _learned(
                    _with_engine(xtr, train, item), y, groups, _with_engine(xte, test, item)
                )
            table[(item, fold)] = {k: _f1(gold, got[k]) for k in cols}
        y = np.array([r.gold[COMPLAINT_ITEM] == "na" for r in train], dtype=int)
        gold = np.array([r.gold[COMPLAINT_ITEM] == "na" for r in test], dtype=int)
        applicable[fold] = {
            "engine": _f1(
                gold, np.array([r.engine[COMPLAINT_ITEM] == "not_applicable" for r in test], dtype=int)
            ),
            "learned": _f1(gold, _learned(xtr, y, groups, xte)),
        }
        if blind:
            na = np.array([(r.blind or {})[COMPLAINT_ITEM] == "not_applicable" for r in test], dtype=int)
            applicable[fold]["blind"] = _f1(gold, na)

    def cell(v: float | None) -> str:
        return "  -  " if v is None else f"{v:.2f}"

    def mean(vs: list[float | None]) -> float | None:
        got = [v for v in vs if v is not None]
        return float(np.mean(got)) if got else None

    print(f"== {args.lang}: F1 of detecting FAIL, leave one set out ({', '.join(cols)})")
    print("   engine = this rubric, tuned on every set (optimistic); learned = trained on the other sets")
    if blind:
        print(
            "   blind = the engine that first scored the set blind; hybrid = learned + that engine's verdict"
        )
    width = 6 * len(cols)
    print(f"{'item':<22}" + "".join(f"{f:>{width}}" for f in (*FOLDS, "mean")))
    for item in ITEMS:
        line = "".join(" " + " ".join(cell(table[(item, f)][k]) for k in cols) for f in FOLDS)
        means = " ".join(cell(mean([table[(item, f)][k] for f in FOLDS])) for k in cols)
        print(f"{item:<22}{line} {means}")
    macro = {f: {k: mean([table[(i, f)][k] for i in ITEMS]) for k in cols} for f in FOLDS}
    line = "".join(" " + " ".join(cell(macro[f][k]) for k in cols) for f in FOLDS)
    overall = {k: mean([macro[f][k] for f in FOLDS]) for k in cols}
    print(f"{'MACRO':<22}{line} {' '.join(cell(overall[k]) for k in cols)}")
    keys = [k for k in ("engine", "blind", "learned") if k in cols]
    print(f"\ncomplaint or not (F1 of 'not applicable', {COMPLAINT_ITEM}; {', '.join(keys)}):")
    for f in FOLDS:
        print(f"  {f}: " + " ".join(cell(applicable[f][k]) for k in keys))
    if blind and overall["blind"] and overall["learned"] and overall["hybrid"]:
        print(
            f"\nmean macro-F1: learned / blind engine {overall['learned'] / overall['blind']:.2f}, "
            f"hybrid / blind engine {overall['hybrid'] / overall['blind']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
