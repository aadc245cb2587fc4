"""The QA dashboard: one self-contained HTML page with inline SVG charts, no scripts, no CDN.

Charts: score distribution histogram, item failure rates, per-agent mean score per week. Every piece of text
from the store (agent names, item titles, reasons, paths) is escaped, since call metadata comes from CSVs and
file names that anyone can write.
"""

from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from callscore.results.aggregates import HIST_BIN, Report, group_rows

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


def svg_histogram(counts: tuple[int, ...], *, bin_width: float = HIST_BIN) -> str:
    """Score distribution: one bar per bin of ``bin_width`` points, height = calls."""
    h = 220
    top = max(counts) if counts and max(counts) > 0 else 1
    plot_w, plot_h = CHART_W - 2 * PAD, h - 2 * PAD
    bw = plot_w / max(1, len(counts))
    parts = [
        f'<svg id="chart-histogram" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {CHART_W} {h}" width="{CHART_W}" height="{h}" role="img" '
        f'aria-label="Score distribution: calls per score band">',
        f'<line class="axis" x1="{PAD}" y1="{h - PAD}" x2="{CHART_W - PAD}" y2="{h - PAD}"/>',
        f'<line class="axis" x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{h - PAD}"/>',
        f'<text x="{PAD - 6}" y="{PAD + 4}" text-anchor="end">{top}</text>',
        f'<text x="{PAD - 6}" y="{h - PAD}" text-anchor="end">0</text>',
    ]
    for i, c in enumerate(counts):
        lo, hi = i * bin_width, (i + 1) * bin_width
        bh = plot_h * c / top
        x = PAD + i * bw
        parts.append(
            f'<rect class="bar" data-bin="{lo:g}-{hi:g}" data-count="{c}" x="{x + 2:.1f}" '
            f'y="{h - PAD - bh:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}">'
            f"<title>{lo:g}–{hi:g}: {c} calls</title></rect>"
        )
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{h - PAD + 14}" text-anchor="middle">{lo:g}</text>')
        if c:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{h - PAD - bh - 4:.1f}" text-anchor="middle">{c}</text>'
            )
    parts.append(f'<text x="{CHART_W / 2}" y="{h - 6}" text-anchor="middle">score</text></svg>')
    return "".join(parts)


