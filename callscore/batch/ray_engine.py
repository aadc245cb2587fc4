"""Ray engine for the batch driver: an actor per worker keeps the model loaded, one call per task.

The driver keeps exactly one call in flight per actor and gathers results as they finish, so the batch's
skip/resume, atomic writes and results store behave exactly as with the local process pool. Workers read
the input files by path: on a multi-node cluster the calls must be on storage every node mounts at the same
path (see docs/batch.md). Ray is an optional extra (``pip install 'callscore[ray]'``).
"""

from __future__ import annotations

import dataclasses
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
from callscore.errors import MissingDependencyError
from callscore.pipeline import PipelineOptions

MAX_ATTEMPTS = 2  # a call whose actor died is retried once on a fresh actor


class ScorerActor:
    """Holds one scorer (and so one loaded model) for the life of the actor."""

    def __init__(self, factory: ScorerFactory, pipeline: PipelineOptions | None, html: bool) -> None:
        self._html = html
        self._error: str | None = None
        self._score: ScoreFn | None = None
        try:
            self._score = factory(pipeline)
        except Exception as e:
            self._error = one_line(f"the scorer could not start: {e}")

    def score(self, item: WorkItem) -> WorkResult:
        """Score one call into a WorkResult."""
        if self._score is None:
            return WorkResult(item, error=self._error or "the scorer did not start", fatal=True)
        return score_one(self._score, item, html=self._html)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise MissingDependencyError("--engine ray needs Ray: pip install 'callscore[ray]'") from e
    return ray


def ray_results(
    items: Sequence[WorkItem],
    *,
    jobs: int,
    factory: ScorerFactory,
    pipeline: PipelineOptions | None,
    html: bool,
    address: str | None,
    threads: int,
) -> Iterator[WorkResult]:
    """Score ``items`` on ``jobs`` Ray actors, yielding WorkResults as they finish.

    Parameters
    ----------
    items : WorkItems to score
    jobs : number of actors (each holds a model)
    factory, pipeline : build the scorer in each actor (``factory(pipeline)``)
    html : also render the HTML report
    address : Ray address ("auto", "ray://head:10001"); None joins an already initialised Ray or starts
        a local one
    threads : CPU threads each actor's model uses; also the CPUs each actor reserves
    """
    ray = _import_ray()
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=jobs * threads, include_dashboard=False, log_to_driver=False)
        started = True
    remote_actor = ray.remote(num_cpus=threads, max_restarts=0)(ScorerActor)
    actors = [remote_actor.remote(factory, pipeline, html) for _ in range(jobs)]
    idle = list(actors)
    queue = list(reversed(items))
    pending: dict[Any, tuple[Any, Any]] = {}
    try:
        while queue or pending:
            while queue and idle:
                actor, it = idle.pop(), queue.pop()
                pending[actor.score.remote(it)] = (actor, it)
            ready, _ = ray.wait(list(pending), num_returns=1)
            ref = ready[0]
            actor, it = pending.pop(ref)
            try:
                result = ray.get(ref)
            except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError):
                actor = remote_actor.remote(factory, pipeline, html)  # replace the dead actor
                actors.append(actor)
                if it.attempt >= MAX_ATTEMPTS:
                    result = WorkResult(it, error=f"{it.path}: {WORKER_DIED}")
                else:
                    queue.append(dataclasses.replace(it, attempt=it.attempt + 1))
                    result = None
            except ray.exceptions.RayError as e:
                result = WorkResult(it, error=f"{it.path}: Ray task failed ({type(e).__name__})")
            idle.append(actor)
            if result is not None:
                yield result
    finally:
        for a in actors:
            ray.kill(a)
        if started:
            ray.shutdown()
