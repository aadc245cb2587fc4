"""Long calls in bounded memory: int16 storage, block-wise voice activity and energy, transcription in pieces
cut at silences (benchmarks/long_call_memory.py measures a whole 2-hour score)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from audiogen import SR, needs_espeak, speak, write_any

from callscore.asr.base import DecodeSettings, RawSegment, RawWord
from callscore.audio import decode, vad
from callscore.audio.activity import channel_activity
from callscore.audio.decode import channels_identical, load_audio
from callscore.audio.model import PCM_SCALE, as_float32
from callscore.transcript import transcribe as tr

SENTENCES = (
    "Selamat pagi, terima kasih telah menghubungi layanan pelanggan.",
    "Saya mau menanyakan tagihan bulan ini yang terlalu besar.",
    "Boleh saya minta nomor pelanggan Bapak terlebih dahulu?",
    "Mohon maaf atas ketidaknyamanannya, dananya akan kami kembalikan.",
)
GAP = 2.0  # s of line noise between turns


@pytest.fixture(scope="module")
def voice(tmp_path_factory) -> list[np.ndarray]:
    tmp = tmp_path_factory.mktemp("tts")
    return [speak(text, tmp / f"s{i}.wav") for i, text in enumerate(SENTENCES)]


def _conversation(turns: list[np.ndarray], seconds: float) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The turns in rotation with :data:`GAP` s of low noise between, to ``seconds``; and (start, end) of
    every turn placed."""
    n = int(seconds * SR)
    rng = np.random.default_rng(0)
    y = (rng.standard_normal(n) * 1e-3).astype(np.float32)
    placed: list[tuple[float, float]] = []
    at = int(GAP * SR)
    while at + turns[len(placed) % len(turns)].size < n:
        turn = turns[len(placed) % len(turns)]
        y[at : at + turn.size] += turn
        placed.append((at / SR, (at + turn.size) / SR))
        at += turn.size + int(GAP * SR)
    return y, placed


def _pcm(y: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(y * PCM_SCALE), -PCM_SCALE, PCM_SCALE - 1).astype(np.int16)


