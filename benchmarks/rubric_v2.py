"""Rubric accuracy on the independent v2 set: per-item precision/recall/F1 of detecting FAIL, per split.

    python benchmarks/rubric_v2.py                       # Indonesian and English, dev half
    python benchmarks/rubric_v2.py --split test          # the test half: once, for the final figure
    python benchmarks/rubric_v2.py --lang id --split all --errors
    python benchmarks/rubric_v2.py --set v3 --split test   # v3: blind once (2026-12-02), a dev set since
    python benchmarks/rubric_v2.py --set v4 --split test   # the blind v4 set: once, at the very end

The calls in ``benchmarks/data/rubric_v2/`` were written from the rubric items' descriptions only, never
from the rubrics' phrase lists (see that folder's README). Tune on ``dev``; ``test`` is scored once, at the
end, for the figure that is reported. Times are rough: a turn lasts its words x 0.38 s and starts 0.6 s
after the previous one unless the call gives ``t:`` (start, s) or ``gap:`` (s).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout, ahead of any installed callscore
sys.path.insert(1, str(ROOT / "tests"))  # scripted.py: builds a Transcript from scripted turns

from rubric_contract import WORDING_ITEMS  # noqa: E402
from scripted import ScriptedTurn, transcript_from_turns, turns_from_compact  # noqa: E402

from callscore.errors import CallscoreError  # noqa: E402
from callscore.eval.rubric_eval import EvalReport, Label, evaluate, format_report  # noqa: E402
from callscore.rubric.schema import Rubric, load_rubric  # noqa: E402
from callscore.scorecard import Scorecard, score_transcript  # noqa: E402
from callscore.transcript import Transcript  # noqa: E402


def _set_files(name: str) -> dict[str, Path]:
    """The calls files of one labelled set, by language (``benchmarks/data/rubric_<name>``)."""
    data = ROOT / "benchmarks" / "data" / f"rubric_{name}"
    return {"id": data / "calls_id.yaml", "en": data / "calls_en.yaml"}


# The independent sets, all in this format. v2 (two halves), v3, v4 and v5 (each scored blind once) are dev
# sets; v6 has a dev half and a test half; v7 (scored once on 2026-12-03) is a dev set since 2026-12-04;
# v8, every call "test", was held out whole and scored once on 2026-12-04 (mismatches withheld: BLIND);
# v9, every call "test", was held out whole and scored once on 2026-12-04 after the learned failure gate
# (BLIND); v10, every call "test", was held out whole and scored once on 2026-12-04 after the English gate
# (BLIND). v8, v9 and v10 are development sets since 2026-12-04 (id 1.12.0 / en 1.10.0 was tuned on their
# mismatches): their honest figures are the single blind scores in their READMEs.
# v11, every call "test", was written blind after id 1.12.0 / en 1.10.0 and scored once on 2026-12-05 with
# it and with the rubric before it (mismatches withheld: BLIND).
SETS = {name: _set_files(name) for name in ("v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11")}
FILES = SETS["v2"]
# A set named in BLIND has its mismatches withheld (reading them would make it a dev set), and so does a
# half named in BLIND_SPLITS: v6's test half, scored once on 2026-12-03 (ID 0.78, EN 0.82), stays unlisted.
BLIND: tuple[str, ...] = ("v11",)
BLIND_SPLITS: tuple[tuple[str, str], ...] = (("v6", "test"),)
RUBRICS = {"id": "id-contact-centre", "en": "en-contact-centre"}
SPLITS = ("dev", "test")
# The wording items of both built-in rubrics. Timing items depend on the rough times, prosody on audio:
# neither is labelled here.
LABELLED_ITEMS = WORDING_ITEMS
VERDICTS = ("pass", "fail", "na")
# Issue 12's targets, stated on the test half.
TARGET_MACRO_F1 = 0.90
TARGET_ITEM_F1 = 0.80
TARGET_CRITICAL_RECALL = 0.95  # of failures, for the critical items
CRITICAL_ITEMS = ("no_blaming_language", "no_saya_tidak_tahu")
STATUS = {"pass": "pass", "fail": "fail", "na": "not_applicable"}
CALL_KEYS = {"id", "split", "sector", "register", "shows", "turns", "fail", "na", "why"}
TURN_TIMING = frozenset({"t", "gap", "dur"})  # no "overlap" in this set: starts are given with t


@dataclass(frozen=True)
class V2Call:
    """One labelled call of the v2 set.

    Attributes:
        id: Unique call id ("id-bank-01").
        language: "id" or "en".
        split: "dev" (tune on it) or "test" (final figure only).
        sector: Bank, telco, ... as written in the file.
        register: How the agent speaks (formal, casual, rushed, rude, regional, ...).
        shows: What the call was written to test.
        turns: Timed turns, agent and customer.
        verdicts: (item, "pass" | "fail" | "na") for every labelled item, in LABELLED_ITEMS order.
        why: (item, one-line reason) for the non-obvious verdicts.
    """

    id: str
    language: str
    split: str
    sector: str
    register: str
    shows: str
    turns: tuple[ScriptedTurn, ...]
    verdicts: tuple[tuple[str, str], ...]
    why: tuple[tuple[str, str], ...]

    def verdict(self, item: str) -> str:
        """The reviewer's verdict on ``item``."""
        return dict(self.verdicts)[item]


