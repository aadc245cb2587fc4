"""Scorecard writers (table, json, md, html) on a constructed call: real dataclasses, no mocks."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import shutil
import stat
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from callscore.audio.model import AudioInfo
from callscore.errors import CallscoreError
from callscore.render import FORMATS, get_writer, render_call
from callscore.render.html.style import SCRIPT, content_security_policy, script_hash
from callscore.scorecard import (
    FAIL,
    NOT_APPLICABLE,
    NOT_MEASURED,
    PASS,
    Evidence,
    ItemResult,
    Scorecard,
    scorecard_from_dict,
    scorecard_to_dict,
    scorecard_to_json,
    weighted_total,
)
from callscore.timeline.from_words import build_timeline
from callscore.timeline.model import SCORING_TIMELINE, Timeline
from callscore.transcript.model import Segment, Speaker, Transcript, TranscriptionInfo, Word

XSS_WORD = "<script>alert(1)</script>"
CANARY_WORD = "<script>document.title='PWNED'</script><img/src=x/onerror=document.title='PWNED'>"
ATTR_QUOTE = 'kata "onmouseover=alert(1) x=" dia | pipe [bold]red[/bold]'
SECONDS_PER_WORD = 0.32

# (speaker, start s, text): an Indonesian bank call with a complaint, an interruption by the agent, dead
# air (21.5-34 s) and a hold (35.6-56 s, sound on the line).
UTTERANCES = [
    (
        "S0",
        0.5,
        "Selamat pagi, terima kasih telah menghubungi Bank Nusantara, dengan Rina, ada yang bisa saya bantu?",
    ),
    ("S1", 7.0, f"Pagi mbak, kartu ATM saya terblokir sejak kemarin {XSS_WORD} tolong ya"),
    ("S0", 12.0, "Baik Bapak, boleh saya minta nomor kartunya?"),
    ("S1", 15.5, f"Nomornya satu dua tiga empat {CANARY_WORD}"),
    ("S0", 19.0, "Hmm saya tidak tahu kenapa kartunya diblokir Pak"),
    ("S0", 34.0, "Mohon ditunggu sebentar ya Pak"),
    ("S0", 56.0, "Terima kasih sudah menunggu, kartu Bapak terblokir karena salah PIN tiga kali"),
    ("S1", 62.0, "Oh begitu, jadi sekarang sudah bisa dipakai lagi atau saya harus ke cabang"),
    ("S0", 64.0, "Sudah bisa Bapak silakan dicoba lagi"),
    ("S0", 70.0, "Terima kasih telah menghubungi Bank Nusantara"),
]
HOLD = (36.0, 56.0)
DURATION = 75.0


def make_transcript(*, with_speakers: bool = True) -> Transcript:
    segments = []
    for n, (spk, start, text) in enumerate(UTTERANCES):
        ch = int(spk[1])
        words = tuple(
            Word(
                round(start + k * SECONDS_PER_WORD, 3),
                round(start + (k + 0.9) * SECONDS_PER_WORD, 3),
                " " + tok,
                0.9,
                ch,
                spk if with_speakers else None,
            )
            for k, tok in enumerate(text.split())
        )
        segments.append(
            Segment(n, ch, words[0].start, words[-1].end, text, words, speaker=spk if with_speakers else None)
        )
    speakers = (
        (
            Speaker("S0", 0, "agent", 0.95, "greets with company name"),
            Speaker("S1", 1, "customer", 0.95, "other"),
        )
        if with_speakers
        else ()
    )
    return Transcript(
        audio=AudioInfo("calls/bank 1.wav", "ab" * 32, DURATION, 8000, 2, "pcm_mulaw", "wav"),
        info=TranscriptionInfo("faster-whisper", "whisper-base", "", "id", {"beam_size": 5}, 40.0, "0.1.0"),
        segments=tuple(sorted(segments, key=lambda s: s.start)),
        speakers=speakers,
    )


def _words(t: Transcript, text: str) -> tuple[float, float]:
    """Start and end (s) of the first run of words spelling ``text``."""
    toks = text.split()
    for ch in (0, 1):  # per channel: overlapping speech interleaves the call's words
        ws = t.words(channel=ch)
        for i in range(len(ws) - len(toks) + 1):
            if [w.text.strip() for w in ws[i : i + len(toks)]] == toks:
                return ws[i].start, ws[i + len(toks) - 1].end
    raise AssertionError(f"{text!r} not in transcript")


def item(
    id_, status, *, weight=1.0, critical=False, evidence=(), reason="", value=None, kind="phrase_present"
):
    return ItemResult(
        id=id_,
        title=id_.replace("_", " ").capitalize(),
        description=f"Checks {id_}.",
        kind=kind,
        weight=weight,
        critical=critical,
        status=status,
        reason=reason or f"{id_} {status}",
        evidence=tuple(evidence),
        value=value,
    )


def make_card(t: Transcript | None = None, *, metrics: dict | None = None) -> Scorecard:
    t = t or make_transcript()
    g0, g1 = _words(t, "Selamat pagi, terima kasih telah menghubungi Bank Nusantara,")
    s0, s1 = _words(t, "saya tidak tahu")
    i0, _ = _words(t, "Sudah bisa Bapak")
    c0, c1 = _words(t, "Terima kasih telah menghubungi Bank Nusantara")
    x0, x1 = _words(t, "terblokir karena salah PIN tiga kali")
    dead = make_timeline(t).dead_air()[0]
    items = [
        item(
            "greeting",
            PASS,
            weight=2,
            evidence=[
                Evidence(
                    "Selamat pagi, terima kasih telah menghubungi Bank Nusantara",
                    g0,
                    g1,
                    "S0",
                    "agent",
                    0.97,
                    "selamat pagi",
                )
            ],
        ),
        item("offer_help", PASS, evidence=[Evidence("ada yang bisa saya bantu?", 3.0, 4.5, "S0", "agent")]),
        item("polite_address", PASS),
        item("confirm_problem", FAIL, reason="The agent never repeated the problem back."),
        item(
            "apology_on_complaint",
            FAIL,
            weight=2,
            reason="Customer complained at 00:07, no apology followed.",
            evidence=[Evidence(ATTR_QUOTE, 7.0, 9.0, "S1", "customer")],
        ),
        item("empathy", FAIL, kind="conditional"),
        item("ownership", PASS),
        item(
            "no_saya_tidak_tahu",
            FAIL,
            weight=3,
            critical=True,
            kind="phrase_absent",
            reason='Agent said "saya tidak tahu" without offering to find out.',
            evidence=[Evidence("saya tidak tahu", s0, s1, "S0", "agent", 1.0, "saya tidak tahu", XSS_WORD)],
        ),
        item("positive_language", PASS),
        item("no_blaming_language", PASS, critical=True, kind="phrase_absent"),
        item(
            "explain_cause",
            PASS,
            evidence=[Evidence("terblokir karena salah PIN tiga kali", x0, x1, "S0", "agent")],
        ),
        item("solution_next_step", PASS),
        item("specific_follow_up", NOT_APPLICABLE, reason="Solved on the call: no follow-up needed."),
        item("satisfaction_check", FAIL),
        item(
            "closing_thanks",
            PASS,
            evidence=[Evidence("Terima kasih telah menghubungi Bank Nusantara", c0, c1, "S0", "agent")],
        ),
        item(
            "no_interruptions",
            FAIL,
            kind="timing",
            value=1.0,
            evidence=[
                Evidence("Sudah bisa Bapak", i0, i0 + 1.2, "S0", "agent", note="talked over the customer")
            ],
        ),
        item(
            "no_dead_air",
            FAIL,
            kind="timing",
            value=dead.duration,
            evidence=[Evidence(f"{dead.duration:.1f} s of silence", dead.start, dead.end)],
        ),
        item("hold_etiquette", PASS, kind="timing"),
        item("talk_ratio", PASS, kind="timing", value=0.58),
        item("calm_voice", NOT_MEASURED, kind="prosody", reason="No audio: prosody was not measured."),
        item("confident_voice", NOT_MEASURED, kind="prosody", reason="No audio: prosody was not measured."),
    ]
    crit = [i for i in items if i.critical and i.status == FAIL]
    ordered = tuple(crit + [i for i in items if i not in crit])
    return Scorecard(
        call_id="bank-call-001",
        source="calls/bank 1.wav",
        audio_sha256="ab" * 32,
        duration=DURATION,
        rubric_id="id-contact-centre",
        rubric_version="1.0",
        rubric_name="Indonesian contact centre",
        total=weighted_total(ordered),
        critical_failed=bool(crit),
        items=ordered,
        metrics=metrics
        if metrics is not None
        else {"talk_ratio": 0.58, "interruptions": 1, "dead_air_s": 8.0},
        settings={"transcription": {"backend": "faster-whisper", "model": "whisper-base"}},
        created="2026-11-23T09:30:00Z",
        callscore_version="0.1.0",
    )


def make_timeline(t: Transcript) -> Timeline:
    return build_timeline(t, sound_spans=[HOLD])


class Collector(HTMLParser):
    """Every start tag with its attributes, and text per enclosing element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.script_text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "input", "link", "path", "rect", "line"):
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        (self.script_text if self._in and self._in[-1] == "script" else self.text).append(data)

    def all_text(self) -> str:
        return "".join(self.text)


