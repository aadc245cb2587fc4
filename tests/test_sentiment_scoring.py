"""Scorecards carry per-turn sentiment and the call-level figures; the sentiment rubric items judge them."""

from __future__ import annotations

from dataclasses import replace

from scripted import ScriptedTurn, transcript_from_turns
from test_store import store_url  # noqa: F401  (the SQLite + PostgreSQL fixture; pg_server is in conftest)

from callscore.rubric.schema import load_rubric
from callscore.scorecard import (
    FAIL,
    NOT_MEASURED,
    PASS,
    score_transcript,
    scorecard_from_dict,
    scorecard_to_dict,
)

A, C = "agent", "customer"
RESOLVED = [
    ScriptedTurn(A, 0.0, 4.0, "Selamat pagi, dengan Rina, ada yang bisa saya bantu?"),
    ScriptedTurn(C, 5.0, 12.0, "Saya kecewa sekali, paket saya rusak dan pelayanannya buruk sekali"),
    ScriptedTurn(A, 13.0, 20.0, "Mohon maaf atas ketidaknyamanannya Bu, dengan senang hati saya bantu"),
    ScriptedTurn(C, 21.0, 26.0, "Iya, tolong segera ya"),
    ScriptedTurn(A, 27.0, 34.0, "Kabar baiknya, penggantian sudah kami proses hari ini juga Bu"),
    ScriptedTurn(C, 35.0, 42.0, "Wah terima kasih banyak, bagus sekali, saya senang dan puas"),
    ScriptedTurn(A, 43.0, 48.0, "Sama-sama Bu, terima kasih sudah menghubungi kami, selamat pagi"),
]
SOURED = [
    ScriptedTurn(A, 0.0, 4.0, "Selamat pagi, ada yang bisa saya bantu?"),
    ScriptedTurn(C, 5.0, 10.0, "Pagi, saya mau tanya tagihan bulan ini, terima kasih"),
    ScriptedTurn(A, 11.0, 18.0, "Itu salah ibu sendiri, bodoh sekali, menyebalkan, saya malas melayani"),
    ScriptedTurn(C, 19.0, 26.0, "Kok begitu, saya kecewa sekali, pelayanan buruk dan jelek sekali"),
    ScriptedTurn(A, 27.0, 34.0, "Ya sudah begitu, terserah, saya tidak peduli, bukan urusan saya"),
    ScriptedTurn(C, 35.0, 44.0, "Parah, saya sangat marah dan kecewa, pelayanan paling buruk"),
]


def _card(turns, **kw):
    t = transcript_from_turns(turns, duration=50.0)
    return score_transcript(t, rubric="id-contact-centre", **kw)


def test_scorecard_records_sentiment_of_every_recorded_turn_and_round_trips():
    card = _card(RESOLVED)
    assert card.sentiment is not None and card.timeline is not None
    assert len(card.sentiment.turns) == len(card.timeline.turns)
    c = card.sentiment.customer
    assert c.start is not None and c.end is not None and c.shift is not None
    assert c.start < -1.0 < 1.0 < c.end, (c.start, c.end)
    assert card.metrics["customer_sentiment_shift"] > 2.0
    back = scorecard_from_dict(scorecard_to_dict(card))
    assert back.sentiment is not None
    assert [t.sentiment.label for t in back.sentiment.turns] == [
        t.sentiment.label for t in card.sentiment.turns
    ]
    assert back.sentiment.turns[1].text == card.timeline.turns[1].text
    assert back.sentiment == card.sentiment


def test_items_pass_on_a_resolved_complaint():
    card = _card(RESOLVED)
    for item in ("customer_left_no_worse", "agent_tone_non_negative", "positive_language"):
        r = card.item(item)
        assert r is not None and r.status == PASS, (item, r)
    left = card.item("customer_left_no_worse")
    assert left is not None and any(e.role == C and "kecewa" in e.quote for e in left.evidence)


def test_items_fail_when_the_agent_turns_the_call_sour():
    card = _card(SOURED)
    left, tone = card.item("customer_left_no_worse"), card.item("agent_tone_non_negative")
    assert left is not None and left.status == FAIL and (left.value or 0) < -0.5
    assert tone is not None and tone.status == FAIL
    assert any("bodoh" in e.quote for e in tone.evidence)
    assert all(e.role == A for e in tone.evidence)
    pos = card.item("positive_language")
    assert pos is not None and pos.status == FAIL


def test_sentiment_off_leaves_its_items_not_measured_and_the_rest_alone():
    on, off = _card(RESOLVED), _card(RESOLVED, sentiment=False)
    assert off.sentiment is None
    assert off.item("customer_left_no_worse").status == NOT_MEASURED  # type: ignore[union-attr]
    rest = {i.id: i.status for i in on.items if i.kind != "sentiment"}
    assert rest == {i.id: i.status for i in off.items if i.kind != "sentiment"}


