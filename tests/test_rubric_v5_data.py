"""benchmarks/data/rubric_v5: what belongs to this set alone, read with the v2 loader.

Nothing here scores the set (see benchmarks/data/rubric_v5/README.md). The checks every set shares (schema,
label coverage, critical failures, new ids, no copied turns) are in test_rubric_sets_data.py; these pin
the timed hard cases laid out so that their labels hold, the near misses the set was written to test, and
its registers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "rubric_v5"
FILES = {"id": DATA / "calls_id.yaml", "en": DATA / "calls_en.yaml"}
TAHU_WINDOW = 15.0  # s: the rubric's window for a promise to find out
CLOSING_WINDOW = 45.0  # s: closing thanks must fall in the call's last 45 s
OFFER_WINDOW = 45.0  # s: the offer of help must start in the first 45 s
APOLOGY_WINDOW = 60.0  # s: the apology must come within 60 s of the complaint


@pytest.fixture(scope="module")
def bench(rubric_v2_bench):
    return rubric_v2_bench


@pytest.fixture(scope="module")
def calls(bench):
    return {lang: bench.load_calls(path=FILES[lang], language=lang) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def by_id(calls):
    return {c.id: c for lang in calls for c in calls[lang]}


def _turn(call, needle: str):
    hits = [t for t in call.turns if needle in t.text]
    assert len(hits) == 1, (call.id, needle)
    return hits[0]


@pytest.mark.parametrize(
    ("call_id", "said", "promise"),
    [
        ("id-v5-train-01", "saya tidak tahu bu", "bagian keuangan"),
        ("id-v5-pawnshop-02", "kula mboten ngertos bu", "kepala cabang"),
        ("en-v5-insurance-01", "i don't know ma", "claims officer"),
        ("en-v5-bank-03", "i'm honestly not sure sir", "collections team"),
    ],
)
def test_late_promise_to_find_out_is_past_the_window(by_id, call_id, said, promise):
    """These fail no_saya_tidak_tahu only because the promise comes late: the times must say so."""
    c = by_id[call_id]
    assert c.verdict("no_saya_tidak_tahu") == "fail"
    assert _turn(c, promise).start - _turn(c, said).end > TAHU_WINDOW + 2.0


@pytest.mark.parametrize(
    ("call_id", "said"),
    [
        ("id-v5-isp-01", "saya belum tau kak tapi saya cek sekarang"),
        ("id-v5-ridehailing-01", "aku kurang tahu kak tapi"),
        ("en-v5-software-01", "i don't know offhand but let me"),
        ("en-v5-utility-02", "i have no idea right now sir but let me find out"),
    ],
)
def test_not_knowing_with_a_promise_in_the_same_turn_passes(by_id, call_id, said):
    c = by_id[call_id]
    assert c.verdict("no_saya_tidak_tahu") == "pass"
    _turn(c, said)  # the promise is in the same turn, so inside any window


@pytest.mark.parametrize(
    ("call_id", "opening"),
    [
        ("id-v5-government-01", "terima kasih telah menghubungi"),
        ("en-v5-healthcare-01", "thank you for calling"),
    ],
)
def test_thanks_only_at_the_opening_is_outside_the_closing_window(by_id, call_id, opening):
    c = by_id[call_id]
    assert c.verdict("closing_thanks") == "fail"
    assert c.turns[-1].end - _turn(c, opening).end > CLOSING_WINDOW + 5.0


@pytest.mark.parametrize(
    ("call_id", "offer"),
    [
        ("id-v5-telco-02", "ada yang bisa saya bantu pak"),
        ("en-v5-hotel-01", "how can i help you this evening"),
    ],
)
def test_late_offer_of_help_starts_after_the_window(by_id, call_id, offer):
    c = by_id[call_id]
    assert c.verdict("offer_help") == "fail"
    assert _turn(c, offer).start > OFFER_WINDOW + 2.0


@pytest.mark.parametrize(
    ("call_id", "complaint", "apology"),
    [
        ("id-v5-government-01", "ktp elektronik", "mohon maaf memang"),
        ("en-v5-healthcare-01", "nobody rang me", "i'm really sorry"),
    ],
)
def test_apology_after_a_hold_is_still_inside_the_window(by_id, call_id, complaint, apology):
    c = by_id[call_id]
    assert c.verdict("apology_on_complaint") == "pass"
    assert _turn(c, apology).start - _turn(c, complaint).end < APOLOGY_WINDOW - 5.0


def test_hard_cases_keep_their_labels(by_id):
    """Near misses the set exists to test, pinned so that an edit cannot quietly relabel them."""
    expected = {
        ("id-v5-hospital-01", "no_saya_tidak_tahu"): "pass",  # "saya tidak tahu kalau ibu pasien lama"
        ("id-v5-insurance-03", "no_saya_tidak_tahu"): "fail",  # "teu terang abdi", customer's own too
        ("id-v5-bank-04", "no_saya_tidak_tahu"): "fail",  # "nggak ngerti juga saya pak"
        ("id-v5-pln-03", "no_blaming_language"): "pass",  # "sama sekali bukan kelalaian bapak"
        ("id-v5-telco-04", "no_blaming_language"): "pass",  # "terserah bapak mau hari ini atau besok"
        ("id-v5-telco-01", "no_blaming_language"): "fail",  # "terserah bapak aja" to a leaving customer
        ("id-v5-fintech-01", "no_blaming_language"): "fail",  # sarcasm about paying late
        ("id-v5-property-02", "no_blaming_language"): "fail",  # "bukan tanggung jawab pengelola"
        ("id-v5-pdam-02", "apology_on_complaint"): "fail",  # only "mohon maaf ... nomor sambungannya"
        ("id-v5-train-02", "apology_on_complaint"): "na",  # politeness-only "mohon maaf" for data
        ("id-v5-pln-02", "apology_on_complaint"): "na",  # "meninggal", "tidak bisa" used neutrally
        ("id-v5-pln-01", "greeting"): "fail",  # bare "halo"
        ("id-v5-ecommerce-03", "solution_next_step"): "fail",  # "mohon ditunggu saja"
        ("id-v5-retail-02", "specific_follow_up"): "fail",  # "nanti diinfokan"
        ("id-v5-fintech-03", "specific_follow_up"): "fail",  # "secepatnya kami kabari"
        ("id-v5-property-01", "satisfaction_check"): "pass",  # "ada yang masih mengganjal"
        ("id-v5-ridehailing-02", "closing_thanks"): "fail",  # only "sama sama"
        ("id-v5-airline-01", "polite_address"): "fail",  # only "Anda"
        ("id-v5-pawnshop-01", "positive_language"): "pass",  # "tidak bisa" then two ways that work
        ("en-v5-delivery-02", "no_saya_tidak_tahu"): "pass",  # the customer's "i don't know"
        ("en-v5-software-02", "no_saya_tidak_tahu"): "fail",  # "beats me"
        ("en-v5-hotel-03", "no_saya_tidak_tahu"): "fail",  # "dunno mate"
        ("en-v5-ecommerce-02", "no_blaming_language"): "fail",  # "check the size chart properly next time"
        ("en-v5-utility-03", "no_blaming_language"): "fail",  # "that's on you"
        ("en-v5-utility-01", "apology_on_complaint"): "na",  # a neighbour's outage in passing
        ("en-v5-utility-01", "polite_address"): "fail",  # only "mate"
        ("en-v5-insurance-02", "specific_follow_up"): "fail",  # "someone ... will reach out"
        ("en-v5-healthcare-03", "closing_thanks"): "fail",  # only "you're welcome"
        ("en-v5-isp-01", "satisfaction_check"): "pass",  # "are we good with that plan for now"
        ("en-v5-delivery-01", "positive_language"): "fail",  # "i can't offer a refund"
    }
    got = {k: by_id[k[0]].verdict(k[1]) for k in expected}
    assert got == expected


def _words(texts) -> set[str]:
    return set(re.findall(r"[a-z']+", " ".join(texts).lower()))


def test_sectors_and_registers_vary(calls):
    cs = calls["id"]
    assert len({c.sector for c in cs}) >= 15
    registers = _words(c.register for c in cs)
    for reg in (
        "formal",
        "casual",
        "rude",
        "rushed",
        "tired",
        "javanese",
        "sundanese",
        "betawi",
        "batak",
        "minang",
        "balinese",
        "whisper",
    ):
        assert reg in registers, reg
    text = " ".join(t.text for c in cs for t in c.turns).lower()
    for phrase in ("sugeng", "matur nuwun", "nyuwun pangapunten", "wilujeng", "hatur nuhun", "hapunten"):
        assert phrase in text, phrase
    assert {"aye", "kaga", "horas", "uda", "bli"} <= _words(t.text for c in cs for t in c.turns)
    en = calls["en"]
    assert len({c.sector for c in en}) >= 10
    en_registers = _words(c.register for c in en)
    for reg in ("us", "uk", "indian", "singapore", "australian", "nigerian", "filipino"):
        assert reg in en_registers, reg