def parse(html_text: str) -> Collector:
    c = Collector()
    c.feed(html_text)
    c.close()
    return c


@pytest.fixture(scope="module")
def call():
    t = make_transcript()
    return make_card(t), t, make_timeline(t)


# ---------------------------------------------------------------- registry


def test_get_writer_knows_every_format_and_refuses_others(call):
    card, t, tl = call
    assert FORMATS == ("table", "json", "html", "md")
    exts = {f: get_writer(f).extension for f in FORMATS}
    assert exts == {"table": "txt", "json": "json", "html": "html", "md": "md"}
    assert get_writer("Markdown").fmt == "md"
    with pytest.raises(CallscoreError, match="unknown output format 'pdf'.*table, json, html, md"):
        get_writer("pdf")
    for f in FORMATS:
        text = render_call(f, scorecard=card, transcript=t, timeline=tl)
        assert "bank-call-001" in text, f


def test_write_is_atomic_and_matches_render(tmp_path, call):
    card, t, tl = call
    for f in FORMATS:
        w = get_writer(f)
        out = w.write(
            w.default_path(tmp_path / "sub", card.call_id), scorecard=card, transcript=t, timeline=tl
        )
        assert out == tmp_path / "sub" / f"bank-call-001.{w.extension}"
        assert out.read_text(encoding="utf-8").rstrip("\n") == w.render(
            scorecard=card, transcript=t, timeline=tl
        ).rstrip("\n")
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [
        "bank-call-001.html",
        "bank-call-001.json",
        "bank-call-001.md",
        "bank-call-001.txt",
    ]  # no temp files left behind


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes only")
def test_written_reports_are_private_whatever_the_umask(tmp_path, call):
    """A report quotes what a customer said: personal data, so owner-only (0600), even with umask 000."""
    card, _, _ = call
    old = os.umask(0o000)
    try:
        outs = [get_writer(f).write(tmp_path / f"r.{f}", scorecard=card) for f in ("md", "json", "table")]
    finally:
        os.umask(old)
    assert [stat.S_IMODE(o.stat().st_mode) for o in outs] == [0o600] * 3


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes only")
def test_files_without_personal_data_are_team_readable(tmp_path):
    from callscore.files import write_text_atomic

    out = write_text_atomic(tmp_path / "model.json", "{}", private=False)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644 and out.read_text() == "{}"


