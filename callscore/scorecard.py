"""The scorecard: per call, total score and every rubric item with status, weight and evidence.

Shared contract between the rubric engine (which fills it), the writers (table, JSON, Markdown, HTML) and
the batch runner/results store. JSON field names are stable and versioned (docs/scorecard-schema.md).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from callscore import __version__
from callscore.errors import CallscoreError
from callscore.prosody.report import ProsodyReport
from callscore.rubric.apply import apply_rubric
from callscore.rubric.model import (
    FAIL,
    NOT_APPLICABLE,
    NOT_MEASURED,
    PASS,
    STATUSES,
    Evidence,
    ItemResult,
    weighted_total,
)
from callscore.rubric.schema import Rubric, load_rubric
from callscore.sentiment import (
    CallSentiment,
    SentimentModel,
    sentiment_from_dict,
    sentiment_to_dict,
)
from callscore.timeline.model import Timeline, timeline_from_dict, timeline_to_dict
from callscore.transcript.model import Transcript

SCHEMA_NAME = "callscore.scorecard"
SCHEMA_VERSION = 1

__all__ = [
    "FAIL",
    "NOT_APPLICABLE",
    "NOT_MEASURED",
    "PASS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "STATUSES",
    "Evidence",
    "ItemResult",
    "Scorecard",
    "score_transcript",
    "scorecard_from_dict",
    "scorecard_to_dict",
    "scorecard_to_json",
    "weighted_total",
]


@dataclass(frozen=True)
class Scorecard:
    """A scored call.

    Attributes:
        call_id: Identifier (file stem by default).
        source: Input path as given (audio or transcript JSON).
        audio_sha256: Hash of the audio file ("" if unknown).
        duration: Call length (s).
        rubric_id: Rubric identifier.
        rubric_version: Rubric version string.
        rubric_name: Human-readable rubric name.
        total: 0-100 weighted score over applicable, measured items; None when no item could be scored.
            A critical failure does not change ``total``; it sets ``critical_failed``.
        critical_failed: True when any critical item failed.
        items: Item results, critical failures first, then rubric order.
        metrics: Call-level figures (talk_ratio, interruptions, dead_air_s, calm, confidence, ...).
        settings: What it ran with: transcription backend/model/options, timeline and prosody options.
        created: ISO-8601 UTC time the scorecard was made.
        callscore_version: Version that made it.
        timeline: The timeline the rubric's checks read (turns, overlaps, silences and their options), so a
            re-rendered report draws exactly what was counted; None in scorecards saved before it was
            recorded.
        sentiment: Sentiment of every turn of ``timeline`` and the call-level figures (customer start, end,
            quarters and shift; agent tone; -5..+5); None when not measured.
        schema_version: Version of this schema.
    """

    call_id: str
    source: str
    audio_sha256: str
    duration: float
    rubric_id: str
    rubric_version: str
    rubric_name: str
    total: float | None
    critical_failed: bool
    items: tuple[ItemResult, ...]
    metrics: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    callscore_version: str = ""
    timeline: Timeline | None = None
    sentiment: CallSentiment | None = None
    schema_version: int = SCHEMA_VERSION

    def item(self, item_id: str) -> ItemResult | None:
        """The result of one item, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def critical_failures(self) -> tuple[ItemResult, ...]:
        """Failed critical items."""
        return tuple(i for i in self.items if i.critical and i.status == FAIL)


def score_transcript(
    transcript: Transcript,
    *,
    rubric: Rubric | str | os.PathLike[str],
    timeline: Timeline | None = None,
    prosody: ProsodyReport | None = None,
    call_id: str | None = None,
    settings: Mapping[str, Any] | None = None,
    sentiment: SentimentModel | bool = True,
) -> Scorecard:
    """Score one call against a rubric.

    Parameters
    ----------
    transcript : the call, with speakers/roles (else channel 0 = agent, channel 1 = customer)
    rubric : a Rubric, a built-in rubric name or a rubric file path
    timeline : turns/overlaps/silences; built from the word timings when None
    prosody : the prosody report, or None when prosody was not measured (prosody items are then
        ``not_measured``)
    call_id : identifier in the scorecard (default: the audio file stem)
    settings : extra run settings to record in the scorecard (e.g. timeline or prosody options)
    sentiment : a sentiment model, True (default) for the bundled model of the rubric's language, False to
        skip sentiment (its items are then ``not_measured``)

    Returns
    -------
    Scorecard with items in rubric order, critical failures moved first, and the weighted total over
    items that passed or failed (not_applicable and not_measured excluded).
    """
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    out = apply_rubric(
        transcript, rubric=rub, timeline=timeline, prosody=prosody, settings=settings, sentiment=sentiment
    )
    t = out.transcript
    return Scorecard(
        call_id=call_id or _stem(t.audio.path) or "call",
        source=t.audio.path,
        audio_sha256=t.audio.sha256,
        duration=t.audio.duration,
        rubric_id=rub.id,
        rubric_version=rub.version,
        rubric_name=rub.name,
        total=out.total,
        critical_failed=out.critical_failed,
        items=out.items,
        metrics=out.metrics,
        settings=out.settings,
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        callscore_version=__version__,
        timeline=out.timeline,
        sentiment=out.sentiment,
    )


def _stem(path: str) -> str:
    name = os.path.basename(path)
    return name.rsplit(".", 1)[0] if "." in name else name


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """Plain-JSON form, schema name and version first."""
    body = asdict(replace(card, timeline=None, sentiment=None))
    body.pop("schema_version")
    body["timeline"] = None if card.timeline is None else timeline_to_dict(card.timeline)
    body["sentiment"] = None if card.sentiment is None else sentiment_to_dict(card.sentiment)
    return {"schema": SCHEMA_NAME, "schema_version": card.schema_version, **body}


def scorecard_to_json(card: Scorecard, *, indent: int | None = 2) -> str:
    """JSON text of a scorecard."""
    return json.dumps(scorecard_to_dict(card), ensure_ascii=False, indent=indent)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)} - {"schema_version"}
    return {k: v for k, v in data.items() if k in names}


def scorecard_from_dict(data: dict[str, Any], *, source: str = "<dict>") -> Scorecard:
    """Rebuild a Scorecard from :func:`scorecard_to_dict` output."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_NAME:
        raise CallscoreError(f"{source}: not a callscore scorecard")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CallscoreError(
            f"{source}: scorecard schema version {data.get('schema_version')} not supported "
            f"(this callscore reads version {SCHEMA_VERSION}); re-score the call"
        )
    try:
        # Fields this version does not know are ignored: adding an optional field is a compatible change
        # (docs/scorecard-schema.md, "Versioning").
        body = _known(Scorecard, data)
        items = tuple(
            ItemResult(
                **{
                    **_known(ItemResult, i),
                    "evidence": tuple(Evidence(**_known(Evidence, e)) for e in i.get("evidence", ())),
                }
            )
            for i in data["items"]
        )
        body.pop("items", None)
        recorded = body.pop("timeline", None)
        timeline = None if recorded is None else timeline_from_dict(recorded)
        said = body.pop("sentiment", None)
        turns = timeline.turns if timeline is not None else ()
        sentiment = None if said is None else sentiment_from_dict(said, turns=turns)
        return Scorecard(**body, items=items, timeline=timeline, sentiment=sentiment)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise CallscoreError(f"{source}: malformed scorecard JSON ({e})") from e
