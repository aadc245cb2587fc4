"""Probes for the English rubric's v7 tuning (issue 12): the classes of error the v7 set showed.

Every sentence is our own wording (none is in the rubric or a benchmark set); each case failed on
en-contact-centre 1.7.0 before the fix it tests.
"""

from __future__ import annotations

import pytest
from scripted import probe_item

from callscore.rubric.schema import load_rubric

EN = load_rubric("en-contact-centre")
REPORT = ("customer", "my heating has been off for three days and nobody has come out")


def run(turns, item):
    """One item's result on a scripted call (sentiment model off: the lists alone decide)."""
    return probe_item(turns, item, rubric=EN)


def agent_says(item, said, report=REPORT):
    """The item's status after the customer's report and the agent's turns ("|" separates turns)."""
    return run([report] + [("agent", x.strip()) for x in said.split("|")], item).status


# no_blaming_language (critical): the customer's choice thrown back, the brush-off, "just saying"
BLAME_FAILS = [
    "look, you want it on all night, you pay for it",
    "okay then that's your choice. i can't do anything else",
    "i have told you what to do, sir",
    "if you had paid by direct debit like we recommended this charge would never have come",
    "you wouldn't be in this position if you had read the email, just saying",
]
# polite agents in the words of "your fault", "hard", "must have" and "should have"
BLAME_PASSES = [
    "that's our fault, and i'm sorry about it",
    "please don't be hard on yourself, it's really not a big deal",
    "three days cold and you have your gran with you, that must be so hard",
    "you have young kids with you, that must be hard, sir",
    "our system should have flagged the payment before it went out, i'll fix it",
]


@pytest.mark.parametrize("said", BLAME_FAILS)
def test_blame_in_new_words_fails(said):
    assert agent_says("no_blaming_language", said) == "fail"


@pytest.mark.parametrize("said", BLAME_PASSES)
def test_polite_agent_is_no_blame(said):
    assert agent_says("no_blaming_language", said) == "pass"


# no_saya_tidak_tahu (critical): regional negators read as "don't" / "can't"; a diary looked at to
# rebook is not finding out what was asked
DONT_KNOW_FAILS = [
    "i dinnae know why it did that",
    "honestly mi nuh know nothing bout that",
    "not sure why they moved it, let me check the schedule, she has a slot on monday",
]


@pytest.mark.parametrize("said", DONT_KNOW_FAILS)
def test_dont_know_in_regional_words_fails(said):
    assert agent_says("no_saya_tidak_tahu", said) == "fail"


def test_a_schedule_looked_up_to_answer_is_still_finding_out():
    # guard for the near miss above: the rate schedule is checked to answer the question
    said = "the exact rate i don't know offhand, let me check the schedule for you"
    assert agent_says("no_saya_tidak_tahu", said) == "pass"


def opened(text):
    """Whether the customer's sentence opens the complaint items."""
    r = run([("agent", "hello"), ("customer", text), ("agent", "okay")], "apology_on_complaint")
    return r.status != "not_applicable"


# explain_cause: a term that ran out, the app's own behaviour, works that changed the service, a charge
# named as the plan's, a step begun and never finished
CAUSES = [
    "your introductory rate ended in march and you moved on to our standard rate",
    "the booking page jumps to the next month when you swipe, we're fixing it",
    "the mast near you had an upgrade last week and the coverage changed",
    "that's your excess, the insurer only pays after the first 250",
    "your direct debit change was started online but never completed",
]
# no cause: what the system shows now, the report said back
NOT_CAUSES = [
    "the system is showing it as not dispatched yet",
    "the system only shows not collected, that's all i have",
    "so your bill's been estimated again and you want a proper reading",
    "so your gas bill has been estimated twice now, right",
]


@pytest.mark.parametrize("said", CAUSES)
def test_cause_in_new_words_passes(said):
    assert agent_says("explain_cause", said) == "pass"


@pytest.mark.parametrize("said", NOT_CAUSES)
def test_status_or_restatement_is_no_cause(said):
    assert agent_says("explain_cause", said) == "fail"


# follow_up_promise: a booking, a message or a dispatch said with the thing first; specific_follow_up
# then finds its time frame
FOLLOW_UPS = [
    "i've booked you a call with our energy adviser for monday at 11",
    "you'll get a confirmation email in the next ten minutes",
    "your closing statement comes by email in 3 days",
    "the replacement card will go out within 2 working days",
]


