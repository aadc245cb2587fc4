#!/usr/bin/env python
"""Accuracy of the bundled sentiment models on held-out text, against two baselines run in the same pass.

Held-out sets (never used for training or for choosing hyper-parameters, which were chosen by
cross-validation on the train splits, see scripts/train_sentiment.py):

- id: IndoNLU SmSA **valid** split (read from an IndoNLU checkout, ``--indonlu DIR``; never copied here);
- en: GoEmotions **dev** split, rows with one sentiment group
  (``benchmarks/data/goemotions_dev_sentiment.tsv``, Apache-2.0, Reddit comments);
- our own call-centre sentences (``benchmarks/data/sentiment_calls_{id,en}.tsv``, written for callscore).

Figures: (a) accuracy on the positive and negative rows, positive vs negative; (b) the same on those rows
rewritten as Whisper writes speech (this script's own rewriter, not the training augmenter: lower case, no
punctuation, informal forms, ASR letter errors, fillers); (c) macro-F1 over all three labels. Baselines:
the majority class of the train split (positive) and a vote of the rubric's positive against its negative
phrase lists (positive_language phrases vs positive_language opposite + no_blaming_language phrases), a
tie meaning no answer (wrong in (a)/(b), neutral in (c)).

    python benchmarks/sentiment_accuracy.py [--language id|en|all] [--nusax DIR]

``--nusax DIR`` (a checkout of github.com/IndoNLP/nusax) adds its Indonesian **valid** split as an
out-of-domain check; NusaX is CC BY-SA 4.0, so it is read from the folder given, never shipped.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from pathlib import Path

import numpy as np
import yaml

from callscore.sentiment import get_model, report_from_predictions
from callscore.sentiment.types import LABELS, NEGATIVE, NEUTRAL, POSITIVE

ROOT = Path(__file__).resolve().parent.parent
SMSA_VALID = "dataset/smsa_doc-sentiment-prosa/valid_preprocess.tsv"  # never copied into the repo
DATA = Path(__file__).resolve().parent / "data"
SEED = 2026
TARGETS = {"a": 0.88, "b": 0.85, "c": 0.75}

# The benchmark's own speech rewrite, written apart from callscore.sentiment.augment so that (b) does not
# test the model on exactly the noise it was trained with.
INFORMAL = {
    "id": {
        "tidak": ["nggak", "gak", "enggak", "ga"],
        "sudah": ["udah", "udh"],
        "saja": ["aja"],
        "sangat": ["banget", "sangat"],
        "bagaimana": ["gimana"],
        "begitu": ["gitu"],
        "kalau": ["kalo"],
        "tetapi": ["tapi"],
        "benar": ["bener"],
        "hanya": ["cuma"],
        "memang": ["emang"],
        "sekali": ["banget"],
        "yang": ["yg", "yang"],
        "terima kasih": ["makasih"],
        "saya": ["aku"],
    },
    "en": {
        "do not": ["don't"],
        "does not": ["doesn't"],
        "did not": ["didn't"],
        "is not": ["isn't"],
        "cannot": ["can't"],
        "i am": ["i'm"],
        "going to": ["gonna"],
        "want to": ["wanna"],
        "because": ["cause"],
        "you": ["ya", "you"],
        "okay": ["ok"],
    },
}
FILLERS = {"id": ["eh", "emm", "ya"], "en": ["uh", "um", "like"]}


def speechify(text: str, *, rng: np.random.Generator, language: str) -> str:
    """Text as Whisper would write it from speech: lower case, no punctuation, informal, a few ASR slips."""
    t = " " + " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split()) + " "
    for formal, forms in INFORMAL[language].items():
        t = t.replace(f" {formal} ", f" {forms[int(rng.integers(len(forms)))]} ")
    words = []
    for w in t.split():
        r = rng.random()
        if len(w) > 4 and r < 0.05:  # a letter lost
            i = int(rng.integers(1, len(w) - 1))
            w = w[:i] + w[i + 1 :]
        elif len(w) > 4 and r < 0.08:  # a vowel misheard
            i = int(rng.integers(1, len(w) - 1))
            if w[i] in "aiueo":
                w = w[:i] + "aiueo"[int(rng.integers(5))] + w[i + 1 :]
        words.append(w)
        if rng.random() < 0.04:
            words.append(FILLERS[language][int(rng.integers(len(FILLERS[language])))])
    return " ".join(words)


def read_tsv(path: Path, *, header: bool) -> list[tuple[str, str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (header and n == 0):
            continue
        text, _, label = line.rpartition("\t")
        rows.append((text, label))
    return rows


def read_nusax(folder: Path) -> list[tuple[str, str]]:
    path = folder / "datasets" / "sentiment" / "indonesian" / "valid.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f)]


def phrase_lists(language: str) -> tuple[list[str], list[str], list[str]]:
    """Positive phrases, positive regex patterns and negative phrases of the built-in rubric."""
    rubric = yaml.safe_load(
        (ROOT / "rubrics" / f"{language}-contact-centre.yaml").read_text(encoding="utf-8")
    )
    items = {i["id"]: i for i in rubric["items"]}
    pos = list(items["positive_language"].get("phrases", []))
    patterns = list(items["positive_language"].get("patterns", []))
    neg = list(items["positive_language"].get("opposite", [])) + list(items["no_blaming_language"]["phrases"])
    return pos, patterns, neg


def phrase_vote(text: str, *, pos: list[str], patterns: list[str], neg: list[str]) -> str | None:
    """positive / negative by which phrase list matches more often; None on a tie (no answer)."""
    t = " " + " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) + " "
    n_pos = sum(t.count(f" {p} ") for p in pos) + sum(len(re.findall(p, t)) for p in patterns)
    n_neg = sum(t.count(f" {p} ") for p in neg)
    if n_pos == n_neg:
        return None
    return POSITIVE if n_pos > n_neg else NEGATIVE


def binary_accuracy(gold: list[str], predicted: list[str | None]) -> float:
    return sum(1 for g, p in zip(gold, predicted, strict=False) if g == p) / len(gold)


def run_set(name: str, rows: list[tuple[str, str]], *, language: str, speech_too: bool) -> dict[str, float]:
    model = get_model(language=language)
    pos, patterns, neg = phrase_lists(language)
    rng = np.random.default_rng(SEED)
    gold = [y for _, y in rows]
    texts = [t for t, _ in rows]
    polar = [(t, y) for t, y in rows if y in (POSITIVE, NEGATIVE)]
    print(f"\n== {name}: {len(rows)} rows ({', '.join(f'{lbl} {gold.count(lbl)}' for lbl in LABELS)})")
    out: dict[str, float] = {}
    variants = [("a", "as written", [t for t, _ in polar])]
    if speech_too:
        variants.append(("b", "Whisper-style", [speechify(t, rng=rng, language=language) for t, _ in polar]))
    polar_gold = [y for _, y in polar]
    for key, what, polar_texts in variants:
        probs = [model.predict([t])[0] for t in polar_texts]
        pred = [POSITIVE if s.positive > s.negative else NEGATIVE for s in probs]
        votes = [phrase_vote(t, pos=pos, patterns=patterns, neg=neg) for t in polar_texts]
        acc = binary_accuracy(polar_gold, list(pred))
        out[key] = acc
        answered = sum(v is not None for v in votes) / len(votes)
        target = f"  target >= {TARGETS[key]:.2f} {'MET' if acc >= TARGETS[key] else 'MISSED'}"
        shown = target if name.startswith("held") else ""
        print(f"({key}) positive vs negative, {what}: accuracy {acc:.3f}{shown}")
        print(
            f"    majority class (positive) {binary_accuracy(polar_gold, [POSITIVE] * len(polar)):.3f}; "
            f"phrase-list vote {binary_accuracy(polar_gold, votes):.3f} (answers {answered:.1%} of rows)"
        )
    pred3 = [s.label for s in model.predict(texts)]
    rep = report_from_predictions(gold=gold, predicted=pred3)
    maj = report_from_predictions(gold=gold, predicted=[POSITIVE] * len(gold))
    votes3 = [phrase_vote(t, pos=pos, patterns=patterns, neg=neg) or NEUTRAL for t in texts]
    vote_rep = report_from_predictions(gold=gold, predicted=votes3)
    out["c"] = rep.macro_f1
    out["acc3"] = rep.accuracy
    target = f"  target >= {TARGETS['c']:.2f} {'MET' if rep.macro_f1 >= TARGETS['c'] else 'MISSED'}"
    print(
        f"(c) three labels: macro-F1 {rep.macro_f1:.3f}, accuracy {rep.accuracy:.3f}"
        f"{target if name.startswith('held') else ''}"
    )
    print(
        f"    F1 per label: {', '.join(f'{lbl} {f:.3f}' for lbl, f in zip(rep.labels, rep.f1, strict=False))}"
    )
    print(
        f"    majority class macro-F1 {maj.macro_f1:.3f} (accuracy {maj.accuracy:.3f}); "
        f"phrase-list vote macro-F1 {vote_rep.macro_f1:.3f} (accuracy {vote_rep.accuracy:.3f})"
    )
    print(
        "    confusion (rows gold, columns predicted; negative neutral positive): "
        + "  ".join(str(list(r)) for r in rep.confusion)
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--language", choices=["id", "en", "all"], default="all")
    ap.add_argument(
        "--indonlu",
        type=Path,
        default=os.environ.get("CALLSCORE_INDONLU"),
        help="checkout of github.com/IndoNLP/indonlu (or $CALLSCORE_INDONLU): SmSA valid is read there",
    )
    ap.add_argument("--nusax", type=Path, help="checkout of github.com/IndoNLP/nusax (CC BY-SA, read only)")
    args = ap.parse_args(argv)
    langs = ["id", "en"] if args.language == "all" else [args.language]
    missed = []
    for lang in langs:
        model = get_model(language=lang)
        print(f"\n######## {lang}: model {model.name}")
        if lang == "id":
            smsa = args.indonlu and Path(args.indonlu) / SMSA_VALID
            if not smsa or not smsa.is_file():
                print(f"SKIP: SmSA valid split not found (give --indonlu DIR holding {SMSA_VALID})")
                continue
            held = read_tsv(smsa, header=False)
            res = run_set("held-out IndoNLU SmSA valid", held, language=lang, speech_too=True)
        else:
            held = read_tsv(DATA / "goemotions_dev_sentiment.tsv", header=False)
            res = run_set("held-out GoEmotions dev", held, language=lang, speech_too=True)
        missed += [f"{lang} ({k}) {res[k]:.3f} < {v}" for k, v in TARGETS.items() if res[k] < v]
        run_set(
            f"our call-centre sentences ({lang})",
            read_tsv(DATA / f"sentiment_calls_{lang}.tsv", header=True),
            language=lang,
            speech_too=False,
        )
        if lang == "id" and args.nusax:
            run_set(
                "out-of-domain NusaX Indonesian valid", read_nusax(args.nusax), language=lang, speech_too=True
            )
    print("\nall targets met" if not missed else "\ntargets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
