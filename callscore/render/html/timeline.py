"""Inline SVG of who spoke when: one lane per speaker (agent first), interruptions, dead air and holds.

Every mark carries a ``<title>`` (hover text) and a ``data-t`` start time that the report's script uses
to seek the audio; turns link to their transcript block. All text is escaped with ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from callscore.render.common import Block, anchor_id, block_at, fmt_duration, fmt_ts, one_line
from callscore.render.html.labels import EN, speaker_label
from callscore.scorecard import FAIL, Scorecard
from callscore.timeline.model import Timeline
from callscore.transcript.model import AGENT, CUSTOMER

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


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def render_timeline_svg(
    *,
    timeline: Timeline,
    scorecard: Scorecard | None = None,
    roles: Mapping[str, str | None] | None = None,
    blocks: Sequence[Block] = (),
    duration: float | None = None,
    labels: Mapping[str, str] = EN,
) -> str:
    """The timeline as an inline ``<svg>`` element.

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
    height = bottom + AXIS_HEIGHT
    span = VIEW_WIDTH - LABEL_WIDTH - RIGHT_PAD

    def x(t: float) -> float:
        return round(LABEL_WIDTH + span * min(max(t, 0.0), dur) / dur, 2)

    def w(a: float, b: float, minimum: float = 1.5) -> float:
        return round(max(x(b) - x(a), minimum), 2)

    def href(t: float) -> str:
        b = block_at(blocks, t)
        return f"#b{b.index}" if b else "#transcript"

    out = [
        f'<svg class="timeline" viewBox="0 0 {VIEW_WIDTH} {height}" role="img" '
        f'aria-label="{escape(L["svg_label"])}" preserveAspectRatio="xMinYMin meet" '
        f'data-x0="{LABEL_WIDTH}" data-span="{span}" data-dur="{dur:.2f}" xmlns="http://www.w3.org/2000/svg">',
        "<defs>"
        '<pattern id="hatch-gap" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fef3c7"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#d97706" stroke-width="2"/></pattern>'
        '<pattern id="hatch-hold" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(-45)"><rect width="6" height="6" fill="#e0e7ff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#6366f1" stroke-width="2"/></pattern>'
        "</defs>",
    ]
    # Time grid and axis.
    step = _tick_step(dur)
    t = 0
    while t <= dur + 1e-6:
        out.append(
            f'<line class="grid" x1="{x(t)}" y1="{TOP_PAD - 4}" x2="{x(t)}" y2="{bottom + 4}"/>'
            f'<text class="tick" x="{x(t)}" y="{bottom + 17}" text-anchor="middle">{fmt_ts(t)}</text>'
        )
        t += step
    # Lanes.
    for lane in lanes:
        out.append(
            f'<rect class="lane" x="{LABEL_WIDTH}" y="{lane.y}" width="{span}" '
            f'height="{LANE_HEIGHT}" rx="3"/>'
            f'<text class="lane-label" x="{LABEL_WIDTH - 8}" y="{lane.y + LANE_HEIGHT / 2 + 4}" '
            f'text-anchor="end">{escape(speaker_label(L, lane.speaker, lane.role))}</text>'
        )
    # Silences under the speech, across all lanes.
    for s in timeline.silences:
        if s.kind == "hold":
            cls, what = "hold", L["hold"]
        elif s.duration > timeline.options.dead_air:
            cls, what = "deadair", L["dead_air"]
        else:
            cls, what = "silence", L["silence"]
        out.append(
            f'<rect class="{cls}" x="{x(s.start)}" y="{TOP_PAD - 2}" width="{w(s.start, s.end)}" '
            f'height="{bottom - TOP_PAD + 4}" data-t="{s.start:.2f}">'
            + _title(
                L["svg_gap"].format(
                    what=what, duration=fmt_duration(s.duration), start=fmt_ts(s.start), end=fmt_ts(s.end)
                )
            )
            + "</rect>"
        )
    # Turns.
    for turn in timeline.turns:
        ln = lane_of.get(turn.speaker)
        if ln is None:
            continue
        role = turn.role or ln.role
        cls = "turn " + (role if role in (AGENT, CUSTOMER) else "other")
        text = one_line(turn.text)
        if len(text) > TITLE_CHARS:
            text = text[: TITLE_CHARS - 1] + "…"
        out.append(
            f'<a href="{href(turn.start)}"><rect class="{cls}" x="{x(turn.start)}" y="{ln.y + 3}" '
            f'width="{w(turn.start, turn.end)}" height="{LANE_HEIGHT - 6}" rx="2" data-t="{turn.start:.2f}">'
            + _title(
                L["svg_turn"].format(
                    who=speaker_label(L, turn.speaker, role),
                    start=fmt_ts(turn.start),
                    end=fmt_ts(turn.end),
                    text=text,
                )
            )
            + "</rect></a>"
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
            out.append(
                f'<g class="interruption" data-t="{o.start:.2f}">'
                f'<rect x="{x(o.start)}" y="{ln.y}" width="{w(o.start, o.end, 3)}" height="{LANE_HEIGHT}"/>'
                f'<path d="M{cx - 5} {ln.y - 7} L{cx + 5} {ln.y - 7} L{cx} {ln.y} Z"/>'
                + _title(f"{label}: “{one_line(o.text)}”")
                + "</g>"
            )
        else:
            out.append(
                f'<rect class="backchannel" x="{x(o.start)}" y="{ln.y + LANE_HEIGHT - 4}" '
                f'width="{w(o.start, o.end, 2)}" height="4" data-t="{o.start:.2f}">'
                + _title(
                    L["svg_backchannel"].format(who=who.lower(), start=fmt_ts(o.start))
                    + f": “{one_line(o.text)}”"
                )
                + "</rect>"
            )
    # Evidence of failed items, as markers above the lanes.
    if scorecard is not None:
        for item in scorecard.items:
            if item.status != FAIL:
                continue
            for ev in item.evidence:
                cx = x(ev.start)
                out.append(
                    f'<a href="#{anchor_id(item.id)}"><path class="ev-marker" data-t="{ev.start:.2f}" '
                    f'd="M{cx} {TOP_PAD - 6} L{cx - 5} {TOP_PAD - 16} L{cx + 5} {TOP_PAD - 16} Z">'
                    + _title(
                        L["svg_failed"].format(title=item.title or item.id, start=fmt_ts(ev.start))
                        + f": “{one_line(ev.quote)}”"
                    )
                    + "</path></a>"
                )
    out.append(
        f'<line id="playhead" class="playhead" x1="{LABEL_WIDTH}" y1="{TOP_PAD - 4}" x2="{LABEL_WIDTH}" '
        f'y2="{bottom + 4}" style="display:none"/>'
    )
    out.append("</svg>")
    return "".join(out)
