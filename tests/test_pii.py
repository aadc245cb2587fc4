"""Personal data: detection per type (spans and times), checksum/structure checks, negatives, text and audio
redaction, the labelled set and its accuracy."""

from __future__ import annotations

import re
import stat
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callscore.audio import AudioInfo
from callscore.errors import CallscoreError
from callscore.pii import (
    AudioRedactionOptions,
    Detection,
    PiiError,
    WordRef,
    detect_pii,
    load_lexicon,
    luhn_valid,
    nik_valid,
    phone_shape,
    redact,
    redact_audio,
    redact_transcript,
    redaction_log,
    write_redacted_audio,
)
from callscore.pii.numbers import card_shape, number_atoms
from callscore.transcript import Segment, Transcript, TranscriptionInfo, Word

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

WORD = 0.4  # s per word in the made-up timelines
GAP = 0.7  # s between turns
SR = 16000  # Hz


def call(*turns: tuple[int, str], language: str = "id") -> Transcript:
    """A transcript of (channel, text) turns, words timed one after another."""
    segments = []
    t = 0.0
    for i, (ch, text) in enumerate(turns):
        words = []
        for w in text.split():
            words.append(Word(start=round(t, 3), end=round(t + WORD * 0.9, 3), text=" " + w, channel=ch))
            t += WORD
        segments.append(
            Segment(
                id=i,
                channel=ch,
                start=words[0].start,
                end=words[-1].end,
                text="".join(w.text for w in words),
                words=tuple(words),
            )
        )
        t += GAP
    return Transcript(
        audio=AudioInfo(path="call.wav", sha256="", duration=t, sample_rate=SR, channels=2),
        info=TranscriptionInfo(backend="import", model="test", language=language),
        segments=tuple(segments),
    )


def only(transcript: Transcript, kind: str) -> list[Detection]:
    return [d for d in detect_pii(transcript=transcript) if d.type == kind]


def words_of(transcript: Transcript, d: Detection) -> list[Word]:
    seg = {s.id: s for s in transcript.segments}
    return [seg[r.segment].words[r.index] for r in d.words]


# -- detection per type, with spans and times ----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "value", "span"),
    [
        ("NIK saya 3174 0512 0590 0001 Pak", "nik", "3174051205900001", "3174 0512 0590 0001"),
        ("nomor kartu keluarga 3174052011150007 ya", "kk", "3174052011150007", "3174052011150007"),
        ("Nomor HP saya 0812-3456-7890 ya", "phone", "081234567890", "0812-3456-7890"),
        (
            "nomornya kosong delapan satu dua, tiga empat lima enam, tujuh delapan sembilan",
            "phone",
            "08123456789",
            "kosong delapan satu dua, tiga empat lima enam, tujuh delapan sembilan",
        ),
        ("hubungi saya di +62 812 3456 7890 Mbak", "phone", "6281234567890", "+62 812 3456 7890"),
        (
            "kartu kredit saya 4111 1111 1111 1111 kena tagihan dobel",
            "card",
            "4111111111111111",
            "4111 1111 1111 1111",
        ),
        ("no rek saya 1234 5678 90 di BCA", "account", "1234567890", "1234 5678 90"),
        (
            "email saya budi titik santoso at gmail titik com",
            "email",
            "budi.santoso@gmail.com",
            "budi titik santoso at gmail titik com",
        ),
        ("kirim ke Budi.Santoso@Gmail.com saja", "email", "budi.santoso@gmail.com", "Budi.Santoso@Gmail.com"),
        ("saya lahir tanggal 17 Agustus 1990 di Bandung", "birth_date", "1990-08-17", "17 Agustus 1990"),
        (
            "tanggal lahir saya tujuh belas Agustus sembilan belas sembilan puluh",
            "birth_date",
            "1990-08-17",
            "tujuh belas Agustus sembilan belas sembilan puluh",
        ),
        ("tanggal lahir 17-08-1990 Pak", "birth_date", "1990-08-17", "17-08-1990"),
        ("atas nama Budi Santoso ya Mbak", "name", "Budi Santoso", "Budi Santoso"),
        (
            "baik, dengan Ibu Sari Wulandari, ada yang bisa dibantu?",
            "name",
            "Sari Wulandari",
            "Sari Wulandari,",
        ),
    ],
)
def test_each_type_is_found_with_its_words_and_times(text: str, kind: str, value: str, span: str) -> None:
    tr = call((1, text))
    found = only(tr, kind)
    assert len(found) == 1, detect_pii(transcript=tr)
    d = found[0]
    ws = words_of(tr, d)
    assert " ".join(w.text.strip() for w in ws) == span
    assert d.value == value
    assert (d.start, d.end, d.channel) == (ws[0].start, ws[-1].end, 1)


