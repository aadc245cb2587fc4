"""Expand command-line inputs (files, folders, globs) into the calls to process."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from .audio import SUPPORTED_EXTENSIONS

TRANSCRIPT_MARK = b'"callscore.transcript"'  # schema name near the top of every transcript JSON


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to process, in a stable order, and one-line problems for inputs that match nothing.

    Folders are searched recursively for audio and transcript JSON; globs are expanded; a file given
    explicitly is kept whatever its extension, so that a non-audio file gets its own clear error later.
    """
    files: list[Path] = []
    problems: list[str] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and _is_call_file(f))
            if not found:
                problems.append(f"{p}: folder holds no audio or transcript files")
            files.extend(found)
        elif p.exists():
            files.append(p)
        elif glob.has_magic(str(raw)):
            matched = sorted(Path(m) for m in glob.glob(str(raw), recursive=True) if Path(m).is_file())
            if not matched:
                problems.append(f"{raw}: no file matches")
            files.extend(matched)
        else:
            files.append(p)  # reported as "file not found" by the loader, in order with the others
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


def _is_call_file(path: Path) -> bool:
    """Audio by extension; JSON only when it is a callscore transcript (folders hold other JSON too)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        with open(path, "rb") as f:
            return TRANSCRIPT_MARK in f.read(256)
    return suffix in SUPPORTED_EXTENSIONS
