"""The local engine of a batch: a pool of worker processes, each with its own scorer (and loaded model)."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from callscore.batch.work import (
    WORKER_DIED,
    ScoreFn,
    ScorerFactory,
    WorkItem,
    WorkResult,
    one_line,
    score_one,
)
from callscore.pipeline import PipelineOptions

MAX_ATTEMPTS = 2  # a call in flight when a worker process dies is retried once in a fresh pool
PARENT_POLL = 0.5  # s between a worker's checks that its driver is still alive

_WORKER_SCORE: ScoreFn | None = None
_WORKER_ERROR: str | None = None
_WORKER_HTML = True


def _init_worker(factory: ScorerFactory, pipeline: PipelineOptions | None, html: bool, driver: int) -> None:
    """Process-pool initializer: build the scorer once; Ctrl-C is the driver's to handle."""
    global _WORKER_SCORE, _WORKER_ERROR, _WORKER_HTML
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The driver's pid comes from the driver: a worker that starts after its driver died (imports take
    # seconds) would otherwise take its new parent for the driver and live on.
    watch_parent(driver)
    _WORKER_HTML = html
    try:
        _WORKER_SCORE = factory(pipeline)
    except Exception as e:
        _WORKER_ERROR = one_line(f"the scorer could not start: {e}")


def watch_parent(parent: int, *, interval: float = PARENT_POLL) -> threading.Thread:
    """Exit this worker when the driver process ``parent`` is gone (SIGKILLed, OOM-killed, crashed).

    A killed driver cannot stop its pool, and a worker holds a loaded model (450-600 MB) forever. The
    orphan is re-parented, so ``os.getppid()`` changes; a daemon thread polls it and ends the process
    with ``os._exit`` (no cleanup is owed: the driver alone writes results). Not ``PR_SET_PDEATHSIG``:
    it fires when the *thread* that started the worker ends, which need not be the driver's end.
    """

    def run() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(interval)

    t = threading.Thread(target=run, name="callscore-parent-watch", daemon=True)
    t.start()
    return t


def _work(item: WorkItem) -> WorkResult:
    if _WORKER_SCORE is None:
        return WorkResult(item, error=_WORKER_ERROR or "the scorer did not start", fatal=True)
    return score_one(_WORKER_SCORE, item, html=_WORKER_HTML)


def local_results(
    items: Sequence[WorkItem],
    *,
    jobs: int,
    factory: ScorerFactory,
    pipeline: PipelineOptions | None,
    html: bool,
) -> Iterator[WorkResult]:
    """Score ``items`` in ``jobs`` worker processes, yielding results as they finish.

    At most ``jobs`` calls are in flight, so a worker dying (killed for memory) costs only those; they are
    retried one at a time in a fresh pool, and a call whose worker dies again is reported as failed.
    Closing the generator (Ctrl-C) kills the workers at once.
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the driver runs a progress thread, and a forked child could inherit a held lock.
    ctx = mp.get_context("spawn")
    queue = list(reversed(items))

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(factory, pipeline, html, os.getpid()),
        )

    pool = new_pool()
    running: dict[Future[WorkResult], WorkItem] = {}
    try:
        while queue or running:
            while queue and len(running) < jobs:
                # A call retried after a worker died runs alone, so that a second death is its own and
                # the calls that merely shared the broken pool are not charged for it.
                if running and (queue[-1].attempt > 1 or any(i.attempt > 1 for i in running.values())):
                    break
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
    for p in processes.values():
        if p.is_alive():
            p.kill()
    for p in processes.values():
        p.join(timeout=5)
    # With the workers gone the pool's manager thread ends at once; waiting for it releases the call
    # queue's semaphores, which otherwise end as "leaked semaphore" warnings at exit.
    pool.shutdown(wait=True, cancel_futures=True)
