"""Inline SVG of who spoke when: one lane per speaker (agent first), interruptions, dead air and holds.

Every mark carries a ``<title>`` (hover text) and a ``data-t`` start time that the report's script uses
to seek the audio; turns link to their transcript block. The geometry is computed here; the markup is
``templates/timeline.svg.j2``, autoescaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from callscore.render.common import Block, anchor_id, block_at, fmt_duration, fmt_ts, one_line
from callscore.render.html.labels import EN, speaker_label
from callscore.render.templating import render_fragment
from callscore.scorecard import FAIL, Scorecard
from callscore.timeline.model import Timeline
from callscore.transcript.model import AGENT, CUSTOMER

if TYPE_CHECKING:
    from markupsafe import Markup

TEMPLATES = "callscore.render.html"

VIEW_WIDTH = 1000  # SVG user units; the SVG scales to the page width
LABEL_WIDTH = 92  # units left of the lanes for speaker names
RIGHT_PAD = 12  # units
TOP_PAD = 22  # units above the lanes for evidence markers
LANE_HEIGHT = 26  # units
LANE_GAP = 10  # units
AXIS_HEIGHT = 24  # units below the lanes
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)  # s between axis labels
MAX_TICKS = 10
TITLE_CHARS = 140  # characters of turn text in a hover title


@dataclass(frozen=True)
class Lane:
    """One speaker's row.

    Attributes:
        speaker: Speaker label.
        role: "agent"/"customer"/None.
        y: Top of the lane (SVG units).
    """

    speaker: str
    role: str | None
    y: float


def _lanes(timeline: Timeline, roles: Mapping[str, str | None]) -> list[Lane]:
    speakers = list(dict.fromkeys([*roles, *timeline.roles, *(t.speaker for t in timeline.turns)]))
    if not speakers:
        speakers = ["S0", "S1"]
    order = {AGENT: 0, CUSTOMER: 1}

    def role(s: str) -> str | None:
        return timeline.roles.get(s) or roles.get(s)

    speakers.sort(key=lambda s: (order.get(role(s) or "", 2), s))
    return [Lane(s, role(s), TOP_PAD + n * (LANE_HEIGHT + LANE_GAP)) for n, s in enumerate(speakers)]


def _tick_step(duration: float) -> int:
    return next((s for s in TICK_STEPS if duration / s <= MAX_TICKS), TICK_STEPS[-1])


@dataclass(frozen=True)
class Shape:
    """One mark of the timeline: a silence, a turn, an interruption, a back-channel or an evidence marker.

    Attributes:
        kind: "silence", "turn", "interruption", "backchannel" or "marker" (picks the template's markup).
        cls: CSS class(es).
        x: Left edge (SVG units).
        y: Top edge (SVG units).
        w: Width (SVG units).
        h: Height (SVG units).
        t: Seek time for the player, "12.34" (s).
        title: Hover text.
        href: Link target ("#b3", "#item-greeting"), or "".
        path: SVG path of a triangle (interruption arrow, evidence marker), or "".
    """

    kind: str
    cls: str
    x: float
    y: float
    w: float
    h: float
    t: str
    title: str
    href: str = ""
    path: str = ""


def render_timeline_svg(
    *,
    timeline: Timeline,
    scorecard: Scorecard | None = None,
    roles: Mapping[str, str | None] | None = None,
    blocks: Sequence[Block] = (),
    duration: float | None = None,
    labels: Mapping[str, str] = EN,
) -> Markup:
    """The timeline as an inline ``<svg>`` element (markup from ``templates/timeline.svg.j2``).

    Parameters
    ----------
    timeline : turns, overlaps and silences of the call (times in s)
    scorecard : when given, evidence of failed items is marked above the lanes
    roles : speaker label -> role, used for speakers the timeline has no role for
    blocks : transcript blocks; turns and markers link to the block spoken at their start (``#b<n>``)
    duration : call length (s); default the timeline's, else the end of the last turn
    labels : interface text (``html_labels.EN`` or ``ID``)
    """
    L = labels
    roles = dict(roles or {})
    dur = duration or timeline.duration or max((t.end for t in timeline.turns), default=0.0)
    dur = max(dur, 1.0)
    lanes = _lanes(timeline, roles)
    lane_of = {ln.speaker: ln for ln in lanes}
    bottom = lanes[-1].y + LANE_HEIGHT
    span = VIEW_WIDTH - LABEL_WIDTH - RIGHT_PAD

    def x(t: float) -> float:
        return round(LABEL_WIDTH + span * min(max(t, 0.0), dur) / dur, 2)

    def w(a: float, b: float, minimum: float = 1.5) -> float:
        return round(max(x(b) - x(a), minimum), 2)

    def href(t: float) -> str:
        b = block_at(blocks, t)
        return f"#b{b.index}" if b else "#transcript"

    step = _tick_step(dur)
    ticks = [(x(t), fmt_ts(t)) for t in range(0, int(dur + 1e-6) + 1, step)]
    shapes: list[Shape] = []
    # Silences under the speech, across all lanes.
    for s in timeline.silences:
        if s.kind == "hold":
            cls, what = "hold", L["hold"]
        elif s.duration > timeline.options.dead_air:
            cls, what = "deadair", L["dead_air"]
        else:
            cls, what = "silence", L["silence"]
        title = L["svg_gap"].format(
            what=what, duration=fmt_duration(s.duration), start=fmt_ts(s.start), end=fmt_ts(s.end)
        )
        shapes.append(
            Shape(
                "silence",
                cls,
                x(s.start),
                TOP_PAD - 2,
                w(s.start, s.end),
                bottom - TOP_PAD + 4,
                f"{s.start:.2f}",
                title,
            )
        )
    # Turns.
    for turn in timeline.turns:
        ln = lane_of.get(turn.speaker)
        if ln is None:
            continue
        role = turn.role or ln.role
        text = one_line(turn.text)
        if len(text) > TITLE_CHARS:
            text = text[: TITLE_CHARS - 1] + "…"
        title = L["svg_turn"].format(
            who=speaker_label(L, turn.speaker, role),
            start=fmt_ts(turn.start),
            end=fmt_ts(turn.end),
            text=text,
        )
        cls = "turn " + (role if role in (AGENT, CUSTOMER) else "other")
        shapes.append(
            Shape(
                "turn",
                cls,
                x(turn.start),
                ln.y + 3,
                w(turn.start, turn.end),
                LANE_HEIGHT - 6,
                f"{turn.start:.2f}",
                title,
                href=href(turn.start),
            )
        )
    # Overlaps on the lane of the speaker who came in.
    for o in timeline.overlaps:
        ln = lane_of.get(o.by)
        if ln is None or o.kind not in ("interruption", "backchannel"):
            continue
        who = speaker_label(L, o.by, o.by_role or ln.role)
        other = speaker_label(L, o.held_by, o.held_by_role or roles.get(o.held_by))
        if o.kind == "interruption":
            label = L["svg_interruption"].format(
                who=who, other=other.lower(), start=fmt_ts(o.start), duration=f"{o.duration:.1f}"
            )
            cx = x(o.start)
            shapes.append(
                Shape(
                    "interruption",
                    "interruption",
                    cx,
                    ln.y,
                    w(o.start, o.end, 3),
                    LANE_HEIGHT,
                    f"{o.start:.2f}",
                    f"{label}: “{one_line(o.text)}”",
                    path=f"M{cx - 5} {ln.y - 7} L{cx + 5} {ln.y - 7} L{cx} {ln.y} Z",
                )
            )
        else:
            title = L["svg_backchannel"].format(who=who.lower(), start=fmt_ts(o.start))
            shapes.append(
                Shape(
                    "backchannel",
                    "backchannel",
                    x(o.start),
                    ln.y + LANE_HEIGHT - 4,
                    w(o.start, o.end, 2),
                    4,
                    f"{o.start:.2f}",
                    f"{title}: “{one_line(o.text)}”",
                )
            )
    # Evidence of failed items, as markers above the lanes.
    if scorecard is not None:
        for item in scorecard.items:
            if item.status != FAIL:
                continue
            for ev in item.evidence:
                cx = x(ev.start)
                title = L["svg_failed"].format(title=item.title or item.id, start=fmt_ts(ev.start))
                shapes.append(
                    Shape(
                        "marker",
                        "ev-marker",
                        cx,
                        TOP_PAD - 16,
                        10,
                        10,
                        f"{ev.start:.2f}",
                        f"{title}: “{one_line(ev.quote)}”",
                        href=f"#{anchor_id(item.id)}",
                        path=f"M{cx} {TOP_PAD - 6} L{cx - 5} {TOP_PAD - 16} L{cx + 5} {TOP_PAD - 16} Z",
                    )
                )
    return render_fragment(
        TEMPLATES,
        "timeline.svg.j2",
        width=VIEW_WIDTH,
        height=bottom + AXIS_HEIGHT,
        label=L["svg_label"],
        x0=LABEL_WIDTH,
        span=span,
        dur=f"{dur:.2f}",
        top=TOP_PAD,
        bottom=bottom,
        ticks=ticks,
        lanes=[(ln.y, speaker_label(L, ln.speaker, ln.role)) for ln in lanes],
        lane_h=LANE_HEIGHT,
        label_x=LABEL_WIDTH - 8,
        shapes=shapes,
    )
