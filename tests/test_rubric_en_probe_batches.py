"""Fresh probe batches for the English rubric, round 2 (issue 12).

Each batch was written in our own words, in varied Englishes and registers, and scored before the rubric was
changed for it (figures in the commit messages); none of these sentences is in the rubric or a benchmark set.
Batches 2 to 6 were each written after the previous fix and scored before their own; the sarcasm frames
("so you just ... great") were written with their fix.
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


def agent_says(item, said):
    """The item's status after the customer's report and the agent's turns (\"|\" separates turns)."""
    return run([REPORT] + [("agent", x.strip()) for x in said.split("|")], item).status


CASES = []
# problem reports in varied Englishes: a fault, a disputed bill, goods that fell apart, a wrong drop
REPORTS = [
    "me broadband's been down since monday, it's a joke",
    "the bill is showing double what i normally pay",
    "my kettle arrived with the lid snapped off",
    "i've been charged twice for the same order",
    "the app logs me out every time i open it",
    "i placed the order ten days back and till now nothing has come",
    "the delivery man never turned up, i waited the whole day",
    "my card got declined even though there's money in the account",
    "the wrong size came, i ordered a medium",
    "my meter reading is way off, there's no way we used that much",
    "the signal here is terrible, calls keep dropping",
    "your technician came and left a mess and it's still not working",
    "i was promised a callback and nobody called",
    "lah the package until now also never reach",
    "my refund still hasn't gone through, it's been three weeks",
    "the water's coming out brown from the tap",
    "the engineer didn't show up for the appointment",
    "my direct debit was taken early and now i'm overdrawn",
    "the washing machine you lot installed is leaking all over the kitchen floor",
    "i keep getting texts saying my payment failed but it went out of my bank",
    "madam, since two days my net connection is not coming",
    "the chair came with two legs missing the screws",
    "i was on hold for forty minutes yesterday and then got cut off",
    "the bus pass i topped up isn't showing any credit",
    "my gas has been disconnected and i've paid every bill",
    "the pizza turned up stone cold and an hour late",
    "they've put someone else's name on my bill",
    "every time i try to pay online it just spins and times out",
    "the lift in our block hasn't worked for a fortnight",
    "the shoes have already come apart after two wears",
    "the mobile data is not working since morning itself",
    "i'm ringing because the boiler's packed in again",
    "my statement shows a payment i never made",
    "the tv box keeps freezing halfway through programmes",
    "they delivered it to my neighbour and she's away for a month",
    "the voucher code you emailed me doesn't work at checkout",
    "i've been overcharged on my phone bill for three months",
    "the tap in the bathroom the plumber fixed is dripping again",
    "my flight got moved and nobody told me",
    "the jacket's zip broke the first time i wore it",
    "the broadband drops out every evening around seven",
    "i got a letter saying i owe money on an account i closed last year",
    "the fridge you delivered makes a horrible grinding noise",
    "my card was swallowed by your cash machine",
    "sir the OTP is not coming to my mobile only",
    "the order says delivered but there's nothing on my doorstep",
    "half the groceries were missing from my delivery",
    "the parking app charged me for a whole day when i was there an hour",
    "abeg my transfer has not reflected since yesterday",
    "the load shedding fried my router and now nothing connects",
    "mate the ute's been in your workshop two weeks and no one's touched it",
    "the bin men skipped our street again this week",
    "my pension payment came in short this month",
    "the screen on the new laptop has a dead patch in the corner",
    "i can't get through to anyone, your line just rings out",
    "your website took my money but the booking never came through",
    "the hotel gave our room away even though we'd prepaid",
    "the medication they sent is the wrong strength",
]
CASES += [("report", None, True, x) for x in REPORTS]

# requests and plans that must not open the complaint items
NOT_REPORTS = [
    "i'd like to change my delivery address please",
    "can you tell me what time you close on saturday",
    "i want to upgrade to the bigger package",
    "just calling to check my balance",
    "i'm moving house next month so i need to transfer the account",
    "could i add my wife as a named person on the account",
]
CASES += [("report", None, False, x) for x in NOT_REPORTS]

