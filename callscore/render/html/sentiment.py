"""The report's sentiment parts: a colour per transcript block and the customer's sentiment curve.

Both read the scorecard's recorded sentiment (``Scorecard.sentiment``), never a model: a re-rendered saved
scorecard shows exactly what was scored. Page text is in English and Indonesian like the rest of the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from callscore.render.common import Block, fmt_ts
from callscore.sentiment import CallSentiment, TurnSentiment

W, H, PAD = 640, 140, 28  # px of the curve
SCALE = 5.0  # call-level scores run -5..+5
COLOURS = {"negative": "#dc2626", "neutral": "#6b7280", "positive": "#16a34a"}

CSS = """
.turn-block.sent-negative { border-left: 4px solid #dc2626; }
.turn-block.sent-positive { border-left: 4px solid #16a34a; }
.tag.sent { font-size: 11px; border-radius: 8px; padding: 0 6px; margin-left: 6px; background: #f3f4f6; }
.tag.sent.negative { color: #991b1b; background: #fee2e2; }
.tag.sent.positive { color: #166534; background: #dcfce7; }
.sentiment-figures { display: flex; gap: 16px; flex-wrap: wrap; }
.sentiment-curve { width: 100%; max-width: 640px; height: auto; }
.sentiment-curve circle { cursor: pointer; }
"""

TEXT = {
    "en": {
        "sec": "How the customer felt",
        "start": "Start",
        "end": "End",
        "shift": "Shift",
        "agent": "Agent tone",
        "curve": "Customer sentiment per turn (-5..+5; dots, click to listen) and per quarter (line)",
        "negative": "negative",
        "neutral": "neutral",
        "positive": "positive",
        "none": "no customer turns",
    },
    "id": {
        "sec": "Perasaan pelanggan",
        "start": "Awal",
        "end": "Akhir",
        "shift": "Perubahan",
        "agent": "Nada agen",
        "curve": "Sentimen pelanggan per giliran (-5..+5; titik, klik untuk dengar) dan per kuartal (garis)",
        "negative": "negatif",
        "neutral": "netral",
        "positive": "positif",
        "none": "tidak ada giliran pelanggan",
    },
}


def _e(x: object) -> str:
    return escape(str(x), quote=True)


def _text(lang: str) -> Mapping[str, str]:
    return TEXT.get(lang.strip().lower().split("-")[0], TEXT["en"])


def block_sentiment(block: Block, sentiment: CallSentiment | None) -> TurnSentiment | None:
    """The scored turn of the block's speaker that overlaps the block most (blocks and turns are cut alike,
    but not always identically), or None."""
    if sentiment is None:
        return None
    best, overlap = None, 0.0
    for t in sentiment.turns:
        if t.speaker != block.speaker:
            continue
        o = min(t.end, block.end) - max(t.start, block.start)
        if o > overlap or (best is None and t.start <= block.start <= t.end):
            best, overlap = t, max(o, 0.0)
    return best


def block_class(turn: TurnSentiment | None) -> str:
    """Extra CSS class of a transcript block ("" for neutral or unknown)."""
    if turn is None or turn.sentiment.label == "neutral":
        return ""
    return f" sent-{turn.sentiment.label}"


def block_tag(turn: TurnSentiment | None, *, lang: str = "en") -> str:
    """The small label and score shown in a block's header."""
    if turn is None:
        return ""
    s, L = turn.sentiment, _text(lang)
    return f'<span class="tag sent {_e(s.label)}">{_e(L.get(s.label, s.label))} {SCALE * s.score:+.1f}</span>'


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:+.1f}"


def sentiment_section(sentiment: CallSentiment | None, *, lang: str = "en") -> str:
    """Call-level figures and the customer's curve (SVG, points are seek targets); "" when not measured."""
    if sentiment is None:
        return ""
    L, c = _text(lang), sentiment.customer
    figures = "".join(
        f"<div><b>{_e(name)}</b> {_e(_fmt(v))}</div>"
        for name, v in (
            (L["start"], c.start),
            (L["end"], c.end),
            (L["shift"], c.shift),
            (L["agent"], sentiment.agent.overall),
        )
    )
    turns = [t for t in sentiment.turns if t.role == "customer"]
    svg = _curve_svg(turns, sentiment) if turns else f'<p class="muted">{_e(L["none"])}</p>'
    return (
        f'<section id="sentiment"><h2>{_e(L["sec"])}</h2><div class="sentiment-figures">{figures}</div>'
        f'<p class="muted">{_e(L["curve"])}</p>{svg}</section>'
    )


def _curve_svg(turns: Sequence[TurnSentiment], sentiment: CallSentiment) -> str:
    end = max([sentiment.duration] + [t.end for t in turns]) or 1.0
    x_of = lambda t: PAD + (W - 2 * PAD) * t / end  # noqa: E731
    y_of = lambda v: PAD / 2 + (H - PAD) * (SCALE - v) / (2 * SCALE)  # noqa: E731
    parts = [
        f'<line x1="{PAD}" x2="{W - PAD}" y1="{y_of(0):.1f}" y2="{y_of(0):.1f}" stroke="#bbb" '
        'stroke-dasharray="4 3"/>',
        f'<text x="2" y="{y_of(SCALE) + 4:.1f}" font-size="10" fill="#6b7280">+5</text>',
        f'<text x="2" y="{y_of(-SCALE) + 4:.1f}" font-size="10" fill="#6b7280">-5</text>',
    ]
    quarters = [q for q in sentiment.customer.quarters if q.score is not None]
    if len(quarters) > 1:
        line = " ".join(f"{x_of((q.start + q.end) / 2):.1f},{y_of(q.score or 0.0):.1f}" for q in quarters)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#14b8a6" stroke-width="2"/>')
    for t in turns:
        v = SCALE * t.sentiment.score
        parts.append(
            f'<circle cx="{x_of((t.start + t.end) / 2):.1f}" cy="{y_of(v):.1f}" r="4" '
            f'fill="{COLOURS.get(t.sentiment.label, "#6b7280")}" data-t="{t.start:.2f}">'
            f"<title>{_e(fmt_ts(t.start))} {v:+.1f}: {_e(t.text[:80])}</title></circle>"
        )
    return (
        f'<svg class="sentiment-curve" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="customer sentiment over the call">{"".join(parts)}</svg>'
    )
