"""``callscore render``: turn saved scorecard JSON into people-readable reports (table, Markdown, HTML).

Scoring is not repeated: the command reads what ``callscore score`` saved, so a QA lead can re-render a
batch as HTML for agents, or print one call's table, without the model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from callscore.errors import CallscoreError
from callscore.pii.wire import DEFAULT_REDACT, MODE_HELP, check_mode
from callscore.render import FORMATS, get_writer
from callscore.render.html.report import EMBED_MAX_BYTES, EMBED_MODES
from callscore.render.redaction import redact_for_render, render_audio
from callscore.scorecard import Scorecard, scorecard_from_dict
from callscore.transcript.model import is_transcript_file, load_transcript

console = Console(highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``render`` to ``app`` (``report`` is the results-store dashboard)."""
    app.command("render")(render_cmd)


def load_scorecard(path: str | Path) -> Scorecard:
    """Read a scorecard JSON written by callscore; errors name the file."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise CallscoreError(f"{p}: file not found") from e
    except OSError as e:  # a symlink loop, a folder, no permission
        raise CallscoreError(f"{p}: cannot read ({e.strerror or e})") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CallscoreError(f"{p}: not valid JSON ({e})") from e
    return scorecard_from_dict(data, source=str(p))


def default_audio(card: Scorecard, scorecard_path: Path) -> Path | None:
    """The scored audio file when it is still where the scorecard says (as given, or next to the JSON)."""
    if not card.source or is_transcript_file(card.source):
        return None
    for candidate in (Path(card.source), scorecard_path.parent / Path(card.source).name):
        if candidate.is_file():
            return candidate
    return None


def render_cmd(
    scorecards: Annotated[list[Path], typer.Argument(help="Scorecard JSON files written by callscore.")],
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help=f"Output format, repeatable: {', '.join(FORMATS)}."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the files (<call_id>.<ext>); without it, print."),
    ] = None,
    transcript: Annotated[
        Path | None,
        typer.Option(
            help="Transcript JSON of the call, for the HTML transcript and timeline (one scorecard)."
        ),
    ] = None,
    transcripts: Annotated[
        Path | None,
        typer.Option(help="Folder of transcript JSON named <call_id>.json (several scorecards)."),
    ] = None,
    audio: Annotated[
        Path | None,
        typer.Option(help="Recording for the HTML player (default: the scorecard's source, when present)."),
    ] = None,
    embed_audio: Annotated[
        str,
        typer.Option(help=f"HTML audio: {', '.join(EMBED_MODES)} (auto embeds files up to the size limit)."),
    ] = "auto",
    embed_max_mb: Annotated[
        float, typer.Option(help="Largest recording embedded in the HTML in auto mode (MiB).")
    ] = EMBED_MAX_BYTES / 2**20,
    lang: Annotated[str, typer.Option(help="Language of the HTML page's own text: en or id.")] = "en",
    redact: Annotated[str, typer.Option(help=MODE_HELP)] = DEFAULT_REDACT,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Render saved scorecards as a terminal table, Markdown, HTML or JSON."""
    from callscore.cli.common import error_line, handle_errors

    with handle_errors(debug):
        writers = [get_writer(f) for f in (fmt or ["table"])]
        mode = check_mode(redact)
        if embed_audio not in EMBED_MODES:
            raise CallscoreError(
                f"--embed-audio must be one of {', '.join(EMBED_MODES)}, not {embed_audio!r}"
            )
        if len(scorecards) > 1 and (transcript is not None or audio is not None):
            raise CallscoreError("--transcript and --audio name one call: use them with one scorecard")
        if out is None and any(w.fmt == "html" for w in writers):
            raise CallscoreError("--format html writes a file: give --out FOLDER")
    failed = 0
    for path in scorecards:
        try:
            card = load_scorecard(path)
            t_path = transcript or (transcripts / f"{card.call_id}.json" if transcripts else None)
            t = load_transcript(t_path) if t_path is not None else None
            card, t = redact_for_render(scorecard=card, transcript=t, mode=mode)
            a_path: str | Path | None = audio or default_audio(card, path)
            if any(w.fmt == "html" for w in writers):
                card, a_path = render_audio(
                    scorecard=card,
                    transcript=t,
                    mode=mode,
                    original=a_path,
                    out_dir=out,
                    scorecard_dir=path.parent,
                )
            elif mode != "none":
                a_path = None
            options: dict[str, Any] = {
                "embed_audio": embed_audio,
                "embed_max_bytes": int(embed_max_mb * 2**20),
                "lang": lang,
            }
            for w in writers:
                kw = options if w.fmt == "html" else {}
                if out is None:
                    if w.fmt == "table":
                        from callscore.render.table import build

                        console.print(build(scorecard=card))
                    else:
                        console.print(w.render(scorecard=card, transcript=t), markup=False, soft_wrap=True)
                    continue
                target = w.write(
                    w.default_path(out, card.call_id), scorecard=card, transcript=t, audio_path=a_path, **kw
                )
                console.print(f"wrote {target}", style="dim")
        except CallscoreError as e:
            if debug:
                raise
            error_line(str(e))
            failed += 1
    if failed:
        raise typer.Exit(1)