def test_english_types() -> None:
    tr = call(
        (
            1,
            "my name is John Smith and my phone number is oh eight one two three four five six seven "
            "eight nine",
        ),
        (1, "I was born on August 17, 1990 and my email is john dot smith at gmail dot com"),
        (1, "my account number is 5271 9038 46"),
        language="en",
    )
    got = {(d.type, d.value) for d in detect_pii(transcript=tr)}
    assert got == {
        ("name", "John Smith"),
        ("phone", "08123456789"),
        ("birth_date", "1990-08-17"),
        ("email", "john.smith@gmail.com"),
        ("account", "5271903846"),
    }


def test_a_cue_on_the_agent_channel_types_the_customers_answer() -> None:
    tr = call(
        (0, "Nomor rekening tujuannya berapa Bu?"),
        (1, "enam tujuh enam enam dua enam kosong delapan sembilan"),
    )
    (d,) = detect_pii(transcript=tr)
    assert (d.type, d.channel, d.value) == ("account", 1, "676626089")
    # the answer is the next utterance only: a later number of the same length is not an account
    tr = call(
        (0, "Nomor rekening tujuannya berapa Bu?"),
        (1, "5271 9038 46"),
        (1, "ID meteran listrik saya 5089 6804 1285."),
    )
    assert [d.value for d in detect_pii(transcript=tr)] == ["5271903846"]


def _timed(*parts: tuple[int, float, str]) -> Transcript:
    """A transcript of (channel, start, text) utterances."""
    segments = []
    for i, (ch, t, text) in enumerate(parts):
        words = tuple(
            Word(start=round(t + k * WORD, 3), end=round(t + k * WORD + 0.3, 3), text=" " + w, channel=ch)
            for k, w in enumerate(text.split())
        )
        segments.append(Segment(id=i, channel=ch, start=t, end=words[-1].end, text=" " + text, words=words))
    return replace(call((1, "x")), segments=tuple(segments))


def test_a_number_goes_on_across_a_pause_unless_the_other_side_spoke() -> None:
    card = "Kartu kredit saya empat lima tiga dua,"
    rest = "nolsa tu lima satu, satu dua delapan tiga, nol tiga enam enam"
    (d,) = detect_pii(transcript=_timed((1, 0.0, card), (1, 3.2, rest)))
    # "nolsa tu" is "nol satu" split in the wrong place: the tokenizer of digit words reads it back
    assert (d.type, d.value, len({r.segment for r in d.words})) == ("card", "4532015112830366", 2)
    # the agent speaking in the pause makes them two numbers: nothing joins the two utterances (the 12
    # digits after it are still blanked as a card, the card cue's loose length)
    two = detect_pii(transcript=_timed((1, 0.0, card), (0, 2.8, "ya?"), (1, 3.2, rest)))
    assert two and all(len({r.segment for r in x.words}) == 1 for x in two)
    assert not any(x.value.startswith("4532") for x in two)


def test_spoken_compounds_and_misheard_digit_words() -> None:
    # "dua puluh tiga" is 2-3; "darapan"/"sempiran" are how Whisper base writes delapan/sembilan
    tr = call((1, "Nomor HP saya nol darapan satu dua, dua puluh tiga, empat lima enam tujuh sempiran"))
    (d,) = only(tr, "phone")
    assert d.value == "08122345679"


def test_digit_words_as_whisper_base_writes_them() -> None:
    """Run together, split in syllables, punctuated, mixed with digits: one tokenizer reads them all."""
    num = load_lexicon("id").numbers

    def digits(text: str) -> str:
        return "".join(a.digits for a in number_atoms(text.split(), num))

    assert digits("nollima satudua") == "0512"
    assert digits("sa tu de la pan sem bilan") == "189"
    assert digits("nolsa tu lima") == "015"  # "nol satu" cut in the wrong place
    assert digits("nol, nol, satu. tiga-empat nol.lima") == "0013405"
    assert digits("0812tiga empat duapuluh tiga") == "08123423"
    # every letter must belong to a number word: ordinary words are never read as digits
    assert digits("satuan nolan tempat lapangan satu-satunya dualisme") == ""
    atoms = number_atoms(["saya", "nol", "de", "lapan"], num)
    assert [(a.first, a.last, a.digits) for a in atoms] == [(1, 1, "0"), (2, 3, "8")]  # token positions


