"""``callscore eval asr``: WER and CER of a backend/model on a labelled manifest of recordings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from callscore.cli.asr_options import with_asr_options
from callscore.transcript.transcribe import TranscribeOptions

console = Console(highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``asr`` to the ``eval`` group (created by the rubric commands)."""
    from callscore.cli.rubric import eval_app

    # The group is shared by every app built in this process (callscore.cli.build_app): add it once.
    if not any(c.callback is eval_asr_cmd for c in eval_app.registered_commands):
        eval_app.command("asr")(eval_asr_cmd)


@with_asr_options
def eval_asr_cmd(
    manifest: Annotated[Path, typer.Option(help="TSV: audio path <TAB> reference text (header optional).")],
    no_cache: Annotated[bool, typer.Option(help="Re-transcribe even if a cached transcript exists.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print reference and hypothesis per file.")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
    asr: TranscribeOptions | None = None,
) -> None:
    """Word and character error rate, per file and overall, after Indonesian normalisation."""
    from callscore.cli.common import error_line, handle_errors
    from callscore.eval.asr_eval import evaluate_asr, format_report, read_manifest, report_to_dict
    from callscore.files import write_text_atomic
    from callscore.transcript.transcribe import transcribe_path

    with handle_errors(debug):
        options = asr or TranscribeOptions()
        rows = read_manifest(manifest)

    def text_of(path: Path) -> str:
        t = transcribe_path(path, options=options, use_cache=not no_cache)
        return " ".join(w.text.strip() for w in sorted(t.words(), key=lambda w: w.start))

    def progress(f) -> None:  # type: ignore[no-untyped-def]
        if f.error:
            error_line(f.error)
        if show and not f.error:
            console.print(
                f"{f.audio}\n  REF {f.reference}\n  HYP {f.hypothesis}", markup=False, soft_wrap=True
            )

    with handle_errors(debug):
        report = evaluate_asr(rows, text_of, language=options.decode.language, on_file=progress)
    title = f"ASR {options.backend} {options.model or 'default model'} on {manifest}"
    # soft_wrap: a file name stays on its line (greppable) whatever the terminal's width
    console.print("\n".join(format_report(report, title=title)), markup=False, soft_wrap=True)
    if json_out is not None:
        write_text_atomic(json_out, json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
        console.print(f"wrote {json_out}", style="dim")
    if report.failed:
        raise typer.Exit(1)
