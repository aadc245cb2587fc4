import numpy as np
import pytest
from audiogen import tone, write_any

from callscore.audio.decode import channels_identical, load_audio
from callscore.audio.model import Audio
from callscore.errors import AudioError

LEFT, RIGHT = tone(300, 2.0), tone(500, 2.0, amp=0.2)


@pytest.mark.parametrize(
    ("name", "sr", "subtype", "n_ch"),
    [
        ("pcm16.wav", 16000, "PCM_16", 2),
        ("mulaw.wav", 8000, "ULAW", 2),
        ("alaw.wav", 8000, "ALAW", 2),
        ("mono8k.wav", 8000, "ULAW", 1),
        ("wide.flac", 44100, None, 2),
        ("music.ogg", 22050, None, 1),
        ("phone.mp3", 16000, None, 1),
        ("phone.m4a", 16000, None, 2),
    ],
)
def test_formats_decode_to_16k_float_per_channel(tmp_path, name, sr, subtype, n_ch):
    chans = [tone(300, 2.0, sr=sr), tone(500, 2.0, sr=sr, amp=0.2)][:n_ch]
    path = write_any(tmp_path / name, chans, sr=sr, subtype=subtype)
    audio = load_audio(path)
    assert isinstance(audio, Audio)
    assert audio.sample_rate == 16000
    assert audio.samples.dtype == np.float32
    assert audio.samples.shape[0] == n_ch
    assert audio.info.sample_rate == sr
    assert audio.info.channels == n_ch
    assert audio.duration == pytest.approx(2.0, abs=0.12)  # lossy codecs pad a frame
    # The 300 Hz tone stays on its channel: its spectrum peaks at 300 Hz.
    spec = np.abs(np.fft.rfft(audio.samples[0][4000:20000]))
    assert np.fft.rfftfreq(16000, 1 / 16000)[np.argmax(spec)] == pytest.approx(300, abs=3)
    if n_ch == 2:
        spec_r = np.abs(np.fft.rfft(audio.samples[1][4000:20000]))
        assert np.fft.rfftfreq(16000, 1 / 16000)[np.argmax(spec_r)] == pytest.approx(500, abs=3)


def test_telephone_codecs_are_reported(tmp_path):
    mu = load_audio(write_any(tmp_path / "a.wav", [LEFT, RIGHT], sr=8000, subtype="ULAW"))
    al = load_audio(write_any(tmp_path / "b.wav", [LEFT, RIGHT], sr=8000, subtype="ALAW"))
    assert mu.info.codec == "pcm_mulaw"
    assert al.info.codec == "pcm_alaw"
    assert mu.info.analysis_channels == 2


def test_identical_stereo_is_treated_as_mono(tmp_path):
    audio = load_audio(write_any(tmp_path / "dup.wav", [LEFT, LEFT]))
    assert audio.samples.shape[0] == 1
    assert audio.info.channels == 2
    assert audio.info.identical_channels
    assert audio.info.analysis_channels == 1


def test_identical_after_lossy_codec_is_still_mono(tmp_path):
    audio = load_audio(write_any(tmp_path / "dup.ogg", [LEFT, LEFT]))
    assert audio.info.identical_channels


def test_channels_identical_rejects_different_signals():
    assert not channels_identical(LEFT, RIGHT)
    assert not channels_identical(LEFT, np.zeros_like(LEFT))


def test_hash_is_of_file_bytes(tmp_path):
    p = write_any(tmp_path / "a.wav", [LEFT])
    import hashlib

    assert load_audio(p).info.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "file not found"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty"),
        (lambda p: (p.write_text("hello, I am a text file\n" * 50), p)[1], "not an audio file"),
        (lambda p: (p.write_bytes(np.random.default_rng(1).bytes(20000)), p)[1], "not an audio file"),
    ],
    ids=["missing", "empty", "text", "random-bytes"],
)
def test_bad_input_gives_one_line_naming_the_file(tmp_path, make, message):
    path = make(tmp_path / "call.wav")
    with pytest.raises(AudioError) as e:
        load_audio(path)
    text = str(e.value)
    assert str(path) in text
    assert message in text
    assert "\n" not in text


def test_truncated_wav_is_refused(tmp_path):
    good = write_any(tmp_path / "g.wav", [LEFT])
    bad = tmp_path / "truncated.wav"
    bad.write_bytes(good.read_bytes()[:40])
    with pytest.raises(AudioError, match="truncated.wav"):
        load_audio(bad)


def test_folder_is_refused(tmp_path):
    with pytest.raises(AudioError, match="folder"):
        load_audio(tmp_path)


def test_too_long_is_refused_with_a_clear_message(tmp_path):
    p = write_any(tmp_path / "long.wav", [tone(200, 3.0)])
    with pytest.raises(AudioError, match="over the .* limit"):
        load_audio(p, max_duration=1.0)


def test_three_channels_are_refused(tmp_path):
    p = write_any(tmp_path / "three.wav", [LEFT, RIGHT, LEFT])
    with pytest.raises(AudioError, match="3 channels"):
        load_audio(p)
