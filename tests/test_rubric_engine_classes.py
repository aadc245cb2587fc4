"""Engine classes found while tuning on v7 (issue 12): the follow-up window, the exclamation "oh no" and
per-language function words.

Every sentence is our own wording (none is in a rubric or a benchmark set); each case failed before the
engine change it tests, except the STILL_NEGATED guards (they pass before and after: the change must not
lift a real negation).
"""

from __future__ import annotations

import pytest
from scripted import probe_item

from callscore.rubric.meaning import (
    NEGATORS,
    build_model,
    function_words,
    sentence_stems,
    stem_weights,
    utterances,
)
from callscore.rubric.schema import load_rubric
from callscore.transcript.textnorm import normalize_words

EN = load_rubric("en-contact-centre")
ID = load_rubric("id-contact-centre")
EN_REPORT = ("customer", "my heating has been off for three days and nobody has come out")
ID_REPORT = ("customer", "pemanas air saya mati sudah tiga hari dan belum ada teknisi yang datang")


def status(rubric, report, said, item):
    return probe_item([report, ("agent", said)], item, rubric=rubric).status


# a time frame said earlier in the sentence than the promise, more than TRIGGER_LEAD before its words
FOLLOW_UP_FIRST_EN = [
    "okay so by next friday at the latest we'll send you the replacement",
    "right, within the next forty eight hours at the very most, an engineer will call you back",
]
FOLLOW_UP_FIRST_ID = [
    "dalam dua kali dua puluh empat jam setelah laporan ini masuk ke sistem, Bapak akan kami hubungi lagi",
]


# guards (pass before and after): a time word in another clause of the sentence is no time frame for the
# promise ("so", "but", "tapi" open the promise's own clause)
FOLLOW_UP_OTHER_CLAUSE = [
    ("en", "the schedule for next week is not published yet so somebody from the team will get back to you"),
    (
        "id",
        "sekarang datanya belum masuk ke sistem Pak tapi fotonya bisa dikirim ke email nanti kami proses",
    ),
]


@pytest.mark.parametrize(("language", "said"), FOLLOW_UP_OTHER_CLAUSE)
def test_a_time_word_in_another_clause_is_no_time_frame(language, said):
    rubric, report = (EN, EN_REPORT) if language == "en" else (ID, ID_REPORT)
    assert status(rubric, report, said, "specific_follow_up") == "fail"


@pytest.mark.parametrize("said", FOLLOW_UP_FIRST_EN)
def test_time_frame_before_the_promise_in_its_sentence_counts_en(said):
    assert status(EN, EN_REPORT, said, "specific_follow_up") == "pass"


@pytest.mark.parametrize("said", FOLLOW_UP_FIRST_ID)
def test_time_frame_before_the_promise_in_its_sentence_counts_id(said):
    assert status(ID, ID_REPORT, said, "specific_follow_up") == "pass"


def _model(examples, *, language):
    groups = [utterances(examples, language=language)]
    return build_model(examples, [], language=language, weights=stem_weights(groups))


def _stems(text, *, language):
    return sentence_stems(normalize_words([text], language=language).tokens, language=language)


# an interjection's "no" before a new clause is an exclamation, not the negation of that clause
EXCLAIMED = [
    ("en", "i'm really sorry", "och no, i'm really sorry, that sounds miserable"),
    ("en", "that's awful", "ah no, that's awful, three days with no heat"),
    ("id", "mohon maaf sekali", "aduh nggak, mohon maaf sekali ya Pak atas kejadian ini"),
    ("id", "maaf sekali ya", "waduh nggak, maaf sekali ya Bu, pasti repot"),
]
# the same interjection before what the negator really negates keeps the negation
STILL_NEGATED = [
    ("en", "problem solved", "oh no problem solved yet, sorry"),
    ("id", "bisa kami bantu", "aduh nggak bisa kami bantu Pak"),
    ("id", "ada solusi", "waduh tidak ada solusi lain Bu"),
    ("id", "saya yang urus", "wah bukan saya yang urus Pak"),
    # the example's words again, out of order over a longer stretch, are no second saying of it
    ("id", "kami proses", "wah nggak bisa kami proses kalau datanya di sistem kami kosong Bu"),
    ("id", "saya kirim hari ini", "aduh nggak saya kirim hari ini Bu"),
]


@pytest.mark.parametrize(("language", "example", "said"), EXCLAIMED)
def test_an_exclaimed_no_negates_nothing(language, example, said):
    assert _model([example], language=language).best(_stems(said, language=language)) is not None


@pytest.mark.parametrize(("language", "example", "said"), STILL_NEGATED)
def test_a_negator_after_an_interjection_still_negates_its_word(language, example, said):
    assert _model([example], language=language).best(_stems(said, language=language)) is None


# function words are language data: a restatement needs content words, not "i've", "been", "for", "since"
def test_function_words_come_from_the_language_data():
    en, id_ = function_words("en"), function_words("id")
    assert {"i've", "been", "for", "the", "would", "because"} <= en
    assert {"yang", "di", "sudah", "saya", "@addr", "untuk", "dengan"} <= id_
    assert not (en | id_) & NEGATORS


def test_function_words_are_no_restatement():
    report = ("customer", "i've been waiting for an engineer since nine and i've had no call")
    said = "right, so i've been on shift for you since nine, how can i help"
    item = probe_item([report, ("agent", said)], "confirm_problem", rubric=EN)
    assert item.status == "fail"
    said = "so an engineer since nine and no call, i'll chase it"
    assert status(EN, report, said, "confirm_problem") == "pass"


def test_a_language_without_function_words_uses_the_english_ones():
    assert function_words("ms") == function_words("en")
