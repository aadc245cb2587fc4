"""Timeline from audio on constructed calls: espeak-ng voices placed at known times.

Known answers: overlap start/end and dead air within 100 ms, back-channels not counted as interruptions,
hold music told apart from dead air, talk ratio and non-talk time from the placed speech.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from callsynth import Utterance, have_espeak, make_call  # noqa: E402

from callscore.speakers.assign import assign_speakers  # noqa: E402
from callscore.timeline.from_audio import CallTimelineOptions, build_call_timeline  # noqa: E402
from callscore.timeline.model import TimelineOptions
from callscore.transcript.model import AGENT, CUSTOMER  # noqa: E402

pytestmark = pytest.mark.skipif(not have_espeak(), reason="needs the espeak-ng binary")
TOL = 0.1  # s
AGENT_VOICE, CUSTOMER_VOICE = "id", "id+f3"


def script() -> dict[str, Utterance]:
    """A call with one interruption each way, a back-channel, a turn-end overlap, dead air and a hold."""
    u: dict[str, Utterance] = {}
    u["a1"] = Utterance(
        0,
        0.5,
        "Selamat pagi, terima kasih telah menghubungi layanan pelanggan, ada yang bisa saya bantu",
        AGENT_VOICE,
    )
    u["c1"] = Utterance(
        1,
        u["a1"].end + 0.4,
        "Saya mau komplain, pesanan saya belum sampai sejak minggu lalu dan saya sudah menunggu lama sekali",
        CUSTOMER_VOICE,
    )
    u["bc"] = Utterance(0, u["c1"].start + 2.0, "iya", AGENT_VOICE, kind="backchannel")
    u["a2"] = Utterance(
        0,
        u["c1"].end + 0.5,
        "Baik Ibu, mohon maaf atas ketidaknyamanannya, boleh saya tahu nomor pesanannya",
        AGENT_VOICE,
    )
    u["int_c"] = Utterance(
        1, u["a2"].start + 2.5, "Nomornya satu dua tiga empat lima enam", CUSTOMER_VOICE, kind="interruption"
    )
    u["a3"] = Utterance(0, u["a2"].end + 6.0, "Terima kasih atas kesabarannya Ibu", AGENT_VOICE)  # dead air
    u["a4"] = Utterance(0, u["a3"].end + 9.0, "Pesanan Ibu akan tiba besok pagi", AGENT_VOICE)  # after hold
    u["c2"] = Utterance(
        1,
        u["a4"].end + 0.6,
        "Tapi kemarin juga dijanjikan besok pagi dan tetap tidak datang sama sekali",
        CUSTOMER_VOICE,
    )
    u["int_a"] = Utterance(
        0,
        u["c2"].start + 2.0,
        "Saya mengerti Ibu, saya akan bantu eskalasi ke tim pengiriman sekarang juga",
        AGENT_VOICE,
        kind="interruption",
    )
    u["c3"] = Utterance(1, u["int_a"].end - 0.3, "Baik, terima kasih", CUSTOMER_VOICE)  # turn-end overlap
    return u


@pytest.fixture(scope="module")
def call(tmp_path_factory: pytest.TempPathFactory):
    u = script()
    hold = (0, u["a3"].end + 0.5, u["a4"].start - 0.5)
    path = tmp_path_factory.mktemp("calls") / "stereo.wav"
    audio, transcript = make_call(list(u.values()), str(path), holds=[hold])
    labelled = assign_speakers(transcript, audio)
    return u, hold, audio, labelled, build_call_timeline(labelled, audio)


def test_roles_detected_from_content(call) -> None:
    _, _, audio, t, tl = call
    assert t.role_of("S0") == AGENT and t.role_of("S1") == CUSTOMER
    assert tl.source == "vad"
    # load_audio used to return numpy.bool_ here, which made stereo transcripts unsaveable as JSON.
    assert type(audio.info.identical_channels) is bool


def test_customer_interruption_edges(call) -> None:
    u, _, _, _, tl = call
    (o,) = tl.interruptions(by_role=CUSTOMER)
    assert o.start == pytest.approx(u["int_c"].start, abs=TOL)
    assert o.end == pytest.approx(min(u["int_c"].end, u["a2"].end), abs=TOL)
    assert o.held_by_role == AGENT and "satu dua" in o.text


def test_agent_interruption_edges(call) -> None:
    u, _, _, _, tl = call
    (o,) = tl.interruptions(by_role=AGENT)
    assert o.start == pytest.approx(u["int_a"].start, abs=TOL)
    assert o.end == pytest.approx(min(u["int_a"].end, u["c2"].end), abs=TOL)
    assert o.held_by_role == CUSTOMER


def test_backchannel_is_not_an_interruption(call) -> None:
    u, _, _, _, tl = call
    bc = [o for o in tl.overlaps if abs(o.start - u["bc"].start) < TOL]
    assert len(bc) == 1 and bc[0].kind == "backchannel" and bc[0].text == "iya"
    assert len(tl.interruptions(by_role=None)) == 2


def test_turn_end_overlap_is_brief(call) -> None:
    u, _, _, _, tl = call
    (o,) = [x for x in tl.overlaps if abs(x.start - u["c3"].start) < TOL]
    assert o.kind == "brief" and o.end == pytest.approx(u["int_a"].end, abs=TOL)


def test_dead_air_edges(call) -> None:
    u, _, _, _, tl = call
    (gap,) = tl.dead_air()
    assert gap.start == pytest.approx(u["a2"].end, abs=TOL)
    assert gap.end == pytest.approx(u["a3"].start, abs=TOL)
    assert tl.dead_air(min_duration=10.0) == ()


def test_hold_music_is_a_hold_not_dead_air(call) -> None:
    u, _, _, _, tl = call
    (hold,) = tl.holds()
    assert hold.start == pytest.approx(u["a3"].end, abs=TOL)
    assert hold.end == pytest.approx(u["a4"].start, abs=TOL)
    assert tl.long_holds() == ()
    assert tl.long_holds(min_duration=5.0) == (hold,)


def test_non_talk_time_and_talk_ratio(call) -> None:
    u, _, _, _, tl = call
    non_talk = (u["a3"].start - u["a2"].end) + (u["a4"].start - u["a3"].end)
    assert tl.non_talk_time() == pytest.approx(non_talk, abs=2 * TOL)
    # Truth from the placed speech; a turn swallows pauses < turn_gap, none here inside one speaker's run.
    agent = sum(x.end - x.start for k, x in u.items() if x.speaker == 0 and k != "bc")
    customer = sum(x.end - x.start for x in u.values() if x.speaker == 1)
    assert tl.talk_ratio() == pytest.approx(agent / (agent + customer), abs=0.03)


def test_dead_air_bar_is_configurable(call) -> None:
    _, _, audio, t, _ = call
    opts = CallTimelineOptions(timeline=TimelineOptions(dead_air=3.0, non_talk=2.0))
    tl = build_call_timeline(t, audio, options=opts)
    assert len(tl.dead_air()) == 1 and tl.options.dead_air == 3.0


def test_without_audio_falls_back_to_word_times(call) -> None:
    u, _, _, t, _ = call
    tl = build_call_timeline(t)
    assert tl.source == "words"
    assert [o.kind for o in tl.interruptions(by_role=None)] == ["interruption", "interruption"]
    assert tl.holds() == ()  # no audio: the hold looks like dead air
    assert len(tl.dead_air()) == 2


def test_telephone_band_call(tmp_path: Path) -> None:
    u = script()
    audio, transcript = make_call(list(u.values()), str(tmp_path / "phone.wav"), telephone=True)
    assert audio.info.sample_rate == 8000
    tl = build_call_timeline(assign_speakers(transcript, audio), audio)
    (o,) = tl.interruptions(by_role=CUSTOMER)
    assert o.start == pytest.approx(u["int_c"].start, abs=TOL)
    assert o.end == pytest.approx(min(u["int_c"].end, u["a2"].end), abs=TOL)
    (gap, _) = tl.dead_air()  # without hold music the hold is a second gap
    assert gap.start == pytest.approx(u["a2"].end, abs=TOL)
    assert gap.end == pytest.approx(u["a3"].start, abs=TOL)


def test_mono_timeline_uses_diarized_turns(tmp_path: Path) -> None:
    u = script()
    plain = [replace(x, start=x.start) for k, x in u.items() if k in ("a1", "c1", "a2", "a3")]
    # No overlaps in this mono mix: one speaker at a time.
    plain[2] = replace(plain[2], start=plain[1].end + 0.5)
    plain[3] = replace(plain[3], start=plain[2].end + 4.0)
    audio, transcript = make_call(plain, str(tmp_path / "mono.wav"), mono=True)
    t = assign_speakers(transcript, audio)
    tl = build_call_timeline(t, audio)
    assert tl.overlaps == ()
    assert [x.role for x in tl.turns] == [AGENT, CUSTOMER, AGENT, AGENT]
    for turn, truth in zip(tl.turns, plain, strict=True):
        assert turn.start == pytest.approx(truth.start, abs=TOL)
        assert turn.end == pytest.approx(truth.end, abs=TOL)
    (gap,) = tl.dead_air(min_duration=3.5)
    assert gap.start == pytest.approx(plain[2].end, abs=TOL) and gap.end == pytest.approx(
        plain[3].start, abs=TOL
    )
