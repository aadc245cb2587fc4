"""``html`` writer: one self-contained HTML page per call, for agents reviewing their own calls.

The page needs nothing outside itself (no CSS/JS/fonts/CDN): score header with the critical verdict, the
critical failures, every rubric item with status, weight and evidence, a timeline of who spoke when
(inline SVG), the transcript by speaker with evidence highlighted and clickable timestamps, and an audio
player when the recording is at hand (embedded as a ``data:`` URI up to ``EMBED_MAX_BYTES``, else a
relative link). Every piece of transcript, rubric and scorecard text goes through ``html.escape``; the
Content-Security-Policy additionally lets only the page's own script run.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from callscore.errors import CallscoreError
from callscore.files import file_sha256, write_text_atomic
from callscore.render.common import (
    STATUS_LABELS,
    Block,
    anchor_id,
    block_at,
    evidence_covers,
    fmt_created,
    fmt_duration,
    fmt_score,
    fmt_ts,
    fmt_value,
    fmt_weight,
    scalar_metrics,
    speaker_roles,
    status_counts,
    transcript_blocks,
    verdict,
)
from callscore.render.html import sentiment as sent_html
from callscore.render.html.labels import labels_for, speaker_label
from callscore.render.html.style import CSS, SCRIPT, content_security_policy
from callscore.render.html.timeline import render_timeline_svg
from callscore.render.json_out import jsonable
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, Evidence, ItemResult, Scorecard
from callscore.timeline.model import Silence, Timeline
from callscore.transcript.model import AGENT, CUSTOMER, Transcript

EMBED_MAX_BYTES = 5 * 1024 * 1024  # bytes: larger recordings are linked, not embedded
EMBED_MODES = ("auto", "always", "never")
GOOD_SCORE = 80.0  # points: green score at or above
FAIR_SCORE = 60.0  # points: amber score at or above, red below
SEEK_TOLERANCE = 0.05  # s: an interruption starting this close to a block belongs to it

AUDIO_MIME = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".webm": "audio/webm",
}


def e(text: object) -> str:
    """``html.escape`` of ``str(text)``, quotes included (safe in text and in attribute values)."""
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class AudioSource:
    """Where the report's player gets the recording.

    Attributes:
        src: ``data:`` URI (embedded) or a URL relative to the report's folder (linked).
        mime: Media type from the file extension.
        embedded: True when ``src`` carries the bytes.
        size: File size in bytes.
        name: File name, for the label.
    """

    src: str
    mime: str
    embedded: bool
    size: int
    name: str


def audio_source(
    audio_path: str | os.PathLike[str],
    *,
    embed: str = "auto",
    max_bytes: int = EMBED_MAX_BYTES,
    base_dir: str | os.PathLike[str] | None = None,
    expected_sha256: str | None = None,
) -> AudioSource | None:
    """The player source for ``audio_path``; None when the file does not exist or is not the recording.

    With ``expected_sha256`` (the scorecard's audio hash) a file is read only when its SHA-256 matches:
    a crafted transcript or scorecard naming any local file must not get it embedded; an empty hash
    (nothing to verify against) gives None too.

    Parameters
    ----------
    audio_path : the recording
    embed : "auto" (embed when at most ``max_bytes``), "always" or "never" (link)
    max_bytes : largest file embedded in "auto" mode (bytes)
    base_dir : folder the HTML file will be in, for the relative link (default: an absolute file: URI)
    expected_sha256 : hash the file must have; None = not checked (callers that verified it already)
    """
    if embed not in EMBED_MODES:
        raise CallscoreError(
            f"html report: embed_audio must be one of {', '.join(EMBED_MODES)}, not {embed!r}"
        )
    p = Path(audio_path)
    if not p.is_file():
        return None
    if expected_sha256 is not None and (not expected_sha256 or file_sha256(p) != expected_sha256):
        return None
    size = p.stat().st_size
    mime = AUDIO_MIME.get(p.suffix.lower(), "audio/wav")
    if embed == "always" or (embed == "auto" and size <= max_bytes):
        data = base64.b64encode(p.read_bytes()).decode("ascii")
        return AudioSource(f"data:{mime};base64,{data}", mime, True, size, p.name)
    if base_dir is None:  # the page's folder is unknown: a path relative to the cwd would break
        return AudioSource(p.resolve().as_uri(), mime, False, size, p.name)
    try:
        rel = os.path.relpath(p.resolve(), Path(base_dir).resolve())
        src = quote(Path(rel).as_posix(), safe="/")
    except ValueError:  # another drive on Windows: no relative path exists
        src = p.resolve().as_uri()
    return AudioSource(src, mime, False, size, p.name)


def _score_class(total: float | None) -> str:
    if total is None:
        return "none"
    return "good" if total >= GOOD_SCORE else "fair" if total >= FAIR_SCORE else "poor"


def _summary(card: Scorecard, L: Mapping[str, str]) -> str:
    v = verdict(card)
    counts = status_counts(card.items)
    meta = [e(card.rubric_name or card.rubric_id), f"{e(card.rubric_id)} v{e(card.rubric_version)}"]
    meta.append(f"{e(L['duration'])} {fmt_duration(card.duration)}")
    if card.created:
        meta.append(f"{e(L['scored'])} {e(fmt_created(card.created))}")
    chips = (
        f'<span class="chip pass"><b>{counts[PASS]}</b> {e(L["passed"])}</span>'
        f'<span class="chip fail"><b>{counts[FAIL]}</b> {e(L["failed"])}</span>'
        f'<span class="chip"><b>{counts[NOT_APPLICABLE]}</b> {e(L["not_applicable"])}</span>'
        f'<span class="chip"><b>{counts[NOT_MEASURED]}</b> {e(L["not_measured"])}</span>'
    )
    crit = card.critical_failures
    vkey = {"FAIL": "fail", "PASS": "pass"}.get(v, "none")
    vtext = L[f"verdict_{vkey}"] + (f" ({len(crit)})" if len(crit) > 1 else "")
    out_of = " / 100" if card.total is not None else ""
    return (
        '<section class="summary" id="summary"><div>'
        f"<h1>{e(L['call'])} {e(card.call_id)}</h1>"
        f'<div class="meta">{" · ".join(f"<span>{m}</span>" for m in meta)}</div>'
        f'<div class="counts">{chips}</div></div>'
        f'<div class="score {_score_class(card.total)}">'
        f'<div class="score-num" id="score">{fmt_score(card.total)}<small>{out_of}</small></div>'
        f'<span class="verdict {vkey}">{e(vtext)}</span>'
        "</div></section>"
    )


def _evidence_li(ev: Evidence, blocks: Sequence[Block], L: Mapping[str, str]) -> str:
    b = block_at(blocks, ev.start)
    href = f"#b{b.index}" if b else "#transcript"
    role_cls = ev.role if ev.role in (AGENT, CUSTOMER) else ""
    who = speaker_label(L, ev.speaker, ev.role) if (ev.role or ev.speaker) else ""
    play = e(L["play_from"].format(t=fmt_ts(ev.start)))
    parts = [f'<a class="ts" href="{href}" data-t="{ev.start:.2f}" title="{play}">{fmt_ts(ev.start)}</a> ']
    if who:
        parts.append(f'<span class="who {role_cls}">{e(who)}</span> ')
    parts.append(f"<q>{e(ev.quote)}</q>")
    if ev.matched:
        match = L["matched"].format(phrase=ev.matched)
        if ev.similarity is not None:
            match += ", " + L["similarity"].format(value=f"{ev.similarity:.2f}")
        parts.append(f' <span class="match">({e(match)})</span>')
    if ev.note:
        parts.append(f' <span class="note">· {e(ev.note)}</span>')
    return "<li>" + "".join(parts) + "</li>"


def _item_card(item: ItemResult, blocks: Sequence[Block], L: Mapping[str, str]) -> str:
    status = item.status if item.status in STATUS_LABELS else NOT_MEASURED
    crit_cls = " is-critical" if item.critical else ""
    head = [
        f'<span class="badge {status}">{e(L[status])}</span>',
        f"<h3>{e(item.title or item.id)}</h3>",
        f'<span class="id">{e(item.id)}</span>',
    ]
    if item.critical:
        head.append(f'<span class="badge crit">{e(L["critical"])}</span>')
    head.append(f'<span class="weight">{e(L["weight"])} {e(fmt_weight(item.weight))}</span>')
    body = [f'<p class="reason">{e(item.reason)}']
    if item.value is not None:
        body.append(f' <span class="muted">({e(L["value"])} {e(fmt_value(item.value))})</span>')
    body.append("</p>")
    if item.evidence:
        lis = "".join(_evidence_li(ev, blocks, L) for ev in item.evidence)
        body.append(f'<ul class="evidence">{lis}</ul>')
    if item.description and item.status != PASS:  # passed items stay short: agents read what to fix
        body.append(f'<p class="desc">{e(item.description)}</p>')
    return (
        f'<article class="item {status}{crit_cls}" id="{anchor_id(item.id)}">'
        f'<div class="item-head">{"".join(head)}</div>{"".join(body)}</article>'
    )


def _items_section(
    title: str, items: Sequence[ItemResult], blocks: Sequence[Block], L: Mapping[str, str], cls: str = ""
) -> str:
    if not items:
        return ""
    cards = "".join(_item_card(i, blocks, L) for i in items)
    return (
        f'<section class="{cls}"><h2>{e(title)} <span class="count">({len(items)})</span></h2>'
        f'<div class="items">{cards}</div></section>'
    )


def _timeline_section(
    card: Scorecard,
    timeline: Timeline,
    roles: dict[str, str | None],
    blocks: Sequence[Block],
    L: Mapping[str, str],
) -> str:
    svg = render_timeline_svg(
        timeline=timeline, scorecard=card, roles=roles, blocks=blocks, duration=card.duration, labels=L
    )

    def role(speaker: str) -> str | None:
        return timeline.roles.get(speaker) or roles.get(speaker)

    def chip(label: str, count: str, extra: str = "", bad: bool = False) -> str:
        return f'<span class="chip{" fail" if bad else ""}">{e(label)} <b>{count}</b>{extra}</span>'

    chips = []
    agent = sum(t for spk, t in timeline.talk_time.items() if role(spk) == AGENT)
    customer = sum(t for spk, t in timeline.talk_time.items() if role(spk) == CUSTOMER)
    if agent + customer > 0:
        chips.append(chip(L["talk_share"], f"{100 * agent / (agent + customer):.0f} %"))
    n_int = sum(
        1 for o in timeline.overlaps if o.kind == "interruption" and (o.by_role or role(o.by)) == AGENT
    )
    chips.append(chip(L["interruptions_by_agent"], str(n_int), bad=n_int > 0))
    dead = timeline.dead_air()
    dead_s = f" ({fmt_duration(sum(s.duration for s in dead))})" if dead else ""
    chips.append(chip(L["dead_air"], str(len(dead)), dead_s, bad=bool(dead)))
    holds = timeline.holds()
    if holds:
        chips.append(chip(L["holds"], str(len(holds)), f" ({fmt_duration(sum(s.duration for s in holds))})"))
    legend = "".join(
        f'<span><i class="{cls}"></i>{e(text)}</span>'
        for cls, text in (
            ("l-agent", L["legend_agent"]),
            ("l-customer", L["legend_customer"]),
            ("l-int", L["legend_interruption"]),
            ("l-dead", L["legend_dead_air"].format(bar=f"{timeline.options.dead_air:g}")),
            ("l-hold", L["legend_hold"]),
            ("l-ev", L["legend_evidence"]),
        )
    )
    return (
        f'<section id="timeline"><h2>{e(L["sec_timeline"])}</h2>'
        f'<div class="tl-scroll">{svg}</div><div class="legend">{legend}</div>'
        f'<div class="metrics">{"".join(chips)}</div></section>'
    )


def _highlights(card: Scorecard) -> list[tuple[Evidence, ItemResult]]:
    return [(ev, item) for item in card.items if item.status in (PASS, FAIL) for ev in item.evidence]


def _block_html(
    block: Block,
    marks: list[tuple[Evidence, ItemResult]],
    interrupts: bool,
    L: Mapping[str, str],
    sentiment: tuple[str, str] = ("", ""),
) -> str:
    role_cls = block.role if block.role in (AGENT, CUSTOMER) else "other"
    sent_cls, sent_tag = sentiment
    words: list[str] = []
    run: list[str] = []
    run_key: tuple[str, str] | None = None

    def flush() -> None:
        if not run:
            return
        text = " ".join(e(t) for t in run)
        if run_key is None:
            words.append(text)
        else:
            words.append(f'<mark class="ev {run_key[0]}" title="{e(run_key[1])}">{text}</mark>')
        run.clear()

    for w in block.words:
        hits = [
            (ev, item)
            for ev, item in marks
            if evidence_covers(ev, start=w.start, end=w.end, speaker=block.speaker, role=block.role)
        ]
        key: tuple[str, str] | None = None
        if hits:
            cls = FAIL if any(i.status == FAIL for _, i in hits) else PASS
            names = dict.fromkeys(
                L["mark_failed" if i.status == FAIL else "mark_passed"].format(title=i.title or i.id)
                for _, i in hits
            )
            key = (cls, "; ".join(names))
        if key != run_key:
            flush()
            run_key = key
        run.append(w.text)
    flush()
    tag = (
        f'<span class="tag int" title="{e(L["interrupts_title"])}">{e(L["interrupts"])}</span>'
        if interrupts
        else ""
    )
    return (
        f'<div class="turn-block {role_cls}{sent_cls}" id="b{block.index}" data-start="{block.start:.2f}" '
        f'data-end="{block.end:.2f}"><div class="meta">'
        f'<a class="ts" href="#b{block.index}" data-t="{block.start:.2f}">{fmt_ts(block.start)}</a>'
        f'<span class="who {role_cls}">{e(speaker_label(L, block.speaker, block.role))}</span>{tag}'
        f"{sent_tag}</div>"
        f"<p>{' '.join(words)}</p></div>"
    )


def _gap_html(s: Silence, dead_air: float, L: Mapping[str, str]) -> str:
    if s.kind == "hold":
        cls, what = "hold", L["hold"]
    elif s.duration > dead_air:
        cls, what = "deadair", L["dead_air"]
    else:
        cls, what = "", L["silence"]
    return (
        f'<div class="gapline {cls}" data-t="{s.start:.2f}">{e(what)} {fmt_duration(s.duration)} '
        f"({fmt_ts(s.start)}–{fmt_ts(s.end)})</div>"
    )


VOICE_W, VOICE_H, VOICE_PAD = 640, 120, 24  # px of the calm/confidence curve
VOICE_COLOURS = {"calm": "#2b7bb9", "confidence": "#c2410c"}


def _voice_section(card: Scorecard, L: Mapping[str, str]) -> str:
    """The agent's calm and confidence with their largest contributions and the per-window curve, read
    from the scorecard's ``metrics["prosody"]`` (so a re-rendered saved scorecard shows it too)."""
    data = card.metrics.get("prosody") if isinstance(card.metrics, Mapping) else None
    speakers = data.get("speakers", []) if isinstance(data, Mapping) else []
    agent = next((sp for sp in speakers if isinstance(sp, Mapping) and sp.get("role") == "agent"), None)
    if agent is None:
        return ""
    cards = []
    for key in ("calm", "confidence"):
        sc = agent.get(key) or {}
        score = sc.get("score")
        shown = L["voice_not_measured"] if score is None else f"{score:.0f}"
        rows = "".join(
            f"<li>{e(c.get('feature', ''))}: {e(c.get('value', ''))} "
            f'<span class="muted">({e(c.get("reference", ""))})</span> '
            f"<b>{float(c.get('points', 0.0)):+.1f}</b></li>"
            for c in sc.get("contributions", [])
        )
        cards.append(
            f'<div class="voice-score"><h3><span class="dot" style="background:{VOICE_COLOURS[key]}"></span>'
            f"{e(L['voice_' + key])} <b>{e(shown)}</b></h3>"
            f'<p class="muted">{e(sc.get("reason", ""))}</p>'
            + (
                f'<details class="compact"><summary>{e(L["voice_why"])}</summary><ul>{rows}</ul></details>'
                if rows
                else ""
            )
            + "</div>"
        )
    curve = [p for p in agent.get("curve", []) if isinstance(p, Mapping)]
    svg = _voice_curve_svg(curve, card.duration or 0.0) if curve else ""
    window = f"{float(data.get('window_s', 60)):g}" if isinstance(data, Mapping) else "60"
    caption = f'<p class="muted">{e(L["voice_curve"].format(window=window))}</p>' if svg else ""
    return (
        f'<section id="voice"><h2>{e(L["sec_voice"])}</h2>'
        f'<div class="voice">{"".join(cards)}</div>{caption}{svg}</section>'
    )


def _voice_curve_svg(curve: Sequence[Mapping[str, object]], duration: float) -> str:
    """Two polylines (0-100) over call time; each point is a seek target."""
    end = max([duration] + [float(str(p.get("end", 0.0))) for p in curve]) or 1.0
    x_of = lambda t: VOICE_PAD + (VOICE_W - 2 * VOICE_PAD) * t / end  # noqa: E731
    y_of = lambda v: VOICE_PAD / 2 + (VOICE_H - VOICE_PAD) * (1 - v / 100)  # noqa: E731
    parts = [
        f'<line x1="{VOICE_PAD}" x2="{VOICE_W - VOICE_PAD}" y1="{y_of(50):.1f}" y2="{y_of(50):.1f}" '
        'stroke="#bbb" stroke-dasharray="4 3"/>'
    ]
    for key, colour in VOICE_COLOURS.items():
        pts = []
        for p in curve:
            v = p.get(key)
            if v is None:
                continue
            mid = (float(str(p["start"])) + float(str(p["end"]))) / 2
            pts.append((x_of(mid), y_of(float(str(v))), float(str(p["start"])), float(str(v))))
        if len(pts) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in pts)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" data-t="{t:.2f}">'
            f"<title>{e(key)} {v:.0f} @ {fmt_ts(t)}</title></circle>"
            for x, y, t, v in pts
        ]
    return (
        f'<svg class="voice-curve" viewBox="0 0 {VOICE_W} {VOICE_H}" role="img" '
        f'aria-label="calm and confidence over time">{"".join(parts)}</svg>'
    )


