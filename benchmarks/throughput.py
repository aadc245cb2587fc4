"""Throughput: callscore's whole pipeline against plain faster-whisper on the same calls, in one run.

    PYTHONPATH=. python benchmarks/throughput.py [--corpus /work/data/real_calls] [--calls N]
        [--conditions stereo16] [--configs faster-whisper,default,greedy,...] [--rounds 1]
        [--jobs 2] [--json OUT]

What is compared, call by call (each configuration in its own long-lived worker process, so its model
loads once and its peak RSS is its own; for each call the configurations take turns in a rotating order,
so a neighbour's load falls on all of them alike and every figure is a ratio against the baseline
measured in the same minutes):

- ``faster-whisper``: what a user would write: ``WhisperModel(int8)``, each channel
  ``transcribe(language="id", beam_size=5, word_timestamps=True, vad_filter=True)``. Transcript only.
- ``default``: callscore's ``score`` path with default settings, transcript cache off: VAD, Whisper,
  speakers and roles, timeline, prosody, rubric.
- each alternative in ``ALTERNATIVES``: the same ``score`` path with other transcription settings.

For every configuration: x real time (call seconds / wall seconds; the first call of each worker is run
once untimed, so imports and JIT are not counted: a batch pays them once), the ratio to the baseline, peak
RSS of its worker, WER per condition (callscore's normaliser and Whisper's basic one, scored by
``benchmarks/real_calls.py``) and, for pipeline configurations, every phrase-item F1.

``--corpus`` is the real-voice dev set (``benchmarks/real_calls_build.py``; CC BY-NC-SA, never in this
repository). Without it the bundled examples are used: speed and memory only, no WER or F1.
``--jobs N`` adds the batch scaling of the default pipeline (``benchmarks/batch_throughput.py``: --jobs 1,
--jobs N, Ray local when installed) against the machine's own N-process ceiling, measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_calls  # noqa: E402  (benchmarks/real_calls.py: the dev set's scoring)

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
BASELINE = "faster-whisper"
TARGET_SPEED = 15.0  # x real time, whole pipeline, stereo, cache off, 2 cores
TARGET_RATIO = 1.8  # over plain faster-whisper on the same calls, same run
TARGET_RSS_MB = 1024.0  # per worker
WARMUP_CALLS = 1

# name: DecodeSettings overrides of the alternative (the rest are callscore's defaults)
ALTERNATIVES: dict[str, dict[str, Any]] = {
    "batched4": {"batch_size": 4},
    "beam1": {"beam_size": 1},
    "greedy": {"beam_size": 1, "temperature": (0.0,)},
}
DEFAULT_CONFIGS = (BASELINE, "default", *ALTERNATIVES)


@dataclass(frozen=True)
class CallRun:
    """One configuration on one call.

    Attributes:
        config: Configuration name.
        call: Call file name.
        condition: Dev-set condition ("stereo16", "mono16", "tel8") or "example".
        audio_s: Call duration (s).
        wall_s: Wall seconds for the call.
        view: ``real_calls.CallView`` fields (the baseline has words only).
    """

    config: str
    call: str
    condition: str
    audio_s: float
    wall_s: float
    view: Mapping[str, Any] = field(repr=False)


# ------------------------------------------------------------------------------------------------ workers


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_runner(config: str, *, threads: int) -> Callable[[Path], tuple[float, dict[str, Any]]]:
    """A function scoring one call under ``config``: (call duration, CallView fields)."""
    if config == BASELINE:
        return _plain_runner(threads=threads)
    from callscore.asr.base import DecodeSettings
    from callscore.pipeline import PipelineOptions, score_path
    from callscore.transcript.transcribe import TranscribeOptions

    if config == "default":
        opts = PipelineOptions(use_cache=False, transcribe=TranscribeOptions(cpu_threads=threads))
    else:
        decode = DecodeSettings(**ALTERNATIVES[config])
        opts = PipelineOptions(
            use_cache=False, transcribe=TranscribeOptions(decode=decode, cpu_threads=threads)
        )

    def run(path: Path) -> tuple[float, dict[str, Any]]:
        result = score_path(path, options=opts)
        return result.transcript.audio.duration, asdict(view_of(result))

    return run


def view_of(result: Any) -> real_calls.CallView:
    """What ``benchmarks/real_calls.py`` compares, from a ``CallResult`` (as its ``score_call`` builds it)."""
    t, tl, card = result.transcript, result.timeline, result.scorecard
    return real_calls.CallView(
        roles={s.label: s.role for s in t.speakers},
        channel_of={s.label: s.channel for s in t.speakers},
        words=tuple(sorted((w.start, w.end, w.text, w.speaker, w.channel) for w in t.words())),
        turns=tuple((x.speaker, x.start, x.end) for x in tl.turns),
        interruptions=tuple((o.start, o.end, o.by_role, o.by) for o in tl.interruptions(by_role=None)),
        dead_air=tuple((s.start, s.end) for s in tl.dead_air(real_calls.DEAD_AIR_BAR)),
        items={i.id: i.status for i in card.items},
        reasons={i.id: i.reason for i in card.items},
        talk_ratio=tl.talk_ratio(),
    )


def _plain_runner(*, threads: int) -> Callable[[Path], tuple[float, dict[str, Any]]]:
    """Plain faster-whisper per channel, the way its README shows it, on callscore's bundled weights."""
    from faster_whisper import WhisperModel, decode_audio

    from callscore.asr.models import resolve_model_dir

    model = WhisperModel(str(resolve_model_dir(None)), device="cpu", compute_type="int8", cpu_threads=threads)

    def run(path: Path) -> tuple[float, dict[str, Any]]:
        import soundfile as sf

        channels = sf.info(str(path)).channels
        audio = decode_audio(str(path), split_stereo=channels == 2)
        tracks = list(audio) if channels == 2 else [audio]
        words = []
        for ch, y in enumerate(tracks):
            segments, _ = model.transcribe(
                y, language="id", beam_size=5, word_timestamps=True, vad_filter=True
            )
            for seg in segments:
                words += [(w.start, w.end, w.word, None, ch) for w in seg.words or ()]
        view = real_calls.CallView(
            roles={},
            channel_of={},
            words=tuple(sorted(words)),
            turns=(),
            interruptions=(),
            dead_air=(),
            items={},
            reasons={},
            talk_ratio=None,
        )
        return len(tracks[0]) / 16000, asdict(view)

    return run


