"""The one word normaliser: word keys, plain text, standard spelling, amounts, and the sentiment mode.

Indonesian first: Whisper writes "dimana" for "di mana", "Rp1.750.000" for what the agent said as "satu juta
tujuh ratus lima puluh ribu rupiah", "sama2" for "sama-sama". Both spellings must come out as one, so that
rubric phrases match and WER counts words, not spelling conventions.
"""

from __future__ import annotations

import pytest

from callscore.rubric.textnorm import find_phrase
from callscore.transcript.textnorm import (
    model_tokens,
    normalize_text,
    normalize_words,
    plain_text,
    spelling_rules,
    word_key,
)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Mm-hmm,", "mm-hmm"),
        ("-ya-", "ya"),
        ("'Don't'", "don't"),
        ("Halo!!", "halo"),
        ("...", ""),
        ("Eee", "eee"),
    ],
)
def test_word_key(raw: str, key: str) -> None:
    assert word_key(raw) == key


def test_plain_text_keeps_spelling_and_apostrophes() -> None:
    assert plain_text("Halo, Pak-Budi!  Gak bisa") == "halo pak budi gak bisa"
    assert plain_text("I'm sorry.") == "i'm sorry"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # di- / ke- as prepositions, written joined
        ("Dimana alamatnya?", "di mana alamatnya"),
        ("kemana", "ke mana"),
        ("disini", "di sini"),
        ("disitu", "di situ"),
        ("kesana", "ke sana"),
        ("kesini", "ke sini"),
        ("diatas", "di atas"),
        ("didalam aplikasi", "di dalam aplikasi"),
        ("dirumahnya", "di rumahnya"),
        ("dimanapun", "di mana pun"),
        ("diaplikasi", "di aplikasi"),
        # the di- verb prefix and fused standard words stay whole
        ("dibantu", "dibantu"),
        ("ditunggu", "ditunggu"),
        ("dibawa", "dibawa"),
        ("dibawah", "di bawah"),
        ("diatasi", "diatasi"),
        ("keluar", "keluar"),
        ("kemari", "kemari"),
        ("kedua", "kedua"),
        ("dia", "dia"),
        ("Dimas", "dimas"),
        # compounds and spelling variants
        ("darimana", "dari mana"),
        ("apapun", "apa pun"),
        ("siapapun", "siapa pun"),
        ("kerjasama", "kerja sama"),
        ("tanggungjawab", "tanggung jawab"),
        ("silahkan", "silakan"),
        ("ijin", "izin"),
        ("nomer rekening", "nomor rekening"),
        ("sama2", "sama-sama"),
        ("hati2 ya", "hati-hati ya"),
        ("sama-sama", "sama-sama"),
        ("mp3", "mp3"),
        ("4g", "4g"),
        ("b2b", "b2b"),
    ],
)
def test_indonesian_spelling(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Rp1.750.000", "1750000 rupiah"),
        ("Rp 1.750.000,-", "1750000 rupiah"),
        ("Rp1.750.000,00", "1750000 rupiah"),
        ("satu juta tujuh ratus lima puluh ribu rupiah", "1750000 rupiah"),
        ("1 juta 750 ribu", "1750000"),
        ("1,5 juta", "1500000"),
        ("1.5 juta", "1500000"),
        ("1,5jt", "1500000"),
        ("Rp 1,5 juta", "1500000 rupiah"),
        ("satu koma lima juta", "1500000"),
        ("satu setengah juta", "1500000"),
        ("setengah juta", "500000"),
        ("rp 50 ribu", "50000 rupiah"),
        ("Rp50rb", "50000 rupiah"),
        ("50rb", "50000"),
        ("lima puluh ribu rupiah", "50000 rupiah"),
        ("Rp 50.000 rupiah", "50000 rupiah"),
        ("IDR 200.000", "200000 rupiah"),
        ("Rp 50.000", "50000 rupiah"),
        ("bayar pakai rp", "bayar pakai rupiah"),
        ("2 miliar", "2000000000"),
        ("dua miliar", "2000000000"),
        ("50%", "50 persen"),
        ("lima puluh persen", "50 persen"),
        ("2,5 persen", "2,5 persen"),
        ("dua koma lima persen", "2,5 persen"),
        ("jam 10.30", "jam 10 30"),
        ("jam sepuluh tiga puluh", "jam 10 30"),
        ("dua tiga", "2 3"),
        ("maksimal 2x24 jam", "maksimal 2 kali 24 jam"),
        ("seratus dua puluh lima ribu", "125000"),
        ("tagihan Rp 125.000 sudah terpotong", "tagihan 125000 rupiah sudah terpotong"),
        # digits that are no amount stay as written
        ("nomor 0812-3456-7890", "nomor 0812 3456 7890"),
        ("tanggal 17-08-2024", "tanggal 17 08 2024"),
        ("jam 10.05", "jam 10 05"),
        ("3,14", "3,14"),
        ("0,50", "0,5"),
    ],
)
def test_indonesian_amounts_and_numbers(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Rp1.750.000", "satu juta tujuh ratus lima puluh ribu rupiah"),
        ("Rp 1,5 juta", "satu setengah juta rupiah"),
        ("Rp 1,5 juta", "satu koma lima juta rupiah"),
        ("Rp50.000", "lima puluh ribu rupiah"),
        ("rp 50 ribu", "lima puluh ribu rupiah"),
        ("dalam 2x24 jam", "dalam dua kali dua puluh empat jam"),
        ("Dimana Bapak tinggal?", "di mana pak tinggal"),
        ("silahkan ditunggu disini", "silakan ditunggu di sini"),
        ("Terimakasih, sama2", "terima kasih sama-sama"),
        ("bunga 2,5%", "bunga dua koma lima persen"),
    ],
)
def test_both_ways_come_out_the_same(written: str, spoken: str) -> None:
    assert normalize_text(written) == normalize_text(spoken)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.5 million", "1500000"),
        ("one point five million", "1500000"),
        ("fifty percent", "50 percent"),
        ("50%", "50 percent"),
        ("twenty four hours", "24 hours"),
        ("2,500 dollars", "2500 dollars"),
        ("I can't find it", "i can't find it"),
    ],
)
def test_english(raw: str, expected: str) -> None:
    assert normalize_text(raw, language="en") == expected