def _transcript_section(
    card: Scorecard,
    transcript: Transcript,
    timeline: Timeline | None,
    blocks: Sequence[Block],
    L: Mapping[str, str],
    lang: str = "en",
) -> str:
    marks = _highlights(card)
    overlaps = timeline.overlaps if timeline else ()
    interrupt_starts = [(o.by, o.start) for o in overlaps if o.kind == "interruption"]
    silences = sorted(timeline.silences, key=lambda s: s.start) if timeline else []
    dead_air = timeline.options.dead_air if timeline else 0.0
    out: list[str] = []
    for b in blocks:
        while silences and silences[0].end <= b.start + SEEK_TOLERANCE:
            out.append(_gap_html(silences.pop(0), dead_air, L))
        interrupts = any(
            by == b.speaker and b.start - SEEK_TOLERANCE <= t <= b.end for by, t in interrupt_starts
        )
        turn = sent_html.block_sentiment(b, card.sentiment)
        shown = (sent_html.block_class(turn), sent_html.block_tag(turn, lang=lang))
        out.append(_block_html(b, marks, interrupts, L, shown))
    out += [_gap_html(s, dead_air, L) for s in silences]
    lang = e(transcript.info.language or "")
    body = "".join(out) or f'<p class="muted">{e(L["no_words"])}</p>'
    return (
        f'<section id="transcript"><h2>{e(L["sec_transcript"])} '
        f'<span class="count">({len(blocks)} {e(L["turns"])})</span></h2>'
        f'<div class="transcript" lang="{lang}">{body}</div></section>'
    )


