"""assign_speakers: stereo channels, forced roles, mono diarization of a two-voice mix."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from callsynth import Utterance, have_espeak, make_call  # noqa: E402

from callscore.audio.model import AudioInfo
from callscore.errors import AudioError, CallscoreError  # noqa: E402
from callscore.speakers.assign import SpeakerOptions, assign_speakers, speaker_at  # noqa: E402
from callscore.speakers.diarize import SpeakerTurn, diarize_two, window_starts  # noqa: E402
from callscore.transcript.model import AGENT, CUSTOMER, Segment, Transcript, TranscriptionInfo, Word

needs_espeak = pytest.mark.skipif(not have_espeak(), reason="needs the espeak-ng binary")
AGENT_LINES = (
    "Selamat siang, terima kasih telah menghubungi layanan pelanggan, dengan saya Dewi",
    "Baik Bapak, mohon ditunggu sebentar, saya cek dulu pesanannya",
    "Mohon maaf atas ketidaknyamanannya Bapak, paket akan dikirim ulang besok",
)
CUSTOMER_LINES = (
    "Saya mau komplain, pesanan saya belum sampai sejak minggu lalu",
    "Nomor pesanannya satu dua tiga empat lima",
    "Kenapa bisa begitu, saya sudah bayar lunas",
)


def stereo_transcript(
    agent_channel: int,
    *,
    agent_first: bool = True,
    agent_lines: tuple[str, ...] = AGENT_LINES,
    customer_lines: tuple[str, ...] = CUSTOMER_LINES,
) -> Transcript:
    """Words on two channels; the agent's lines on ``agent_channel``."""
    segs, t = [], 0.5
    lines = list(zip(agent_lines, customer_lines, strict=True))
    for a, c in lines:
        pair = [(agent_channel, a), (1 - agent_channel, c)]
        for ch, text in pair if agent_first else pair[::-1]:
            words = tuple(
                Word(t + 0.3 * k, t + 0.3 * k + 0.25, f" {w}", 0.9, ch) for k, w in enumerate(text.split())
            )
            segs.append(Segment(len(segs), ch, words[0].start, words[-1].end, text, words))
            t = words[-1].end + 0.5
    info = AudioInfo(path="call.wav", sha256="0", duration=t + 1, sample_rate=8000, channels=2)
    return Transcript(info, TranscriptionInfo(backend="import", model="test"), tuple(segs))


@pytest.mark.parametrize("agent_channel", [0, 1])
@pytest.mark.parametrize("agent_first", [True, False])
def test_stereo_one_speaker_per_channel_and_agent_from_content(agent_channel: int, agent_first: bool) -> None:
    t = stereo_transcript(agent_channel, agent_first=agent_first)
    out = assign_speakers(t)
    assert [(s.label, s.channel) for s in out.speakers] == [("S0", 0), ("S1", 1)]
    assert out.label_of_role(AGENT) == f"S{agent_channel}"
    assert out.label_of_role(CUSTOMER) == f"S{1 - agent_channel}"
    agent = out.speaker(f"S{agent_channel}")
    assert agent is not None and 0.9 < agent.role_confidence < 1.0
    assert "greets with the company line" in agent.role_reason
    assert all(w.speaker == f"S{w.channel}" for w in out.words())
    assert all(s.speaker == f"S{s.channel}" for s in out.segments)


def test_input_is_not_mutated() -> None:
    t = stereo_transcript(0)
    out = assign_speakers(t)
    assert t.speakers == () and all(w.speaker is None for w in t.words())
    assert out is not t and out.segments != t.segments


@pytest.mark.parametrize(("forced", "label"), [("left", "S0"), ("right", "S1")])
def test_forced_agent_channel(forced: str, label: str) -> None:
    t = stereo_transcript(0)  # content says left; the user overrides
    out = assign_speakers(t, options=SpeakerOptions(agent_channel=forced))
    agent = out.speaker(out.label_of_role(AGENT))
    assert agent is not None and agent.label == label
    assert agent.role_confidence == 1.0 and agent.role_reason == f"forced: agent on the {forced} channel"


@pytest.mark.parametrize("agent_channel", [0, 1])
def test_stereo_customer_first_with_few_cues(agent_channel: int) -> None:
    # The caller opens ("halo selamat siang"); the agent only asks for details: content decides, not order.
    t = stereo_transcript(
        agent_channel,
        agent_first=False,
        agent_lines=("halo selamat siang bisa saya bantu", "berangkat jam berapa", "baik kami kirim bantuan"),
        customer_lines=("halo selamat siang", "alamat mereka dimana", "terima kasih"),
    )
    out = assign_speakers(t)
    assert out.label_of_role(AGENT) == f"S{agent_channel}"
    assert "recorder convention" not in (out.speakers[0].role_reason or "")


@pytest.mark.parametrize(("convention", "agent"), [("left", "S0"), ("right", "S1"), (None, None)])
def test_stereo_weak_cues_fall_back_to_recorder_convention(convention: str | None, agent: str | None) -> None:
    t = stereo_transcript(0, agent_first=False, agent_lines=("halo", "iya"), customer_lines=("halo", "oke"))
    out = assign_speakers(t, options=SpeakerOptions(convention_channel=convention))
    assert out.label_of_role(AGENT) == agent
    if agent is not None:
        assert (
            f"recorder convention decided (agent on the {convention} channel)" in out.speakers[0].role_reason
        )
    else:
        assert all(s.role is None for s in out.speakers)


