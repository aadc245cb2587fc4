"""Benchmark: callscore on calls spliced from real recorded Indonesian voices (the real-voice dev set).

    PYTHONPATH=. python benchmarks/real_calls.py [--dev-set /work/data/real_calls] [--json OUT] [--txt OUT]
        [--conditions stereo16,mono16,tel8] [--domain-prompt]

The dev set is made by ``benchmarks/real_calls_build.py`` from INDspeech train splits (never in this
repository; docs/real-voice-benchmark.md). Every call runs through the real pipeline (Whisper, speakers and
roles, timeline, rubric) in each condition, and the output is compared with the builder's labels:

- **roles**: the call's agent found (stereo: the agent's channel; mono: the diarized speaker holding most of
  the agent's speech is the one labelled agent, and the other is the customer).
- **phrase items** (greeting, offer_help, solution_next_step, closing_thanks, and the always-absent
  polite_address / satisfaction_check): precision/recall/F1 of "pass" against the sentence truth. Items that
  came out "fail" only because roles were unknown are counted too. Complaint-handling items must be
  "not_applicable" (no complaint is spoken); anything else is a false trigger.
- **interruptions** (agent over customer, >= 0.8 s overlap) and **dead air** (>= 9 s silences, the
  rubric's bar 8 s): F1, a detection matching a truth starting within ``MATCH_TOL``; onset error of
  matched ones.
- **DER** (mono) with pyannote.metrics, without a collar and with 250 ms each side (``collar=0.5`` in
  pyannote, which takes the collar's total width), overlap scored.
- **WER** per condition (stereo: per channel against what was placed on it; mono: the whole call), with
  Whisper's basic normaliser and with callscore's own (``callscore.transcript.textnorm.wer_tokens``).

Skips with a clear message when the dev set is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ENV_DEV_SET = "CALLSCORE_REAL_CALLS"
DEFAULT_DEV_SET = "/work/data/real_calls"
CONDITIONS = ("stereo16", "mono16", "tel8")
TOP_ERRORS = 25  # word-error pairs kept in the JSON
MATCH_TOL = 0.5  # s, onset tolerance for interruptions
DEAD_MATCH_TOL = 1.5  # s, onset tolerance for dead air
DEAD_AIR_BAR = 8.0  # s, the rubric's no_dead_air min_duration
PHRASE_ITEMS = (
    "greeting",
    "offer_help",
    "solution_next_step",
    "closing_thanks",
    "polite_address",
    "satisfaction_check",
)
COMPLAINT_ITEMS = ("apology_on_complaint", "empathy", "ownership", "explain_cause", "specific_follow_up")
TARGETS = {
    "roles": 0.98,
    "item_f1": 0.95,
    "interruption_f1_stereo": 0.95,
    "interruption_onset_s": 0.150,
    "dead_air_f1": 0.95,
    "der_mono_no_collar": 0.10,
    "wer_16k": 0.18,
    "wer_8k": 0.25,
}


@dataclass(frozen=True)
class CallView:
    """What the benchmark reads from one scored call (the only place that touches callscore's types).

    Attributes:
        roles: Speaker label -> role ("agent"/"customer"/None).
        channel_of: Speaker label -> channel (stereo), or None (mono).
        words: (start, end, text, speaker label, channel) of every word, in time order.
        turns: (speaker label, start, end) of every timeline turn.
        interruptions: (start, end, by role, by speaker label) of every overlap classified an interruption.
        dead_air: (start, end) of silences longer than ``DEAD_AIR_BAR``.
        items: Item id -> status.
        reasons: Item id -> reason.
        talk_ratio: Agent share of talk, or None.
    """

    roles: Mapping[str, str | None]
    channel_of: Mapping[str, int | None]
    words: tuple[tuple[float, float, str, str | None, int], ...]
    turns: tuple[tuple[str, float, float], ...]
    interruptions: tuple[tuple[float, float, str | None, str], ...]
    dead_air: tuple[tuple[float, float], ...]
    items: Mapping[str, str]
    reasons: Mapping[str, str]
    talk_ratio: float | None


def score_call(
    path: Path, *, domain_prompt: bool = False, hotwords: str | None = None, threads: int = 0
) -> CallView:
    """Score one call with the public pipeline API and keep what the benchmark compares (port after moves)."""
    from callscore.asr.base import DecodeSettings
    from callscore.pipeline import PipelineOptions, score_path
    from callscore.transcript.transcribe import DOMAIN_PROMPT, TranscribeOptions

    decode = DecodeSettings(initial_prompt=DOMAIN_PROMPT if domain_prompt else None, hotwords=hotwords)
    opts = PipelineOptions(transcribe=TranscribeOptions(decode=decode, cpu_threads=threads), prosody=False)
    result = score_path(path, options=opts)
    t, tl, card = result.transcript, result.timeline, result.scorecard
    words = tuple(
        sorted(
            (w.start, w.end, w.text, w.speaker, w.channel)
            for w in t.words()  # type: ignore[misc]
        )
    )
    return CallView(
        roles={s.label: s.role for s in t.speakers},
        channel_of={s.label: s.channel for s in t.speakers},
        words=words,
        turns=tuple((x.speaker, x.start, x.end) for x in tl.turns),
        interruptions=tuple((o.start, o.end, o.by_role, o.by) for o in tl.interruptions(by_role=None)),
        dead_air=tuple((s.start, s.end) for s in tl.dead_air(DEAD_AIR_BAR)),
        items={i.id: i.status for i in card.items},
        reasons={i.id: i.reason for i in card.items},
        talk_ratio=tl.talk_ratio(),
    )


def rubric_hotwords(*, rubric: str = "id-contact-centre", per_item: int = 3, max_chars: int = 400) -> str:
    """Hotwords from the rubric: the first ``per_item`` phrases of each agent phrase item, deduplicated.

    Whisper's prompt holds at most 224 tokens, so the list is capped at ``max_chars``.
    """
    from callscore.rubric import load_rubric

    seen: list[str] = []
    for item in load_rubric(rubric).items:
        if item.kind not in ("phrase_present", "conditional") or item.params.get("role", "agent") != "agent":
            continue
        for phrase in list(item.params.get("phrases", ()))[:per_item]:
            if phrase not in seen:
                seen.append(str(phrase))
    out = ""
    for phrase in seen:
        if len(out) + len(phrase) + 2 > max_chars:
            break
        out = f"{out}, {phrase}" if out else phrase
    return out


# ---------------------------------------------------------------------------------------------- scoring


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int | None]:
    """Precision, recall and F1 (None where undefined) with the counts."""
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = (
        2 * p * r / (p + r) if p and r else (0.0 if fp + fn else None)
    )  # nothing right: 0; nothing at all: n/a
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def match_onsets(
    truth: Sequence[float], hyp: Sequence[float], *, tol: float
) -> tuple[int, int, int, list[float]]:
    """Greedy one-to-one matching by nearest onset within ``tol``: (tp, fp, fn, hyp - truth errors)."""
    pairs = sorted(
        (abs(h - t), i, j) for i, t in enumerate(truth) for j, h in enumerate(hyp) if abs(h - t) <= tol
    )
    used_t: set[int] = set()
    used_h: set[int] = set()
    errors = []
    for _, i, j in pairs:
        if i in used_t or j in used_h:
            continue
        used_t.add(i)
        used_h.add(j)
        errors.append(hyp[j] - truth[i])
    return len(used_t), len(hyp) - len(used_h), len(truth) - len(used_t), errors


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def aligned_errors(ref: Sequence[str], hyp: Sequence[str]) -> list[tuple[str, str]]:
    """The word errors of the best alignment as (reference word or "", hypothesis word or "")."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    out = []
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] != hyp[j - 1]:
                out.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            out.append((ref[i - 1], ""))
            i -= 1
        else:
            out.append(("", hyp[j - 1]))
            j -= 1
    return out[::-1]


