"""``html`` writer: one self-contained HTML page per call, for agents reviewing their own calls.

The page needs nothing outside itself (no CSS/JS/fonts/CDN): score header with the critical verdict, the
critical failures, every rubric item with status, weight and evidence, a timeline of who spoke when
(inline SVG), the transcript by speaker with evidence highlighted and clickable timestamps, and an audio
player when the recording is at hand (embedded as a ``data:`` URI up to ``EMBED_MAX_BYTES``, else a
relative link). The markup is in Jinja2 templates (``templates/report.html.j2`` and its parts) with
autoescaping on, so every piece of transcript, rubric and scorecard text is escaped; the
Content-Security-Policy additionally lets only the page's own script run.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
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
from callscore.render.templating import render_fragment, render_template, trusted
from callscore.scorecard import FAIL, NOT_MEASURED, PASS, Evidence, ItemResult, Scorecard
from callscore.timeline.model import Silence, Timeline
from callscore.transcript.model import AGENT, CUSTOMER, Transcript

if TYPE_CHECKING:
    from markupsafe import Markup

EMBED_MAX_BYTES = 5 * 1024 * 1024  # bytes: larger recordings are linked, not embedded
EMBED_MODES = ("auto", "always", "never")
GOOD_SCORE = 80.0  # points: green score at or above
FAIR_SCORE = 60.0  # points: amber score at or above, red below
SEEK_TOLERANCE = 0.05  # s: an interruption starting this close to a block belongs to it
TEMPLATES = "callscore.render.html"  # package whose templates/ folder holds the page's templates

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


@dataclass(frozen=True)
class EvidenceView:
    """One evidence line of an item card, as the template shows it (plain text; the template escapes).

    Attributes:
        href: Link to the transcript block spoken at the evidence's start.
        t: Seek time for the player, "12.34" (s).
        ts: Start as shown ("0:12").
        play: Hover text of the timestamp.
        who: Speaker name, or "".
        role_cls: "agent"/"customer"/"".
        quote: The quoted words.
        match: "matched …, similarity …", or "".
        note: The evidence note, or "".
    """

    href: str
    t: str
    ts: str
    play: str
    who: str
    role_cls: str
    quote: str
    match: str
    note: str


@dataclass(frozen=True)
class ItemView:
    """One rubric item's card.

    Attributes:
        anchor: Element id ("item-<id>").
        status: Status key, also its CSS class.
        status_label: Status in the page's language.
        critical: True for a critical item.
        title: Item title.
        id: Item id.
        weight: Weight as shown.
        reason: One line saying why.
        value: Measured value as shown, or "" for none.
        evidence: Evidence lines.
        description: Shown for items that did not pass ("" otherwise).
    """

    anchor: str
    status: str
    status_label: str
    critical: bool
    title: str
    id: str
    weight: str
    reason: str
    value: str
    evidence: tuple[EvidenceView, ...]
    description: str


@dataclass(frozen=True)
class ItemSection:
    """A titled group of item cards (critical failures, needs attention, done well, not scored).

    Attributes:
        title: Heading.
        cls: CSS class of the section, or "".
        items: The cards.
    """

    title: str
    cls: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class Chip:
    """A labelled figure (talk share, interruptions, dead air).

    Attributes:
        label: What it counts.
        count: The figure as shown.
        extra: Text after the figure, or "".
        bad: True to draw it as a problem.
    """

    label: str
    count: str
    extra: str = ""
    bad: bool = False


@dataclass(frozen=True)
class WordRun:
    """Consecutive transcript words with the same evidence highlight.

    Attributes:
        text: The words joined by spaces.
        cls: "pass"/"fail" for highlighted evidence, "" for none.
        title: Hover text naming the items, or "".
    """

    text: str
    cls: str = ""
    title: str = ""


@dataclass(frozen=True)
class TranscriptEntry:
    """A speaker block or a silence line of the transcript, in call order.

    Attributes:
        kind: "block" or "gap".
        cls: CSS class(es): the role for a block, "hold"/"deadair"/"" for a gap.
        text: A gap's line ("Dead air 12 s (0:10–0:22)"); a block's speaker name.
        index: Block number (element id ``b<index>``).
        start: Seek time "12.34" (s).
        end: Block end "15.00" (s).
        ts: Block start as shown.
        who_cls: Role class of the speaker name.
        interrupts: True when the block started over the other speaker.
        runs: The block's words.
        sentiment: The block's recorded sentiment label and score, or None.
    """

    kind: str
    cls: str
    text: str
    start: str
    index: int = 0
    end: str = ""
    ts: str = ""
    who_cls: str = ""
    interrupts: bool = False
    runs: tuple[WordRun, ...] = ()
    sentiment: sent_html.BlockTag | None = None


@dataclass(frozen=True)
class VoiceCard:
    """Calm or confidence of the agent, with what moved the score.

    Attributes:
        colour: Curve colour (CSS colour).
        label: "Calm"/"Confidence" in the page's language.
        shown: Score as shown, or "not measured".
        reason: One line saying why.
        rows: (feature, value, reference, points) of each contribution, as shown.
    """

    colour: str
    label: str
    shown: str
    reason: str
    rows: tuple[tuple[str, str, str, str], ...]


def _summary(card: Scorecard, L: Mapping[str, str]) -> dict[str, object]:
    v = verdict(card)
    meta = [card.rubric_name or card.rubric_id, f"{card.rubric_id} v{card.rubric_version}"]
    meta.append(f"{L['duration']} {fmt_duration(card.duration)}")
    if card.created:
        meta.append(f"{L['scored']} {fmt_created(card.created)}")
    crit = card.critical_failures
    vkey = {"FAIL": "fail", "PASS": "pass"}.get(v, "none")
    return {
        "meta": meta,
        "counts": status_counts(card.items),
        "vkey": vkey,
        "vtext": L[f"verdict_{vkey}"] + (f" ({len(crit)})" if len(crit) > 1 else ""),
        "score_cls": _score_class(card.total),
        "score": fmt_score(card.total),
        "out_of": " / 100" if card.total is not None else "",
    }


def _evidence_view(ev: Evidence, blocks: Sequence[Block], L: Mapping[str, str]) -> EvidenceView:
    b = block_at(blocks, ev.start)
    match = ""
    if ev.matched:
        match = L["matched"].format(phrase=ev.matched)
        if ev.similarity is not None:
            match += ", " + L["similarity"].format(value=f"{ev.similarity:.2f}")
    return EvidenceView(
        href=f"#b{b.index}" if b else "#transcript",
        t=f"{ev.start:.2f}",
        ts=fmt_ts(ev.start),
        play=L["play_from"].format(t=fmt_ts(ev.start)),
        who=speaker_label(L, ev.speaker, ev.role) if (ev.role or ev.speaker) else "",
        role_cls=ev.role if ev.role in (AGENT, CUSTOMER) else "",
        quote=ev.quote,
        match=match,
        note=ev.note or "",
    )


def _item_view(item: ItemResult, blocks: Sequence[Block], L: Mapping[str, str]) -> ItemView:
    status = item.status if item.status in STATUS_LABELS else NOT_MEASURED
    return ItemView(
        anchor=anchor_id(item.id),
        status=status,
        status_label=L[status],
        critical=item.critical,
        title=item.title or item.id,
        id=item.id,
        weight=fmt_weight(item.weight),
        reason=item.reason,
        value="" if item.value is None else fmt_value(item.value),
        evidence=tuple(_evidence_view(ev, blocks, L) for ev in item.evidence),
        # Passed items stay short: agents read what to fix.
        description=item.description if item.description and item.status != PASS else "",
    )


def _items_section(
    title: str, items: Sequence[ItemResult], blocks: Sequence[Block], L: Mapping[str, str], cls: str = ""
) -> ItemSection | None:
    if not items:
        return None
    return ItemSection(title, cls, tuple(_item_view(i, blocks, L) for i in items))


def _timeline_section(
    card: Scorecard,
    timeline: Timeline,
    roles: dict[str, str | None],
    blocks: Sequence[Block],
    L: Mapping[str, str],
) -> dict[str, object]:
    svg = render_timeline_svg(
        timeline=timeline, scorecard=card, roles=roles, blocks=blocks, duration=card.duration, labels=L
    )

    def role(speaker: str) -> str | None:
        return timeline.roles.get(speaker) or roles.get(speaker)

    chips = []
    agent = sum(t for spk, t in timeline.talk_time.items() if role(spk) == AGENT)
    customer = sum(t for spk, t in timeline.talk_time.items() if role(spk) == CUSTOMER)
    if agent + customer > 0:
        chips.append(Chip(L["talk_share"], f"{100 * agent / (agent + customer):.0f} %"))
    n_int = sum(
        1 for o in timeline.overlaps if o.kind == "interruption" and (o.by_role or role(o.by)) == AGENT
    )
    chips.append(Chip(L["interruptions_by_agent"], str(n_int), bad=n_int > 0))
    dead = timeline.dead_air()
    dead_s = f" ({fmt_duration(sum(s.duration for s in dead))})" if dead else ""
    chips.append(Chip(L["dead_air"], str(len(dead)), dead_s, bad=bool(dead)))
    holds = timeline.holds()
    if holds:
        chips.append(Chip(L["holds"], str(len(holds)), f" ({fmt_duration(sum(s.duration for s in holds))})"))
    legend = (
        ("l-agent", L["legend_agent"]),
        ("l-customer", L["legend_customer"]),
        ("l-int", L["legend_interruption"]),
        ("l-dead", L["legend_dead_air"].format(bar=f"{timeline.options.dead_air:g}")),
        ("l-hold", L["legend_hold"]),
        ("l-ev", L["legend_evidence"]),
    )
    return {"svg": svg, "legend": legend, "chips": chips}


def _highlights(card: Scorecard) -> list[tuple[Evidence, ItemResult]]:
    return [(ev, item) for item in card.items if item.status in (PASS, FAIL) for ev in item.evidence]


def _word_runs(block: Block, marks: list[tuple[Evidence, ItemResult]], L: Mapping[str, str]) -> list[WordRun]:
    """The block's words grouped into runs that share one highlight (evidence of the same items)."""
    runs: list[WordRun] = []
    run: list[str] = []
    run_key: tuple[str, str] | None = None

    def flush() -> None:
        if run:
            cls, title = run_key or ("", "")
            runs.append(WordRun(" ".join(run), cls, title))
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
    return runs


