"""benchmarks/data/rubric_v7: the held-out set's schema and label coverage, read with the v2 loader.

Nothing here scores the set (see benchmarks/data/rubric_v7/README.md: every call is test, scored once by the
benchmark at the end of the next change). These tests check that the files are what the README says:
parseable, all test split, labels naming real rubric items, every item measurable (passes, fails and, for
the conditional items, "not applicable"), enough varied critical failures, and no long turn copied from the
earlier sets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from callscore.rubric.schema import load_rubric

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "rubric_v7"
FILES = {"id": DATA / "calls_id.yaml", "en": DATA / "calls_en.yaml"}
HALVES = ("test",)
MIN_CALLS_PER_HALF = {"id": 70, "en": 36}
MIN_EACH = 4  # pass and fail labels per item
MIN_NA = 4  # "na" labels per conditional item
CONDITIONAL = ("apology_on_complaint", "empathy", "ownership", "explain_cause", "specific_follow_up")
CRITICAL = ("no_blaming_language", "no_saya_tidak_tahu")
MIN_CRITICAL_FAILS = {"id": 12, "en": 6}
TURNS = (8, 24)
COPY_MIN_WORDS = 12  # a shared turn this long is not a stock phrase
EARLIER_SETS = ("v2", "v3", "v4", "v5", "v6")


@pytest.fixture(scope="module")
def bench(rubric_v2_bench):
    return rubric_v2_bench


@pytest.fixture(scope="module")
def calls(bench):
    return {lang: bench.load_calls(path=FILES[lang], language=lang) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def earlier(bench):
    """The earlier sets' calls, read only to prove that v7 shares no ids and no long turns with them."""
    return [
        c
        for name in EARLIER_SETS
        for lang in ("id", "en")
        for c in bench.load_calls(path=bench.SETS[name][lang], language=lang)
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_files_parse_and_are_all_test_split(bench, calls, lang):
    cs = calls[lang]
    assert {c.split for c in cs} == set(HALVES)
    assert len(cs) >= MIN_CALLS_PER_HALF[lang]
    for c in cs:
        assert re.fullmatch(rf"{lang}-v7-[a-z]+-\d\d", c.id), c.id
        assert c.shows and c.sector and c.register, c.id
        assert {t.role for t in c.turns} == {"agent", "customer"}, c.id
        assert TURNS[0] <= len(c.turns) <= TURNS[1], (c.id, len(c.turns))
        assert all(b.start >= a.end for a, b in zip(c.turns, c.turns[1:], strict=False)), c.id
        assert len(bench.transcript_of(c).segments) == len(c.turns), c.id


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_label_names_a_real_item_of_the_rubric(bench, calls, lang):
    rubric_items = {i.id for i in load_rubric(bench.RUBRICS[lang]).items}
    for c in calls[lang]:
        assert [i for i, _ in c.verdicts] == list(bench.LABELLED_ITEMS), c.id
        assert {v for _, v in c.verdicts} <= set(bench.VERDICTS), c.id
        assert {i for i, _ in c.why} <= rubric_items, c.id


@pytest.mark.parametrize("half", HALVES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_item_is_measurable_in_each_half(bench, calls, lang, half):
    counts = bench.label_counts([c for c in calls[lang] if c.split == half])
    for item, n in counts.items():
        assert n["pass"] >= MIN_EACH and n["fail"] >= MIN_EACH, (lang, half, item, dict(n))
    for item in CONDITIONAL:
        assert counts[item]["na"] >= MIN_NA, (lang, half, item, dict(counts[item]))
    for item in set(bench.LABELLED_ITEMS) - set(CONDITIONAL):
        assert counts[item]["na"] == 0, (lang, item, "only conditional items can be not applicable")
    for item in CRITICAL:
        assert counts[item]["fail"] >= MIN_CRITICAL_FAILS[lang], (lang, half, item, dict(counts[item]))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("item", CRITICAL)
def test_critical_failures_are_explained_and_varied(calls, lang, item):
    """Each failing call gives its own reason: the failures are not one sentence said many times."""
    failing = [c for c in calls[lang] if c.verdict(item) == "fail"]
    reasons = [dict(c.why).get(item, "") for c in failing]
    assert all(reasons), (lang, item, [c.id for c, r in zip(failing, reasons, strict=True) if not r])
    assert len(set(reasons)) == len(reasons), (lang, item)


def test_ids_are_unique_and_new(calls, earlier):
    ids = [c.id for lang in calls for c in calls[lang]]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {c.id for c in earlier}


def test_turn_texts_are_strings_in_the_file():
    """YAML 1.1 reads a bare yes / no as a boolean, and the loader would turn it into "True" / "False"."""
    for lang, path in FILES.items():
        for call in yaml.safe_load(path.read_text(encoding="utf-8"))["calls"]:
            for turn in call["turns"]:
                text = turn.get("a", turn.get("c"))
                assert isinstance(text, str), (lang, call["id"], text)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_no_long_turn_is_copied_from_an_earlier_set(calls, earlier):
    """Written blind to the earlier sets' wording: an identical long turn would say otherwise."""
    seen = {_norm(t.text) for c in earlier for t in c.turns}
    copied = [
        (c.id, t.text)
        for lang in calls
        for c in calls[lang]
        for t in c.turns
        if len(t.text.split()) >= COPY_MIN_WORDS and _norm(t.text) in seen
    ]
    assert not copied