def test_rubric_schema_accepts_the_sentiment_kind_and_rejects_unknown_measures(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text(
        "id: r\nname: r\nversion: '1'\nlanguage: id\nitems:\n"
        "  - {id: x, title: x, description: x, kind: sentiment, weight: 1, measure: happiness}\n",
        encoding="utf-8",
    )
    import pytest

    from callscore.errors import RubricError

    with pytest.raises(RubricError, match="happiness"):
        load_rubric(bad)
    ok = tmp_path / "ok.yaml"
    ok.write_text(
        bad.read_text(encoding="utf-8").replace(
            "measure: happiness", "measure: customer_left_no_worse, tolerance: 1"
        ),
        encoding="utf-8",
    )
    assert load_rubric(ok).items[0].params == {"measure": "customer_left_no_worse", "tolerance": 1}


def test_html_report_colours_turns_and_draws_the_customer_curve():
    from callscore.render.html.report import render

    card = _card(SOURED)
    t = transcript_from_turns(SOURED, duration=50.0)
    page = render(scorecard=card, transcript=t, lang="id")
    assert page.count("sent-negative") >= 3  # two agent insults and the customer's complaints
    assert 'class="sentiment-curve"' in page
    assert page.count("<circle") >= 3  # one dot per customer turn (3) on the curve, at least
    assert "Perasaan pelanggan" in page
    plain = render(scorecard=_card(SOURED, sentiment=False), transcript=t)
    assert 'class="sentiment-curve"' not in plain and 'sent-negative" id=' not in plain


def test_store_keeps_sentiment_and_the_dashboard_shows_who_left_worse_off(store_url, tmp_path):  # noqa: F811
    from callscore.results.aggregates import build_report, report_csv
    from callscore.results.dashboard import render_dashboard
    from callscore.results.store import open_store

    good = replace(_card(RESOLVED), call_id="good")
    bad = replace(_card(SOURED), call_id="bad")
    with open_store(store_url) as st:
        st.save_call(good, model="m", agent="rina", team="a")
        st.save_call(bad, model="m", agent="budi", team="a")
        rows = {c.call_id: c for c in st.calls()}
        report = build_report(st, by="team")
    assert rows["bad"].customer_sentiment_shift == bad.metrics["customer_sentiment_shift"] < -0.5
    assert rows["good"].customer_sentiment_shift == good.metrics["customer_sentiment_shift"] > 0.5
    assert [c.call_id for c in report.worse_off] == ["bad"]
    (team,) = report.groups
    want = (good.metrics["customer_sentiment_shift"] + bad.metrics["customer_sentiment_shift"]) / 2
    assert team.worse_off == 1 and abs((team.customer_shift or 0) - want) < 0.01
    assert "customer_shift,worse_off" in report_csv(report).splitlines()[0]
    page = render_dashboard(report)
    assert 'id="worse-off"' in page and ">bad<" in page and ">good<" not in page.split('id="worse-off"')[1]


def test_a_store_made_before_the_sentiment_columns_gains_them(tmp_path):
    import sqlite3

    from callscore.results.store import open_store

    db = tmp_path / "old.sqlite"
    with open_store(db):
        pass
    con = sqlite3.connect(db)
    for c in (
        "customer_sentiment_start",
        "customer_sentiment_end",
        "customer_sentiment_shift",
        "agent_sentiment",
    ):
        con.execute(f"ALTER TABLE calls DROP COLUMN {c}")
    con.commit()
    con.close()
    with open_store(db) as st:
        st.save_call(replace(_card(SOURED), call_id="x"), model="m")
        (row,) = st.calls()
    assert row.customer_sentiment_shift is not None and row.customer_sentiment_shift < 0


def test_a_refusal_after_a_bare_sorry_counts_but_an_empathy_line_does_not():
    """positive_language: "mohon maaf Bu, tidak bisa ..." refuses (the apology does not exempt it) while an
    apology for the trouble that names what the customer cannot do refuses nothing."""
    refused = [
        ScriptedTurn(A, 0.0, 4.0, "Selamat siang, ada yang bisa saya bantu?"),
        ScriptedTurn(C, 5.0, 9.0, "Saya mau upgrade internet ke tiga ratus mega"),
        ScriptedTurn(
            A, 10.0, 17.0, "Mohon maaf Bu, di area Ibu tidak bisa upgrade dan tidak mungkin tahun ini"
        ),
        ScriptedTurn(A, 18.0, 21.0, "Ada lagi yang bisa saya bantu Bu?"),
    ]
    assert _card(refused).item("positive_language").status == FAIL
    empathy = [
        ScriptedTurn(A, 0.0, 4.0, "Selamat siang, ada yang bisa saya bantu?"),
        ScriptedTurn(C, 5.0, 9.0, "Sinyal saya hilang dua hari"),
        ScriptedTurn(
            A, 10.0, 17.0, "Mohon maaf atas ketidaknyamanannya Pak, tentu merepotkan tidak bisa menelpon"
        ),
        ScriptedTurn(A, 18.0, 24.0, "Perbaikannya dijadwalkan selesai besok jam dua belas siang Pak"),
    ]
    assert _card(empathy).item("positive_language").status == PASS
