#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian/Ubuntu machine: system tools (espeak-ng and
# sox make test audio, chromium renders the HTML reports, postgresql backs the results-store tests) and a
# virtual environment in .venv with callscore and all its backends.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(espeak-ng sox libsox-fmt-all chromium postgresql)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q -c constraints.txt --upgrade pip
# torch is pinned to 2.13.0 by the extras (a plain "torch" would pull a multi-GB CUDA build).
# constraints.txt pins every package to the version the suite last passed with (scripts/update-constraints.sh).
PIP=(.venv/bin/python -m pip install -q -c constraints.txt)
"${PIP[@]}" -e '.[dev,transformers,postgres,parquet,ray,serve,serve-test,bench]'
# openai-whisper declares triton (1 GB, GPU only) for Linux; the CPU path needs none of it.
"${PIP[@]}" --no-deps 'openai-whisper==20250625'
"${PIP[@]}" tiktoken more-itertools tqdm numba
# Test-only tools for the two equivalence tests (tests/test_voice_encoder.py against resemblyzer,
# tests/test_prosody.py against Praat). Never runtime dependencies: praat-parselmouth is GPL-3 (fine as a
# test tool, see README), resemblyzer brings torch (already here for the torch backends). --no-deps:
# resemblyzer declares the "typing" backport and webrtcvad, whose module needs pkg_resources (gone from
# current setuptools); webrtcvad-wheels (MIT) provides the same webrtcvad module without it.
"${PIP[@]}" --no-deps 'resemblyzer==0.1.4' 'webrtcvad-wheels==2.0.14.post1' 'praat-parselmouth==0.4.7'
