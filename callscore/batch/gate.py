"""CI gate: score recordings, pass or fail each against a bar, and write JUnit XML for CI dashboards.

A call passes when its total reaches ``min_score`` and, with ``fail_on_critical``, no critical item failed.
A call that cannot be scored (or that no item could score) fails the gate. JUnit XML has one ``testsuite``
per call holding one ``testcase`` for the call's verdict and one per rubric item: failed items carry the
reason and evidence, not-applicable and not-measured items are ``skipped``.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from callscore.batch.driver import RunKey
from callscore.batch.inputs import CallInput
from callscore.batch.pool import local_results
from callscore.batch.work import ScorerFactory, WorkItem, WorkResult, score_one
from callscore.pipeline import PipelineOptions
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, Scorecard, scorecard_from_dict

DEFAULT_MIN_SCORE = 75.0  # points of 100


@dataclass(frozen=True)
class GateOptions:
    """What a call must reach.

    Attributes:
        min_score: Lowest passing total (0-100).
        fail_on_critical: A failed critical item fails the call whatever its total.
    """

    min_score: float = DEFAULT_MIN_SCORE
    fail_on_critical: bool = False


@dataclass(frozen=True)
class GateVerdict:
    """The gate's decision on one call.

    Attributes:
        call_id: Identifier.
        source: Input file.
        passed: True when the call meets the bar.
        reasons: Why it failed (empty when it passed).
        card: The scorecard, or None when the call could not be scored.
        error: One-line scoring error, or None.
        wall_s: Seconds spent scoring it.
    """

    call_id: str
    source: str
    passed: bool
    reasons: tuple[str, ...] = ()
    card: Scorecard | None = None
    error: str | None = None
    wall_s: float = 0.0


def judge(card: Scorecard, *, options: GateOptions, source: str = "", wall_s: float = 0.0) -> GateVerdict:
    """Pass/fail of one scorecard against ``options``."""
    reasons = []
    if card.total is None:
        reasons.append("no rubric item could be scored")
    elif not math.isfinite(card.total):  # NaN < min_score is False: it used to pass (issue 16)
        reasons.append(f"score {card.total} is not a finite number")
    elif card.total < options.min_score:
        reasons.append(f"score {card.total:.1f} below {options.min_score:g}")
    if options.fail_on_critical and card.critical_failed:
        ids = ", ".join(i.id for i in card.critical_failures)
        reasons.append(f"critical item failed: {ids}")
    return GateVerdict(card.call_id, source or card.source, not reasons, tuple(reasons), card, None, wall_s)


def _verdict(res: WorkResult, options: GateOptions) -> GateVerdict:
    it = res.item
    if res.error is not None or res.scorecard_json is None:
        reason = res.error or "no scorecard produced"
        return GateVerdict(it.call_id, it.path, False, (reason,), None, reason, res.wall_s)
    card = scorecard_from_dict(json.loads(res.scorecard_json), source=it.path)
    return judge(card, options=options, source=it.path, wall_s=res.wall_s)


def run_gate(
    calls: Sequence[CallInput],
    *,
    options: GateOptions,
    factory: ScorerFactory,
    pipeline: PipelineOptions | None,
    jobs: int = 1,
) -> Iterator[GateVerdict]:
    """Score ``calls`` (in this process when ``jobs`` is 1, else in a process pool) and judge each.

    Yields verdicts in input order once all are in (with one job, as each finishes). Raises
    BatchError when the scorer cannot start.
    """
    from callscore.batch.driver import BatchError

    items = [WorkItem(c.call_id, c.path, "") for c in calls]
    if jobs <= 1:
        score = factory(pipeline)
        for it in items:
            yield _verdict(score_one(score, it, html=False), options)
        return
    got: dict[str, GateVerdict] = {}
    for res in local_results(items, jobs=jobs, factory=factory, pipeline=pipeline, html=False):
        if res.fatal:
            raise BatchError(res.error or "the scorer could not start")
        got[res.item.call_id] = _verdict(res, options)
    yield from (got[it.call_id] for it in items)


def _evidence_text(card_item: Any) -> str:
    lines = [card_item.reason]
    for e in card_item.evidence:
        who = f" {e.role or e.speaker}" if (e.role or e.speaker) else ""
        lines.append(f"[{e.start:.1f}-{e.end:.1f} s{who}] {e.quote}" + (f" ({e.note})" if e.note else ""))
    return "\n".join(lines)


def junit_xml(verdicts: Sequence[GateVerdict], *, options: GateOptions, key: RunKey | None = None) -> str:
    """JUnit XML: a testsuite per call with a verdict testcase and one testcase per rubric item."""
    root = ET.Element("testsuites", name="callscore")
    n_tests = n_fail = n_err = n_skip = 0
    total_time = 0.0
    for v in verdicts:
        suite = ET.SubElement(root, "testsuite", name=v.call_id)
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="source", value=v.source)
        ET.SubElement(props, "property", name="min_score", value=f"{options.min_score:g}")
        if key is not None:
            ET.SubElement(props, "property", name="model", value=key.model)
        t = f"{v.wall_s:.3f}"
        case = ET.SubElement(suite, "testcase", classname=v.call_id, name="call meets the bar", time=t)
        tests, fails, errs, skips = 1, 0, 0, 0
        if v.error is not None:
            ET.SubElement(case, "error", message=v.error, type="ScoringError").text = v.error
            errs += 1
        elif not v.passed:
            ET.SubElement(case, "failure", message="; ".join(v.reasons), type="GateFailure").text = "\n".join(
                v.reasons
            )
            fails += 1
        if v.card is not None:
            ET.SubElement(
                props, "property", name="rubric", value=f"{v.card.rubric_id} {v.card.rubric_version}"
            )
            ET.SubElement(
                props, "property", name="total", value="" if v.card.total is None else f"{v.card.total}"
            )
            for it in v.card.items:
                label = f"{it.id}: {it.title}" + (" [critical]" if it.critical else "")
                ic = ET.SubElement(suite, "testcase", classname=v.call_id, name=label, time="0")
                tests += 1
                if it.status == FAIL:
                    ET.SubElement(ic, "failure", message=it.reason, type="ItemFailed").text = _evidence_text(
                        it
                    )
                    fails += 1
                elif it.status in (NOT_APPLICABLE, NOT_MEASURED):
                    ET.SubElement(ic, "skipped", message=f"{it.status}: {it.reason}")
                    skips += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(fails))
        suite.set("errors", str(errs))
        suite.set("skipped", str(skips))
        suite.set("time", t)
        n_tests, n_fail, n_err, n_skip = n_tests + tests, n_fail + fails, n_err + errs, n_skip + skips
        total_time += v.wall_s
    for k, val in (("tests", n_tests), ("failures", n_fail), ("errors", n_err), ("skipped", n_skip)):
        root.set(k, str(val))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def gate_exit_code(verdicts: Sequence[GateVerdict]) -> int:
    """0 when every call passed, 1 otherwise (also when there were no calls: nothing was checked)."""
    return 0 if verdicts and all(v.passed for v in verdicts) else 1


__all__ = [
    "DEFAULT_MIN_SCORE",
    "GateOptions",
    "GateVerdict",
    "gate_exit_code",
    "judge",
    "junit_xml",
    "run_gate",
]
