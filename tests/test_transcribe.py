import numpy as np
import pytest
from audiogen import SR, hold_music, line_noise, needs_espeak, pad_to, speak, write_any
from rapidfuzz import fuzz

from callscore.asr.base import RawSegment, RawWord
from callscore.audio.vad import SpeechMap, concat_speech, speech_clips
from callscore.errors import AudioError
from callscore.transcript import transcribe as tr
from callscore.transcript.model import load_transcript

GREETING = "Selamat pagi, terima kasih telah menghubungi layanan pelanggan. Ada yang bisa saya bantu?"


@pytest.fixture(scope="session")
def greeting(tmp_path_factory):
    return speak(GREETING, tmp_path_factory.mktemp("tts") / "g.wav")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    # The model folder may be shared; only transcripts go to the per-test cache.
    return tmp_path / "cache"


def fuzzy_has(text: str, phrase: str, bar: float = 70) -> bool:
    return fuzz.partial_ratio(phrase.lower(), text.lower()) >= bar


def test_speech_map_restores_channel_times():
    m = SpeechMap.from_spans([(1.0, 2.0), (5.0, 7.0)])
    assert m.to_original(0.5) == pytest.approx(1.5)
    assert m.to_original(1.5) == pytest.approx(5.5)
    assert m.to_original(1.0, is_end=True) == pytest.approx(2.0)
    assert m.to_original(1.0) == pytest.approx(5.0)
    y = np.arange(8 * SR, dtype=np.float32)
    audio, m2 = concat_speech(y=y, spans=[(1.0, 2.0), (5.0, 7.0)])
    assert audio.size == 3 * SR and audio[SR] == 5 * SR


def test_speech_clips_end_between_stretches_and_fit_a_whisper_window():
    spans = [(0.0, 10.0), (12.0, 22.0), (30.0, 40.0), (41.0, 48.0), (60.0, 61.0)]
    y = np.random.default_rng(0).normal(0, 0.1, 62 * SR).astype(np.float32)
    audio, m = concat_speech(y=y, spans=spans)
    clips = speech_clips(audio=audio, speech_map=m)
    # Joins in concatenated time are at 10, 20, 30, 37; whole stretches go together up to 30 s.
    assert clips == [(0.0, 30.0), (30.0, 38.0)]


def test_speech_clips_cut_a_long_monologue_at_its_quietest_moment():
    y = np.random.default_rng(1).normal(0, 0.1, 70 * SR).astype(np.float32)
    y[int(25.0 * SR) : int(25.3 * SR)] = 0.0  # a breath, in the last third of the first window
    audio, m = concat_speech(y=y, spans=[(0.0, 70.0)])
    clips = speech_clips(audio=audio, speech_map=m)
    assert clips[0][0] == 0.0 and clips[-1][1] == pytest.approx(70.0)
    assert all(e - s <= 30.0 for s, e in clips)
    assert all(a[1] == b[0] for a, b in zip(clips, clips[1:], strict=False))  # contiguous: nothing lost
    assert 25.0 <= clips[0][1] <= 25.3


@pytest.mark.model
def test_batched_decoding_hears_what_sequential_decoding_hears(examples_dir, data_dir, cache):
    # good_call's agent channel is three 30 s clips: batched decoding must cover all of them (Whisper
    # sometimes ends a window early; the rest is decoded in a second round) with times in the call.
    from callscore.transcript.textnorm import normalize_text as normalise

    sequential = load_transcript(data_dir / "example_transcripts" / "good_call.json")
    options = tr.TranscribeOptions(decode=tr.DecodeSettings(batch_size=4))
    batched = tr.transcribe_path(examples_dir / "good_call.ogg", options=options, use_cache=False)
    assert batched.info.options["decode"]["batch_size"] == 4
    for ch in (0, 1):
        want = [w for w in sequential.words() if w.channel == ch]
        got = [w for w in batched.words() if w.channel == ch]
        assert got and all(0 <= w.start <= w.end <= batched.audio.duration for w in got)
        assert got[-1].end == pytest.approx(want[-1].end, abs=3.0), "the end of the channel was dropped"
        assert len(got) >= 0.85 * len(want)
        heard = set(normalise(" ".join(w.text for w in got)).split())
        expected = set(normalise(" ".join(w.text for w in want)).split())
        assert len(heard & expected) >= 0.6 * len(expected)  # both are noisy readings of espeak speech


