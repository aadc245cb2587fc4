"""Meaning matching (issue 12): examples, near misses, stems, negation, evidence naming the example."""

from __future__ import annotations

import sys
from pathlib import Path

from scripted import ScriptedTurn, transcript_from_turns

from callscore.rubric.apply import apply_rubric
from callscore.rubric.meaning import build_model, stem, stem_weights, utterances
from callscore.rubric.schema import load_rubric, parse_rubric

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import rubric_speed  # noqa: E402

RUBRIC = """
id: t
name: t
version: "1"
language: id
triggers:
  failure:
    role: customer
    examples: [internet saya mati, tidak bisa *, barangnya retak]
    near_misses: [habis ini, tidak bisa datang, mati lampu di tempat tetangga]
items:
  - id: solution
    title: s
    description: d
    kind: phrase_present
    weight: 1
    role: agent
    examples: [sudah saya *, bapak bisa * di *]
    near_misses: [sudah saya cek datanya, tidak ada solusinya]
  - id: apology
    title: a
    description: d
    kind: conditional
    weight: 1
    when: [failure]
    role: agent
    phrases: [mohon maaf]
    examples: [maaf banget ya pak]
    near_misses: [mohon maaf boleh disebutkan]
"""


def _call(*turns: tuple[str, str]):
    t, out = 0.3, []
    for role, text in turns:
        dur = 0.38 * len(text.split())
        out.append(ScriptedTurn(role, t, t + dur, text))
        t += dur + 0.6
    return transcript_from_turns(out, call_id="m", language="id")


def _status(transcript, item):
    outcome = apply_rubric(transcript, rubric=parse_rubric(RUBRIC))
    return next(i for i in outcome.items if i.id == item)


def test_stemmer_strips_indonesian_affixes_and_jakarta_in():
    got = {
        w: stem(w, language="id") for w in ("dijadwalkan", "menjadwalkan", "tiketnya", "daftarin", "menulis")
    }
    assert got == {
        "dijadwalkan": "jadwal",
        "menjadwalkan": "jadwal",
        "tiketnya": "tiket",
        "daftarin": "daftar",
        "menulis": "tulis",
    }
    assert (
        stem("bapak", language="id") == stem("kakak", language="id") == stem("teh", language="id")
    )  # one form of address


def test_action_said_in_other_words_passes_and_negated_one_fails():
    ok = _status(_call(("agent", "baik pak kartunya sudah saya blokir ya")), "solution")
    assert ok.status == "pass"
    ev = [e for e in ok.evidence if e.matched.startswith("example:")]
    assert ev and ev[0].matched == "example: sudah saya *" and ev[0].similarity >= 0.8
    assert "blokir" in ev[0].quote
    bad = _status(_call(("agent", "tidak ada solusinya jadi belum bisa kami bantu")), "solution")
    assert bad.status == "fail"


def test_near_miss_vetoes_a_lookalike():
    assert _status(_call(("agent", "sudah saya cek datanya pak")), "solution").status == "fail"


def test_problem_report_opens_complaint_items_neutral_words_do_not():
    neutral = _call(("customer", "habis ini saya mau ke kantor"), ("agent", "baik pak"))
    assert _status(neutral, "apology").status == "not_applicable"
    cant_come = _call(("customer", "saya tidak bisa datang ke cabang besok"), ("agent", "baik"))
    assert _status(cant_come, "apology").status == "not_applicable"
    report = _call(("customer", "barang saya datang retak"), ("agent", "maaf banget ya kak"))
    assert _status(report, "apology").status == "pass"
    data_only = _call(
        ("customer", "barang saya datang retak"), ("agent", "mohon maaf boleh disebutkan nomornya")
    )
    assert _status(data_only, "apology").status == "fail"


def test_model_scores_and_negation_in_scope():
    ex = utterances(["bisa kami bantu"], language="id")
    model = build_model(["bisa kami bantu"], [], language="id", weights=stem_weights([ex]))
    said = [stem(t, language="id") for t in ["iya", "bisa", "kami", "bantu", "pak"]]
    assert model.best(said) is not None
    negated = [stem(t, language="id") for t in ["belum", "bisa", "kami", "bantu", "pak"]]
    assert model.best(negated) is None


def test_default_rubrics_carry_examples_and_score_ten_minutes_fast():
    rubric = load_rubric("id-contact-centre")
    assert sum(1 for i in rubric.items if i.params.get("examples")) >= 10
    assert rubric.triggers["failure"].examples and rubric.triggers["failure"].near_misses
    call = rubric_speed.ten_minute_call()
    assert call.segments[-1].end >= 600
    with_meaning = rubric_speed.best_time(call, rubric=rubric, repeats=5)
    phrases_only = rubric_speed.best_time(call, rubric=rubric_speed.without_meaning(rubric), repeats=5)
    # same-run ratio (the machine may be loaded); benchmarks/rubric_speed.py prints the absolute figure
    assert with_meaning < 4.0 * phrases_only + 0.3
    assert with_meaning < 3.0