def _peak_mb(fn, *args, **kwargs) -> float:
    """Peak of memory allocated (numpy included) while ``fn`` runs, MB."""
    tracemalloc.start()
    try:
        fn(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------- storage


def test_long_stereo_is_held_as_int16_and_reads_back_as_the_float_decode(short_stereo_path, monkeypatch):
    as_float = load_audio(short_stereo_path)
    assert as_float.samples.dtype == np.float32  # under the limit: exactly as before
    monkeypatch.setattr(decode, "FLOAT_LIMIT_BYTES", 1024)
    as_pcm = load_audio(short_stereo_path)
    assert as_pcm.samples.dtype == np.int16 and as_pcm.samples.shape == as_float.samples.shape
    # 16-bit quantisation of the same decode: within half a step everywhere.
    assert np.max(np.abs(as_float32(as_pcm.samples) - as_float.samples)) <= 0.5 / PCM_SCALE + 1e-7
    assert as_pcm.info == as_float.info


def test_buffer_switches_to_int16_when_an_undeclared_length_passes_the_limit(monkeypatch):
    monkeypatch.setattr(decode, "FLOAT_LIMIT_BYTES", 4 * 2 * 3000)  # 3000 samples per channel as float
    rng = np.random.default_rng(1)
    blocks = [rng.uniform(-1, 1, (2, 700)).astype(np.float32) for _ in range(10)]
    buf = decode._SampleBuffer(2, 1000)  # declared short: it has to grow, and changes dtype on the way
    for b in blocks:
        buf.add(b)
    out = buf.result()
    assert out.dtype == np.int16 and out.shape == (2, 7000)
    assert np.array_equal(out, _pcm(np.concatenate(blocks, axis=1)))


def test_channels_identical_reads_int16_and_float_alike():
    rng = np.random.default_rng(2)
    left = rng.uniform(-0.5, 0.5, 3 * SR * 60).astype(np.float32)  # 3 min: several blocks
    other = rng.uniform(-0.5, 0.5, left.size).astype(np.float32)
    assert channels_identical(left, left.copy()) and channels_identical(_pcm(left), _pcm(left))
    assert not channels_identical(left, other) and not channels_identical(_pcm(left), _pcm(other))
    echo = left + np.float32(10 ** (-50 / 20)) * other  # a residual 50 dB down: a lossy codec's joint stereo
    assert channels_identical(_pcm(left), _pcm(echo))


# ---------------------------------------------------------------- voice activity and energy


@needs_espeak
def test_vad_gives_faster_whispers_spans_across_its_onnx_batches(voice):
    from faster_whisper.vad import VadOptions as FwVadOptions
    from faster_whisper.vad import get_speech_timestamps

    y, _ = _conversation(voice, 6 * 60)  # 6 min: two ONNX batches of 10000 windows
    assert y.size // vad.SILERO_WINDOW > vad.SILERO_BATCH
    opts = vad.VadOptions()
    fw = FwVadOptions(
        threshold=opts.threshold,
        min_speech_duration_ms=opts.min_speech_ms,
        min_silence_duration_ms=opts.min_silence_ms,
        speech_pad_ms=opts.speech_pad_ms,
    )
    ref = [(s["start"] / SR, s["end"] / SR) for s in get_speech_timestamps(y.copy(), fw, sampling_rate=SR)]
    vad._SILERO_PROBS.clear()
    assert vad.speech_spans(y=y, sr=SR, options=opts) == ref and len(ref) > 20


@needs_espeak
def test_activity_memory_does_not_grow_with_call_length(voice):
    short, _ = _conversation(voice, 6 * 60)  # past one ONNX batch of voice activity
    long, turns = _conversation(voice, 18 * 60)
    short_pcm, long_pcm = _pcm(short), _pcm(long)
    channel_activity(y=short_pcm[: 10 * SR], sr=SR)  # imports and filter design out of the figures
    vad._SILERO_PROBS.clear()
    peak_short = _peak_mb(channel_activity, y=short_pcm, sr=SR)
    vad._SILERO_PROBS.clear()
    peak_long = _peak_mb(channel_activity, y=long_pcm, sr=SR)
    # Three times the call, the same memory (one block); the band-passed float64 copy of the channel this
    # once made was 132 MB, and Silero's padded copies another 2 x 66 MB.
    assert peak_long < 1.15 * peak_short + 1.0, (peak_short, peak_long)
    assert peak_long < 0.25 * long.size * 8 / 2**20, peak_long
    # ... and the same answer as the float channel, turn for turn.
    act = channel_activity(y=long_pcm, sr=SR)
    assert act == channel_activity(y=as_float32(long_pcm), sr=SR)
    starts = [s for s, _ in act.speech]
    assert len(starts) >= len(turns) and all(min(abs(s - a) for s in starts) < 0.3 for a, _ in turns)


# ---------------------------------------------------------------- pieces


@needs_espeak
def test_pieces_end_in_silences_and_hold_their_length(voice):
    y, turns = _conversation(voice, 4 * 60)
    spans = vad.speech_spans(y=y, sr=SR)
    pieces = vad.speech_pieces(y=y, spans=spans, sr=SR, max_s=40.0)
    assert len(pieces) >= 4 and [s for p in pieces for s in p] == spans  # a partition, in order
    assert all(sum(e - s for s, e in p) <= 40.0 for p in pieces)
    assert vad.speech_pieces(y=y, spans=spans, sr=SR, max_s=1e9) == [spans]  # short: one piece, as before
    for a, b in zip(pieces, pieces[1:], strict=False):
        gap_start, gap_end = a[-1][1], b[0][0]
        # Every cut lies between two turns: after one ends, before the next begins (VAD pads 0.2 s).
        assert any(
            e - 0.3 <= gap_start and gap_end <= s + 0.3
            for (_, e), (s, _) in zip(turns, turns[1:], strict=False)
        ), (gap_start, gap_end)


def test_a_monologue_longer_than_a_piece_is_cut_at_its_quiet_moment():
    t = np.arange(int(100 * SR)) / SR
    y = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    y[int(33.0 * SR) : int(33.2 * SR)] = 0.0  # a breath in the last third of the first 40 s
    pieces = vad.speech_pieces(y=_pcm(y), spans=[(0.0, 100.0)], sr=SR, max_s=40.0)
    assert pieces[0][-1][1] == pytest.approx(33.1, abs=0.1)
    assert [s for p in pieces for s in p][-1][1] == 100.0
    assert all(sum(e - s for s, e in p) <= 40.0 for p in pieces)


class _Recorder:
    """An ASR backend that "hears" one word at the start of every 5 s of its input, and records its inputs:
    what the orchestration hands a backend and how it maps times back is what is under test."""

    name, model_id, model_sha256 = "recorder", "recorder", ""

    def __init__(self) -> None:
        self.inputs: list[int] = []

    def transcribe(self, audio: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        self.inputs.append(audio.size)
        times = np.arange(0, audio.size / SR, 5.0)
        words = tuple(RawWord(t, t + 0.5, f" p{len(self.inputs)}w{i}", 0.9) for i, t in enumerate(times))
        return [RawSegment(0.0, audio.size / SR, " ".join(w.text for w in words), words, -0.2, 0.01, 1.2)]


@needs_espeak
def test_pieces_are_bounded_and_their_words_come_back_in_call_time(voice, tmp_path, monkeypatch):
    y, _ = _conversation(voice, 3 * 60)
    path = write_any(tmp_path / "call.wav", [y])
    audio = load_audio(path)
    rec = _Recorder()
    monkeypatch.setattr(tr, "load_backend", lambda *a, **k: rec)
    monkeypatch.setattr(vad, "PIECE_S", 30.0)
    t = tr.transcribe_audio(audio, use_cache=False)
    spans = vad.speech_spans(y=audio.channel(0), sr=SR)
    assert len(rec.inputs) >= 4 and max(rec.inputs) <= 30.0 * SR + 1
    assert sum(rec.inputs) == sum(int(e * SR) - int(s * SR) for s, e in spans)  # all speech, once
    words = t.words()
    assert [w.start for w in words] == sorted(w.start for w in words)
    # Each word starts inside a speech span of the call, not at its place in the piece.
    assert all(any(s - 1e-3 <= w.start < e for s, e in spans) for w in words)
    assert words[-1].start > 150.0


@pytest.mark.model
@needs_espeak
def test_real_model_pieces_hear_as_well_as_one_go_with_words_in_their_turns(tmp_path, monkeypatch):
    import jiwer

    from callscore.transcript.textnorm import wer_tokens

    # At 120 wpm Whisper base hears the pieces with WER 0.30-0.36 on all 8 CPU paths (the whole call in
    # one go: 0.46-0.88); at 140 wpm the figures scatter too much between paths to compare (0.37-0.78).
    voice = [speak(text, tmp_path / f"s{i}.wav", rate=120) for i, text in enumerate(SENTENCES)]
    y, turns = _conversation(voice, 50.0)  # six turns
    truth = " ".join(wer_tokens(" ".join(SENTENCES[i % len(SENTENCES)] for i in range(len(turns)))))
    audio = load_audio(write_any(tmp_path / "call.wav", [y]))
    whole = tr.transcribe_audio(audio, use_cache=False)
    monkeypatch.setattr(vad, "PIECE_S", 12.0)  # two turns a piece at most: three pieces
    assert len(vad.speech_pieces(y=audio.channel(0), spans=vad.speech_spans(y=audio.channel(0)))) >= 3
    pieces = tr.transcribe_audio(audio, use_cache=False)
    wers = [float(jiwer.wer(truth, " ".join(wer_tokens(t.text(channel=0))))) for t in (whole, pieces)]
    assert wers[1] <= wers[0] + 0.1 and wers[1] < 0.5, wers
    # Words come back at their place in the call: inside the turn that said them, every turn heard.
    words = pieces.words()
    strays = [
        (w.text, round(w.start, 2), round(w.end, 2))
        for w in words
        if not any(s - 0.5 <= w.start and w.end <= e + 0.5 for s, e in turns)
    ]
    assert not strays, (strays, turns)
    assert all(sum(s - 0.5 <= w.start < e for w in words) >= 4 for s, e in turns)


def _rss_file_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssFile"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no RssFile in /proc/self/status")


def test_file_backed_samples_are_not_left_resident_by_a_pass_over_them():
    from callscore.audio.model import file_backed, float_blocks

    n = 48 * 2**20 // 2  # 48 MB of int16, 25 min at 16 kHz
    pcm = file_backed((1, n), np.int16)
    row = pcm[0]
    before = _rss_file_mb()
    for a in range(0, n, 2**20):  # written as the decoder does, block by block, pages let go
        row[a : a + 2**20] = 1000
        decode._release_rows(pcm, a, a + 2**20)
    assert _rss_file_mb() - before < 12.0
    total = sum(float(b.sum()) for _, b in float_blocks(row))
    assert total == pytest.approx(n * 1000 / PCM_SCALE)  # the data is all there...
    assert _rss_file_mb() - before < 12.0  # ... and a whole read left at most a block or two mapped


def test_short_reads_through_plain_views_let_their_pages_go():
    """A speaker's word spans are short (a page's worth of samples or less) and some readers take the
    channel as a plain ndarray view (``np.ascontiguousarray``): both used to leave every page they
    touched resident, the whole 2-hour channel by the end of a mono call's diarization."""
    from callscore.audio.model import file_backed, release

    n = 48 * 2**20 // 2  # 48 MB of int16
    pcm = file_backed((1, n), np.int16)
    row = pcm[0]
    for a in range(0, n, 2**20):
        row[a : a + 2**20] = 7
        release(row[a : a + 2**20])
    plain = np.ascontiguousarray(row)
    assert type(plain) is np.ndarray  # no ``_mmap`` of its own
    before = _rss_file_mb()
    total = 0.0
    for a in range(0, n, 1500):  # 3 kB reads, none covering a whole page, across the whole map
        total += float(as_float32(plain[a : a + 1500]).sum())
    assert total == pytest.approx(n * 7 / PCM_SCALE)  # the data read back is the data written
    assert _rss_file_mb() - before < 8.0  # was the whole 48 MB


# ---------------------------------------------------------------- diarization


def test_mono_diarization_reads_int16_piecewise_with_the_same_turns(voice):
    from callscore.speakers.diarize import diarize_two

    short, _ = _conversation(voice, 3 * 60)
    long, _ = _conversation(voice, 9 * 60)
    short_pcm, long_pcm = _pcm(short), _pcm(long)
    diarize_two(y=short_pcm[: 20 * SR])  # imports and encoder weights out of the figures
    vad._SILERO_PROBS.clear()
    peak_short = _peak_mb(diarize_two, y=short_pcm)
    vad._SILERO_PROBS.clear()
    turns: list = []
    peak_long = _peak_mb(lambda: turns.extend(diarize_two(y=long_pcm)))
    # Six more minutes add their mel frames (5.8 MB); a float32 copy of the channel would add 23 MB more
    # (0.46 GB for a 2-hour mono call). The rest is one STFT block, the same for any length.
    extra_float_mb = (long_pcm.size - short_pcm.size) * 4 / 2**20
    assert peak_long - peak_short < 0.5 * extra_float_mb, (peak_short, peak_long)
    vad._SILERO_PROBS.clear()
    assert tuple(turns) == diarize_two(y=as_float32(long_pcm)) and turns


# ---------------------------------------------------------------- prosody


def _speaker_spans(seconds: float) -> list[tuple[float, float]]:
    """Word-like spans of one speaker: 0.3-0.9 s of speech, 0.1-0.4 s apart (a mono call's words)."""
    rng = np.random.default_rng(3)
    spans, t = [], 0.2
    while t < seconds - 1.0:
        end = t + float(rng.uniform(0.3, 0.9))
        spans.append((round(t, 3), round(end, 3)))
        t = end + float(rng.uniform(0.1, 0.4))
    return spans


def test_a_long_speakers_joined_speech_is_file_backed_with_the_same_frames(voice, monkeypatch):
    import callscore.prosody.features as features
    from callscore.prosody.features import ProsodyOptions, analyse_frames

    y, _ = _conversation(voice, 4 * 60)
    pcm = _pcm(y)
    spans = _speaker_spans(4 * 60)
    opts = ProsodyOptions()
    in_memory = analyse_frames(y=pcm, sr=SR, spans=spans, options=opts)
    monkeypatch.setattr(features, "JOINED_IN_MEMORY_BYTES", 0)  # every speaker's speech file-backed
    mapped = analyse_frames(y=pcm, sr=SR, spans=spans, options=opts)
    assert in_memory.times.size > 10_000 and np.isfinite(in_memory.f0).sum() > 1_000
    assert np.array_equal(mapped.times, in_memory.times)
    assert np.array_equal(mapped.f0, in_memory.f0, equal_nan=True)
    assert np.array_equal(mapped.level_db, in_memory.level_db)


def test_prosody_memory_per_minute_is_below_the_speech_it_reads(voice, monkeypatch):
    """The speaker's speech at the tracker's 8 kHz was joined from a list of pieces (measured: 1.8 MB a
    minute of call here); now it is written in place into a file-backed map, and per-frame vectors are
    what grows (0.5 MB a minute)."""
    import callscore.prosody.features as features
    from callscore.prosody.features import ProsodyOptions, analyse_frames

    monkeypatch.setattr(features, "JOINED_IN_MEMORY_BYTES", 1 << 20)
    peaks = {}
    for minutes in (2, 8):
        pcm = _pcm(_conversation(voice, minutes * 60)[0])
        spans = _speaker_spans(minutes * 60)
        analyse_frames(y=pcm[: 20 * SR], sr=SR, spans=spans[:5], options=ProsodyOptions())  # imports
        peaks[minutes] = _peak_mb(analyse_frames, y=pcm, sr=SR, spans=spans, options=ProsodyOptions())
    joined_mb_per_min = 8000 * 60 * 4 / 2**20  # one copy of the speech at 8 kHz float32: 1.8 MB
    per_min = (peaks[8] - peaks[2]) / 6
    assert per_min < 0.5 * joined_mb_per_min, (peaks, per_min)