def test_a_nik_read_out_in_groups_as_whisper_base_heard_it() -> None:
    # espeak call heard by Whisper base: groups as sentences, "nollima", "null" for nol, no cue heard
    # ("Enika saya"); the NIK's structure alone types it
    tr = call(
        (0, "Untuk verifikasi, NIK Bapak berapa?"),
        (
            1,
            "Enika saya. Tiga dua null satu. Satu lima dua lima. Nollima sembilan satu. Dua tiga empat lima.",
        ),
    )
    (d,) = detect_pii(transcript=tr)
    assert (d.type, d.value) == ("nik", "3201152505912345")
    assert d.text.startswith("Tiga") and d.text.endswith("lima.")
    # split and misheard words ("say tu" for satu, "dala pan" for delapan) next to digits
    tr = call((1, "Nomor HP saya kosong dala pan say tu dua, lima dua satu sembilan, tiga empat lima satu"))
    assert [(d.type, d.value) for d in detect_pii(transcript=tr)] == [("phone", "081252193451")]


def test_garbled_words_between_a_cue_and_a_broken_number_are_blanked_with_it() -> None:
    # Whisper base on an espeak call: "kosong delapan" heard as "nulgar apaan"; the phone cue says a
    # number starts there, and the number lacks its 08 start, so the two words go with it
    heard = "Numon hape saya, nulgar apaan satu tiga, dua-dua empat lima, sembilan satu, suna, itu saja."
    (d,) = detect_pii(transcript=call((0, "Nomor HP yang bisa dihubungi?"), (1, heard)))
    assert (d.type, d.value) == ("phone", "13224591") and d.text.startswith("nulgar apaan satu")
    # a whole number keeps its span tight: the word before it is not blanked
    (d,) = detect_pii(transcript=call((1, "Nomor HP saya yang baru 0812 3456 7890")))
    assert d.text == "0812 3456 7890"


def test_a_nik_heard_one_digit_short_is_a_nik_not_a_card_inside_it() -> None:
    heard = "320115250591060"  # a NIK with a digit lost; digits 2-14 happen to be a Luhn-valid card
    assert card_shape(heard[1:14]) and not nik_valid(heard)
    tr = call((0, "Boleh disebutkan NIK-nya?"), (1, "Iya, " + " ".join(heard)))
    assert [(d.type, d.value) for d in detect_pii(transcript=tr)] == [("nik", heard)]
    # without a NIK cue the card inside still counts (nothing says NIK), and the digits are all covered
    tr = call((1, "Iya, " + " ".join(heard)))
    (d,) = detect_pii(transcript=tr)
    assert d.value == heard


# -- structure checks reject near misses ---------------------------------------------------------------
def test_luhn_rejects_every_single_digit_change() -> None:
    good = "4111111111111111"
    assert luhn_valid(good) and luhn_valid("5500005555555559") and luhn_valid("378282246310005")
    for i in range(len(good)):
        for d in "0123456789":
            if d != good[i]:
                assert not luhn_valid(good[:i] + d + good[i + 1 :])


def test_nik_structure() -> None:
    assert nik_valid("3174051205900001")  # Jakarta Selatan 31.74.05, born 12-05-(19)90, serial 0001
    assert nik_valid("3174055205900001")  # a woman: day 52 = 12
    assert not nik_valid("3174053205900001")  # day 32
    assert not nik_valid("3174057205900001")  # day 72 (> 31 + 40)
    assert not nik_valid("3174051213900001")  # month 13
    assert not nik_valid("9974051205900001")  # province 99 does not exist
    assert not nik_valid("3100051205900001")  # regency 00
    assert not nik_valid("3174051205900000")  # serial 0000
    assert not nik_valid("317405120590001")  # 15 digits
    assert phone_shape("081234567890") and phone_shape("6281234567890") and not phone_shape("1234567890")


