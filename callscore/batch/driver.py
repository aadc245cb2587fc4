"""Batch scoring: many calls, several worker processes (or a Ray cluster), nothing lost, nothing done twice.

This module only orchestrates; scoring is :func:`callscore.pipeline.score_path`, behind a *scorer factory*
so tests and other pipelines can plug in. Each worker calls the factory once (loading the model once) and
then scores calls one at a time. The driver (this process) alone writes: each scorecard goes to
``<out>/<call_id>.json`` via temp file + rename, then into the results store in one transaction. The store
doubles as the index of what is done, so a re-run skips a call whose audio hash, rubric id/version, model
and run settings (redaction, sentiment model) are unchanged and whose JSON is present, and a crash or
Ctrl-C loses only the calls in flight. Store rows are keyed by the batch id (random, kept in
``<out>/.callscore-batch-id``) and the call id, so batches sharing one PostgreSQL store never overwrite
each other's calls of the same name.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callscore.batch.inputs import CallInput
from callscore.batch.pool import local_results
from callscore.batch.ray_engine import ray_results
from callscore.batch.work import (
    ScorerFactory,
    WorkItem,
    WorkResult,
    default_pipeline_options,
    default_scorer_factory,
    model_key,
    strict_json,
    threads_per_worker,
    with_threads,
)
from callscore.errors import CallscoreError
from callscore.files import file_sha256, write_text_atomic
from callscore.pipeline import PipelineOptions, load_rubric_for
from callscore.results.store import (
    DEFAULT_SQLITE_NAME,
    DoneKey,
    ResultStore,
    StoreError,
    call_key,
    legacy_key,
    open_store,
)

SCORED = "scored"
SKIPPED = "skipped"
FAILED = "failed"
ENGINES = ("local", "ray")
SUMMARY_NAME = "batch-summary.json"
LOCK_NAME = ".callscore-batch.lock"  # held while a batch writes to its output folder
BATCH_ID_NAME = ".callscore-batch-id"  # the output folder's batch id, part of every store key it writes
"""Scores one call: (path, call_id) -> CallResult (anything with a ``scorecard`` attribute)."""


class BatchError(CallscoreError):
    """A batch that cannot run at all (bad options, the scoring pipeline cannot start)."""


@dataclass(frozen=True)
class RunKey:
    """What a batch scores with; together with the audio hash it decides whether a result can be reused.

    Attributes:
        rubric_id: Rubric identifier.
        rubric_version: Rubric version.
        model: ASR model key (backend, model name, compute type and a hash of the decoding options).
        settings: The other settings that change a scorecard: redaction mode and sentiment model
            (:func:`run_settings`); "" for a custom scorer that brings its own.
    """

    rubric_id: str
    rubric_version: str
    model: str
    settings: str = ""

    def done_key(self, audio_sha256: str) -> DoneKey:
        """The store key a result of this run on this audio carries."""
        return DoneKey(audio_sha256, self.rubric_id, self.rubric_version, self.model, self.settings)


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
    pipeline: PipelineOptions | None = None
    scorer_factory: ScorerFactory | None = None
    run_key: RunKey | None = None
    db: str | None = None
    engine: str = "local"
    address: str | None = None
    html: bool = True
    cores: int | None = None
    force: bool = False


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
        transcribed_s: Seconds of its audio decoded in this run (0 when its transcript was cached).
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
    transcribed_s: float = 0.0
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
        error: Why the batch stopped early (the results store stayed unreachable), "" otherwise.
    """

    outcomes: tuple[CallOutcome, ...]
    wall_s: float
    interrupted: bool = False
    warnings: tuple[str, ...] = ()
    store: str = ""
    error: str = ""

    def of(self, status: str) -> tuple[CallOutcome, ...]:
        """Outcomes with ``status``."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def audio_s(self) -> float:
        """Seconds of audio scored in this run."""
        return sum(o.duration for o in self.of(SCORED))

    @property
    def transcribed_s(self) -> float:
        """Seconds of audio actually transcribed in this run (transcripts from the cache excluded)."""
        return sum(o.transcribed_s for o in self.of(SCORED))

    @property
    def speed(self) -> float | None:
        """Audio seconds transcribed per wall second (x real time), None when nothing was transcribed.

        Only audio decoded in this run counts: a re-run served from the transcript cache is not "fast".
        """
        return self.transcribed_s / self.wall_s if self.wall_s > 0 and self.transcribed_s > 0 else None

    @property
    def exit_code(self) -> int:
        """0 when every call is scored or skipped, 1 when any failed or the store failed, 130 when
        interrupted."""
        if self.error:
            return 1
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
        transcribed_s: Seconds of audio actually transcribed so far (cache hits excluded).
    """

    done: int
    total: int
    audio_s: float
    wall_s: float
    last: CallOutcome | None = None
    transcribed_s: float = 0.0

    @property
    def speed(self) -> float | None:
        """x real time so far, over audio actually transcribed."""
        return self.transcribed_s / self.wall_s if self.wall_s > 0 and self.transcribed_s > 0 else None