def _block_entry(
    block: Block,
    marks: list[tuple[Evidence, ItemResult]],
    interrupts: bool,
    L: Mapping[str, str],
    card: Scorecard,
    lang: str,
) -> TranscriptEntry:
    role_cls = block.role if block.role in (AGENT, CUSTOMER) else "other"
    turn = sent_html.block_sentiment(block, card.sentiment)
    return TranscriptEntry(
        kind="block",
        cls=role_cls + sent_html.block_class(turn),
        text=speaker_label(L, block.speaker, block.role),
        start=f"{block.start:.2f}",
        index=block.index,
        end=f"{block.end:.2f}",
        ts=fmt_ts(block.start),
        who_cls=role_cls,
        interrupts=interrupts,
        runs=tuple(_word_runs(block, marks, L)),
        sentiment=sent_html.block_tag(turn, lang=lang),
    )


def _gap_entry(s: Silence, dead_air: float, L: Mapping[str, str]) -> TranscriptEntry:
    if s.kind == "hold":
        cls, what = "hold", L["hold"]
    elif s.duration > dead_air:
        cls, what = "deadair", L["dead_air"]
    else:
        cls, what = "", L["silence"]
    text = f"{what} {fmt_duration(s.duration)} ({fmt_ts(s.start)}–{fmt_ts(s.end)})"
    return TranscriptEntry(kind="gap", cls=cls, text=text, start=f"{s.start:.2f}")


