"""Normalisation of spoken / Whisper-written Indonesian and fuzzy phrase search."""

from __future__ import annotations

import pytest

from callscore.rubric.textnorm import find_pattern, find_phrase
from callscore.transcript.textnorm import normalize_text, normalize_words, number_to_words, words_to_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Gak bisa, Pak!", "tidak bisa bapak"),
        ("nggak enggak ga ngga", "tidak tidak tidak tidak"),
        ("Udah aja, makasih ya Bu", "sudah saja terima kasih ya ibu"),
        ("trims, gimana kalo gitu?", "terima kasih bagaimana kalau begitu"),
        ("saya nggak tau", "saya tidak tahu"),
        ("Terimakasih sudah menunggu", "terima kasih sudah menunggu"),
        ("sama-sama", "sama-sama"),
        ("maksimal 2x24 jam", "maksimal 2 kali 24 jam"),
        ("dua kali dua puluh empat jam", "2 kali 24 jam"),
        ("Rp 50.000", "50000 rupiah"),
        ("seratus dua puluh lima ribu", "125000"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("n", [0, 7, 10, 11, 15, 24, 100, 125, 999, 1000, 1500, 50_000, 101_000, 2_500_000])
def test_numbers_round_trip_indonesian(n: int) -> None:
    words = number_to_words(n).split()
    assert words_to_number(words) == (n, len(words))


def test_numbers_english_and_stops() -> None:
    assert words_to_number(["twenty", "four", "hours"], language="en") == (24, 2)
    assert number_to_words(2500, language="en") == "two thousand five hundred"
    # digits read out one by one are separate numbers, not a sum
    assert normalize_text("dua tiga") == "2 3"
    assert words_to_number(["halo"]) is None


def test_negation_is_never_dropped() -> None:
    for neg in ("gak", "nggak", "enggak", "ga", "ngga", "tdk", "ndak"):
        assert "tidak" in normalize_text(f"saya {neg} tahu").split()


def test_token_origin_points_back_to_source_words() -> None:
    nw = normalize_words(["Makasih,", "dalam", "2x24", "jam"])
    assert nw.tokens == ("terima", "kasih", "dalam", "2", "kali", "24", "jam")
    assert nw.origin[0] == (0, 0) and nw.origin[1] == (0, 0)
    assert nw.origin[3] == (2, 2) and nw.origin[6] == (3, 3)
    nw = normalize_words(["dua", "puluh", "empat", "jam"])
    assert nw.tokens == ("24", "jam") and nw.origin[0] == (0, 2)


@pytest.mark.parametrize(
    ("spoken", "phrase"),
    [
        ("Mohon maap atas ketidak nyamanan nya Pak", "mohon maaf atas ketidaknyamanannya"),
        ("terimah kasih sudah menghubungin kami", "terima kasih sudah menghubungi"),
        ("ada yang bisa saya bantuk", "ada yang bisa saya bantu"),
        ("slamat siang", "selamat siang"),
        ("trimakasih sudah menunggu", "terima kasih sudah menunggu"),
        ("penyebab nya ada gangguan", "penyebabnya"),
        ("itu di karenakan hujan", "dikarenakan"),
        ("saya nggak tau pak", "saya tidak tahu"),
    ],
)
def test_fuzzy_phrase_hits_asr_slips(spoken: str, phrase: str) -> None:
    hits = find_phrase(phrase, normalize_words(spoken.split()))
    assert len(hits) == 1
    assert 0.85 <= hits[0].similarity <= 1.0


@pytest.mark.parametrize(
    ("spoken", "phrase"),
    [
        ("wah saya tahu kok pak", "saya tidak tahu"),  # negation must match
        ("saya tidak tahu", "saya tahu"),
        ("pak ada yang bisa saya bantu", "ada lagi yang bisa saya bantu"),  # a missing word is not a slip
        ("nggak mas", "tidak masuk"),  # short words: mas != masuk
        ("sama sekali", "lama sekali"),
        ("ada yang bisa saya bantu", "biar saya"),
        ("mana", "maaf"),
    ],
)
def test_fuzzy_phrase_rejects_near_misses(spoken: str, phrase: str) -> None:
    assert find_phrase(phrase, normalize_words(spoken.split())) == []


def test_fuzzy_phrase_returns_word_span_and_all_hits() -> None:
    words = ["baik", "Pak", "mohon", "maaf", "ya", "pak", ",", "sekali", "lagi", "mohon", "maf"]
    hits = find_phrase("mohon maaf", normalize_words(words))  # "maf": a Whisper slip
    assert [(h.first, h.last) for h in hits] == [(2, 3), (9, 10)]
    assert hits[0].similarity == 1.0 and hits[1].similarity < 1.0


def test_pattern_search_on_normalised_text() -> None:
    nw = normalize_words(["akan", "kami", "proses", "dalam", "dua", "kali", "dua", "puluh", "empat", "jam"])
    hits = find_pattern(r"\d+ kali \d+ jam", nw)
    assert len(hits) == 1 and (hits[0].first, hits[0].last) == (4, 9)
    assert find_pattern(r"\d+ hari", nw) == []


@pytest.mark.parametrize(
    ("phrase", "spoken", "hit"),
    [
        ("terima kasih * menunggu", "baik terima kasih sultat menunggu ibu", True),  # Whisper's "sudah"
        ("terima kasih * menunggu", "terima kasih telah menunggu", True),
        ("terima kasih * menunggu", "terima kasih tidak menunggu", False),  # a negator is no wildcard word
        ("terima kasih * menunggu", "terima kasih menunggu", False),  # exactly one word
        ("terima kasih * menunggu", "mohon menunggu sebentar", False),
        ("terima kasih * menunggu", "terima kasi sudah menungu", True),  # the fixed words stay fuzzy
        ("thanks * * for holding", "thanks so much for holding", True),
        ("* maaf", "mohon mana ya", False),  # a short fixed part must be exact
    ],
)
def test_a_wildcard_in_a_phrase_takes_one_word(phrase: str, spoken: str, hit: bool) -> None:
    lang = "en" if phrase.startswith("thanks") else "id"
    hits = find_phrase(phrase, normalize_words(spoken.split(), language=lang), language=lang)
    assert bool(hits) == hit, hits
    if hit:
        assert hits[0].similarity >= 0.85 and hits[0].phrase == phrase
