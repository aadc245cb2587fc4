"""The worker side of a batch: what a worker is handed, what it sends back, and the scorer it runs.

Shared by the local process pool (:mod:`callscore.batch.pool`) and the Ray engine
(:mod:`callscore.batch.ray_engine`), so neither needs the driver.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from callscore.asr import load_backend
from callscore.errors import CallscoreError
from callscore.pipeline import CallResult, PipelineOptions, load_rubric_for, score_path
from callscore.render import render_call
from callscore.scorecard import Scorecard, scorecard_to_dict
from callscore.transcript.transcribe import TranscribeOptions

WORKER_DIED = "worker process died while scoring (out of memory, or a crash in a native library)"

# score(path, call_id) -> the call's result; a factory builds one per worker from the pipeline options.
ScoreFn = Callable[[str, str], CallResult]
ScorerFactory = Callable[[PipelineOptions | None], ScoreFn]


@dataclass(frozen=True)
class WorkItem:
    """A call handed to a worker.

    Attributes:
        call_id: Identifier.
        path: Input file.
        audio_sha256: Hash of the input file.
        attempt: 1 for the first try.
    """

    call_id: str
    path: str
    audio_sha256: str
    attempt: int = 1


@dataclass(frozen=True)
class WorkResult:
    """What a worker sends back for one call (small: no transcript, no audio).

    Attributes:
        item: The call.
        scorecard_json: The scorecard as JSON text, or None on failure.
        html: The HTML report, or None.
        error: One-line reason on failure, else None.
        fatal: True when the worker could not start at all (the batch stops).
        wall_s: Seconds the worker spent on it.
        transcribed_s: Seconds of its audio actually decoded (0 when the transcript came from the cache).
    """

    item: WorkItem
    scorecard_json: str | None = None
    html: str | None = None
    error: str | None = None
    fatal: bool = False
    wall_s: float = 0.0
    transcribed_s: float = 0.0


def default_pipeline_options(**kwargs: Any) -> PipelineOptions:
    """``PipelineOptions(**kwargs)``: the settings a batch scores with unless told otherwise."""
    return PipelineOptions(**kwargs)


def default_scorer_factory(pipeline: PipelineOptions | None) -> ScoreFn:
    """The real scorer: loads the rubric and the ASR model once, then scores with ``score_path``."""
    options = pipeline if pipeline is not None else default_pipeline_options()
    rubric = load_rubric_for(options)
    _warm_model(options)

    def score(path: str, call_id: str) -> CallResult:
        return score_path(path, options=options, call_id=call_id, rubric=rubric)

    return score


def _warm_model(options: PipelineOptions) -> None:
    """Load the ASR model now (it is cached per process), so the first call is not slower than the rest."""
    t = options.transcribe
    load_backend(t.backend, t.model, device=t.device, compute_type=t.compute_type, cpu_threads=t.cpu_threads)


def model_key(transcribe_options: TranscribeOptions) -> str:
    """Key of the ASR model and the settings that change its output.

    Example: ``faster-whisper:whisper-base:int8#1a2b3c4d`` (the hash covers language, beam, prompt, VAD).
    """
    from callscore.asr.models import default_model_name

    t = transcribe_options
    name = t.model or default_model_name()
    fields = t.cache_fields()
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{t.backend}:{name}:{t.compute_type}#{digest}"


def with_threads(pipeline: PipelineOptions, threads: int) -> PipelineOptions:
    """Pipeline options with ``transcribe.cpu_threads`` set (threads per worker x workers <= cores)."""
    transcribe = dataclasses.replace(pipeline.transcribe, cpu_threads=threads)
    return dataclasses.replace(pipeline, transcribe=transcribe)


def threads_per_worker(jobs: int, cores: int | None = None) -> int:
    """CPU threads each of ``jobs`` workers may use so that together they fit on ``cores`` (at least 1)."""
    n = cores or os.cpu_count() or 1
    return max(1, n // max(1, jobs))


def _html(result: CallResult) -> str:
    return render_call(
        "html",
        scorecard=result.scorecard,
        transcript=result.transcript,
        timeline=result.timeline,
        audio_path=result.audio_path,
    )


def score_one(score: ScoreFn, item: WorkItem, *, html: bool) -> WorkResult:
    """Score one call with ``score`` and package the outcome; never raises for a bad call."""
    from callscore.transcript.transcribe import decoded_seconds

    t0, decoded0 = time.perf_counter(), decoded_seconds()
    try:
        result = score(item.path, item.call_id)
        card: Scorecard = result.scorecard
        if card.call_id != item.call_id or not card.audio_sha256:
            card = dataclasses.replace(
                card, call_id=item.call_id, audio_sha256=card.audio_sha256 or item.audio_sha256
            )
        text = strict_json(scorecard_to_dict(card))
        page = _html(result) if html else None
    except CallscoreError as e:
        return WorkResult(item, error=one_line(str(e)), wall_s=time.perf_counter() - t0)
    except Exception as e:  # a bug or a library failing on one file must not stop the batch
        reason = f"{item.path}: unexpected error ({type(e).__name__}: {e}); rerun it alone with --debug"
        return WorkResult(item, error=one_line(reason), wall_s=time.perf_counter() - t0)
    return WorkResult(
        item,
        scorecard_json=text,
        html=page,
        wall_s=time.perf_counter() - t0,
        transcribed_s=decoded_seconds() - decoded0,
    )


def strict_json(data: dict[str, Any]) -> str:
    """JSON text with NaN/inf floats written as null: the scorecard schema and the summary are strict
    JSON, and ``NaN`` (which ``json.dumps`` writes by default) is not JSON."""
    return json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False)


def _finite(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def one_line(text: str) -> str:
    """``text`` on one line (a reason that goes into the batch report and the store)."""
    return " ".join(text.split()) or "unknown error"
