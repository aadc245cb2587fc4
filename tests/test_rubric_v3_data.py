"""benchmarks/data/rubric_v3: what belongs to this set alone, read with the v2 loader.

Nothing here scores the set (see benchmarks/data/rubric_v3/README.md). The checks every set shares (schema,
label coverage, new ids, no copied turns) are in test_rubric_sets_data.py; these pin the timed hard cases
laid out so that their labels hold, the near misses the set was written to test, and its registers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "rubric_v3"
FILES = {"id": DATA / "calls_id.yaml", "en": DATA / "calls_en.yaml"}
TAHU_WINDOW = 15.0  # s: the rubric's window for a promise to find out
CLOSING_WINDOW = 45.0  # s: closing thanks must fall in the call's last 45 s
OFFER_WINDOW = 45.0  # s: the offer of help must start in the first 45 s


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
        ("id-v3-isp-02", "saya tidak tahu Pak", "laporan gangguan"),
        ("en-v3-bank-06", "I don't know, sir", "payment trace"),
    ],
)
def test_late_promise_to_find_out_is_past_the_window(by_id, call_id, said, promise):
    """These fail no_saya_tidak_tahu only because the promise comes late: the times must say so."""
    c = by_id[call_id]
    assert c.verdict("no_saya_tidak_tahu") == "fail"
    assert _turn(c, promise).start - _turn(c, said).end > TAHU_WINDOW + 2.0


@pytest.mark.parametrize(
    ("call_id", "opening"),
    [("id-v3-bank-08", "terima kasih telah menghubungi"), ("en-v3-water-02", "thank you for calling")],
)
def test_thanks_only_at_the_opening_is_outside_the_closing_window(by_id, call_id, opening):
    c = by_id[call_id]
    assert c.verdict("closing_thanks") == "fail"
    assert c.turns[-1].end - _turn(c, opening).end > CLOSING_WINDOW + 5.0


def test_late_offer_of_help_starts_after_the_window(by_id):
    c = by_id["id-v3-telco-06"]
    assert c.verdict("offer_help") == "fail"
    assert _turn(c, "ada yang bisa saya bantu").start > OFFER_WINDOW + 2.0


def test_hard_cases_keep_their_labels(by_id):
    """Near misses the set exists to test, pinned so that an edit cannot quietly relabel them."""
    expected = {
        ("id-v3-bank-07", "no_saya_tidak_tahu"): "pass",  # "saya tidak tahu kalau Bapak sudah ..."
        ("id-v3-telco-08", "no_saya_tidak_tahu"): "pass",  # not known, then checked at once
        ("id-v3-bank-06", "no_saya_tidak_tahu"): "fail",  # "kurang tau" left standing
        ("id-v3-ecom-06", "no_blaming_language"): "pass",  # "bukan salah kakak kok"
        ("id-v3-telco-09", "no_blaming_language"): "pass",  # "saya nggak nyalahin bapak", system cause
        ("id-v3-telco-04", "no_blaming_language"): "fail",  # "saya nggak bilang ini salah ibu, tapi ..."
        ("id-v3-bpjs-03", "no_blaming_language"): "fail",  # "bukan wewenang kami ... urusan rumah sakit"
        ("id-v3-insurance-04", "apology_on_complaint"): "fail",  # "maaf kalau kakak ngerasa ..."
        ("id-v3-ecom-02", "apology_on_complaint"): "fail",  # "mohon maaf, boleh disebutkan ..."
        ("id-v3-pln-01", "apology_on_complaint"): "na",  # a neighbour's "mati lampu"
        ("id-v3-pln-07", "greeting"): "fail",  # "selamat ya pak" congratulates
        ("id-v3-pln-06", "solution_next_step"): "fail",  # "ditunggu aja"
        ("id-v3-delivery-01", "satisfaction_check"): "fail",  # "kalau ada apa apa telepon lagi aja"
        ("id-v3-fintech-01", "closing_thanks"): "fail",  # only "sama sama"
        ("en-v3-electricity-03", "no_saya_tidak_tahu"): "pass",  # "I don't know if you've seen our map"
        ("en-v3-bank-02", "apology_on_complaint"): "fail",  # "sorry you feel that way"
        ("en-v3-ecommerce-03", "no_blaming_language"): "pass",  # "this is not your fault at all"
        ("en-v3-bank-05", "no_blaming_language"): "fail",  # "I'm not saying you did anything wrong, but"
        ("en-v3-insurance-01", "positive_language"): "fail",  # "can't promise", "nothing we can do"
        ("en-v3-health-02", "satisfaction_check"): "fail",  # "call us back if anything goes wrong"
        ("en-v3-electricity-01", "apology_on_complaint"): "na",  # a neighbour's power cut
    }
    got = {k: by_id[k[0]].verdict(k[1]) for k in expected}
    assert got == expected


def test_sectors_and_registers_vary(calls):
    cs = calls["id"]
    assert len({c.sector for c in cs}) >= 10
    registers = " ".join(c.register for c in cs)
    for reg in ("formal", "casual", "rude", "rushed", "javanese", "sundanese", "betawi", "whisper"):
        assert reg in registers, reg
    regional = " ".join(t.text for c in cs if "regional" in c.register for t in c.turns).lower()
    for word in ("sugeng", "matur nuwun", "nyuwun pangapunten", "wilujeng", "hatur nuhun", "hapunten"):
        assert word in regional, word
    assert len({c.sector for c in calls["en"]}) >= 8
