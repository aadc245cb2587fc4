"""Find the data shipped with callscore (built-in rubrics, per-language data, the model manifest).

In a wheel they live in ``callscore/_data/`` (mapped there by pyproject); in a source checkout they are the
top-level ``rubrics/`` and ``models/`` folders. Both are found the same way so that tests can check either.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from callscore.errors import LanguageDataError

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


# Language data (role cues, back-channels, the informal-word lexicon) lives in per-language YAML files next
# to the rubrics, ``rubrics/lang/<code>/<name>.yaml``, so a new language or a customer's dialect needs no
# code.
DEFAULT_LANGUAGES = ("id", "en")  # Indonesian first; the order in which cues of several languages combine


@functools.cache
def language_data(language: str, name: str) -> dict[str, Any]:
    """The mapping in ``rubrics/lang/<language>/<name>.yaml`` (parsed once per process).

    Raises ``LanguageDataError`` naming the file when it is missing or not a YAML mapping.
    """
    path = data_dir("rubrics") / "lang" / language / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LanguageDataError(f"{path}: cannot read language data ({e.strerror or e})") from e
    except yaml.YAMLError as e:
        raise LanguageDataError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise LanguageDataError(f"{path}: expected a mapping at the top level")
    return data


def has_language_data(language: str, name: str) -> bool:
    """True when ``rubrics/lang/<language>/<name>.yaml`` is shipped."""
    return (data_dir("rubrics") / "lang" / language / f"{name}.yaml").is_file()
