"""The ASR options every command that transcribes takes, declared once.

``transcribe``, ``score``, ``analyze``, ``prosody``, ``batch``, ``ci`` and ``eval asr`` wrap their command
function in :func:`with_asr_options`: the command gets one ``asr: TranscribeOptions`` argument, and Typer
sees the same ``--backend``, ``--model``, ``--language``, ``--beam-size``, ``--prompt``,
``--domain-prompt``, ``--hotwords``, ``--compute-type``, ``--device``, ``--threads`` and ``--batch-size``
options on every one of them (they had drifted: ``batch``/``ci`` lacked ``--backend``, ``score`` fixed
int8 on CPU).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from callscore.asr import BACKENDS, DEFAULT_BACKEND
from callscore.asr.base import DecodeSettings
from callscore.cli.common import handle_errors
from callscore.errors import CallscoreError
from callscore.transcript.transcribe import DOMAIN_PROMPT, TranscribeOptions

F = TypeVar("F", bound=Callable[..., Any])

_KW = inspect.Parameter.POSITIONAL_OR_KEYWORD  # as Typer command parameters are
ASR_PARAMETERS = (
    inspect.Parameter(
        "backend",
        _KW,
        default=DEFAULT_BACKEND,
        annotation=Annotated[str, typer.Option(help=f"ASR backend: {', '.join(BACKENDS)}.")],
    ),
    inspect.Parameter(
        "model",
        _KW,
        default=None,
        annotation=Annotated[
            str | None, typer.Option(help="Model name (see `callscore models`) or a local model folder.")
        ],
    ),
    inspect.Parameter(
        "language", _KW, default="id", annotation=Annotated[str, typer.Option(help="Language code.")]
    ),
    inspect.Parameter(
        "beam_size", _KW, default=5, annotation=Annotated[int, typer.Option(help="Beam width.")]
    ),
    inspect.Parameter(
        "prompt",
        _KW,
        default=None,
        annotation=Annotated[
            str | None, typer.Option(help="Initial prompt that biases vocabulary and spelling.")
        ],
    ),
    inspect.Parameter(
        "domain_prompt",
        _KW,
        default=False,
        annotation=Annotated[bool, typer.Option(help="Bias decoding to customer-service vocabulary.")],
    ),
    inspect.Parameter(
        "hotwords",
        _KW,
        default=None,
        annotation=Annotated[
            str | None, typer.Option(help="Words to favour, e.g. product names (faster-whisper).")
        ],
    ),
    inspect.Parameter(
        "compute_type",
        _KW,
        default="int8",
        annotation=Annotated[str, typer.Option(help="Compute type: int8, float32, float16...")],
    ),
    inspect.Parameter(
        "device", _KW, default="cpu", annotation=Annotated[str, typer.Option(help="cpu, cuda or auto.")]
    ),
    inspect.Parameter(
        "threads",
        _KW,
        default=0,
        annotation=Annotated[int, typer.Option(help="CPU threads per model (0 = default).")],
    ),
    inspect.Parameter(
        "batch_size",
        _KW,
        default=1,
        annotation=Annotated[
            int,
            typer.Option(
                help="Decode N 30 s clips at once (faster-whisper): faster, a little less accurate."
            ),
        ],
    ),
)
ASR_NAMES = tuple(p.name for p in ASR_PARAMETERS)


def asr_options(
    *,
    backend: str = DEFAULT_BACKEND,
    model: str | None = None,
    language: str = "id",
    beam_size: int = 5,
    prompt: str | None = None,
    domain_prompt: bool = False,
    hotwords: str | None = None,
    compute_type: str = "int8",
    device: str = "cpu",
    threads: int = 0,
    batch_size: int = 1,
) -> TranscribeOptions:
    """TranscribeOptions from the shared ASR flags; an unknown backend is a one-line error."""
    if backend not in BACKENDS:
        raise CallscoreError(f"unknown backend {backend!r} (choose one of: {', '.join(BACKENDS)})")
    return TranscribeOptions(
        backend=backend,
        model=model,
        device=device,
        compute_type=compute_type,
        cpu_threads=threads,
        decode=DecodeSettings(
            language=language,
            beam_size=beam_size,
            initial_prompt=prompt or (DOMAIN_PROMPT if domain_prompt else None),
            hotwords=hotwords,
            batch_size=max(1, batch_size),
        ),
    )


def with_asr_options(command: F) -> F:
    """Give a Typer command the shared ASR options; it receives them as ``asr: TranscribeOptions``.

    The options go in before ``--debug`` (or last), so ``--help`` lists them together. A bad backend
    name is one error line and exit code 1, like every other bad option.
    """
    sig = inspect.signature(command, eval_str=True)
    own = [p for p in sig.parameters.values() if p.name != "asr"]
    at = next((i for i, p in enumerate(own) if p.name == "debug"), len(own))
    params = [*own[:at], *ASR_PARAMETERS, *own[at:]]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in ASR_NAMES if name in kwargs}
        with handle_errors(bool(kwargs.get("debug", False))):
            asr = asr_options(**values)
        return command(*args, asr=asr, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]
