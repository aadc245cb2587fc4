"""Is the customer reporting a problem? The complaint items' applicability on 400 written customer sides.

    python benchmarks/problem_reports.py              # both languages
    python benchmarks/problem_reports.py --lang en --gate 0.3

``benchmarks/data/problem_reports/sides_{id,en}.tsv`` (our own work, Apache-2.0; see its README) holds 200
customer sides per language, each what one customer says across a call, labelled ``problem`` (a complaint
or a reported failure) or ``none`` (requests, questions, praise, failure words said neutrally), half and
half, written to sit on the boundary. Each side becomes a call (the customer's sentences as turns, the
agent answering "baik" / "okay" between them) and is scored by the rubric; "not applicable" on
``apology_on_complaint`` is the engine's "none". Printed per language: F1 of "none" and accuracy, for the
rubric as shipped and for the same rubric with every trigger's ``learned`` gate removed, and their ratio.
``--gate P`` adds a gate at P on the ``failure`` trigger where the rubric has none. No model or phrase was
fitted on these sides (``scripts/train_acts.py`` reads v2 to v7 only). Takes about a minute.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scripted import probe_item  # noqa: E402

from callscore.rubric.schema import LearnedGate, Rubric, load_rubric  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "problem_reports"
OPENING = {"id": "selamat pagi ada yang bisa dibantu", "en": "hello how can i help"}
ANSWER = {"id": "baik", "en": "okay"}


def read_sides(lang: str) -> list[tuple[bool, str]]:
    """(is it a problem report, the side's text) per line of the language's file."""
    out = []
    path = DATA / f"sides_{lang}.tsv"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        label, _, text = line.partition("\t")
        if label not in ("problem", "none") or not text.strip():
            raise SystemExit(f"{path}:{n}: expected 'problem' or 'none', a tab and a text")
        out.append((label == "problem", text))
    return out


def call_of(text: str, lang: str) -> list[tuple[str, str]]:
    """The side as turns: the agent's opening, then each customer sentence and a short answer."""
    turns = [("agent", OPENING[lang])]
    for sentence in text.split(" . "):
        turns += [("customer", sentence), ("agent", ANSWER[lang])]
    return turns


def ungated(rubric: Rubric) -> Rubric:
    """The rubric with every trigger's learned gate removed."""
    return dataclasses.replace(
        rubric, triggers={n: dataclasses.replace(t, learned=None) for n, t in rubric.triggers.items()}
    )


def with_gate(rubric: Rubric, p: float) -> Rubric:
    """The rubric with a learned gate at ``p`` on its failure trigger."""
    failure = dataclasses.replace(rubric.triggers["failure"], learned=LearnedGate("problem", p=p))
    return dataclasses.replace(rubric, triggers={**rubric.triggers, "failure": failure})


def scores(sides: Sequence[tuple[bool, str]], rubric: Rubric) -> tuple[float, float]:
    """F1 of "none" (not applicable) and accuracy of the complaint items' applicability."""
    tp = fp = fn = right = 0
    for problem, text in sides:
        res = probe_item(call_of(text, rubric.language), "apology_on_complaint", rubric=rubric)
        none = res.status == "not_applicable"
        tp += none and not problem
        fp += none and problem
        fn += not none and not problem
        right += none != problem
    return 2 * tp / (2 * tp + fp + fn), right / len(sides)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures per language."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--lang", choices=("id", "en"), action="append")
    ap.add_argument("--gate", type=float, help="gate the failure trigger at this P where the rubric has none")
    args = ap.parse_args(argv)
    for lang in args.lang or ["id", "en"]:
        rubric = load_rubric(f"{lang}-contact-centre")
        if args.gate is not None and rubric.triggers["failure"].learned is None:
            rubric = with_gate(rubric, args.gate)
        sides = read_sides(lang)
        gates = ", ".join(
            f"{n} P {t.learned.p:g}" for n, t in rubric.triggers.items() if t.learned is not None
        )
        f_gate, a_gate = scores(sides, rubric)
        f_none, a_none = scores(sides, ungated(rubric))
        print(f"== {lang} ({rubric.id} {rubric.version}; {len(sides)} sides; gates: {gates or 'none'})")
        print(f"   triggers alone:    F1(none) {f_none:.3f}  accuracy {a_none:.3f}")
        print(f"   with the gates:    F1(none) {f_gate:.3f}  accuracy {a_gate:.3f}")
        print(f"   ratio (gates / triggers alone): F1 {f_gate / f_none:.2f}, accuracy {a_gate / a_none:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
