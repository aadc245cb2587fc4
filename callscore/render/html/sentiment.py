"""The report's sentiment parts: a colour per transcript block and the customer's sentiment curve.

Both read the scorecard's recorded sentiment (``Scorecard.sentiment``), never a model: a re-rendered saved
scorecard shows exactly what was scored. Page text is in English and Indonesian like the rest of the report.
The markup is ``templates/sentiment.html.j2`` (autoescaped); this module computes what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from callscore.render.common import Block, fmt_ts
from callscore.render.templating import render_fragment
from callscore.sentiment import CallSentiment, TurnSentiment

if TYPE_CHECKING:
    from markupsafe import Markup

TEMPLATES = "callscore.render.html"

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


@dataclass(frozen=True)
class BlockTag:
    """The sentiment label and score in a transcript block's header.

    Attributes:
        label: "negative", "neutral" or "positive" (also its CSS class).
        text: Label in the page's language and the score, "negative -3.2".
    """

    label: str
    text: str


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


def block_tag(turn: TurnSentiment | None, *, lang: str = "en") -> BlockTag | None:
    """The small label and score shown in a block's header, None without a scored turn."""
    if turn is None:
        return None
    s, L = turn.sentiment, _text(lang)
    return BlockTag(s.label, f"{L.get(s.label, s.label)} {SCALE * s.score:+.1f}")


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:+.1f}"


def sentiment_section(sentiment: CallSentiment | None, *, lang: str = "en") -> Markup | None:
    """Call-level figures and the customer's curve (SVG, points are seek targets); None when not measured."""
    if sentiment is None:
        return None
    L, c = _text(lang), sentiment.customer
    figures = [
        (name, _fmt(v))
        for name, v in (
            (L["start"], c.start),
            (L["end"], c.end),
            (L["shift"], c.shift),
            (L["agent"], sentiment.agent.overall),
        )
    ]
    turns = [t for t in sentiment.turns if t.role == "customer"]
    curve = _curve(turns, sentiment) if turns else None
    return render_fragment(TEMPLATES, "sentiment.html.j2", L=L, figures=figures, curve=curve)


def _curve(turns: Sequence[TurnSentiment], sentiment: CallSentiment) -> dict[str, object]:
    """Geometry of the customer's curve: the zero line, the per-quarter line, one dot per turn."""
    end = max([sentiment.duration] + [t.end for t in turns]) or 1.0
    x_of = lambda t: PAD + (W - 2 * PAD) * t / end  # noqa: E731
    y_of = lambda v: PAD / 2 + (H - PAD) * (SCALE - v) / (2 * SCALE)  # noqa: E731
    quarters = [q for q in sentiment.customer.quarters if q.score is not None]
    line = ""
    if len(quarters) > 1:
        line = " ".join(f"{x_of((q.start + q.end) / 2):.1f},{y_of(q.score or 0.0):.1f}" for q in quarters)
    dots = []
    for t in turns:
        v = SCALE * t.sentiment.score
        dots.append(
            (
                f"{x_of((t.start + t.end) / 2):.1f}",
                f"{y_of(v):.1f}",
                COLOURS.get(t.sentiment.label, "#6b7280"),
                f"{t.start:.2f}",
                f"{fmt_ts(t.start)} {v:+.1f}: {t.text[:80]}",
            )
        )
    return {
        "w": W,
        "h": H,
        "x1": PAD,
        "x2": W - PAD,
        "zero": f"{y_of(0):.1f}",
        "top": f"{y_of(SCALE) + 4:.1f}",
        "bottom": f"{y_of(-SCALE) + 4:.1f}",
        "quarters": line,
        "dots": dots,
    }
