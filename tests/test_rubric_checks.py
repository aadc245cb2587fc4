"""Each item kind on small constructed calls."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from scripted import ScriptedTurn, transcript_from_turns

from callscore.rubric.schema import parse_rubric
from callscore.scorecard import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, score_transcript
from callscore.timeline.model import Overlap, Silence, Timeline, Turn

HEAD = """\
id: t
name: T
version: "1"
language: id
triggers:
  complaint: {role: customer, phrases: [saya kecewa, saya mau komplain]}
  failure: {role: customer, phrases: [tidak bisa, rusak]}
  service_failure: {role: customer, phrases: [paket saya rusak, tidak sampai]}
items:
"""


def rubric(items: str):
    return parse_rubric(HEAD + items, source="test.yaml")


def item(kind: str, body: str, item_id: str = "x") -> str:
    lines = "\n".join("    " + ln for ln in body.strip().splitlines())
    return f"  - id: {item_id}\n    title: X\n    description: d\n    kind: {kind}\n    weight: 1\n{lines}\n"


def call(*turns: tuple[str, float, float, str]):
    return transcript_from_turns([ScriptedTurn(*t) for t in turns], call_id="c")


def status(items: str, transcript, **kw):
    card = score_transcript(transcript, rubric=rubric(items), **kw)
    return card.items[0]


TIDAK_TAHU = item(
    "phrase_absent",
    """
role: agent
phrases: [saya tidak tahu]
allowed_continuations: {within: 10, phrases: [akan saya cek, saya cari tahu]}
""",
)


def test_saya_tidak_tahu_with_follow_up_is_allowed() -> None:
    t = call(
        ("customer", 0, 3, "kapan jadwalnya mbak"),
        ("agent", 3.5, 9, "wah saya gak tau pak, tapi akan saya cek dulu ya"),
    )
    r = status(TIDAK_TAHU, t)
    assert r.status == PASS
    assert r.evidence[0].quote.startswith("saya gak tau") and "allowed" in r.evidence[0].note


def test_saya_tidak_tahu_without_follow_up_fails_with_evidence() -> None:
    t = call(
        ("customer", 0, 3, "kapan jadwalnya mbak"),
        ("agent", 3.5, 6, "wah saya nggak tahu pak"),
        ("agent", 30, 33, "saya cek dulu ya"),  # too late: more than 10 s after
    )
    r = status(TIDAK_TAHU, t)
    assert r.status == FAIL and r.value == 1
    ev = r.evidence[0]
    assert ev.role == "agent" and ev.speaker == "S0" and ev.matched == "saya tidak tahu"
    assert 3.5 <= ev.start < ev.end <= 6 and ev.similarity == 1.0


def test_saya_tahu_is_not_saya_tidak_tahu() -> None:
    t = call(("agent", 0, 3, "oh itu saya tahu pak"))
    assert status(TIDAK_TAHU, t).status == PASS


def test_customer_saying_it_does_not_count() -> None:
    t = call(("customer", 0, 3, "saya tidak tahu caranya"))
    assert status(TIDAK_TAHU, t).status == PASS


APOLOGY = item(
    "conditional",
    """