# causes told as what happened: a shortage, a bug, staff off sick, an old card, a doubled reading, works
CAUSES = [
    "that happened because the depot was short of drivers over the holiday",
    "what's happened is the payment was applied to an old account number",
    "there was a fault at the exchange that knocked out the line in your area",
    "the system took the reading twice so you were billed twice",
    "it looks like the parcel was mislabelled at the warehouse",
    "the reason is our supplier sent the wrong batch",
    "your card was flagged by our fraud check, that's why it got declined",
    "the storm last night brought down a cable on your street",
    "one of our agents keyed in the wrong date on the booking",
    "the update we pushed out yesterday had a bug that logs people out",
    "so the driver marked it delivered by mistake, it's still on the van",
    "the engineer was taken ill so the appointment got missed",
    "due to a strike at the port, shipments are running late",
    "basically the refund went back to the card you closed",
    "your direct debit date was moved when the account migrated to the new system",
    "the flight was cancelled because of a crew shortage",
    "our courier partner lost a whole cage of parcels at the hub",
    "there was a power cut at the data centre which took the website down",
    "the price rose because your fixed deal ended in march",
    "your payment bounced as the card on file had expired",
    "the technician's van broke down on the way to you",
    "a new member of staff set the account up on the wrong tariff",
    "the order got stuck at customs waiting for paperwork",
    "the meter was estimated as nobody could get access to read it",
    "we had a flood at the warehouse so everything got held up",
    "the order was held because the billing address didn't match the card",
    "the network mast near you was switched off for upgrade work",
    "we sent the letter to your previous address as it hadn't been updated",
    "a roadworks crew cut through the cable outside your house",
    "the courier's scanner failed so it never got marked as out for delivery",
    "the discount expired at midnight before the order went through",
    "the pharmacy ran out of that medicine so the prescription couldn't be filled",
    "it got damaged in the van on the way to you",
    "the payment failed as our bank link was down for about an hour",
    "your line was disconnected by mistake when the new tenant moved in next door",
    "the fridge has a faulty compressor from that production run",
    "the otp isn't reaching you because your number on file is missing a digit",
    "the picker ran out of a few items and the substitutes weren't added",
    "the app didn't register your exit so it charged the daily maximum",
    "the transfer is sitting in a compliance check, that's why it hasn't reflected",
    "the surge when the power came back damaged the router's power unit",
    "the workshop's waiting on a part from the manufacturer, it's on backorder",
    "the collection truck broke down so your street was missed",
    "a tax code change reduced the payment this month",
    "the panel came from a faulty batch from the factory",
    "the website timed out after the payment so the booking wasn't confirmed",
    "the front desk released prepaid rooms by mistake when the system went down",
]
CASES += [("agent", "explain_cause", "pass", x) for x in CAUSES]

# a guess, a look-up or a restatement is no cause
NOT_CAUSES = [
    "i'm not sure why that happened",
    "let me check what went on there",
    "so your parcel hasn't arrived, is that right",
    "these things happen sometimes",
    "i can see the order here on my screen",
]
CASES += [("agent", "explain_cause", "fail", x) for x in NOT_CAUSES]

# the customer's situation weighed: feelings named, bad news owned, what they counted on
EMPATHY = [
    "oh that's really annoying, i'd be fed up too",
    "i can only imagine how stressful that must be",
    "that's not what you want to hear at all, i'm sorry",
    "i completely get why you're upset",
    "what a pain, a whole week waiting",
    "i hear you, that's been a rough time",
    "that must be so frustrating for you",
    "gosh that sounds awful, especially with the kids at home",
    "i know it's very inconvenient for you ma'am",
    "no wonder you're annoyed, i would be as well",
    "that's really not on, i'm sorry you've been put through that",
    "i appreciate this has been a real headache for you",
    "honestly that sounds like a nightmare",
    "sorry to hear that, it's been a horrible week for you then",
    "i totally understand how worrying that is",
    "that's a really poor experience and you didn't deserve it",
    "oh no, with the baby too, that must be tough",
    "i'd be livid in your shoes",
    "that's so disappointing when you were looking forward to it",
    "i can see why you're frustrated, it's been going on too long",
    "oh dear, that's not the way you want to start your week",
    "i'm really sorry, that must have been so upsetting",
    "that sounds incredibly stressful, i can hear it in your voice",
    "i can understand why you're disappointed, you've waited long enough",
    "that's a horrible situation to be in",
    "i know how much you were counting on it",
    "that's really worrying, getting a letter like that",
    "ugh, i'm so sorry, that's such a hassle",
    "i can totally see why you'd be cross about that",
    "that's a lot to deal with on top of everything",
    "i'd be worried too if i got that letter",
    "eish, that's really bad, i'm sorry",
    "that's rough, two weeks without your ute",
    "sorry love, that must be so annoying",
    "i can imagine how upset you must have been at the desk",
    "that's a worry when it's your medication",
    "i'd be frustrated too, you did everything right",
]
CASES += [("agent", "empathy", "pass", x) for x in EMPATHY]

# plain service talk is no empathy
NOT_EMPATHY = [
    "can i take your postcode please",
    "okay i'll check that now",
    "it should be there by friday",
    "i understand the tracking number is ending 45",
]
CASES += [("agent", "empathy", "fail", x) for x in NOT_EMPATHY]

