"""A trigger's ``sentiment`` gate: a customer sentence the bundled sentiment model rates negative opens it."""

from __future__ import annotations

import pytest
from scripted import ScriptedTurn, transcript_from_turns

from callscore.errors import RubricError
from callscore.rubric.checks import negative_probability
from callscore.rubric.schema import SentimentGate, parse_rubric
from callscore.scorecard import FAIL, NOT_APPLICABLE, PASS, score_transcript

GATE = 0.85
RUBRIC = f"""\
id: t
name: T
version: "1"
language: id
triggers:
  complaint:
    role: customer
    phrases: [saya kecewa]
    near_misses: [saya mau tanya *]
    sentiment: {{negative: {GATE}, min_words: 3, negated: true}}
items:
  - id: apology_on_complaint
    title: Apology
    description: d
    kind: conditional
    weight: 1
    role: agent
    when: [complaint]
    phrases: [mohon maaf]
"""
# a problem report none of the trigger's words know: the model rates it ~0.98 negative
UNLISTED = "pesanan saya belum datang juga padahal sudah dua minggu"
QUESTION = "saya mau tanya jam buka kantor cabang yang di pusat kota"


def apology(customer: str, agent: str = "baik Pak saya cek dulu ya"):
    t = transcript_from_turns(
        [ScriptedTurn("customer", 0.0, 4.0, customer), ScriptedTurn("agent", 4.6, 8.0, agent)],
        call_id="c",
    )
    return score_transcript(t, rubric=parse_rubric(RUBRIC, source="t.yaml")).items[0]


def test_the_sentences_sit_well_clear_of_the_gate() -> None:
    assert negative_probability(UNLISTED, language="id") >= GATE + 0.08
    assert negative_probability(QUESTION, language="id") <= GATE - 0.5


def test_an_unlisted_problem_report_opens_the_complaint_items() -> None:
    assert apology(UNLISTED).status == FAIL
    assert apology(UNLISTED, agent="mohon maaf Pak atas keterlambatannya").status == PASS


def test_evidence_names_the_sentiment_and_its_probability() -> None:
    ev = apology(UNLISTED).evidence[0]
    assert ev.matched.startswith("sentiment: negative 0.9")
    assert f">= {GATE:g}" in ev.matched
    assert ev.quote == UNLISTED
    assert ev.role == "customer"


def test_a_neutral_question_does_not_open_it() -> None:
    assert apology(QUESTION).status == NOT_APPLICABLE


def test_a_near_miss_vetoes_a_negative_sentence() -> None:
    vetoed = "saya mau tanya kenapa pesanan saya belum datang juga padahal sudah dua minggu"
    assert negative_probability(vetoed, language="id") >= GATE
    assert apology(vetoed).status == NOT_APPLICABLE


def test_short_answers_and_sentences_without_a_negator_do_not_open_it() -> None:
    assert apology("nggak").status == NOT_APPLICABLE
    # rated negative (the model reads "saja" as negative) but says nothing fails
    command = "matikan lampu satu setengah jam saja"
    assert negative_probability(command, language="id") >= GATE
    assert apology(command).status == NOT_APPLICABLE


def test_the_gate_is_parsed_with_its_defaults() -> None:
    r = parse_rubric(RUBRIC.replace(", min_words: 3, negated: true", ""), source="t.yaml")
    assert r.triggers["complaint"].sentiment == SentimentGate(GATE)


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("{negative: 85}", "write 0.85, not 85"),
        ("{negative: 0}", "must be a probability in (0, 1]"),
        ("{negative: high}", "must be a number"),
        ("{min_words: 3}", "missing required field 'negative'"),
        ("{negative: 0.9, min_words: 0}", "min_words: must be at least 1"),
        ("{negative: 0.9, positive: 0.2}", "unknown field 'positive'"),
        ("{negative: 0.9, negated: maybe}", "must be true or false"),
    ],
)
def test_a_bad_gate_is_refused_with_the_line(gate: str, message: str) -> None:
    bad = RUBRIC.replace(f"{{negative: {GATE}, min_words: 3, negated: true}}", gate)
    with pytest.raises(RubricError, match="t.yaml:10") as e:
        parse_rubric(bad, source="t.yaml")
    assert message in str(e.value)