def test_bad_agent_channel_is_refused() -> None:
    with pytest.raises(CallscoreError, match="agent channel 'middle'"):
        assign_speakers(stereo_transcript(0), options=SpeakerOptions(agent_channel="middle"))


def test_mono_needs_audio() -> None:
    t = stereo_transcript(0)
    mono = Transcript(
        AudioInfo(path="m.wav", sha256="0", duration=10, sample_rate=8000, channels=1), t.info, t.segments
    )
    with pytest.raises(AudioError, match="m.wav: mono call"):
        assign_speakers(mono)


def test_mono_with_given_turns_labels_words_by_turn() -> None:
    t = stereo_transcript(0)
    mono = Transcript(
        AudioInfo(path="m.wav", sha256="0", duration=30, sample_rate=8000, channels=1),
        t.info,
        tuple(
            Segment(s.id, 0, s.start, s.end, s.text, tuple(Word(w.start, w.end, w.text) for w in s.words))
            for s in t.segments
        ),
    )
    turns = [SpeakerTurn("S0" if s.channel == 0 else "S1", s.start - 0.1, s.end + 0.1) for s in t.segments]
    out = assign_speakers(mono, turns=turns)
    assert [s.speaker for s in out.segments] == [f"S{s.channel}" for s in t.segments]
    assert out.label_of_role(AGENT) == "S0" and out.speaker("S0").channel is None


def test_speaker_at_prefers_most_overlap_then_nearest() -> None:
    turns = [SpeakerTurn("S0", 0.0, 1.0), SpeakerTurn("S1", 0.9, 2.0)]
    assert speaker_at(turns, 0.5, 0.95) == "S0"
    assert speaker_at(turns, 0.95, 1.5) == "S1"
    assert speaker_at(turns, 2.3, 2.4) == "S1"
    assert speaker_at([], 0, 1) is None


def test_window_starts_stay_inside_spans() -> None:
    w = window_starts(spans=[(0.0, 1.0), (2.0, 5.0)], hop=0.5)
    assert w[0] == (0.0, 0)
    assert all(t >= 2.0 and t + 1.6 <= 5.0 + 1e-9 for t, i in w if i == 1)
    assert w[-1] == (5.0 - 1.6, 1)


def diarization_accuracy(turns, utterances, duration: float) -> float:
    """Share of true speech time (10 ms frames) given the right speaker (labels matched by best map)."""
    fr = np.arange(0, duration, 0.01)
    ref = np.full(fr.size, -1)
    hyp = np.full(fr.size, -1)
    for u in utterances:
        ref[(fr >= u.start) & (fr < u.end)] = u.speaker
    for t in turns:
        hyp[(fr >= t.start) & (fr < t.end)] = int(t.speaker[1])
    speech = ref >= 0
    same = np.sum(speech & (hyp == ref))
    swapped = np.sum(speech & (hyp >= 0) & (hyp == 1 - ref))
    return max(same, swapped) / speech.sum()


@needs_espeak
def test_mono_two_voice_mix_is_diarized(tmp_path: Path) -> None:
    utts, t = [], 0.4
    gaps = (0.5, 0.25, 0.6, 0.3, 0.8, 0.35)
    for k, (a, c) in enumerate(zip(AGENT_LINES, CUSTOMER_LINES, strict=True)):
        utts.append(Utterance(0, t, a, "id+m3"))
        utts.append(Utterance(1, utts[-1].end + gaps[2 * k], c, "id+f2"))
        t = utts[-1].end + gaps[2 * k + 1]
    audio, transcript = make_call(utts, str(tmp_path / "mono.wav"), mono=True)
    turns = diarize_two(y=audio.samples[0])
    assert {x.speaker for x in turns} == {"S0", "S1"}
    assert diarization_accuracy(turns, utts, audio.duration) > 0.93
    out = assign_speakers(transcript, audio)
    assert out.label_of_role(AGENT) == "S0" and out.label_of_role(CUSTOMER) == "S1"
    words = out.words()
    truth = [0 if any(u.speaker == 0 and u.start <= w.start < u.end for u in utts) else 1 for w in words]
    right = sum(w.speaker == f"S{k}" for w, k in zip(words, truth, strict=True))
    assert right / len(words) > 0.95


@needs_espeak
def test_mono_single_voice_is_one_speaker(tmp_path: Path) -> None:
    utts = [Utterance(0, 0.5, AGENT_LINES[0], "id+m3")]
    for line in AGENT_LINES[1:]:
        utts.append(Utterance(0, utts[-1].end + 0.6, line, "id+m3"))
    audio, transcript = make_call(utts, str(tmp_path / "one.wav"), mono=True)
    out = assign_speakers(transcript, audio)
    assert [s.label for s in out.speakers] == ["S0"]
    assert out.speakers[0].role == AGENT and "only one voice" in out.speakers[0].role_reason
