"""Load test of the review app: N concurrent logged-in sessions browsing a store of M calls.

Builds a synthetic results store (``--calls`` scorecards through the store API: 20 rubric items, 40
agents in 5 teams, 90 days), adds a QA user, starts ``callscore serve`` as a real server process on
127.0.0.1 and a free port, logs ``--sessions`` clients in, then for ``--seconds`` each session walks the
app as a reviewer does: the calls list with a random filter/sort/page, one call page, its JSON. It
prints p50/p95/max latency per kind of request and overall, the error count and the request rate.

Targets (issue 14): p95 < 300 ms and 0 errors for 50 sessions on 10,000 calls over 60 s; the calls list
alone p95 < 200 ms. ``--think`` is the pause between one session's requests (s); 0 sends back to back.

    python benchmarks/serve_load.py                     # 10,000 calls, 50 sessions, 60 s
    python benchmarks/serve_load.py --calls 500 --sessions 5 --seconds 5 --json out.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ITEMS = tuple((f"item_{k:02d}", f"Rubric item {k}", 1.0 + (k % 3), k in (3, 11)) for k in range(20))
TEAMS = ("billing", "network", "sales", "retention", "support")
DEFAULT_PASSWORD = "load-test-password"


def build_store(url: str, *, calls: int, seed: int = 7, recording: str | None = None) -> float:
    """Fill the store at ``url`` with ``calls`` synthetic scorecards; returns seconds taken."""
    from callscore.results.store import open_store
    from callscore.scorecard import FAIL, NOT_APPLICABLE, PASS, ItemResult, Scorecard, weighted_total

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with open_store(url) as st:
        for n in range(calls):
            items = []
            for iid, title, weight, critical in ITEMS:
                u = rng.random()
                status = FAIL if u < (0.02 if critical else 0.15) else NOT_APPLICABLE if u > 0.95 else PASS
                items.append(
                    ItemResult(iid, title, "", "phrase_present", weight, critical, status, f"{iid} {status}")
                )
            items.sort(key=lambda i: not (i.critical and i.status == FAIL))
            agent = f"agent{n % 40:02d}"
            card = Scorecard(
                call_id=f"call{n:05d}",
                source=recording or f"calls/call{n:05d}.wav",
                audio_sha256=f"{n:064x}",
                duration=60.0 + n % 300,
                rubric_id="load-rubric",
                rubric_version="1",
                rubric_name="Load rubric",
                total=weighted_total(items),
                critical_failed=any(i.critical and i.status == FAIL for i in items),
                items=tuple(items),
                created="2026-11-01T09:00:00+00:00",
            )
            day = 1 + n % 90
            date = time.strftime("%Y-%m-%d", time.gmtime(1767225600 + day * 86400))  # from 2026-01-01
            st.save_call(card, model="load-model", agent=agent, team=TEAMS[(n % 40) % 5], call_date=date)
    return time.perf_counter() - t0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_user(
    url: str, name: str, role: str, password: str = DEFAULT_PASSWORD, agent_id: str | None = None
) -> None:
    """``callscore users add`` through the real CLI."""
    cmd = [
        sys.executable,
        "-m",
        "callscore.cli",
        "users",
        "add",
        name,
        "--db",
        url,
        "--role",
        role,
        "--password-stdin",
    ]
    if agent_id:
        cmd += ["--agent-id", agent_id]
    subprocess.run(cmd, input=password + "\n", text=True, check=True, capture_output=True, timeout=120)


class Server:
    """``callscore serve`` in a subprocess on 127.0.0.1; ``stop()`` ends it."""

    def __init__(self, url: str, *, port: int | None = None, extra: Sequence[str] = ()) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the server
            prefix="callscore-serve-", suffix=".log", delete=False
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "callscore.cli",
                "serve",
                "--db",
                url,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *extra,
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(self.log.name).read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start in 60 s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)


def login(client, base: str, name: str, password: str = DEFAULT_PASSWORD) -> str:  # noqa: ANN001
    """Log ``client`` (an httpx.Client) in; returns the session's CSRF token."""
    page = client.get(f"{base}/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        f"{base}/login", data={"csrf": token, "username": name, "password": password, "next": "/calls"}
    )
    if r.status_code != 303:
        raise RuntimeError(f"login {name}: HTTP {r.status_code}")
    calls = client.get(f"{base}/calls")
    return re.search(r'name="csrf" value="([^"]+)"', calls.text).group(1)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Sample:
    """One request. Attributes: kind, seconds, ok."""

    kind: str
    seconds: float
    ok: bool


