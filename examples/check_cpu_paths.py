"""Score the bundled examples under every CPU path CTranslate2 can take on this machine; fail on any change.

CTranslate2 picks its kernels per machine: an instruction set (``CT2_FORCE_CPU_ISA``: GENERIC, AVX, AVX2,
AVX512) and, for matrix products, Intel MKL or oneDNN (``CT2_USE_MKL``). int8 results differ between
these paths, so the same recording can be transcribed differently on another CPU. A scorecard is a record
an agent may contest: its headline verdicts must not depend on the machine. This script runs
``callscore score`` on every example once per path this CPU supports (transcript cache off) and compares,
per example, every critical item and every item ``truth.json`` names as the example's headline, with what
``truth.json`` expects and between paths. Exit status 1 when any differs.

Usage::

    python examples/check_cpu_paths.py [--callscore CMD] [--only NAME] [--paths AVX2:0,AVX512:1] [--jobs 2]

Each path runs with one CPU thread (``--threads``) so two paths can run at once on two cores; the thread
count is not a path of its own: 1 and 2 threads gave the same verdicts on every path (docs/backends.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# What each instruction set needs from the CPU (Linux /proc/cpuinfo flag names), as CTranslate2 checks them.
ISA_FLAGS = {
    "GENERIC": (),
    "AVX": ("avx",),
    "AVX2": ("avx", "avx2", "fma"),
    "AVX512": ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
}


@dataclass(frozen=True)
class CpuPath:
    """One way CTranslate2 can run on this CPU.

    Attributes:
        isa: Instruction set forced with CT2_FORCE_CPU_ISA.
        mkl: Intel MKL (True) or oneDNN (False) for matrix products (CT2_USE_MKL).
    """

    isa: str
    mkl: bool

    @property
    def name(self) -> str:
        """Short label, e.g. "AVX2+oneDNN"."""
        return f"{self.isa}+{'MKL' if self.mkl else 'oneDNN'}"

    def env(self) -> dict[str, str]:
        """Environment variables that force this path."""
        return {"CT2_FORCE_CPU_ISA": self.isa, "CT2_USE_MKL": "1" if self.mkl else "0"}


def cpu_flags() -> frozenset[str]:
    """CPU feature flags of this machine (empty where /proc/cpuinfo is not available)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def supported_paths(*, machine: str | None = None, flags: frozenset[str] | None = None) -> list[CpuPath]:
    """Every (instruction set, MKL/oneDNN) pair this machine can run; x86-64 only (MKL is x86-only)."""
    if (machine or platform.machine()).lower() not in ("x86_64", "amd64"):
        return [CpuPath("GENERIC", False)]
    flags = cpu_flags() if flags is None else flags
    isas = [isa for isa, need in ISA_FLAGS.items() if all(f in flags for f in need)]
    return [CpuPath(isa, mkl) for isa in isas for mkl in (False, True)]


def parse_paths(spec: str) -> list[CpuPath]:
    """ "AVX2:0,AVX512:1" -> paths (ISA:MKL)."""
    out = []
    for part in spec.split(","):
        isa, _, mkl = part.strip().partition(":")
        if isa.upper() not in ISA_FLAGS or mkl not in ("0", "1"):
            raise SystemExit(
                f"--paths: {part!r} is not ISA:0 or ISA:1 with ISA one of {', '.join(ISA_FLAGS)}"
            )
        out.append(CpuPath(isa.upper(), mkl == "1"))
    return out


def headline_items(example: dict, critical: Sequence[str]) -> dict[str, str]:
    """The outcomes that must hold everywhere: the example's headline items and every critical item."""
    expected = example["expected"]
    ids = list(example["headline"]) + [i for i in critical if i in expected and i not in example["headline"]]
    return {i: expected[i] for i in ids}


def score_under(
    path: CpuPath, *, callscore: Sequence[str], files: Sequence[Path], out: Path, threads: int
) -> float:
    """Run ``callscore score`` on ``files`` with ``path`` forced, scorecards into ``out``; returns seconds."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [*callscore, "score", *map(str, files), "--no-cache", "--no-prosody", "--threads", str(threads)]
    cmd += ["-f", "json", "--out", str(out)]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, cwd=REPO, env={**os.environ, **path.env()}, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(
            f"{path.name}: callscore score failed (rc {run.returncode}):\n{run.stdout}{run.stderr}"
        )
    return time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: score under every path, print the table, exit 1 on any difference."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--callscore", default=f"{shlex.quote(sys.executable)} -m callscore.cli")
    ap.add_argument("--only", action="append", help="only this example (repeatable)")
    ap.add_argument("--paths", help="ISA:MKL pairs, e.g. AVX2:0,AVX512:1 (default: every supported path)")
    ap.add_argument("--jobs", type=int, default=2, help="paths run at once")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads per path (default 1)")
    ap.add_argument("--keep", type=Path, help="keep the scorecards in this folder")
    ap.add_argument("--examples", type=Path, default=HERE, help="folder of the examples and truth.json")
    args = ap.parse_args(argv)
    truth = json.loads((args.examples / "truth.json").read_text(encoding="utf-8"))
    examples = {n: e for n, e in truth["examples"].items() if not args.only or n in args.only}
    critical = truth["critical_items"]
    paths = parse_paths(args.paths) if args.paths else supported_paths()
    files = [args.examples / e["file"] for e in examples.values()]
    root = args.keep or Path(tempfile.mkdtemp(prefix="callscore-cpu-paths-"))
    print(
        f"{len(examples)} examples x {len(paths)} CPU paths: {', '.join(p.name for p in paths)}", flush=True
    )

    def one(p: CpuPath) -> tuple[CpuPath, float]:
        took = score_under(
            p, callscore=shlex.split(args.callscore), files=files, out=root / p.name, threads=args.threads
        )
        print(f"  {p.name}: {took:.0f} s", flush=True)
        return p, took

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        list(pool.map(one, paths))

    bad = 0
    width = max(len(p.name) for p in paths)
    for name, ex in examples.items():
        want = headline_items(ex, critical)
        print(f"\n{name} ({ex['file']})")
        print(f"  {'item':24s} {'expected':15s} " + " ".join(f"{p.name:>{width}s}" for p in paths))
        cards = {p: json.loads((root / p.name / f"{name}.json").read_text(encoding="utf-8")) for p in paths}
        for item_id, expected in want.items():
            got = {p: next(i["status"] for i in cards[p]["items"] if i["id"] == item_id) for p in paths}
            wrong = [p for p in paths if got[p] != expected]
            bad += bool(wrong)
            row = " ".join(f"{got[p]:>{width}s}" for p in paths)
            print(f"  {item_id:24s} {expected:15s} {row}{'   <- differs' if wrong else ''}")
        totals = " ".join(f"{cards[p]['total']:>{width}.1f}" for p in paths)
        print(f"  {'total':24s} {'':15s} {totals}")
    print()
    if bad:
        print(f"FAIL: {bad} headline outcome(s) differ from truth.json on some CPU path")
        return 1
    print(f"OK: every headline outcome is the same on all {len(paths)} CPU paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
