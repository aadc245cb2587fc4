"""Helpers for the batch, store, report and CI-gate tests: a fake scorer that builds real Scorecards, and a
throwaway PostgreSQL server.

The fake scorer reads a small JSON "recording" (whatever its extension) describing the call it should
produce, so each test states its calls' outcomes explicitly. It is a module-level factory, so it pickles by
reference into spawned worker processes and Ray actors.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from types import ModuleType
from typing import Any

from callscore.errors import AudioError
from callscore.scorecard import FAIL, NOT_APPLICABLE, PASS, Evidence, ItemResult, Scorecard, weighted_total

RUBRIC_ITEMS = (
    # id, title, weight, critical
    ("greeting", "Greets the customer", 1.0, False),
    ("verify", "Verifies the customer", 2.0, False),
    ("closing", "Closes the call", 1.0, False),
    ("no_abuse", "No abusive language", 0.0, True),
)


@dataclass(frozen=True, eq=False)
class FakeResult:
    """Stands in for callscore.pipeline.CallResult (no transcript, no timeline: the HTML report has
    only the scorecard sections).

    Attributes:
        scorecard: The scorecard.
        audio_path: The input.
        transcript: None.
        timeline: None.
    """

    scorecard: Scorecard
    audio_path: str | None = None
    transcript: None = None
    timeline: None = None


def make_card(
    call_id: str,
    *,
    source: str = "",
    duration: float = 60.0,
    fail: tuple[str, ...] = (),
    na: tuple[str, ...] = (),
    sha: str = "",
    rubric_version: str = "1",
    created: str = "2026-11-23T09:00:00+00:00",
) -> Scorecard:
    """A real Scorecard over RUBRIC_ITEMS, with ``fail`` items failed and ``na`` items not applicable."""
    items = []
    for iid, title, weight, critical in RUBRIC_ITEMS:
        status = FAIL if iid in fail else NOT_APPLICABLE if iid in na else PASS
        ev = (Evidence(quote=f"<{iid}> said at 1.0 s", start=1.0, end=2.0, role="agent"),)
        items.append(
            ItemResult(
                id=iid,
                title=title,
                description=f"checks {iid}",
                kind="phrase_present",
                weight=weight,
                critical=critical,
                status=status,
                reason=f"{iid} {'missing' if status == FAIL else 'found'}",
                evidence=ev if status == FAIL else (),
                value=1.0 if status == PASS else 0.0,
            )
        )
    items.sort(key=lambda i: not (i.critical and i.status == FAIL))
    return Scorecard(
        call_id=call_id,
        source=source,
        audio_sha256=sha,
        duration=duration,
        rubric_id="test-rubric",
        rubric_version=rubric_version,
        rubric_name="Test rubric",
        total=weighted_total(items),
        critical_failed=any(i.critical and i.status == FAIL for i in items),
        items=tuple(items),
        created=created,
        callscore_version="test",
    )


def write_call(folder: Path, name: str, **spec: Any) -> Path:
    """Write a fake recording ``folder/name`` whose content tells the fake scorer what to return."""
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"fake_call": True, **spec}))
    return p


def fake_factory(pipeline: Any) -> Any:
    """Scorer factory: spec keys ``bad`` (raise AudioError), ``boom`` (raise a plain bug), ``die`` (the
    worker process exits), ``sleep`` (seconds), ``duration``, ``fail``, ``na``. The cards carry rubric
    version "2" when the pipeline's rubric is named ``...@2``, else "1"."""
    version = pipeline.rubric.rpartition("@")[2] if pipeline is not None and "@" in pipeline.rubric else "1"

    def score(path: str, call_id: str) -> FakeResult:
        try:
            spec = json.loads(Path(path).read_text())
        except (OSError, ValueError) as e:
            raise AudioError(f"{path}: not a fake call ({e})") from e
        time.sleep(float(spec.get("sleep", 0.0)))
        if spec.get("bad"):
            raise AudioError(f"{path}: {spec['bad']}")
        if spec.get("boom"):
            raise ZeroDivisionError("division by zero")
        if spec.get("die"):
            os._exit(3)
        card = make_card(
            call_id,
            source=path,
            duration=float(spec.get("duration", 60.0)),
            fail=tuple(spec.get("fail", ())),
            na=tuple(spec.get("na", ())),
            rubric_version=version,
        )
        return FakeResult(card, path)

    return score


