"""Apply a rubric to a call: transcript (+ timeline, + prosody) -> item results and call metrics.

Roles come from ``Transcript.speakers``. A transcript without speakers is read as a stereo call with the
agent on channel 0 ("S0") and the customer on channel 1 ("S1"); the scorecard's settings say so.

Items that need to know who is the agent are ``not_measured`` (with the role decision's reason) when the
roles are unknown, never ``fail``: a call whose agent could not be told apart says nothing about the
agent's conduct. Interruptions are ``not_measured`` on a mono recording: one channel gives one speaker per
instant, so talking over each other is not seen (docs/timing.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from callscore.prosody.report import ProsodyReport
from callscore.rubric.checks import CHECKS, CallContext, role_words
from callscore.rubric.model import FAIL, NOT_MEASURED, PASS, ItemResult, weighted_total
from callscore.rubric.schema import Rubric, RubricItem
from callscore.sentiment import CallSentiment, SentimentModel, analyse_turns, get_model, sentiment_metrics
from callscore.timeline.from_words import build_timeline
from callscore.timeline.model import SCORING_TIMELINE, Timeline
from callscore.transcript.model import AGENT, CUSTOMER, Speaker, Transcript

DEFAULT_CHANNEL_ROLES = {0: AGENT, 1: CUSTOMER}
ROLE_FREE_MEASURES = ("dead_air",)  # timing measures that do not read roles (dead air: only its excuse does)
MONO_INTERRUPTIONS = (
    "mono recording: talking over each other is not detected on one channel "
    "(overlap detection on mono below 0.9 precision on the real-voice dev set, docs/timing.md)"
)


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
    prosody: ProsodyReport | None = None,
    sentiment: SentimentModel | bool = False,
) -> CallContext:
    """Everything the checks need: words per role (normalised), the timeline, prosody, sentiment.

    ``sentiment``: a model, True for the bundled model of the rubric's language, False for none; the turns
    scored are the timeline's (the one the scorecard records), once per call.

    ``transcript`` should already carry speakers (see :func:`with_default_speakers`).
    """
    roles = {s.label: s.role for s in transcript.speakers}
    words = transcript.words()
    opens = {id(s.words[0]) for s in transcript.segments if s.words}  # words() hands back these objects
    per_role: dict[str, tuple[list, list, list]] = {AGENT: ([], [], []), CUSTOMER: ([], [], [])}
    for w in words:
        label = _word_label(transcript, w.speaker, w.channel)
        role = roles.get(label)
        if role in per_role:
            if id(w) in opens:
                per_role[role][2].append(len(per_role[role][0]))
            per_role[role][0].append(w)
            per_role[role][1].append(label)
    tl = timeline if timeline is not None else build_timeline(_labelled(transcript), options=SCORING_TIMELINE)
    model = get_model(language=rubric.language) if sentiment is True else sentiment or None
    sent = (
        None
        if model is None
        else analyse_turns(turns=tl.turns, duration=transcript.audio.duration, model=model)
    )
    return CallContext(
        rubric=rubric,
        roles={
            r: role_words(ws, ls, role=r, language=rubric.language, breaks=bs)
            for r, (ws, ls, bs) in per_role.items()
        },
        timeline=tl,
        prosody=prosody,
        start=words[0].start if words else 0.0,
        end=max((w.end for w in words), default=0.0),
        sentiment=sent,
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


@dataclass(frozen=True)
class RubricOutcome:
    """A rubric applied to one call: what :func:`callscore.scorecard.score_transcript` records.

    Attributes:
        transcript: The transcript the checks read (with default speakers filled in when it had none).
        items: Item results, critical failures first, then rubric order.
        total: 0-100 weighted total over pass/fail items, or None.
        critical_failed: True when any critical item failed.
        metrics: Call-level figures (talk ratio, interruptions, dead air, prosody scores).
        settings: What it ran with (rubric, transcription, timeline options, roles, extra settings).
        timeline: The timeline the checks read.
        sentiment: Sentiment of the timeline's turns, or None when not measured.
    """

    transcript: Transcript
    items: tuple[ItemResult, ...]
    total: float | None
    critical_failed: bool
    metrics: dict[str, Any]
    settings: dict[str, Any]
    timeline: Timeline
    sentiment: CallSentiment | None = None


def apply_rubric(
    transcript: Transcript,
    *,
    rubric: Rubric,
    timeline: Timeline | None = None,
    prosody: ProsodyReport | None = None,
    settings: Mapping[str, Any] | None = None,
    sentiment: SentimentModel | bool = False,
) -> RubricOutcome:
    """Run every check of ``rubric`` on one call.

    Parameters
    ----------
    transcript : the call, with speakers/roles (else channel 0 = agent, channel 1 = customer)
    rubric : the loaded rubric
    timeline : turns/overlaps/silences; built from the word timings (scoring settings) when None
    prosody : the prosody report, or None when prosody was not measured (prosody items are then
        ``not_measured``)
    settings : extra run settings to record (e.g. timeline or prosody options)
    sentiment : a sentiment model, True for the bundled one of the rubric's language, False for none
        (sentiment items are then ``not_measured``)
    """
    t = with_default_speakers(transcript)
    call = build_context(t, rubric=rubric, timeline=timeline, prosody=prosody, sentiment=sentiment)
    unknown, mono = roles_unknown(t), t.audio.analysis_channels == 1  # once per call, not per item
    results = [
        _guarded(item, CHECKS[item.kind](item=item, call=call), roles_unknown=unknown, mono=mono)
        for item in rubric.items
    ]
    ordered = [r for r in results if r.critical and r.status == FAIL] + [
        r for r in results if not (r.critical and r.status == FAIL)
    ]
    return RubricOutcome(
        transcript=t,
        items=tuple(ordered),
        total=weighted_total(results),
        critical_failed=any(r.critical and r.status == FAIL for r in results),
        metrics=call_metrics(call),
        settings=_settings(t, transcript, rubric, call, settings),
        timeline=call.timeline,
        sentiment=call.sentiment,
    )


def roles_unknown(transcript: Transcript) -> str | None:
    """Why the agent is not known (no speaker has the agent role), or None when it is."""
    if any(s.role == AGENT for s in transcript.speakers):
        return None
    why = next((s.role_reason for s in transcript.speakers if s.role_reason), "")
    return why or "no speaker was given the agent role"


def role_dependent(item: RubricItem, result: ItemResult) -> bool:
    """True when ``result`` depends on who the agent is.

    Phrase, tone and conditional items read one role's words; interruptions, talk ratio, monologues and
    holds read roles or the agent's words; prosody scores the agent. Dead air is found without roles, and
    only excusing a silence (an announced hold) reads the agent's words: with no silence, or no excuse
    asked for, it does not depend on roles.
    """
    if item.kind != "timing" or item.params.get("measure") not in ROLE_FREE_MEASURES:
        return True
    excusable = item.params.get("excuse_announced", True) and bool(item.params.get("ask_phrases"))
    return bool(excusable and result.status != PASS)


def _guarded(item: RubricItem, result: ItemResult, *, roles_unknown: str | None, mono: bool) -> ItemResult:
    """``result``, or ``not_measured`` with the reason when roles are unknown / overlaps cannot be seen.

    ``roles_unknown`` is the call's :func:`roles_unknown`; ``mono`` whether it was analysed on one channel.
    """
    if roles_unknown is not None and role_dependent(item, result):
        return replace(
            result,
            status=NOT_MEASURED,
            reason=f"roles unknown ({roles_unknown}): not measured",
            evidence=(),
            value=None,
        )
    if result.status == NOT_MEASURED:
        return result
    if mono and item.kind == "timing" and item.params.get("measure") == "interruptions":
        return replace(result, status=NOT_MEASURED, reason=MONO_INTERRUPTIONS, evidence=(), value=None)
    return result


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
    if call.sentiment is not None:
        out.update(sentiment_metrics(call.sentiment))
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
        "sentiment": None if call.sentiment is None else {"model": call.sentiment.model},
    }
    out.update(dict(extra or {}))
    return out
