"""Property tests of calm/confidence on espeak-ng speech changed with sox, and the not-measured cases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from prosody_synth import HAVE_TOOLS, Call, Voice, agent_plan, audio_of, make_call

from callscore.audio.decode import load_audio
from callscore.errors import CallscoreError
from callscore.intervals import subtract_spans
from callscore.prosody.features import count_syllables, is_filled_pause
from callscore.prosody.report import ProsodyError, ProsodyOptions, analyze_prosody, prosody_to_dict
from callscore.prosody.scores import BASELINE, FULL_SCORE
from callscore.transcript.model import Speaker

pytestmark = pytest.mark.skipif(not HAVE_TOOLS, reason="needs Debian espeak-ng and sox")


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prosody")


@pytest.fixture(scope="session")
def voice(folder: Path) -> Voice:
    return Voice(folder)


@pytest.fixture(scope="session")
def plan(voice: Voice) -> list:
    return agent_plan(voice, repeats=1)


@pytest.fixture(scope="session")
def normal(voice: Voice, plan: list, folder: Path) -> Call:
    return make_call(voice, plan, folder=folder)


def agent(call: Call, **kw):
    report = analyze_prosody(call.audio, call.transcript, options=ProsodyOptions(**kw))
    assert report.agent is not None and report.agent.speaker == "S0"
    return report.agent


# --- calm -----------------------------------------------------------------------------------------------


def test_steady_agent_is_calm_and_explained(normal: Call) -> None:
    a = agent(normal)
    assert a.calm.score is not None and a.calm.score >= 70
    assert a.features.problems == ()
    f = a.features
    assert 75 < f.f0_median_hz < 95  # espeak-ng Indonesian is a low male voice (~82 Hz)
    assert 3.5 < f.speaking_rate < 6.0
    # The explanation adds up: base + the contributions = the score (no clipping at this level).
    assert a.calm.score == pytest.approx(FULL_SCORE + sum(c.points for c in a.calm.contributions), abs=0.1)
    assert a.confidence.score == pytest.approx(
        FULL_SCORE + sum(c.points for c in a.confidence.contributions), abs=0.1
    )
    assert a.calm.reason.startswith("calm ")
    assert {c.feature for c in a.calm.contributions} >= {"speaking_rate", "f0_spread_st", "loudness_db"}


@pytest.mark.parametrize(
    ("change", "feature", "min_drop"),
    [
        ({"tempo": 1.35}, "speaking_rate", 6.0),
        ({"sox": ["gain", "8"]}, "loudness_db", 1.0),
        ({"swing": 400}, "f0_spread_st", 4.0),
        ({"sox": ["gain", "8", "pitch", "300"], "swing": 400, "tempo": 1.35}, "speaking_rate", 12.0),
    ],
    ids=["faster", "louder", "more-variable-pitch", "faster-louder-higher-variable"],
)
def test_agitated_agent_is_less_calm(
    normal: Call, voice: Voice, plan: list, folder: Path, change: dict, feature: str, min_drop: float
) -> None:
    if "swing" in change:  # words alternately 4 semitones up and down
        plan = agent_plan(voice, repeats=1, pitch_swing=change["swing"])
    changed = make_call(voice, plan, folder=folder, sox=change.get("sox", ()), tempo=change.get("tempo", 1.0))
    before, after = agent(normal), agent(changed)
    assert after.calm.score <= before.calm.score - min_drop, after.calm.reason
    points = {c.feature: c.points for c in after.calm.contributions}
    points_before = {c.feature: c.points for c in before.calm.contributions}
    assert points[feature] < points_before[feature]


def test_higher_but_steady_voice_is_not_marked_agitated(
    normal: Call, voice: Voice, plan: list, folder: Path
) -> None:
    higher = make_call(voice, plan, folder=folder, sox=["pitch", "500"])
    a, b = agent(normal), agent(higher)
    assert b.features.f0_median_hz / a.features.f0_median_hz == pytest.approx(2 ** (5 / 12), rel=0.04)
    assert b.calm.score >= a.calm.score - 3.0


def test_agent_tensing_up_shows_in_the_curve_and_the_call_score(voice: Voice, folder: Path) -> None:
    first = agent_plan(voice, repeats=1)
    later = {"repeats": 1, "start": first[-1][-1].end + 3.0}
    calm_call = make_call(voice, first + agent_plan(voice, **later), folder=folder)
    # The same words again, but from the second minute on higher, louder, faster and swinging in pitch.
    tense = make_call(
        voice,
        first + agent_plan(voice, pitch_swing=400, **later),
        folder=folder,
        split=first[-1][-1].end + 1.5,
        split_sox=["gain", "8", "pitch", "300"],
        tempo=1.3,
    )
    a, b = agent(calm_call), agent(tense)
    assert len(b.curve) == 2 and all(p.calm.measured for p in b.curve)
    assert b.curve[1].calm.score < b.curve[0].calm.score - 15
    assert abs(a.curve[1].calm.score - a.curve[0].calm.score) < 5
    assert b.calm.score < a.calm.score - 10
    escalation = [c for c in b.calm.contributions if c.basis == BASELINE]
    assert escalation and min(c.points for c in escalation) < -2
    assert any(c.feature == "window_vs_call_f0_st" and c.value > 0.5 for c in escalation)
    assert b.curve[1].features.f0_median_hz > b.curve[0].features.f0_median_hz


# --- confidence ---------------------------------------------------------------------------------------

HESITANT = {"pause_every": 3, "pause": 1.2, "fillers": ("eh", "em"), "fade_db": 10.0, "rising_final": True}


@pytest.mark.parametrize(
    ("change", "feature"),
    [
        ({"pause_every": 3, "pause": 1.2}, "pause_rate"),
        ({"pause_every": 3, "pause": 0.6, "fillers": ("eh", "em")}, "filled_pause_rate"),
        ({"fade_db": 10.0}, "loudness_decline_db"),
        ({"rising_final": True}, "final_rise_fraction"),
        (HESITANT, "filled_pause_rate"),
    ],
    ids=["long-pauses", "filled-pauses", "falling-loudness", "rising-finals", "all-of-them"],
)
def test_hesitant_agent_is_less_confident(
    normal: Call, voice: Voice, folder: Path, change: dict, feature: str
) -> None:
    hesitant = make_call(voice, agent_plan(voice, repeats=1, **change), folder=folder)
    before, after = agent(normal), agent(hesitant)
    drop = 40.0 if change is HESITANT else 8.0
    assert after.confidence.score <= before.confidence.score - drop, after.confidence.reason
    points = {c.feature: c.points for c in after.confidence.contributions}
    assert points[feature] < 0
    assert feature in after.confidence.reason  # among the biggest movers named in the one-line reason


def test_hesitation_features_are_measured(voice: Voice, folder: Path) -> None:
    a = agent(make_call(voice, agent_plan(voice, repeats=1, **HESITANT), folder=folder))
    f = a.features
    assert f.filled_pauses >= 10
    assert f.pause_mean == pytest.approx(0.9, abs=0.15)  # 1.2 s before a filler, 0.6 s after it
    assert f.loudness_decline_db > 5
    assert f.final_rise_fraction >= 0.5 and f.final_movement_st > 0.5
    assert f.articulation_rate > f.speaking_rate


# --- telephone audio, mono calls, roles ------------------------------------------------------------------


def test_telephone_band_mulaw_gives_the_same_picture(normal: Call, tmp_path: Path) -> None:
    path = tmp_path / "call-8k.wav"
    from scipy.signal import resample_poly

    sf.write(path, resample_poly(normal.audio.samples, 1, 2, axis=1).T, 8000, subtype="ULAW")
    phone = load_audio(path)
    a, b = agent(normal), agent(Call(phone, normal.transcript))
    assert 12 * np.log2(b.features.f0_median_hz / a.features.f0_median_hz) == pytest.approx(0, abs=0.5)
    assert b.calm.score == pytest.approx(a.calm.score, abs=5)
    assert b.confidence.score == pytest.approx(a.confidence.score, abs=5)


def test_mono_call_with_diarized_speakers(normal: Call) -> None:
    mono = audio_of(normal.audio.samples.sum(axis=0, keepdims=True))
    segs = [
        replace(
            s,
            channel=0,
            speaker=f"S{s.channel}",
            words=tuple(replace(w, channel=0, speaker=f"S{s.channel}") for w in s.words),
        )
        for s in normal.transcript.segments
    ]
    t = replace(
        normal.transcript,
        segments=tuple(segs),
        speakers=(Speaker("S1", None, "customer", 0.9), Speaker("S0", None, "agent", 0.9)),
    )
    report = analyze_prosody(mono, t)
    assert [s.role for s in report.speakers] == ["agent", "customer"]
    assert report.calm.score == pytest.approx(agent(normal).calm.score, abs=3)


def test_agent_role_on_the_right_channel(normal: Call) -> None:
    t = replace(
        normal.transcript,
        speakers=(Speaker("S0", 0, "customer", 1.0), Speaker("S1", 1, "agent", 1.0)),
    )
    t = t.with_segments(
        replace(s, speaker=f"S{s.channel}", words=tuple(replace(w, speaker=f"S{w.channel}") for w in s.words))
        for s in t.segments
    )
    report = analyze_prosody(normal.audio, t)
    assert report.agent is not None and report.agent.channel == 1 and report.agent.speaker == "S1"
    assert report.agent.features.n_words == len(normal.transcript.words(channel=1))
    assert [(s.speaker, s.role, s.channel) for s in report.speakers] == [
        ("S1", "agent", 1),
        ("S0", "customer", 0),
    ]


# --- not measured ---------------------------------------------------------------------------------------


def test_no_audio_is_not_measured(normal: Call) -> None:
    report = analyze_prosody(None, normal.transcript)
    assert report.calm.score is None and report.confidence.score is None
    assert "no audio" in report.calm.reason
    assert report.agent.features.speaking_rate is not None  # word timings still give the tempo
    assert all(p.calm.score is None for p in report.agent.curve)


def test_silent_agent_channel_is_not_measured(normal: Call) -> None:
    samples = normal.audio.samples.copy()
    samples[0] = 0.0
    a = agent(Call(audio_of(samples), normal.transcript))
    assert a.calm.score is None and "silent" in a.calm.reason


def test_speech_with_word_spans_mostly_silent_is_not_called_silent(normal: Call) -> None:
    """Issue 11: a -22 dBFS real voice was "silent (below -60 dBFS)" because Whisper stretched its words
    over pauses, so most of its frames were hiss. Here the agent's words also cover 150 s of -70 dBFS hiss:
    the median frame is hiss, the loudest frames are the voice."""
    from callscore.transcript.model import Segment, Word

    tail = 150.0
    n = int(tail * normal.audio.sample_rate)
    rng = np.random.default_rng(1)
    hiss = (10 ** (-70 / 20) * rng.standard_normal((2, n))).astype(np.float32)
    samples = np.concatenate([normal.audio.samples, hiss], axis=1)
    t0 = normal.audio.duration
    words = tuple(Word(t0 + 0.5 * k, t0 + 0.5 * k + 0.45, " ya", 0.9, 0) for k in range(int(tail / 0.5) - 2))
    seg = Segment(len(normal.transcript.segments), 0, words[0].start, words[-1].end, "ya", words)
    t = normal.transcript.with_segments([*normal.transcript.segments, seg])
    a = agent(Call(audio_of(samples), t))
    f = a.features
    assert "silent" not in a.calm.reason, a.calm.reason
    assert f.loudness_db is not None and f.loudness_db > -45  # the voice, not the hiss


def test_clipped_audio_is_not_measured(normal: Call) -> None:
    samples = normal.audio.samples.copy()
    samples[0] *= 30.0
    a = agent(Call(audio_of(samples), normal.transcript))
    assert a.calm.score is None and "clipped" in a.calm.reason
    assert a.features.clipped_fraction > 0.01


def test_heavy_noise_is_not_measured(normal: Call) -> None:
    rng = np.random.default_rng(0)
    samples = normal.audio.samples + 0.08 * rng.standard_normal(normal.audio.samples.shape).astype(np.float32)
    a = agent(Call(audio_of(samples), normal.transcript))
    assert a.calm.score is None and "too noisy" in a.calm.reason
    assert a.features.snr_db < 10
    mild = normal.audio.samples + 0.002 * rng.standard_normal(normal.audio.samples.shape).astype(np.float32)
    assert agent(Call(audio_of(mild), normal.transcript)).calm.measured


def test_too_little_speech_and_one_word_turns(normal: Call, voice: Voice, folder: Path) -> None:
    short = make_call(voice, agent_plan(voice, lines=("selamat pagi bapak",), repeats=1), folder=folder)
    a = agent(short)
    assert a.calm.score is None and "too little speech" in a.calm.reason
    one_word = make_call(voice, agent_plan(voice, lines=("iya",) * 12, repeats=1), folder=folder)
    a = agent(one_word, min_speech=0.0)
    assert a.calm.score is None and "one-word turns" in a.calm.reason


def test_quiet_window_is_not_measured_but_others_are(voice: Voice, folder: Path) -> None:
    # Two turns at the start, then one short reply after a long hold: the last window has too little.
    turns = agent_plan(voice, repeats=1)
    late = agent_plan(voice, lines=("baik bapak",), repeats=1, start=turns[-1][-1].end + 70.0)
    a = agent(make_call(voice, turns + late, folder=folder))
    assert a.calm.measured and len(a.curve) == 3
    assert a.curve[0].calm.measured and a.curve[-1].calm.score is None
    assert "too little speech" in a.curve[-1].calm.reason


# --- pieces -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "n"),
    [("selamat", 3), ("pantai", 2), ("pulau", 2), ("dia", 2), ("daerah", 3), ("hmm", 1), ("Terima,", 3)],
)
def test_indonesian_syllables(word: str, n: int) -> None:
    assert count_syllables(word) == n


def test_english_syllables() -> None:
    assert [count_syllables(w, language="en") for w in ("hello", "make", "thank", "table")] == [2, 1, 1, 2]


def test_filled_pauses() -> None:
    assert all(is_filled_pause(w) for w in ("eh", " Em...", "ehm", "eee", "hmm", "anu", "uh", "um"))
    assert not any(is_filled_pause(w) for w in ("emas", "ada", "hai", "menu", "e-mail"))


def test_subtract_spans() -> None:
    assert subtract_spans([(0.0, 10.0)], [(2.0, 3.0), (5.0, 6.0)]) == [(0.0, 2.0), (3.0, 5.0), (6.0, 10.0)]
    assert subtract_spans([(0.0, 1.0)], [(0.0, 2.0)]) == []


def test_bad_options_raise_one_clear_error(normal: Call) -> None:
    with pytest.raises(ProsodyError, match="tracker 'crepe' unknown"):
        analyze_prosody(normal.audio, normal.transcript, options=ProsodyOptions(tracker="crepe"))
    with pytest.raises(CallscoreError, match="sex 'x' unknown"):
        analyze_prosody(normal.audio, normal.transcript, options=ProsodyOptions(sex="x"))


def test_report_serialises_to_plain_json(normal: Call) -> None:
    import json

    d = prosody_to_dict(analyze_prosody(normal.audio, normal.transcript))
    text = json.dumps(d)
    assert '"calm"' in text and d["speakers"][0]["role"] == "agent"


# --- optional Praat tracker (GPL-3 extra) -------------------------------------------------------------


def test_praat_tracker_missing_says_which_extra(normal: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from callscore.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "parselmouth", None)  # import fails as if not installed
    with pytest.raises(MissingDependencyError, match=r"callscore\[praat\]"):
        analyze_prosody(normal.audio, normal.transcript, options=ProsodyOptions(tracker="praat"))


def test_praat_tracker_agrees_with_yin_and_adds_jitter_shimmer(normal: Call) -> None:
    pytest.importorskip("parselmouth")
    yin, praat = agent(normal), agent(normal, tracker="praat")
    assert 12 * np.log2(praat.features.f0_median_hz / yin.features.f0_median_hz) == pytest.approx(0, abs=0.5)
    assert praat.calm.score == pytest.approx(yin.calm.score, abs=6)
    assert 0 < praat.features.jitter_pct < 5 and 0 < praat.features.shimmer_pct < 30
    assert yin.features.jitter_pct is None and any("jitter" in n for n in yin.features.notes)
    assert not any("jitter" in n for n in praat.features.notes)
