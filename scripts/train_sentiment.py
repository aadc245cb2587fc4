#!/usr/bin/env python
"""Train the bundled sentiment models: ``models/sentiment-id.npz`` and ``models/sentiment-en.npz``.

Indonesian: IndoNLU SmSA (github.com/IndoNLP/indonlu, ``dataset/smsa_doc-sentiment-prosa/``, Apache-2.0),
train split only. English: GoEmotions (Google, Apache-2.0) train split, its 27 emotions grouped into
positive / negative / neutral by the authors' own sentiment grouping (``data/group`` of
github.com/monologg/GoEmotions-pytorch, the same splits); "ambiguous" and multi-group rows are left out.
Test splits are never read; valid splits are not read either (they are the benchmark's held-out set).

``--extra FILE`` adds callscore's own call-centre sentences (``scripts/data/sentiment_train_calls_LANG.tsv``,
written for this project, Apache-2.0 like the code; none of them is in the benchmark's call set) to the
final fit, ``--extra-repeat`` times each: review and Reddit text says little about how people talk on a
support line ("sudah nyala lagi", "mohon ditunggu").

Every training sentence is kept as written and once more rewritten Whisper-style
(``callscore.sentiment.augment``). Hyper-parameters (C, class weighting) are chosen by stratified 3-fold
cross-validation on the train split, scored by macro-F1 over the held-out fold in both its written and its
Whisper-style form (English: on a seeded sample of 12,000 train rows, ``--cv-sample``, to fit the time).
Seeded: the same data give the same weights.

    python scripts/train_sentiment.py --language id --indonlu /path/to/indonlu
    python scripts/train_sentiment.py --language en --goemotions /path/to/GoEmotions-pytorch
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from callscore.sentiment.augment import whisper_style
from callscore.sentiment.features import FeatureConfig, vectorise
from callscore.sentiment.model import save_linear_model
from callscore.sentiment.types import LABELS

ROOT = Path(__file__).resolve().parent.parent
SEED = 13
GRID_C = (2.0, 5.0, 12.0)
GRID_WEIGHT = (None, "balanced")
GOEMOTIONS_GROUPS = {1: "negative", 2: "neutral", 3: "positive"}  # 0 = ambiguous, left out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_smsa(path: Path, *, header: bool = False) -> list[tuple[str, str]]:
    """SmSA TSV: text <TAB> label, no header (our own files: with a header)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (header and n == 0):
            continue
        text, _, label = line.rpartition("\t")
        if label not in LABELS:
            raise SystemExit(f"{path}: unexpected label {label!r}")
        rows.append((text, label))
    return rows