def basic_normaliser() -> Callable[[str], str]:
    """Whisper's BasicTextNormalizer (openai-whisper); a copy of its rules when that is not installed."""
    try:
        from whisper.normalizers import BasicTextNormalizer

        return BasicTextNormalizer()  # type: ignore[no-any-return]
    except ImportError:

        def norm(s: str) -> str:  # whisper/normalizers/basic.py: lower, drop brackets, symbols -> space
            s = s.lower()
            s = re.sub(r"[<\[][^>\]]*[>\]]", "", s)
            s = re.sub(r"\(([^)]+?)\)", "", s)
            s = "".join(
                " " if unicodedata.category(c)[0] in "MSP" else c for c in unicodedata.normalize("NFKC", s)
            )
            return re.sub(r"\s+", " ", s).strip()

        return norm


def ours_normaliser() -> Callable[[str], str]:
    """callscore's own WER normaliser, as ``callscore eval`` uses it (spelling, amounts, digit by digit)."""
    from callscore.transcript.textnorm import wer_tokens

    return lambda s: " ".join(wer_tokens(s, language="id"))


def reference_annotation(labels: Mapping[str, object]):  # -> pyannote.core.Annotation
    from pyannote.core import Annotation, Segment

    ref = Annotation()
    for k, u in enumerate(labels["utterances"]):  # type: ignore[arg-type]
        ref[Segment(u["start"], u["end"]), k] = u["role"]
    return ref


