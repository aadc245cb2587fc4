"""Prosody reference ranges from real voices: the speaker-level feature distributions calm and confidence
are scored against (``callscore/prosody/reference.json``).

    PYTHONPATH=. python benchmarks/prosody_reference.py --corpus ~/corpora/teldialog_svcsr \
        --digits ~/corpora/digit_cdsr [--out callscore/prosody/reference.json] [--max-clips 100]

or set ``CALLSCORE_SVCSR`` / ``CALLSCORE_CDSR``. Without either corpus it prints ``SKIP: ...`` and exits 0.

Every **train** speaker found (INDspeech TELDIALOG SVCSR ``speech/train/``, INDspeech DIGIT CDSR
``speech/train/`` + ``text/train/``; never a test split) becomes one "call side": their utterances, each
scaled to -22 dBFS RMS (the corpus' recording gain says nothing about the speaker), one after another with
4 s between them (so each utterance is its own speaking run, ``PAUSE_MAX`` 3 s) over -65 dBFS hiss. Word
times come from the audio, not from an aligner: the utterance's audible stretches (10 ms frames within
``SPEECH_DB`` of its loudest frame; gaps shorter than ``MIN_GAP`` bridged) carry its words in order, each
stretch taking words in proportion to its length by syllables. A pause is then a real silence of the
speaker. The features are callscore's own (``callscore.prosody.report.analyze_prosody``), so the reference
and a scored call are measured the same way.

Written: per feature, the 5th-95th percentiles over speakers, the count and the corpora; numbers only (no
audio, no text). Both corpora are CC BY-NC-SA 4.0: the statistics are facts derived from them and the
file records the source (docs/prosody.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_calls_build import (  # noqa: E402  (the dev-set builder's corpus readers)
    ENV_CORPUS,
    ENV_DIGITS,
    SAMPLE_RATE,
    _read_wav,
    _train_members,
    _words_of,
    teldialog_texts,
    trim,
)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "callscore" / "prosody" / "reference.json"
LEVEL_DBFS = -22.0  # every utterance scaled to this RMS
HISS_DBFS = -65.0
GAP_S = 4.0  # between utterances: longer than PAUSE_MAX, so each is a run
LEAD_S = 0.5
SPEECH_DB = 30.0  # dB below the utterance's loudest frame that still counts as its speech
MIN_GAP = 0.08  # s; silences shorter than this inside an utterance are bridged (stop closures)
FRAME = 0.01  # s
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
REPO = "github.com/s-sakti/data_indsp"
LICENCE = "derived statistics of CC BY-NC-SA 4.0 corpora (Sakti et al., ICSLP 2004); numbers only"
METHOD = "benchmarks/prosody_reference.py: utterances at -22 dBFS, 4 s apart, word times from the audio"
FEATURES = (
    "speaking_rate",
    "articulation_rate",
    "f0_spread_st",
    "f0_range_st",
    "loudness_spread_db",
    "loudness_decline_db",
    "pause_rate",
    "pause_mean",
    "pause_ratio",
    "final_rise_fraction",
    "f0_median_hz",
)


def stretches(*, y: np.ndarray, sr: int = SAMPLE_RATE) -> list[tuple[float, float]]:
    """Audible stretches (s) of one trimmed utterance: frames within ``SPEECH_DB`` of its loudest frame,
    gaps under ``MIN_GAP`` bridged."""
    n = int(FRAME * sr)
    if y.size < n:
        return []
    rms = np.sqrt(np.mean(y[: y.size // n * n].reshape(-1, n).astype(np.float64) ** 2, axis=1)) + 1e-12
    db = 20 * np.log10(rms)
    on = db > db.max() - SPEECH_DB
    out: list[list[float]] = []
    for i in np.flatnonzero(on):
        s, e = i * FRAME, (i + 1) * FRAME
        if out and s - out[-1][1] < MIN_GAP:
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(a, b) for a, b in out if b - a >= 0.03]


def place_words(*, text: str, spans: Sequence[tuple[float, float]], offset: float, language: str) -> list:
    """Words of ``text`` over ``spans`` (in order, by syllables in proportion to stretch length)."""
    from callscore.prosody.features import count_syllables
    from callscore.transcript.model import Word

    tokens = text.split()
    if not tokens or not spans:
        return []
    syl = np.array([max(1, count_syllables(t, language=language)) for t in tokens], float)
    lengths = np.array([b - a for a, b in spans])
    # cumulative syllable share of each word's middle -> the stretch holding that share of the speech
    mids = (np.cumsum(syl) - syl / 2) / syl.sum()
    edges = np.cumsum(lengths) / lengths.sum()
    owner = np.minimum(np.searchsorted(edges, mids), len(spans) - 1)
    words = []
    for k, (a, b) in enumerate(spans):
        mine = np.flatnonzero(owner == k)
        if not mine.size:
            continue
        share = syl[mine] / syl[mine].sum()
        t = a
        for i, frac in zip(mine, share, strict=True):
            d = (b - a) * frac
            words.append(Word(offset + t, offset + t + d * 0.95, " " + tokens[i], 1.0, 0, "S0"))
            t += d
    return words


def speaker_features(clips: Sequence[tuple[str, np.ndarray]], *, language: str = "id"):
    """Call-level prosody features of one speaker from (text, trimmed samples) utterances."""
    from callscore.audio.model import Audio, AudioInfo
    from callscore.prosody.report import analyze_prosody
    from callscore.transcript.model import AGENT, Segment, Speaker, Transcript, TranscriptionInfo

    gain = 10 ** (LEVEL_DBFS / 20)
    pieces, words, t = [np.zeros(int(LEAD_S * SAMPLE_RATE), np.float32)], [], LEAD_S
    segments = []
    for text, y in clips:
        ws = place_words(text=text, spans=stretches(y=y), offset=t, language=language)
        if ws:
            segments.append(Segment(len(segments), 0, ws[0].start, ws[-1].end, text, tuple(ws), speaker="S0"))
            words.extend(ws)
        pieces += [y * gain, np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)]
        t += y.size / SAMPLE_RATE + GAP_S
    x = np.concatenate(pieces).astype(np.float32)
    rng = np.random.default_rng(11)
    x = x + rng.standard_normal(x.size).astype(np.float32) * np.float32(10 ** (HISS_DBFS / 20))
    info = AudioInfo(
        path="reference", sha256="0" * 64, duration=x.size / SAMPLE_RATE, sample_rate=16000, channels=1
    )
    transcript = Transcript(
        audio=info,
        info=TranscriptionInfo(backend="reference", model="corpus-text", language=language),
        segments=tuple(segments),
        speakers=(Speaker("S0", 0, AGENT, 1.0, "reference speaker"),),
    )
    report = analyze_prosody(Audio(x[None, :], SAMPLE_RATE, info), transcript)
    return report.speakers[0]


def load_speakers(*, corpus: Path | None, digits: Path | None, max_clips: int) -> dict[str, tuple[str, list]]:
    """Speaker id -> (corpus name, [(text, trimmed samples)]) from the train splits only."""
    out: dict[str, tuple[str, list]] = {}
    if corpus is not None and corpus.is_dir():
        texts = teldialog_texts(corpus)
        for spk, files in _train_members(corpus, "speech").items():
            clips = []
            for name, data in sorted(files.items()):
                utt = name.rsplit("_", 1)[-1].removesuffix(".wav").removesuffix(".WAV")
                if name.lower().endswith(".wav") and utt in texts:
                    y = trim(y=_read_wav(data))
                    if y.size:
                        clips.append((texts[utt], y))
            if clips:
                out[spk] = ("teldialog_svcsr", clips[:max_clips])
    if digits is not None and digits.is_dir():
        texts_d = _train_members(digits, "text")
        for spk, files in _train_members(digits, "speech").items():
            if spk in out:
                continue  # one entry per person: a TELDIALOG speaker's sentences are the richer sample
            clips = []
            for name, data in sorted(files.items()):
                txt = texts_d.get(spk, {}).get(name[:-4] + ".txt")
                if name.lower().endswith(".wav") and txt is not None:
                    y = trim(y=_read_wav(data))
                    if y.size:
                        clips.append((_words_of(txt.decode("latin-1")), y))
            if clips:
                out[spk] = ("digit_cdsr", clips[:max_clips])
    return out


def summarise(rows: Sequence[dict[str, float | None]]) -> dict[str, dict[str, float]]:
    """Per feature: percentiles over speakers (those where it was measured) and their count."""
    out = {}
    for f in FEATURES:
        v = np.array([r[f] for r in rows if r.get(f) is not None], float)
        if v.size:
            ps = np.percentile(v, PERCENTILES)
            out[f] = {
                "n": int(v.size),
                **{f"p{p}": round(float(x), 3) for p, x in zip(PERCENTILES, ps, strict=True)},
            }
    return out


def placed_scores(feats: Sequence, *, reference_file: Path) -> dict[str, dict[str, float]]:
    """The reference speakers scored against the reference just written (call level, no windows): how
    many pass the rubric's bar of 50, and the spread of their scores. In-sample: each speaker is part of
    the reference it is placed against."""
    from callscore.prosody import scores
    from callscore.prosody.features import ProsodyOptions

    shipped = scores.REFERENCE_FILE
    scores.REFERENCE_FILE = reference_file
    scores.reference.cache_clear()
    try:
        calm = [scores.score_calm(features=f, options=ProsodyOptions()).score for f in feats]
        conf = [scores.score_confidence(features=f).score for f in feats]
    finally:
        scores.REFERENCE_FILE = shipped
        scores.reference.cache_clear()
    out = {}
    for name, vals in (("calm", calm), ("confidence", conf)):
        v = np.array([x for x in vals if x is not None], float)
        if v.size:
            out[name] = {
                "pass_at_50": round(float(np.mean(v >= 50)), 3),
                **{
                    f"p{p}": round(float(x), 1)
                    for p, x in zip((5, 50, 95), np.percentile(v, (5, 50, 95)), strict=True)
                },
            }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--corpus", default=os.environ.get(ENV_CORPUS), help=f"TELDIALOG SVCSR folder (${ENV_CORPUS})"
    )
    p.add_argument("--digits", default=os.environ.get(ENV_DIGITS), help=f"DIGIT CDSR folder (${ENV_DIGITS})")
    p.add_argument("--out", default=str(DEFAULT_OUT))
    p.add_argument("--max-clips", type=int, default=100, help="utterances per speaker at most")
    args = p.parse_args(argv)
    corpus = Path(args.corpus).expanduser() if args.corpus else None
    digits = Path(args.digits).expanduser() if args.digits else None
    if not any(c is not None and c.is_dir() for c in (corpus, digits)):
        print(f"SKIP: no corpus folder (give --corpus/--digits or set {ENV_CORPUS}/{ENV_DIGITS})")
        return 0
    speakers = load_speakers(corpus=corpus, digits=digits, max_clips=args.max_clips)
    if not speakers:
        print(f"SKIP: no train speaker found under {corpus} / {digits} (speech/train/)")
        return 0
    rows, skipped, sources, feats = [], [], {}, []
    for spk, (source, clips) in sorted(speakers.items()):
        sp = speaker_features(clips)
        f = sp.features
        if f.problems:
            skipped.append(f"{spk}: {f.problems[0]}")
            continue
        row = {k: getattr(f, k) for k in FEATURES}
        rows.append(row)
        feats.append(f)
        sources[source] = sources.get(source, 0) + 1
        print(
            f"{spk:6s} {source:16s} {len(clips):3d} utts  "
            + "  ".join(f"{k}={row[k]:.3g}" if row[k] is not None else f"{k}=-" for k in FEATURES[:8])
        )
    for s in skipped:
        print(f"skipped {s}")
    summary = {
        "what": "speaker-level prosody features of real read Indonesian speech (callscore.prosody features)",
        "source": {
            "corpora": {
                "teldialog_svcsr": f"INDspeech TELDIALOG SVCSR, train split ({REPO}_teldialog_svcsr)",
                "digit_cdsr": f"INDspeech DIGIT CDSR, train split ({REPO}_digit_cdsr)",
            },
            "licence": LICENCE,
            "speakers": sources,
            "utterances_per_speaker_max": args.max_clips,
            "method": METHOD,
        },
        "n_speakers": len(rows),
        "features": summarise(rows),
    }
    out = Path(args.out)
    out.write_text(json.dumps(summary, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    summary["reference_speakers_scored"] = placed_scores(feats, reference_file=out)
    out.write_text(json.dumps(summary, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"\n{len(rows)} speakers -> {out}")
    for k, v in summary["reference_speakers_scored"].items():
        print(f"  reference speakers' own {k}: {v}")
    for k, v in summary["features"].items():
        print(f"  {k:22s} " + "  ".join(f"p{p}={v[f'p{p}']:.3g}" for p in PERCENTILES) + f"  (n={v['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
