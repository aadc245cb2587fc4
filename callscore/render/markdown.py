"""``md`` writer: a Markdown report of one call (score, critical failures, items table, evidence quotes).

Scorecard and transcript text is escaped for CommonMark/GFM: punctuation that would start emphasis, links,
code, table cells or raw HTML gets a backslash, so a quote containing ``<script>`` or ``|`` shows as
typed and cannot break the table or inject markup when the report is rendered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from callscore.files import write_text_atomic
from callscore.render.common import (
    STATUS_LABELS,
    evidence_who,
    fmt_score,
    fmt_ts,
    fmt_value,
    fmt_weight,
    one_line,
    ordered_items,
    scalar_metrics,
    summary,
)
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, Evidence, ItemResult

if TYPE_CHECKING:
    from callscore.scorecard import Scorecard
    from callscore.timeline.model import Timeline
    from callscore.transcript.model import Transcript

STATUS_MARK = {PASS: "✅", FAIL: "❌", NOT_APPLICABLE: "➖", NOT_MEASURED: "❔"}
# Punctuation that can start inline Markdown/HTML syntax mid-line (emphasis, code, links, tags, entities,
# table cells, strikethrough). Line-start syntax (#, -, >) cannot occur: escaped text never starts a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    """``text`` on one line, with every Markdown/HTML-significant character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def render(
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
) -> str:
    """The Markdown report as text (GitHub-flavoured tables)."""
    card = scorecard
    head = summary(card)
    crit = card.critical_failures
    out: list[str] = [f"# Call scorecard: {md_escape(card.call_id)}", ""]
    score = f"**Score: {fmt_score(card.total)}{' / 100' if card.total is not None else ''}**"
    crit_txt = f"**Critical: {head.verdict}**" + (f" {head.critical}" if crit else "")
    out += [f"{score} · {crit_txt}", "", head.counts, ""]
    out.append(
        f"Rubric: {md_escape(head.rubric_name)} ({md_escape(head.rubric)}) · Duration: {head.duration}"
        + (f" · Scored: {md_escape(head.created)}" if head.created else "")
    )
    out.append("")

    if crit:
        out += ["## Critical failures", ""]
        for item in crit:
            out.append(f"- **{md_escape(item.title)}** (`{_code(item.id)}`): {md_escape(item.reason)}")
            for ev in item.evidence:
                out.append(f"  - {_evidence_md(ev)}")
        out.append("")

    out += ["## Items", "", "| | Item | Weight | Status | Why |", "|---|---|---:|---|---|"]
    for item in ordered_items(card):
        title = f"{md_escape(item.title)}<br>`{_code(item.id)}`" + (" · critical" if item.critical else "")
        why = md_escape(item.reason)
        if item.value is not None:
            why += f" (value {md_escape(fmt_value(item.value))})"
        out.append(
            f"| {STATUS_MARK.get(item.status, '')} | {title} | {fmt_weight(item.weight)} | "
            f"{STATUS_LABELS.get(item.status, md_escape(item.status))} | {why} |"
        )
    out.append("")

    with_ev = [i for i in ordered_items(card) if i.evidence]
    if with_ev:
        out += ["## Evidence", ""]
        for item in with_ev:
            out += [f"### {STATUS_MARK.get(item.status, '')} {md_escape(item.title)} ({_status(item)})", ""]
            for ev in item.evidence:
                out.append(f"> {_evidence_md(ev)}")
                out.append(">")
            out.pop()
            out.append("")

    metrics = scalar_metrics(card.metrics)
    if metrics:
        out += ["## Metrics", "", "| Metric | Value |", "|---|---:|"]
        out += [f"| {md_escape(k)} | {md_escape(fmt_value(val))} |" for k, val in metrics]
        out.append("")
    out += _redaction_md(card)
    return "\n".join(out)


def _redaction_md(card: Scorecard) -> list[str]:
    """What was redacted (type and time, never the value), for scorecards scored or rendered redacted."""
    from callscore.pii.wire import recorded_spans, scorecard_mode

    mode = scorecard_mode(card.settings)
    if mode == "none":
        return []
    spans = recorded_spans(card.settings)
    out = [
        "## Personal data redacted",
        "",
        f"Mode: {mode} · {len(spans)} span{'s' if len(spans) != 1 else ''}",
        "",
    ]
    out += [
        f"- {fmt_ts(r.start)}-{fmt_ts(r.end)} {md_escape(r.placeholder)} (channel {r.channel})" for r in spans
    ]
    return out + [""] if spans else out


def _status(item: ItemResult) -> str:
    return STATUS_LABELS.get(item.status, md_escape(item.status))


def _code(text: str) -> str:
    # Inside a code span nothing is interpreted except the backtick that would close it.
    return one_line(text).replace("`", "'").replace("|", "/")


def _evidence_md(ev: Evidence) -> str:
    who = evidence_who(ev)
    line = f"**{fmt_ts(ev.start)}**" + (f" {md_escape(who)}:" if who else "") + f" “{md_escape(ev.quote)}”"
    if ev.matched:
        line += f" (matched “{md_escape(ev.matched)}”"
        line += f", similarity {ev.similarity:.2f})" if ev.similarity is not None else ")"
    if ev.note:
        line += f" · {md_escape(ev.note)}"
    return line


def write(
    path: str | os.PathLike[str],
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the Markdown report to ``path`` atomically."""
    return write_text_atomic(Path(path), render(scorecard=scorecard) + "\n")
