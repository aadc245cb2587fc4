"""English wording classes of the default rubric, probed with sentences of our own.

Each list is one class of wording (named in its comment) that the English rubric's examples were written for;
the probes here were written separately from those examples, in other words, so they test the class rather
than the listed sentences. Each probe is a tiny call scored with the shipped rubric.
"""

from __future__ import annotations

import pytest
from scripted import probe_item

from callscore.rubric.schema import load_rubric

EN = load_rubric("en-contact-centre")
REPORT = ("customer", "my parcel still hasn't arrived after a week")


def run(turns, item):
    return probe_item(turns, item, rubric=EN)


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
    "i was told to ring this number about my pension",
    "i'm terrible with passwords, can you reset mine",
    "nobody's home until six so could the driver come after that",
    "you sent me a letter asking me to call",
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


# empathy without "understand": the customer's situation weighed in a word or a picture of it
EMPATHY = [
    "oh that's tough, with a newborn in the house as well",
    "that must have been really upsetting to see",
    "what a hassle for you on a weekday",
    "honestly that's the last thing anyone needs before a holiday",
    "that sounds exhausting, being passed around like that",
    "it's not fair on you to keep chasing us",
    "no wonder you're fed up",
]
NOT_EMPATHY = [
    "it's hard to say when it will arrive",
    "don't worry about the form, i'll fill it in",
    "can i take your postcode please",
]


@pytest.mark.parametrize("text", EMPATHY)
def test_empathy_said_as_the_situation_weighed(text):
    assert run([REPORT, ("agent", text)], "empathy").status == "pass", text


@pytest.mark.parametrize("text", NOT_EMPATHY)
def test_no_empathy_in_plain_talk(text):
    assert run([REPORT, ("agent", text)], "empathy").status == "fail", text


def test_english_will_binds_to_its_subject():
    from callscore.rubric.meaning import sentence_stems

    assert sentence_stems(["i", "will", "call", "you"], language="en")[:2] == ("i'll", "will")
    assert sentence_stems(["he", "will", "call", "you"], language="en")[:2] == ("he'll", "will")
    # Indonesian is untouched, and the token count never changes
    assert sentence_stems(["saya", "akan", "telepon"], language="id") == ("saya", "akan", "telepon")
    assert len(sentence_stems(["we", "will", "will"], language="en")) == 3


# ownership: the agent comes back personally; someone else coming back is no personal commitment
OWNERSHIP = [
    "i will phone you tomorrow morning to tell you where it's got to",
    "i'll ring you myself once the engineer has been",
    "leave this one to me, i'll keep you posted",
    "i'll call you tonight to check it's working",
]
NOT_OWNERSHIP = [
    "the engineer will call you before he comes",
    "we'll get back to you in due course",
    "someone from billing will call you about it",
]


@pytest.mark.parametrize("text", OWNERSHIP)
def test_ownership_said_as_coming_back_personally(text):
    assert run([REPORT, ("agent", text)], "ownership").status == "pass", text


@pytest.mark.parametrize("text", NOT_OWNERSHIP)
def test_someone_else_coming_back_is_no_ownership(text):
    assert run([REPORT, ("agent", text)], "ownership").status == "fail", text


# the problem said back mid-sentence (after an apology) or with a check at the end; "so" that sneers,
# scolds or announces the fix is no restatement
RESTATED = [
    "oh i'm so sorry about that, so you've been without a phone line since friday",
    "right, so your refund was promised for last week and it still isn't there",
    "thanks for that, so the engineer didn't turn up on tuesday",
    "okay so no heating since the boiler was serviced, correct",
    "so you ordered the blue one and a grey one came instead",
]
NOT_RESTATED = [
    "so i've refunded the delivery charge",
    "so you just ignored the warning, great",
    "well you should have been in when the driver came",
]


@pytest.mark.parametrize("text", RESTATED)
def test_problem_said_back_mid_sentence(text):
    assert run([REPORT, ("agent", text)], "confirm_problem").status == "pass", text


@pytest.mark.parametrize("text", NOT_RESTATED)
def test_so_that_sneers_or_fixes_is_no_restatement(text):
    assert run([REPORT, ("agent", text)], "confirm_problem").status == "fail", text


# more problem reports: performance crawling, a product defective or fake, a charge gone up
MORE_REPORTS = [
    "the wifi is painfully slow every night",
    "the jacket you sent is a knock-off, the logo's wrong",
    "the handle was already coming apart when it arrived",
    "my premium went up and nobody told me why",
]
NOT_MORE_REPORTS = ["my salary went up so i'd like to pay more each month"]


@pytest.mark.parametrize("text", MORE_REPORTS)
def test_defects_and_slowness_open_the_complaint_items(text):
    assert opened(text), text