VOICE_W, VOICE_H, VOICE_PAD = 640, 120, 24  # px of the calm/confidence curve
VOICE_COLOURS = {"calm": "#2b7bb9", "confidence": "#c2410c"}


def _voice_section(card: Scorecard, L: Mapping[str, str]) -> dict[str, object] | None:
    """The agent's calm and confidence with their largest contributions and the per-window curve, read
    from the scorecard's ``metrics["prosody"]`` (so a re-rendered saved scorecard shows it too)."""
    data = card.metrics.get("prosody") if isinstance(card.metrics, Mapping) else None
    speakers = data.get("speakers", []) if isinstance(data, Mapping) else []
    agent = next((sp for sp in speakers if isinstance(sp, Mapping) and sp.get("role") == "agent"), None)
    if agent is None:
        return None
    cards = []
    for key in ("calm", "confidence"):
        sc = agent.get(key) or {}
        score = sc.get("score")
        rows = tuple(
            (
                str(c.get("feature", "")),
                str(c.get("value", "")),
                str(c.get("reference", "")),
                f"{float(c.get('points', 0.0)):+.1f}",
            )
            for c in sc.get("contributions", [])
        )
        cards.append(
            VoiceCard(
                colour=VOICE_COLOURS[key],
                label=L["voice_" + key],
                shown=L["voice_not_measured"] if score is None else f"{score:.0f}",
                reason=str(sc.get("reason", "")),
                rows=rows,
            )
        )
    curve = [p for p in agent.get("curve", []) if isinstance(p, Mapping)]
    svg = _voice_curve_svg(curve, card.duration or 0.0) if curve else None
    window = f"{float(data.get('window_s', 60)):g}" if isinstance(data, Mapping) else "60"
    return {"cards": cards, "svg": svg, "caption": L["voice_curve"].format(window=window)}


