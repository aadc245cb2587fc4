"""The scorecard: per call, total score and every rubric item with status, weight and evidence.

Shared contract between the rubric engine (which fills it), the writers (table, JSON, Markdown, HTML) and
the batch runner/results store. JSON field names are stable and versioned (docs/scorecard-schema.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .errors import CallscoreError

SCHEMA_NAME = "callscore.scorecard"
SCHEMA_VERSION = 1

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "not_applicable"
NOT_MEASURED = "not_measured"
STATUSES = (PASS, FAIL, NOT_APPLICABLE, NOT_MEASURED)


@dataclass(frozen=True)
class Evidence:
    """Why an item passed or failed, pointing into the call.

    Attributes:
        quote: The words said (or a description for timing evidence, e.g. "7.2 s of silence").
        start: Seconds from call start.
        end: Seconds.
        speaker: Speaker label, or None.
        role: "agent"/"customer"/None.
        similarity: Fuzzy-match similarity 0..1 for phrase matches, None otherwise.
        matched: The rubric phrase that matched, or "".
        note: Short extra explanation ("allowed: followed by 'akan saya cek'").
    """

    quote: str
    start: float
    end: float
    speaker: str | None = None
    role: str | None = None
    similarity: float | None = None
    matched: str = ""
    note: str = ""


@dataclass(frozen=True)
class ItemResult:
    """One rubric item checked on one call.

    Attributes:
        id: Item id from the rubric.
        title: Short title.
        description: What the item checks and which seed idea it comes from.
        kind: Item kind ("phrase_present", "phrase_absent", "conditional", "timing", "prosody", "tone").
        weight: Weight in the total.
        critical: A failure fails the whole call.
        status: "pass", "fail", "not_applicable" or "not_measured".
        reason: One line saying why.
        evidence: Supporting evidence, in time order.
        value: Measured value for numeric items (count, seconds, ratio, score), else None.
    """

    id: str
    title: str
    description: str
    kind: str
    weight: float
    critical: bool
    status: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None


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
    schema_version: int = SCHEMA_VERSION

    def item(self, item_id: str) -> ItemResult | None:
        """The result of one item, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def critical_failures(self) -> tuple[ItemResult, ...]:
        """Failed critical items."""
        return tuple(i for i in self.items if i.critical and i.status == FAIL)


def weighted_total(items: tuple[ItemResult, ...] | list[ItemResult]) -> float | None:
    """0-100 over pass/fail items only: not-applicable and not-measured items leave the denominator."""
    scored = [i for i in items if i.status in (PASS, FAIL) and i.weight > 0]
    denom = sum(i.weight for i in scored)
    if denom == 0:
        return None
    return round(100.0 * sum(i.weight for i in scored if i.status == PASS) / denom, 1)


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """Plain-JSON form, schema name and version first."""
    body = asdict(card)
    body.pop("schema_version")
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
        return Scorecard(**body, items=items)
    except (KeyError, TypeError, AttributeError) as e:
        raise CallscoreError(f"{source}: malformed scorecard JSON ({e})") from e
