"""Accuracy on labelled data: ASR word/character error rates and per-item rubric precision/recall."""

from callscore.eval.asr_eval import AsrReport, evaluate_asr
from callscore.eval.rubric_eval import EvalReport, evaluate

__all__ = ["AsrReport", "EvalReport", "evaluate", "evaluate_asr"]
