"""confirm_problem's echo: a restatement is the customer's problem said back in the customer's own words.

The calls here are written for this test (none from the benchmark sets). Each is a tiny call scored with the
shipped rubric; a restatement in an unlisted frame must pass, and questions, routine answers and words the
customer had not said yet must not.
"""

from __future__ import annotations

import pytest
from scripted import spoken_call

from callscore.errors import RubricError
from callscore.rubric.apply import apply_rubric
from callscore.rubric.schema import load_rubric, parse_rubric

R = {lang: load_rubric(name) for lang, name in (("id", "id-contact-centre"), ("en", "en-contact-centre"))}


def confirm(lang, turns):
    call = spoken_call(turns, call_id="echo", language=lang)
    return {i.id: i for i in apply_rubric(call, rubric=R[lang]).items}["confirm_problem"]


ID_PROBLEM = "mas kompor gas saya bocor dari tadi malam baunya sampai ke kamar anak saya takut sekali"
EN_PROBLEM = "my heating stopped working on saturday night and the radiators upstairs are stone cold"


@pytest.mark.parametrize(
    ("lang", "problem", "restated"),
    [
        ("id", ID_PROBLEM, "aduh maaf bu berarti kompor gasnya bocor sejak tadi malam sampai bau ke kamar"),
        ("id", ID_PROBLEM, "baik bu saya tangkap kompor ibu bocor dari malam baunya masuk kamar anak betul"),
        ("en", EN_PROBLEM, "oh no so the heating went off saturday night and upstairs radiators are cold"),
    ],
)
def test_a_restatement_in_the_customers_words_passes_and_names_what_was_said_back(lang, problem, restated):
    r = confirm(lang, [("agent", "halo"), ("customer", problem), ("agent", restated)])
    assert r.status == "pass", r.reason
    echo = [e for e in r.evidence if e.matched.startswith("echo: said back")]
    assert echo and len(echo[0].matched.split(",")) >= 4, r.evidence


@pytest.mark.parametrize(
    ("lang", "problem", "reply"),
    [
        # a fact-finding question: nothing of the problem is said back
        ("id", ID_PROBLEM, "boleh saya minta nomor pelanggan dan alamat lengkapnya bu"),
        # the customer's words, but no restating word: an answer, not a check ("ya" would be one)
        ("id", ID_PROBLEM, "petugas kami ke rumah untuk cek kompor gas yang bocor itu nanti malam"),
        ("en", EN_PROBLEM, "can i take the account number and the postcode please"),
    ],
)
def test_questions_and_answers_are_not_restatements(lang, problem, reply):
    assert confirm(lang, [("agent", "halo"), ("customer", problem), ("agent", reply)]).status == "fail"


def test_words_the_customer_says_later_are_not_said_back():
    """The echo looks back only: an agent sentence before the customer's turn cannot restate it."""
    early = "kalau kompor gas bocor dari malam dan bau sampai ke kamar anak segera buka jendela ya bu"
    r = confirm("id", [("agent", early), ("customer", ID_PROBLEM), ("agent", "baik saya cek dulu")])
    assert not [e for e in r.evidence if e.matched.startswith("echo")], r.evidence


RUBRIC = """
id: t
name: t
version: "1"
language: id
items:
  - id: confirm
    title: t
    description: t
    kind: phrase_present
    weight: 1
    role: agent
    phrases: [apakah benar]
    echo: {echo}
"""


@pytest.mark.parametrize(
    ("echo", "message"),
    [
        ("{min_shared: 1}", "min_shared must be at least 2"),
        ("{min_shared: 3, lookback: 9}", "lookback is 1 to 5"),
        ("{cues: [jadi]}", "min_shared"),
        ("{min_shared: 3, words: [jadi]}", "words"),
    ],
)
def test_a_bad_echo_is_refused_with_the_line(echo, message):
    with pytest.raises(RubricError, match=message):
        parse_rubric(RUBRIC.replace("{echo}", echo), source="t.yaml")
