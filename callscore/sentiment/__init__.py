"""Sentiment of what was said: per text, per turn, per call, and rubric measures built on it.

The bundled models (``models/sentiment-id.npz``, ``models/sentiment-en.npz``) are ours: softmax regressions
over hashed n-grams, numpy only at run time, loaded on first use. A transformers checkpoint can replace
them (``get_model("DIR")``, the transformers extra). Importing this package loads no model.
"""

from .analysis import (
    analyse_transcript,
    analyse_turns,
    quarter_of,
    role_sentiment,
    score_turns,
    weighted_score,
)
from .evaluate import evaluate, format_report, read_labels, report_from_predictions, report_to_dict
from .measures import agent_tone_non_negative, customer_left_no_worse, positive_language
from .model import LinearSentimentModel, SentimentModel, get_model, load_linear_model
from .record import sentiment_from_dict, sentiment_metrics, sentiment_to_dict
from .types import (
    FAIL,
    LABELS,
    NEGATIVE,
    NEUTRAL,
    NOT_APPLICABLE,
    PASS,
    POSITIVE,
    CallSentiment,
    EvalReport,
    LabelledText,
    MeasureResult,
    QuarterSentiment,
    RoleSentiment,
    Sentiment,
    TurnSentiment,
)

__all__ = [
    "FAIL",
    "LABELS",
    "NEGATIVE",
    "NEUTRAL",
    "NOT_APPLICABLE",
    "PASS",
    "POSITIVE",
    "CallSentiment",
    "EvalReport",
    "LabelledText",
    "LinearSentimentModel",
    "MeasureResult",
    "QuarterSentiment",
    "RoleSentiment",
    "Sentiment",
    "SentimentModel",
    "TurnSentiment",
    "agent_tone_non_negative",
    "analyse_transcript",
    "analyse_turns",
    "customer_left_no_worse",
    "evaluate",
    "format_report",
    "get_model",
    "load_linear_model",
    "positive_language",
    "quarter_of",
    "read_labels",
    "report_from_predictions",
    "report_to_dict",
    "role_sentiment",
    "score_turns",
    "sentiment_from_dict",
    "sentiment_metrics",
    "sentiment_to_dict",
    "weighted_score",
]