def test_near_misses_without_a_cue_are_not_flagged() -> None:
    # 16 digits failing both Luhn and the NIK structure, and an 08 number too short to be a phone
    assert not luhn_valid("4111111111111112") and not luhn_valid("3174053205900001")
    tr = call((1, "yang tadi itu 4111 1111 1111 1112 terus 3174 0532 0590 0001 lalu 0812 345"))
    assert detect_pii(transcript=tr) == ()
    # the same card number with its real check digit is found
    assert [d.type for d in detect_pii(transcript=call((1, "yang ini 4111 1111 1111 1111 ya")))] == ["card"]


# -- negatives ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Nomor pesanan saya 0812 3456 7890 1234.",
        "Saya sudah transfer Rp 1.500.000 kemarin.",
        "Tagihannya tiga ratus dua puluh ribu rupiah bulan ini.",
        "Mohon ditunggu dua kali dua puluh empat jam ya.",
        "Tanggal 17 Agustus 2025 kemarin internet mati dari jam 10.30.",
        "Saya pakai paket Indihome 50 Mbps, ada masalah dengan Telkomsel saya.",
        "Nomor tiket laporannya tiga lima tiga satu tiga sembilan empat lima.",
        "Silakan hubungi call center kami di 14045 atau 1500 888.",
        "Terima kasih Pak. Nanti saya kabari lagi.",
        "Saya Senin kemarin sudah telepon ke sini.",
        "Tolong sambungkan ke Pak Direktur.",
        "Saya tinggal di Jalan Sudirman nomor 45 RT 03 RW 07.",
        "Saya sudah bayar tanggal 5 Januari 2026 jam 08.15 lewat ATM.",
    ],
)
def test_negatives_are_not_flagged(text: str) -> None:
    assert detect_pii(transcript=call((1, text))) == ()


# -- text redaction -------------------------------------------------------------------------------------
def test_text_redaction_leaves_no_digits_and_keeps_every_other_word() -> None:
    tr = call(
        (0, "Boleh sebutkan NIK Bapak?"),
        (1, "Iya, 3174 0512 0590 0001."),
        (1, "Nomor HP saya kosong delapan satu dua tiga empat lima enam tujuh delapan sembilan."),
        (1, "Kartu kredit saya 4111-1111-1111-1111 kena tagihan dobel."),
        (1, "Atas nama Budi Santoso."),
    )
    dets = detect_pii(transcript=tr)
    out = redact_transcript(transcript=tr, detections=dets)
    text = out.text()
    assert not re.search(r"\d", text)
    number_words = set(load_lexicon("id").numbers.digits)
    assert not [w for w in re.findall(r"\w+", text.lower()) if w in number_words]
    assert "Budi" not in text and "Santoso" not in text
    assert text == (
        "Boleh sebutkan NIK Bapak? Iya, [NIK]. Nomor HP saya [TELEPON]. "
        "Kartu kredit saya [KARTU] kena tagihan dobel. Atas nama [NAMA]."
    )
    # the placeholder keeps the span's times; untouched words keep theirs; the input is not changed
    seg = out.segments[2]
    tag = next(w for w in seg.words if "[TELEPON]" in w.text)
    phone = next(d for d in dets if d.type == "phone")
    assert (tag.start, tag.end) == (phone.start, phone.end)
    assert seg.words[:3] == tr.segments[2].words[:3]
    assert re.search(r"\d", tr.text())
    # and what was redacted is recorded without any value
    log = redaction_log(detections=dets)
    assert [r.type for r in log] == ["nik", "phone", "card", "name"]
    assert not re.search(r"\d{3}|Budi", repr(log)) and not re.search(r"\d{4}", repr(dets))


def test_text_redaction_of_segments_without_words() -> None:
    seg = Segment(id=0, channel=1, start=0.0, end=4.0, text=" Nomor HP saya 0812 3456 7890 ya.", words=())
    tr = replace(call((1, "x")), segments=(seg,))
    out = redact(transcript=tr, mode="text").transcript
    assert out.segments[0].text == " Nomor HP saya [TELEPON] ya."


def test_english_placeholders() -> None:
    tr = call((1, "my phone number is 0812 3456 7890"), language="en")
    assert redact(transcript=tr, mode="text").transcript.text() == "my phone number is [PHONE]"


