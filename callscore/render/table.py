"""``table`` writer: the scorecard as a rich terminal view.

Score and critical verdict on top, critical failures next, then every item with status, weight, reason and
evidence (quote with mm:ss). Not-applicable and not-measured items are listed as such, never hidden. All
scorecard text goes in as ``rich.text.Text``, so brackets in a transcript ("[bold]") print literally.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from callscore.files import write_text_atomic
from callscore.render.common import (
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
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, ItemResult

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from callscore.scorecard import Scorecard
    from callscore.timeline.model import Timeline
    from callscore.transcript.model import Transcript

DEFAULT_WIDTH = 110  # columns
MAX_EVIDENCE_LINES = 3  # evidence quotes shown per item; the rest are counted

STATUS_STYLE = {
    PASS: ("✓ pass", "bold green"),
    FAIL: ("✗ fail", "bold red"),
    NOT_APPLICABLE: ("– n/a", "dim"),
    NOT_MEASURED: ("? not measured", "yellow"),
}


def build(*, scorecard: Scorecard) -> RenderableType:
    """The rich renderable (a Group of header, critical failures and the items table) for a console."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    card = scorecard
    sm = summary(card)
    head = Text()
    head.append("Score ", style="bold")
    head.append(f"{fmt_score(card.total)}", style="bold cyan")
    head.append(" / 100" if card.total is not None else " (no item could be scored)")
    head.append("   Critical: ")
    crit = card.critical_failures
    if sm.verdict == "FAIL":
        head.append(f"FAIL {sm.critical}", style="bold red")
    else:
        head.append(sm.verdict, style="bold green" if sm.verdict == "PASS" else "yellow")
    head.append(f"\n{sm.counts}", style="dim")
    head.append(
        f"\nRubric {sm.rubric_name} ({sm.rubric}) · duration {sm.duration}"
        + (f" · scored {sm.created}" if sm.created else ""),
        style="dim",
    )
    parts: list[RenderableType] = [
        Panel(
            head,
            title=Text(f"call {card.call_id}"),
            title_align="left",
            border_style="red" if crit else "cyan",
        )
    ]
    if crit:
        lines = Text()
        for n, item in enumerate(crit):
            if n:
                lines.append("\n")
            lines.append(f"✗ {item.title}", style="bold red")
            lines.append(f"  [{item.id}]", style="dim")
            lines.append(f"\n  {one_line(item.reason)}")
            for ev_line in _evidence_lines(item):
                lines.append("\n  ")
                lines.append_text(ev_line)
        parts.append(Panel(lines, title="Critical failures", title_align="left", border_style="red"))

    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("item", min_width=20, max_width=24)  # 20: the longest default item id, unbroken
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_column("why / evidence", ratio=5, overflow="fold")  # a long pattern breaks, never cut
    for item in ordered_items(card):
        label, style = STATUS_STYLE.get(item.status, (item.status, ""))
        name = Text(item.title or item.id, style="bold")
        name.append(f"\n{item.id}", style="dim")
        if item.critical:
            name.append("\ncritical", style="red" if item.status == FAIL else "dim red")
        why = Text(one_line(item.reason))
        if item.value is not None:
            why.append(f"  (value {fmt_value(item.value)})", style="dim")
        for ev_line in _evidence_lines(item):
            why.append("\n")
            why.append_text(ev_line)
        table.add_row(Text(label, style=style), name, Text(fmt_weight(item.weight)), why)
    parts.append(table)

    metrics = scalar_metrics(card.metrics)
    if metrics:
        m = Text("Metrics: ", style="bold")
        m.append(" · ".join(f"{k} {fmt_value(val)}" for k, val in metrics), style="")
        parts.append(m)
    return Group(*parts)


def _evidence_lines(item: ItemResult) -> list[Text]:
    from rich.text import Text

    out: list[Text] = []
    for ev in item.evidence[:MAX_EVIDENCE_LINES]:
        line = Text(f"{fmt_ts(ev.start)} ", style="cyan")
        who = evidence_who(ev)
        if who:
            line.append(f"{who}: ", style="dim")
        line.append(f"“{one_line(ev.quote)}”", style="italic")
        if ev.note:
            line.append(f" ({one_line(ev.note)})", style="dim")
        out.append(line)
    extra = len(item.evidence) - MAX_EVIDENCE_LINES
    if extra > 0:
        out.append(Text(f"… and {extra} more", style="dim"))
    return out


def render(
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
) -> str:
    """The terminal view as text.

    Parameters
    ----------
    scorecard : the scored call
    width : columns to lay out for
    color : keep ANSI colour codes (for a terminal); plain text otherwise
    """
    from rich.console import Console

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(build(scorecard=scorecard))
    return buf.getvalue()


def write(
    path: str | os.PathLike[str],
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    width: int = DEFAULT_WIDTH,
) -> Path:
    """Write the plain-text view (no colour codes) to ``path`` atomically."""
    return write_text_atomic(Path(path), render(scorecard=scorecard, width=width, color=False))
