"""Batch scoring: many calls, several worker processes (or a Ray cluster), nothing lost, nothing done twice.

This module only orchestrates; scoring is :func:`callscore.pipeline.score_path`, behind a *scorer factory*
so tests and other pipelines can plug in. Each worker calls the factory once (loading the model once) and
then scores calls one at a time. The driver (this process) alone writes: each scorecard goes to
``<out>/<call_id>.json`` via temp file + rename, then into the results store in one transaction. The store
doubles as the index of what is done, so a re-run skips a call whose audio hash, rubric id/version and
model are unchanged and whose JSON is present, and a crash or Ctrl-C loses only the calls in flight.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .audio import file_sha256
from .batch_inputs import CallInput
from .errors import CallscoreError
from .scorecard import Scorecard, scorecard_to_json
from .store import DEFAULT_SQLITE_NAME, DoneKey, ResultStore, open_store
from .transcript import write_text_atomic

SCORED = "scored"
SKIPPED = "skipped"
FAILED = "failed"
ENGINES = ("local", "ray")
SUMMARY_NAME = "batch-summary.json"
MAX_ATTEMPTS = 2  # a call in flight when a worker process dies is retried once in a fresh pool
WORKER_DIED = "worker process died while scoring (out of memory, or a crash in a native library)"

ScoreFn = Callable[[str, str], Any]
"""Scores one call: (path, call_id) -> CallResult (anything with a ``scorecard`` attribute)."""
ScorerFactory = Callable[[Any], ScoreFn]
"""Builds a ScoreFn from pipeline options, once per worker (this is where the model loads). Picklable."""


class BatchError(CallscoreError):
    """A batch that cannot run at all (bad options, the scoring pipeline cannot start)."""


@dataclass(frozen=True)
class RunKey:
    """What a batch scores with; together with the audio hash it decides whether a result can be reused.

    Attributes:
        rubric_id: Rubric identifier.
        rubric_version: Rubric version.
        model: ASR model key (backend, model name, compute type and a hash of the decoding options).
    """

    rubric_id: str
    rubric_version: str
    model: str

    def done_key(self, audio_sha256: str) -> DoneKey:
        """The store key a result of this run on this audio carries."""
        return DoneKey(audio_sha256, self.rubric_id, self.rubric_version, self.model)


@dataclass(frozen=True)
class BatchOptions:
    """Settings of a batch run.

    Attributes:
        out_dir: Folder for ``<call_id>.json``, HTML reports, the SQLite store and the summary.
        jobs: Worker processes (local) or actors (Ray).
        pipeline: ``PipelineOptions`` for the scorer; None = the pipeline's defaults.
        scorer_factory: Builds the scorer in each worker; None = :func:`default_scorer_factory`.
        run_key: Rubric/model the scorer runs with; None = resolved from ``pipeline``.
        db: Results store URL (SQLite file or ``postgresql://``); None = ``<out_dir>/callscore.sqlite``.
        engine: "local" (process pool) or "ray".
        address: Ray cluster address ("auto", "ray://host:10001"); None starts a local Ray.
        html: Write ``<call_id>.html`` when a HTML writer is installed.
        cores: CPU cores to share between workers; None = all of this machine's.
        force: Re-score calls even when a matching result exists.
    """

    out_dir: Path
    jobs: int = 1
    pipeline: Any = None
    scorer_factory: ScorerFactory | None = None
    run_key: RunKey | None = None
    db: str | None = None
    engine: str = "local"
    address: str | None = None
    html: bool = True
    cores: int | None = None
    force: bool = False


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
    """

    item: WorkItem
    scorecard_json: str | None = None
    html: str | None = None
    error: str | None = None
    fatal: bool = False
    wall_s: float = 0.0


@dataclass(frozen=True)
class CallOutcome:
    """What happened to one call of the batch.

    Attributes:
        call_id: Identifier.
        source: Input file.
        status: "scored", "skipped" or "failed".
        reason: One-line reason for a failure, "" otherwise.
        total: Score 0-100, or None.
        critical_failed: True when a critical item failed.
        duration: Call length (s), 0 when unknown.
        wall_s: Seconds spent scoring it (0 for skipped).
        json_path: The scorecard JSON, or None.
        report_path: The HTML report, or None.
    """

    call_id: str
    source: str
    status: str
    reason: str = ""
    total: float | None = None
    critical_failed: bool = False
    duration: float = 0.0
    wall_s: float = 0.0
    json_path: str | None = None
    report_path: str | None = None


@dataclass(frozen=True)
class BatchSummary:
    """The result of a batch.

    Attributes:
        outcomes: One per call, in input order.
        wall_s: Seconds the batch took.
        interrupted: True when stopped by Ctrl-C (the rest can be scored by running again).
        warnings: Non-fatal notes (metadata not found for a file, ...).
        store: Display form of the results store.
    """

    outcomes: tuple[CallOutcome, ...]
    wall_s: float
    interrupted: bool = False
    warnings: tuple[str, ...] = ()
    store: str = ""

    def of(self, status: str) -> tuple[CallOutcome, ...]:
        """Outcomes with ``status``."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def audio_s(self) -> float:
        """Seconds of audio scored in this run."""
        return sum(o.duration for o in self.of(SCORED))

    @property
    def speed(self) -> float | None:
        """Audio seconds scored per wall second (x real time), None when nothing was scored."""
        return self.audio_s / self.wall_s if self.wall_s > 0 and self.of(SCORED) else None

    @property
    def exit_code(self) -> int:
        """0 when every call is scored or skipped, 1 when any failed, 130 when interrupted."""
        if self.interrupted:
            return 130
        return 1 if self.of(FAILED) else 0


@dataclass(frozen=True)
class BatchProgress:
    """Progress after each finished call, for progress bars.

    Attributes:
        done: Calls finished (scored or failed) in this run.
        total: Calls to score in this run (skipped ones excluded).
        audio_s: Seconds of audio scored so far.
        wall_s: Seconds since scoring started.
        last: The call that just finished.
    """

    done: int
    total: int
    audio_s: float
    wall_s: float
    last: CallOutcome | None = None

    @property
    def speed(self) -> float | None:
        """x real time so far."""
        return self.audio_s / self.wall_s if self.wall_s > 0 and self.audio_s > 0 else None


ProgressFn = Callable[[BatchProgress], None]


# -- the scorer side (runs in workers) ------------------------------------------------------------------
def default_pipeline_options(**kwargs: Any) -> Any:
    """``callscore.pipeline.PipelineOptions(**kwargs)``, imported only when needed."""
    return _pipeline_module().PipelineOptions(**kwargs)


def _pipeline_module() -> Any:
    try:
        from . import pipeline  # type: ignore[attr-defined]
    except ImportError as e:
        raise BatchError(f"the scoring pipeline (callscore.pipeline) is not in this build ({e})") from e
    return pipeline


def default_scorer_factory(pipeline: Any) -> ScoreFn:
    """The real scorer: loads the rubric and the ASR model once, then scores with ``score_path``."""
    mod = _pipeline_module()
    load_rubric_for, score_path = mod.load_rubric_for, mod.score_path
    options = pipeline if pipeline is not None else default_pipeline_options()
    load_rubric_for(options)
    _warm_model(options)

    def score(path: str, call_id: str) -> Any:
        return score_path(path, options=options, call_id=call_id)

    return score


def _warm_model(options: Any) -> None:
    """Load the ASR model now (it is cached per process), so the first call is not slower than the rest."""
    t = getattr(options, "transcribe", None)
    if t is None:
        return
    from .asr import load_backend

    load_backend(t.backend, t.model, device=t.device, compute_type=t.compute_type, cpu_threads=t.cpu_threads)


def model_key(transcribe_options: Any) -> str:
    """Key of the ASR model and the settings that change its output.

    Example: ``faster-whisper:whisper-base:int8#1a2b3c4d`` (the hash covers language, beam, prompt, VAD).
    """
    from .models import default_model_name

    t = transcribe_options
    name = t.model or default_model_name()
    fields = t.cache_fields() if hasattr(t, "cache_fields") else dataclasses.asdict(t)
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{t.backend}:{name}:{t.compute_type}#{digest}"


def resolve_run_key(pipeline: Any) -> RunKey:
    """The rubric id/version (validating the rubric) and model key the default scorer will use."""
    options = pipeline if pipeline is not None else default_pipeline_options()
    rubric = _pipeline_module().load_rubric_for(options)
    rid = getattr(rubric, "id", None) or getattr(rubric, "rubric_id", None) or str(options.rubric)
    version = getattr(rubric, "version", None) or getattr(rubric, "rubric_version", None) or ""
    return RunKey(str(rid), str(version), model_key(options.transcribe))


def with_threads(pipeline: Any, threads: int) -> Any:
    """Pipeline options with ``transcribe.cpu_threads`` set (threads per worker x workers <= cores)."""
    if pipeline is None or not dataclasses.is_dataclass(pipeline) or not hasattr(pipeline, "transcribe"):
        return pipeline
    transcribe = dataclasses.replace(pipeline.transcribe, cpu_threads=threads)
    return dataclasses.replace(pipeline, transcribe=transcribe)


def threads_per_worker(jobs: int, cores: int | None = None) -> int:
    """CPU threads each of ``jobs`` workers may use so that together they fit on ``cores`` (at least 1)."""
    n = cores or os.cpu_count() or 1
    return max(1, n // max(1, jobs))


def _html_renderer() -> Callable[[Any], str] | None:
    try:
        from .writers import render_call
    except ImportError:
        return None
    return lambda result: render_call(
        "html",
        scorecard=result.scorecard,
        transcript=getattr(result, "transcript", None),
        timeline=getattr(result, "timeline", None),
        audio_path=getattr(result, "audio_path", None),
    )


def score_one(score: ScoreFn, item: WorkItem, *, html: bool) -> WorkResult:
    """Score one call with ``score`` and package the outcome; never raises for a bad call."""
    t0 = time.perf_counter()
    try:
        result = score(item.path, item.call_id)
        card: Scorecard = result.scorecard
        if card.call_id != item.call_id or not card.audio_sha256:
            card = dataclasses.replace(
                card, call_id=item.call_id, audio_sha256=card.audio_sha256 or item.audio_sha256
            )
        text = scorecard_to_json(card)
        page = None
        render = _html_renderer() if html else None
        if render is not None:
            page = render(result)
    except CallscoreError as e:
        return WorkResult(item, error=_one_line(str(e)), wall_s=time.perf_counter() - t0)
    except Exception as e:  # a bug or a library failing on one file must not stop the batch
        reason = f"{item.path}: unexpected error ({type(e).__name__}: {e}); rerun it alone with --debug"
        return WorkResult(item, error=_one_line(reason), wall_s=time.perf_counter() - t0)
    return WorkResult(item, scorecard_json=text, html=page, wall_s=time.perf_counter() - t0)


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "unknown error"


_WORKER_SCORE: ScoreFn | None = None
_WORKER_ERROR: str | None = None
_WORKER_HTML = True


def _init_worker(factory: ScorerFactory, pipeline: Any, html: bool) -> None:
    """Process-pool initializer: build the scorer once; Ctrl-C is the driver's to handle."""
    global _WORKER_SCORE, _WORKER_ERROR, _WORKER_HTML
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_HTML = html
    try:
        _WORKER_SCORE = factory(pipeline)
    except Exception as e:
        _WORKER_ERROR = _one_line(f"the scorer could not start: {e}")


def _work(item: WorkItem) -> WorkResult:
    if _WORKER_SCORE is None:
        return WorkResult(item, error=_WORKER_ERROR or "the scorer did not start", fatal=True)
    return score_one(_WORKER_SCORE, item, html=_WORKER_HTML)


# -- engines (generators of WorkResult) -----------------------------------------------------------------
def local_results(
    items: Sequence[WorkItem], *, jobs: int, factory: ScorerFactory, pipeline: Any, html: bool
) -> Iterator[WorkResult]:
    """Score ``items`` in ``jobs`` worker processes, yielding results as they finish.

    At most ``jobs`` calls are in flight, so a worker dying (killed for memory) costs only those; they are
    retried once in a fresh pool and then reported as failed. Closing the generator (Ctrl-C) kills the
    workers at once.
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the driver runs a progress thread, and a forked child could inherit a held lock.
    ctx = mp.get_context("spawn")
    queue = list(reversed(items))

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(factory, pipeline, html)
        )

    pool = new_pool()
    running: dict[Future[WorkResult], WorkItem] = {}
    try:
        while queue or running:
            while queue and len(running) < jobs:
                it = queue.pop()
                try:
                    running[pool.submit(_work, it)] = it
                except BrokenProcessPool:
                    queue.append(it)
                    break
            if not running:  # the pool broke before anything could be submitted
                _kill_pool(pool)
                pool = new_pool()
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                it = running.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken = True
                    if it.attempt >= MAX_ATTEMPTS:
                        yield WorkResult(it, error=f"{it.path}: {WORKER_DIED}")
                    else:
                        queue.append(dataclasses.replace(it, attempt=it.attempt + 1))
            if broken:
                for fut, it in list(running.items()):  # the rest of the broken pool's calls
                    running.pop(fut)
                    queue.append(dataclasses.replace(it, attempt=it.attempt + 1))
                _kill_pool(pool)
                pool = new_pool()
    finally:
        _kill_pool(pool)


def _kill_pool(pool: Any) -> None:
    """Stop a process pool now, killing calls in flight (their results would be thrown away anyway)."""
    processes = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes.values():
        if p.is_alive():
            p.kill()
    for p in processes.values():
        p.join(timeout=5)


def engine_results(
    items: Sequence[WorkItem], *, options: BatchOptions, factory: ScorerFactory, pipeline: Any
) -> Iterator[WorkResult]:
    """Results from the engine ``options.engine`` names."""
    if options.engine == "local":
        return local_results(items, jobs=options.jobs, factory=factory, pipeline=pipeline, html=options.html)
    if options.engine == "ray":
        from .batch_ray import ray_results

        return ray_results(
            items,
            jobs=options.jobs,
            factory=factory,
            pipeline=pipeline,
            html=options.html,
            address=options.address,
            threads=threads_per_worker(options.jobs, options.cores),
        )
    raise BatchError(f"--engine {options.engine!r}: choose one of {', '.join(ENGINES)}")


# -- the driver ------------------------------------------------------------------------------------------
def store_url(options: BatchOptions) -> str:
    """The results store of a batch: ``--db`` or ``<out>/callscore.sqlite``."""
    return options.db or str(options.out_dir / DEFAULT_SQLITE_NAME)


def run_batch(
    calls: Sequence[CallInput],
    *,
    options: BatchOptions,
    progress: ProgressFn | None = None,
    warnings: Sequence[str] = (),
) -> BatchSummary:
    """Score ``calls`` into ``options.out_dir`` and the results store; see the module docstring.

    Raises BatchError when the batch cannot start (unknown engine, the scorer fails to load in a worker).
    A call that fails is recorded in the summary and the store, and the batch goes on. Ctrl-C returns a
    summary marked ``interrupted`` with everything finished so far saved.
    """
    if options.jobs < 1:
        raise BatchError(f"--jobs {options.jobs}: must be 1 or more")
    if options.engine not in ENGINES:
        raise BatchError(f"--engine {options.engine!r}: choose one of {', '.join(ENGINES)}")
    t0 = time.perf_counter()
    out = options.out_dir
    out.mkdir(parents=True, exist_ok=True)
    factory = options.scorer_factory or default_scorer_factory
    threads = threads_per_worker(options.jobs, options.cores)
    if options.scorer_factory is None and options.pipeline is None:
        pipeline = with_threads(default_pipeline_options(), threads)
    else:
        pipeline = with_threads(options.pipeline, threads)
    key = options.run_key or resolve_run_key(pipeline)

    outcomes: dict[str, CallOutcome] = {}
    by_id = {c.call_id: c for c in calls}
    todo: list[WorkItem] = []
    with open_store(store_url(options)) as store:
        done = store.done_keys()
        for c in calls:
            try:
                sha = file_sha256(c.path)
            except OSError as e:
                reason = f"{c.path}: cannot read ({e.strerror or e})"
                store.record_failure(call_id=c.call_id, source=c.path, audio_sha256="", reason=reason)
                outcomes[c.call_id] = CallOutcome(c.call_id, c.path, FAILED, reason=reason)
                continue
            json_path = out / f"{c.call_id}.json"
            if not options.force and done.get(c.call_id) == key.done_key(sha) and json_path.is_file():
                outcomes[c.call_id] = _skipped(c, json_path)
                continue
            todo.append(WorkItem(c.call_id, c.path, sha))

        interrupted = False
        audio_s, n_done = 0.0, 0
        t_start = time.perf_counter()
        results = engine_results(todo, options=options, factory=factory, pipeline=pipeline)
        try:
            for res in results:
                if res.fatal:
                    raise BatchError(res.error or "the scorer could not start")
                outcome = _save(res, by_id[res.item.call_id], store=store, out=out, key=key)
                outcomes[outcome.call_id] = outcome
                n_done += 1
                audio_s += outcome.duration
                if progress:
                    wall = time.perf_counter() - t_start
                    progress(BatchProgress(n_done, len(todo), audio_s, wall, outcome))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
        summary = BatchSummary(
            outcomes=tuple(outcomes[c.call_id] for c in calls if c.call_id in outcomes),
            wall_s=time.perf_counter() - t0,
            interrupted=interrupted,
            warnings=tuple(warnings),
            store=store.target.display,
        )
    write_summary(summary, out / SUMMARY_NAME)
    return summary


def _skipped(c: CallInput, json_path: Path) -> CallOutcome:
    total, crit, duration = None, False, 0.0
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
        total, crit = data.get("total"), bool(data.get("critical_failed"))
        duration = float(data.get("duration") or 0.0)
    except (OSError, ValueError):
        pass
    html = json_path.with_suffix(".html")
    return CallOutcome(
        c.call_id,
        c.path,
        SKIPPED,
        total=total,
        critical_failed=crit,
        duration=duration,
        json_path=str(json_path),
        report_path=str(html) if html.is_file() else None,
    )


def _save(res: WorkResult, call: CallInput, *, store: ResultStore, out: Path, key: RunKey) -> CallOutcome:
    """Write one finished call: JSON (atomic), HTML (atomic), then the store row; or record the failure."""
    it = res.item
    json_path = out / f"{it.call_id}.json"
    html_path = out / f"{it.call_id}.html"
    if res.error is not None or res.scorecard_json is None:
        reason = res.error or "no scorecard produced"
        # A stale result of an earlier version of this file must not pass for the current one.
        json_path.unlink(missing_ok=True)
        html_path.unlink(missing_ok=True)
        store.record_failure(call_id=it.call_id, source=it.path, audio_sha256=it.audio_sha256, reason=reason)
        return CallOutcome(it.call_id, it.path, FAILED, reason=reason, wall_s=res.wall_s)
    from .scorecard import scorecard_from_dict

    card = scorecard_from_dict(json.loads(res.scorecard_json), source=str(json_path))
    report: str | None = None
    if res.html is not None:
        write_text_atomic(html_path, res.html)
        report = str(html_path.resolve())
    else:
        html_path.unlink(missing_ok=True)
    write_text_atomic(json_path, res.scorecard_json)
    md = call.metadata
    store.save_call(
        card,
        model=key.model,
        agent=md.agent,
        team=md.team,
        call_date=md.call_date,
        extra=md.extra,
        report_path=report,
        source=it.path,
        audio_sha256=it.audio_sha256,
    )
    return CallOutcome(
        it.call_id,
        it.path,
        SCORED,
        total=card.total,
        critical_failed=card.critical_failed,
        duration=card.duration,
        wall_s=res.wall_s,
        json_path=str(json_path),
        report_path=report,
    )


def summary_to_dict(summary: BatchSummary) -> dict[str, Any]:
    """Plain-JSON form of a batch summary."""
    return {
        "scored": len(summary.of(SCORED)),
        "skipped": len(summary.of(SKIPPED)),
        "failed": len(summary.of(FAILED)),
        "interrupted": summary.interrupted,
        "wall_s": round(summary.wall_s, 3),
        "audio_s": round(summary.audio_s, 3),
        "speed_x_realtime": round(summary.speed, 3) if summary.speed is not None else None,
        "store": summary.store,
        "warnings": list(summary.warnings),
        "calls": [dataclasses.asdict(o) for o in summary.outcomes],
    }


def write_summary(summary: BatchSummary, path: Path) -> Path:
    """Write the summary JSON atomically."""
    return write_text_atomic(path, json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2))
