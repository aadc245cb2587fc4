"""The bundled examples, scored end to end (real model, speakers, timeline, prosody, default rubric), show
what each was made to show (examples/truth.json)."""

from __future__ import annotations

import json

import pytest

from callscore.pipeline import score_path
from callscore.scorecard import FAIL, PASS

MIN_AGREEMENT = 0.9  # of every expected outcome in truth.json (Whisper base mishears a few key words)
# The examples are what every demonstration and the CI gate rest on: a headline that drifts must fail here.
EXPECTED_HEADLINES = {
    "good_call": {"apology_on_complaint": PASS, "satisfaction_check": PASS, "closing_thanks": PASS},
    "no_apology": {"apology_on_complaint": FAIL, "empathy": FAIL},
    "tidak_tahu": {"no_saya_tidak_tahu": FAIL},
    "interruption": {"no_interruptions": FAIL},
    "dead_air": {"no_dead_air": FAIL, "hold_etiquette": PASS},
    "rude": {"no_blaming_language": FAIL},
}


@pytest.fixture(scope="module")
def truth_file(examples_dir):
    return json.loads((examples_dir / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth(truth_file):
    return truth_file["examples"]


def headlines(truth_file) -> dict[str, dict[str, str]]:
    """Per example: its headline items and every critical item it lists, with the expected outcome."""
    out = {}
    for name, ex in truth_file["examples"].items():
        ids = [*ex["headline"], *(i for i in truth_file["critical_items"] if i in ex["expected"])]
        out[name] = {i: ex["expected"][i] for i in dict.fromkeys(ids)}
    return out


def test_truth_names_each_examples_headline(truth_file):
    got = {
        n: {i: truth_file["examples"][n]["expected"][i] for i in ex["headline"]}
        for n, ex in truth_file["examples"].items()
    }
    assert got == EXPECTED_HEADLINES
    assert set(truth_file["critical_items"]) == {"no_saya_tidak_tahu", "no_blaming_language"}


@pytest.fixture(scope="module")
def cards(examples_dir, truth):
    return {name: score_path(examples_dir / ex["file"]).scorecard for name, ex in truth.items()}


@pytest.mark.model
@pytest.mark.slow
def test_each_example_shows_what_it_was_made_to_show(cards, truth_file):
    for name, expected in headlines(truth_file).items():
        by = {i.id: i for i in cards[name].items}
        for item_id, want in expected.items():
            assert by[item_id].status == want, (name, item_id, by[item_id].reason)


@pytest.mark.model
@pytest.mark.slow
def test_scores_order_the_calls_and_the_gate_separates_good_from_bad(cards):
    good = cards["good_call"]
    assert good.total >= 75 and not good.critical_failed
    for name in ("no_apology", "tidak_tahu", "interruption", "dead_air", "rude"):
        assert cards[name].total < good.total - 20, name
    assert cards["tidak_tahu"].critical_failed and cards["rude"].critical_failed
    assert cards["interruption"].metrics["agent_interruptions"] == 2
    assert cards["dead_air"].metrics["dead_air_s"] == pytest.approx(12.0, abs=0.5)


@pytest.mark.model
@pytest.mark.slow
def test_agreement_with_every_expected_outcome(cards, truth):
    agree = total = 0
    for name, ex in truth.items():
        by = {i.id: i.status for i in cards[name].items}
        for item_id, want in ex["expected"].items():
            total += 1
            agree += by.get(item_id) == want
    assert agree / total >= MIN_AGREEMENT, f"{agree}/{total}"