@pytest.mark.parametrize("text", NOT_MORE_REPORTS)
def test_good_news_going_up_does_not_open_the_complaint_items(text):
    assert not opened(text), text


# more causes: what the check showed, a cut or congestion, cover that excludes it, the system's own doing
MORE_CAUSES = [
    "i've had a look and the payment bounced because the card had expired",
    "there's a cable cut at the exchange after some roadworks",
    "the cabinet on your street gets congested in the evenings",
    "that clinic is out of network for your plan",
    "the system treated your top-up as a new account",
]


@pytest.mark.parametrize("text", MORE_CAUSES)
def test_more_causes_told_as_what_happened(text):
    assert run([REPORT, ("agent", text)], "explain_cause").status == "pass", text


def test_not_knowing_why_is_no_cause():
    assert run([REPORT, ("agent", "no clue why it does that to be honest")], "explain_cause").status == "fail"


def follow_up(text):
    return run([REPORT, ("agent", text)], "specific_follow_up").status


# a promise to contact the customer later, whoever makes it, opens specific_follow_up: with a clock
# time, a weekday or "straight after this call" it passes, with "as soon as they can" it fails
TIMED_PROMISES = [
    "i'll text you the tracking link straight after this call",
    "our claims team will phone you on thursday",
    "i will message you at 4 with the outcome",
    "the manager will ring you back before 11 am",
]
UNTIMED_PROMISES = [
    "someone from the warehouse will email you about it",
    "they'll reach out as soon as they can",
    "we will update you when the line is restored",
]


@pytest.mark.parametrize("text", TIMED_PROMISES)
def test_timed_promises_pass_the_follow_up(text):
    assert follow_up(text) == "pass", text


@pytest.mark.parametrize("text", UNTIMED_PROMISES)
def test_promises_without_a_time_fail_the_follow_up(text):
    assert follow_up(text) == "fail", text


def test_what_was_sent_already_and_the_greeting_are_no_promise():
    turns = [
        ("agent", "good evening, thanks for reaching out to us"),
        REPORT,
        ("agent", "i've emailed you the returns form"),
    ]
    assert run(turns, "specific_follow_up").status == "not_applicable"


# a step said as the state it is in now, scheduled in the passive, or done in the portal by the customer;
# "please" alone, asking for details, a shrug or "ring back if it doesn't come" is no step
STEPS = [
    "right, that's all done, the direct debit moves to the 15th",
    "your new delivery date is the 9th",
    "a replacement kettle will be shipped out on monday",
    "the late fee will be waived on this month's statement",
    "you can change your address in the portal under my details",
    "if you send us a photo of the damage we'll refund it straight away",
]
NOT_STEPS = [
    "please hold the line",
    "may i have your postcode please",
    "you could try the post office i suppose",
    "just wait a few days and ring back if it's still not there",
]


@pytest.mark.parametrize("text", STEPS)
def test_steps_said_as_done_or_scheduled(text):
    assert run([REPORT, ("agent", text)], "solution_next_step").status == "pass", text


@pytest.mark.parametrize("text", NOT_STEPS)
def test_courtesy_requests_and_shrugs_are_no_step(text):
    assert run([REPORT, ("agent", text)], "solution_next_step").status == "fail", text


def positive(turns):
    call_turns = [("agent", "hello, how can i help"), REPORT] + [("agent", t) for t in turns]
    return probe_item(call_turns, "positive_language", rubric=EN, sentiment=True).status


@pytest.mark.model
def test_a_cant_answered_by_passing_it_on_is_positive_and_a_shrug_is_not():
    refusal = "we can't refund that from here"
    assert positive([refusal, "i'll escalate it to the billing team today"]) == "pass"
    assert positive([refusal, "you can write to head office i guess"]) == "fail"


def closing(text):
    turns = [
        ("agent", "good morning, how can i help"),
        REPORT,
        ("agent", "that's rebooked for monday"),
        ("agent", text),
    ]
    return run(turns, "satisfaction_check").status


# the closing check in other words and Englishes; "call us if anything else goes wrong" is no check
@pytest.mark.parametrize(
    "text",
    [
        "is there any other thing i can do for you",
        "did that cover what you needed",
        "are we good with that then",
    ],
)
def test_satisfaction_check_in_other_words(text):
    assert closing(text) == "pass", text


def test_call_us_if_there_is_a_problem_is_no_check():
    assert closing("if you have any other issues just ring us") == "fail"


def test_polite_address_by_title_and_surname():
    turns = [("agent", "thank you mrs okafor"), REPORT, ("agent", "one moment ma, i'm checking")]
    assert run(turns, "polite_address").status == "pass"


def test_the_department_name_alone_is_no_greeting():
    assert run([("agent", "you're through to billing"), REPORT], "greeting").status == "fail"
    assert run([("agent", "hiya, you're through to billing"), REPORT], "greeting").status == "pass"