# a remedy arranged, raised, reversed, credited or offered
SOLUTIONS = [
    "i've put in a request to have it resent by tomorrow",
    "what i'll do is issue a full refund now",
    "i'm going to book an engineer for thursday morning",
    "i've credited twenty pounds back to your account",
    "i'll arrange a replacement to go out today",
    "we'll send a courier to collect it and refund you once it's back",
    "i've escalated this to the delivery team as urgent",
    "i've reset your password, you can log in now",
    "let me raise a claim for the missing parcel",
    "i can reverse the second charge for you right away",
    "i've rebooked it for the next available slot which is monday",
    "i've switched you to paper bills as of today",
    "i'm sending a new router out to you by first class post",
    "i've waived the late fee on this month's bill",
    "we'll get a technician to you between eight and twelve tomorrow",
    "i've applied a goodwill credit of fifteen dollars",
    "i'll cancel the order and the money will be back in three to five days",
    "if you restart the modem by holding the button for ten seconds it should reconnect",
    "i've added a note so the driver calls you before he comes",
    "we can offer you a full refund or a replacement, whichever you prefer",
    "i'm putting a replacement in the post today",
    "i've booked the plumber to come back free of charge on wednesday",
    "we'll refund the delivery charge as well",
    "i've removed the late payment fee",
    "what we can do is send a new code to your email now",
    "i'll open a claim with the courier and send you a replacement meanwhile",
    "i've cancelled the debt letter and closed the account properly",
    "i'll refund the difference back to your card straight away",
    "we'll swap the fridge for a new one, the driver can bring it on friday",
    "i've updated the number so the next code should come through",
    "i'll get a new card sent to your home address",
    "i've pushed the transfer through manually, it'll reflect within the hour",
    "we'll replace the router at no cost, i've ordered it now",
    "i've asked the workshop to prioritise your ute and given you a courtesy car",
    "i've booked a special collection for tomorrow morning",
    "i've corrected the tax code and the shortfall will be paid on friday",
    "i'll swap the laptop for a new one, a courier will collect the old one",
]
CASES += [("agent", "solution_next_step", "pass", x) for x in SOLUTIONS]

# holds, identity checks and shrugs are no step
NOT_SOLUTIONS = [
    "please hold for a moment",
    "can you confirm your date of birth",
    "there's nothing i can do about it i'm afraid",
    "you could try calling back later",
]
CASES += [("agent", "solution_next_step", "fail", x) for x in NOT_SOLUTIONS]

# a bare "don't know" in other words (critical)
DONT_KNOW = [
    "i have no idea where it is",
    "honestly i couldn't tell you",
    "no clue, sorry",
    "i don't really know what's going on with it",
    "not sure to be honest, it's not something i deal with",
    "i can't say where it is",
    "dunno, it just says pending",
    "i really couldn't say why that's happened",
    "i've no idea what the courier did with it",
    "i'm not too sure about that one",
    "no idea mate",
    "i genuinely don't know what to tell you",
    "that i'm not sure of",
    "couldn't tell you i'm afraid",
    "i don't have a clue where it's gone",
    "i'm not really sure why that is",
    "i couldn't say, sorry",
    "yeah no idea on that one",
    "i'm not sure what's happened there to be honest",
    "your guess is as good as mine really",
    "i don't know, it's the system",
    "i wouldn't know about that sir",
    "sorry i can't tell you why",
    "i don't know what to say, it just happens",
    "no clue mate",
    "i honestly wouldn't know, sorry",
    "not a clue what happened there",
    "i'm not certain, it could be anything",
    "can't tell you that i'm afraid",
    "no idea, maybe call the bank",
    "i don't know, that's not my area",
    "who knows, sir, these things happen",
    "i haven't got a clue about that",
]
CASES += [("agent", "no_saya_tidak_tahu", "fail", x) for x in DONT_KNOW]

# "don't know" followed by a promise to find out, in other words
DONT_KNOW_OK = [
    "i'm not sure, let me find out for you",
    "i don't know off the top of my head but i'll check with the team and call you back",
    "i couldn't tell you right now, give me a minute to look into it",
    "i'll find out and ring you back before five",
]
CASES += [("agent", "no_saya_tidak_tahu", "pass", x) for x in DONT_KNOW_OK]

