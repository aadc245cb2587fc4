"""``callscore eval asr``: WER and CER of a backend/model on a labelled manifest of recordings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..asr import BACKENDS, DEFAULT_BACKEND

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``asr`` to the ``eval`` group (created by the rubric commands)."""
    from .rubric import eval_app

    eval_app.command("asr")(eval_asr_cmd)


def eval_asr_cmd(
    manifest: Annotated[Path, typer.Option(help="TSV: audio path <TAB> reference text (header optional).")],
    backend: Annotated[str, typer.Option(help=f"ASR backend: {', '.join(BACKENDS)}.")] = DEFAULT_BACKEND,
    model: Annotated[str | None, typer.Option(help="Model name or local model folder.")] = None,
    language: Annotated[str, typer.Option(help="Language code.")] = "id",
    beam_size: Annotated[int, typer.Option(help="Beam width.")] = 5,
    domain_prompt: Annotated[bool, typer.Option(help="Bias decoding to customer-service words.")] = False,
    hotwords: Annotated[str | None, typer.Option(help="Words to favour (product names...).")] = None,
    compute_type: Annotated[str, typer.Option(help="int8, float32, float16...")] = "int8",
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    threads: Annotated[int, typer.Option(help="CPU threads for the model (0 = default).")] = 0,
    batch_size: Annotated[
        int,
        typer.Option(help="Decode N 30 s clips at once (faster-whisper): faster, a little less accurate."),
    ] = 1,
    no_cache: Annotated[bool, typer.Option(help="Re-transcribe even if a cached transcript exists.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print reference and hypothesis per file.")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Word and character error rate, per file and overall, after Indonesian normalisation."""
    from ..asr_eval import evaluate_asr, format_report, read_manifest, report_to_dict
    from ..cli import error_line, handle_errors
    from ..transcribe import transcribe_path
    from ..transcript import write_text_atomic
    from .transcribe import options_from_cli

    with handle_errors(debug):
        options = options_from_cli(
            backend,
            model,
            language,
            beam_size,
            None,
            domain_prompt,
            hotwords,
            compute_type,
            device,
            threads,
            batch_size,
        )
        rows = read_manifest(manifest)

    def text_of(path: Path) -> str:
        t = transcribe_path(path, options=options, use_cache=not no_cache)
        return " ".join(w.text.strip() for w in sorted(t.words(), key=lambda w: w.start))

    def progress(f) -> None:  # type: ignore[no-untyped-def]
        if f.error:
            error_line(f.error)
        if show and not f.error:
            console.print(f"{f.audio}\n  REF {f.reference}\n  HYP {f.hypothesis}", markup=False)

    with handle_errors(debug):
        report = evaluate_asr(rows, text_of, language=language, on_file=progress)
    title = f"ASR {options.backend} {options.model or 'default model'} on {manifest}"
    console.print("\n".join(format_report(report, title=title)), markup=False)
    if json_out is not None:
        write_text_atomic(json_out, json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
        console.print(f"wrote {json_out}", style="dim")
    if report.failed:
        raise typer.Exit(1)
