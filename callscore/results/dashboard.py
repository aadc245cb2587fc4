"""The QA dashboard: one self-contained HTML page with inline SVG charts, no scripts, no CDN.

Charts: score distribution histogram, item failure rates, per-agent mean score per week. The geometry is
computed here, the markup is ``templates/dashboard.html.j2`` (Jinja2, autoescaped): every piece of text
from the store (agent names, item titles, reasons, paths) is escaped, since call metadata comes from CSVs
and file names that anyone can write.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from callscore.render.templating import render_template, trusted
from callscore.results.aggregates import HIST_BIN, Report, group_rows

TEMPLATES = "callscore.results"  # package whose templates/ folder holds the dashboard

CHART_W = 640  # px, viewBox width of every chart
BAR_H = 22  # px per bar in the item chart
PAD = 40  # px margin for axes and labels
LABEL_W = 200  # px for item labels in the item chart
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
MAX_LABEL = 32  # characters of an item id/title shown in a chart label

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
.kpis{display:flex;gap:1.5rem;flex-wrap:wrap}.kpi{background:#f3f5f8;padding:.6rem 1rem;border-radius:6px}
.kpi b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}th{background:#f3f5f8}
svg.chart{max-width:100%;height:auto;background:#fff;border:1px solid #eee}
svg text{font-size:11px;fill:#333}.bar{fill:#1f77b4}.bar.fail-rate{fill:#d62728}.bar.critical{fill:#7f0000}
.axis{stroke:#999;stroke-width:1}.grid{stroke:#eee;stroke-width:1}.crit{color:#b00;font-weight:bold}
"""