def hypothesis_annotation(view: CallView):  # -> pyannote.core.Annotation
    from pyannote.core import Annotation, Segment

    hyp = Annotation()
    for k, (spk, s, e) in enumerate(view.turns):
        if e > s:
            hyp[Segment(s, e), k] = spk
    return hyp


def mono_role_map(view: CallView, labels: Mapping[str, object]) -> dict[str, str]:
    """Hypothesis speaker -> the reference role it overlaps most."""
    utts = labels["utterances"]  # type: ignore[index]
    out: dict[str, str] = {}
    for spk in {t[0] for t in view.turns}:
        score = {"agent": 0.0, "customer": 0.0}
        for s_, s, e in view.turns:
            if s_ != spk:
                continue
            for u in utts:  # type: ignore[attr-defined]
                score[u["role"]] += max(0.0, min(e, u["end"]) - max(s, u["start"]))
        out[spk] = max(score, key=lambda r: score[r])
    return out


def roles_correct(view: CallView, labels: Mapping[str, object], condition: str) -> tuple[bool, str]:
    """Whether the call's roles came out right, and a short note when not."""
    found = {lab: r for lab, r in view.roles.items() if r in ("agent", "customer")}
    if not found:
        return False, "roles unknown"
    if condition == "mono16":
        truth = mono_role_map(view, labels)
        ok = all(truth.get(lab) == r for lab, r in found.items()) and "agent" in found.values()
        return ok, "" if ok else f"mono roles {found} vs overlap {truth}"
    agent_ch = labels["agent_channel"]
    for lab, r in found.items():
        want = "agent" if view.channel_of.get(lab) == agent_ch else "customer"
        if r != want:
            return False, "roles swapped"
    return True, ""


