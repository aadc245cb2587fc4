"""benchmarks/data/rubric_v2: the independent rubric benchmark's schema, split balance and label coverage,
and the loader's refusal of malformed files. Nothing here scores accuracy: the figures are the benchmark's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import scripted

from callscore.errors import CallscoreError
from callscore.rubric.schema import load_rubric

MIN_CALLS = {"id": 96, "en": 36}
MIN_EACH = 5  # pass and fail labels per item per language
ID_SECTORS = {
    "bank",
    "telco",
    "e-commerce",
    "airline",
    "PLN",
    "BPJS",
    "insurance",
    "delivery",
    "ISP",
    "hospital",
    "government",
}
REGISTERS = ("formal", "casual", "rushed", "rude", "regional")


@pytest.fixture(scope="module")
def bench(rubric_v2_bench):
    return rubric_v2_bench


@pytest.fixture(scope="module")
def calls(bench):
    return {lang: bench.load_calls(path=bench.FILES[lang], language=lang) for lang in ("id", "en")}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_schema(bench, calls, lang):
    cs = calls[lang]
    assert len(cs) >= MIN_CALLS[lang]
    assert all(c.id.startswith(f"{lang}-") for c in cs)
    rubric_items = {i.id for i in load_rubric(bench.RUBRICS[lang]).items}
    assert set(bench.LABELLED_ITEMS) <= rubric_items
    for c in cs:
        assert [i for i, _ in c.verdicts] == list(bench.LABELLED_ITEMS), c.id
        assert {v for _, v in c.verdicts} <= set(bench.VERDICTS), c.id
        assert {i for i, _ in c.why} <= set(bench.LABELLED_ITEMS), c.id
        assert c.shows and c.sector and c.register, c.id
        roles = {t.role for t in c.turns}
        assert roles == {"agent", "customer"}, c.id
        assert all(t.end > t.start >= 0 for t in c.turns), c.id
        assert all(b.start >= a.end for a, b in zip(c.turns, c.turns[1:], strict=False)), c.id
        t = bench.transcript_of(c)
        assert len(t.segments) == len(c.turns), c.id


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_item_has_enough_pass_and_fail(bench, calls, lang):
    for item, n in bench.label_counts(calls[lang]).items():
        assert n["pass"] >= MIN_EACH and n["fail"] >= MIN_EACH, (lang, item, dict(n))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_split_balance(bench, calls, lang):
    cs = calls[lang]
    by_split = Counter(c.split for c in cs)
    assert set(by_split) == {"dev", "test"}
    assert abs(by_split["dev"] - by_split["test"]) <= 1
    per_sector = Counter((c.sector, c.split) for c in cs)
    for sector in {c.sector for c in cs}:
        assert abs(per_sector[(sector, "dev")] - per_sector[(sector, "test")]) <= 1, sector
    for item in bench.LABELLED_ITEMS:
        for verdict in ("fail", "na"):
            dev = sum(1 for c in cs if c.split == "dev" and c.verdict(item) == verdict)
            test = sum(1 for c in cs if c.split == "test" and c.verdict(item) == verdict)
            if dev + test >= MIN_EACH:
                # Each half can measure the item: at least two of the outcome, and neither half under 30 %.
                assert min(dev, test) >= 2 and min(dev, test) >= 0.3 * (dev + test), (
                    item,
                    verdict,
                    dev,
                    test,
                )


def test_indonesian_coverage(calls):
    cs = calls["id"]
    assert {c.sector for c in cs} == ID_SECTORS
    for reg in REGISTERS:
        assert sum(1 for c in cs if reg in c.register) >= 4, reg
    regional = " ".join(t.text for c in cs if "regional" in c.register for t in c.turns).lower()
    for word in ("sugeng", "matur nuwun", "hatur nuhun", "teh", "wilujeng", "aye"):
        assert word in regional, word


def test_hard_negatives_are_labelled_as_such(calls):
    """A few near misses the set exists to catch, pinned so that an edit cannot quietly relabel them."""
    by_id = {c.id: c for lang in calls for c in calls[lang]}
    assert by_id["id-ecom-03"].verdict("solution_next_step") == "fail"  # "tidak ada solusinya"
    assert by_id["id-telco-06"].verdict("satisfaction_check") == "fail"  # "telepon lagi aja"
    assert by_id["id-telco-06"].verdict("apology_on_complaint") == "na"  # a neighbour's "mati lampu"
    assert by_id["id-bank-08"].verdict("polite_address") == "fail"  # "nama ibu kandung"
    assert by_id["id-ecom-04"].verdict("no_blaming_language") == "pass"  # "bukan salah kakak"
    assert by_id["id-telco-10"].verdict("greeting") == "fail"  # "selamat ya Pak" congratulates
    assert by_id["en-ecom-03"].verdict("solution_next_step") == "fail"


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "calls.yaml"
    p.write_text(body, encoding="utf-8")
    return p


GOOD_CALL = """calls:
  - id: id-x-01
    split: dev
    sector: bank
    register: formal
    turns:
      - a: selamat pagi ada yang bisa saya bantu Pak
      - c: saya mau tanya saldo
