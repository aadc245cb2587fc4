"""Rubric loading: safe YAML, schema validation with FILE:LINE messages, built-ins, deprecation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rubric_contract import DEFAULT_ITEM_IDS

from callscore.errors import CallscoreError, RubricError
from callscore.rubric.schema import RubricDeprecationWarning, builtin_rubrics, load_rubric, parse_rubric

GOOD = """\
id: tiny
name: Tiny
version: "0.1"
language: id
triggers:
  complaint:
    role: customer
    phrases: [saya kecewa]
items:
  - id: greeting
    title: Greeting
    description: says hello
    kind: phrase_present
    weight: 1
    role: agent
    window: {first: 20}
    phrases: [selamat pagi]
  - id: apology
    title: Apology
    description: sorry after complaint
    kind: conditional
    weight: 2
    when: complaint
    role: agent
    phrases: [mohon maaf]
"""


def _write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(RubricError) as e:
        load_rubric(_write(tmp_path, text))
    msg = str(e.value)
    assert "\n" not in msg
    assert isinstance(e.value, CallscoreError)
    return msg


def test_good_rubric_loads(tmp_path: Path) -> None:
    r = load_rubric(_write(tmp_path, GOOD))
    assert (r.id, r.name, r.version, r.language) == ("tiny", "Tiny", "0.1", "id")
    assert [i.id for i in r.items] == ["greeting", "apology"]
    assert r.item("apology").params["when"] == ("complaint",)
    assert r.item("greeting").params["window"] == {"first": 20.0}
    assert r.item("greeting").line == 10
    assert r.triggers["complaint"].role == "customer"


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("    weight: 2\n", "    weight: [2\n"))
    assert re.match(r".*r\.yaml:\d+: invalid YAML", msg)


def test_unknown_kind_names_line(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("kind: conditional", "kind: vibes"))
    assert "r.yaml:21:" in msg and "'vibes' is not one of" in msg


def test_missing_weight_names_item_and_line(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("    weight: 1\n", ""))
    assert "r.yaml:10:" in msg and "item 'greeting'" in msg and "'weight'" in msg


def test_unknown_field_and_wrong_types(tmp_path: Path) -> None:
    assert "unknown field 'phrasez'" in _error(
        tmp_path, GOOD.replace("phrases: [selamat", "phrasez: [selamat")
    )
    assert "r.yaml:14: " in _error(tmp_path, GOOD.replace("weight: 1", "weight: heavy"))
    assert "must not be negative" in _error(tmp_path, GOOD.replace("weight: 1", "weight: -1"))
    assert "agent, customer" in _error(
        tmp_path, GOOD.replace("role: agent\n    window", "role: boss\n    window")
    )


def test_reference_to_unknown_trigger(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("when: complaint", "when: failure"))
    assert "unknown trigger 'failure'" in msg and "r.yaml:23:" in msg


def test_duplicate_item_id(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("  - id: apology", "  - id: greeting"))
    assert "duplicate item id 'greeting'" in msg and "first on line 10" in msg


def test_python_object_tag_is_refused(tmp_path: Path) -> None:
    evil = GOOD.replace("name: Tiny", "name: !!python/object/apply:os.system ['echo pwned > /tmp/x']")
    msg = _error(tmp_path, evil)
    assert "r.yaml:2:" in msg and "not allowed" in msg
    msg = _error(tmp_path, GOOD + "extra: !!python/name:os.system\n")
    assert "not allowed" in msg


def test_timing_and_prosody_requirements(tmp_path: Path) -> None:
    timing = GOOD + (
        "  - id: ratio\n    title: R\n    description: d\n    kind: timing\n"
        "    weight: 1\n    measure: talk_ratio\n"
    )
    assert "needs range" in _error(tmp_path, timing)
    bad_range = timing + "    range: [0.9, 0.1]\n"
    assert "above high" in _error(tmp_path, bad_range)
    prosody = GOOD + (
        "  - id: calm\n    title: C\n    description: d\n    kind: prosody\n    weight: 1\n"
        "    feature: calm\n    min_score: 300\n"
    )
    assert "min_score must be in 0..100" in _error(tmp_path, prosody)


def test_window_needs_exactly_one_anchor(tmp_path: Path) -> None:
    msg = _error(tmp_path, GOOD.replace("window: {first: 20}", "window: {first: 20, last: 10}"))
    assert "exactly one of first, last or after" in msg


def test_deprecated_rubric_warns_with_successor(tmp_path: Path) -> None:
    old = GOOD.replace('version: "0.1"', 'version: "0.1"\ndeprecated: true\nsuccessor: id-contact-centre')
    with pytest.warns(RubricDeprecationWarning, match="deprecated; use id-contact-centre"):
        r = load_rubric(_write(tmp_path, old))
    assert r.deprecated and r.successor == "id-contact-centre"
    assert "must name its successor" in _error(
        tmp_path, GOOD.replace('version: "0.1"', 'version: "0.1"\ndeprecated: true')
    )


def test_missing_file_and_unknown_name() -> None:
    with pytest.raises(RubricError, match="not found"):
        load_rubric("no/such/file.yaml")
    with pytest.raises(RubricError, match="built-in: .*id-contact-centre"):
        load_rubric("no-such-rubric")


@pytest.mark.parametrize("name", ["id-contact-centre", "en-contact-centre"])
def test_builtin_rubrics_have_the_fixed_item_ids(name: str) -> None:
    assert name in builtin_rubrics()
    r = load_rubric(name)
    assert [i.id for i in r.items] == list(DEFAULT_ITEM_IDS)
    assert {i.id for i in r.items if i.critical} == {"no_blaming_language", "no_saya_tidak_tahu"}
    assert all(i.description and i.weight > 0 for i in r.items)


def test_builtin_descriptions_cite_a_seed_idea() -> None:
    r = load_rubric("id-contact-centre")
    for item in r.items:
        assert re.search(r"\[(ASAP|RECOVERY|PRIMA|TAHU|TENANG|KEBERATAN)\]", item.description), item.id


def test_parse_rubric_from_text() -> None:
    r = parse_rubric(GOOD, source="inline")
    assert r.source == "inline" and len(r.items) == 2
    with pytest.raises(RubricError, match=r"^inline:1: the rubric file is empty"):
        parse_rubric("", source="inline")