def test_an_amount_points_back_to_all_its_words() -> None:
    words = normalize_words(["Saldo", "Rp", "50", "ribu", "ya"])
    assert words.tokens == ("saldo", "50000", "rupiah", "ya")
    assert words.origin == ((0, 0), (1, 3), (1, 3), (4, 4))
    glued = normalize_words(["dimana", "Rp1.750.000"])
    assert glued.tokens == ("di", "mana", "1750000", "rupiah") and glued.origin[-1] == (1, 1)


def test_phrases_match_across_spellings() -> None:
    heard = normalize_words(["ibu", "tinggal", "dimana", "sekarang"])
    hit = find_phrase("tinggal di mana", heard)
    assert [(h.first, h.last, h.similarity) for h in hit] == [(1, 2, 1.0)]
    amount = normalize_words(
        ["total", "tagihannya", "satu", "juta", "tujuh", "ratus", "lima", "puluh", "ribu", "rupiah"]
    )
    assert [(h.first, h.last) for h in find_phrase("Rp1.750.000", amount)] == [(2, 9)]


def test_negation_survives_every_rule() -> None:
    for text in ("gak dimana", "nggak sampai Rp 50rb", "tidak disini", "belum 1,5 juta"):
        tokens = normalize_text(text).split()
        assert tokens[0] in {"tidak", "belum"}, text


def test_spelling_rules_are_language_data() -> None:
    rules = spelling_rules("id")
    assert {"di", "ke"} == rules.prepositions and "mana" in rules.places and "bantu" not in rules.places
    assert rules.currency["rp"] == "rupiah" and rules.scales["juta"] == 1_000_000
    assert spelling_rules("en").decimal_mark == "." and not spelling_rules("en").prepositions
    assert spelling_rules("ms") == spelling_rules("en")  # no lexicon of its own: the English one


def test_wer_with_our_normaliser_counts_words_not_spellings() -> None:
    jiwer = pytest.importorskip("jiwer")
    ref = "Silakan ditunggu di sini, tagihan Anda Rp1.750.000."
    hyp = "silahkan ditunggu disini tagihan anda satu juta tujuh ratus lima puluh ribu rupiah"
    assert jiwer.wer(plain_text(ref), plain_text(hyp)) > 0.8  # the basic view: most words "wrong"
    assert jiwer.wer(normalize_text(ref), normalize_text(hyp)) == 0.0


def test_model_tokens_is_the_sentiment_models_exact_mode() -> None:
    """The bundled models were trained on these tokens: no lexicon, digits as "0", no amount reading."""
    assert model_tokens("GAK bangettt!!! Rp 50.000", canonical={"gak": "tidak"}) == [
        "tidak",
        "banget",
        "rp",
        "0",
        "0",
    ]
    assert model_tokens("makasih dimana", canonical={}) == ["makasih", "dimana"]