"""


def test_loader_accepts_a_minimal_call_and_resolves_pass(bench, tmp_path):
    (c,) = bench.load_calls(path=_write(tmp_path, GOOD_CALL + "    fail: [greeting]\n"), language="id")
    assert c.verdict("greeting") == "fail" and c.verdict("offer_help") == "pass"
    assert c.turns[0].start == scripted.FIRST_START
    assert c.turns[1].start == pytest.approx(c.turns[0].end + scripted.DEFAULT_GAP)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    fail: [greting]\n", "unknown items"),
        ("    fail: [greeting]\n    na: [greeting]\n", "listed twice"),
        ("    fail: [greeting]\n    fail: [offer_help]\n", "given twice"),
        ("    verdict: pass\n", "unknown keys"),
    ],
)
def test_loader_rejects_bad_labels(bench, tmp_path, extra, message):
    with pytest.raises(CallscoreError, match=message):
        bench.load_calls(path=_write(tmp_path, GOOD_CALL + extra), language="id")


def test_loader_rejects_bad_split_and_times(bench, tmp_path):
    with pytest.raises(CallscoreError, match="split must be"):
        bench.load_calls(
            path=_write(tmp_path, GOOD_CALL.replace("split: dev", "split: holdout")), language="id"
        )
    late = GOOD_CALL.replace(
        "      - c: saya mau tanya saldo\n", "      - c: saya mau tanya saldo\n        t: 1\n"
    )
    with pytest.raises(CallscoreError, match="starts before"):
        bench.load_calls(path=_write(tmp_path, late), language="id")


def test_one_call_scores_every_labelled_item(bench, calls):
    """The loader's transcripts are what the engine scores: every labelled item comes back with a status."""
    from callscore.scorecard import score_transcript

    for lang in ("id", "en"):
        c = calls[lang][0]
        card = score_transcript(bench.transcript_of(c), rubric=bench.RUBRICS[lang], call_id=c.id)
        for item in bench.LABELLED_ITEMS:
            res = card.item(item)
            assert res is not None and res.status in {"pass", "fail", "not_applicable"}, (lang, item)


def test_targets_name_every_miss(bench):
    from callscore.eval.rubric_eval import EvalReport, ItemMetrics

    good = ItemMetrics("greeting", 10, 5, 0, 0, 10, 1.0, 1.0, 1.0)
    weak = ItemMetrics("empathy", 10, 2, 2, 2, 6, 0.5, 0.5, 0.5)
    blame = ItemMetrics("no_blaming_language", 10, 9, 0, 1, 9, 1.0, 0.9, 0.95)
    report = EvalReport("r", "1", 10, 30, (good, weak, blame), 0.82, 0.83, ())
    text = bench.format_targets(report)
    assert "macro-F1 >= 0.90: 0.82 MISSED" in text
    assert "MISSED by empathy 0.50" in text and "greeting" not in text
    assert "no_blaming_language failure recall >= 0.95: 0.90 (9 of 10) MISSED" in text
    ok = EvalReport("r", "1", 10, 10, (good,), 1.0, 1.0, ())
    assert "MISSED" not in bench.format_targets(ok)