def _worker(conn: Any, config: str, threads: int, cache_dir: str) -> None:
    """Serve ``(path, timed)`` requests for one configuration until ``None`` arrives."""
    os.environ["CALLSCORE_CACHE_DIR"] = cache_dir
    try:
        t0 = time.perf_counter()
        run = make_runner(config, threads=threads)
        conn.send(("ready", time.perf_counter() - t0, _peak_rss_mb()))
    except Exception as e:  # reported to the parent, which stops
        conn.send(("error", f"{type(e).__name__}: {e}", 0.0))
        return
    while True:
        msg = conn.recv()
        if msg is None:
            return
        try:
            t0 = time.perf_counter()
            duration, view = run(Path(msg))
            conn.send(("ok", (duration, time.perf_counter() - t0, view), _peak_rss_mb()))
        except Exception as e:
            conn.send(("error", f"{msg}: {type(e).__name__}: {e}", _peak_rss_mb()))


class Worker:
    """A configuration's process: its model loads once, calls are sent one at a time."""

    def __init__(self, config: str, *, threads: int, cache_dir: str) -> None:
        ctx = mp.get_context("spawn")
        self.config = config
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, config, threads, cache_dir), daemon=True)
        self.proc.start()
        kind, self.load_s, self.rss_mb = self.conn.recv()
        if kind != "ready":
            raise SystemExit(f"{config}: worker failed to start: {self.load_s}")

    def score(self, path: Path) -> tuple[float, float, dict[str, Any]]:
        """(call duration, wall seconds, view fields) of one call."""
        self.conn.send(str(path))
        kind, payload, self.rss_mb = self.conn.recv()
        if kind != "ok":
            raise SystemExit(f"{self.config}: {payload}")
        return payload  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the process."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)
        self.proc.join(timeout=30)


