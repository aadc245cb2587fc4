"""Role detection from what each speaker says (fuzzy, Indonesian and English)."""

from __future__ import annotations

import pytest

from callscore.speakers.roles import RoleOptions, decide_roles, find_cues

AGENT_ID = (
    "Selamat pagi, terima kasih telah menghubungi Toko Maju, dengan saya Rina, ada yang bisa saya bantu? "
    "Baik Bapak, mohon ditunggu, saya cek dulu."
)
CUSTOMER_ID = "Iya mbak, saya mau komplain, pesanan saya belum sampai, kenapa lama sekali?"
# What Whisper base makes of it (~27 % WER): dropped letters, merged and split words.
AGENT_ASR = "slamat pagi trimakasih tlah menghubungi toko maju dengan saya rina ada yg bisa saya bantu"
CUSTOMER_ASR = "iya mba saya mau komplen pesanan saya belom sampai kenapa lama sekali"


@pytest.mark.parametrize("agent_label", ["S0", "S1"])
def test_agent_found_in_either_order(agent_label: str) -> None:
    other = "S1" if agent_label == "S0" else "S0"
    d = decide_roles(texts={agent_label: AGENT_ID, other: CUSTOMER_ID}, first_speaker=agent_label)
    assert d.agent == agent_label
    assert 0.9 < d.confidence < 1.0
    assert "greets with the company line" in d.reason and "complains" in d.reason
    assert d.scores[agent_label] > 0 > d.scores[other]


def test_content_beats_who_speaks_first() -> None:
    d = decide_roles(texts={"S0": CUSTOMER_ID, "S1": AGENT_ID}, first_speaker="S0")
    assert d.agent == "S1"
    assert "speaks first" not in d.reason  # speaking first is no evidence either way


def test_asr_errors_still_match() -> None:
    d = decide_roles(texts={"S0": CUSTOMER_ASR, "S1": AGENT_ASR})
    assert d.agent == "S1" and d.confidence > 0.9
    found = {m.cue for m in find_cues(text=AGENT_ASR, cues=RoleOptions().agent_cues)}
    assert {"terima kasih telah menghubungi", "ada yang bisa saya bantu", "selamat pagi"} <= found


def test_english_cues() -> None:
    d = decide_roles(
        texts={
            "S0": "Hi, I'm calling about my order, it hasn't arrived. Why is it so late?",
            "S1": "Thank you for calling Acme, my name is Sam, how can I help you?",
        },
        first_speaker="S1",
    )
    assert d.agent == "S1" and d.confidence > 0.9


def test_short_cues_match_whole_words_only() -> None:
    # "ibu" inside "ribu" and "mas" inside "emas" are not forms of address.
    cues = RoleOptions().agent_cues + RoleOptions().customer_cues
    assert find_cues(text="totalnya lima ratus ribu, emas", cues=cues) == ()
    assert [m.cue for m in find_cues(text="baik Ibu", cues=cues)] == ["ibu"]


def test_variants_of_one_phrase_count_once() -> None:
    matches = find_cues(text="terima kasih telah menghubungi kami", cues=RoleOptions().agent_cues)
    assert len(matches) == 1 and matches[0].weight == 3.0


def test_speaking_first_alone_decides_nothing() -> None:
    d = decide_roles(texts={"S0": "halo", "S1": "halo halo"}, first_speaker="S0")
    assert d.agent is None and d.confidence == 0.0


# A caller who opens the call ("halo, selamat siang") before the agent answers: real-voice dev set shape.
CALLER_FIRST = "halo selamat siang alamat mereka dimana sembilan sembilan tiga enam terima kasih"
AGENT_AFTER = (
    "satu satu sembilan selamat pagi bisa saya bantu rencananya berangkat jam berapa "
    "harga tiketnya satu juta tujuh ratus ribu kami kirim bantuan segera terima kasih"
)


def test_customer_speaking_first_is_not_the_agent() -> None:
    d = decide_roles(texts={"S0": CALLER_FIRST, "S1": AGENT_AFTER}, first_speaker="S0", convention_agent="S0")
    assert d.agent == "S1" and d.confidence > 0.8  # content beats both first speaker and convention
    assert "recorder convention" not in d.reason and "offers help" in d.reason


def test_recorder_convention_decides_only_when_cues_are_weak() -> None:
    weak = {"S0": "halo", "S1": "halo iya"}
    d = decide_roles(
        texts=weak, first_speaker="S1", convention_agent="S0", convention="agent on the left channel"
    )
    assert d.agent == "S0" and 0.5 < d.confidence < 0.6
    assert d.reason.startswith("recorder convention decided (agent on the left channel)")
    assert decide_roles(texts=weak, first_speaker="S1").agent is None  # no convention: unknown


def test_nothing_to_go_on_gives_no_agent() -> None:
    d = decide_roles(texts={"S0": "halo", "S1": "halo"})
    assert d.agent is None and d.confidence == 0.0
    both_agents = decide_roles(texts={"S0": "ada yang bisa saya bantu", "S1": "ada yang bisa saya bantu"})
    assert both_agents.agent is None and "balanced" in both_agents.reason


def test_single_customer_voice_is_not_called_agent() -> None:
    assert decide_roles(texts={"S0": CUSTOMER_ID}).agent is None
    assert decide_roles(texts={"S0": AGENT_ID}).agent == "S0"