ProgressFn = Callable[[BatchProgress], None]


def resolve_run_key(pipeline: PipelineOptions | None) -> RunKey:
    """The rubric id/version (validating the rubric), model key and settings the default scorer uses."""
    options = pipeline if pipeline is not None else default_pipeline_options()
    rubric = load_rubric_for(options)
    return RunKey(rubric.id, rubric.version, model_key(options.transcribe), run_settings(options))


def run_settings(options: PipelineOptions) -> str:
    """``redact=<mode>;sentiment=<model>``: a result scored with another redaction mode (its evidence
    and stored text differ) or sentiment model (its metrics and sentiment items differ) is not reused.

    A sentiment model given as a file is named by its content hash too, so replacing the file rescores.
    """
    model = options.sentiment_model
    path = Path(model)
    if path.is_file():
        model = f"{model}@{file_sha256(path)[:16]}"
    return f"redact={options.redact};sentiment={model}"


def batch_id(out: Path) -> str:
    """The batch id of output folder ``out``: read from ``<out>/.callscore-batch-id``, made (random, 128
    bits) on the folder's first batch. Every run into the folder is the same batch, so it resumes its own
    store rows; any other folder, on any machine, is another batch."""
    path = out / BATCH_ID_NAME
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = ""
    except OSError as e:
        raise BatchError(f"{path}: cannot read the batch id ({e.strerror or e})") from e
    if text:
        if len(text) != 32 or any(ch not in "0123456789abcdef" for ch in text):
            raise BatchError(f"{path}: not a batch id (32 hex digits); delete it to start a new batch")
        return text
    text = secrets.token_hex(16)
    write_text_atomic(path, text + "\n")
    return text


def engine_results(
    items: Sequence[WorkItem],
    *,
    options: BatchOptions,
    factory: ScorerFactory,
    pipeline: PipelineOptions | None,
) -> Iterator[WorkResult]:
    """Results from the engine ``options.engine`` names."""
    if options.engine == "local":
        return local_results(items, jobs=options.jobs, factory=factory, pipeline=pipeline, html=options.html)
    if options.engine == "ray":
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
    # A custom scorer factory without options gets None (it brings its own settings).
    pipeline: PipelineOptions | None = options.pipeline
    if pipeline is None and options.scorer_factory is None:
        pipeline = default_pipeline_options()
    if pipeline is not None:
        pipeline = with_threads(pipeline, threads)
    key = options.run_key or resolve_run_key(pipeline)

    outcomes: dict[str, CallOutcome] = {}
    by_id = {c.call_id: c for c in calls}
    todo: list[WorkItem] = []
    with _out_lock(out), open_store(store_url(options)) as store:
        ids = _StoreIds(batch_id(out), store.legacy_rows())
        done = store.done_keys()
        for c in calls:
            try:
                sha = file_sha256(c.path)
            except OSError as e:
                reason = f"{c.path}: cannot read ({e.strerror or e})"
                store.record_failure(
                    call_id=c.call_id,
                    source=c.path,
                    audio_sha256="",
                    reason=reason,
                    batch_id=ids.batch,
                    key=ids.key(c.call_id, c.path),
                )
                outcomes[c.call_id] = CallOutcome(c.call_id, c.path, FAILED, reason=reason)
                continue
            json_path = out / f"{c.call_id}.json"
            stored = done.get(ids.key(c.call_id, c.path))
            if not options.force and stored == key.done_key(sha) and json_path.is_file():
                outcomes[c.call_id] = _skipped(c, json_path)
                continue
            todo.append(WorkItem(c.call_id, c.path, sha))

        interrupted = False
        store_error: StoreError | None = None
        audio_s, transcribed_s, n_done = 0.0, 0.0, 0
        t_start = time.perf_counter()
        results = engine_results(todo, options=options, factory=factory, pipeline=pipeline)
        try:
            with _sigterm_as_interrupt():
                for res in results:
                    if res.fatal:
                        raise BatchError(res.error or "the scorer could not start")
                    outcome = _save(res, by_id[res.item.call_id], store=store, out=out, key=key, ids=ids)
                    outcomes[outcome.call_id] = outcome
                    n_done += 1
                    audio_s += outcome.duration
                    transcribed_s += outcome.transcribed_s
                    if progress:
                        wall = time.perf_counter() - t_start
                        progress(BatchProgress(n_done, len(todo), audio_s, wall, outcome, transcribed_s))
        except KeyboardInterrupt:
            interrupted = True
        except StoreError as e:  # the database went away and stayed away: stop, but say what was saved
            store_error = e
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
            error=str(store_error) if store_error is not None else "",
        )
        write_summary(summary, out / SUMMARY_NAME)
    return summary


