"""A negative tone item's ``blame`` signal: the customer framed as the one at fault, in any words."""

from __future__ import annotations

import pytest
from scripted import ScriptedTurn, transcript_from_turns

from callscore.errors import RubricError
from callscore.rubric.checks import negative_probability
from callscore.rubric.schema import BlameGate, load_rubric, parse_rubric
from callscore.scorecard import FAIL, PASS, score_transcript

NEGATIVE = 0.5
SUBJECT = 0.95
GATE = f"{{negative: {NEGATIVE}, subject_negative: {SUBJECT}}}"


def rubric_text(language: str, gate: str = GATE, polarity: str = "negative") -> str:
    """A one-item rubric: the blaming item with one listed phrase and the blame signal."""
    return f"""\
id: t
name: T
version: "1"
language: {language}
items:
  - id: no_blaming_language
    title: No blaming
    description: d
    kind: tone
    weight: 1
    critical: true
    role: agent
    polarity: {polarity}
    phrases: [salah bapak sendiri]
    blame: {gate}
"""


def blaming(agent: str, *, language: str = "id", gate: str = GATE):
    """The item's result on a call whose agent says ``agent`` after a customer question."""
    customer = "kenapa saldo saya kepotong" if language == "id" else "why was I charged again"
    t = transcript_from_turns(
        [ScriptedTurn("customer", 0.0, 3.0, customer), ScriptedTurn("agent", 3.6, 8.0, agent)],
        call_id="c",
        language=language,
    )
    return score_transcript(t, rubric=parse_rubric(rubric_text(language, gate), source="t.yaml")).items[0]


# blame in words no phrase lists, each with its sign: a negator, an obligation word, a standalone frame
UNLISTED = [
    ("id", "Ibu aja yang nggak cek saldonya dulu", "singles the customer out", "negator 'nggak'"),
    ("id", "makanya ibu cek dulu tagihannya tiap bulan", "should have done", "obligation 'makanya'"),
    ("en", "well you should have asked for a receipt", "should have done", ""),
    ("en", "that one is on you then", "puts the fault on the customer", ""),
]
# the same frames said politely: the customer as subject, owner or the one who should have, but no fault
POLITE = [
    ("id", "Ibu yang daftar kemarin ya Bu"),
    ("id", "baik pembayarannya atas nama Bapak sendiri ya"),
    ("id", "Bapak tidak perlu khawatir ya Pak"),
    ("id", "harusnya bapak ditelpon dulu oleh teknisi kami"),  # a passive: the customer is acted upon
    ("id", "seharusnya ibu sudah terima SMS konfirmasinya"),  # an expectation
    ("en", "you should have received an email by now"),
    ("en", "it is not on you at all"),
    ("en", "you can pick it up at the depot"),
]


@pytest.mark.parametrize(("language", "said", "frame", "sign"), UNLISTED)
def test_blaming_in_unlisted_words_fails_the_item(language: str, said: str, frame: str, sign: str) -> None:
    r = blaming(said, language=language)
    assert r.status == FAIL
    assert frame in r.evidence[0].matched and sign in r.evidence[0].matched
    assert frame in r.reason  # the reason names the signal too, not only the quote


def test_a_cleft_without_a_negator_fails_on_the_sentiment_model() -> None:
    said = "itu mah ibu aja yang ceroboh naruh kartunya"
    assert negative_probability(said, language="id") >= NEGATIVE + 0.2
    ev = blaming(said).evidence[0]
    assert ev.matched.startswith("blame: singles the customer out as the one who did it ('ibu aja yang')")
    assert "sentiment negative 0.8" in ev.matched and f">= {NEGATIVE:g}" in ev.matched
    assert ev.quote == said and ev.role == "agent"


@pytest.mark.parametrize(("language", "said"), POLITE)
def test_a_polite_sentence_addressing_the_customer_passes(language: str, said: str) -> None:
    # well below both sentiment bars, so a small change in the model does not flip them
    assert negative_probability(said, language=language) <= NEGATIVE - 0.02
    assert blaming(said, language=language).status == PASS


# frames with a negator and often a negative sentiment that are not blame: a restatement question, the
# customer's hardship regretted, reassurance in the same sentence (each failed before those exemptions)
NOT_BLAME = [
    ("id", "jadi ibu yang tidak bisa login ya"),
    ("id", "berarti bapak yang belum menerima sms nya ya"),
    ("id", "bapak yang tidak bisa datang ke kantor ya, tidak apa apa"),
    ("id", "ibu sendiri yang tidak ingat pinnya ya bu, tidak masalah kami bantu reset"),
    ("id", "harusnya bapak tidak kena biaya ini, saya kembalikan"),
    ("id", "seharusnya ibu tidak perlu menunggu selama ini"),
    ("en", "so you're the one who couldn't log in, right"),
    ("en", "you shouldn't have to wait this long, I'm sorry"),
    ("en", "you should have been told about this fee, that's on us"),
]


@pytest.mark.parametrize(("language", "said"), NOT_BLAME)
def test_restating_regretting_or_reassuring_is_not_blame(language: str, said: str) -> None:
    assert blaming(said, language=language).status == PASS


def test_blame_with_a_question_tag_but_no_restating_word_still_fails() -> None:
    # only "jadi" / "berarti" / "so" with a closing tag makes a restatement; a scolding "ya" does not
    assert blaming("Ibu aja yang nggak cek saldonya dulu ya").status == FAIL


def test_the_subject_alone_needs_the_higher_bar() -> None:
    said = "bapak bisa datang ke cabang mana aja senin sampai sabtu"
    p = negative_probability(said, language="id")
    assert NEGATIVE < p < SUBJECT - 0.05  # negative enough for a cleft, not for a mere subject
    assert blaming(said).status == PASS


def test_without_the_parameter_only_the_lists_count() -> None:
    said = "Ibu aja yang nggak cek saldonya dulu"
    text = rubric_text("id").replace(f"    blame: {GATE}\n", "")
    t = transcript_from_turns([ScriptedTurn("agent", 0.0, 3.0, said)], call_id="c")
    assert score_transcript(t, rubric=parse_rubric(text, source="t.yaml")).items[0].status == PASS


def test_the_gate_is_parsed_with_its_defaults() -> None:
    r = parse_rubric(rubric_text("id", gate="{}"), source="t.yaml")
    assert r.items[0].params["blame"] == BlameGate()
    assert BlameGate() == BlameGate(NEGATIVE, SUBJECT)


def test_the_built_in_rubrics_use_it() -> None:
    for name in ("id-contact-centre", "en-contact-centre"):
        r = load_rubric(name)
        item = r.item("no_blaming_language")
        assert item is not None and isinstance(item.params["blame"], BlameGate)


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("{negative: 50}", "write 0.5, not 50"),
        ("{subject_negative: 0}", "subject_negative: must be a probability in (0, 1]"),
        ("{negative: high}", "must be a number"),
        ("{negative: 0.5, positive: 0.2}", "unknown field 'positive'"),
        ("0.5", "must be a mapping"),
    ],
)
def test_a_bad_gate_is_refused_with_the_line(gate: str, message: str) -> None:
    with pytest.raises(RubricError, match="t.yaml:15") as e:
        parse_rubric(rubric_text("id", gate=gate), source="t.yaml")
    assert message in str(e.value)


def test_blame_on_a_positive_tone_item_is_refused() -> None:
    with pytest.raises(RubricError, match="t.yaml:15") as e:
        parse_rubric(rubric_text("id", polarity="positive"), source="t.yaml")
    assert "only read with polarity: negative" in str(e.value)