def wer_counts(
    view: CallView,
    labels: Mapping[str, object],
    condition: str,
    norm: Callable[[str], str],
    *,
    role: str | None = None,
    sink: list[tuple[str, str]] | None = None,
) -> tuple[int, int]:
    """(errors, reference words) of the call: per channel for stereo (only ``role``'s when given), whole
    call for mono."""
    utts = sorted(labels["utterances"], key=lambda u: u["start"])  # type: ignore[arg-type]
    errors = total = 0
    if condition == "mono16":
        groups = [([u["text"] for u in utts], [w[2] for w in view.words])]
    else:
        agent_ch = labels["agent_channel"]
        groups = []
        for r, ch in (("agent", agent_ch), ("customer", 1 - agent_ch)):  # type: ignore[operator]
            if role in (None, r):
                groups.append(
                    ([u["text"] for u in utts if u["role"] == r], [w[2] for w in view.words if w[4] == ch])
                )
    for ref_texts, hyp_texts in groups:
        ref = norm(" ".join(ref_texts)).split()
        hyp = norm(" ".join(hyp_texts)).split()
        errors += edit_distance(ref, hyp)
        total += len(ref)
        if sink is not None:
            sink.extend(aligned_errors(ref, hyp))
    return errors, total


def evaluate(
    runs: Sequence[tuple[str, Mapping[str, object], CallView]],
) -> dict[str, object]:
    """Every figure for one condition's calls."""
    from pyannote.metrics.diarization import DiarizationErrorRate

    basic, ours = basic_normaliser(), ours_normaliser()
    condition = runs[0][0] if runs else ""
    roles_ok = 0
    role_misses: list[str] = []
    item_counts = {i: [0, 0, 0, 0] for i in PHRASE_ITEMS}  # tp fp fn tn
    unknown_fail = 0
    false_triggers: list[str] = []
    int_tp = int_fp = int_fn = 0
    int_err: list[float] = []
    dead_tp = dead_fp = dead_fn = 0
    dead_err: list[float] = []
    der_nc, der_c = DiarizationErrorRate(collar=0.0), DiarizationErrorRate(collar=0.5)
    wb = [0, 0]
    wo = [0, 0]
    by_role = {"agent": [0, 0], "customer": [0, 0]}
    error_pairs: list[tuple[str, str]] = []
    talk_err: list[float] = []
    per_call = []
    for cond, labels, view in runs:
        call = str(labels["call_id"])
        ok, note = roles_correct(view, labels, cond)
        roles_ok += ok
        if not ok:
            role_misses.append(f"{call} ({labels['kind']}): {note}")
        truth_items: Mapping[str, bool] = labels["items"]  # type: ignore[assignment]
        for item in PHRASE_ITEMS:
            status = view.items.get(item, "missing")
            pos = status == "pass"
            c = item_counts[item]
            c[0 if pos and truth_items[item] else 1 if pos else 2 if truth_items[item] else 3] += 1
            if status == "fail" and "agent" not in view.roles.values():
                unknown_fail += 1  # an agent item failed in a call whose roles were not decided
        for item in COMPLAINT_ITEMS:
            status = view.items.get(item)
            unknown = status == "not_measured" and "agent" not in view.roles.values()
            if status not in (None, "not_applicable") and not unknown:  # roles unknown: not a trigger
                false_triggers.append(f"{call}:{item}={status}")
        truth_int = [i["start"] for i in labels["interruptions"]]  # type: ignore[attr-defined]
        hyp_int = [
            s for s, _, by_role, by in view.interruptions if _is_agent(by, by_role, view, labels, cond)
        ]
        hyp_other = [
            s for s, _, by_role, by in view.interruptions if not _is_agent(by, by_role, view, labels, cond)
        ]
        tp, fp, fn, err = match_onsets(truth_int, hyp_int, tol=MATCH_TOL)
        int_tp, int_fp, int_fn = int_tp + tp, int_fp + fp + len(hyp_other), int_fn + fn
        int_err += err
        truth_dead = [d["start"] for d in labels["dead_air"]]  # type: ignore[attr-defined]
        tp, fp, fn, err = match_onsets(truth_dead, [s for s, _ in view.dead_air], tol=DEAD_MATCH_TOL)
        dead_tp, dead_fp, dead_fn = dead_tp + tp, dead_fp + fp, dead_fn + fn
        dead_err += err
        if cond == "mono16":
            from pyannote.core import Segment, Timeline

            ref, hyp = reference_annotation(labels), hypothesis_annotation(view)
            uem = Timeline([Segment(0.0, float(labels["duration"]))])  # type: ignore[arg-type]
            der_nc(ref, hyp, uem=uem)
            der_c(ref, hyp, uem=uem)
        for acc, norm in ((wb, basic), (wo, ours)):
            e, n = wer_counts(view, labels, cond, norm, sink=error_pairs if norm is ours else None)
            acc[0] += e
            acc[1] += n
        if cond != "mono16":
            for r, acc in by_role.items():
                e, n = wer_counts(view, labels, cond, ours, role=r)
                acc[0] += e
                acc[1] += n
        if view.talk_ratio is not None:
            talk_err.append(abs(view.talk_ratio - float(labels["talk_ratio"])))  # type: ignore[arg-type]
        per_call.append(
            {
                "call": call,
                "kind": labels["kind"],
                "roles_ok": ok,
                "items": {i: view.items.get(i) for i in PHRASE_ITEMS + COMPLAINT_ITEMS},
                "interruptions_truth": truth_int,
                "interruptions_hyp": [list(x[:3]) for x in view.interruptions],
                "dead_truth": truth_dead,
                "dead_hyp": [list(x) for x in view.dead_air],
            }
        )
    n = len(runs)
    items = {i: {**prf(c[0], c[1], c[2]), "tn": c[3]} for i, c in item_counts.items()}
    out: dict[str, object] = {
        "condition": condition,
        "calls": n,
        "roles_accuracy": roles_ok / n if n else None,
        "role_misses": role_misses,
        "items": items,
        "role_unknown_fails": unknown_fail,
        "complaint_false_triggers": false_triggers,
        "interruptions": {**prf(int_tp, int_fp, int_fn), **_onsets(int_err)},
        "dead_air": {**prf(dead_tp, dead_fp, dead_fn), **_onsets(dead_err)},
        "wer_basic": wb[0] / wb[1] if wb[1] else None,
        "wer_ours": wo[0] / wo[1] if wo[1] else None,
        "ref_words": wb[1],
        "top_word_errors": [[ref, hyp, k] for (ref, hyp), k in Counter(error_pairs).most_common(TOP_ERRORS)],
        "wer_ours_by_role": {r: a[0] / a[1] for r, a in by_role.items() if a[1]},
        "talk_ratio_abs_error": sum(talk_err) / len(talk_err) if talk_err else None,
        "per_call": per_call,
    }
    if condition == "mono16":
        out["der_no_collar"] = abs(der_nc)
        out["der_collar_250ms"] = abs(der_c)
    return out


