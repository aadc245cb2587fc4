"""Apply a rubric to a call: transcript (+ timeline, + prosody) -> Scorecard.

Roles come from ``Transcript.speakers``. A transcript without speakers is read as a stereo call with the
agent on channel 0 ("S0") and the customer on channel 1 ("S1"); the scorecard's settings say so.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any

from . import __version__
from .checks import CHECKS, CallContext, role_words
from .rubric import Rubric, load_rubric
from .scorecard import FAIL, Scorecard, weighted_total
from .timeline import SCORING_TIMELINE, Timeline, build_timeline
from .transcript import AGENT, CUSTOMER, Speaker, Transcript

DEFAULT_CHANNEL_ROLES = {0: AGENT, 1: CUSTOMER}


def with_default_speakers(transcript: Transcript) -> Transcript:
    """The transcript when it has speakers, else a copy with S0 = agent (ch 0) and S1 = customer (ch 1)."""
    if transcript.speakers:
        return transcript
    channels = transcript.channels or (0,)
    speakers = tuple(
        Speaker(
            label=f"S{ch}",
            channel=ch,
            role=DEFAULT_CHANNEL_ROLES.get(ch),
            role_confidence=0.0,
            role_reason=f"no speakers in transcript: channel {ch} assumed {DEFAULT_CHANNEL_ROLES.get(ch)}",
        )
        for ch in channels
    )
    return replace(transcript, speakers=speakers)


def _word_label(transcript: Transcript, speaker: str | None, channel: int) -> str:
    if speaker is not None:
        return speaker
    by_channel = next((s.label for s in transcript.speakers if s.channel == channel), None)
    return by_channel or f"S{channel}"


def build_context(
    transcript: Transcript,
    *,
    rubric: Rubric,
    timeline: Timeline | None = None,
    prosody: Any = None,
) -> CallContext:
    """Everything the checks need: words per role (normalised), the timeline, prosody.

    ``transcript`` should already carry speakers (see :func:`with_default_speakers`).
    """
    roles = {s.label: s.role for s in transcript.speakers}
    words = transcript.words()
    per_role: dict[str, tuple[list, list]] = {AGENT: ([], []), CUSTOMER: ([], [])}
    for w in words:
        label = _word_label(transcript, w.speaker, w.channel)
        role = roles.get(label)
        if role in per_role:
            per_role[role][0].append(w)
            per_role[role][1].append(label)
    tl = timeline if timeline is not None else build_timeline(_labelled(transcript), options=SCORING_TIMELINE)
    return CallContext(
        rubric=rubric,
        roles={r: role_words(ws, ls, role=r, language=rubric.language) for r, (ws, ls) in per_role.items()},
        timeline=tl,
        prosody=prosody,
        start=words[0].start if words else 0.0,
        end=max((w.end for w in words), default=0.0),
    )


def _labelled(transcript: Transcript) -> Transcript:
    """Words without a speaker label get the label of their channel's speaker (the timeline reads labels)."""
    if all(w.speaker is not None for s in transcript.segments for w in s.words):
        return transcript
    segs = [
        replace(
            s,
            words=tuple(
                w if w.speaker is not None else replace(w, speaker=_word_label(transcript, None, w.channel))
                for w in s.words
            ),
        )
        for s in transcript.segments
    ]
    return transcript.with_segments(segs)


def score_transcript(
    transcript: Transcript,
    *,
    rubric: Rubric | str | os.PathLike[str],
    timeline: Timeline | None = None,
    prosody: Any = None,
    call_id: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Scorecard:
    """Score one call against a rubric.

    Parameters
    ----------
    transcript : the call, with speakers/roles (else channel 0 = agent, channel 1 = customer)
    rubric : a Rubric, a built-in rubric name or a rubric file path
    timeline : turns/overlaps/silences; built from the word timings when None
    prosody : object with ``.calm`` and ``.confidence`` (each ``.score: float | None``, ``.reason: str``), or
        None when prosody was not measured (prosody items are then ``not_measured``)
    call_id : identifier in the scorecard (default: the audio file stem)
    settings : extra run settings to record in the scorecard (e.g. timeline or prosody options)

    Returns
    -------
    Scorecard with items in rubric order, critical failures moved first, and the weighted total over
    items that passed or failed (not_applicable and not_measured excluded).
    """
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    t = with_default_speakers(transcript)
    call = build_context(t, rubric=rub, timeline=timeline, prosody=prosody)
    results = [CHECKS[item.kind](item=item, call=call) for item in rub.items]
    ordered = [r for r in results if r.critical and r.status == FAIL] + [
        r for r in results if not (r.critical and r.status == FAIL)
    ]
    return Scorecard(
        call_id=call_id or _stem(t.audio.path) or "call",
        source=t.audio.path,
        audio_sha256=t.audio.sha256,
        duration=t.audio.duration,
        rubric_id=rub.id,
        rubric_version=rub.version,
        rubric_name=rub.name,
        total=weighted_total(results),
        critical_failed=any(r.critical and r.status == FAIL for r in results),
        items=tuple(ordered),
        metrics=call_metrics(call),
        settings=_settings(t, transcript, rub, call, settings),
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        callscore_version=__version__,
    )


def _stem(path: str) -> str:
    name = os.path.basename(path)
    return name.rsplit(".", 1)[0] if "." in name else name


def call_metrics(call: CallContext) -> dict[str, Any]:
    """Call-level figures: talk ratio, interruptions, dead air, holds, longest agent turn, prosody."""
    tl = call.timeline
    gaps = tl.dead_air()
    agent_turns = tl.turns_of(AGENT)
    out: dict[str, Any] = {
        "talk_ratio": None if tl.talk_ratio() is None else round(tl.talk_ratio() or 0.0, 3),
        "agent_interruptions": len(tl.interruptions(by_role=AGENT)),
        "customer_interruptions": len(tl.interruptions(by_role=CUSTOMER)),
        "dead_air_count": len(gaps),
        "dead_air_s": round(sum(g.duration for g in gaps), 2),
        "hold_count": len(tl.holds()),
        "non_talk_s": round(tl.non_talk_time(), 2),
        "longest_agent_turn_s": round(max((t.duration for t in agent_turns), default=0.0), 2),
    }
    for feature in ("calm", "confidence"):
        f = getattr(call.prosody, feature, None) if call.prosody is not None else None
        out[feature] = getattr(f, "score", None)
    return out


def _settings(
    used: Transcript,
    given: Transcript,
    rubric: Rubric,
    call: CallContext,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    opts = asdict(call.timeline.options)
    opts["backchannels"] = sorted(opts["backchannels"])
    info = given.info
    out: dict[str, Any] = {
        "rubric": {"id": rubric.id, "version": rubric.version, "source": rubric.source},
        "transcription": {"backend": info.backend, "model": info.model, "language": info.language},
        "timeline": {"source": call.timeline.source, **opts},
        "roles": {s.label: {"role": s.role, "reason": s.role_reason} for s in used.speakers},
        "prosody": call.prosody is not None,
    }
    out.update(dict(extra or {}))
    return out
