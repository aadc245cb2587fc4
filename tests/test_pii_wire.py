"""``--redact none|text|audio`` through the product: score, batch, render, the transcript cache, file modes,
``callscore cache clear``; end to end with espeak-made calls and the bundled model: no digit of a spoken
NIK, phone or card number in any file callscore writes, and the redacted recording the HTML plays."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import stat
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from callscore.audio import AudioInfo
from callscore.pii import PiiError
from callscore.pii.wire import (
    check_mode,
    recorded_redactions,
    redact_text,
    redacted_audio_path,
    scorecard_mode,
)
from callscore.pipeline import PipelineOptions, score_path
from callscore.transcript import Segment, Transcript, TranscriptionInfo, Word, save_transcript

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

NIK = "3174051205900001"
PHONE = "081234567890"
CARD = "4532015112830366"
VALUES = (NIK, PHONE, CARD)
HAVE_ESPEAK = shutil.which("espeak-ng") is not None


def _words(channel: int, t0: float, text: str) -> tuple[float, tuple[Word, ...]]:
    words = []
    t = t0
    for w in text.split():
        words.append(Word(start=round(t, 3), end=round(t + 0.35, 3), text=" " + w, channel=channel))
        t += 0.4
    return t, tuple(words)


def pii_call(tmp_path: Path) -> Path:
    """A saved transcript where the customer gives a NIK, a phone number and a card number."""
    turns = [
        (
            0,
            "Selamat pagi, terima kasih telah menghubungi layanan pelanggan, dengan saya Rina, "
            "ada yang bisa dibantu?",
        ),
        (1, "Saya mau tanya tagihan."),
        (0, "Baik, untuk verifikasi, NIK Bapak berapa?"),
        (1, f"NIK saya {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}."),
        (0, "Nomor HP yang bisa dihubungi?"),
        (1, f"Nomor HP saya {PHONE[:4]} {PHONE[4:8]} {PHONE[8:]}."),
        (0, "Nomor kartunya berapa?"),
        (1, f"Kartu kredit saya {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}."),
        (
            0,
            "Baik, sudah saya catat nomornya. Apakah ada lagi yang bisa saya bantu? "
            "Terima kasih, selamat pagi.",
        ),
    ]
    t = 0.5
    segs = []
    for n, (ch, text) in enumerate(turns):
        end, words = _words(ch, t, text)
        segs.append(
            Segment(id=n, channel=ch, start=words[0].start, end=words[-1].end, text=text, words=words)
        )
        t = end + 0.6
    transcript = Transcript(
        audio=AudioInfo(
            path=str(tmp_path / "call.wav"), sha256="", duration=t, sample_rate=16000, channels=2
        ),
        info=TranscriptionInfo(backend="import", model="test", language="id"),
        segments=tuple(segs),
    )
    return save_transcript(transcript, tmp_path / "in" / "call.json")


def leaks(text: str, values=VALUES) -> list[str]:
    """Each value, or any 4-digit group of it, found as a token in ``text``."""
    found = []
    for v in values:
        if v in re.sub(r"[\s.-]", "", text):
            found.append(v)
        for i in range(0, len(v) - 3, 4):
            if re.search(rf"(?<![0-9a-f]){v[i : i + 4]}(?![0-9a-f])", text):
                found.append(v[i : i + 4])
    return found


def every_file(*folders: Path) -> list[Path]:
    return [p for f in folders if f.exists() for p in sorted(f.rglob("*")) if p.is_file()]


def file_text(p: Path) -> str:
    return p.read_bytes().decode("utf-8", errors="replace")


def mode_of(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# -- modes ------------------------------------------------------------------------------------------------
def test_modes_are_checked() -> None:
    assert [check_mode(m) for m in ("none", "TEXT", " audio")] == ["none", "text", "audio"]
    with pytest.raises(PiiError, match="--redact 'mask'"):
        check_mode("mask")
    assert PipelineOptions().redact == "text"  # the documented default


def test_text_redaction_records_spans_not_values(tmp_path: Path) -> None:
    from callscore.transcript import load_transcript

    t = load_transcript(pii_call(tmp_path))
    r = redact_text(t)
    spans = recorded_redactions(r)
    assert spans is not None and {s.type for s in spans} >= {"nik", "phone", "card"}
    assert not leaks(json.dumps(r.info.options)) and not leaks(r.text())
    assert "[NIK]" in r.text() and "[TELEPON]" in r.text() and "[KARTU]" in r.text()
    assert redact_text(r) is r  # a redacted transcript is not detected twice
    assert recorded_redactions(t) is None


def test_placeholders_survive_rubric_text_normalisation() -> None:
    """An item that checks a number was read back can look for the placeholder in the normalised text."""
    from callscore.transcript.textnorm import normalize_text

    norm = normalize_text("Nomor rekening saya [REKENING], HP [TELEPON].")
    assert "rekening" in norm.split() and "telepon" in norm.split()


# -- score / render on a saved transcript (no model) --------------------------------------------------------
def test_score_text_mode_keeps_digits_out_of_every_output(tmp_path: Path) -> None:
    from callscore.cli import app

    src = pii_call(tmp_path)
    out = tmp_path / "out"
    for fmt in ("json", "md", "html", "table"):
        res = CliRunner().invoke(
            app,
            ["score", str(src), "--format", fmt, "--out", str(out / fmt), "--no-prosody", "--redact", "text"],
        )
        assert res.exit_code == 0, res.output
    files = every_file(out)
    assert len(files) == 4
    for p in files:
        assert not leaks(file_text(p)), (p, leaks(file_text(p)))
        assert mode_of(p) == 0o600, p
    card = json.loads((out / "json" / "call.json").read_text())
    rec = card["settings"]["redaction"]
    assert rec["mode"] == "text" and {r["type"] for r in rec["redactions"]} >= {"nik", "phone", "card"}
    assert all(set(r) == {"type", "placeholder", "channel", "start", "end"} for r in rec["redactions"])
    assert "redaction" not in card["settings"]["transcription"]["options"]  # recorded once
    md = (out / "md" / "call.md").read_text()
    assert "## Personal data redacted" in md and "NIK" in md
    html = (out / "html" / "call.html").read_text()
    assert "<audio" not in html  # text mode: the recording is personal data in itself


def test_score_none_mode_is_clear_and_says_so(tmp_path: Path) -> None:
    src = pii_call(tmp_path)
    res = score_path(src, options=PipelineOptions(prosody=False, redact="none"))
    assert scorecard_mode(res.scorecard.settings) == "none"
    assert NIK[:4] in res.transcript.text()


def test_audio_mode_needs_an_output_folder_and_the_recording(tmp_path: Path) -> None:
    from callscore.cli import app

    src = pii_call(tmp_path)
    res = CliRunner().invoke(app, ["score", str(src), "--redact", "audio", "--no-prosody"])
    assert res.exit_code == 1 and "--out" in res.output
    with pytest.raises(PiiError, match="needs the recording"):
        score_path(
            src, options=PipelineOptions(prosody=False, redact="audio", redacted_audio_dir=str(tmp_path))
        )


def test_render_redacts_a_scorecard_scored_in_clear(tmp_path: Path) -> None:
    from callscore.cli import app
    from callscore.scorecard import scorecard_to_json

    src = pii_call(tmp_path)
    clear = score_path(src, options=PipelineOptions(prosody=False, redact="none"))
    # an evidence quote holding a number, as an old scorecard might
    item = clear.scorecard.items[0]
    ev = replace(item.evidence[0], quote=f"Nomor HP saya {PHONE}") if item.evidence else None
    card = clear.scorecard
    if ev is not None:
        card = replace(card, items=(replace(item, evidence=(ev,)), *card.items[1:]))
    saved = tmp_path / "card.json"
    saved.write_text(scorecard_to_json(card))
    out = tmp_path / "rendered"
    res = CliRunner().invoke(
        app,
        [
            "render",
            str(saved),
            "--transcript",
            str(src),
            "-f",
            "html",
            "-f",
            "md",
            "-f",
            "json",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    for p in every_file(out):
        assert not leaks(file_text(p)), p
    again = json.loads((out / "call.json").read_text())
    assert again["settings"]["redaction"]["applied"] == "render"
    # and --redact none renders as it was
    from callscore.render.redaction import redact_for_render

    r2, t2 = redact_for_render(scorecard=card, transcript=None, mode="none")
    assert r2 is card and t2 is None


# -- the transcript cache honours the mode ------------------------------------------------------------------
class _FakeBackend:
    name = "fake"
    model_id = "fake-model"
    model_sha256 = "0" * 64
    supports_clips = False
    supports_progress = False

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, chunk, settings):
        from callscore.asr.base import RawSegment, RawWord

        self.calls += 1
        text = f"NIK saya {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}."
        words = tuple(
            RawWord(start=0.1 + 0.4 * i, end=0.4 + 0.4 * i, text=" " + w, probability=0.9)
            for i, w in enumerate(text.split())
        )
        return [
            RawSegment(
                start=0.0,
                end=words[-1].end,
                text=text,
                words=words,
                avg_logprob=-0.2,
                no_speech_prob=0.01,
                compression_ratio=1.2,
            )
        ]


def test_the_cache_never_holds_clear_text_when_redaction_is_on(tmp_path: Path, monkeypatch) -> None:
    import numpy as np

    from callscore.audio.model import Audio
    from callscore.transcript import transcribe as tr

    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    backend = _FakeBackend()
    monkeypatch.setattr(tr, "load_backend", lambda *a, **k: backend)
    rng = np.random.default_rng(0)
    y = (0.2 * rng.standard_normal((1, 16000 * 3))).astype(np.float32)
    info = AudioInfo(path="a.wav", sha256="ab" * 32, duration=3.0, sample_rate=16000, channels=1)
    audio = Audio(samples=y, sample_rate=16000, info=info)
    monkeypatch.setattr(tr, "speech_spans", lambda **k: [(0.0, 3.0)])

    first = tr.transcribe_audio(audio, redact=redact_text)
    cached = every_file(tmp_path / "cache" / "transcripts")
    assert len(cached) == 1 and mode_of(cached[0]) == 0o600
    assert not leaks(file_text(cached[0]), (NIK,)) and "[NIK]" in file_text(cached[0])
    hit = tr.transcribe_audio(audio, redact=redact_text)  # the same redacted entry, with its spans
    assert backend.calls == 1 and recorded_redactions(hit) == recorded_redactions(first)
    clear = tr.transcribe_audio(audio)  # asked for: its own entry, clear
    assert backend.calls == 2 and NIK[:4] in clear.text()
    assert len(every_file(tmp_path / "cache" / "transcripts")) == 2

    from callscore.cli import app

    res = CliRunner().invoke(app, ["cache", "clear"])
    assert res.exit_code == 0, res.output
    assert "removed 2 cached transcript file(s)" in res.output and "1 redacted, 1 clear text" in res.output
    assert every_file(tmp_path / "cache" / "transcripts") == []
    res = CliRunner().invoke(app, ["cache", "info"])
    assert "0 cached transcript file(s)" in res.output


def test_results_store_and_redacted_copy_are_private_models_public(tmp_path: Path) -> None:
    import numpy as np

    from callscore.audio.model import Audio
    from callscore.pii import Redaction
    from callscore.pii.wire import write_redacted_copy
    from callscore.results.store import open_store

    store = open_store(tmp_path / "r.sqlite")
    store.close()
    assert mode_of(tmp_path / "r.sqlite") == 0o600
    y = np.full((2, 16000), 0.3, dtype=np.float32)
    audio = Audio(
        samples=y,
        sample_rate=16000,
        info=AudioInfo(path="a", sha256="", duration=1, sample_rate=16000, channels=2),
    )
    p, sha = write_redacted_copy(
        audio=audio,
        redactions=[Redaction(type="nik", placeholder="[NIK]", channel=1, start=0.4, end=0.6)],
        path=redacted_audio_path(tmp_path, "call/1"),
    )
    assert p.name == "call_1.redacted.wav" and mode_of(p) == 0o600
    assert sha == hashlib.sha256(p.read_bytes()).hexdigest()
    from callscore.asr.convert import _write_atomically

    def fill(tmp: Path) -> None:
        (tmp / "sub").mkdir()
        (tmp / "sub" / "weights.bin").write_bytes(b"0")

    old = __import__("os").umask(0o077)  # even a private umask gives a team-readable model folder
    try:
        model = _write_atomically(tmp_path / "models" / "base-hf", {"v": 1}, fill)
    finally:
        __import__("os").umask(old)
    assert mode_of(model) == 0o755 and mode_of(model / "sub") == 0o755
    assert mode_of(model / "sub" / "weights.bin") == 0o644


# -- end to end: espeak-ng calls, the bundled model ---------------------------------------------------------
def _espeak_calls(folder: Path) -> dict[str, tuple[str, float, float]]:
    """call_id -> (digits said, answer start, answer end) for a phone, a NIK and a card call."""
    from callsynth import write_wav
    from pii_audio import CALLS, make_call

    picked = {"phone": CALLS[0], "nik": CALLS[2], "card": CALLS[3]}
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (question, answer, digits, voice, rate) in picked.items():
        stereo, (a0, a1) = make_call(question, answer, voice, rate)
        write_wav(str(folder / f"{name}.wav"), stereo)
        out[name] = (digits, a0, a1)
    return out


def _heard_number(path: Path, span: tuple[float, float]) -> tuple[list[str], str]:
    """The words Whisper writes for the number read out in ``span`` (digits or digit words), transcribed
    in clear without touching any cache."""
    from pii_audio import heard_digits

    from callscore.transcript import TranscribeOptions, transcribe_path

    t = transcribe_path(path, options=TranscribeOptions(cpu_threads=2), use_cache=False)
    words = [
        w for w in t.words() if w.channel == 1 and span[0] - 0.3 <= (w.start + w.end) / 2 <= span[1] + 0.3
    ]
    one = replace(t, segments=())
    out = []
    for w in words:
        token = w.text.strip().lower().strip(",.;:!?")
        only = replace(
            one, segments=(Segment(id=0, channel=1, start=w.start, end=w.end, text=token, words=(w,)),)
        )
        if token and heard_digits(only):
            out.append(token)
    return out, t.text()


def _flat(text: str) -> str:
    """File text as plain lower-case words: tags, JSON quotes and punctuation gone."""
    text = re.sub(r"<[^>]+>", " ", text.lower())
    return " " + " ".join(re.sub(r"[^\w]+", " ", text).split()) + " "


def _leaked(text: str, tokens: list[str]) -> list[str]:
    """Digit tokens of the number, and pairs of its consecutive words, found in ``text``."""
    flat = _flat(text)
    found = [t for t in tokens if sum(c.isdigit() for c in t) >= 3 and f" {t} " in flat]
    found += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if f" {a} {b} " in flat]
    return found


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng not installed")
def test_batch_redact_text_writes_no_spoken_number_anywhere(tmp_path: Path, monkeypatch) -> None:
    """Three calls read out a phone number, a NIK and a card number; after ``batch --redact text`` none of
    the digits Whisper heard appear in any output, in the results store or in the transcript cache."""
    from callscore.cli import app

    cache = tmp_path / "cache"
    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(cache))
    calls = _espeak_calls(tmp_path / "calls")
    heard = {}
    for name, (digits, a0, a1) in calls.items():
        tokens, clear = _heard_number(tmp_path / "calls" / f"{name}.wav", (a0, a1))
        # the check is not empty: Whisper heard the number in clear, and the clear text fails it
        assert len(tokens) >= 3 and len(_leaked(clear, tokens)) >= 2, (name, tokens)
        heard[name] = (digits, tokens)
    assert every_file(cache / "transcripts") == []  # the clear look above left nothing behind
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["batch", str(tmp_path / "calls"), "--out", str(out), "--redact", "text", "--threads", "2"]
    )
    assert res.exit_code == 0, res.output
    written = every_file(out) + every_file(cache / "transcripts")
    assert len(every_file(cache / "transcripts")) == 3
    assert any(p.suffix == ".sqlite" for p in written) and any(p.suffix == ".html" for p in written)
    for p in written:
        text = file_text(p)
        for name, (digits, tokens) in heard.items():
            assert digits not in text, (p, name)
            assert not _leaked(text, tokens), (p, name, _leaked(text, tokens))
        if p.suffix in (".json", ".html", ".sqlite") and "transcripts" not in p.parts:
            assert mode_of(p) == 0o600, p
    for name in calls:
        card = json.loads((out / f"{name}.json").read_text())
        assert card["settings"]["redaction"]["count"] >= 1, name
        assert "<audio" not in (out / f"{name}.html").read_text()


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not HAVE_ESPEAK, reason="espeak-ng not installed")
def test_score_redact_audio_plays_the_redacted_copy_and_it_gives_back_no_digits(
    tmp_path: Path, monkeypatch
) -> None:
    from pii_audio import heard_digits, longest_common_run

    from callscore.cli import app
    from callscore.transcript import TranscribeOptions, transcribe_path

    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    calls = _espeak_calls(tmp_path / "calls")
    digits, a0, a1 = calls["nik"]
    src = tmp_path / "calls" / "nik.wav"
    out = tmp_path / "out"
    for fmt in ("html", "json"):
        res = CliRunner().invoke(
            app, ["score", str(src), "-f", fmt, "--out", str(out), "--redact", "audio", "--threads", "2"]
        )
        assert res.exit_code == 0, res.output
    copy = out / "nik.redacted.wav"
    assert copy.is_file() and mode_of(copy) == 0o600
    card = json.loads((out / "nik.json").read_text())
    rec = card["settings"]["redaction"]
    assert rec["mode"] == "audio" and rec["audio_sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert any(r["type"] == "nik" and r["start"] < a1 and r["end"] > a0 for r in rec["redactions"]), rec
    html = (out / "nik.html").read_text()
    played = re.search(r'<audio id="player"[^>]*src="data:audio/[^;]+;base64,([^"]+)"', html)
    assert played, "the report embeds a player"
    assert base64.b64decode(played.group(1)) == copy.read_bytes()  # it plays the copy, not the original
    again = transcribe_path(copy, options=TranscribeOptions(cpu_threads=2), use_cache=False)
    assert longest_common_run(digits, heard_digits(again)) <= 3, again.text()
    assert again.text(channel=0).strip()  # the agent's side is still heard
    # outside the blanked spans (plus margin and fade) the copy is the recording, sample for sample
    from callscore.audio.decode import load_audio

    orig, red = load_audio(src), load_audio(copy)
    keep = np.ones(orig.samples.shape[1], dtype=bool)
    for r in rec["redactions"]:
        keep[max(0, int((r["start"] - 0.31) * 16000)) : int((r["end"] + 0.31) * 16000)] = False
    assert keep.mean() > 0.25  # the NIK answer is most of this 20 s call
    assert np.max(np.abs(orig.samples[:, keep] - red.samples[:, keep])) < 1e-3
    for r in rec["redactions"]:  # and inside them, silence
        a, b = max(0, int((r["start"] - 0.29) * 16000)), int((r["end"] + 0.29) * 16000)
        assert np.max(np.abs(red.samples[:, a:b])) < 1e-4
    # render of the saved scorecard with --redact audio plays the recorded copy again
    res = CliRunner().invoke(
        app,
        ["render", str(out / "nik.json"), "-f", "html", "--out", str(tmp_path / "r"), "--redact", "audio"],
    )
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r" / "nik.html").read_text()
    m = re.search(r'src="data:audio/[^;]+;base64,([^"]+)"', page)
    assert m and base64.b64decode(m.group(1)) == copy.read_bytes()
