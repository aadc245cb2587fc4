"""The model manifest and the offline assembly of the bundled Whisper weights.

The default model ships split across two PyPI wheels (PyPI caps file sizes). On first use the parts are
concatenated into a cache folder, checksummed against ``models/manifest.yaml`` and only then handed to a
backend: a corrupt or tampered file is refused, never silently used.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from dataclasses import dataclass, field
from importlib import util as importlib_util
from pathlib import Path
from typing import Any

import yaml

from callscore.errors import ModelError
from callscore.files import file_sha256, write_atomic
from callscore.resources import data_dir

CACHE_ENV = "CALLSCORE_CACHE_DIR"  # overrides the whole cache root
MODEL_DIR_ENV = "CALLSCORE_MODEL_DIR"  # extra folder searched for <model name>/ directories
CHUNK = 1 << 20  # bytes read at a time when hashing or copying


@dataclass(frozen=True)
class ModelSpec:
    """One entry of the manifest.

    Attributes:
        name: Short name used on the command line (``whisper-base``).
        description: One line for ``callscore models``.
        format: Weight format (``ctranslate2``).
        license: Licence of the weights.
        pip_files: Assembled file name -> ordered part paths (``package/relative/path``) inside wheels.
        pip_packages: The PyPI packages that carry the parts.
        hub: Hugging Face repo id for users with internet, or "".
        sha256: Assembled file name -> expected sha256.
        size_bytes: Assembled file name -> expected size (checked before hashing, cheap).
    """

    name: str
    description: str = ""
    format: str = "ctranslate2"
    license: str = ""
    pip_files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pip_packages: tuple[str, ...] = ()
    hub: str = ""
    sha256: dict[str, str] = field(default_factory=dict)
    size_bytes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelStatus:
    """Whether a model can be used right now, offline.

    Attributes:
        spec: The manifest entry.
        ready: True when the weights are available without network access.
        where: Folder with the weights, or "" when not available.
        detail: Why it is or is not ready, one line.
    """

    spec: ModelSpec
    ready: bool
    where: str
    detail: str


def cache_root() -> Path:
    """Cache root: $CALLSCORE_CACHE_DIR, else $XDG_CACHE_HOME/callscore, else ~/.cache/callscore."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "callscore"


def manifest_path() -> Path:
    """Path of the shipped model manifest."""
    return data_dir("models") / "manifest.yaml"


@functools.lru_cache(maxsize=4)
def load_manifest(path: str | None = None) -> tuple[tuple[ModelSpec, ...], str]:
    """Parse the manifest: (model specs, default model name)."""
    p = Path(path) if path else manifest_path()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ModelError(f"{p}: cannot read the model manifest ({e})") from e
    specs = tuple(_spec(entry, p) for entry in data.get("models", ()))
    return specs, str(data.get("default", specs[0].name if specs else ""))


def _spec(entry: dict[str, Any], p: Path) -> ModelSpec:
    try:
        source = entry.get("source", {})
        pip = source.get("pip", {})
        return ModelSpec(
            name=entry["name"],
            description=entry.get("description", ""),
            format=entry.get("format", "ctranslate2"),
            license=entry.get("license", ""),
            pip_files={k: tuple(v) for k, v in pip.get("files", {}).items()},
            pip_packages=tuple(pip.get("packages", ())),
            hub=source.get("hub", ""),
            sha256=dict(entry.get("sha256", {})),
            size_bytes={k: int(v) for k, v in entry.get("size_bytes", {}).items()},
        )
    except (KeyError, TypeError, AttributeError) as e:
        raise ModelError(f"{p}: malformed model entry {entry!r} ({e})") from e


def get_spec(name: str | None = None) -> ModelSpec:
    """Manifest entry by name (None: the default model)."""
    specs, default = load_manifest()
    wanted = name or default
    for s in specs:
        if s.name == wanted:
            return s
    known = ", ".join(s.name for s in specs)
    raise ModelError(f"unknown model {wanted!r} (known: {known}; or pass a model folder path)")


def default_model_name() -> str:
    """Name of the default (bundled) model."""
    return load_manifest()[1]


def _part_path(part: str) -> Path:
    """Locate ``package/relative/path`` inside an installed package without importing it."""
    package, _, rel = part.partition("/")
    found = importlib_util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise ModelError(f"model part {part!r}: package {package!r} is not installed")
    return Path(next(iter(found.submodule_search_locations))) / rel


def assembled_dir(spec: ModelSpec) -> Path:
    """Where the assembled CTranslate2 folder of ``spec`` lives in the cache."""
    return cache_root() / "models" / spec.name


def verify_file(path: Path, spec: ModelSpec, name: str) -> None:
    """Refuse ``path`` unless its size and sha256 match the manifest."""
    size = spec.size_bytes.get(name)
    if size is not None and path.stat().st_size != size:
        raise ModelError(
            f"{path}: size {path.stat().st_size} bytes, expected {size}: corrupt or tampered model file; "
            f"delete {path.parent} and run again to re-assemble it"
        )
    want = spec.sha256.get(name)
    if want and (got := file_sha256(path)) != want:
        raise ModelError(
            f"{path}: sha256 {got[:12]}… does not match the manifest ({want[:12]}…): corrupt or tampered "
            f"model file; delete {path.parent} and run again to re-assemble it"
        )


