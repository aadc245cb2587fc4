"""The independently written rubric sets v3 to v11: schema and label coverage, read with the v2 loader.

Nothing here scores a set. Each set's README promises what it holds; ``SPECS`` is that promise, one row per
set, and every test runs on every row: the files parse, every call is in one of the set's halves (and a split
set's halves are of equal size), labels name real rubric items, every item is measurable in each half (passes,
fails and, for the conditional items, "not applicable"), critical failures are many, explained and varied, ids
are new and no long turn is copied from an earlier set. v3, v4 and v5 were each scored blind once and tuned on
since; v6 has a dev half (tuned on) and a test half (scored once, 2026-12-03); v7, all one split, was scored
once on 2026-12-03 and is a dev set since; v8, v9 and v10, all test, were each scored once on 2026-12-04
and are dev sets since; v11, all test, was scored once on 2026-12-05 (its mismatches withheld). The checks
that belong to one set alone (its timed hard cases, pinned labels and registers) stay in
``test_rubric_v3_data.py`` to ``_v5_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import yaml

from callscore.rubric.schema import load_rubric

CONDITIONAL = ("apology_on_complaint", "empathy", "ownership", "explain_cause", "specific_follow_up")
CRITICAL = ("no_blaming_language", "no_saya_tidak_tahu")
COPY_MIN_WORDS = 12  # a shared turn this long is not a stock phrase


@dataclass(frozen=True)
class SetSpec:
    """What one set's README promises, per half."""

    halves: tuple[str, ...]
    min_calls: dict[str, int]  # per half and language
    min_each: int  # pass and fail labels per item per half
    min_na: int  # "na" labels per conditional item per half
    min_critical_fails: dict[str, int]  # per half and language
    earlier: tuple[str, ...]  # sets it must share no id and no long turn with
    turns: tuple[int, int] = (8, 24)  # turns per call, as the writers were briefed
    sector: str = "[a-z]+"  # the sector part of a call id


SPECS = {
    "v3": SetSpec(("test",), {"id": 60, "en": 30}, 3, 3, {"id": 0, "en": 0}, ("v2",), (7, 17)),
    "v4": SetSpec(
        ("test",), {"id": 64, "en": 32}, 4, 4, {"id": 8, "en": 5}, ("v2", "v3"), (8, 20), "[a-z-]+"
    ),
    "v5": SetSpec(("test",), {"id": 64, "en": 32}, 4, 4, {"id": 8, "en": 5}, ("v2", "v3", "v4"), (10, 22)),
    "v6": SetSpec(("dev", "test"), {"id": 40, "en": 20}, 2, 2, {"id": 6, "en": 3}, ("v2", "v3", "v4", "v5")),
    "v7": SetSpec(("dev",), {"id": 70, "en": 36}, 4, 4, {"id": 12, "en": 6}, ("v2", "v3", "v4", "v5", "v6")),
    "v8": SetSpec(
        ("test",),
        {"id": 80, "en": 40},
        4,
        4,
        {"id": 16, "en": 7},
        ("v2", "v3", "v4", "v5", "v6", "v7"),
        (6, 30),
    ),
    "v9": SetSpec(
        ("test",),
        {"id": 80, "en": 40},
        3,
        3,
        {"id": 16, "en": 7},
        ("v2", "v3", "v4", "v5", "v6", "v7", "v8"),
        (6, 30),
    ),
    "v10": SetSpec(
        ("test",),
        {"id": 80, "en": 40},
        3,
        3,
        {"id": 16, "en": 7},
        ("v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"),
        (6, 30),
    ),
    "v11": SetSpec(
        ("test",),
        {"id": 56, "en": 28},
        3,
        3,
        {"id": 16, "en": 7},
        ("v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"),
        (6, 30),
    ),
}
LANGS = ("id", "en")
HALVES = [(name, half) for name, spec in SPECS.items() for half in spec.halves]


@pytest.fixture(scope="module")
def bench(rubric_v2_bench):
    return rubric_v2_bench


@pytest.fixture(scope="module")
def calls(bench):
    return {
        name: {lang: bench.load_calls(path=path, language=lang) for lang, path in bench.SETS[name].items()}
        for name in SPECS
    }