# -- audio redaction ------------------------------------------------------------------------------------
def _speech_like(seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    return (0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)


def _rms_db(y: np.ndarray) -> float:
    return float(20 * np.log10(max(float(np.sqrt(np.mean(np.square(y, dtype=np.float64)))), 1e-12)))


def test_audio_redaction_silences_the_span_on_both_channels_and_nothing_else() -> None:
    stereo = np.stack([_speech_like(6.0, 0), _speech_like(6.0, 1)])
    det = Detection(type="phone", channel=1, start=2.0, end=3.0, words=(WordRef(0, 0),))
    opts = AudioRedactionOptions(margin=0.25)
    out = redact_audio(samples=stereo, sample_rate=SR, detections=[det], options=opts)
    a, b = int((2.0 - 0.25) * SR), int((3.0 + 0.25) * SR)
    ramp = int(opts.ramp * SR)
    for ch in (0, 1):
        assert _rms_db(stereo[ch, a:b]) > -15  # the signal was there
        assert np.all(out[ch, a:b] == 0.0)  # digital silence over words and margin, not just quieter
        # outside: a 5 ms fade on each side, the rest sample for sample as it was
        assert _rms_db(out[ch, a - ramp : a]) < _rms_db(stereo[ch, a - ramp : a]) - 3
        np.testing.assert_array_equal(out[ch, : a - ramp], stereo[ch, : a - ramp])
        np.testing.assert_array_equal(out[ch, b + ramp :], stereo[ch, b + ramp :])
    assert out.shape == stereo.shape and out.dtype == np.float32
    assert _rms_db(stereo[1, a:b]) > -15  # the input is untouched


def test_audio_redaction_tone_and_mono_and_own_channel_only() -> None:
    mono = _speech_like(4.0, 2)
    det = Detection(type="card", channel=0, start=1.0, end=2.0, words=())
    toned = redact_audio(
        samples=mono, sample_rate=SR, detections=[det], options=AudioRedactionOptions(margin=0.0, fill="tone")
    )
    span = toned[int(1.1 * SR) : int(1.9 * SR)]
    assert toned.shape == mono.shape
    assert abs(_rms_db(span) - 20 * np.log10(0.1 / np.sqrt(2))) < 0.5  # a 0.1-peak tone, nothing else
    spectrum = np.abs(np.fft.rfft(span))
    assert abs(np.argmax(spectrum) * SR / span.size - 1000.0) < 5.0
    stereo = np.stack([_speech_like(4.0, 3), _speech_like(4.0, 4)])
    out = redact_audio(
        samples=stereo, sample_rate=SR, detections=[det], options=AudioRedactionOptions(all_channels=False)
    )
    np.testing.assert_array_equal(out[1], stereo[1])
    assert np.all(out[0, int(1.0 * SR) : int(2.0 * SR)] == 0.0)
    with pytest.raises(PiiError):
        redact_audio(
            samples=mono, sample_rate=SR, detections=[det], options=AudioRedactionOptions(fill="beep")
        )


def test_redacted_copy_is_private_and_readable(tmp_path: Path) -> None:
    stereo = np.stack([_speech_like(1.0, 5), _speech_like(1.0, 6)])
    path = write_redacted_audio(path=tmp_path / "sub" / "call.redacted.wav", samples=stereo, sample_rate=SR)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    assert sr == SR and y.shape == (SR, 2)
    assert np.max(np.abs(y.T - stereo)) < 1e-4
    assert not list(path.parent.glob(".*tmp*"))


def test_redact_modes() -> None:
    tr = call((1, "Nomor HP saya 0812 3456 7890"))
    none = redact(transcript=tr, mode="none")
    assert none.transcript is tr and [r.type for r in none.redactions] == ["phone"]
    assert "[TELEPON]" in redact(transcript=tr, mode="text").transcript.text()
    stereo = np.stack([_speech_like(tr.audio.duration, 7)] * 2)
    res = redact(transcript=tr, mode="audio", samples=stereo, sample_rate=SR)
    assert res.samples is not None and res.samples.shape == stereo.shape
    r = res.redactions[0]
    assert np.all(res.samples[:, int((r.start + 0.01) * SR) : int((r.end - 0.01) * SR)] == 0)
    with pytest.raises(PiiError, match="--redact 'all'"):
        redact(transcript=tr, mode="all")
    with pytest.raises(CallscoreError, match="needs the recording"):
        redact(transcript=tr, mode="audio")
    with pytest.raises(PiiError, match="no personal-data lexicon"):
        load_lexicon("fr")


# -- the labelled set and its accuracy ---------------------------------------------------------------
def test_labelled_set_counts_and_reproducibility() -> None:
    import pii_set
    from pii_accuracy import gold_of, load_calls

    per_split = {}
    for split in ("dev", "test"):
        calls = load_calls(split)
        kinds: dict[str, int] = {}
        for c in calls:
            for kind, _ in gold_of(c).values():
                kinds[kind] = kinds.get(kind, 0) + 1
        per_split[split] = (calls, kinds)
        assert sum(kinds.values()) >= 300, kinds
        for kind in ("nik", "phone", "card", "account", "email", "birth_date", "name"):
            assert kinds.get(kind, 0) >= 30, (split, kind, kinds)
        assert kinds.get("kk", 0) >= 5
    dev_ids = {c["id"] for c in per_split["dev"][0]}
    assert not dev_ids & {c["id"] for c in per_split["test"][0]}
    # the committed files are exactly what the seeded generator writes
    built = pii_set.build()
    for split in ("dev", "test"):
        assert pii_set.render(built, split) == (ROOT / "benchmarks/data/pii" / f"{split}.jsonl").read_text(
            "utf-8"
        )


@pytest.mark.parametrize("split", ["dev", "test"])
def test_accuracy_on_the_labelled_set(split: str) -> None:
    from pii_accuracy import _pr, evaluate, load_calls

    stats = evaluate(load_calls(split))
    total = sum(stats.values(), start=type(stats["nik"])())
    precision, recall = _pr(total)
    assert recall >= 0.95 and precision >= 0.95, (precision, recall)
    for kind in ("phone", "card"):
        assert _pr(stats[kind])[1] >= 0.97, (kind, stats[kind])
    assert _pr(stats["nik"] + stats["kk"])[1] >= 0.97


# -- end to end with the bundled model -------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(__import__("shutil").which("espeak-ng") is None, reason="espeak-ng not installed")
def test_redacted_audio_gives_back_none_of_the_phone_number(tmp_path: Path, monkeypatch) -> None:
    """A customer reads a phone number; Whisper hears it, it is blanked, Whisper hears none of it again."""
    monkeypatch.setenv("CALLSCORE_CACHE_DIR", str(tmp_path / "cache"))
    from callsynth import SAMPLE_RATE, write_wav
    from pii_audio import CALLS, heard_digits, longest_common_run, make_call

    from callscore.transcript import TranscribeOptions, transcribe_path

    question, answer, digits, voice, rate = CALLS[0]
    stereo, (a0, a1) = make_call(question, answer, voice, rate)
    src = Path(write_wav(str(tmp_path / "call.wav"), stereo))
    opts = TranscribeOptions(cpu_threads=2)
    first = transcribe_path(src, options=opts, use_cache=False)
    res = redact(transcript=first, mode="audio", samples=stereo, sample_rate=SAMPLE_RATE)
    phones = [r for r in res.redactions if r.type == "phone"]
    assert phones and phones[0].start < a1 and phones[0].end > a0, first.text(channel=1)
    margin = AudioRedactionOptions().margin
    spans = [(r.start - margin, r.end + margin) for r in phones]
    assert len(heard_digits(first, spans)) >= 6  # the check is not empty: the digits were heard first
    assert res.samples is not None
    dst = write_redacted_audio(
        path=tmp_path / "call.redacted.wav", samples=res.samples, sample_rate=SAMPLE_RATE
    )
    again = transcribe_path(dst, options=opts, use_cache=False)
    assert heard_digits(again, spans) == ""
    assert longest_common_run(digits, heard_digits(again)) <= 3, again.text()
    assert "saja" in again.text(channel=1).lower()  # the rest of the call ("Sudah, itu saja.") is kept


def test_a_title_case_segment_is_read_as_uncased_so_a_complaint_is_not_taken_for_a_name() -> None:
    # Whisper base writes some segments in Title Case (heard so on an Intel MKL machine): capitals there
    # tell nothing, and "Saya" + capitalised words was redacted as a name, hiding the complaint.
    complaint = call((1, "Internet Saya Mati Senjak Kamarin. Saya Kecewa Sakali. Baik, Terima Kasih."))
    assert only(complaint, "name") == []
    # the same words in sentence case with a real name after the weak cue: the name is still found
    named = call((1, "Halo, saya Budi. Internet saya mati sejak kemarin."))
    assert [d.value for d in only(named, "name")] == ["Budi"]
    # and a Title Case segment keeps names after a strong cue or an honorific
    strong = call((1, "Atas Nama Budi Santoso, Nomor Rumah Dua Belas."))
    assert [d.value for d in only(strong, "name")][:1] and only(strong, "name")[0].value.startswith("Budi")


@pytest.mark.parametrize("fill", ["silence", "tone"])
def test_the_redacted_copy_is_written_block_by_block_with_the_whole_calls_samples(
    tmp_path: Path, monkeypatch, fill: str
) -> None:
    """A long call's copy is blanked a block at a time (no float copy of the call): spans, their fades
    and the tone straddling block edges come out as the whole-array redaction makes them."""
    import callscore.pii.wire as wire
    from callscore.audio import Audio
    from callscore.pii.types import Redaction
    from callscore.pii.wire import write_redacted_copy

    stereo = np.stack([_speech_like(3.0, 7), _speech_like(3.0, 8)])
    pcm = np.clip(np.rint(stereo * 32768), -32768, 32767).astype(np.int16)  # held as a long call is
    info = AudioInfo(path="call.wav", sha256="", duration=3.0, sample_rate=SR, channels=2)
    spans = [(0, 0.40, 0.52), (1, 1.00, 1.013), (1, 1.02, 1.30), (0, 2.70, 3.00)]  # near and over edges
    redactions = [
        Redaction(type="phone", placeholder="[TELEPON]", channel=c, start=a, end=b) for c, a, b in spans
    ]
    opts = AudioRedactionOptions(margin=0.05, fill=fill, ramp=0.01)
    whole = redact_audio(
        samples=pcm.astype(np.float32) / 32768,
        sample_rate=SR,
        detections=[
            Detection(type=r.type, channel=r.channel, start=r.start, end=r.end, words=()) for r in redactions
        ],
        options=opts,
    )
    monkeypatch.setattr(wire, "COPY_BLOCK", 997)  # blocks that cut spans, fades and tones anywhere
    path, sha = write_redacted_copy(
        audio=Audio(samples=pcm, sample_rate=SR, info=info),
        redactions=redactions,
        path=tmp_path / "call.redacted.wav",
        options=opts,
    )
    blocked, sr = sf.read(path, dtype="int16", always_2d=True)
    reference = write_redacted_audio(path=tmp_path / "whole.wav", samples=whole, sample_rate=SR)
    expected, _ = sf.read(reference, dtype="int16", always_2d=True)
    assert sr == SR and blocked.shape == (pcm.shape[1], 2)
    np.testing.assert_array_equal(blocked, expected)  # sample for sample
    if fill == "silence":
        assert np.all(blocked[int(0.45 * SR) : int(0.55 * SR), :] == 0)
    assert _rms_db(blocked[int(0.45 * SR) : int(0.55 * SR), 0] / 32768) < -15  # the speech is gone
    assert len(sha) == 64


def test_the_redacted_copy_of_a_long_call_needs_no_float_copy_of_it(tmp_path: Path) -> None:
    import tracemalloc

    from callscore.audio import Audio
    from callscore.audio.model import file_backed
    from callscore.pii.types import Redaction
    from callscore.pii.wire import write_redacted_copy

    n = 10 * 60 * SR  # 10 minutes of stereo, held as int16 in a file-backed map as a long call is
    pcm = file_backed((2, n), np.int16)
    pcm[:, ::7] = 1000
    info = AudioInfo(path="call.wav", sha256="", duration=n / SR, sample_rate=SR, channels=2)
    red = [Redaction(type="nik", placeholder="[NIK]", channel=1, start=300.0, end=304.0)]
    tracemalloc.start()
    try:
        path, _ = write_redacted_copy(
            audio=Audio(samples=pcm, sample_rate=SR, info=info), redactions=red, path=tmp_path / "r.wav"
        )
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    float_copy_mb = 2 * n * 4 / 2**20  # 73 MB; a 2-hour stereo call's is 0.9 GB
    assert peak_mb < 0.2 * float_copy_mb, peak_mb
    y, _ = sf.read(path, dtype="int16", start=int(301 * SR), frames=SR, always_2d=True)
    assert np.all(y == 0) and sf.info(str(path)).frames == n
