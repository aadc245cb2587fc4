import json

import pytest

from callscore.audio.model import AudioInfo
from callscore.errors import TranscriptError
from callscore.transcript.model import (
    Segment,
    Speaker,
    Transcript,
    TranscriptionInfo,
    Word,
    load_transcript,
    save_transcript,
    transcript_from_dict,
    transcript_to_dict,
    transcript_to_json,
)


def make() -> Transcript:
    words = (
        Word(0.1 + 0.2, 0.7000000000000001, " Selamat", 0.91234, 0, "S0"),
        Word(0.72, 1.05, " pagi,", 0.5, 0, "S0"),
    )
    return Transcript(
        audio=AudioInfo("calls/a.wav", "ab" * 32, 12.5, 8000, 2, "pcm_mulaw", "wav", False),
        info=TranscriptionInfo("faster-whisper", "whisper-base", "d0", "id", {"beam_size": 5}, 8.25, "0.1.0"),
        segments=(
            Segment(0, 0, 0.3, 1.05, "Selamat pagi,", words, -0.3, 0.01, 1.1, "S0"),
            Segment(1, 1, 1.2, 2.0, "Saya mau komplain", (Word(1.2, 2.0, " komplain", 0.4, 1, "S1"),)),
        ),
        speakers=(Speaker("S0", 0, "agent", 0.9, "greets"), Speaker("S1", 1, "customer", 0.9, "complains")),
    )


def test_json_round_trip_is_lossless(tmp_path):
    t = make()
    assert transcript_from_dict(json.loads(transcript_to_json(t))) == t
    path = save_transcript(t, tmp_path / "sub" / "t.json")
    assert load_transcript(path) == t
    assert not list(path.parent.glob(".*.tmp"))


def test_json_names_schema_and_keeps_unicode():
    d = transcript_to_dict(make())
    assert d["schema"] == "callscore.transcript" and d["schema_version"] == 1
    assert list(d)[:2] == ["schema", "schema_version"]
    assert "µ" in transcript_to_json(
        Transcript(AudioInfo("µ.wav", "", 1, 8000, 1), TranscriptionInfo("x", "y"))
    )


def test_views():
    t = make()
    assert [w.text for w in t.words(channel=0)] == [" Selamat", " pagi,"]
    assert t.role_of("S1") == "customer"
    assert t.label_of_role("agent") == "S0"
    assert t.text(channel=1) == "Saya mau komplain"
    assert t.channels == (0, 1)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        ({"segments": []}, "not a callscore transcript"),
        ({"schema": "callscore.transcript", "schema_version": 99}, "version 99"),
        ({"schema": "callscore.transcript", "schema_version": 1, "audio": {}}, "malformed"),
    ],
)
def test_foreign_or_future_files_are_refused(payload, match):
    with pytest.raises(TranscriptError, match=match):
        transcript_from_dict(payload, source="x.json")


def test_broken_json_names_the_file(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text("{not json")
    with pytest.raises(TranscriptError, match="broken.json: not valid JSON"):
        load_transcript(p)