@pytest.mark.parametrize(
    ("seg", "bad"),
    [
        (RawSegment(0, 1, "halo", (RawWord(0, 1, "halo", 0.9),), -0.2, 0.1, 1.0), False),
        (RawSegment(0, 1, "halo", (), -1.5, 0.9, 1.0), True),
        (RawSegment(0, 1, "a a a a a a a a", (), -0.2, 0.1, 3.1), True),
        (
            RawSegment(
                0, 1, "ya ya ya ya", tuple(RawWord(i, i + 1, " ya", 0.9) for i in range(4)), -0.2, 0.1, 1
            ),
            True,
        ),
        (RawSegment(0, 1, "  ", (), -0.2, 0.1, 1.0), True),
    ],
)
def test_degenerate_segments_are_dropped(seg, bad):
    assert tr.is_degenerate(seg) is bad


@pytest.mark.model
@needs_espeak
def test_real_transcription_stereo_speech_and_silence(tmp_path, greeting, cache):
    # Left: the agent speaks after 1 s; right: pure digital silence. Telephone band: 8 kHz µ-law.
    import soxr

    left = np.concatenate([np.zeros(SR, np.float32), greeting])
    left = soxr.resample(left, SR, 8000).astype(np.float32)
    path = write_any(tmp_path / "call.wav", [left, np.zeros_like(left)], sr=8000, subtype="ULAW")
    t = tr.transcribe_path(path)
    assert t.channels == (0,)
    text = t.text(channel=0)
    for key in ("selamat pagi", "terima kasih", "bantu"):
        assert fuzzy_has(text, key), (key, text)
    words = t.words()
    assert words and all(w.channel == 0 for w in words)
    assert words[0].start == pytest.approx(1.0, abs=0.5)  # the 1 s lead-in is kept in the timestamps
    assert all(w.end >= w.start for w in words)
    assert t.info.backend == "faster-whisper" and t.info.options["decode"]["beam_size"] == 5
    assert t.info.options["compute_type"] == "int8"
    assert not t.info.options["decode"]["condition_on_previous_text"]


@pytest.mark.model
@needs_espeak
def test_second_run_comes_from_cache_without_calling_the_model(tmp_path, greeting, cache, monkeypatch):
    path = write_any(tmp_path / "call.wav", [greeting])
    first = tr.transcribe_path(path)
    backend = tr.load_backend("faster-whisper", None, device="cpu", compute_type="int8", cpu_threads=0)

    def boom(*a, **k):
        raise AssertionError("model called despite cache")

    monkeypatch.setattr(backend, "transcribe", boom)
    assert tr.transcribe_path(path) == first
    # Other settings are another cache entry, so the model is called.
    other = tr.TranscribeOptions(decode=tr.DecodeSettings(beam_size=1))
    with pytest.raises(AssertionError, match="model called"):
        tr.transcribe_path(path, options=other)
    assert list((cache / "transcripts").glob("*.json"))


@pytest.mark.model
def test_silence_noise_and_hold_music_give_no_words(tmp_path, cache):
    seconds = 20
    for name, chans in {
        "silence": [np.zeros(seconds * SR, np.float32)],
        "noise+music": [line_noise(seconds), hold_music(seconds)],
        "ringback": [
            pad_to(np.tile(np.concatenate([hold_music(2.0), np.zeros(4 * SR, np.float32)]), 4), seconds * SR)
        ],
    }.items():
        path = write_any(tmp_path / f"{name}.wav", chans)
        with pytest.raises(AudioError, match="no speech found"):
            tr.transcribe_path(path, use_cache=False)


@pytest.mark.model
@needs_espeak
def test_hold_music_channel_adds_no_words_to_a_real_call(tmp_path, greeting, cache):
    music = hold_music(greeting.size / SR)
    t = tr.transcribe_path(write_any(tmp_path / "c.wav", [greeting, music]), use_cache=False)
    assert t.channels == (0,)


def test_saved_transcript_is_accepted_instead_of_audio(tmp_path):
    from test_transcript import make

    from callscore.transcript.model import save_transcript

    original = make()
    p = save_transcript(original, tmp_path / "t.json")
    # Compared with the transcript that was saved, not with another load of the same file.
    assert tr.transcribe_path(p) == original