# blaming: the customer's slip, an unmet duty, the terms thrown back, the onus on the customer (critical)
BLAMING = [
    "you should have checked the address before ordering",
    "well that's because you entered the wrong card number",
    "if you'd read the email you would have known",
    "that's on you i'm afraid, not us",
    "it's your own fault for not being home",
    "you didn't follow the instructions properly",
    "you were supposed to tell us you moved",
    "that's the customer's responsibility, not ours",
    "honestly you should know better than to leave it so late",
    "it's clearly stated in the terms, you just didn't read them",
    "that's your problem not mine",
    "you must have typed it wrong",
    "that's because you didn't update your address",
    "you were meant to return it within thirty days",
    "well you ignored the reminders we sent",
    "it's the customer's job to check the order on arrival",
    "you should've rung us straight away",
    "it's not our fault you weren't in",
    "all of this is in the contract you signed",
    "you left it too late, that's the problem",
    "well you should've read the small print",
    "that's because you gave us the old address",
    "you didn't tell us you'd moved so what did you expect",
    "it's up to the customer to check the delivery",
    "you were told twice on the phone",
    "if you'd kept the receipt we could have helped",
    "it says it very clearly on the box, you just missed it",
    "you should've checked your bag before leaving the store",
    "you didn't give us a safe place so the driver left it",
    "that happens when people don't update their details",
    "you agreed to that when you signed up",
    "well you were the one who closed it without paying the balance",
    "it's your responsibility to keep your number up to date",
    "so you just left it on the doorstep overnight, great",
    "so you just posted your password on facebook lovely",
    "right so you just gave the code away, brilliant",
    "you should have unplugged it during load shedding",
    "that's your own fault for not reading the email",
    "you didn't collect it in time so it went back",
    "it's the customer's duty to check the strength on the box",
    "you never told us about the change",
    "we can't be expected to fix what you broke",
    "honestly if you'd been home this wouldn't have happened",
    "you should've kept an eye on your statements",
    "it's not our fault the card was charged twice, you tapped it twice",
    "well you did sign the repair form saying it was fine",
    "you were warned about the battery in the update notes",
    "that's what happens when you don't read the label",
    "it's down to you to check the prescription",
]
CASES += [("agent", "no_blaming_language", "fail", x) for x in BLAMING]

# near misses: the service's own fault, reassurance, an offer
NOT_BLAMING = [
    "that was our mistake and i'm sorry",
    "you don't have to do anything, i'll sort it",
    "it wasn't your fault at all",
    "you might want to double check the postcode just in case",
    "we should have told you about the delay",
    "you were supposed to have it by monday, i'm so sorry",
    "we should have caught that before it went out",
    "don't worry, it happens to lots of people",
    "there's nothing you did wrong here",
    "we put the wrong address on it, i'm sorry",
    "you did the right thing calling us",
    "if you'd like, i can send it to your work address instead",
    "you should have got a text, i'm sorry it didn't come",
    "it's our job to get that right",
    "you don't need to update anything on your side",
    "okay so you just want to change the address great",
    "so you just need to restart it, great",
    "you did everything right, the fault is ours",
    "you're not to blame for any of this",
    "if you're home tomorrow we can come then",
    "you shouldn't have been charged twice, i'm sorry",
    "it's down to us to put this right",
]
CASES += [("agent", "no_blaming_language", "pass", x) for x in NOT_BLAMING]

# "don't know" followed only by a look-up of slots or availability to move on: still a bare "don't know"
DK_MOVES_ON = [
    "i'm not sure why they cancelled it | let me check what slots we have on monday",
    "no idea why it was moved | let me check availability for next week for you",
    "i don't know why that happened | let me see when the engineer is next available",
    "not sure why sir | let me check the next available delivery date",
]
CASES += [("agent", "no_saya_tidak_tahu", "fail", x) for x in DK_MOVES_ON]

# "don't know" followed by checking the very thing asked
DK_FINDS_OUT = [
    "i'm not sure why they cancelled it | let me check with the surgery and find out",
    "i don't know why it was moved but let me check the notes on your booking",
    "no idea offhand | let me check the system for what happened",
    "i don't know the figure offhand | let me check the schedule of charges for you",
]
CASES += [("agent", "no_saya_tidak_tahu", "pass", x) for x in DK_FINDS_OUT]

# known misses, kept as strict xfails so a fix shows: the stem "you" weighs almost nothing (it is in many
# examples), so "you never told us *" would also read "the courier never told us ..." (tried and dropped),
# and "i understand" + a fact is read as empathy
KNOWN_MISSES = {
    "you didn't collect it in time so it went back",
    "you never told us about the change",
    "i understand the tracking number is ending 45",
}
CASES = [
    pytest.param(*c, marks=pytest.mark.xfail(strict=True, reason="known miss")) if c[3] in KNOWN_MISSES else c
    for c in CASES
]


@pytest.mark.parametrize(("kind", "item", "want", "text"), CASES)
def test_fresh_probe_batches(kind, item, want, text):
    if kind == "report":
        assert opened(text) is want, text
    else:
        assert agent_says(item, text) == want, text