@pytest.mark.parametrize("said", FOLLOW_UPS)
def test_follow_up_with_the_thing_first_is_specific(said):
    assert agent_says("specific_follow_up", said) == "pass"


@pytest.mark.parametrize(
    "text", ["my deposit has been held for ten days now", "the refund is being held and i need it"]
)
def test_money_held_back_opens_a_complaint(text):
    assert opened(text)


# apology and empathy in other words: sorry about "this", regret, the situation weighed as worrying or rotten
APOLOGY_AND_EMPATHY = [
    ("apology_on_complaint", "och no, i'm really sorry, that's not good"),
    ("apology_on_complaint", "sorry about this, let me get it fixed"),
    ("apology_on_complaint", "we regret the trouble this has caused you"),
    ("empathy", "that's really worrying when it's your only phone"),
    ("empathy", "that's rotten, especially when you're on holiday"),
]


@pytest.mark.parametrize(("item", "said"), APOLOGY_AND_EMPATHY)
def test_apology_and_empathy_in_other_words(item, said):
    assert agent_says(item, said) == "pass"


def test_a_plan_that_leaves_it_out_is_a_cause():
    assert agent_says("explain_cause", "your contract doesn't include the sports channels") == "pass"


# solution_next_step: a restatement closed by "correct", the greeting's offer, the customer's own claim
# said back, the customer told to keep checking, a look that found nothing to do
NOT_SOLUTIONS = [
    "so the parcel never came and you've got a reference already, correct sir",
    "morning, you're through to the help desk, what can i do for you today",
    "okay so you put in a claim for the delay and it got turned down",
    "please keep checking the status page on our website",
    "i have checked, it's showing as in transit, that's all i can see",
]


@pytest.mark.parametrize("said", NOT_SOLUTIONS)
def test_no_solution_in_the_words_of_one(said):
    assert agent_says("solution_next_step", said) == "fail"


def test_a_correction_made_is_still_a_solution():
    # guard for the "correct" near miss: the fix itself still counts
    assert agent_says("solution_next_step", "i've corrected the address and resent it") == "pass"


# complaint triggers: a question about what still holds or what a rule allows, and praise in the words of
# a fault, open nothing; outrage in a word opens the complaint items
NOT_REPORTS = [
    "lovely, and is the pool still free for guests",
    "i don't know how much i'm allowed to overpay each year",
    "i'm not sure how much i'm allowed to pay off without a charge",
    "smashing",
]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_question_or_praise_opens_no_complaint(text):
    assert not opened(text)


def test_outrage_in_a_word_opens_a_complaint():
    assert opened("forty quid for a single call, that's mental")


# follow_up_promise: the greeting's "thank you for contacting" and an email already sent promise nothing;
# "you will be informed" and "we'll rebill you" do, and then want a time; money due in the account is a
# promise whose time frame comes with it, and "right now" is a time frame
def test_the_greeting_promises_no_follow_up():
    said = "good afternoon, thank you for contacting northway energy, this is sam|that was 3 weeks ago"
    assert agent_says("specific_follow_up", said) == "not_applicable"


@pytest.mark.parametrize(
    "said", ["everything's in the email you received", "the code is in the email you got"]
)
def test_an_email_already_sent_is_no_promise(said):
    assert agent_says("specific_follow_up", said) == "not_applicable"


@pytest.mark.parametrize(
    "said",
    [
        "you will be informed once the team has looked at it",
        "send us a photo of the meter and we'll rebill you from that",
    ],
)
def test_a_vague_promise_wants_a_time(said):
    assert agent_says("specific_follow_up", said) == "fail"


def test_money_due_with_its_time_frame_is_specific():
    said = (
        "the refund will be in your account within 5 days, the case number is 4471, "
        "and i'll text you a copy of it right now"
    )
    assert agent_says("specific_follow_up", said) == "pass"


def test_the_outage_ticket_is_no_solution():
    assert (
        agent_says("solution_next_step", "i've logged your address on the outage ticket for the area")
        == "fail"
    )


# confirm_problem: the need named as the reason for the call or what the customer is checking; the
# company's position after "so" is no restatement
RESTATEMENTS = [
    "right, the broadband keeps dropping in the evening, that's what you're calling about",
    "okay mrs lee, you're checking whether your new card has been posted yet",
    "you'd like to know if the engineer is still coming on friday",
]
NOT_RESTATEMENTS = [
    "so for us the parcel is delivered, the photo shows it",
    "so as far as we're concerned the bill is correct",
    # guard: the greeting's "calling" (passes on 1.7.0 too)
    "thanks for calling about that, let me have a look",
]


