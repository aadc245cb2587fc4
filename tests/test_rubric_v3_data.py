"""benchmarks/data/rubric_v3: the blind test set's schema and label coverage, read with the v2 loader.

Nothing here scores the set: it is a test split, scored once by the benchmark at the end of a change
(see benchmarks/data/rubric_v3/README.md). These tests only check that the files are what the README says:
parseable, all test split, labels naming real rubric items, every item measurable (passes and fails), and
the timed hard cases laid out so that their labels hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from callscore.rubric.schema import load_rubric

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "rubric_v3"
FILES = {"id": DATA / "calls_id.yaml", "en": DATA / "calls_en.yaml"}
MIN_CALLS = {"id": 60, "en": 30}
MIN_EACH = 3  # pass and fail labels per item per language
# Items that are not applicable without a complaint or a promise: the set must exercise "na" too.
CONDITIONAL = ("apology_on_complaint", "empathy", "ownership", "explain_cause", "specific_follow_up")
TAHU_WINDOW = 15.0  # s: the rubric's window for a promise to find out
CLOSING_WINDOW = 45.0  # s: closing thanks must fall in the call's last 45 s
OFFER_WINDOW = 45.0  # s: the offer of help must start in the first 45 s
COPY_MIN_WORDS = 12  # a shared turn this long is not a stock phrase


@pytest.fixture(scope="module")
def bench(rubric_v2_bench):
    return rubric_v2_bench


@pytest.fixture(scope="module")
def calls(bench):
    return {lang: bench.load_calls(path=FILES[lang], language=lang) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def by_id(calls):
    return {c.id: c for lang in calls for c in calls[lang]}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_files_parse_with_the_v2_loader_and_are_all_test_split(bench, calls, lang):
    cs = calls[lang]
    assert len(cs) >= MIN_CALLS[lang]
    assert {c.split for c in cs} == {"test"}
    for c in cs:
        assert c.id.startswith(f"{lang}-"), c.id
        assert c.shows and c.sector and c.register, c.id
        assert {t.role for t in c.turns} == {"agent", "customer"}, c.id
        assert all(b.start >= a.end for a, b in zip(c.turns, c.turns[1:], strict=False)), c.id
        assert len(bench.transcript_of(c).segments) == len(c.turns), c.id


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_label_names_a_real_item_of_the_rubric(bench, calls, lang):
    rubric_items = {i.id for i in load_rubric(bench.RUBRICS[lang]).items}
    for c in calls[lang]:
        assert {i for i, _ in c.verdicts} <= rubric_items, c.id
        assert [i for i, _ in c.verdicts] == list(bench.LABELLED_ITEMS), c.id
        assert {v for _, v in c.verdicts} <= set(bench.VERDICTS), c.id
        assert {i for i, _ in c.why} <= rubric_items, c.id


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_item_has_passes_and_fails(bench, calls, lang):
    counts = bench.label_counts(calls[lang])
    for item, n in counts.items():
        assert n["pass"] >= MIN_EACH and n["fail"] >= MIN_EACH, (lang, item, dict(n))
    for item in CONDITIONAL:
        assert counts[item]["na"] >= MIN_EACH, (lang, item, dict(counts[item]))
    for item in set(bench.LABELLED_ITEMS) - set(CONDITIONAL):
        assert counts[item]["na"] == 0, (lang, item, "only conditional items can be not applicable")


def test_ids_are_unique_and_new(bench, calls):
    ids = [c.id for lang in calls for c in calls[lang]]
    assert len(ids) == len(set(ids))
    v2 = {c.id for lang in ("id", "en") for c in bench.load_calls(path=bench.FILES[lang], language=lang)}
    assert not set(ids) & v2, "a v3 id reuses a v2 id: the sets would be confused in reports"


def test_turn_texts_are_strings_in_the_file():
    """YAML 1.1 reads a bare yes / no as a boolean, and the loader would turn it into "True" / "False"."""
    for lang, path in FILES.items():
        for call in yaml.safe_load(path.read_text(encoding="utf-8"))["calls"]:
            for turn in call["turns"]:
                text = turn.get("a", turn.get("c"))
                assert isinstance(text, str), (lang, call["id"], text)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_no_turn_is_copied_from_the_v2_set(bench, calls):
    """The set was written blind to v2's wording; an identical long turn would say otherwise (short
    formulas such as "ada lagi yang bisa saya bantu Pak" recur in any two sets and are not counted)."""
    v2 = {
        _norm(t.text)
        for lang in ("id", "en")
        for c in bench.load_calls(path=bench.FILES[lang], language=lang)
        for t in c.turns
    }
    copied = [
        (c.id, t.text)
        for lang in calls
        for c in calls[lang]
        for t in c.turns
        if len(t.text.split()) >= COPY_MIN_WORDS and _norm(t.text) in v2
    ]
    assert not copied


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