def session_loop(
    client,  # noqa: ANN001 - a logged-in httpx.Client
    base: str,
    *,
    start: threading.Barrier,
    seconds: float,
    think: float,
    seed: int,
    n_calls: int,
    out: list[Sample],
    lock: threading.Lock,
) -> None:
    """One reviewer: list (random filter/sort/page), a call page, its JSON, for ``seconds`` after every
    session passed ``start``."""
    rng = random.Random(seed)
    start.wait()
    until = time.monotonic() + seconds
    mine: list[Sample] = []
    try:
        while time.monotonic() < until:
            params: dict[str, str] = {
                "sort": rng.choice(["date", "score", "agent", "call"]),
                "order": rng.choice(["asc", "desc"]),
                "page": str(rng.randint(1, 20)),
            }
            pick = rng.random()
            if pick < 0.3:
                params["agent"] = f"agent{rng.randrange(40):02d}"
            elif pick < 0.5:
                params["team"] = rng.choice(TEAMS)
            elif pick < 0.65:
                params["failed_item"] = f"item_{rng.randrange(20):02d}"
            elif pick < 0.75:
                params["score_min"], params["score_max"] = "40", "80"
            elif pick < 0.85:
                params["critical"] = "yes"
            cid = f"call{rng.randrange(n_calls):05d}"
            for kind, url in (
                ("list", f"{base}/calls?{urllib.parse.urlencode(params)}"),
                ("call", f"{base}/calls/{cid}"),
                ("api", f"{base}/api/calls/{cid}"),
            ):
                if time.monotonic() >= until:
                    break
                t0 = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except Exception:
                    ok = False
                mine.append(Sample(kind, time.perf_counter() - t0, ok))
                if think:
                    time.sleep(think * rng.uniform(0.5, 1.5))
    finally:
        client.close()
    with lock:
        out.extend(mine)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``, nearest rank."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def summarise(samples: Sequence[Sample], wall: float) -> dict[str, object]:
    """p50/p95/max (ms) per kind and overall, errors and request rate."""
    out: dict[str, object] = {
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "rate_per_s": round(len(samples) / wall, 1) if wall else 0.0,
    }
    for kind in ("all", "list", "call", "api"):
        xs = [s.seconds for s in samples if kind == "all" or s.kind == kind]
        if xs:
            out[kind] = {
                "n": len(xs),
                "p50_ms": round(1000 * statistics.median(xs), 1),
                "p95_ms": round(1000 * percentile(xs, 0.95), 1),
                "max_ms": round(1000 * max(xs), 1),
            }
    return out


def run(*, url: str, calls: int, sessions: int, seconds: float, think: float) -> dict[str, object]:
    """Build (when empty), serve and load the store at ``url``; the summary dict."""
    from callscore.results.store import open_store

    with open_store(url) as st:
        have = len(st.done_keys())
    build_s = build_store(url, calls=calls) if have < calls else 0.0
    with contextlib.suppress(subprocess.CalledProcessError):  # exists from an earlier run
        add_user(url, "loadqa", "qa")
    import httpx

    server = Server(url)
    clients: list[httpx.Client] = []
    try:
        # Log every session in first, a few at a time as people arrive (each login is an Argon2 hash,
        # deliberately slow); login time is reported apart from browsing.
        login_times: list[float] = []
        login_errors = 0
        for _ in range(sessions):
            c = httpx.Client(timeout=30.0)
            t = time.perf_counter()
            try:
                login(c, server.base, "loadqa")
                clients.append(c)
                login_times.append(time.perf_counter() - t)
            except Exception:
                login_errors += 1
                c.close()
        samples: list[Sample] = []
        lock = threading.Lock()
        start = threading.Barrier(len(clients) + 1)
        threads = [
            threading.Thread(
                target=session_loop,
                args=(c, server.base),
                kwargs={
                    "start": start,
                    "seconds": seconds,
                    "think": think,
                    "seed": k,
                    "n_calls": calls,
                    "out": samples,
                    "lock": lock,
                },
            )
            for k, c in enumerate(clients)
        ]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
    finally:
        for c in clients:
            c.close()
        server.stop()
    summary = summarise(samples, wall)
    summary["errors"] = int(summary["errors"]) + login_errors  # type: ignore[call-overload]
    summary["login_p50_ms"] = round(1000 * statistics.median(login_times), 1) if login_times else None
    summary.update(
        {
            "calls": calls,
            "sessions": sessions,
            "seconds": seconds,
            "think_s": think,
            "build_store_s": round(build_s, 1),
            "store": url.split("@")[-1],
        }
    )
    return summary


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default="", help="store URL (default: a new SQLite file in a temp folder)")
    p.add_argument("--calls", type=int, default=10_000)
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--think", type=float, default=1.0, help="pause between a session's requests (s)")
    p.add_argument("--json", default="", help="also write the summary here")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run and print; exit 1 when p95 >= 300 ms, list p95 >= 200 ms or any request failed."""
    a = parse_args(argv)
    # In memory when the machine has /dev/shm: 10,000 one-transaction writes then cost no disk syncs.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="callscore-load-", dir=shm) as tmp:
        url = a.db or str(Path(tmp) / "load.sqlite")
        s = run(url=url, calls=a.calls, sessions=a.sessions, seconds=a.seconds, think=a.think)
    print(
        f"{s['calls']} calls, {s['sessions']} sessions, {s['seconds']:g} s, think {s['think_s']:g} s "
        f"(store built in {s['build_store_s']} s)"
    )
    for kind in ("list", "call", "api", "all"):
        k = s.get(kind)
        if isinstance(k, dict):
            print(
                f"  {kind:<5} n={k['n']:<6} p50 {k['p50_ms']:>7.1f} ms  p95 {k['p95_ms']:>7.1f} ms  "
                f"max {k['max_ms']:>7.1f} ms"
            )
    print(
        f"  requests {s['requests']}, errors {s['errors']}, {s['rate_per_s']} req/s; "
        f"login p50 {s['login_p50_ms']} ms (one at a time, before the timed run)"
    )
    if a.json:
        Path(a.json).write_text(json.dumps(s, indent=2))
    overall, lst = s.get("all"), s.get("list")
    ok = (
        isinstance(overall, dict)
        and overall["p95_ms"] < 300
        and isinstance(lst, dict)
        and lst["p95_ms"] < 200
        and s["errors"] == 0
    )
    print("targets (p95 < 300 ms, list p95 < 200 ms, 0 errors):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