def _details_section(card: Scorecard, L: Mapping[str, str]) -> str:
    unknown = L["unknown"]
    rows = [
        (L["source"], card.source),
        ("Audio SHA-256", card.audio_sha256 or unknown),
        (L["rubric"], f"{card.rubric_name} ({card.rubric_id} v{card.rubric_version})"),
        (L["scored"], card.created or unknown),
        ("callscore", card.callscore_version or unknown),
        (L["schema_version"], str(card.schema_version)),
    ]
    rows += [(k, fmt_value(v)) for k, v in scalar_metrics(card.metrics)]
    table = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in rows)
    settings = json.dumps(jsonable(card.settings), ensure_ascii=False, indent=2)
    return (
        f'<section><details class="compact"><summary>{e(L["details"])}</summary>'
        f'<table class="kv">{table}</table><h3 class="sub">{e(L["settings"])}</h3>'
        f"<pre>{e(settings)}</pre></details></section>"
    )


def _expected_sha256(card: Scorecard, audio_path: str | os.PathLike[str]) -> str:
    """The hash the played file must have: the redacted copy's when the scorecard recorded one at that path
    (``--redact audio``), else the recording's; so only verified audio is ever read into a report."""
    rec = card.settings.get("redaction") if isinstance(card.settings, dict) else None
    copy = rec.get("audio") if isinstance(rec, dict) else None
    if copy and rec and rec.get("audio_sha256") and Path(str(copy)).resolve() == Path(audio_path).resolve():
        return str(rec["audio_sha256"])
    return card.audio_sha256


