"""Find the data shipped with callscore (built-in rubrics, the model manifest).

In a wheel they live in ``callscore/_data/`` (mapped there by pyproject); in a source checkout they are the
top-level ``rubrics/`` and ``models/`` folders. Both are found the same way so that tests can check either.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Directory of shipped data ``name`` (``"rubrics"`` or ``"models"``)."""
    packaged = resources.files("callscore") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = _REPO_ROOT / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"callscore data folder {name!r} not found (broken install?)")
