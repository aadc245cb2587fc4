"""Writing and hashing files: the one atomic writer and the one sha256 helper of callscore.

Every file callscore writes goes through :func:`write_atomic` (a temp file in the target folder, fsync,
rename), so an interrupted run never leaves half a file behind. Files that hold what was said on a call
(transcripts, scorecards, reports, batch summaries) are personal data and are written owner-only (0600);
everything else (model files, exports of aggregate figures, JUnit verdicts) gets 0644.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PUBLIC_MODE = 0o644  # readable by the team
PRIVATE_MODE = 0o600  # personal data: what a customer said, how an agent was rated
CHUNK = 1 << 20  # bytes read at a time when hashing: long recordings never fill memory


def write_atomic(path: str | os.PathLike[str], fill: Callable[[Path], Any], *, private: bool) -> Path:
    """Let ``fill(tmp)`` write a temp file next to ``path``, fix its mode, then rename it into place.

    ``private`` makes the file 0600 (personal data), else 0644. The temp file is removed when ``fill``
    raises, so a failed write leaves the old file (or none) behind.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        fill(tmp)
        os.chmod(tmp, PRIVATE_MODE if private else PUBLIC_MODE)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, *, private: bool = True) -> Path:
    """Write ``text`` (UTF-8) atomically; private (0600) unless ``private=False``."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), private=private)


def file_sha256(path: str | os.PathLike[str], *, chunk: int = CHUNK) -> str:
    """sha256 of a file's bytes, read in chunks so long recordings do not fill memory."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()