def read_goemotions(path: Path) -> list[tuple[str, str]]:
    """GoEmotions group TSV: text <TAB> comma-separated group ids <TAB> comment id."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        groups = {int(g) for g in parts[1].split(",")}
        if len(groups) == 1 and (g := groups.pop()) in GOEMOTIONS_GROUPS:
            rows.append((parts[0].replace("[NAME]", "").replace("[RELIGION]", ""), GOEMOTIONS_GROUPS[g]))
    return rows


def matrix(texts: list[str], *, config: FeatureConfig, canonical: dict[str, str]) -> sparse.csr_matrix:
    indptr, indices, values = [0], [], []
    for t in texts:
        i, v = vectorise(t, config=config, canonical=canonical)
        indices.append(i)
        values.append(v)
        indptr.append(indptr[-1] + len(i))
    return sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)),
        shape=(len(texts), config.n_buckets),
        dtype=np.float32,
    )


def augmented(rows: list[tuple[str, str]], *, language: str, seed: int) -> list[tuple[str, str]]:
    """The rows as written plus one Whisper-style copy of each."""
    rng = np.random.default_rng(seed)
    return rows + [(whisper_style(t, rng=rng, language=language), y) for t, y in rows]


def fit(X: sparse.csr_matrix, y: np.ndarray, *, C: float, class_weight: str | None) -> LogisticRegression:
    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=300, tol=1e-4)
    return clf.fit(X, y)


def cross_validate(
    rows: list[tuple[str, str]],
    *,
    language: str,
    config: FeatureConfig,
    canonical: dict[str, str],
    grid_c: tuple[float, ...] = GRID_C,
    grid_weight: tuple[str | None, ...] = GRID_WEIGHT,
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Pick C and class weighting by 3-fold CV on the train split (macro-F1, written + Whisper-style)."""
    y_all = np.array([LABELS.index(lbl) for _, lbl in rows])
    folds = list(
        StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED).split(np.zeros(len(rows)), y_all)
    )
    prepared = []
    for k, (tr, te) in enumerate(folds):
        train_rows = augmented([rows[i] for i in tr], language=language, seed=SEED + k)
        rng = np.random.default_rng(SEED + 100 + k)
        test_texts = [rows[i][0] for i in te]
        test_texts += [whisper_style(t, rng=rng, language=language) for t in test_texts]
        X_tr = matrix([t for t, _ in train_rows], config=config, canonical=canonical)
        y_tr = np.array([LABELS.index(lbl) for _, lbl in train_rows])
        X_te = matrix(test_texts, config=config, canonical=canonical)
        y_te = np.concatenate([y_all[te], y_all[te]])
        prepared.append((X_tr, y_tr, X_te, y_te))
    results = []
    for C in grid_c:
        for cw in grid_weight:
            scores = [
                float(f1_score(y_te, fit(X_tr, y_tr, C=C, class_weight=cw).predict(X_te), average="macro"))
                for X_tr, y_tr, X_te, y_te in prepared
            ]
            results.append({"C": C, "class_weight": cw, "cv_macro_f1": round(float(np.mean(scores)), 4)})
            print(f"  C={C:<5} class_weight={cw!s:<9} cv macro-F1 {np.mean(scores):.4f}", flush=True)
    best = max(results, key=lambda r: float(r["cv_macro_f1"]))  # type: ignore[arg-type]
    return best, results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--language", choices=["id", "en"], required=True)
    ap.add_argument("--indonlu", type=Path, help="checkout of github.com/IndoNLP/indonlu (for --language id)")
    ap.add_argument("--goemotions", type=Path, help="checkout of github.com/monologg/GoEmotions-pytorch (en)")
    ap.add_argument("--out", type=Path, help="model file (default models/sentiment-LANG.npz)")
    ap.add_argument("--n-buckets", type=int, default=1 << 18)
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation, use --C/--class-weight")
    ap.add_argument(
        "--cv-sample", type=int, default=0, help="cross-validate on this many train rows (seeded; 0 = all)"
    )
    ap.add_argument("--grid-c", type=float, nargs="+", default=list(GRID_C), help="values of C to try")
    ap.add_argument("--grid-weight", nargs="+", default=["none", "balanced"], choices=["none", "balanced"])
    ap.add_argument("--C", type=float, default=5.0)
    ap.add_argument("--class-weight", default="none", choices=["none", "balanced"])
    ap.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="own text<TAB>label rows, final fit",
    )
    ap.add_argument("--extra-repeat", type=int, default=4, help="copies of each --extra row in the final fit")
    ap.add_argument("--note", default="", help="with --no-cv: how C and the weighting were chosen (to meta)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.language == "id":
        if args.indonlu is None:
            ap.error("--indonlu DIR is required for --language id")
        src = args.indonlu / "dataset" / "smsa_doc-sentiment-prosa" / "train_preprocess.tsv"
        rows = read_smsa(src)
        data = {
            "name": "IndoNLU SmSA train split",
            "url": "https://github.com/IndoNLP/indonlu",
            "file": "dataset/smsa_doc-sentiment-prosa/train_preprocess.tsv",
            "license": "Apache-2.0",
        }
    else:
        if args.goemotions is None:
            ap.error("--goemotions DIR is required for --language en")
        src = args.goemotions / "data" / "group" / "train.tsv"
        rows = read_goemotions(src)
        data = {
            "name": "GoEmotions train split, sentiment groups",
            "url": "https://github.com/google-research/google-research/tree/master/goemotions",
            "file": "data/group/train.tsv (github.com/monologg/GoEmotions-pytorch)",
            "license": "Apache-2.0",
        }
    data["sha256"] = sha256(src)
    data["rows"] = len(rows)
    counts = {lbl: sum(1 for _, y in rows if y == lbl) for lbl in LABELS}
    print(f"{src}: {len(rows)} rows {counts}", flush=True)

    canonical_file = ROOT / "callscore" / "sentiment" / "data" / f"canonical_{args.language}.json"
    canonical = {
        k: v for k, v in json.loads(canonical_file.read_text(encoding="utf-8")).items() if k[0] != "_"
    }
    config = FeatureConfig(n_buckets=args.n_buckets)

    if args.no_cv:
        best: dict[str, object] = {
            "C": args.C,
            "class_weight": None if args.class_weight == "none" else "balanced",
        }
        grid: list[dict[str, object]] = [{"note": args.note}] if args.note else []
    else:
        cv_rows = rows
        if 0 < args.cv_sample < len(rows):
            pick = np.random.default_rng(SEED).choice(len(rows), size=args.cv_sample, replace=False)
            cv_rows = [rows[i] for i in sorted(pick)]
        print(f"cross-validation on {len(cv_rows)} rows of the train split (3 folds):", flush=True)
        best, grid = cross_validate(
            cv_rows,
            language=args.language,
            config=config,
            canonical=canonical,
            grid_c=tuple(args.grid_c),
            grid_weight=tuple(None if w == "none" else w for w in args.grid_weight),
        )
        best = dict(best, cv_rows=len(cv_rows))
    print(f"chosen: {best}", flush=True)

    extra: list[tuple[str, str]] = []
    for path in args.extra:
        extra += read_smsa(path, header=True)
        data.setdefault("extra", []).append(  # type: ignore[union-attr]
            {"file": path.name, "sha256": sha256(path), "license": "Apache-2.0 (callscore's own sentences)"}
        )
    if extra:
        print(f"our own rows: {len(extra)} x {args.extra_repeat}", flush=True)
    final = augmented(rows + extra * args.extra_repeat, language=args.language, seed=SEED)
    X = matrix([t for t, _ in final], config=config, canonical=canonical)
    y = np.array([LABELS.index(lbl) for _, lbl in final])
    clf = fit(X, y, C=float(best["C"]), class_weight=best["class_weight"])  # type: ignore[arg-type]
    weights = clf.coef_.T.astype(np.float32)  # (n_buckets, 3)
    bias = clf.intercept_.astype(np.float32)
    out = args.out or ROOT / "models" / f"sentiment-{args.language}.npz"
    meta = {
        "data": data,
        "augmentation": "each row once as written and once Whisper-style (callscore.sentiment.augment)",
        "seed": SEED,
        "C": best["C"],
        "class_weight": best["class_weight"],
        "cv": grid,
        "trainer": "sklearn LogisticRegression (lbfgs, multinomial)",
    }
    save_linear_model(
        out, weights=weights, bias=bias, config=config, canonical=canonical, language=args.language, meta=meta
    )
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, sha256 {sha256(out)}) "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
