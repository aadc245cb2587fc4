"""score_transcript totals and ordering, channel-role fallback, and the rubric / eval commands."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from scripted import ScriptedTurn, transcript_from_turns
from typer.testing import CliRunner

from callscore.cli import app
from callscore.rubric.schema import parse_rubric
from callscore.scorecard import (
    FAIL,
    NOT_APPLICABLE,
    NOT_MEASURED,
    PASS,
    score_transcript,
    scorecard_from_dict,
    scorecard_to_dict,
)
from callscore.transcript.model import save_transcript

RUBRIC = """\
id: mini
name: Mini
version: "2"
language: id
triggers:
  complaint: {role: customer, phrases: [saya kecewa]}
items:
  - id: greeting
    title: Greeting
    description: d
    kind: phrase_present
    weight: 1
    role: agent
    phrases: [selamat pagi]
  - id: apology
    title: Apology
    description: d
    kind: conditional
    weight: 3
    when: complaint
    role: agent
    phrases: [mohon maaf]
  - id: thanks
    title: Thanks
    description: d
    kind: phrase_present
    weight: 2
    role: agent
    phrases: [terima kasih]
  - id: no_blame
    title: No blame
    description: d
    kind: tone
    weight: 5
    critical: true
    role: agent
    polarity: negative
    phrases: [salah bapak sendiri]
  - id: calm
    title: Calm
    description: d
    kind: prosody
    weight: 4
    feature: calm
    min_score: 50
