"""English wording classes of the default rubric, probed with sentences of our own.

Each list is one class of wording (named in its comment) that the English rubric's examples were written for;
the probes here were written separately from those examples, in other words, so they test the class rather
than the listed sentences. Each probe is a tiny call scored with the shipped rubric.
"""

from __future__ import annotations

import pytest
from scripted import ScriptedTurn, transcript_from_turns

from callscore.rubric.apply import apply_rubric
from callscore.rubric.schema import load_rubric

EN = load_rubric("en-contact-centre")
REPORT = ("customer", "my parcel still hasn't arrived after a week")


def run(turns, item):
    t, out = 0.3, []
    for role, text in turns:
        dur = 0.38 * len(text.split())
        out.append(ScriptedTurn(role, t, t + dur, text))
        t += dur + 0.6
    call = transcript_from_turns(out, call_id="p", language="en")
    return {i.id: i for i in apply_rubric(call, rubric=EN, sentiment=False).items}[item]


def opened(text):
    """Whether the customer's sentence opens the complaint items."""
    r = run([("agent", "hello"), ("customer", text), ("agent", "okay")], "apology_on_complaint")
    return r.status != "not_applicable"


# problem reports without a fault word: a service absent, a contact that never came, a promise broken,
# a thing vanished, a system refusing the customer, a complaint asked as a question
REPORTS = [
    "we've got no hot water at all since the weekend",
    "there's no electricity in the whole flat",
    "nobody has rung me about the repair",
    "no one has come out to look at it",
    "the man on the phone told me it would be free",
    "you promised me a refund last month",
    "all my saved photos have vanished from the app",
    "the discount has disappeared from my basket",
    "the site keeps saying my voucher is invalid",
    "it won't accept my card number",
    "so how am i supposed to get to work now",
    "the heating's been off since tuesday",
    "my account has been suspended for no reason",
]
# the same words used for the customer's own plans and duties
NOT_REPORTS = [
    "i was supposed to send you a form, was it this one",
    "i'd like to book a table for four",
    "no rush, whenever suits you",
]


@pytest.mark.parametrize("text", REPORTS)
def test_problem_reports_in_other_words_open_the_complaint_items(text):
    assert opened(text), text


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_plans_and_requests_do_not_open_the_complaint_items(text):
    assert not opened(text), text


# a cause told as what happened: a slip, an event, a step that never happened, a rule behind the outcome
CAUSES = [
    "the courier left it at the wrong house",
    "it was sent to the old address by mistake",
    "a water main burst on your road last night",
    "our payment system crashed on friday",
    "your direct debit never reached us, so the account fell behind",
    "turns out the warehouse packed someone else's order",
    "that offer is only valid on annual plans",
    "the engineer was called away to an emergency",
    "the exchange is being upgraded this week",
]
# no cause: a guess, a hypothetical, the problem said back
NOT_CAUSES = [
    "there might be a delay somewhere, hard to say",
    "if you went over your allowance that would explain it",
    "so the parcel hasn't reached you yet",
]


@pytest.mark.parametrize("text", CAUSES)
def test_causes_told_as_what_happened(text):
    assert run([REPORT, ("agent", text)], "explain_cause").status == "pass", text


@pytest.mark.parametrize("text", NOT_CAUSES)
def test_guesses_and_restatements_are_no_cause(text):
    assert run([REPORT, ("agent", text)], "explain_cause").status == "fail", text


def test_a_complaint_without_a_fault_opens_explain_cause():
    turns = [("customer", "why has my premium gone up by forty pounds"), ("agent", "let me look")]
    assert run(turns, "explain_cause").status == "fail"
