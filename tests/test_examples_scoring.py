"""The bundled examples, scored end to end (real model, speakers, timeline, prosody, default rubric), show
what each was made to show (examples/truth.json)."""

from __future__ import annotations

import json

import pytest

from callscore.pipeline import score_path
from callscore.scorecard import FAIL, PASS

# The item each example exists to demonstrate, and its expected outcome.
HEADLINES = {
    "good_call": {"apology_on_complaint": PASS, "satisfaction_check": PASS, "closing_thanks": PASS},
    "no_apology": {"apology_on_complaint": FAIL, "empathy": FAIL},
    "tidak_tahu": {"no_saya_tidak_tahu": FAIL},
    "interruption": {"no_interruptions": FAIL},
    "dead_air": {"no_dead_air": FAIL, "hold_etiquette": PASS},
    "rude": {"no_blaming_language": FAIL},
}
MIN_AGREEMENT = 0.9  # of every expected outcome in truth.json (Whisper base mishears a few key words)


@pytest.fixture(scope="module")
def truth(examples_dir):
    return json.loads((examples_dir / "truth.json").read_text(encoding="utf-8"))["examples"]


@pytest.fixture(scope="module")
def cards(examples_dir, truth):
    return {name: score_path(examples_dir / ex["file"]).scorecard for name, ex in truth.items()}


@pytest.mark.model
@pytest.mark.slow
def test_each_example_shows_what_it_was_made_to_show(cards):
    for name, expected in HEADLINES.items():
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
