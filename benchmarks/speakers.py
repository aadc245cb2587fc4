"""Benchmark: mono diarization error rate and interruption detection on constructed calls.

    PYTHONPATH=. python benchmarks/speakers.py [--calls-per-pair 1] [--json OUT]

1. **DER** of ``diarize_two`` (callscore.speakers) on two-speaker mono mixes of espeak-ng voices (several
   voice pairs, alternating turns with pauses of 0.1-1.0 s, some back-to-back turns and a few 0.3 s
   overlaps), at 16 kHz PCM and as 8 kHz µ-law telephone audio, each clean and "noisy" (white noise at
   -45 dBFS and the customer 6 dB quieter). DER = (missed + false alarm + speaker
   confusion) / total reference speech, scored on 10 ms frames with the best one-to-one mapping of
   hypothesis to reference speakers, overlapping reference speech included (we output one speaker per
   instant, so overlap counts as missed). Reported without a collar and with a 250 ms collar (frames within
   +-250 ms of a reference boundary not scored, as NIST md-eval's ``-c 0.25``). Target: DER <= 10 %.
2. **Interruption detection** precision/recall/F1 of ``build_call_timeline`` on constructed stereo calls
   with known interruptions (by agent and by customer), back-channels ("iya", "baik", "oke", "ya") and
   quick hand-overs (next speaker starting 0.2-0.3 s before the other ends) that must *not* count.
   A detection matches a true interruption by the same speaker starting within 0.5 s. The transcript is
   the oracle text with character-proportional word times (Whisper is not run), so this measures the
   timing rules and the audio activity, not ASR. Target: F1 >= 0.9. Also prints overlap edge errors.

Synthetic voices are easier than real callers: treat the figures as an upper bound.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from callsynth import Utterance, have_espeak, make_call  # noqa: E402

from callscore.speakers.assign import assign_speakers  # noqa: E402
from callscore.speakers.diarize import diarize_two  # noqa: E402
from callscore.timeline.from_audio import build_call_timeline  # noqa: E402

FRAME = 0.01  # s, scoring resolution
COLLAR = 0.25  # s each side of reference boundaries
MATCH_TOL = 0.5  # s, onset tolerance for matching interruptions
PAIRS = (  # (agent voice, customer voice)
    ("id+m3", "id+f2"),
    ("id", "id+f3"),
    ("id+m7", "id+Annie"),
    ("id+klatt", "id+f1"),
    ("id+f5", "id+Andy"),
    ("id+m1", "id+m7"),  # two male variants: the hard pair
)
AGENT_LINES = (
    "Selamat pagi, terima kasih telah menghubungi layanan pelanggan",
    "Dengan saya Rina, ada yang bisa saya bantu",
    "Baik Bapak, boleh saya tahu nomor pesanannya",
    "Mohon ditunggu sebentar, saya periksa dulu datanya",
    "Mohon maaf atas ketidaknyamanannya Bapak",
    "Pesanan Bapak sedang dalam perjalanan dan akan tiba besok",
    "Saya akan bantu eskalasi ke tim pengiriman sekarang juga",
    "Apakah ada lagi yang bisa saya bantu",
)
CUSTOMER_LINES = (
    "Saya mau komplain, pesanan saya belum sampai",
    "Nomornya satu dua tiga empat lima enam",
    "Kenapa lama sekali ya, saya sudah bayar minggu lalu",
    "Kemarin juga dijanjikan besok tapi tidak datang",
    "Tolong dicek lagi dengan benar ya mbak",
    "Kalau begitu saya minta uang saya dikembalikan saja",
    "Saya sudah menunggu lebih dari seminggu",
    "Tidak ada, terima kasih mbak",
)
BACKCHANNELS = ("iya", "baik", "oke", "ya")
NOISY_DB = -45.0  # dBFS white noise in the noisy condition (~25 dB below the speech peaks' RMS)
CUSTOMER_GAIN_DB = -6.0  # the far end is quieter in the noisy condition, as on a real line
CONDITIONS = ((False, False), (True, False), (False, True), (True, True))  # (8 kHz µ-law, noisy)


def mono_conversation(agent: str, customer: str, rng: random.Random) -> list[Utterance]:
    """Alternating turns; pauses 0.1-1.0 s, every fifth hand-over back-to-back or a 0.3 s overlap."""
    utts: list[Utterance] = []
    t = 0.5
    for k in range(12):
        spk = k % 2
        line = rng.choice(AGENT_LINES if spk == 0 else CUSTOMER_LINES)
        utts.append(Utterance(spk, t, line, agent if spk == 0 else customer))
        r = rng.random()
        gap = -0.3 if r < 0.1 else 0.05 if r < 0.2 else rng.uniform(0.1, 1.0)
        t = utts[-1].end + gap
    return utts


def frame_der(ref: list[Utterance], hyp, duration: float, *, collar: float = 0.0) -> dict[str, float]:
    """Frame-level DER parts (seconds) with the best speaker mapping; see the module docstring."""
    n = int(np.ceil(duration / FRAME))
    t = (np.arange(n) + 0.5) * FRAME
    r = np.zeros((2, n), dtype=bool)
    for u in ref:
        r[u.speaker] |= (t >= u.start) & (t < u.end)
    labels = sorted({h.speaker for h in hyp})
    h = np.zeros((max(len(labels), 1), n), dtype=bool)
    for x in hyp:
        h[labels.index(x.speaker)] |= (t >= x.start) & (t < x.end)
    scored = np.ones(n, dtype=bool)
    if collar > 0:
        for u in ref:
            for b in (u.start, u.end):
                scored &= np.abs(t - b) > collar
    best = None
    for mapping in ((0, 1), (1, 0)):
        correct = np.zeros(n)
        for hi in range(h.shape[0]):
            correct += h[hi] & r[mapping[hi]] if hi < 2 else 0
        n_ref, n_hyp = r.sum(0), h.sum(0)
        parts = {
            "speech": float(n_ref[scored].sum() * FRAME),
            "missed": float(np.maximum(n_ref - n_hyp, 0)[scored].sum() * FRAME),
            "false_alarm": float(np.maximum(n_hyp - n_ref, 0)[scored].sum() * FRAME),
            "confusion": float((np.minimum(n_ref, n_hyp) - correct)[scored].sum() * FRAME),
        }
        if best is None or parts["confusion"] < best["confusion"]:
            best = parts
    assert best is not None
    return best


def stereo_call(agent: str, customer: str, rng: random.Random) -> tuple[list[Utterance], list[Utterance]]:
    """A stereo call with interruptions, back-channels and quick hand-overs; returns (all, interruptions)."""
    utts: list[Utterance] = []
    truth: list[Utterance] = []
    t = 0.5
    voice = {0: agent, 1: customer}
    spk = 0
    for k in range(10):
        line = rng.choice(AGENT_LINES if spk == 0 else CUSTOMER_LINES)
        cur = Utterance(spk, t, line, voice[spk])
        utts.append(cur)
        other = 1 - spk
        event = ("interrupt", "backchannel", "handover", "plain")[k % 4]
        if event == "interrupt" and cur.end - cur.start > 2.5:
            onset = cur.start + rng.uniform(1.0, cur.end - cur.start - 1.2)
            line = rng.choice(CUSTOMER_LINES if other == 1 else AGENT_LINES)
            nxt = Utterance(other, onset, line, voice[other], kind="interruption")
            truth.append(nxt)
        elif event == "backchannel":
            bc = Utterance(
                other,
                cur.start + rng.uniform(0.8, cur.end - cur.start - 0.8),
                rng.choice(BACKCHANNELS),
                voice[other],
                kind="backchannel",
            )
            utts.append(bc)
            nxt = Utterance(
                other,
                cur.end + rng.uniform(0.3, 0.8),
                rng.choice(CUSTOMER_LINES if other == 1 else AGENT_LINES),
                voice[other],
            )
        elif event == "handover":
            nxt = Utterance(
                other,
                cur.end - rng.uniform(0.2, 0.3),
                rng.choice(CUSTOMER_LINES if other == 1 else AGENT_LINES),
                voice[other],
            )
        else:
            nxt = Utterance(
                other,
                cur.end + rng.uniform(0.2, 1.2),
                rng.choice(CUSTOMER_LINES if other == 1 else AGENT_LINES),
                voice[other],
            )
        utts.append(nxt)
        t = max(u.end for u in utts) + rng.uniform(0.3, 1.0)
        spk = rng.randint(0, 1)
    return utts, truth


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def main() -> None:
    """Run both benchmarks and print the figures."""
    ap = argparse.ArgumentParser(description="callscore speaker/timing benchmark")
    ap.add_argument("--calls-per-pair", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if not have_espeak():
        sys.exit("needs the espeak-ng binary (Debian package espeak-ng)")
    rng = random.Random(args.seed)
    results: dict[str, object] = {}
    tmp = Path(tempfile.mkdtemp(prefix="cs-bench-"))

    print("== mono diarization (DER) ==")
    head = f"{'pair':<22} {'cond':<10} {'speech s':>8} {'DER':>6} {'miss':>6} {'FA':>6} {'conf':>6}"
    print(f"{head} {'DER c250':>8} {'s':>5}")
    totals: dict[tuple[str, float], dict[str, float]] = {}
    rows = []
    for agent, customer in PAIRS:
        for c in range(args.calls_per_pair):
            utts = mono_conversation(agent, customer, rng)
            for telephone, noisy in CONDITIONS:
                rate = ("8k" if telephone else "16k") + ("-noisy" if noisy else "")
                audio, _ = make_call(
                    utts,
                    str(tmp / f"mono-{c}-{rate}.wav"),
                    mono=True,
                    telephone=telephone,
                    noise_db=NOISY_DB if noisy else -70.0,
                    gains_db=(0.0, CUSTOMER_GAIN_DB) if noisy else (0.0, 0.0),
                )
                t0 = time.perf_counter()
                hyp = diarize_two(y=audio.samples[0])
                took = time.perf_counter() - t0
                d0 = frame_der(utts, hyp, audio.duration)
                d1 = frame_der(utts, hyp, audio.duration, collar=COLLAR)
                for key, d in (((rate, 0.0), d0), ((rate, COLLAR), d1)):
                    acc = totals.setdefault(key, dict.fromkeys(d, 0.0))
                    for k, v in d.items():
                        acc[k] += v
                der0 = (d0["missed"] + d0["false_alarm"] + d0["confusion"]) / d0["speech"]
                der1 = (d1["missed"] + d1["false_alarm"] + d1["confusion"]) / d1["speech"]
                rows.append(
                    {
                        "pair": f"{agent}/{customer}",
                        "rate": rate,
                        "der": der0,
                        "der_collar": der1,
                        **d0,
                        "seconds": took,
                        "audio_s": audio.duration,
                    }
                )
                print(
                    f"{agent + '/' + customer:<22} {rate:<6} {d0['speech']:8.1f} {der0:6.1%} "
                    f"{d0['missed'] / d0['speech']:6.1%} {d0['false_alarm'] / d0['speech']:6.1%} "
                    f"{d0['confusion'] / d0['speech']:6.1%} {der1:8.1%} {took:5.1f}"
                )
    summary = {}
    for (rate, collar), acc in sorted(totals.items()):
        der = (acc["missed"] + acc["false_alarm"] + acc["confusion"]) / acc["speech"]
        summary[f"{rate}_collar{int(collar * 1000)}ms"] = der
        print(
            f"overall {rate:<4} collar {int(collar * 1000):>3} ms: DER {der:.1%} "
            f"(missed {acc['missed'] / acc['speech']:.1%}, FA {acc['false_alarm'] / acc['speech']:.1%}, "
            f"confusion {acc['confusion'] / acc['speech']:.1%})"
        )
    results["diarization"] = {"rows": rows, "overall": summary}

    print("\n== interruption detection (stereo) ==")
    for telephone in (False, True):
        rate = "8k" if telephone else "16k"
        tp = fp = fn = 0
        start_err: list[float] = []
        end_err: list[float] = []
        bc_total = bc_flagged = 0
        for i, (agent, customer) in enumerate(PAIRS):
            for c in range(args.calls_per_pair):
                utts, truth = stereo_call(agent, customer, random.Random(args.seed * 1000 + i * 10 + c))
                audio, transcript = make_call(utts, str(tmp / f"st-{i}-{c}-{rate}.wav"), telephone=telephone)
                tl = build_call_timeline(assign_speakers(transcript, audio), audio)
                found = list(tl.interruptions(by_role=None))
                unmatched = list(truth)
                for o in found:
                    m = next(
                        (
                            u
                            for u in unmatched
                            if f"S{u.speaker}" == o.by and abs(u.start - o.start) <= MATCH_TOL
                        ),
                        None,
                    )
                    if m is None:
                        fp += 1
                        continue
                    unmatched.remove(m)
                    tp += 1
                    held = max(
                        (u for u in utts if u.speaker != m.speaker and u.start < m.start < u.end),
                        key=lambda u: u.end,
                        default=None,
                    )
                    start_err.append(abs(o.start - m.start))
                    if held is not None:
                        end_err.append(abs(o.end - min(held.end, m.end)))
                fn += len(unmatched)
                for b in (u for u in utts if u.kind == "backchannel"):
                    bc_total += 1
                    bc_flagged += any(abs(o.start - b.start) <= MATCH_TOL for o in found)
        scores = prf(tp, fp, fn)
        scores.update(
            {
                "onset_error_mean_ms": 1000 * float(np.mean(start_err)) if start_err else None,
                "onset_error_max_ms": 1000 * float(np.max(start_err)) if start_err else None,
                "end_error_mean_ms": 1000 * float(np.mean(end_err)) if end_err else None,
                "end_error_max_ms": 1000 * float(np.max(end_err)) if end_err else None,
                "backchannels": bc_total,
                "backchannels_flagged": bc_flagged,
            }
        )
        results[f"interruptions_{rate}"] = scores
        print(
            f"{rate:<4} P {scores['precision']:.3f} R {scores['recall']:.3f} F1 {scores['f1']:.3f} "
            f"(tp {tp}, fp {fp}, fn {fn}); onset error mean {scores['onset_error_mean_ms']:.0f} ms "
            f"max {scores['onset_error_max_ms']:.0f} ms; end error mean {scores['end_error_mean_ms']:.0f} ms "
            f"max {scores['end_error_max_ms']:.0f} ms; back-channels flagged {bc_flagged}/{bc_total}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