when: [complaint, failure]
role: agent
within: 30
phrases: [mohon maaf]
""",
)


def test_apology_required_only_on_complaint() -> None:
    calm = call(("customer", 0, 3, "mau tanya jam buka"), ("agent", 3.5, 6, "jam delapan pak"))
    r = status(APOLOGY, calm)
    assert r.status == NOT_APPLICABLE and "no complaint or failure" in r.reason
    angry = call(("customer", 0, 4, "saya kecewa sekali mbak"), ("agent", 4.5, 7, "baik pak"))
    r = status(APOLOGY, angry)
    assert r.status == FAIL and r.evidence[0].note == "trigger: complaint"
    handled = call(("customer", 0, 4, "saya kecewa sekali mbak"), ("agent", 4.5, 7, "mohon maap pak"))
    assert status(APOLOGY, handled).status == PASS


def test_apology_too_late_or_before_the_complaint_fails() -> None:
    late = call(("customer", 0, 4, "internet saya gak bisa"), ("agent", 60, 63, "mohon maaf pak"))
    assert status(APOLOGY, late).status == FAIL
    before = call(("agent", 0, 2, "mohon maaf menunggu"), ("customer", 10, 14, "internet saya gak bisa"))
    assert status(APOLOGY, before).status == FAIL


def test_compensation_after_service_failure() -> None:
    comp = item(
        "conditional",
        "when: [service_failure]\nrole: agent\nphrases: [kami berikan kompensasi, kami berikan voucher]",
    )
    ok = call(
        ("customer", 0, 3, "paket saya rusak"), ("agent", 3.5, 8, "mohon maaf, kami berikan voucher ya bu")
    )
    assert status(comp, ok).status == PASS
    nothing = call(("customer", 0, 3, "paket saya rusak"), ("agent", 3.5, 6, "mohon maaf bu"))
    assert status(comp, nothing).status == FAIL
    assert status(comp, call(("customer", 0, 3, "mau tanya ongkir"))).status == NOT_APPLICABLE


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("{first: 10}", PASS),
        ("{first: 3}", FAIL),
        ("{last: 5}", FAIL),
        ("{after: complaint}", NOT_APPLICABLE),
    ],
)
def test_phrase_present_windows(window: str, expected: str) -> None:
    it = item("phrase_present", f"role: agent\nwindow: {window}\nphrases: [selamat pagi]")
    t = call(
        ("agent", 0.5, 2, "halo"),
        ("agent", 5, 7, "slamat pagi pak"),
        ("customer", 8, 20, "iya mbak saya mau tanya soal tagihan bulan ini ya"),
    )
    assert status(it, t).status == expected


def test_phrase_present_after_trigger_and_min_count() -> None:
    it = item(
        "phrase_present", "role: agent\nwindow: {after: complaint, within: 10}\nphrases: [saya mengerti]"
    )
    t = call(("customer", 0, 3, "saya mau komplen"), ("agent", 3.5, 6, "saya ngerti bu"))
    r = status(it, t)
    assert r.status == PASS and r.evidence[0].note == "trigger: complaint"
    twice = item("phrase_present", "role: agent\nmin_count: 2\nphrases: [bapak]")
    assert status(twice, call(("agent", 0, 2, "baik pak"))).status == FAIL
    assert status(twice, call(("agent", 0, 2, "baik pak"), ("agent", 5, 7, "siap bapak"))).status == PASS


def test_tone_negative_and_positive() -> None:
    blame = item("tone", "role: agent\npolarity: negative\nphrases: [salah bapak sendiri]")
    t = call(("agent", 0, 3, "ya itu salah bapak sendiri"))
    r = status(blame, t)
    assert r.status == FAIL and r.evidence[0].quote == "salah bapak sendiri"
    assert status(blame, call(("agent", 0, 3, "itu bukan salah bapak"))).status == PASS
    positive = item(
        "tone",
        "role: agent\npolarity: positive\nmin_count: 1\nphrases: [dengan senang hati, tentu bisa]\n"
        "opposite: [tidak bisa, tidak mungkin]",
    )
    assert status(positive, call(("agent", 0, 3, "tentu bisa pak, dengan senang hati"))).status == PASS
    r = status(positive, call(("agent", 0, 3, "tentu bisa"), ("agent", 5, 8, "eh tidak bisa, tidak mungkin")))
    assert r.status == FAIL and r.value == -1


def _timeline(overlaps=(), silences=(), talk=None) -> Timeline:
    roles = {"S0": "agent", "S1": "customer"}
    turns = (Turn("S0", "agent", 0, 10, "a", 5), Turn("S1", "customer", 10, 20, "b", 5))
    return Timeline(60.0, turns, tuple(overlaps), tuple(silences), talk or {"S0": 10, "S1": 10}, roles)


def test_interruptions_read_from_timeline() -> None:
    it = item("timing", "measure: interruptions\nmin_overlap: 0.5\nmax_count: 0")
    t = call(("agent", 0, 3, "halo"))
    cut = Overlap(12, 13.5, "S0", "agent", "S1", "customer", "iya tapi begini", "interruption")
    short = Overlap(15, 15.3, "S0", "agent", "S1", "customer", "tapi", "interruption")
    back = Overlap(16, 17, "S0", "agent", "S1", "customer", "iya", "backchannel")
    by_customer = Overlap(18, 19, "S1", "customer", "S0", "agent", "tunggu dulu", "interruption")
    r = status(it, t, timeline=_timeline([cut, short, back, by_customer]))
    assert r.status == FAIL and r.value == 1 and r.evidence[0].start == 12
    assert status(it, t, timeline=_timeline([short, back, by_customer])).status == PASS
    strict = item("timing", "measure: interruptions\nallow_backchannel: false\nmax_count: 0")
    assert status(strict, t, timeline=_timeline([back])).status == FAIL


def test_interruption_built_from_word_timings() -> None:
    it = item("timing", "measure: interruptions\nmax_count: 0")
    t = call(
        (
            "customer",
            0,
            8,
            "jadi begini mbak saya sudah bayar tagihan tapi layanan saya masih diblokir sampai sekarang",
        ),
        ("agent", 4, 7, "iya bu itu karena sistem kami"),
    )
    r = status(it, t)
    assert r.status == FAIL and r.value == 1 and 3.9 <= r.evidence[0].start <= 4.1


def test_dead_air_from_timeline_and_announced_holds() -> None:
    it = item("timing", "measure: dead_air\nmin_duration: 8\nask_phrases: [mohon ditunggu]")
    t = call(("agent", 0, 3, "baik pak"), ("agent", 20, 23, "sudah pak"))
    r = status(it, t, timeline=_timeline(silences=[Silence(3, 20, "gap", "S0", "S0")]))
    assert r.status == FAIL and r.value == pytest.approx(17) and "17.0 s of silence" in r.evidence[0].quote
    assert status(it, t, timeline=_timeline(silences=[Silence(3, 9, "gap")])).status == PASS
    announced = call(("agent", 0, 3, "mohon ditunggu ya pak"), ("agent", 20, 23, "sudah pak"))
    r = status(it, announced)  # timeline built from the words: 17 s gap after the hold request
    assert r.status == PASS and "announced hold" in r.evidence[0].note


HOLD = item(
    "timing",
    "measure: hold\nmin_duration: 8\nmax_seconds: 60\nask_phrases: [mohon ditunggu]\n"
    "thank_phrases: [terima kasih sudah menunggu]",
)


def test_hold_etiquette() -> None:
    assert status(HOLD, call(("agent", 0, 3, "baik pak"))).status == NOT_APPLICABLE
    good = call(("agent", 0, 3, "mohon ditunggu ya pak"), ("agent", 30, 33, "makasih sudah menunggu pak"))
    r = status(HOLD, good)
    assert r.status == PASS and r.value == 1
    rude = call(("agent", 0, 3, "mohon ditunggu ya pak"), ("agent", 30, 33, "jadi begini pak"))
    assert "no thanks for waiting" in status(HOLD, rude).reason
    long = call(("agent", 0, 3, "mohon ditunggu ya pak"), ("agent", 90, 93, "terima kasih sudah menunggu"))
    assert "over 60 s" in status(HOLD, long).reason
    music = _timeline(silences=[Silence(3, 30, "hold")])
    r = status(
        HOLD, call(("agent", 0, 3, "baik"), ("agent", 30, 33, "terima kasih sudah menunggu")), timeline=music
    )
    assert r.status == FAIL and "not announced" in r.reason


def test_talk_ratio_and_monologue() -> None:
    ratio = item("timing", "measure: talk_ratio\nrange: [0.3, 0.7]")
    t = call(("agent", 0, 3, "halo"))
    assert status(ratio, t, timeline=_timeline(talk={"S0": 50, "S1": 50})).status == PASS
    r = status(ratio, t, timeline=_timeline(talk={"S0": 90, "S1": 10}))
    assert r.status == FAIL and r.value == pytest.approx(0.9)
    no_roles = replace(_timeline(), roles={"S0": None, "S1": None})
    assert status(ratio, t, timeline=no_roles).status == NOT_MEASURED
    mono = item("timing", "measure: monologue\nmax_seconds: 30")
    long_turn = call(("agent", 0, 45, " ".join(["penjelasan"] * 100)), ("customer", 46, 48, "oke"))
    r = status(mono, long_turn)
    assert r.status == FAIL and r.value == pytest.approx(45, abs=0.5)


@dataclass(frozen=True)
class _Feature:
    score: float | None
    reason: str


@dataclass(frozen=True)
class _Prosody:
    calm: _Feature | None
    confidence: _Feature | None


def test_prosody_thresholds_and_not_measured() -> None:
    it = item("prosody", "feature: calm\nmin_score: 50")
    t = call(("agent", 0, 3, "halo"))
    r = status(it, t)
    assert r.status == NOT_MEASURED and r.value is None and "not measured" in r.reason
    r = status(it, t, prosody=_Prosody(_Feature(None, "agent channel too short"), None))
    assert r.status == NOT_MEASURED and "agent channel too short" in r.reason
    assert status(it, t, prosody=_Prosody(_Feature(80.0, "steady pitch"), None)).status == PASS
    r = status(it, t, prosody=_Prosody(_Feature(20.0, "raised pitch"), None))
    assert r.status == FAIL and r.value == pytest.approx(20.0) and "raised pitch" in r.reason


def test_a_continuation_near_miss_vetoes_the_lookalike_promise() -> None:
    body = """