def _turns(where: str, raw: object) -> tuple[ScriptedTurn, ...]:
    """Timed turns from the compact form (``a:`` / ``c:`` text, optional ``t`` / ``gap`` / ``dur``)."""
    return turns_from_compact(raw, where=where, timing=TURN_TIMING)


def _call(where: str, raw: object, *, language: str) -> V2Call:
    if not isinstance(raw, dict) or not {"id", "split", "sector", "register", "turns"} <= set(raw):
        raise CallscoreError(f"{where}: a call needs id, split, sector, register and turns")
    if set(raw) - CALL_KEYS:
        raise CallscoreError(f"{where}: unknown keys {sorted(set(raw) - CALL_KEYS)}")
    where = f"{where} ({raw['id']})"
    if raw["split"] not in SPLITS:
        raise CallscoreError(f"{where}: split must be one of {SPLITS}, got {raw['split']!r}")
    fail, na = list(raw.get("fail") or ()), list(raw.get("na") or ())
    why = raw.get("why") or {}
    for name, got in (("fail", fail), ("na", na), ("why", list(why))):
        bad = sorted(set(got) - set(LABELLED_ITEMS))
        if bad:
            raise CallscoreError(f"{where}: {name} names unknown items {bad}")
    if set(fail) & set(na) or len(set(fail)) != len(fail) or len(set(na)) != len(na):
        raise CallscoreError(f"{where}: an item is listed twice in fail/na")
    verdicts = tuple((i, "fail" if i in fail else "na" if i in na else "pass") for i in LABELLED_ITEMS)
    return V2Call(
        id=str(raw["id"]),
        language=language,
        split=str(raw["split"]),
        sector=str(raw["sector"]),
        register=str(raw["register"]),
        shows=str(raw.get("shows", "")),
        turns=_turns(where, raw["turns"]),
        verdicts=verdicts,
        why=tuple((str(k), str(v)) for k, v in why.items()),
    )


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice: PyYAML would keep the last silently, and a second
    ``why:`` or ``fail:`` would quietly replace the reviewer's first verdict."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[object, object]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    dup = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dup:
        raise yaml.constructor.ConstructorError(None, None, f"key {dup[0]!r} given twice", node.start_mark)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_calls(*, path: Path, language: str) -> tuple[V2Call, ...]:
    """Read and check one language's calls file.

    Every item not listed under ``fail:`` or ``na:`` is the reviewer's ``pass``; the file says so in
    its header, and the verdict of every item is resolved here, so nothing downstream guesses.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except (OSError, yaml.YAMLError) as e:
        raise CallscoreError(f"{path}: cannot read the calls file ({e})") from e
    raw = data.get("calls") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise CallscoreError(f"{path}: expected a top-level 'calls:' list")
    calls = tuple(_call(f"{path}: call {k}", c, language=language) for k, c in enumerate(raw))
    seen = Counter(c.id for c in calls)
    dup = sorted(i for i, n in seen.items() if n > 1)
    if dup:
        raise CallscoreError(f"{path}: duplicate call ids {dup}")
    return calls


def transcript_of(call: V2Call) -> Transcript:
    """The call as the engine scores it: a two-speaker transcript from its timed turns."""
    return transcript_from_turns(call.turns, call_id=call.id, language=call.language)


def labels_of(calls: Sequence[V2Call]) -> list[Label]:
    """One evaluation label per (call, item); the label's path is the call id."""
    return [Label(c.id, item, STATUS[v], c.split, n) for n, c in enumerate(calls) for item, v in c.verdicts]