@dataclass(frozen=True)
class _StoreIds:
    """How this batch's calls are keyed in the store: its batch id, and the schema 1 rows (migrated,
    batch unknown) that a call of the same id and file takes over.

    Attributes:
        batch: The batch id.
        legacy: call_id -> (source, batch id) of the store's migrated rows.
    """

    batch: str
    legacy: dict[str, tuple[str, str]]

    def key(self, call_id: str, source: str) -> str:
        """Store key of this batch's call ``call_id`` read from ``source``: a migrated row of the same id
        and file that no other batch took yet keeps its key; else :func:`call_key`."""
        src, owner = self.legacy.get(call_id, ("", ""))
        if src == source and owner in ("", self.batch):
            return legacy_key(call_id)
        return call_key(batch_id=self.batch, call_id=call_id)


@contextmanager
def _out_lock(out: Path) -> Iterator[None]:
    """Hold ``<out>/.callscore-batch.lock`` for the whole batch: two batches on one folder would score
    shared calls twice and overwrite each other's summary, so the second one stops at once instead."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks; one batch per folder is then the user's care
        yield
        return
    path = out / LOCK_NAME
    with path.open("a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise BatchError(
                f"{out}: another batch ({holder}) is writing to this folder; wait for it or use another --out"
            ) from e
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        try:
            yield
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a scheduler stopping the job) stops the batch like Ctrl-C: calls in flight are
    dropped, workers are stopped, and the summary of everything saved so far is written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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


def _save(
    res: WorkResult, call: CallInput, *, store: ResultStore, out: Path, key: RunKey, ids: _StoreIds
) -> CallOutcome:
    """Write one finished call: JSON (atomic), HTML (atomic), then the store row; or record the failure."""
    it = res.item
    json_path = out / f"{it.call_id}.json"
    html_path = out / f"{it.call_id}.html"
    if res.error is not None or res.scorecard_json is None:
        reason = res.error or "no scorecard produced"
        # A stale result of an earlier version of this file must not pass for the current one.
        json_path.unlink(missing_ok=True)
        html_path.unlink(missing_ok=True)
        store.record_failure(
            call_id=it.call_id,
            source=it.path,
            audio_sha256=it.audio_sha256,
            reason=reason,
            batch_id=ids.batch,
            key=ids.key(it.call_id, it.path),
        )
        return CallOutcome(it.call_id, it.path, FAILED, reason=reason, wall_s=res.wall_s)
    from callscore.scorecard import scorecard_from_dict

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
        batch_id=ids.batch,
        run_settings=key.settings,
        key=ids.key(it.call_id, it.path),
    )
    return CallOutcome(
        it.call_id,
        it.path,
        SCORED,
        total=card.total,
        critical_failed=card.critical_failed,
        duration=card.duration,
        wall_s=res.wall_s,
        transcribed_s=res.transcribed_s,
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
        "error": summary.error,
        "wall_s": round(summary.wall_s, 3),
        "audio_s": round(summary.audio_s, 3),
        "transcribed_s": round(summary.transcribed_s, 3),
        "speed_x_realtime": round(summary.speed, 3) if summary.speed is not None else None,
        "store": summary.store,
        "warnings": list(summary.warnings),
        "calls": [dataclasses.asdict(o) for o in summary.outcomes],
    }


def write_summary(summary: BatchSummary, path: Path) -> Path:
    """Write the summary JSON atomically."""
    return write_text_atomic(path, strict_json(summary_to_dict(summary)))