def assemble(spec: ModelSpec, *, target: Path | None = None) -> Path:
    """Concatenate the pip-shipped parts of ``spec`` into ``target`` (default: the cache), verified.

    Each file is written to a temp name, checked, then renamed, so an interrupted run leaves nothing
    half-written behind.
    """
    if not spec.pip_files:
        raise ModelError(f"model {spec.name!r} is not shipped in pip packages")
    out = target or assembled_dir(spec)
    out.mkdir(parents=True, exist_ok=True)
    missing = [name for name in spec.pip_files if not (out / name).exists()]
    if missing:
        # First use on this machine: a few seconds of silence would look like a hang.
        sys.stderr.write(
            f"callscore: first use: assembling the {spec.name} weights from their pip packages into {out} "
            "and checking them against the pinned sha256 (once per machine)...\n"
        )
        sys.stderr.flush()
    for name, parts in spec.pip_files.items():
        final = out / name
        if final.exists():
            continue

        def fill(tmp: Path, name: str = name, parts: tuple[str, ...] = tuple(parts)) -> None:
            with open(tmp, "wb") as dst:
                for part in parts:
                    with open(_part_path(part), "rb") as src:
                        shutil.copyfileobj(src, dst, CHUNK)
            verify_file(tmp, spec, name)

        try:
            write_atomic(final, fill, private=False)  # model weights: no personal data
        except OSError as e:
            raise ModelError(f"cannot assemble {spec.name} into {out}: {e}") from e
    return out


@functools.lru_cache(maxsize=8)
def resolve_model_dir(name_or_path: str | None = None) -> Path:
    """A verified local CTranslate2 folder for a model name or path; assembles the bundled one once.

    Lookup order: an existing folder path; $CALLSCORE_MODEL_DIR/<name>; pip-shipped parts (assembled and
    checksummed into the cache); the Hugging Face cache (no download). Verified once per process.
    """
    if name_or_path and Path(name_or_path).expanduser().is_dir():
        return Path(name_or_path).expanduser()
    spec = get_spec(name_or_path)
    status = model_status(spec)
    if not status.ready:
        raise ModelError(f"model {spec.name!r} is not available offline: {status.detail}")
    where = Path(status.where)
    if spec.pip_files and where == assembled_dir(spec):
        assemble(spec)
        for name in spec.pip_files:
            verify_file(where / name, spec, name)
    return where


def model_status(spec: ModelSpec, *, verify: bool = False) -> ModelStatus:
    """Find ``spec``'s weights offline, without assembling or downloading anything.

    With ``verify``, assembled weights are also checked against the manifest (size, then sha256: about a
    second for the bundled model), so a tampered or truncated file, which :func:`resolve_model_dir`
    refuses, is reported as not ready rather than "assembled".
    """
    if os.environ.get(MODEL_DIR_ENV):
        local = Path(os.environ[MODEL_DIR_ENV]).expanduser() / spec.name
        if (local / "model.bin").is_file():
            return ModelStatus(spec, True, str(local), f"local folder {local}")
    if spec.pip_files:
        cached = assembled_dir(spec)
        if all((cached / n).is_file() for n in spec.pip_files):
            if verify:
                try:
                    for name in spec.pip_files:
                        verify_file(cached / name, spec, name)
                except (ModelError, OSError) as e:
                    return ModelStatus(spec, False, "", str(e))
            return ModelStatus(spec, True, str(cached), f"assembled in {cached}")
        missing = [p for p in spec.pip_packages if importlib_util.find_spec(p.replace("-", "_")) is None]
        if missing:
            return ModelStatus(spec, False, "", f"pip packages missing: {', '.join(missing)}")
        return ModelStatus(spec, True, str(cached), "shipped in pip packages (assembled on first use)")
    if spec.hub:
        hf = _hub_cache_dir(spec.hub)
        if hf is not None:
            return ModelStatus(spec, True, str(hf), f"found in the Hugging Face cache ({spec.hub})")
        return ModelStatus(
            spec,
            False,
            "",
            f"not downloaded: fetch {spec.hub} once on a machine with internet, then "
            f"put it in ${MODEL_DIR_ENV}/{spec.name} or pass --model DIR",
        )
    return ModelStatus(spec, False, "", "no source in the manifest")


def _hub_cache_dir(repo_id: str) -> Path | None:
    """Folder of an already-downloaded hub snapshot, looked up in the local cache only."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    hit = try_to_load_from_cache(repo_id, "model.bin")
    return Path(hit).parent if isinstance(hit, str) else None


def list_models(*, verify: bool = True) -> list[ModelStatus]:
    """Status of every model in the manifest; ``verify`` checks assembled weights (see
    :func:`model_status`), as ``callscore models`` must never call ready what scoring would refuse."""
    return [model_status(s, verify=verify) for s in load_manifest()[0]]