# ---------------------------------------------------------------- json


def test_json_is_the_scorecard_json_and_round_trips(call):
    card, _, _ = call
    text = render_call("json", scorecard=card)
    assert text == scorecard_to_json(card)
    data = json.loads(text)
    assert list(data)[:2] == ["schema", "schema_version"]
    assert data["schema"] == "callscore.scorecard" and data["schema_version"] == 1
    assert scorecard_from_dict(data) == card
    assert data["items"][0]["id"] == "no_saya_tidak_tahu" and data["critical_failed"] is True
    assert "\n" not in render_call("json", scorecard=card, indent=None)


def test_json_reader_ignores_unknown_fields_and_refuses_other_versions(call):
    card, _, _ = call
    data = json.loads(render_call("json", scorecard=card))
    data["added_later"] = {"x": 1}
    data["items"][0]["added_later"] = True
    data["items"][0]["evidence"][0]["added_later"] = 0.5
    assert scorecard_from_dict(data) == card  # a compatible addition keeps reading
    data["schema_version"] = 2
    with pytest.raises(
        CallscoreError, match=r"card.json: scorecard schema version 2 not supported .*reads version 1"
    ):
        scorecard_from_dict(data, source="card.json")
    with pytest.raises(CallscoreError, match="malformed scorecard JSON"):
        scorecard_from_dict({**json.loads(render_call("json", scorecard=card)), "items": ["oops"]})