@pytest.fixture(scope="module")
def all_calls(bench):
    """Every call of every set, by set name, read only to prove that no set copies an earlier one."""
    names = {n for spec in SPECS.values() for n in spec.earlier}
    return {
        n: [c for lang in LANGS for c in bench.load_calls(path=bench.SETS[n][lang], language=lang)]
        for n in names
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SPECS)
def test_files_parse_and_fill_their_halves(bench, calls, name, lang):
    spec, cs = SPECS[name], calls[name][lang]
    assert {c.split for c in cs} == set(spec.halves)
    sizes = {h: sum(c.split == h for c in cs) for h in spec.halves}
    assert min(sizes.values()) >= spec.min_calls[lang], sizes
    assert max(sizes.values()) - min(sizes.values()) <= 2, sizes
    for c in cs:
        assert re.fullmatch(rf"{lang}-{name}-{spec.sector}-\d\d", c.id), c.id
        assert c.shows and c.sector and c.register, c.id
        assert {t.role for t in c.turns} == {"agent", "customer"}, c.id
        assert spec.turns[0] <= len(c.turns) <= spec.turns[1], (c.id, len(c.turns))
        assert all(b.start >= a.end for a, b in zip(c.turns, c.turns[1:], strict=False)), c.id
        assert len(bench.transcript_of(c).segments) == len(c.turns), c.id


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SPECS)
def test_every_label_names_a_real_item_of_the_rubric(bench, calls, name, lang):
    rubric_items = {i.id for i in load_rubric(bench.RUBRICS[lang]).items}
    assert set(bench.LABELLED_ITEMS) <= rubric_items
    for c in calls[name][lang]:
        assert [i for i, _ in c.verdicts] == list(bench.LABELLED_ITEMS), c.id
        assert {v for _, v in c.verdicts} <= set(bench.VERDICTS), c.id
        assert {i for i, _ in c.why} <= rubric_items, c.id


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "half"), HALVES)
def test_every_item_is_measurable_in_each_half(bench, calls, name, half, lang):
    spec = SPECS[name]
    counts = bench.label_counts([c for c in calls[name][lang] if c.split == half])
    for item, n in counts.items():
        assert n["pass"] >= spec.min_each and n["fail"] >= spec.min_each, (lang, half, item, dict(n))
    for item in CONDITIONAL:
        assert counts[item]["na"] >= spec.min_na, (lang, half, item, dict(counts[item]))
    for item in set(bench.LABELLED_ITEMS) - set(CONDITIONAL):
        assert counts[item]["na"] == 0, (lang, item, "only conditional items can be not applicable")
    for item in CRITICAL:
        assert counts[item]["fail"] >= spec.min_critical_fails[lang], (lang, half, item, dict(counts[item]))


@pytest.mark.parametrize("item", CRITICAL)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", SPECS)
def test_critical_failures_are_explained_and_varied(calls, name, lang, item):
    """Each failing call gives its own reason: the failures are not one sentence said many times."""
    failing = [c for c in calls[name][lang] if c.verdict(item) == "fail"]
    reasons = [dict(c.why).get(item, "") for c in failing]
    assert all(reasons), (lang, item, [c.id for c, r in zip(failing, reasons, strict=True) if not r])
    assert len(set(reasons)) == len(reasons), (lang, item)


@pytest.mark.parametrize("name", SPECS)
def test_ids_are_unique_and_new(calls, all_calls, name):
    ids = [c.id for lang in LANGS for c in calls[name][lang]]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {c.id for n in SPECS[name].earlier for c in all_calls[n]}


@pytest.mark.parametrize("name", SPECS)
def test_turn_texts_are_strings_in_the_file(bench, name):
    """YAML 1.1 reads a bare yes / no as a boolean, and the loader would turn it into "True" / "False"."""
    for lang, path in bench.SETS[name].items():
        for call in yaml.safe_load(path.read_text(encoding="utf-8"))["calls"]:
            for turn in call["turns"]:
                text = turn.get("a", turn.get("c"))
                assert isinstance(text, str), (lang, call["id"], text)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


@pytest.mark.parametrize("name", SPECS)
def test_no_long_turn_is_copied_from_an_earlier_set(calls, all_calls, name):
    """Written blind to the earlier sets' wording: an identical long turn would say otherwise."""
    seen = {_norm(t.text) for n in SPECS[name].earlier for c in all_calls[n] for t in c.turns}
    assert len(seen) > 500  # the earlier sets were read
    copied = [
        (c.id, t.text)
        for lang in LANGS
        for c in calls[name][lang]
        for t in c.turns
        if len(t.text.split()) >= COPY_MIN_WORDS and _norm(t.text) in seen
    ]
    assert not copied