def _player(
    audio: AudioSource | None, audio_path: str | os.PathLike[str] | None, L: Mapping[str, str]
) -> str:
    if audio is None:
        if audio_path is None:
            return ""
        missing = e(L["audio_missing"].format(name=Path(audio_path).name))
        return f'<section class="player no-print"><span class="muted">{missing}</span></section>'
    return (
        f'<section class="player no-print"><span class="label">{e(L["listen"])}</span>'
        f'<audio id="player" controls preload="metadata" src="{e(audio.src)}" title="{e(audio.name)}">'
        f"{e(L['cannot_play'].format(name=audio.name))}</audio></section>"
    )


def render(
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    embed_audio: str = "auto",
    embed_max_bytes: int = EMBED_MAX_BYTES,
    base_dir: str | os.PathLike[str] | None = None,
    lang: str = "en",
) -> str:
    """The HTML page as text.

    Parameters
    ----------
    scorecard : the scored call
    transcript : words by speaker; without it the page has no transcript section
    timeline : turns/overlaps/silences; the one the scorecard recorded when omitted (never recomputed)
    audio_path : the recording for the player; a missing file gives a note instead of a player
    embed_audio : "auto" (data: URI up to ``embed_max_bytes``), "always" or "never" (relative link)
    embed_max_bytes : largest recording embedded in "auto" mode (bytes)
    base_dir : folder the page will be saved in, for the relative audio link (default: current folder)
    lang : language of the page's own text, "en" or "id" (rubric and transcript text stay as they are)
    """
    L = labels_for(lang)
    card = scorecard
    roles = speaker_roles(transcript)
    blocks = transcript_blocks(transcript) if transcript is not None else ()
    # Draw the timeline scoring counted (recorded in the scorecard), never a recomputed one: a timeline
    # rebuilt with other settings could show an interruption the scorecard did not count.
    timeline = timeline or card.timeline
    audio = (
        audio_source(
            audio_path,
            embed=embed_audio,
            max_bytes=embed_max_bytes,
            base_dir=base_dir,
            expected_sha256=_expected_sha256(card, audio_path),
        )
        if audio_path is not None
        else None
    )
    crit = card.critical_failures
    rest = [i for i in card.items if i not in crit]
    parts = [_summary(card, L), _player(audio, audio_path, L)]
    parts.append(_items_section(L["sec_critical"], crit, blocks, L, cls="critical"))
    if timeline is not None and (timeline.turns or timeline.silences):
        parts.append(_timeline_section(card, timeline, roles, blocks, L))
    parts.append(_items_section(L["sec_attention"], [i for i in rest if i.status == FAIL], blocks, L))
    parts.append(_items_section(L["sec_done"], [i for i in rest if i.status == PASS], blocks, L))
    not_scored = [i for i in rest if i.status not in (PASS, FAIL)]
    parts.append(_items_section(L["sec_not_scored"], not_scored, blocks, L, cls="not-scored"))
    parts.append(_voice_section(card, L))
    parts.append(sent_html.sentiment_section(card.sentiment, lang=lang))
    if transcript is not None:
        parts.append(_transcript_section(card, transcript, timeline, blocks, L, lang))
    parts.append(_details_section(card, L))
    title = f"{L['call']} {card.call_id} · {L['title_score']} {fmt_score(card.total)}"
    if crit:
        title += f" · {L['title_critical']}"
    version = e(card.callscore_version or "")
    page_lang = e(lang.strip().lower().split("-")[0])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{page_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy())}">'
        f'<meta name="generator" content="callscore {version}">'
        f"<title>{e(title)}</title><style>{CSS}{sent_html.CSS}</style></head>"
        f"<body><main>{''.join(p for p in parts if p)}"
        f"<footer>callscore {version} · {e(L['footer'].format(version=card.schema_version))}</footer>"
        f"</main><script>{SCRIPT}</script></body></html>\n"
    )


def write(
    path: str | os.PathLike[str],
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    embed_audio: str = "auto",
    embed_max_bytes: int = EMBED_MAX_BYTES,
    lang: str = "en",
) -> Path:
    """Write the page to ``path`` atomically; a linked recording's URL is relative to ``path``'s folder."""
    p = Path(path)
    text = render(
        scorecard=scorecard,
        transcript=transcript,
        timeline=timeline,
        audio_path=audio_path,
        embed_audio=embed_audio,
        embed_max_bytes=embed_max_bytes,
        base_dir=p.parent,
        lang=lang,
    )
    return write_text_atomic(p, text)
