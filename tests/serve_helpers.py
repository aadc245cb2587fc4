"""Helpers for the review-app tests: a small store with known calls, users, a real server process."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from batch_helpers import make_card

from callscore.results.store import open_store
from callscore.scorecard import scorecard_to_json
from callscore.serve.auth import add_user
from callscore.serve.db import Database

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "test-password-1"
USERS = (  # name, role, agent id
    ("admin1", "admin", None),
    ("qa1", "qa", None),
    ("qa2", "qa", None),
    ("agent1", "agent", "a1"),
    ("agent2", "agent", "a2"),
)


def load_bench():
    """benchmarks/serve_load.py as a module (its Server, login and store builder)."""
    if "serve_load" in sys.modules:
        return sys.modules["serve_load"]
    spec = importlib.util.spec_from_file_location("serve_load", REPO / "benchmarks" / "serve_load.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["serve_load"] = mod
    spec.loader.exec_module(mod)
    return mod


def write_tone(path: Path, seconds: float = 4.0, sr: int = 16000) -> Path:
    """A 16-bit PCM stereo WAV of a 440 Hz tone (left) and 660 Hz (right), playable by any browser."""
    t = np.arange(int(seconds * sr)) / sr
    y = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 660 * t)], axis=1)
    sf.write(path, y.astype(np.float32), sr, subtype="PCM_16")
    return path


@dataclass(frozen=True)
class Fixture:
    """A store ready to serve. Attributes: url, folder, recording (the WAV of call c001)."""

    url: str
    folder: Path
    recording: Path


def build_fixture(url: str, folder: Path) -> Fixture:
    """12 calls: c001-c006 agent a1 (team billing), c007-c012 agent a2 (team network), known failures.

    c001's source is a real WAV with its scorecard JSON beside the store; c002 was scored from a
    transcript JSON (tests/data/short_stereo.json) whose recording sits beside it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rec = write_tone(folder / "c001.wav")
    shutil.copy(REPO / "tests" / "data" / "short_stereo.wav", folder / "short_stereo.wav")
    tjson = folder / "c002.json.d" / "short_stereo.json"
    tjson.parent.mkdir(exist_ok=True)
    data = json.loads((REPO / "tests" / "data" / "short_stereo.json").read_text())
    data["audio"]["path"] = str(folder / "short_stereo.wav")
    tjson.write_text(json.dumps(data))
    fails = {
        "c001": ("greeting",),
        "c002": ("closing",),
        "c003": (),
        "c004": ("no_abuse",),
        "c005": ("verify",),
        "c006": (),
        "c007": ("greeting", "closing"),
        "c008": (),
        "c009": ("verify",),
        "c010": (),
        "c011": ("no_abuse",),
        "c012": ("greeting",),
    }
    with open_store(url) as st:
        for n, (cid, fail) in enumerate(fails.items()):
            agent = "a1" if n < 6 else "a2"
            src = {"c001": str(rec), "c002": str(tjson)}.get(cid, f"/nowhere/{cid}.wav")
            card = make_card(cid, source=src, fail=fail, sha=f"{n:064x}")
            if cid == "c001":
                (folder / "c001.json").write_text(scorecard_to_json(card))
            st.save_call(
                card,
                model="m",
                agent=agent,
                team="billing" if agent == "a1" else "network",
                call_date=f"2026-11-{10 + n:02d}",
            )
    db = Database(url)
    for name, role, agent_id in USERS:
        add_user(db, username=name, role=role, password=PASSWORD, agent_id=agent_id)
    db.close()
    return Fixture(url, folder, rec)


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def message_of(html: str) -> str:
    """The message of an error page."""
    m = re.search(r'<p class="message">(.*?)</p>', html, re.S)
    return m.group(1).strip() if m else ""


# -- PostgreSQL that can be stopped and started again (an outage) ----------------------------------------
def restartable_postgres():
    """batch_helpers.PostgresServer with ``halt()`` (the database goes away) and ``resume()``."""
    from batch_helpers import PostgresServer, pg_bindir

    class RestartablePostgres(PostgresServer):
        def halt(self) -> None:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

        def resume(self) -> None:
            opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
            self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")

    return RestartablePostgres(pg_bindir())