def broken_factory(pipeline: Any) -> Any:
    """A scorer factory that cannot start (as when the model is missing)."""
    raise RuntimeError("model whisper-base not found")


# -- a throwaway PostgreSQL server ---------------------------------------------------------------------
def pg_bindir() -> Path | None:
    """Folder with initdb/pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def pg_skip_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    import pwd

    if pg_bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not installed: apt-get install postgresql"
    try:
        import pg8000  # noqa: F401
    except ImportError:
        return "pg8000 not installed: pip install 'callscore[postgres]'"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        if os.geteuid() == 0:
            return "running as root and no 'postgres' user to run the server as"
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """initdb + pg_ctl in a temp folder, trust auth on 127.0.0.1 and a unix socket; ``stop()`` removes it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="callscore-pg-", dir="/tmp"))
        self.data = self.dir / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0  # the server refuses to run as root
        if self._as_postgres:
            shutil.chown(self.dir, user="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        """TCP URL of a database on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its URL."""
        import pg8000.native

        con = pg8000.native.Connection("postgres", host="127.0.0.1", port=self.port)
        try:
            con.run(f"CREATE DATABASE {name}")
        finally:
            con.close()
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# -- a real-model scorer (ASR + timeline only) for tests marked `model` and for measurements -------------
def asr_factory(pipeline: Any) -> Any:
    """Scorer factory that runs the real transcription and timeline, then scores one simple item
    ("the agent channel said something"). The model loads here, once per worker, with the pipeline's
    ``transcribe.cpu_threads``."""
    from callscore.asr import load_backend
    from callscore.timeline.from_words import build_timeline
    from callscore.transcript.transcribe import TranscribeOptions, transcribe_path

    threads = pipeline.transcribe.cpu_threads if pipeline is not None else 0
    opts = TranscribeOptions(cpu_threads=threads)
    load_backend(
        opts.backend, opts.model, device=opts.device, compute_type=opts.compute_type, cpu_threads=threads
    )

    def score(path: str, call_id: str) -> FakeResult:
        t = transcribe_path(path, options=opts, use_cache=False)
        tl = build_timeline(t)
        spoke = bool(t.words(channel=0))
        item = ItemResult(
            id="agent_spoke",
            title="Agent channel has speech",
            description="smoke item",
            kind="timing",
            weight=1.0,
            critical=False,
            status=PASS if spoke else FAIL,
            reason=f"{len(t.words(channel=0))} words on channel 0, {len(tl.turns)} turns",
        )
        card = Scorecard(
            call_id=call_id,
            source=path,
            audio_sha256=t.audio.sha256,
            duration=t.audio.duration,
            rubric_id="asr-smoke",
            rubric_version="1",
            rubric_name="ASR smoke",
            total=weighted_total([item]),
            critical_failed=False,
            items=(item,),
        )
        return FakeResult(card, path)

    return score


def espeak_call(path: Path, agent_text: str, customer_text: str, *, voice: str = "id") -> Path:
    """A stereo 16 kHz WAV: agent (left) speaks, then the customer (right), synthesised with espeak-ng."""
    import numpy as np
    import soundfile as sf

    def say(text: str) -> Any:
        wav = path.with_suffix(f".{abs(hash(text))}.tmp.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "140", "-w", str(wav), text], check=True, timeout=60)
        y, sr = sf.read(wav, dtype="float32")
        wav.unlink()
        if sr != 16000:
            import librosa

            y = librosa.resample(y, orig_sr=sr, target_sr=16000)
        return y

    a, c = say(agent_text), say(customer_text)
    gap = np.zeros(8000, dtype=np.float32)
    left = np.concatenate([a, gap, np.zeros_like(c), gap])
    right = np.concatenate([np.zeros_like(a), gap, c, gap])
    sf.write(path, np.stack([left, right], axis=1), 16000)
    return path


@contextlib.contextmanager
def benchmark_module(path: Path) -> Iterator[ModuleType]:
    """A script under benchmarks/ as a module, registered under its stem while in use (dataclasses look
    their module up in ``sys.modules``) and unregistered after."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod
    try:
        spec.loader.exec_module(mod)
        yield mod
    finally:
        sys.modules.pop(path.stem, None)