def _voice_curve_svg(curve: Sequence[Mapping[str, object]], duration: float) -> Markup:
    """Two polylines (0-100) over call time; each point is a seek target."""
    end = max([duration] + [float(str(p.get("end", 0.0))) for p in curve]) or 1.0
    x_of = lambda t: VOICE_PAD + (VOICE_W - 2 * VOICE_PAD) * t / end  # noqa: E731
    y_of = lambda v: VOICE_PAD / 2 + (VOICE_H - VOICE_PAD) * (1 - v / 100)  # noqa: E731
    lines = []
    for key, colour in VOICE_COLOURS.items():
        pts = []
        for p in curve:
            v = p.get(key)
            if v is None:
                continue
            mid = (float(str(p["start"])) + float(str(p["end"]))) / 2
            pts.append((x_of(mid), y_of(float(str(v))), float(str(p["start"])), float(str(v))))
        lines.append(
            {
                "key": key,
                "colour": colour,
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in pts) if len(pts) > 1 else "",
                "dots": [
                    (f"{x:.1f}", f"{y:.1f}", f"{t:.2f}", f"{key} {v:.0f} @ {fmt_ts(t)}") for x, y, t, v in pts
                ],
            }
        )
    return render_fragment(
        TEMPLATES,
        "voice_curve.svg.j2",
        w=VOICE_W,
        h=VOICE_H,
        x1=VOICE_PAD,
        x2=VOICE_W - VOICE_PAD,
        mid=f"{y_of(50):.1f}",
        lines=lines,
    )


def _transcript_section(
    card: Scorecard,
    transcript: Transcript,
    timeline: Timeline | None,
    blocks: Sequence[Block],
    L: Mapping[str, str],
    lang: str = "en",
) -> dict[str, object]:
    marks = _highlights(card)
    overlaps = timeline.overlaps if timeline else ()
    interrupt_starts = [(o.by, o.start) for o in overlaps if o.kind == "interruption"]
    silences = sorted(timeline.silences, key=lambda s: s.start) if timeline else []
    dead_air = timeline.options.dead_air if timeline else 0.0
    out: list[TranscriptEntry] = []
    for b in blocks:
        while silences and silences[0].end <= b.start + SEEK_TOLERANCE:
            out.append(_gap_entry(silences.pop(0), dead_air, L))
        interrupts = any(
            by == b.speaker and b.start - SEEK_TOLERANCE <= t <= b.end for by, t in interrupt_starts
        )
        out.append(_block_entry(b, marks, interrupts, L, card, lang))
    out += [_gap_entry(s, dead_air, L) for s in silences]
    return {"entries": out, "lang": transcript.info.language or "", "turns": len(blocks)}


def _details_section(card: Scorecard, L: Mapping[str, str]) -> dict[str, object]:
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
    settings = json.dumps(jsonable(card.settings), ensure_ascii=False, indent=2)
    return {"rows": rows, "settings": settings}


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
) -> dict[str, object] | None:
    if audio is None:
        if audio_path is None:
            return None
        return {"audio": None, "missing": L["audio_missing"].format(name=Path(audio_path).name)}
    return {"audio": audio, "cannot_play": L["cannot_play"].format(name=audio.name)}


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
    not_scored = [i for i in rest if i.status not in (PASS, FAIL)]
    title = f"{L['call']} {card.call_id} · {L['title_score']} {fmt_score(card.total)}"
    if crit:
        title += f" · {L['title_critical']}"
    return render_template(
        TEMPLATES,
        "report.html.j2",
        L=L,
        card=card,
        page_lang=lang.strip().lower().split("-")[0],
        csp=content_security_policy(),
        version=card.callscore_version or "",
        title=title,
        css=trusted(CSS + sent_html.CSS),
        script=trusted(SCRIPT),
        summary=_summary(card, L),
        player=_player(audio, audio_path, L),
        critical=_items_section(L["sec_critical"], crit, blocks, L, cls="critical"),
        timeline=(
            _timeline_section(card, timeline, roles, blocks, L)
            if timeline is not None and (timeline.turns or timeline.silences)
            else None
        ),
        sections=[
            _items_section(L["sec_attention"], [i for i in rest if i.status == FAIL], blocks, L),
            _items_section(L["sec_done"], [i for i in rest if i.status == PASS], blocks, L),
        ],
        not_scored=_items_section(L["sec_not_scored"], not_scored, blocks, L, cls="not-scored"),
        voice=_voice_section(card, L),
        sentiment=sent_html.sentiment_section(card.sentiment, lang=lang),
        transcript=(
            None if transcript is None else _transcript_section(card, transcript, timeline, blocks, L, lang)
        ),
        details=_details_section(card, L),
        footer=L["footer"].format(version=card.schema_version),
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