def _short(text: str, n: int = MAX_LABEL) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, with its labels.

    Attributes:
        x: Left edge (px of the viewBox).
        y: Top edge.
        w: Width.
        h: Height.
        title: Hover text.
        label: Text under/beside the bar ("" for none).
        value: Text at the bar's end ("" for none).
        key: data-* identity of the bar (bin "10-20", item id).
        data: data-* value (count, rate).
        cls: CSS class.
    """

    x: str
    y: str
    w: str
    h: str
    title: str
    label: str = ""
    value: str = ""
    key: str = ""
    data: str = ""
    cls: str = "bar"


def histogram_chart(counts: tuple[int, ...], *, bin_width: float = HIST_BIN) -> dict[str, object]:
    """Score distribution: one bar per bin of ``bin_width`` points, height = calls."""
    h = 220
    top = max(counts) if counts and max(counts) > 0 else 1
    plot_w, plot_h = CHART_W - 2 * PAD, h - 2 * PAD
    bw = plot_w / max(1, len(counts))
    bars = []
    for i, c in enumerate(counts):
        lo, hi = i * bin_width, (i + 1) * bin_width
        bh = plot_h * c / top
        x = PAD + i * bw
        bars.append(
            {
                "bar": Bar(
                    f"{x + 2:.1f}",
                    f"{h - PAD - bh:.1f}",
                    f"{bw - 4:.1f}",
                    f"{bh:.1f}",
                    f"{lo:g}–{hi:g}: {c} calls",
                    key=f"{lo:g}-{hi:g}",
                    data=str(c),
                ),
                "mid": f"{x + bw / 2:.1f}",
                "lo": f"{lo:g}",
                "count": str(c) if c else "",
                "count_y": f"{h - PAD - bh - 4:.1f}",
            }
        )
    return {"w": CHART_W, "h": h, "pad": PAD, "top": top, "bars": bars, "label_y": h - PAD + 14}


def item_chart(report: Report) -> dict[str, object]:
    """Item failure rates as horizontal bars, most failed first; critical items in dark red."""
    items = [s for s in report.items if s.fail_rate is not None]
    h = PAD + BAR_H * max(1, len(items)) + 20
    plot_w = CHART_W - LABEL_W - PAD
    bars = []
    for i, s in enumerate(items):
        rate = s.fail_rate or 0.0
        y = PAD + i * BAR_H
        bars.append(
            {
                "bar": Bar(
                    str(LABEL_W),
                    str(y + 3),
                    f"{plot_w * rate:.1f}",
                    str(BAR_H - 6),
                    f"{s.title}: failed {s.failed} of {s.passed + s.failed}",
                    key=s.item_id,
                    data=f"{rate:.3f}",
                    cls="bar fail-rate critical" if s.critical else "bar fail-rate",
                ),
                "label": _short(s.item_id),
                "label_y": f"{y + BAR_H / 2 + 4:.1f}",
                "value": f"{100 * rate:.0f} %",
                "value_x": f"{LABEL_W + plot_w * rate + 4:.1f}",
            }
        )
    return {"w": CHART_W, "h": h, "pad": PAD, "label_w": LABEL_W, "plot_w": plot_w, "bars": bars}


def trend_chart(report: Report) -> dict[str, object]:
    """Mean score per ISO week, one line per agent, y from 0 to 100."""
    weeks = sorted({p.week for pts in report.trend.values() for p in pts})
    h = 280
    legend_w = 150
    plot_w, plot_h = CHART_W - 2 * PAD - legend_w, h - 2 * PAD
    step = plot_w / max(1, len(weeks) - 1)

    def xy(week: str, score: float) -> tuple[float, float]:
        x = PAD + (weeks.index(week) * step if len(weeks) > 1 else plot_w / 2)
        return x, h - PAD - plot_h * score / 100

    grid = [
        (f"{h - PAD - plot_h * s / 100:.1f}", f"{h - PAD - plot_h * s / 100 + 4:.1f}", s)
        for s in (0, 25, 50, 75, 100)
    ]
    ticks = [(f"{xy(w, 0)[0]:.1f}", w) for w in weeks]
    lines = []
    for i, (agent, pts) in enumerate(report.trend.items()):
        coords = [xy(p.week, p.mean) for p in pts]
        lines.append(
            {
                "agent": agent,
                "colour": PALETTE[i % len(PALETTE)],
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                "dots": [
                    (f"{x:.1f}", f"{y:.1f}", f"{agent} {p.week}: {p.mean:.1f} ({p.calls} calls)")
                    for (x, y), p in zip(coords, pts, strict=True)
                ],
                "legend_y": PAD + i * 16,
                "name": _short(agent, 20),
            }
        )
    return {
        "w": CHART_W,
        "h": h,
        "pad": PAD,
        "plot_right": PAD + plot_w,
        "grid": grid,
        "ticks": ticks,
        "tick_y": h - PAD + 14,
        "lines": lines,
        "legend_x": CHART_W - legend_w,
    }


def _signed(v: float | None) -> str:
    return "" if v is None else f"{v:+.1f}"


def report_href(report_path: str | None, *, page_dir: Path | None) -> str:
    """URL of a call's report, relative to the dashboard's folder when it can be; "" when none."""
    if not report_path:
        return ""
    target = report_path
    if page_dir is not None:
        try:
            target = os.path.relpath(report_path, page_dir)
        except ValueError:  # another drive on Windows
            target = report_path
    return quote(Path(target).as_posix(), safe="/:._-~")


def render_dashboard(
    report: Report, *, title: str = "callscore QA dashboard", page_dir: Path | None = None
) -> str:
    """The whole dashboard page as HTML text (``templates/dashboard.html.j2``, autoescaped).

    Parameters
    ----------
    report : from :func:`callscore.results.aggregates.build_report`
    title : page title
    page_dir : folder the page will be saved in, so report links can be relative
    """
    o = report.overall
    kpis = [
        ("calls", str(o.calls)),
        ("mean score", "" if o.mean is None else f"{o.mean:.1f}"),
        ("median", "" if o.median is None else f"{o.median:.1f}"),
        ("critical failures", f"{o.critical_failed} ({100 * o.critical_rate:.0f} %)"),
        ("mean customer sentiment shift", "" if o.customer_shift is None else f"{o.customer_shift:+.2f}"),
        ("customer left worse off", str(o.worse_off)),
        ("could not be scored", str(len(report.failures))),
    ]
    head, rows = group_rows(report)
    worst = [
        {
            "call_id": c.call_id,
            "agent": c.agent or "",
            "date": c.call_date or "",
            "total": "" if c.total is None else f"{c.total:.1f}",
            "critical": c.critical_failed,
            "href": report_href(c.report_path, page_dir=page_dir),
        }
        for c in report.worst
    ]
    item_rows = [
        [
            s.item_id,
            s.title,
            "yes" if s.critical else "",
            str(s.failed),
            str(s.passed + s.failed),
            "" if s.fail_rate is None else f"{100 * s.fail_rate:.0f} %",
        ]
        for s in report.items
    ]
    return render_template(
        TEMPLATES,
        "dashboard.html.j2",
        title=title,
        css=trusted(CSS),
        made=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        calls=o.calls,
        kpis=kpis,
        histogram=histogram_chart(report.histogram),
        items_chart=item_chart(report),
        trend=trend_chart(report),
        by=report.by,
        group_head=head,
        group_rows=rows,
        item_head=["item", "title", "critical", "failed", "scored", "fail rate"],
        item_rows=item_rows,
        worst=worst,
        worse_off=[
            {
                "cells": [
                    c.call_id,
                    c.agent or "",
                    c.team or "",
                    _signed(c.customer_sentiment_start),
                    _signed(c.customer_sentiment_end),
                    _signed(c.customer_sentiment_shift),
                ],
                "href": report_href(c.report_path, page_dir=page_dir),
            }
            for c in report.worse_off
        ],
        failures=[[f.call_id, f.source, f.reason] for f in report.failures],
    )
