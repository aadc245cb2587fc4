"""Two-pass decoding (``DecodeSettings.first_pass_beam``): a cheap pass, then full width only where unsure."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pytest

from callscore.asr import faster
from callscore.asr.base import DecodeSettings, RawSegment, RawWord

SR = 16000


def seg(start: float, end: float, text: str, logprob: float, *, ratio: float = 1.2, no_speech: float = 0.1):
    words = text.split()
    step = (end - start) / len(words)
    return RawSegment(
        start,
        end,
        text,
        tuple(RawWord(start + i * step, start + (i + 1) * step - 0.05, w, 0.9) for i, w in enumerate(words)),
        logprob,
        no_speech,
        ratio,
    )


def test_unsure_regions_run_from_the_last_sure_word_to_the_next_one():
    s = DecodeSettings(first_pass_beam=1)
    segs = [
        seg(0.0, 2.0, "selamat pagi", -0.2),
        seg(2.5, 4.0, "ada yang", -0.9),  # unsure
        seg(4.0, 5.0, "bisa", -0.8),  # unsure, joins the one before
        seg(6.0, 8.0, "saya bantu", -0.3),
        seg(9.0, 10.0, "aaaa aaaa", -0.2, ratio=3.0),  # degenerate, the last one: runs to the end
        seg(10.5, 11.0, "hmm", -1.5, no_speech=0.9),  # silence by Whisper's rule: left alone
    ]
    regions = faster.unsure_regions(segs, settings=s, total=12.0)
    assert regions[0] == pytest.approx((1.95, 6.0))
    assert regions[1] == pytest.approx((7.95, 10.5))
    assert len(regions) == 2
    assert faster.unsure_regions(segs[:1] + segs[3:4], settings=s, total=12.0) == []


@dataclass
class FakeModel:
    """Stands in for WhisperModel: beam 1 is unsure about 3-6 s of the audio, beam 5 is not."""

    calls: list[tuple[float, int, tuple[float, ...]]] = field(default_factory=list)

    def transcribe(self, audio, **kw):
        n = audio.size / SR
        self.calls.append((n, kw["beam_size"], tuple(kw["temperature"])))
        if kw["beam_size"] == 1:
            out = [
                seg(0.0, 3.0, "selamat pagi", -0.2),
                seg(3.0, 6.0, "adha yng", -1.1),
                seg(6.0, 9.0, "terima kasih", -0.1),
            ]
        else:
            out = [seg(0.1, n - 0.1, "ada yang bisa", -0.3)]
        return iter(
            SimpleNamespace(
                **vars(s)
                | {
                    "words": [
                        SimpleNamespace(
                            word=w.text, **{k: getattr(w, k) for k in ("start", "end", "probability")}
                        )
                        for w in s.words
                    ]
                }
            )
            for s in out
        ), None


def test_two_pass_decodes_only_the_unsure_stretch_again_at_full_width():
    backend = object.__new__(faster.FasterWhisperBackend)
    backend._model = FakeModel()
    backend._batched = None
    settings = DecodeSettings(first_pass_beam=1)
    out = backend.transcribe(np.zeros(10 * SR, np.float32), settings)
    calls = backend._model.calls
    assert calls[0] == (10.0, 1, (0.0,))  # first pass: greedy, no temperature ladder
    assert len(calls) == 2 and calls[1][1] == 5 and calls[1][2] == settings.temperature
    assert calls[1][0] == pytest.approx(6.0 - 2.95, abs=0.01)  # from 'pagi' to 'terima' only
    assert [s.text for s in out] == ["selamat pagi", "ada yang bisa", "terima kasih"]
    redo = out[1]
    assert redo.start > 2.95 and redo.end < 6.0  # redo's times are shifted back into the audio
    assert all(2.95 <= w.start <= w.end <= 6.0 for w in redo.words)


def test_two_pass_is_one_pass_when_the_first_pass_is_sure():
    backend = object.__new__(faster.FasterWhisperBackend)
    model = FakeModel()
    backend._model = model
    backend._batched = None
    out = backend.transcribe(
        np.zeros(10 * SR, np.float32), DecodeSettings(first_pass_beam=1, first_pass_logprob=-1.5)
    )
    assert len(model.calls) == 1 and [s.text for s in out] == ["selamat pagi", "adha yng", "terima kasih"]
    # first_pass_beam 0 (or not below beam_size) is Whisper's single pass at beam_size
    model.calls.clear()
    backend.transcribe(np.zeros(10 * SR, np.float32), DecodeSettings(first_pass_beam=0))
    assert [c[1] for c in model.calls] == [5]


def test_every_transcribing_command_takes_first_pass_beam():
    from callscore.cli.asr_options import ASR_NAMES, asr_options

    assert "first_pass_beam" in ASR_NAMES
    assert asr_options(first_pass_beam=1).decode.first_pass_beam == 1
    assert asr_options(first_pass_beam=-3).decode.first_pass_beam == 0  # nonsense means one pass
    assert asr_options().decode.first_pass_beam == DecodeSettings().first_pass_beam


@pytest.mark.model
def test_two_pass_hears_what_one_pass_hears(examples_dir, data_dir, tmp_path, monkeypatch):
    # good_call (espeak, 90 s stereo): the greedy pass with beam-5 redos must read the call as the
    # shipped one-pass transcript does, over the whole of each channel, times in the call.
    from callscore.transcript.textnorm import normalize_text as normalise
    from callscore.transcript import transcribe as tr
    from callscore.transcript.model import load_transcript

    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    one = load_transcript(data_dir / "example_transcripts" / "good_call.json")
    options = tr.TranscribeOptions(decode=DecodeSettings(first_pass_beam=1))
    two = tr.transcribe_path(examples_dir / "good_call.ogg", options=options, use_cache=False)
    assert two.info.options["decode"]["first_pass_beam"] == 1
    for ch in (0, 1):
        want = [w for w in one.words() if w.channel == ch]
        got = [w for w in two.words() if w.channel == ch]
        assert got and all(0 <= w.start <= w.end <= two.audio.duration for w in got)
        assert got[-1].end == pytest.approx(want[-1].end, abs=3.0), "the end of the channel was dropped"
        assert 0.85 * len(want) <= len(got) <= 1.15 * len(want)
        heard = set(normalise(" ".join(w.text for w in got)).split())
        expected = set(normalise(" ".join(w.text for w in want)).split())
        assert len(heard & expected) >= 0.75 * len(expected)
