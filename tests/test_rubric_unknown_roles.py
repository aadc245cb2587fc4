"""Role-dependent items are "not measured" (never "fail") when roles are unknown; mono interruptions too.

Issue 11: a call whose roles came out "cues are balanced: roles unknown" had ``closing_thanks`` and the
other agent-phrase items scored **fail**. The same scripted call is scored with its roles known (the
control: the items pass or fail on what was said) and with them unknown.
"""

from __future__ import annotations

from dataclasses import replace

from scripted import ScriptedTurn, transcript_from_turns

from callscore.scorecard import FAIL, NOT_MEASURED, PASS, score_transcript
from callscore.transcript.model import Speaker

RUBRIC = "id-contact-centre"
UNKNOWN = "agent and customer cues are balanced: roles unknown"

TURNS = [
    ScriptedTurn("agent", 0.0, 4.0, "selamat pagi dengan dina ada yang bisa saya bantu"),
    ScriptedTurn("customer", 4.5, 9.0, "saya mau tanya tagihan bulan ini"),
    # the agent talks over the customer for 1.5 s: an interruption
    ScriptedTurn("agent", 7.5, 12.0, "baik saya cek dulu tagihannya"),
    # 12 s of unannounced silence: dead air
    ScriptedTurn("customer", 24.0, 27.0, "oke terima kasih"),
    ScriptedTurn("agent", 27.5, 31.0, "terima kasih sudah menghubungi kami"),
]


def _unknown(t):
    return replace(t, speakers=tuple(Speaker(s.label, s.channel, None, 0.0, UNKNOWN) for s in t.speakers))


def _items(card):
    return {r.id: r for r in card.items}


def test_control_known_roles_items_are_measured():
    card = score_transcript(transcript_from_turns(TURNS), rubric=RUBRIC)
    it = _items(card)
    assert it["greeting"].status == PASS
    assert it["closing_thanks"].status == PASS
    assert it["no_interruptions"].status == FAIL
    assert it["no_dead_air"].status == FAIL
    assert it["talk_ratio"].status in (PASS, FAIL)


def test_unknown_roles_make_role_items_not_measured_with_the_reason():
    card = score_transcript(_unknown(transcript_from_turns(TURNS)), rubric=RUBRIC)
    it = _items(card)
    assert not [r.id for r in card.items if r.status == FAIL], "no item may fail on unknown roles"
    for item in ("greeting", "offer_help", "closing_thanks", "no_interruptions", "talk_ratio", "no_dead_air"):
        assert it[item].status == NOT_MEASURED, item
        assert "roles unknown" in it[item].reason and UNKNOWN in it[item].reason, it[item].reason
    # nothing measured that depends on roles: the total has no pass/fail items left to weigh
    assert all(r.status != PASS or r.kind == "timing" for r in card.items)
    assert not card.critical_failed


def test_unknown_roles_dead_air_without_silence_still_measured():
    turns = [t for t in TURNS if t.start < 20] + [
        ScriptedTurn("customer", 12.5, 15.0, "oke terima kasih"),
        ScriptedTurn("agent", 15.5, 19.0, "terima kasih sudah menghubungi kami"),
    ]
    card = score_transcript(_unknown(transcript_from_turns(turns)), rubric=RUBRIC)
    assert _items(card)["no_dead_air"].status == PASS  # found without roles: there is no silence at all


def test_mono_interruptions_not_measured_other_items_are():
    t = transcript_from_turns(TURNS)
    mono = replace(t, audio=replace(t.audio, channels=1))
    it = _items(score_transcript(mono, rubric=RUBRIC))
    assert it["no_interruptions"].status == NOT_MEASURED
    assert "mono" in it["no_interruptions"].reason
    assert it["greeting"].status == PASS
    assert it["no_dead_air"].status == FAIL
