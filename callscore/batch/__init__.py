"""Batch stage: many calls in one run — finding inputs, scoring them in a pool or on Ray, the CI gate.

``inputs`` (the one input discoverer, call ids and metadata), ``driver`` (run keys, skip-if-done, the
store), ``ray_engine`` (Ray workers), ``gate`` (``callscore ci`` verdicts, JUnit).
"""

from callscore.batch.driver import BatchError, BatchOptions, BatchSummary, RunKey, run_batch
from callscore.batch.inputs import CallInput, InputError, discover_inputs, plan_inputs
from callscore.batch.work import score_one

__all__ = [
    "BatchError",
    "BatchOptions",
    "BatchSummary",
    "CallInput",
    "InputError",
    "RunKey",
    "discover_inputs",
    "plan_inputs",
    "run_batch",
    "score_one",
]
