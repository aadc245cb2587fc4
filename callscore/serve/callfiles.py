"""The files behind a stored call: its scorecard JSON, its transcript and its recording.

Every path here comes from the results store (the call's ``source`` and ``report_path``, and the store's
own folder) or from the transcript the store points to, never from a request, so the app can serve only
recordings the store knows. The report body reuses the HTML report writer, with the audio player left
out: the app adds its own player streaming the file with HTTP range requests.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from ..errors import CallscoreError
from ..results.store import CallRow, ItemRow, StoreTarget
from ..scorecard import ItemResult, Scorecard, scorecard_from_dict
from ..transcript.model import Transcript, is_transcript_file, load_transcript

_MAIN_RE = re.compile(r"<main>(.*)</main>", re.S)
_FOOTER_RE = re.compile(r"<footer>.*?</footer>", re.S)


def _candidates(call: CallRow, target: StoreTarget) -> list[Path]:
    out = []
    if call.report_path:
        out.append(Path(call.report_path).with_suffix(".json"))
    if target.kind == "sqlite" and target.path is not None:
        out.append(target.path.parent / f"{call.call_id}.json")
    return out


@functools.lru_cache(maxsize=256)
def _load_card(path: str, mtime_ns: int) -> Scorecard | None:
    try:
        return scorecard_from_dict(json.loads(Path(path).read_text(encoding="utf-8")), source=path)
    except (OSError, ValueError, CallscoreError):
        return None


def find_scorecard(*, call: CallRow, target: StoreTarget) -> Scorecard | None:
    """The batch's ``<call_id>.json`` scorecard of ``call`` (beside its report or the SQLite store)."""
    for p in _candidates(call, target):
        try:
            st = p.stat()
        except OSError:
            continue
        card = _load_card(str(p), st.st_mtime_ns)
        if card is not None and card.call_id == call.call_id:
            return card
    return None


def card_from_rows(*, call: CallRow, items: list[ItemRow]) -> Scorecard:
    """A scorecard rebuilt from the store's rows alone (no evidence, metrics or transcript)."""
    return Scorecard(
        call_id=call.call_id,
        source=call.source,
        audio_sha256=call.audio_sha256,
        duration=call.duration or 0.0,
        rubric_id=call.rubric_id,
        rubric_version=call.rubric_version,
        rubric_name=call.rubric_id,
        total=call.total,
        critical_failed=call.critical_failed,
        items=tuple(
            ItemResult(
                id=i.item_id,
                title=i.title,
                description="",
                kind="",
                weight=i.weight,
                critical=i.critical,
                status=i.status,
                reason=i.reason,
                evidence=(),
                value=i.value,
            )
            for i in items
        ),
        created=call.created,
    )


@functools.lru_cache(maxsize=64)
def _load_transcript(path: str, mtime_ns: int) -> Transcript | None:
    try:
        return load_transcript(path)
    except (CallscoreError, OSError, ValueError):
        return None


def find_transcript(*, call: CallRow) -> Transcript | None:
    """The call's transcript: its source when it was scored from a transcript JSON, else a transcript JSON
    with the recording's name beside it (``call.wav`` -> ``call.json``), else None."""
    src = Path(call.source)
    for p in (src,) if is_transcript_file(src) else (src.with_suffix(".json"),):
        try:
            st = p.stat()
        except OSError:
            continue
        t = _load_transcript(str(p), st.st_mtime_ns)
        if t is not None:
            return t
    return None


def recording_path(*, call: CallRow, transcript: Transcript | None) -> Path | None:
    """The recording of ``call`` on disk, or None: the source itself, or the audio its transcript names
    (absolute, else relative to the transcript's folder, else beside it, else as given)."""
    src = Path(call.source)
    if not is_transcript_file(src):
        return src if src.is_file() else None
    if transcript is None or not transcript.audio.path:
        return None
    a = Path(transcript.audio.path)
    for p in (a,) if a.is_absolute() else (src.parent / a, src.parent / a.name, a):
        if p.is_file():
            return p
    return None


def report_body(*, card: Scorecard, transcript: Transcript | None, lang: str = "en") -> str:
    """The HTML report's sections for ``card`` (already escaped by the writer), without its player,
    footer and page shell, for the app's call page."""
    from ..render.html.report import render

    page = render(scorecard=card, transcript=transcript, audio_path=None, lang=lang)
    m = _MAIN_RE.search(page)
    return _FOOTER_RE.sub("", m.group(1)) if m else ""


def audio_mime(path: Path) -> str:
    """Media type of a recording, from its extension (the HTML report's table)."""
    from ..render.html.report import AUDIO_MIME

    return AUDIO_MIME.get(path.suffix.lower(), "application/octet-stream")