def test_informal_thanks_close_the_call():
    turns = [("agent", "hello"), REPORT, ("agent", "that's sorted then"), ("agent", "ta mate, bye")]
    assert run(turns, "closing_thanks").status == "pass"


# a second round of probes (written before the examples for them): partial service, a job left badly;
# a lapse, a fault, a shortage or a delay on the company's side; the situation weighed; remedies offered
ROUND_TWO = [
    ("report", "the heating only works half the time"),
    ("report", "the engineer left a mess everywhere"),
    ("report", "my statement shows a payment i never made"),
    ("explain_cause", "your discount expired in march"),
    ("explain_cause", "the meter had a faulty battery"),
    ("explain_cause", "we were short of drivers last week"),
    ("explain_cause", "there was a delay at customs"),
    ("explain_cause", "the storm took out the mast near you"),
    ("empathy", "that's a real headache, i'm sorry"),
    ("empathy", "oh dear, that's not what you need at all"),
    ("solution_next_step", "we'll swap it for a new one at no cost"),
    ("solution_next_step", "i can give you a credit of 15 pounds"),
    ("ownership", "i'm going to handle this myself"),
]


@pytest.mark.parametrize(("item", "text"), ROUND_TWO)
def test_second_round_of_class_probes(item, text):
    if item == "report":
        assert opened(text), text
    else:
        assert run([REPORT, ("agent", text)], item).status == "pass", text


def test_an_update_promised_is_no_cause():
    text = "i'll call you back tomorrow morning with an update"
    assert run([REPORT, ("agent", text)], "explain_cause").status == "fail"


# a third round (measured unseen before its classes were added: reports 6/10, causes 3/10, empathy 2/6,
# steps 3/6, ownership 3/3, non-causes 3/3)
ROUND_THREE = [
    ("report", "my prescription was filled with the wrong dose"),
    ("report", "the food arrived stone cold"),
    ("report", "i've been billed for a phone i sent back"),
    ("explain_cause", "the pharmacist misread the script"),
    ("explain_cause", "the return was never logged at our warehouse"),
    ("explain_cause", "the contractor went bust"),
    ("empathy", "that's so inconvenient for you"),
    ("empathy", "that's not the service you deserve"),
    ("solution_next_step", "we'll get someone out to fix it on wednesday"),
    ("solution_next_step", "i can get that reissued for you"),
]


@pytest.mark.parametrize(("item", "text"), ROUND_THREE)
def test_third_round_of_class_probes(item, text):
    if item == "report":
        assert opened(text), text
    else:
        assert run([REPORT, ("agent", text)], item).status == "pass", text


def test_the_customers_own_slip_is_a_request():
    assert not opened("i gave you the wrong postcode earlier, can i change it")


# a fourth round (measured unseen first: reports 5/10, non-reports 3/3, causes 5/10, empathy 2/5,
# steps 5/6, apologies 3/4)
ROUND_FOUR = [
    ("report", "the toaster sparks when i switch it on"),
    ("report", "my transfer has been pending for four days"),
    ("report", "i keep being put through to the wrong department"),
    ("explain_cause", "the transfer is held for a compliance check"),
    ("explain_cause", "the claims team has a backlog"),
    ("explain_cause", "the wheel got bent in transit"),
    ("empathy", "i really feel for you"),
    ("empathy", "that must have given you a fright"),
    ("solution_next_step", "you can claim it back through our website"),
    ("apology_on_complaint", "really sorry you've had to chase us"),
]


@pytest.mark.parametrize(("item", "text"), ROUND_FOUR)
def test_fourth_round_of_class_probes(item, text):
    if item == "report":
        assert opened(text), text
    else:
        assert run([REPORT, ("agent", text)], item).status == "pass", text


# a fifth round (measured unseen first: reports 5/8, non-reports 3/3, causes 0/6, non-causes 2/2,
# empathy 1/3, steps 1/4, ownership 1/2): the causes told as what happened generalise worst
ROUND_FIVE = [
    ("report", "the shower head snapped off after two days"),
    ("report", "i've had four different answers from four people"),
    ("explain_cause", "the shower head was from a bad batch"),
    ("explain_cause", "the picker missed two items off the list"),
    ("explain_cause", "the pool was shut for repairs to the filter"),
    ("empathy", "that must be maddening"),
    ("solution_next_step", "i'll get the missing items sent out tonight"),
    ("ownership", "i'll keep chasing until it's fixed"),
]


@pytest.mark.parametrize(("item", "text"), ROUND_FIVE)
def test_fifth_round_of_class_probes(item, text):
    if item == "report":
        assert opened(text), text
    else:
        assert run([REPORT, ("agent", text)], item).status == "pass", text