def test_json_is_strict_with_nan_and_numpy_metrics():
    card = make_card(
        metrics={
            "calm": float("nan"),
            "pitch_hz": np.float32(181.5),
            "n": np.int64(3),
            "spans": np.array([[1.0, 2.0]]),
            "bad": float("inf"),
        }
    )
    text = render_call("json", scorecard=card)
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert data["metrics"] == {"calm": None, "pitch_hz": 181.5, "n": 3, "spans": [[1.0, 2.0]], "bad": None}
    with pytest.raises(CallscoreError, match="cannot write a value of type object"):
        render_call("json", scorecard=make_card(metrics={"x": object()}))


# ---------------------------------------------------------------- table


def test_table_lists_critical_failures_first_and_every_item(call):
    card, _, _ = call
    text = render_call("table", scorecard=card, width=120)
    assert "\x1b[" not in text
    score = f"{card.total:.1f}".removesuffix(".0")
    assert f"Score {score} / 100" in text
    assert "Critical: FAIL (1 critical item failed)" in text
    assert text.index("Critical failures") < text.index("no_saya_tidak_tahu") < text.index("greeting")
    for i in card.items:
        assert i.id in text, i.id
    assert "not measured" in text and "n/a" in text and "not applicable" in text
    assert "Solved on the call: no follow-up needed." in text
    s0, _ = _words(make_transcript(), "saya tidak tahu")
    assert f"{int(s0) // 60:02d}:{int(s0) % 60:02d} Agent: “saya tidak tahu”" in text
    assert "00:21" in text and "12.5 s of silence" in text
    # Rich markup in transcript text prints as typed, not as style.
    assert "[bold]red[/bold]" in text
    colored = render_call("table", scorecard=card, color=True)
    assert "\x1b[" in colored


def test_table_for_a_clean_call_says_pass():
    card = make_card()
    good = replace(
        card,
        items=tuple(replace(i, status=PASS) if i.status == FAIL else i for i in card.items),
        critical_failed=False,
    )
    good = replace(good, total=weighted_total(good.items))
    text = render_call("table", scorecard=good)
    assert good.total == 100.0
    assert "Score 100 / 100" in text and "Critical: PASS" in text and "Critical failures" not in text


# ---------------------------------------------------------------- markdown


def test_markdown_report_has_score_items_and_escaped_evidence(call):
    card, _, _ = call
    md = render_call("md", scorecard=card)
    assert md.startswith("# Call scorecard: bank-call-001\n")
    assert card.total == 54.5  # 12 of 22 weight points passed; n/a and not-measured items left out
    assert "**Score: 54.5 / 100**" in md
    assert "**Critical: FAIL** (1 critical item failed)" in md
    assert md.index("## Critical failures") < md.index("## Items") < md.index("## Evidence")
    rows = [ln for ln in md.splitlines() if ln.startswith("| ") and "`" in ln]
    assert len(rows) == len(card.items)
    for ln in rows:  # escaped pipes never add a column
        assert len(re.findall(r"(?<!\\)\|", ln)) == 6, ln
    assert "<script>" not in md and "\\<script\\>alert(1)\\</script\\>" in md
    assert 'kata "onmouseover=alert(1) x=" dia \\| pipe \\[bold\\]red\\[/bold\\]' in md
    assert "> **00:21** “12.5 s of silence”" in md
    assert "not measured" in md and "not applicable" in md
    assert "| talk\\_ratio | 0.58 |" in md


# ---------------------------------------------------------------- html