def svg_item_failures(report: Report) -> str:
    """Item failure rates as horizontal bars, most failed first; critical items in dark red."""
    items = [s for s in report.items if s.fail_rate is not None]
    h = PAD + BAR_H * max(1, len(items)) + 20
    plot_w = CHART_W - LABEL_W - PAD
    parts = [
        f'<svg id="chart-items" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {CHART_W} {h}" width="{CHART_W}" height="{h}" role="img" '
        f'aria-label="Failure rate of each rubric item">',
        f'<line class="axis" x1="{LABEL_W}" y1="{PAD - 10}" x2="{LABEL_W}" y2="{h - 10}"/>',
        f'<text x="{LABEL_W}" y="{PAD - 16}">0 %</text>',
        f'<text x="{LABEL_W + plot_w}" y="{PAD - 16}" text-anchor="end">100 %</text>',
    ]
    for i, s in enumerate(items):
        rate = s.fail_rate or 0.0
        y = PAD + i * BAR_H
        cls = "bar fail-rate critical" if s.critical else "bar fail-rate"
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_short(s.item_id))}</text>"
            f'<rect class="{cls}" data-item="{escape(s.item_id)}" data-rate="{rate:.3f}" x="{LABEL_W}" '
            f'y="{y + 3}" width="{plot_w * rate:.1f}" height="{BAR_H - 6}">'
            f"<title>{escape(s.title)}: failed {s.failed} of {s.passed + s.failed}</title></rect>"
        )
        tx, ty = LABEL_W + plot_w * rate + 4, y + BAR_H / 2 + 4
        parts.append(f'<text x="{tx:.1f}" y="{ty:.1f}">{100 * rate:.0f} %</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_trend(report: Report) -> str:
    """Mean score per ISO week, one line per agent, y from 0 to 100."""
    weeks = sorted({p.week for pts in report.trend.values() for p in pts})
    h = 280
    legend_w = 150
    plot_w, plot_h = CHART_W - 2 * PAD - legend_w, h - 2 * PAD
    step = plot_w / max(1, len(weeks) - 1)

    def xy(week: str, score: float) -> tuple[float, float]:
        x = PAD + (weeks.index(week) * step if len(weeks) > 1 else plot_w / 2)
        return x, h - PAD - plot_h * score / 100

    parts = [
        f'<svg id="chart-trend" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {CHART_W} {h}" width="{CHART_W}" height="{h}" role="img" '
        f'aria-label="Mean score per agent per week">',
    ]
    for s in (0, 25, 50, 75, 100):
        y = h - PAD - plot_h * s / 100
        parts.append(
            f'<line class="grid" x1="{PAD}" y1="{y:.1f}" x2="{PAD + plot_w}" y2="{y:.1f}"/>'
            f'<text x="{PAD - 6}" y="{y + 4:.1f}" text-anchor="end">{s}</text>'
        )
    for w in weeks:
        x, _ = xy(w, 0)
        parts.append(f'<text x="{x:.1f}" y="{h - PAD + 14}" text-anchor="middle">{escape(w)}</text>')
    for i, (agent, pts) in enumerate(report.trend.items()):
        color = PALETTE[i % len(PALETTE)]
        coords = [xy(p.week, p.mean) for p in pts]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="trend-line" data-agent="{escape(agent)}" fill="none" stroke="{color}" '
            f'stroke-width="2" points="{path}"/>'
        )
        for (x, y), p in zip(coords, pts, strict=True):
            parts.append(
                f'<circle class="trend-point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">'
                f"<title>{escape(agent)} {escape(p.week)}: {p.mean:.1f} ({p.calls} calls)</title></circle>"
            )
        ly = PAD + i * 16
        parts.append(
            f'<rect x="{CHART_W - legend_w}" y="{ly - 9}" width="10" height="10" fill="{color}"/>'
            f'<text x="{CHART_W - legend_w + 14}" y="{ly}">{escape(_short(agent, 20))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]], *, html_cells: bool = False, table_id: str = "") -> str:
    ident = f' id="{table_id}"' if table_id else ""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if html_cells else escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table{ident}><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def report_link(report_path: str | None, *, page_dir: Path | None) -> str:
    """HTML link to a call's report, relative to the dashboard's folder when it can be; "" when none."""
    if not report_path:
        return ""
    target = report_path
    if page_dir is not None:
        try:
            target = os.path.relpath(report_path, page_dir)
        except ValueError:  # another drive on Windows
            target = report_path
    href = quote(Path(target).as_posix(), safe="/:._-~")
    return f'<a href="{escape(href)}">report</a>'


def render_dashboard(
    report: Report, *, title: str = "callscore QA dashboard", page_dir: Path | None = None
) -> str:
    """The whole dashboard page as HTML text.

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
    worst_rows = [
        [
            escape(c.call_id),
            escape(c.agent or ""),
            escape(c.call_date or ""),
            "" if c.total is None else f"{c.total:.1f}",
            '<span class="crit">yes</span>' if c.critical_failed else "",
            report_link(c.report_path, page_dir=page_dir),
        ]
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
    made = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>Made {made} from {o.calls} scored calls.</p>",
        '<div class="kpis">'
        + "".join(f'<div class="kpi"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in kpis)
        + "</div>",
        "<h2>Score distribution</h2>",
        svg_histogram(report.histogram),
        "<h2>Item failure rates</h2>",
        svg_item_failures(report),
        "<h2>Mean score per agent per week</h2>",
        svg_trend(report),
        f"<h2>Scores by {escape(report.by)}</h2>",
        _table(head, rows, table_id="groups"),
        "<h2>Items</h2>",
        _table(["item", "title", "critical", "failed", "scored", "fail rate"], item_rows, table_id="items"),
        "<h2>Worst calls</h2>",
        _table(
            ["call", "agent", "date", "total", "critical failed", "report"],
            worst_rows,
            html_cells=True,
            table_id="worst",
        ),
    ]
    if report.worse_off:
        body += [
            "<h2>Calls where the customer left worse off</h2>",
            _table(
                ["call", "agent", "team", "start", "end", "shift", "report"],
                [
                    [
                        escape(c.call_id),
                        escape(c.agent or ""),
                        escape(c.team or ""),
                        "" if c.customer_sentiment_start is None else f"{c.customer_sentiment_start:+.1f}",
                        "" if c.customer_sentiment_end is None else f"{c.customer_sentiment_end:+.1f}",
                        "" if c.customer_sentiment_shift is None else f"{c.customer_sentiment_shift:+.1f}",
                        report_link(c.report_path, page_dir=page_dir),
                    ]
                    for c in report.worse_off
                ],
                html_cells=True,
                table_id="worse-off",
            ),
        ]
    if report.failures:
        body += [
            "<h2>Calls that could not be scored</h2>",
            _table(
                ["call", "source", "reason"],
                [[f.call_id, f.source, f.reason] for f in report.failures],
                table_id="failures",
            ),
        ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
