"""``--redact`` for ``callscore render`` (and, later, serve's exports): a saved scorecard, its transcript and
its recording as the chosen mode lets them be shown.

A scorecard scored with redaction already quotes placeholders and names its redacted recording; one scored
with ``--redact none`` is redacted here. The pure detection and redaction are in ``callscore.pii``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from callscore.files import file_sha256
from callscore.pii.types import PiiError, Redaction
from callscore.pii.wire import (
    RECORD_KEY,
    check_mode,
    recorded_redactions,
    redact_quotes,
    redact_text,
    redacted_audio_path,
    redaction_settings,
    redactions_from_dicts,
    report_audio,
    scorecard_mode,
    write_redacted_copy,
)
from callscore.scorecard import Scorecard
from callscore.transcript.model import Transcript


def redact_for_render(
    *, scorecard: Scorecard, transcript: Transcript | None, mode: str
) -> tuple[Scorecard, Transcript | None]:
    """The scorecard and transcript ``callscore render`` writes for ``mode``.

    A scorecard scored with redaction already quotes placeholders; one scored with ``--redact none`` has
    its evidence quotes redacted here (see :func:`redact_quotes`). A transcript given in clear is
    redacted like the pipeline does.
    """
    card = scorecard
    if check_mode(mode) == "none":
        return card, transcript
    t = None if transcript is None else redact_text(transcript)
    if scorecard_mode(card.settings) != "none":
        return card, t
    lang = (t.info.language if t is not None else None) or "id"
    quotes = [
        (ev.quote, ev.start, ev.end, 1 if ev.role == "customer" else 0)
        for item in card.items
        for ev in item.evidence
    ]
    redacted = iter(redact_quotes(quotes=quotes, language=lang))
    items = tuple(
        replace(item, evidence=tuple(replace(ev, quote=next(redacted)) for ev in item.evidence))
        for item in card.items
    )
    timeline = card.timeline
    if timeline is not None:
        # turns and overlaps carry what was said too (the HTML timeline shows it on hover)
        turns = redact_quotes(
            quotes=[(x.text, x.start, x.end, 1 if x.role == "customer" else 0) for x in timeline.turns],
            language=lang,
        )
        overlaps = redact_quotes(
            quotes=[(x.text, x.start, x.end, 1 if x.by_role == "customer" else 0) for x in timeline.overlaps],
            language=lang,
        )
        timeline = replace(
            timeline,
            turns=tuple(replace(x, text=q) for x, q in zip(timeline.turns, turns, strict=True)),
            overlaps=tuple(replace(x, text=q) for x, q in zip(timeline.overlaps, overlaps, strict=True)),
        )
        card = replace(card, timeline=timeline)
    sent = card.sentiment
    if sent is not None:
        # the sentiment turns quote what was said too (the report colours them and lists them as evidence)
        said = redact_quotes(
            quotes=[(x.text, x.start, x.end, 1 if x.role == "customer" else 0) for x in sent.turns],
            language=lang,
        )
        turns_said = tuple(replace(x, text=q) for x, q in zip(sent.turns, said, strict=True))
        card = replace(card, sentiment=replace(sent, turns=turns_said))
    spans = (recorded_redactions(t) if t is not None else None) or ()
    record = {**redaction_settings(mode="text", redactions=spans), "applied": "render"}
    return replace(card, items=items, settings={**card.settings, RECORD_KEY: record}), t


def render_audio(
    *,
    scorecard: Scorecard,
    transcript: Transcript | None,
    mode: str,
    original: str | os.PathLike[str] | None,
    out_dir: str | os.PathLike[str] | None,
    scorecard_dir: str | os.PathLike[str] | None = None,
) -> tuple[Scorecard, str | None]:
    """The recording ``callscore render`` may play for ``mode``, and the scorecard recording it.

    "none": the original; "text": nothing; "audio": the redacted copy the scorecard names when it is
    still there (sha256 checked), else a new copy made from ``original`` and the recorded spans (the
    scorecard's, or the transcript's) in ``out_dir``.
    """
    card = scorecard
    m = check_mode(mode)
    if m != "audio":
        return card, report_audio(mode=m, original=original, copy=None)
    rec = card.settings.get(RECORD_KEY)
    rec = rec if isinstance(rec, Mapping) else {}
    if rec.get("audio"):
        named = Path(str(rec["audio"]))
        for candidate in (named, Path(scorecard_dir or ".") / named.name):
            if candidate.is_file() and file_sha256(candidate) == rec.get("audio_sha256"):
                return card, str(candidate)
    if scorecard_mode(card.settings) != "none" and rec.get("applied") != "render":
        spans: tuple[Redaction, ...] | None = redactions_from_dicts(rec.get("redactions", ()))
    else:
        spans = None if transcript is None else recorded_redactions(redact_text(transcript))
    if spans is None:
        raise PiiError(
            f"{card.call_id}: --redact audio needs the spans: give --transcript, or re-score with --redact"
        )
    if original is None or not Path(original).is_file():
        raise PiiError(f"{card.call_id}: --redact audio needs the recording (--audio FILE)")
    if out_dir is None:
        raise PiiError(f"{card.call_id}: --redact audio writes a redacted copy: give --out FOLDER")
    from callscore.audio.decode import load_audio

    audio = load_audio(original)
    copy, sha = write_redacted_copy(
        audio=audio, redactions=spans, path=redacted_audio_path(out_dir, card.call_id)
    )
    record = {**redaction_settings(mode="audio", redactions=spans, audio_copy=copy, audio_sha256=sha)}
    if rec.get("applied"):
        record["applied"] = rec["applied"]
    return replace(card, settings={**card.settings, RECORD_KEY: record}), str(copy)