def label_counts(calls: Sequence[V2Call]) -> dict[str, Mapping[str, int]]:
    """Per item: how many pass / fail / na verdicts ``calls`` hold."""
    return {i: Counter(c.verdict(i) for c in calls) for i in LABELLED_ITEMS}


def format_counts(calls: Sequence[V2Call]) -> str:
    """Plain-text table of label counts per item."""
    lines = [f"{'labels':<24}{'pass':>6}{'fail':>6}{'na':>6}"]
    for item, n in label_counts(calls).items():
        lines.append(f"{item:<24}{n['pass']:>6}{n['fail']:>6}{n['na']:>6}")
    return "\n".join(lines)


def format_targets(report: EvalReport) -> str:
    """One line per issue-12 target: met or missed, with the figure, so misses are named."""

    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    macro = report.macro_f1
    lines = [
        f"target macro-F1 >= {TARGET_MACRO_F1:.2f}: {f(macro)} "
        f"{'met' if macro is not None and macro >= TARGET_MACRO_F1 else 'MISSED'}"
    ]
    low = [m for m in report.items if m.f1 is not None and m.f1 < TARGET_ITEM_F1]
    lines.append(
        f"target every item F1 >= {TARGET_ITEM_F1:.2f}: "
        + ("met" if not low else "MISSED by " + ", ".join(f"{m.item} {f(m.f1)}" for m in low))
    )
    for m in report.items:
        if m.item in CRITICAL_ITEMS:
            ok = m.recall is not None and m.recall >= TARGET_CRITICAL_RECALL
            lines.append(
                f"target {m.item} failure recall >= {TARGET_CRITICAL_RECALL:.2f}: {f(m.recall)} "
                f"({m.tp} of {m.tp + m.fn}) {'met' if ok else 'MISSED'}"
            )
    return "\n".join(lines)


def _score_one(call_id: str, *, by_id: Mapping[str, V2Call], rubric: Rubric) -> Scorecard:
    """Score one call of the set (the label path is the call id)."""
    return score_transcript(transcript_of(by_id[call_id]), rubric=rubric, call_id=call_id)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--lang", choices=("id", "en", "all"), default="all")
    ap.add_argument("--errors", action="store_true", help="list every mismatch with the engine's reason")
    ap.add_argument(
        "--set",
        choices=tuple(SETS),
        default="v2",
        help="v2..v5, v7 to v10: dev sets; v6: dev and test halves; v11: held out, scored once",
    )
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-item report and label counts for each language and split."""
    args = parse_args(argv)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    for lang in ("id", "en") if args.lang == "all" else (args.lang,):
        if not SETS[args.set][lang].is_file():
            print(f"== rubric_{args.set} {lang}: {SETS[args.set][lang]} is missing\n")
            continue
        calls = load_calls(path=SETS[args.set][lang], language=lang)
        rubric = load_rubric(RUBRICS[lang])
        by_id = {c.id: c for c in calls}

        score = functools.partial(_score_one, by_id=by_id, rubric=rubric)
        for split in splits:
            chosen = [c for c in calls if c.split == split]
            if not chosen:
                if args.split != "all":  # a one-split set has no other half to report
                    print(f"== rubric_{args.set} {lang} {split}: no calls in this split\n")
                continue
            t0 = time.perf_counter()
            report = evaluate(labels_of(chosen), rubric=rubric, score=score)
            took = time.perf_counter() - t0
            title = f"== rubric_{args.set} {lang} {split}: rubric {rubric.id} {rubric.version} ({took:.1f} s)"
            print(format_report(report, title=title))
            print(format_targets(report))
            print(format_counts(chosen))
            if args.errors and (args.set in BLIND or (args.set, split) in BLIND_SPLITS):
                print(f"  (mismatches of the blind {args.set} set are not listed: it is not for tuning)")
            elif args.errors:
                why = {(c.id, i): r for c in chosen for i, r in c.why}
                for m in report.mismatches:
                    note = why.get((m.call, m.item), "")
                    print(f"  {m.call}  {m.item}: expected {m.expected}, got {m.got} - {m.reason}")
                    if note:
                        print(f"      reviewer: {note}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