def _is_agent(by: str, by_role: str | None, view: CallView, labels: Mapping[str, object], cond: str) -> bool:
    """Whether an interruption was made by the true agent (by channel in stereo, by overlap in mono)."""
    if cond == "mono16":
        return mono_role_map(view, labels).get(by) == "agent"
    return view.channel_of.get(by) == labels["agent_channel"]


def _onsets(errors: Sequence[float]) -> dict[str, float | None]:
    if not errors:
        return {"onset_mean_s": None, "onset_mean_abs_s": None, "onset_max_abs_s": None}
    return {
        "onset_mean_s": sum(errors) / len(errors),
        "onset_mean_abs_s": sum(abs(e) for e in errors) / len(errors),
        "onset_max_abs_s": max(abs(e) for e in errors),
    }


# ---------------------------------------------------------------------------------------------- report


def _f(x: object, pct: bool = False) -> str:
    if x is None:
        return "  n/a"
    assert isinstance(x, (int, float))
    return f"{100 * x:5.1f} %" if pct else f"{x:5.2f}"


def format_report(results: Sequence[Mapping[str, object]], *, header: str) -> str:
    """The printed summary: one block per condition, then the targets met or missed."""
    lines = [header]
    for r in results:
        lines.append(f"\n== {r['label']} ({r['calls']} calls, {r['ref_words']} reference words)")
        lines.append(f"roles accuracy        {_f(r['roles_accuracy'], True)}   target >= 98 %")
        for m in r["role_misses"]:  # type: ignore[attr-defined]
            lines.append(f"    miss: {m}")
        lines.append("item                    P      R      F1    tp fp fn tn")
        for item, m in r["items"].items():  # type: ignore[attr-defined]
            lines.append(
                f"  {item:20s} {_f(m['precision'])}  {_f(m['recall'])}  {_f(m['f1'])}  "
                f"{m['tp']:3d}{m['fp']:3d}{m['fn']:3d}{m['tn']:3d}"
            )
        lines.append(f"  fails from unknown roles: {r['role_unknown_fails']}")
        ft = r["complaint_false_triggers"]
        lines.append(f"  complaint items not 'not_applicable' (no complaint spoken): {len(ft)} {ft[:6]}")  # type: ignore[arg-type]
        for key, name in (("interruptions", "interruptions (agent)"), ("dead_air", "dead air (> 8 s)")):
            m = r[key]  # type: ignore[assignment]
            lines.append(
                f"{name:22s} P {_f(m['precision'])} R {_f(m['recall'])} F1 {_f(m['f1'])} "  # type: ignore[index]
                f"(tp {m['tp']} fp {m['fp']} fn {m['fn']}); onset mean {_f(m['onset_mean_s'])} s, "  # type: ignore[index]
                f"mean |err| {_f(m['onset_mean_abs_s'])} s, max {_f(m['onset_max_abs_s'])} s"  # type: ignore[index]
            )
        if "der_no_collar" in r:
            lines.append(
                f"DER (pyannote.metrics) no collar {_f(r['der_no_collar'], True)}, "
                f"250 ms collar {_f(r['der_collar_250ms'], True)}   target <= 10 % no collar"
            )
        lines.append(
            f"WER  Whisper basic normaliser {_f(r['wer_basic'])}   callscore normaliser {_f(r['wer_ours'])}"
        )
        for role, w in r["wer_ours_by_role"].items():  # type: ignore[attr-defined]
            lines.append(f"  WER (callscore normaliser) {role} channel {_f(w)}")
        top = ", ".join(f"{a or '-'}>{b or '-'} x{k}" for a, b, k in r["top_word_errors"][:12])  # type: ignore[attr-defined]
        lines.append(f"  commonest word errors (ref>hyp, callscore normaliser): {top}")
        lines.append(f"talk ratio mean |error| {_f(r['talk_ratio_abs_error'])}")
    lines.append("\n== targets")
    lines.extend(target_lines(results))
    return "\n".join(lines)