role: agent
phrases: [saya tidak tahu]
allowed_continuations:
  within: 15
  examples: [coba tanyakan *]
  near_misses: [bapak coba tanya ke *]
"""
    told = call(
        ("customer", 0, 3, "kenapa paketnya ditahan"),
        ("agent", 3.5, 6, "wah saya tidak tahu pak"),
        ("agent", 7, 11, "bapak coba tanya langsung ke kantor pos"),
    )
    promised = call(
        ("customer", 0, 3, "kenapa paketnya ditahan"),
        ("agent", 3.5, 6, "wah saya tidak tahu pak"),
        ("agent", 7, 11, "sebentar saya coba tanyakan ke tim gudang"),
    )
    without = item("phrase_absent", body.replace("  near_misses: [bapak coba tanya ke *]\n", ""))
    assert status(without, told).status == PASS  # the example alone reads the customer's errand too
    assert status(item("phrase_absent", body), told).status == FAIL
    assert status(item("phrase_absent", body), promised).status == PASS


FIRST_PERSON = """
role: agent
phrases: [tidak tahu]
allowed_continuations:
  within: 15
  first_person: FLAG
  examples: [coba cek di *, saya cek di *]
"""


@pytest.mark.parametrize(
    ("follow_up", "with_flag", "without_flag"),
    [
        # the customer sent to look: no promise of the agent's
        ("coba cek di aplikasi ya pak", FAIL, PASS),
        # the agent's own look-up, named
        ("sebentar saya cek di sistem dulu", PASS, PASS),
        ("biar aku coba cek di sistem", PASS, PASS),
    ],
)
def test_a_first_person_continuation_must_name_the_speaker(follow_up, with_flag, without_flag) -> None:
    t = call(
        ("customer", 0, 3, "kapan paket saya sampai"),
        ("agent", 3.5, 5, "wah tidak tahu pak"),
        ("agent", 6, 9, follow_up),
    )
    assert status(item("phrase_absent", FIRST_PERSON.replace("FLAG", "true")), t).status == with_flag
    assert status(item("phrase_absent", FIRST_PERSON.replace("FLAG", "false")), t).status == without_flag


def test_the_admissions_own_saya_is_no_promise() -> None:
    # "saya" belongs to the admission; the look-up after it is the customer's errand
    body = FIRST_PERSON.replace("FLAG", "true").replace("[tidak tahu]", "[saya tidak tahu]")
    t = call(
        ("customer", 0, 3, "kapan paket saya sampai"),
        ("agent", 3.5, 8, "saya tidak tahu, coba cek di aplikasi"),
    )
    assert status(item("phrase_absent", body), t).status == FAIL


SAID_OF_SELF = """
role: agent
said_of_self: FLAG
phrases: [tidak tahu]
"""


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # of the customer: "Bapak" / "Anda" is the one who does not know
        ("kalau bapak tidak tahu nomornya bisa dilihat di kartu", PASS),
        ("anda tidak tahu ya kode pos nya", PASS),
        # the agent's own, with a vocative or a first person after it
        ("pak, tidak tahu juga ya kalau itu", FAIL),
        ("bapak, tidak tahu saya kalau itu", FAIL),
        ("mohon maaf tidak tahu", FAIL),
    ],
)
def test_said_of_self_leaves_out_what_is_said_of_the_customer(said, expected) -> None:
    t = call(("customer", 0, 3, "nomor pelanggan saya berapa ya"), ("agent", 3.5, 8, said))
    assert status(item("phrase_absent", SAID_OF_SELF.replace("FLAG", "true")), t).status == expected
    assert status(item("phrase_absent", SAID_OF_SELF.replace("FLAG", "false")), t).status == FAIL


def test_said_of_the_customer_is_shown_as_evidence() -> None:
    t = call(
        ("customer", 0, 3, "nomor saya berapa"),
        ("agent", 3.5, 8, "kalau bapak tidak tahu nomornya lihat di kartu"),
    )
    r = status(item("phrase_absent", SAID_OF_SELF.replace("FLAG", "true")), t)
    assert r.status == PASS and "said only of the one spoken to" in r.reason
    assert r.evidence and "not counted" in r.evidence[0].note


@pytest.mark.parametrize(
    ("lang", "said", "expected"),
    [
        ("id", "ulun kada tahu bu, coba ibu tanya ke kantor pos", FAIL),
        ("id", "kalau ibu tidak tahu nomornya, ada di kartu ya bu", PASS),
        ("id", "saya kurang tahu pak, sebentar saya cek ke tim gudang dulu", PASS),
        ("en", "no idea, you could try their website", FAIL),
        ("en", "if you don't know your account number, it's on the bill", PASS),
        ("en", "i'm not sure, let me check with the warehouse", PASS),
        ("en", "i don't know about you but i love this weather", PASS),
    ],
)
def test_default_rubrics_hear_whose_admission_and_whose_promise(lang, said, expected) -> None:
    from callscore.rubric.schema import load_rubric

    rb = load_rubric(f"{lang}-contact-centre")
    t = transcript_from_turns(
        [ScriptedTurn("customer", 0, 3, "kapan paket saya sampai"), ScriptedTurn("agent", 3.5, 10, said)],
        call_id="c",
        language=lang,
    )
    card = score_transcript(t, rubric=rb)
    assert {i.id: i.status for i in card.items}["no_saya_tidak_tahu"] == expected
