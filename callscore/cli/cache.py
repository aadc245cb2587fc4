"""``callscore cache``: what the local cache holds, and ``cache clear`` to remove the cached transcripts.

Cached transcripts are what was said on the calls (clear text when scored with ``--redact none``), so a
contact centre must be able to drop them in one command; the model files are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
app = typer.Typer(
    help="The local cache: cached transcripts (personal data) and model files.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    """Add ``cache`` (``cache info``, ``cache clear``) to ``root``."""
    root.add_typer(app, name="cache")


@dataclass(frozen=True)
class CacheClear:
    """What ``cache clear`` removed.

    Attributes:
        folder: The transcript cache folder.
        files: Transcript files removed.
        bytes: Their total size.
        redacted: How many of them held redacted text (placeholders), the rest clear text.
    """

    folder: Path
    files: int
    bytes: int
    redacted: int


def transcript_dir() -> Path:
    """The folder cached transcripts live in (``$CALLSCORE_CACHE_DIR/transcripts``)."""
    from callscore.transcript.transcribe import cache_path

    return cache_path("x").parent


def _is_redacted(path: Path) -> bool:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(data.get("info", {}).get("options", {}).get("redaction"), dict)
    except (OSError, ValueError, AttributeError):
        return False


def clear_transcripts(*, dry_run: bool = False) -> CacheClear:
    """Remove every cached transcript (and leftover temp files of interrupted writes); models stay."""
    folder = transcript_dir()
    files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    size = sum(p.stat().st_size for p in files)
    redacted = sum(1 for p in files if p.suffix == ".json" and _is_redacted(p))
    if not dry_run:
        for p in files:
            p.unlink(missing_ok=True)
    return CacheClear(folder=folder, files=len(files), bytes=size, redacted=redacted)


@app.command("clear")
def clear_cmd(
    dry_run: Annotated[bool, typer.Option(help="Only say what would be removed.")] = False,
) -> None:
    """Remove the cached transcripts (what was said on the calls); model files are kept."""
    done = clear_transcripts(dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    console.print(
        f"{verb} {done.files} cached transcript file(s), {done.bytes / 1024:.1f} KiB "
        f"({done.redacted} redacted, {done.files - done.redacted} clear text) from {done.folder}",
        markup=False,
    )


@app.command("info")
def info_cmd() -> None:
    """Where the cache is and how many transcripts it holds."""
    done = clear_transcripts(dry_run=True)
    console.print(
        f"{done.folder}: {done.files} cached transcript file(s), {done.bytes / 1024:.1f} KiB "
        f"({done.redacted} redacted, {done.files - done.redacted} clear text)",
        markup=False,
    )
