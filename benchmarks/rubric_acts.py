"""Do the learned act gates help on calls they were not trained on? Leave one set out, through the engine.

    python benchmarks/rubric_acts.py --lang id
    python benchmarks/rubric_acts.py --lang en --gate 0.5 --items   # another bar than the rubric's

The bundled act models (``models/acts-*.npz``, ``scripts/train_acts.py``) are trained on every development
set, so scoring those sets with them is optimistic twice over. Here each fold (v3, v4, v5, the v6 dev
half, v7) is scored by the rubric with act models trained on the *other* sets only, and by the same rubric
with every ``learned:`` gate taken out; the ratio of the two macro-F1 (all labelled items) is the figure.
The engine's phrases and examples were tuned on every set, this one included, so both columns are
optimistic and the gates' gain is understated where the phrases already fit the set; the held-out sets
(v8 when it was added, v9) give the honest figure (docs/rubrics.md). Takes about a minute per language.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "scripts")]

import rubric_v2  # noqa: E402
import train_acts  # noqa: E402

from callscore.eval.rubric_eval import EvalReport, evaluate  # noqa: E402
from callscore.rubric import acts  # noqa: E402
from callscore.rubric.schema import LearnedGate, Rubric, load_rubric  # noqa: E402
from callscore.scorecard import score_transcript  # noqa: E402

FOLDS = train_acts.FOLDS


def without_gates(rubric: Rubric) -> Rubric:
    """The rubric with every trigger's ``learned:`` gate removed."""
    triggers = {n: dataclasses.replace(t, learned=None) for n, t in rubric.triggers.items()}
    return dataclasses.replace(rubric, triggers=triggers)


def _report(calls: Sequence[rubric_v2.V2Call], rubric: Rubric) -> EvalReport:
    by_id = {c.id: c for c in calls}
    return evaluate(
        rubric_v2.labels_of(calls),
        rubric=rubric,
        score=lambda cid: score_transcript(rubric_v2.transcript_of(by_id[cid]), rubric=rubric, call_id=cid),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print macro-F1 per fold with and without the gates, and per gated item with ``--items``."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--lang", choices=("id", "en"), default="id")
    ap.add_argument("--items", action="store_true", help="also F1 of the gated items per fold")
    ap.add_argument(
        "--gate", type=float, help="gate the failure trigger at this P (default: the rubric's gates)"
    )
    args = ap.parse_args(argv)
    lang = args.lang
    rubric = load_rubric(rubric_v2.RUBRICS[lang])
    if args.gate is not None:
        failure = dataclasses.replace(rubric.triggers["failure"], learned=LearnedGate("problem", p=args.gate))
        rubric = dataclasses.replace(rubric, triggers={**rubric.triggers, "failure": failure})
    plain = without_gates(rubric)
    opened = {n for n, t in rubric.triggers.items() if t.learned}
    gated = sorted(i.id for i in rubric.items if set(i.params.get("when", ())) & opened)
    if not opened:
        print(f"{rubric.id}: no trigger has a learned gate (try --gate P)")
        return 0
    print(f"== {lang}: macro-F1 of FAIL detection, gates trained without the fold / no gates")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for fold in FOLDS:
            path = Path(tmp) / f"acts-{lang}-{fold}.npz"
            train_acts.train(lang, path, exclude=(fold,))
            model = acts.load_act_model(path)
            acts.act_model.cache_clear()
            original = acts.act_model
            calls = [
                c
                for c in rubric_v2.load_calls(path=rubric_v2.SETS[fold][lang], language=lang)
                if not (fold == "v6" and c.split == "test")
            ]
            try:
                import callscore.rubric.checks as checks

                checks.act_model = lambda language, m=model: m  # type: ignore[assignment]
                with_gates = _report(calls, rubric)
            finally:
                checks.act_model = original  # type: ignore[assignment]
            base = _report(calls, plain)
            ratio = (with_gates.macro_f1 or 0) / (base.macro_f1 or 1)
            ratios.append(ratio)
            print(
                f"  {fold}: {with_gates.macro_f1:.3f} / {base.macro_f1:.3f} = {ratio:.3f} "
                f"({len(calls)} calls)"
            )
            if args.items:
                f = {m.item: m.f1 for m in base.items}
                for m in with_gates.items:
                    if m.item in gated:
                        b = f.get(m.item)
                        print(
                            f"      {m.item:22s} {m.f1 if m.f1 is not None else float('nan'):.2f} / "
                            f"{b if b is not None else float('nan'):.2f}"
                        )
    print(f"mean ratio, gates / no gates: {sum(ratios) / len(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
