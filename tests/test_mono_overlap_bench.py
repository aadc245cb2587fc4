"""The mono overlap-cue benchmark: matching rules, the in-span change cue and its clean skip."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import real_calls_mono_overlap as mo  # noqa: E402

from callscore.speakers.diarize import SpeakerTurn  # noqa: E402


def test_change_cue_needs_two_voices_without_a_pause() -> None:
    turns = [
        SpeakerTurn("S0", 0.0, 3.0),
        SpeakerTurn("S1", 3.0, 5.0),  # no pause: a change inside continuous speech
        SpeakerTurn("S0", 5.6, 8.0),  # after a 0.6 s pause: an ordinary hand-over
        SpeakerTurn("S0", 8.0, 9.0),  # same voice
    ]
    assert mo.change_points(turns) == [3.0]


def test_matching_counts_detections_and_truths_separately() -> None:
    truths = [(10.0, 11.0), (30.0, 31.0)]
    # 10.4 inside the first, 11.3 within the tolerance of it, 50.0 nowhere; the second truth is missed
    assert mo.score([10.4, 11.3, 50.0], truths) == (2, 3, 1)
    assert mo.score([], truths) == (0, 0, 0)


def test_skips_without_the_dev_set(tmp_path: Path, capsys) -> None:
    assert mo.main(["--dev-set", str(tmp_path / "absent")]) == 0
    assert capsys.readouterr().out.startswith("SKIP:")
