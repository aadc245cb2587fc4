"""Scorecard writers for people and machines: ``table`` (terminal), ``json``, ``md`` (Markdown), ``html``.

Each format is one module with a pure ``render(*, scorecard, transcript=None, timeline=None,
audio_path=None, ...) -> str`` and a ``write(path, *, ...)`` that writes the same text atomically. Look a
writer up by name, as openai-whisper's ``get_writer`` does::

    from callscore.render import get_writer, render_call
    get_writer("html").write("out/call1.html", scorecard=card, transcript=t, audio_path="call1.wav")
    print(render_call("table", scorecard=card))

Writer modules load on first use, so ``import callscore.render`` stays light.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callscore.errors import CallscoreError

if TYPE_CHECKING:
    from callscore.scorecard import Scorecard
    from callscore.timeline.model import Timeline
    from callscore.transcript.model import Transcript

FORMATS = ("table", "json", "html", "md")

_MODULES = {
    "table": ("callscore.render.table", "txt", "Rich terminal view of the scorecard"),
    "json": ("callscore.render.json_out", "json", "Scorecard JSON (docs/scorecard-schema.md)"),
    "html": ("callscore.render.html.report", "html", "Self-contained HTML report for agents"),
    "md": ("callscore.render.markdown", "md", "Markdown report"),
}


@dataclass(frozen=True)
class Writer:
    """One output format.

    Attributes:
        fmt: Format name, one of ``FORMATS``.
        extension: File extension without the dot ("html", "md", ...).
        description: One line for help texts.
        module: Import path of the module holding ``render`` and ``write``.
    """

    fmt: str
    extension: str
    description: str
    module: str

    def render(
        self,
        *,
        scorecard: Scorecard,
        transcript: Transcript | None = None,
        timeline: Timeline | None = None,
        audio_path: str | os.PathLike[str] | None = None,
        **options: Any,
    ) -> str:
        """The output as text; ``options`` are the format's own keywords (see its module)."""
        mod = importlib.import_module(self.module)
        text: str = mod.render(
            scorecard=scorecard, transcript=transcript, timeline=timeline, audio_path=audio_path, **options
        )
        return text

    def write(
        self,
        path: str | os.PathLike[str],
        *,
        scorecard: Scorecard,
        transcript: Transcript | None = None,
        timeline: Timeline | None = None,
        audio_path: str | os.PathLike[str] | None = None,
        **options: Any,
    ) -> Path:
        """Write the output to ``path`` atomically (temp file + rename) and return the path."""
        mod = importlib.import_module(self.module)
        out: Path = mod.write(
            path,
            scorecard=scorecard,
            transcript=transcript,
            timeline=timeline,
            audio_path=audio_path,
            **options,
        )
        return out

    def default_path(self, folder: str | os.PathLike[str], call_id: str) -> Path:
        """``folder/<call_id>.<extension>``; a call id that would land outside ``folder`` is refused."""
        return confined_path(folder, f"{call_id}.{self.extension}")


def confined_path(folder: str | os.PathLike[str], name: str) -> Path:
    """``folder/name``, refusing a ``name`` (from a scorecard's call id) that is not one plain file name.

    ``../x``, ``/etc/x``, ``a/b`` or a name with control characters would write outside the output folder
    (or make a file no one can type), so they raise a one-line CallscoreError instead.
    """
    bad = (
        not name
        or name.startswith(".")
        or any(sep in name for sep in ("/", "\\", "\x00"))
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        or os.path.isabs(name)
    )
    base = Path(folder)
    target = base / name
    if not bad and target.resolve().parent != base.resolve():
        bad = True
    if bad:
        raise CallscoreError(f"call id {name!r} is not a plain file name: refusing to write outside {base}")
    return target


def get_writer(fmt: str) -> Writer:
    """The writer for ``fmt`` (one of ``FORMATS``); unknown names raise a one-line CallscoreError."""
    key = fmt.strip().lower()
    if key == "markdown":
        key = "md"
    if key not in _MODULES:
        raise CallscoreError(f"unknown output format {fmt!r} (choose one of: {', '.join(FORMATS)})")
    module, ext, description = _MODULES[key]
    return Writer(fmt=key, extension=ext, description=description, module=module)


def render_call(
    fmt: str,
    *,
    scorecard: Scorecard,
    transcript: Transcript | None = None,
    timeline: Timeline | None = None,
    audio_path: str | os.PathLike[str] | None = None,
    **options: Any,
) -> str:
    """Render one scored call in ``fmt``; formats that show transcript, timeline or audio use them."""
    return get_writer(fmt).render(
        scorecard=scorecard, transcript=transcript, timeline=timeline, audio_path=audio_path, **options
    )


__all__ = ["FORMATS", "Writer", "confined_path", "get_writer", "render_call"]