def test_html_escapes_every_injected_text(call):
    card, t, tl = call
    page = render_call("html", scorecard=card, transcript=t, timeline=tl)
    doc = parse(page)
    scripts = [a for tag, a in doc.tags if tag == "script"]
    assert len(scripts) == 1 and doc.script_text == [SCRIPT]  # only the page's own script
    assert not [tag for tag, _ in doc.tags if tag in ("img", "iframe", "object", "embed", "link")]
    for tag, attrs in doc.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag not in ("svg", "rect", "line", "text", "path", "pattern", "g", "title", "a"):
            assert "x" not in attrs, (tag, attrs)  # the quote's ' x="' did not become an attribute
    text = doc.all_text()
    assert XSS_WORD in text and CANARY_WORD in text  # shown as text
    assert ATTR_QUOTE in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_content_security_policy_allows_only_the_page_script(call):
    card, t, tl = call
    doc = parse(render_call("html", scorecard=card, transcript=t, timeline=tl))
    csp = next(
        a["content"]
        for tag, a in doc.tags
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in csp and script_hash() == f"'sha256-{digest}'"
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp and "http" not in csp


def test_html_report_structure(call):
    card, t, tl = call
    page = render_call("html", scorecard=card, transcript=t, timeline=tl)
    doc = parse(page)
    ids = [a.get("id") for _, a in doc.tags if a.get("id")]
    # Summary, then the critical failure, before every other item.
    assert (
        ids.index("summary")
        < ids.index("item-no_saya_tidak_tahu")
        < ids.index("timeline")
        < ids.index("item-greeting")
    )
    for i in card.items:
        assert f"item-{i.id}" in ids
    assert ids.count("transcript") == 1
    score = next(a for _, a in doc.tags if a.get("id") == "score")
    assert score is not None
    assert f">{card.total:g}<small> / 100</small>" in page
    assert "✗ Critical failure" in doc.all_text()
    # Timeline: agent and customer lanes, the interruption, dead air and the hold, with hover titles.
    svg = [a for tag, a in doc.tags if tag == "svg"]
    assert len(svg) == 1 and svg[0]["class"] == "timeline"
    classes = [a.get("class", "") for tag, a in doc.tags if tag in ("rect", "g", "path")]
    assert "turn agent" in classes and "turn customer" in classes
    assert classes.count("interruption") == len(tl.interruptions(by_role=None)) >= 1
    assert classes.count("deadair") == 1 and classes.count("hold") == 1
    assert "Interruption: Agent talked over customer at 01:04" in page
    assert "Dead air 12.5 s at 00:21–00:34" in page and "Hold 20.4 s at 00:35–00:56" in page
    # Transcript: blocks by speaker, evidence highlighted, timestamps seek.
    blocks = [a for tag, a in doc.tags if tag == "div" and "turn-block" in a.get("class", "")]
    assert {b["class"] for b in blocks} == {"turn-block agent", "turn-block customer"}
    assert re.search(r'<mark class="ev fail" title="Failed: No saya tidak tahu">saya tidak tahu</mark>', page)
    assert re.search(r'<mark class="ev pass" title="Passed: Greeting">Selamat pagi,', page)
    assert 'class="tag int"' in page  # the agent's interrupting turn is tagged
    stamps = [a for tag, a in doc.tags if tag == "a" and a.get("class") == "ts"]
    assert len(stamps) >= len(blocks) and all(float(a["data-t"]) >= 0 for a in stamps)
    assert all(a["href"].startswith("#b") for a in stamps)
    assert "Dead air 12.5 s (00:21–00:34)" in doc.all_text()
    assert not [a for tag, a in doc.tags if tag == "audio"]  # no audio given


def test_html_without_speakers_uses_channel_roles_and_draws_the_recorded_timeline():
    t = make_transcript(with_speakers=False)
    recorded = build_timeline(t, options=SCORING_TIMELINE)
    card = replace(make_card(t), timeline=recorded)
    page = render_call("html", scorecard=card, transcript=t)
    doc = parse(page)
    who = [a["class"] for tag, a in doc.tags if tag == "div" and "turn-block" in a.get("class", "")]
    assert who[0] == "turn-block agent" and "turn-block customer" in who
    assert "Agent talk share" in page and "turn agent" in page
    # The same page from the scorecard's JSON: the timeline comes back from the file, not recomputed.
    again = render_call("html", scorecard=scorecard_from_dict(scorecard_to_dict(card)), transcript=t)
    assert again == page


def test_html_never_recomputes_a_timeline_the_scorecard_did_not_record():
    t = make_transcript(with_speakers=False)
    page = render_call("html", scorecard=make_card(t), transcript=t)
    assert "Agent talk share" not in page and 'id="timeline"' not in page


def test_html_without_transcript_or_timeline_still_renders_items():
    card = make_card()
    page = render_call("html", scorecard=card)
    doc = parse(page)
    ids = {a.get("id") for _, a in doc.tags}
    assert "transcript" not in ids and "timeline" not in ids
    assert {f"item-{i.id}" for i in card.items} <= ids
    # Evidence timestamps still point somewhere valid.
    assert all(a["href"] == "#transcript" for tag, a in doc.tags if tag == "a" and a.get("class") == "ts")


def test_html_interface_text_in_indonesian(call):
    from callscore.render.html.labels import EN, ID

    assert set(ID) == set(EN)  # every English string has its Indonesian counterpart
    card, t, tl = call
    page = render_call("html", scorecard=card, transcript=t, timeline=tl, lang="id")
    doc = parse(page)
    assert next(a for tag, a in doc.tags if tag == "html")["lang"] == "id"
    text = doc.all_text()
    assert "Panggilan bank-call-001 · skor 54.5 · gagal item kritis" in text  # <title>
    for heading in ("Kegagalan kritis", "Siapa bicara kapan", "Perlu diperbaiki", "Sudah baik", "Transkrip"):
        assert f"<h2>{heading} " in page or f"<h2>{heading}<" in page, heading
    assert "✗ Gagal item kritis" in text and "Porsi bicara agen" in text and "Agen" in text
    assert "Pelanggan" in text and "Hening 12.5 s (00:21–00:34)" in text
    assert "Critical failure" not in text and "Needs attention" not in text
    assert "Agent said" in text  # rubric text is not translated
    with pytest.raises(CallscoreError, match="no interface text for language 'fr'"):
        render_call("html", scorecard=card, lang="fr")


def _wav(path: Path, seconds: float = 0.5) -> Path:
    import soundfile as sf

    sr = 8000
    x = 0.2 * np.sin(2 * math.pi * 440 * np.arange(int(sr * seconds)) / sr)
    sf.write(path, x.astype(np.float32), sr, subtype="PCM_16")
    return path


def test_html_audio_embedded_when_small_linked_when_large(tmp_path, call):
    card, t, tl = call
    wav = _wav(tmp_path / "audio" / "bank 1.wav") if (tmp_path / "audio").mkdir() is None else None
    card = replace(card, audio_sha256=_sha(wav))  # only the verified recording gets a player
    page = render_call("html", scorecard=card, transcript=t, timeline=tl, audio_path=wav)
    audio = [a for tag, a in parse(page).tags if tag == "audio"]
    assert len(audio) == 1 and audio[0]["id"] == "player"
    prefix = "data:audio/wav;base64,"
    assert audio[0]["src"].startswith(prefix)
    assert base64.b64decode(audio[0]["src"][len(prefix) :]) == wav.read_bytes()

    out = get_writer("html").write(
        tmp_path / "reports" / "call.html",
        scorecard=card,
        transcript=t,
        timeline=tl,
        audio_path=wav,
        embed_max_bytes=100,
    )
    audio = [a for tag, a in parse(out.read_text(encoding="utf-8")).tags if tag == "audio"]
    assert audio[0]["src"] == "../audio/bank%201.wav"
    assert (out.parent / "../audio/bank 1.wav").resolve() == wav.resolve()
    never = render_call("html", scorecard=card, audio_path=wav, embed_audio="never", base_dir=tmp_path)
    assert 'src="audio/bank%201.wav"' in never

    missing = render_call("html", scorecard=card, audio_path=tmp_path / "gone.wav")
    assert "Audio not found: gone.wav" in missing and "<audio" not in missing
    with pytest.raises(CallscoreError, match="embed_audio must be one of auto, always, never"):
        render_call("html", scorecard=card, audio_path=wav, embed_audio="sometimes")


# ---------------------------------------------------------------- real browser


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _chromium_args(tmp_path: Path) -> list[str]:
    return [
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--mute-audio",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
    ]


@pytest.mark.skipif(
    _chromium() is None, reason="chromium is not installed (CI installs it: apt-get install chromium)"
)
def test_html_in_headless_chromium(tmp_path, call):
    card, t, tl = call
    wav = _wav(tmp_path / "call.wav")
    card = replace(card, audio_sha256=_sha(wav))
    page = get_writer("html").write(
        tmp_path / "call.html", scorecard=card, transcript=t, timeline=tl, audio_path=wav
    )
    base = _chromium_args(tmp_path)
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    doc = parse(dom)
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and title.group(1) == f"Call bank-call-001 · score {card.total:g} · critical failure"
    assert "PWNED" not in title.group(1)
    root = next(a for tag, a in doc.tags if tag == "html")
    assert root.get("data-js") == "on"  # the page's own script ran; the injected ones did not
    assert len([1 for tag, _ in doc.tags if tag == "script"]) == 1
    assert not [1 for tag, _ in doc.tags if tag == "img"]
    text = doc.all_text()
    assert f"{card.total:g} / 100" in text
    assert "Selamat pagi, terima kasih telah menghubungi Bank Nusantara" in text
    assert XSS_WORD in text and CANARY_WORD in text
    assert [a for tag, a in doc.tags if tag == "svg" and a.get("class") == "timeline"]
    assert [a for tag, a in doc.tags if tag == "audio" and a.get("src", "").startswith("data:audio/wav")]

    shot = tmp_path / "report.png"
    subprocess.run(
        [*base, "--hide-scrollbars", "--window-size=1200,2400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a rendered page, not a blank one


@pytest.mark.skipif(
    _chromium() is None, reason="chromium is not installed (CI installs it: apt-get install chromium)"
)
def test_page_policy_lets_the_player_load_embedded_and_linked_audio(tmp_path):
    """The report's Content-Security-Policy must not block its own audio, embedded or linked from file://."""
    wav = _wav(tmp_path / "audio" / "call 1.wav", 1.0) if (tmp_path / "audio").mkdir() is None else None
    probe = (
        "var a=document.getElementById('p');"
        "a.addEventListener('loadedmetadata',function(){document.title='LOADED '+a.duration.toFixed(1)});"
        "a.addEventListener('error',function(){document.title='BLOCKED'});a.load();"
    )
    embedded = "data:audio/wav;base64," + base64.b64encode(wav.read_bytes()).decode()
    (tmp_path / "reports").mkdir()
    for name, src in (("embedded", embedded), ("linked", "../audio/call%201.wav")):
        page = tmp_path / "reports" / f"{name}.html"
        page.write_text(
            f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
            f'content="{html.escape(content_security_policy(probe))}"><title>start</title></head>'
            f'<body><audio id="p" preload="metadata" src="{src}"></audio>'
            f"<script>{probe}</script></body></html>",
            encoding="utf-8",
        )
        dom = subprocess.run(
            [*_chromium_args(tmp_path), "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        assert "<title>LOADED 1.0</title>" in dom, (name, re.search(r"<title>.*?</title>", dom))


# ---------------------------------------------------------------- callscore render


def test_report_command_renders_saved_scorecards(tmp_path, call):
    from typer.testing import CliRunner

    from callscore.cli import app
    from callscore.transcript.model import save_transcript

    card, t, _ = call
    (tmp_path / "cards").mkdir()
    wav = _wav(tmp_path / "cards" / "bank 1.wav")  # the scorecard's source, found next to the JSON
    card = replace(card, audio_sha256=_sha(wav))
    get_writer("json").write(tmp_path / "cards" / "bank-call-001.json", scorecard=card)
    save_transcript(t, tmp_path / "transcripts" / "bank-call-001.json")
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "render",
            str(tmp_path / "cards" / "bank-call-001.json"),
            "-f",
            "html",
            "-f",
            "md",
            "-f",
            "json",
            "-o",
            str(tmp_path / "out"),
            "--transcripts",
            str(tmp_path / "transcripts"),
            "--embed-audio",
            "never",
            "--lang",
            "id",
            "--redact",
            "none",  # the original recording is played only without redaction
        ],
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "bank-call-001.html",
        "bank-call-001.json",
        "bank-call-001.md",
    ]
    page = (tmp_path / "out" / "bank-call-001.html").read_text(encoding="utf-8")
    assert 'id="transcript"' in page and 'src="../cards/bank%201.wav"' in page and wav.is_file()
    assert '<html lang="id">' in page and "Kegagalan kritis" in page
    assert scorecard_from_dict(json.loads((tmp_path / "out" / "bank-call-001.json").read_text())) == card

    res = runner.invoke(app, ["render", str(tmp_path / "cards" / "bank-call-001.json")])
    assert res.exit_code == 0 and "Critical: FAIL" in res.output and "no_saya_tidak_tahu" in res.output

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    res = runner.invoke(app, ["render", str(bad), str(tmp_path / "missing.json")])
    assert res.exit_code == 1
    assert "bad.json: not valid JSON" in res.output and "missing.json: file not found" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["render", str(tmp_path / "cards" / "bank-call-001.json"), "-f", "html"])
    assert res.exit_code == 1 and "--format html writes a file: give --out FOLDER" in res.output


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
