"""``callscore sentiment`` and ``callscore eval sentiment``.

Wired into the main CLI by ``register(app)`` (listed in ``callscore.cli.COMMAND_MODULES`` after the rubric
commands, which create the ``eval`` group).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CallscoreError
from ..sentiment.analysis import analyse_transcript
from ..sentiment.evaluate import evaluate, format_report, read_labels, report_to_dict
from ..sentiment.model import SentimentModel, get_model
from ..sentiment.types import CallSentiment, RoleSentiment, Sentiment

FORMATS = ("table", "json", "tsv")

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--sentiment-model",
        help="Bundled model (sentiment-id, sentiment-en), a .npz of ours, or a transformers "
        "sequence-classification checkpoint folder / hub id (needs the transformers extra).",
    ),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(help="Language of the bundled model: id or en (default: the transcript's, else id)."),
]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks.")]


class SentimentInputError(CallscoreError):
    """Input to ``callscore sentiment`` that cannot be used."""


def register(app: typer.Typer) -> None:
    """Add ``sentiment`` to ``app`` and ``sentiment`` to its ``eval`` group."""
    app.command("sentiment")(sentiment_cmd)
    groups = [g.typer_instance for g in app.registered_groups if g.name == "eval" and g.typer_instance]
    if not groups:
        raise RuntimeError("callscore.cli.sentiment must be registered after the 'eval' command group")
    # The group is shared by every app built in this process (callscore.cli.build_app): add it once.
    if not any(c.callback is eval_sentiment_cmd for c in groups[0].registered_commands):
        groups[0].command("sentiment")(eval_sentiment_cmd)


def _model(name: str | None, language: str | None) -> SentimentModel:
    language = language or "id"
    if language not in ("id", "en"):
        raise SentimentInputError(f"--language {language}: expected id or en")
    return get_model(name, language=language)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _sentiment_dict(s: Sentiment) -> dict[str, object]:
    return {
        "label": s.label,
        "score": round(s.score, 4),
        "probabilities": {
            "negative": round(s.negative, 4),
            "neutral": round(s.neutral, 4),
            "positive": round(s.positive, 4),
        },
    }


def _role_dict(r: RoleSentiment) -> dict[str, object]:
    return {
        "overall": r.overall,
        "start": r.start,
        "end": r.end,
        "shift": r.shift,
        "quarters": [q.score for q in r.quarters],
        "turns": r.n_turns,
        "negative_turns": r.n_negative,
        "positive_turns": r.n_positive,
    }


def write_lines_table(rows: list[tuple[int, str, Sentiment]]) -> str:
    """Aligned columns: line, label, score, text."""
    out = [f"{'line':>5}  {'label':<9} {'score':>6}  text"]
    out += [f"{n:>5}  {s.label:<9} {s.score:>+6.3f}  {t}" for n, t, s in rows]
    return "\n".join(out)


def write_lines_tsv(rows: list[tuple[int, str, Sentiment]]) -> str:
    """TSV with a header: line, label, score, p_negative, p_neutral, p_positive, text."""
    out = ["line\tlabel\tscore\tp_negative\tp_neutral\tp_positive\ttext"]
    out += [
        f"{n}\t{s.label}\t{s.score:.4f}\t{s.negative:.4f}\t{s.neutral:.4f}\t{s.positive:.4f}\t{t}"
        for n, t, s in rows
    ]
    return "\n".join(out)


def write_lines_json(rows: list[tuple[int, str, Sentiment]]) -> str:
    """JSON list of {line, text, label, score, probabilities}."""
    return json.dumps(
        [{"line": n, "text": t, **_sentiment_dict(s)} for n, t, s in rows], ensure_ascii=False, indent=2
    )


def write_call_table(call: CallSentiment) -> str:
    """Turns (time, role, label, score, text), then the customer's and agent's call-level figures."""
    out = [f"{'#':>3} {'start':>7} {'role':<9} {'label':<9} {'score':>6}  text"]
    for t in call.turns:
        out.append(
            f"{t.index:>3} {t.start:>7.1f} {(t.role or t.speaker):<9} {t.sentiment.label:<9} "
            f"{t.sentiment.score:>+6.3f}  {t.text}"
        )
    out.append(f"model {call.model}; call-level scores -5..+5, shift = end - start")
    if not any(t.role for t in call.turns):
        out.append("no roles in this transcript (mono, not diarized): customer and agent figures need them")
    for r in (call.customer, call.agent):
        quarters = " ".join(_fmt(q.score) for q in r.quarters)
        out.append(
            f"{r.role:<9} overall {_fmt(r.overall)}  start {_fmt(r.start)}  end {_fmt(r.end)}  "
            f"shift {_fmt(r.shift)}  quarters {quarters}  ({r.n_turns} turns, {r.n_negative} negative)"
        )
    return "\n".join(out)


def write_call_tsv(call: CallSentiment) -> str:
    """TSV of turns with a header: index, start, end, speaker, role, label, score, text."""
    out = ["index\tstart\tend\tspeaker\trole\tlabel\tscore\ttext"]
    out += [
        f"{t.index}\t{t.start:.2f}\t{t.end:.2f}\t{t.speaker}\t{t.role or ''}\t{t.sentiment.label}\t"
        f"{t.sentiment.score:.4f}\t{t.text}"
        for t in call.turns
    ]
    return "\n".join(out)


def write_call_json(call: CallSentiment) -> str:
    """JSON: model, scale, turns, customer and agent figures."""
    body = {
        "model": call.model,
        "scale": "turn score -1..1 = P(positive) - P(negative); call scores -5..+5; shift = end - start",
        "duration": call.duration,
        "turns": [
            {
                "index": t.index,
                "start": t.start,
                "end": t.end,
                "speaker": t.speaker,
                "role": t.role,
                "text": t.text,
                **_sentiment_dict(t.sentiment),
            }
            for t in call.turns
        ],
        "customer": _role_dict(call.customer),
        "agent": _role_dict(call.agent),
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


LINE_WRITERS: dict[str, Callable[[list[tuple[int, str, Sentiment]]], str]] = {
    "table": write_lines_table,
    "json": write_lines_json,
    "tsv": write_lines_tsv,
}
CALL_WRITERS: dict[str, Callable[[CallSentiment], str]] = {
    "table": write_call_table,
    "json": write_call_json,
    "tsv": write_call_tsv,
}


def read_lines(source: str) -> list[tuple[int, str]]:
    """Non-blank lines of a file or of stdin ("-"), with their 1-based line numbers."""
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SentimentInputError(f"{source}: file not found") from None
        except IsADirectoryError:
            raise SentimentInputError(
                f"{source}: is a folder, expected a text file or transcript JSON"
            ) from None
        except (OSError, UnicodeDecodeError) as e:
            raise SentimentInputError(f"{source}: cannot read as UTF-8 text ({e})") from e
    rows = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not rows:
        raise SentimentInputError(f"{source if source != '-' else 'stdin'}: no text to score")
    return rows


def sentiment_cmd(
    source: Annotated[
        str, typer.Argument(help="Text file (one text per line), '-' for stdin, or a transcript .json.")
    ] = "-",
    fmt: Annotated[str, typer.Option("--format", help="table, json or tsv.")] = "table",
    language: LanguageOption = None,
    sentiment_model: ModelOption = None,
    agent_channel: Annotated[
        str | None, typer.Option(help="Stereo transcript: 'left' or 'right' is the agent (default: detect).")
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Label and score per line of text, or per turn of a transcript with the call-level figures."""
    from ..transcript import is_transcript_file, load_transcript
    from .common import handle_errors

    with handle_errors(debug):
        if fmt not in FORMATS:
            raise SentimentInputError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
        if language not in (None, "id", "en"):
            raise SentimentInputError(f"--language {language}: expected id or en")
        if source != "-" and is_transcript_file(source):
            transcript = load_transcript(source)
            if not transcript.speakers and transcript.audio.analysis_channels == 2:
                # Roles come from the speaker stage; a stereo call needs no audio for it.
                from ..speakers import SpeakerOptions, assign_speakers

                transcript = assign_speakers(transcript, options=SpeakerOptions(agent_channel=agent_channel))
            lang = language or ("en" if transcript.info.language == "en" else "id")
            call = analyse_transcript(transcript=transcript, model=_model(sentiment_model, lang))
            typer.echo(CALL_WRITERS[fmt](call))
            return
        model = _model(sentiment_model, language)
        rows = read_lines(source)
        scored = [(n, t, s) for (n, t), s in zip(rows, model.predict([t for _, t in rows]), strict=False)]
        typer.echo(LINE_WRITERS[fmt](scored))


def eval_sentiment_cmd(
    labels: Annotated[Path, typer.Option(help="TSV: text <TAB> label (negative/neutral/positive).")],
    language: LanguageOption = None,
    sentiment_model: ModelOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    debug: DebugOption = False,
) -> None:
    """Accuracy, macro-F1 and the confusion matrix of the sentiment model on a labelled file."""
    from ..files import write_text_atomic
    from .common import handle_errors

    with handle_errors(debug):
        rows = read_labels(labels)
        report = evaluate(rows, model=_model(sentiment_model, language))
        typer.echo("\n".join(format_report(report, title=f"sentiment {report.model} on {labels}")))
        if json_out is not None:
            write_text_atomic(json_out, json.dumps(report_to_dict(report), indent=2) + "\n")