"""


def call(*turns: tuple[str, float, float, str], call_id: str = "c1"):
    return transcript_from_turns([ScriptedTurn(*t) for t in turns], call_id=call_id)


def test_total_excludes_not_applicable_and_not_measured() -> None:
    t = call(
        ("agent", 0, 3, "selamat pagi pak"), ("customer", 4, 6, "mau tanya"), ("agent", 7, 9, "baik pak")
    )
    card = score_transcript(t, rubric=parse_rubric(RUBRIC))
    st = {i.id: i.status for i in card.items}
    assert st == {
        "greeting": PASS,
        "apology": NOT_APPLICABLE,
        "thanks": FAIL,
        "no_blame": PASS,
        "calm": NOT_MEASURED,
    }
    # pass weight 1 + 5 of scored weight 1 + 2 + 5
    assert card.total == pytest.approx(100 * 6 / 8, abs=0.05)
    assert not card.critical_failed
    assert card.rubric_id == "mini" and card.rubric_version == "2" and card.call_id == "c1"
    assert card.settings["rubric"]["id"] == "mini" and card.settings["prosody"] is False
    assert card.metrics["calm"] is None and card.metrics["talk_ratio"] is not None


def test_critical_failure_is_listed_first_and_flags_the_call() -> None:
    t = call(
        ("agent", 0, 3, "selamat pagi pak"),
        ("customer", 4, 6, "saya kecewa"),
        ("agent", 7, 10, "itu salah bapak sendiri"),
        ("agent", 11, 13, "terima kasih"),
    )
    card = score_transcript(t, rubric=parse_rubric(RUBRIC))
    assert [i.id for i in card.items] == ["no_blame", "greeting", "apology", "thanks", "calm"]
    assert card.critical_failed and [i.id for i in card.critical_failures] == ["no_blame"]
    # the critical failure does not change the weighted total: pass 1 + 2 of 1 + 3 + 2 + 5
    assert card.total == pytest.approx(100 * 3 / 11, abs=0.05)
    assert scorecard_from_dict(json.loads(json.dumps(scorecard_to_dict(card)))) == card


def test_transcript_without_speakers_uses_channel_roles() -> None:
    t = call(
        ("agent", 0, 3, "selamat pagi pak"), ("customer", 4, 6, "saya kecewa"), ("agent", 7, 9, "mohon maaf")
    )
    bare = replace(
        t,
        speakers=(),
        segments=tuple(
            replace(s, speaker=None, words=tuple(replace(w, speaker=None) for w in s.words))
            for s in t.segments
        ),
    )
    card = score_transcript(bare, rubric=parse_rubric(RUBRIC), settings={"note": "x"})
    assert card.item("greeting").status == PASS and card.item("apology").status == PASS
    assert (
        card.settings["roles"]["S0"]["role"] == "agent"
        and "assumed" in card.settings["roles"]["S0"]["reason"]
    )
    assert card.settings["note"] == "x"
    assert card.item("apology").evidence[0].speaker == "S1"


def test_builtin_rubric_by_name_on_a_good_call() -> None:
    t = call(
        ("agent", 0, 5, "Selamat pagi, dengan Rina, ada yang bisa saya bantu Pak?"),
        ("customer", 5.5, 9, "mbak internet saya gak bisa dari kemarin, saya kecewa"),
        ("agent", 9.5, 16, "Mohon maaf Pak, saya mengerti. Jadi internetnya mati sejak kemarin ya Pak?"),
        ("customer", 16.5, 17.5, "iya betul"),
        (
            "agent",
            18,
            26,
            "Penyebabnya gangguan kabel. Saya bantu buatkan laporan, nomor tiket 4471, akan kami"
            " proses dalam 2x24 jam ya Pak",
        ),
        ("customer", 26.5, 28, "oke makasih mbak"),
        ("agent", 28.5, 33, "Ada lagi yang bisa saya bantu Pak? Terima kasih, selamat pagi"),
    )
    card = score_transcript(t, rubric="id-contact-centre")
    failed = {i.id for i in card.items if i.status == FAIL}
    assert failed == set(), [(i.id, i.reason) for i in card.items if i.status == FAIL]
    assert card.item("hold_etiquette").status == NOT_APPLICABLE
    assert card.item("calm_voice").status == NOT_MEASURED
    assert card.total == 100.0


runner = CliRunner()


def test_rubric_check_ok_and_error(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(RUBRIC, encoding="utf-8")
    res = runner.invoke(app, ["rubric", "check", str(good)])
    assert res.exit_code == 0 and "ok: mini 2" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUBRIC.replace("kind: tone", "kind: mood"), encoding="utf-8")
    res = runner.invoke(app, ["rubric", "check", str(bad)])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.yaml:33:" in lines[0] and "'mood'" in lines[0]


def test_rubric_show_builtin() -> None:
    res = runner.invoke(app, ["rubric", "show", "id-contact-centre"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "no_saya_tidak_tahu" in res.output and "hold_etiquette" in res.output


def test_eval_rubric_on_tiny_label_file(tmp_path: Path) -> None:
    rub = tmp_path / "mini.yaml"
    rub.write_text(RUBRIC, encoding="utf-8")
    good = call(("agent", 0, 3, "selamat pagi"), ("agent", 4, 6, "terima kasih"), call_id="good")
    rude = call(
        ("agent", 0, 3, "halo"),
        ("customer", 4, 6, "saya kecewa"),
        ("agent", 7, 9, "ya sudah"),
        call_id="rude",
    )
    save_transcript(good, tmp_path / "calls" / "good.json")
    save_transcript(rude, tmp_path / "calls" / "rude.json")
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "transcript\titem\texpected\tsplit\n"
        "calls/good.json\tgreeting\tpass\tdev\n"
        "calls/good.json\tapology\tna\tdev\n"
        "calls/rude.json\tgreeting\tfail\tdev\n"
        "calls/rude.json\tapology\tfail\tdev\n"
        "calls/rude.json\tthanks\tpass\ttest\n",  # wrong on purpose: the call has no thanks
        encoding="utf-8",
    )
    res = runner.invoke(app, ["eval", "rubric", "--labels", str(labels), "--rubric", str(rub), "--errors"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "2 calls, 5 labels" in out
    assert "macro-F1 (FAIL detection): 0.67" in out  # greeting 1.0, apology 1.0, thanks 0.0
    assert "FAIL is the positive class" in out
    assert "rude  thanks: expected pass, got fail" in out
    res = runner.invoke(
        app, ["eval", "rubric", "--labels", str(labels), "--rubric", str(rub), "--split", "dev"]
    )
    assert "macro-F1 (FAIL detection): 1.00" in res.output and "status agreement: 1.000" in res.output
    js = tmp_path / "labels.json"
    js.write_text(json.dumps([{"transcript": "calls/rude.json", "item": "greeting", "expected": "fail"}]))
    out_json = tmp_path / "report.json"
    res = runner.invoke(
        app, ["eval", "rubric", "--labels", str(js), "--rubric", str(rub), "--json", str(out_json)]
    )
    assert res.exit_code == 0 and json.loads(out_json.read_text())["macro_f1"] == 1.0


def test_eval_rubric_bad_labels_one_line_error(tmp_path: Path) -> None:
    labels = tmp_path / "l.tsv"
    labels.write_text("calls/x.json\tgreeting\tmaybe\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", "rubric", "--labels", str(labels)])
    assert res.exit_code == 1 and "l.tsv:1: expected status 'maybe'" in res.output
    labels.write_text("calls/x.json\tno_such_item\tpass\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", "rubric", "--labels", str(labels)])
    assert res.exit_code == 1 and "unknown item 'no_such_item'" in res.output