def target_lines(results: Sequence[Mapping[str, object]]) -> list[str]:
    """One line per target: the figure, met or missed."""
    out = []
    for r in results:
        if r.get("prompt"):
            continue
        cond = r["condition"]
        roles = r["roles_accuracy"]
        out.append(
            f"{cond}: roles {_f(roles, True)} {'MET' if roles is not None and roles >= 0.98 else 'MISSED'}"
        )  # type: ignore[operator]
        for item, m in r["items"].items():  # type: ignore[attr-defined]
            if m["f1"] is None:
                continue
            out.append(f"{cond}: {item} F1 {_f(m['f1'])} {'MET' if m['f1'] >= 0.95 else 'MISSED'}")
        mi, md = r["interruptions"], r["dead_air"]
        if cond != "mono16":
            f1, on = mi["f1"], mi["onset_mean_abs_s"]  # type: ignore[index]
            bar_f1 = f1 is not None and f1 >= 0.95
            bar_on = on is not None and on <= 0.150
            out.append(
                f"{cond}: interruption F1 {_f(f1)} {'MET' if bar_f1 else 'MISSED'}, "
                f"onset |err| {_f(on)} s {'MET' if bar_on else 'MISSED'}"
            )
        else:
            out.append(
                f"{cond}: interruption F1 {_f(mi['f1'])} (mono: no target; not detected by design today)"
            )  # type: ignore[index]
        f1 = md["f1"]  # type: ignore[index]
        out.append(f"{cond}: dead-air F1 {_f(f1)} {'MET' if f1 is not None and f1 >= 0.95 else 'MISSED'}")
        if cond == "mono16":
            d = r["der_no_collar"]
            out.append(f"{cond}: DER no collar {_f(d, True)} {'MET' if d <= 0.10 else 'MISSED'}")  # type: ignore[operator]
        bar = 0.25 if cond == "tel8" else 0.18
        for k in ("wer_basic", "wer_ours"):
            w = r[k]
            out.append(f"{cond}: {k} {_f(w)} {'MET' if w is not None and w <= bar else 'MISSED'} (<= {bar})")  # type: ignore[operator]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dev-set", default=os.environ.get(ENV_DEV_SET, DEFAULT_DEV_SET))
    p.add_argument("--conditions", default=",".join(CONDITIONS))
    p.add_argument("--calls", type=int, default=0, help="first N calls only (0 = all)")
    p.add_argument("--domain-prompt", action="store_true", help="also run with the CLI's --domain-prompt")
    p.add_argument("--rubric-hotwords", action="store_true", help="also run with hotwords from the rubric")
    p.add_argument("--prompt-conditions", default="stereo16,tel8")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--json")
    p.add_argument("--txt")
    args = p.parse_args(argv)
    folder = Path(args.dev_set)
    label_files = sorted(folder.glob("*.labels.json")) if folder.is_dir() else []
    if not label_files:
        print(
            f"SKIP: no real-voice dev set in {folder} "
            "(build it with benchmarks/real_calls_build.py --corpus DIR; "
            f"see docs/real-voice-benchmark.md)"
        )
        return 0
    try:
        import pyannote.metrics  # noqa: F401
    except ImportError:
        print("SKIP: pyannote.metrics is not installed (pip install 'callscore[bench]')")
        return 0
    if args.calls:
        label_files = label_files[: args.calls]
    all_labels = [json.loads(f.read_text()) for f in label_files]
    manifest = folder / "manifest.json"
    meta = json.loads(manifest.read_text()) if manifest.is_file() else {}
    header = (
        f"real-voice dev set {folder}: {len(all_labels)} calls, agent voices {meta.get('agent_speakers')}, "
        f"real customer voices {len(meta.get('customer_speakers_real', []))}, derived customer voices "
        f"{meta.get('customer_voices_derived')} (resampled copies, not independent speakers)"
    )
    jobs = [(c, "") for c in args.conditions.split(",") if c]
    extra = ["domain prompt"] * args.domain_prompt + ["rubric hotwords"] * args.rubric_hotwords
    jobs += [(c, v) for v in extra for c in args.prompt_conditions.split(",") if c]
    hotwords = rubric_hotwords()
    if args.rubric_hotwords:
        header += f"\nrubric hotwords: {hotwords}"
    results = []
    for cond, variant in jobs:
        t0 = time.monotonic()
        runs = []
        for labels in all_labels:
            path = folder / labels["files"][cond]
            view = score_call(
                path,
                domain_prompt=variant == "domain prompt",
                hotwords=hotwords if variant == "rubric hotwords" else None,
                threads=args.threads,
            )
            runs.append((cond, labels, view))
        res = evaluate(runs)
        res["label"] = f"{cond}{' + ' + variant if variant else ''}"
        res["prompt"] = variant
        res["wall_s"] = round(time.monotonic() - t0, 1)
        results.append(res)
        print(f"{res['label']}: {len(runs)} calls in {res['wall_s']} s", file=sys.stderr)
    report = format_report(results, header=header)
    print(report)
    if args.txt:
        Path(args.txt).write_text(report + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps({"header": header, "results": results}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
