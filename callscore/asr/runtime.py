"""What the ASR ran on: library versions and the CPU path, recorded in every transcript and scorecard.

int8 decoding differs between CPU paths (CTranslate2's instruction set and oneDNN vs Intel MKL), so the
same recording can be transcribed differently on another machine (docs/backends.md). A scorecard is a
record an agent may contest; to reproduce it one needs the versions and the path it ran with, and can then
force the same path with ``CT2_FORCE_CPU_ISA`` / ``CT2_USE_MKL``.

CTranslate2 says which path it chose only in its INFO log, once per process, when the first model loads.
:func:`capture_ct2_cpu_path` wraps that load: it raises the log level and points file descriptor 2 at a
temporary file for the duration (the log is written by C++ straight to fd 2), then gives back everything
that was not a CTranslate2 line. The parsed path is cached for the process.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from typing import Any, TypeVar

T = TypeVar("T")

# Libraries whose versions change what the ASR hears, per backend (distribution names).
LIBRARIES = {
    "faster-whisper": ("faster-whisper", "ctranslate2", "onnxruntime", "av", "numpy"),
    "openai-whisper": ("openai-whisper", "torch", "numpy"),
    "transformers": ("transformers", "torch", "numpy"),
}
ENV_VARS = ("CT2_FORCE_CPU_ISA", "CT2_USE_MKL", "OMP_NUM_THREADS")
_CT2_LINE = re.compile(r"\[ctranslate2\].*?\[(?:info|debug|trace)\]\s*(.*)$")
_FIELDS = {
    "cpu": re.compile(r"^CPU:\s*(.+)$"),
    "isa": re.compile(r"^- Selected ISA:\s*(\S+)"),
    "mkl": re.compile(r"^- Use Intel MKL:\s*(\S+)"),
    "sgemm": re.compile(r"^- SGEMM backend:\s*(\S+)"),
    "gemm_s8": re.compile(r"^- GEMM_S8 backend:\s*(\S+)"),
    "compute_type": re.compile(r"^- Selected compute type:\s*(\S+)"),
}
_ct2_path: dict[str, Any] | None = None  # parsed once per process


def library_versions(backend: str) -> dict[str, str]:
    """Installed versions of the libraries ``backend`` decodes with ("" for one that is not installed)."""
    out = {"python": sys.version.split()[0]}
    for name in LIBRARIES.get(backend, ()):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def parse_ct2_log(text: str) -> dict[str, Any]:
    """The CPU path CTranslate2 reported in its INFO log ``text`` (fields it did not report are absent).

    ``isa`` is the selected instruction set (GENERIC, AVX, AVX2, AVX512), ``mkl`` whether Intel MKL is
    used, ``sgemm``/``gemm_s8`` the float and int8 matrix-product backends (MKL, DNNL = oneDNN, ...).
    """
    out: dict[str, Any] = {}
    for line in text.splitlines():
        m = _CT2_LINE.search(line)
        if not m:
            continue
        msg = m.group(1).strip()
        for key, pattern in _FIELDS.items():
            found = pattern.match(msg)
            if found and key not in out:
                value = found.group(1).strip()
                out[key] = value.lower() == "true" if key == "mkl" else value
    if "sgemm" in out or "mkl" in out:
        out["matmul"] = "MKL" if out.get("mkl") else "oneDNN"
    return out


@contextmanager
def _fd2_to_file(sink: list[str]) -> Iterator[None]:
    """Point fd 2 at a temporary file; on exit append what was written there to ``sink``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            sink.append(tmp.read().decode("utf-8", errors="replace"))


def capture_ct2_cpu_path(load: Callable[[], T]) -> T:
    """Run ``load`` (which loads a CTranslate2 model) and remember the CPU path it reported.

    Only the first call per process captures (CTranslate2 reports once); later calls just run ``load``.
    Whatever else was written to stderr meanwhile is written back.
    """
    global _ct2_path
    if _ct2_path is not None:
        return load()
    import ctranslate2

    level = ctranslate2.get_log_level()
    sink: list[str] = []
    ctranslate2.set_log_level(logging.INFO)
    loaded = False
    try:
        with _fd2_to_file(sink):
            result = load()
        loaded = True
        return result
    finally:
        ctranslate2.set_log_level(level)
        text = "".join(sink)
        if loaded:  # a failed load is tried (and captured) again next time
            _ct2_path = parse_ct2_log(text)
        other = [ln for ln in text.splitlines() if "[ctranslate2]" not in ln]
        if other:
            sys.stderr.write("\n".join(other) + "\n")


def ct2_cpu_path() -> dict[str, Any]:
    """The CPU path captured in this process ({} before the first CTranslate2 model loaded)."""
    return dict(_ct2_path or {})


def _torch_path() -> dict[str, Any]:
    try:
        import torch
    except ImportError:
        return {}
    out: dict[str, Any] = {"threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available()}
    cpu = getattr(torch.backends, "cpu", None)
    if cpu is not None and hasattr(cpu, "get_cpu_capability"):
        out["isa"] = cpu.get_cpu_capability()
    out["mkl"] = torch.backends.mkl.is_available()
    return out


def asr_runtime(
    *, backend: str, device: str, cpu_threads: int, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Versions and CPU path of one ASR run, as plain JSON for ``TranscriptionInfo.runtime``.

    Parameters
    ----------
    backend : backend name ("faster-whisper", "openai-whisper", "transformers")
    device : device asked for ("cpu", "cuda", "auto")
    cpu_threads : threads asked for (0 = the library's default)
    env : environment to read the forcing variables from (default ``os.environ``)
    """
    environ = os.environ if env is None else env
    path: dict[str, Any] = {"device": device, "cpu_threads": cpu_threads, "cpu_count": os.cpu_count() or 0}
    if backend == "faster-whisper":
        path.update(ct2_cpu_path())
    elif backend in ("openai-whisper", "transformers"):
        path.update(_torch_path())
    return {
        "libraries": library_versions(backend),
        "cpu_path": path,
        "env": {k: environ[k] for k in ENV_VARS if k in environ},
    }
