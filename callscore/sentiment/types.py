"""Data types of the sentiment stage: per text, per turn, per call, rubric measures, evaluation."""

from __future__ import annotations

from dataclasses import dataclass

NEGATIVE = "negative"
NEUTRAL = "neutral"
POSITIVE = "positive"
LABELS = (NEGATIVE, NEUTRAL, POSITIVE)

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Sentiment:
    """Sentiment of one text.

    Attributes:
        label: "negative", "neutral" or "positive" (the most probable class).
        score: P(positive) - P(negative), -1..1; 0 is neutral or undecided.
        negative: Probability of negative, 0..1.
        neutral: Probability of neutral, 0..1.
        positive: Probability of positive, 0..1.
    """

    label: str
    score: float
    negative: float
    neutral: float
    positive: float

    @property
    def confidence(self) -> float:
        """Probability of the chosen label."""
        return max(self.negative, self.neutral, self.positive)


@dataclass(frozen=True)
class TurnSentiment:
    """Sentiment of one turn of a call.

    Attributes:
        index: Position of the turn in the call's turn list (0-based).
        speaker: Speaker label.
        role: "agent", "customer" or None.
        start: Seconds from the call start.
        end: Seconds.
        text: What was said.
        sentiment: The turn's sentiment.
    """

    index: int
    speaker: str
    role: str | None
    start: float
    end: float
    text: str
    sentiment: Sentiment


@dataclass(frozen=True)
class QuarterSentiment:
    """One speaker role's sentiment in one quarter of the call.

    Attributes:
        quarter: 1..4.
        start: Seconds, start of the quarter.
        end: Seconds, end of the quarter.
        score: -5..+5 (5 x word-weighted mean turn score), None when the role did not speak in it.
        n_turns: Turns whose midpoint falls in the quarter.
    """

    quarter: int
    start: float
    end: float
    score: float | None
    n_turns: int


@dataclass(frozen=True)
class RoleSentiment:
    """One role's sentiment over a call, on the -5..+5 scale.

    Attributes:
        role: "agent" or "customer".
        overall: Word-weighted mean over all the role's turns, -5..+5; None without turns.
        start: Score of the first quarter in which the role spoke, -5..+5; None without turns.
        end: Score of the last quarter in which the role spoke, -5..+5; None without turns.
        shift: ``end - start`` (-10..+10); positive means the role ended happier than it began.
        quarters: The four quarters.
        n_turns: Turns of the role.
        n_negative: Turns labelled negative.
        n_positive: Turns labelled positive.
    """

    role: str
    overall: float | None
    start: float | None
    end: float | None
    shift: float | None
    quarters: tuple[QuarterSentiment, ...]
    n_turns: int
    n_negative: int
    n_positive: int


@dataclass(frozen=True)
class CallSentiment:
    """Sentiment of a whole call.

    Attributes:
        turns: Every turn with its sentiment, in time order.
        customer: The customer's sentiment over the call (start, end, quarters, shift).
        agent: The agent's tone over the call.
        duration: Seconds the quarters divide.
        model: Name of the model that scored the turns.
    """

    turns: tuple[TurnSentiment, ...]
    customer: RoleSentiment
    agent: RoleSentiment
    duration: float
    model: str


@dataclass(frozen=True)
class MeasureResult:
    """Outcome of one sentiment-based rubric measure, engine-independent.

    Attributes:
        measure: Measure id ("customer_left_no_worse", "agent_tone_non_negative", "positive_language").
        outcome: "pass", "fail" or "not_applicable".
        value: The figure judged (a shift, a count, a score), None when not applicable.
        reason: One line for the scorecard saying why.
        evidence: The turns that drove the outcome.
    """

    measure: str
    outcome: str
    value: float | None
    reason: str
    evidence: tuple[TurnSentiment, ...]


@dataclass(frozen=True)
class LabelledText:
    """A text with its gold label. Attributes: text, label, line (1-based line in its file)."""

    text: str
    label: str
    line: int = 0


@dataclass(frozen=True)
class EvalReport:
    """Accuracy of a sentiment model on labelled texts.

    Attributes:
        n: Texts scored.
        accuracy: Share labelled right, 0..1.
        macro_f1: Mean F1 over the labels in ``labels``, 0..1.
        f1: F1 per label, in the order of ``labels``.
        labels: Labels of the confusion matrix rows and columns.
        confusion: ``confusion[i][j]`` = texts of gold label i predicted as label j.
        model: Model name.
    """

    n: int
    accuracy: float
    macro_f1: float
    f1: tuple[float, ...]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    model: str


def sentiment_from_probs(p_negative: float, p_neutral: float, p_positive: float) -> Sentiment:
    """A Sentiment from class probabilities (label = most probable, score = P(pos) - P(neg))."""
    probs = {NEGATIVE: p_negative, NEUTRAL: p_neutral, POSITIVE: p_positive}
    label = max(LABELS, key=lambda k: probs[k])
    return Sentiment(label, p_positive - p_negative, p_negative, p_neutral, p_positive)
