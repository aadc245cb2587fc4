"""The CLI as a new user meets it: --version, readable help, one output convention, a table that fits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from callscore import __version__
from callscore.batch.driver import SCORED, BatchSummary, CallOutcome
from callscore.cli import app
from callscore.cli.batch import print_summary
from callscore.cli.common import output_target

runner = CliRunner()


def _all_commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [
        (*prefix, c.name or (c.callback.__name__ if c.callback else "")) for c in group.registered_commands
    ]
    for g in group.registered_groups:
        assert g.typer_instance is not None and g.name
        out.extend(_all_commands(g.typer_instance, (*prefix, g.name)))
    return out


def test_version_prints_the_package_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"callscore {__version__}"


@pytest.mark.parametrize("command", _all_commands(app), ids=" ".join)
def test_help_has_readable_types_and_no_double_negatives(command):
    res = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    text = res.output
    assert "--no-no-" not in text
    # Typer's annotation labels (<list[Path]>, <str>, <bool>, <path>) are replaced by plain value names.
    assert not re.search(r"<(list\[|str>|int>|float>|bool>|path>)", text), text


def test_off_by_default_flags_have_one_switch_and_on_by_default_keep_their_negative():
    text = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "120"}).output
    assert "--no-cache" in text and "--no-debug" not in text and "--no-domain-prompt" not in text
    assert "--no-prosody" in text  # prosody is on by default: the negative is the useful switch
    assert runner.invoke(app, ["score", "--no-no-cache", "x.json"]).exit_code == 2


@pytest.mark.parametrize(
    ("out", "many", "expected"),
    [
        ("out", False, "out/call.json"),  # no extension: a folder ("out/" arrives as "out")
        ("report.json", False, "report.json"),
        ("report.json", True, "report.json/call.json"),  # several calls always go into a folder
    ],
)
def test_output_target_file_or_folder(tmp_path, out, many, expected):
    assert output_target(tmp_path / out, stem="call", ext="json", many=many) == tmp_path / expected


def test_output_target_existing_folder_with_a_dot(tmp_path):
    folder = tmp_path / "v1.2"
    folder.mkdir()
    assert output_target(folder, stem="c", ext="txt", many=False) == folder / "c.txt"


def test_transcribe_out_folder_writes_a_file_inside_not_a_file_named_out(
    tmp_path, short_stereo_transcript_path
):
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["transcribe", str(short_stereo_transcript_path), "-f", "json", "--out", f"{out}/"]
    )
    assert res.exit_code == 0, res.output
    assert out.is_dir()
    written = json.loads((out / "short_stereo.json").read_text(encoding="utf-8"))
    assert written["schema"] == "callscore.transcript" and len(written["segments"]) > 0


def test_deprecated_json_option_still_works_with_a_note(tmp_path, short_stereo_transcript_path):
    out = tmp_path / "old"
    res = runner.invoke(app, ["transcribe", str(short_stereo_transcript_path), "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "short_stereo.json").is_file()
    assert "deprecated" in res.output


@pytest.mark.parametrize("command", ["transcribe", "analyze"])
def test_format_json_without_out_prints_only_json(command, short_stereo_transcript_path):
    res = runner.invoke(
        app,
        [command, str(short_stereo_transcript_path), "--format", "json", "--no-prosody"]
        if command == "analyze"
        else [command, str(short_stereo_transcript_path), "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)  # nothing but the JSON on stdout
    assert data


def test_unknown_format_is_one_error_line(short_stereo_transcript_path):
    res = runner.invoke(app, ["analyze", str(short_stereo_transcript_path), "-f", "xml"])
    assert res.exit_code == 1
    assert "unknown format 'xml'" in res.output


def test_score_table_piped_fits_80_columns_with_every_item_id_whole(short_stereo_transcript_path):
    res = runner.invoke(
        app, ["score", str(short_stereo_transcript_path), "--no-prosody"], env={"COLUMNS": "80"}
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    card = json.loads(
        runner.invoke(app, ["score", str(short_stereo_transcript_path), "--no-prosody", "-f", "json"]).stdout
    )
    for item in card["items"]:
        assert any(re.search(rf"\b{re.escape(item['id'])}\b", line) for line in lines), item["id"]
    assert "…" not in res.stdout


def _outcome(call_id: str, *, duration: float, transcribed: float) -> CallOutcome:
    return CallOutcome(
        call_id, f"{call_id}.wav", SCORED, total=80.0, duration=duration, transcribed_s=transcribed
    )


def test_speed_counts_only_audio_actually_transcribed(capsys):
    cached = BatchSummary(outcomes=(_outcome("a", duration=60, transcribed=0),) * 3, wall_s=2.7)
    assert cached.audio_s == 180 and cached.speed is None  # not "66.7x real time"
    print_summary(cached)
    text = capsys.readouterr().out
    assert "real time" not in text and "nothing transcribed" in text
    mixed = BatchSummary(
        outcomes=(_outcome("a", duration=60, transcribed=0), _outcome("b", duration=60, transcribed=60)),
        wall_s=30.0,
    )
    assert mixed.speed == pytest.approx(2.0)
    print_summary(mixed)
    assert "at 2.0x real time, 1 from the transcript cache" in capsys.readouterr().out


def test_readable_help_keeps_argument_names(tmp_path: Path):
    text = runner.invoke(app, ["transcribe", "--help"], env={"COLUMNS": "100"}).output
    assert "files..." in text and "PATH" in text