# ------------------------------------------------------------------------------------------------ figures


def load_corpus(folder: Path, *, calls: int, conditions: Sequence[str]) -> list[tuple[str, Path, Any]]:
    """(condition, audio path, labels) of the dev set's first ``calls`` calls, or [] without one."""
    label_files = sorted(folder.glob("*.labels.json")) if folder.is_dir() else []
    if calls:
        label_files = label_files[:calls]
    out = []
    for cond in conditions:
        for f in label_files:
            labels = json.loads(f.read_text())
            out.append((cond, folder / labels["files"][cond], labels))
    return out


def example_calls(calls: int) -> list[tuple[str, Path, Any]]:
    """The bundled example recordings (no labels: speed and memory only)."""
    from batch_throughput import find_audio

    files = find_audio([str(EXAMPLES)])
    return [("example", f, None) for f in (files[:calls] if calls else files)]


def accuracy(runs: Sequence[CallRun], labels_of: Mapping[str, Any], *, pipeline: bool) -> dict[str, Any]:
    """WER per condition (and item F1s for pipeline configurations) from the dev set's labels."""
    out: dict[str, Any] = {}
    by_cond: dict[str, list[tuple[str, Any, real_calls.CallView]]] = {}
    for r in runs:
        labels = labels_of.get(r.call)
        if labels is None:
            continue
        by_cond.setdefault(r.condition, []).append((r.condition, labels, real_calls.CallView(**r.view)))
    basic, ours = real_calls.basic_normaliser(), real_calls.ours_normaliser()
    for cond, items in by_cond.items():
        wer: dict[str, float | None] = {}
        for name, norm in (("wer_ours", ours), ("wer_basic", basic)):
            e = n = 0
            for c, labels, view in items:
                de, dn = real_calls.wer_counts(view, labels, c, norm)
                e, n = e + de, n + dn
            wer[name] = e / n if n else None
        entry: dict[str, Any] = dict(wer)
        if pipeline:
            ev = real_calls.evaluate(items)
            entry["items_f1"] = {k: v["f1"] for k, v in ev["items"].items()}  # type: ignore[attr-defined]
            entry["roles_accuracy"] = ev["roles_accuracy"]
            entry["interruption_f1"] = ev["interruptions"]["f1"]  # type: ignore[index]
            entry["dead_air_f1"] = ev["dead_air"]["f1"]  # type: ignore[index]
        out[cond] = entry
    return out


