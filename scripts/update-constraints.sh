#!/usr/bin/env bash
# Regenerates constraints.txt from the test environment (.venv made by scripts/setup-test-env.sh), so CI and a
# fresh machine install exactly the versions the suite was last run with. Run it after changing a dependency in
# pyproject.toml (or the extra packages in setup-test-env.sh), re-run the suite, and commit both files together.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Versions the test suite last ran with (scripts/update-constraints.sh writes this file; do not edit)."
  echo "# Used as pip constraints (-c) by scripts/setup-test-env.sh; pyproject.toml keeps the ranges users get."
  echo "# torch: the local version tag (+cpu) is dropped: pip picks the CPU or CUDA build from the index it is"
  echo "# given (README: the CPU wheel index)."
  .venv/bin/python -m pip freeze --exclude-editable --all |
    grep -v -i -E '^(callscore|setuptools|wheel)==' |
    sed -E 's/^(torch==[^+]+)\+.*/\1/' | LC_ALL=C sort -f
} > constraints.txt
echo "wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)"
