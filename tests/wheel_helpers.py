"""Build the wheel, install it into a folder of its own and run code against only that copy.

The shipped data (rubrics, language data, model manifest, sentiment models, templates) must be found from
an installed wheel, not only from the checkout: these are the steps every such test takes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(out: Path) -> Path:
    """``pip wheel`` of the checkout into ``out``; the wheel's path."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (whl,) = out.glob("callscore-*.whl")
    return whl


def install_wheel(wheel: Path, target: Path) -> Path:
    """Install ``wheel`` (no dependencies) into ``target``, a folder to put on PYTHONPATH."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
    )
    return target


def run_installed(code: str, *, site: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with only ``site`` on the path, from ``cwd`` (outside the checkout)."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env={"PYTHONPATH": str(site)}, capture_output=True, text=True
    )