@pytest.mark.parametrize("said", RESTATEMENTS)
def test_the_need_named_confirms_the_problem(said):
    assert agent_says("confirm_problem", said) == "pass"


@pytest.mark.parametrize("said", NOT_RESTATEMENTS)
def test_the_company_position_is_no_restatement(said):
    assert agent_says("confirm_problem", said) == "fail"


def positive(turns):
    """positive_language after the report and the agent's turns (the measure reads the sentiment model)."""
    call_turns = [("agent", "hello, how can i help"), REPORT] + [("agent", t) for t in turns]
    return probe_item(call_turns, "positive_language", rubric=EN, sentiment=True).status


# positive_language: a "can't" answered only by a look that found nothing, the outage ticket or "i have
# told you" is unanswered; what the customer can do and what the agent then does answers it; fear and
# safety first are empathy, not a refusal
POSITIVE_CASES = [
    (["we can't refund outages, it's policy. i've logged your number on the outage ticket"], "fail"),
    (["i have checked, it shows as lost, we can't trace it from here"], "fail"),
    (["i can't reopen it", "i have told you what you need to do"], "fail"),
    (
        ["i can't book a visit from here, but if you send us a photo of the meter we'll correct the bill"],
        "pass",
    ),
    (["oh no, that's scary with a baby in the car, are you all safe"], "pass"),
    (["that's scary, first off are you all safe off the road"], "pass"),
]


@pytest.mark.model
@pytest.mark.parametrize(("turns", "expected"), POSITIVE_CASES)
def test_what_answers_a_cant(turns, expected):
    assert positive(turns) == expected


def test_denying_our_part_is_no_empathy():
    # "that's not on" shares the customer's outrage; "that's not on us" denies the company's part
    said = "well it went to the address on file, so that's not on us"
    assert agent_says("empathy", said) == "fail"


# a paid option offered is no blame: "if you want it faster you can pay for express" (the first failed
# after "you want it, you pay for it" was added as blame, the second on 1.7.0 already)
@pytest.mark.parametrize(
    "said",
    [
        "if you want it faster you can pay for express delivery",
        "if you want it sooner you can pay extra for next day",
    ],
)
def test_a_paid_option_offered_is_no_blame(said):
    assert agent_says("no_blaming_language", said) == "pass"


@pytest.mark.parametrize(
    "text",
    [
        # guards for the rule-question near misses: a report in the same words still opens
        "i don't know how much longer i can wait, the heating still isn't fixed",
        "i've been charged without getting any warning",
    ],
)
def test_a_report_in_the_words_of_a_rule_question_opens(text):
    assert opened(text)


# the v7 cause examples narrowed after a second probe batch: the fault restated as a question, a question
# about a term and a term still to come are no cause (each passed explain_cause before the narrowing)
@pytest.mark.parametrize(
    "said",
    [
        "so the engineer never finished the job, is that right",
        "okay, so the order was never completed on your side, yes",
        "what's your deductible on this policy",
        "is that a known issue you're seeing",
        "you'll be moved on to our standard rate after the fix ends",
    ],
)
def test_a_restated_fault_or_a_question_is_no_cause(said):
    assert agent_says("explain_cause", said) == "fail"


@pytest.mark.parametrize(
    "said",
    [
        "it's a known issue with the latest app update",
        "your fixed deal ended in april and you've moved on to the standard tariff",
    ],
)
def test_the_narrowed_causes_still_count(said):
    assert agent_says("explain_cause", said) == "pass"


# polite lines in the words of the v7 blame additions: a choice offered, a trade-off explained, advice
# followed up, what to do sent in writing (each failed the critical item before these were narrowed)
@pytest.mark.parametrize(
    "said",
    [
        "well that's your choice then, i'll set up whichever you prefer",
        "that's the trade off with the cheaper tariff, but i can show you the other one",
        "like we recommended on the phone, the direct debit is the easiest, i'll set it up",
        "i have told you what to do next on the email too, so you have it in writing",
    ],
)
def test_polite_lines_in_the_words_of_blame_pass(said):
    assert agent_says("no_blaming_language", said) == "pass"
