"""``json`` writer: the scorecard as strict JSON for machines (schema in docs/scorecard-schema.md).

The text is :func:`callscore.scorecard.scorecard_to_json` for every ordinary scorecard. Two things a
stage may leave in ``metrics``/``settings`` would make that invalid or unwritable JSON, so they are
normalised first: NaN and infinities become ``null`` (JSON has no NaN), and NumPy scalars/arrays, tuples,
sets and paths become plain numbers, lists and strings.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from callscore.errors import CallscoreError
from callscore.files import write_text_atomic
from callscore.scorecard import scorecard_to_dict

if TYPE_CHECKING:
    from callscore.scorecard import Scorecard
    from callscore.timeline.model import Timeline
    from callscore.transcript.model import Transcript

DEFAULT_INDENT = 2  # spaces


def jsonable(value: Any) -> Any:
    """A copy of ``value`` made of dict/list/str/int/float/bool/None only, with NaN/inf as None."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, PurePath):
        return str(value)
    # NumPy scalars and arrays, without importing NumPy.
    if hasattr(value, "tolist") and callable(value.tolist):
        return jsonable(value.tolist())
    if hasattr(value, "item") and callable(value.item):
        return jsonable(value.item())
    raise CallscoreError(
        f"scorecard JSON: cannot write a value of type {type(value).__name__} ({value!r:.60}); "
        "store plain numbers, strings, lists or dicts in metrics/settings"
    )


def render(
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    indent: int | None = DEFAULT_INDENT,
) -> str:
    """Scorecard JSON text (UTF-8 characters kept readable); transcript, timeline and audio are not used.

    Parameters
    ----------
    scorecard : the scored call
    indent : spaces per level, or None for one compact line (JSON Lines)
    """
    return json.dumps(
        jsonable(scorecard_to_dict(scorecard)), ensure_ascii=False, indent=indent, allow_nan=False
    )


def write(
    path: str | os.PathLike[str],
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    indent: int | None = DEFAULT_INDENT,
) -> Path:
    """Write the scorecard JSON to ``path`` atomically, ending with a newline."""
    return write_text_atomic(Path(path), render(scorecard=scorecard, indent=indent) + "\n")