def summarise(
    runs: Sequence[CallRun], workers: Mapping[str, Worker], labels_of: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One row per configuration: speed, ratio to the baseline, memory, accuracy."""
    rows = []
    audio = {c: sum(r.audio_s for r in runs if r.config == c) for c in workers}
    wall = {c: sum(r.wall_s for r in runs if r.config == c) for c in workers}
    base = audio.get(BASELINE, 0.0) / wall[BASELINE] if wall.get(BASELINE) else None
    for c, w in workers.items():
        speed = audio[c] / wall[c] if wall[c] else 0.0
        mine = [r for r in runs if r.config == c]
        rows.append(
            {
                "config": c,
                "calls": len(mine),
                "audio_s": round(audio[c], 1),
                "wall_s": round(wall[c], 1),
                "x_real_time": round(speed, 2),
                "ratio_to_baseline": round(speed / base, 3) if base else None,
                "peak_rss_mb": round(w.rss_mb, 0),
                "load_s": round(w.load_s, 1),
                "accuracy": accuracy(mine, labels_of, pipeline=c != BASELINE),
            }
        )
    return rows


def _speed(runs: Sequence[CallRun]) -> float:
    """Call seconds per wall second over ``runs``."""
    wall = sum(r.wall_s for r in runs)
    return sum(r.audio_s for r in runs) / wall if wall else 0.0


def _fmt(x: object, digits: int = 3) -> str:
    return "  n/a" if x is None else f"{x:.{digits}f}"  # type: ignore[str-format]


def format_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """The printed table, accuracy lines, and the targets met or missed."""
    lines = [
        f"{'config':16s} {'calls':>5s} {'audio s':>8s} {'wall s':>8s} {'x RT':>7s} {'/base':>6s} "
        f"{'RSS MB':>7s}"
    ]
    for r in rows:
        lines.append(
            f"{r['config']:16s} {r['calls']:5d} {r['audio_s']:8.1f} {r['wall_s']:8.1f} "
            f"{r['x_real_time']:7.2f} {_fmt(r['ratio_to_baseline'], 2):>6s} {r['peak_rss_mb']:7.0f}"
        )
    for r in rows:
        for cond, a in r["accuracy"].items():
            f1 = a.get("items_f1")
            f1s = " ".join(f"{k}={_fmt(v, 2)}" for k, v in f1.items() if v is not None) if f1 else ""
            extra = (
                f" roles {_fmt(a['roles_accuracy'], 2)} int F1 {_fmt(a['interruption_f1'], 2)} "
                f"dead F1 {_fmt(a['dead_air_f1'], 2)}"
                if f1 is not None
                else ""
            )
            lines.append(
                f"  {r['config']:14s} {cond:8s} WER {_fmt(a['wer_ours'])} (basic {_fmt(a['wer_basic'])})"
                f"{extra}  {f1s}"
            )
    by = {r["config"]: r for r in rows}
    d = by.get("default")
    if d:
        met = "MET" if d["x_real_time"] >= TARGET_SPEED else "MISSED"
        lines.append(f"default: {d['x_real_time']:.2f}x real time (target >= {TARGET_SPEED:g}x): {met}")
        if d["ratio_to_baseline"] is not None:
            met = "MET" if d["ratio_to_baseline"] >= TARGET_RATIO else "MISSED"
            lines.append(
                f"default / plain faster-whisper: {d['ratio_to_baseline']:.2f}x "
                f"(target >= {TARGET_RATIO:g}x): {met}"
            )
    worst = max((r["peak_rss_mb"] for r in rows), default=0.0)
    met = "MET" if worst <= TARGET_RSS_MB else "MISSED"
    lines.append(f"peak RSS per worker: at most {worst:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB): {met}")
    return "\n".join(lines)


def jobs_scaling(files: Sequence[Path], jobs: int) -> str:
    """--jobs 1, --jobs N and Ray local (when installed) on the same calls, against the machine's ceiling."""
    import shutil
    import tempfile

    import batch_throughput as bt

    from callscore.batch.work import default_pipeline_options

    configs = ["local1", "local2"]
    bt.CONFIGS["localN"] = ("local", jobs)
    if jobs != 2:
        configs = ["local1", "localN"]
    try:
        import ray  # noqa: F401

        bt.CONFIGS["ray"] = ("ray", jobs)
        configs.append("ray")
    except ImportError:
        pass
    pipeline = default_pipeline_options(rubric="id-contact-centre", use_cache=False)
    ceiling = bt.cpu_ceiling(workers=jobs)
    work = Path(tempfile.mkdtemp(prefix="callscore-throughput-"))
    results = []
    try:
        for config in configs:
            staged = bt.stage_calls(files, len(files), work / "in" / config, tag=config)
            results.append(bt.measure(config, staged, out=work / "out" / config, pipeline=pipeline))
            m = results[-1]
            print(f"jobs {config}: {m.speed:.2f}x real time", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by = {m.config: m for m in results}
    scaled = bt.scaling(by.get("localN" if jobs != 2 else "local2"), by.get("local1"))
    lines = [bt.format_results(results)]
    lines.append(f"machine ceiling: {jobs} processes do {ceiling:.2f}x the work of one (same run)")
    if scaled is not None and ceiling:
        lines.append(f"--jobs {jobs} / --jobs 1 = {scaled:.2f}: {scaled / ceiling:.0%} of that ceiling")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", default=os.environ.get(real_calls.ENV_DEV_SET, real_calls.DEFAULT_DEV_SET))
    p.add_argument("--calls", type=int, default=0, help="first N calls (0 = all)")
    p.add_argument("--conditions", default="stereo16", help="dev-set conditions, comma-separated")
    p.add_argument("--configs", default=",".join(DEFAULT_CONFIGS))
    p.add_argument("--threads", type=int, default=0, help="CPU threads per model (0 = library default)")
    p.add_argument("--jobs", type=int, default=0, help="also measure batch scaling with N workers")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    configs = [c for c in args.configs.split(",") if c]
    unknown = [c for c in configs if c not in DEFAULT_CONFIGS]
    if unknown:
        p.error(f"--configs: unknown {', '.join(unknown)}; choose from {', '.join(DEFAULT_CONFIGS)}")
    conditions = [c for c in args.conditions.split(",") if c]
    calls = load_corpus(Path(args.corpus), calls=args.calls, conditions=conditions)
    if calls:
        header = f"real-voice dev set {args.corpus}: {len(calls)} call files ({', '.join(conditions)})"
    else:
        print(f"no real-voice dev set in {args.corpus}: using the bundled examples (speed only)")
        calls = example_calls(args.calls)
        header = f"bundled examples: {len(calls)} calls (no labels: speed and memory only)"
    labels_of = {str(path): labels for _, path, labels in calls if labels is not None}
    cache_dir = os.environ.get("CALLSCORE_CACHE_DIR", "")
    workers: dict[str, Worker] = {}
    runs: list[CallRun] = []
    try:
        for c in configs:
            workers[c] = Worker(c, threads=args.threads, cache_dir=cache_dir)
            print(f"{c}: ready in {workers[c].load_s:.1f} s", file=sys.stderr, flush=True)
        for w in workers.values():
            for _ in range(WARMUP_CALLS):
                w.score(calls[0][1])
        for i, (cond, path, _) in enumerate(calls):
            order = configs[i % len(configs) :] + configs[: i % len(configs)]
            for c in order:
                duration, wall, view = workers[c].score(path)
                runs.append(CallRun(c, str(path), cond, duration, wall, view))
            done = " ".join(f"{c}={_speed([r for r in runs if r.config == c]):.1f}x" for c in configs)
            print(f"[{i + 1}/{len(calls)}] {path.name}: {done}", file=sys.stderr, flush=True)
            if args.json:  # after every call, so a run cut short still leaves its figures
                write_json(args.json, header, summarise(runs, workers, labels_of), runs)
        rows = summarise(runs, workers, labels_of)
    finally:
        for w in workers.values():
            w.close()
    text = f"{header}\n" + format_rows(rows)
    if args.jobs:
        files = sorted({path for _, path, _ in calls})
        text += "\n\n" + jobs_scaling(files, args.jobs)
    print(text)
    if args.json:
        write_json(args.json, header, rows, runs)
    return 0


def write_json(path: Path, header: str, rows: Sequence[Mapping[str, Any]], runs: Sequence[CallRun]) -> None:
    """The summary rows and every call's wall time (for paired comparisons), written atomically."""
    per_call = [
        {"config": r.config, "call": Path(r.call).name, "audio_s": r.audio_s, "wall_s": round(r.wall_s, 3)}
        for r in runs
    ]
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(
        json.dumps({"header": header, "configs": rows, "per_call": per_call}, indent=1, default=str)
    )
    tmp.replace(path)


if __name__ == "__main__":
    sys.exit(main())
