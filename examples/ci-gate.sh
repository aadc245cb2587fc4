#!/usr/bin/env bash
# The quality gate on the bundled examples, as .ci/run and examples/github-actions-callscore.yml run it:
# 1. the reference call that must pass: score >= 75 and no critical item failed;
# 2. the gate must still catch the calls made to fail a critical item ("saya tidak tahu" with no promise,
#    blaming the customer): if it lets them through, the gate itself is broken.
# Usage: bash examples/ci-gate.sh [CALLSCORE] [OUT_DIR]   (defaults: callscore on PATH, ./callscore-gate)
set -uo pipefail
cd "$(dirname "$0")/.."
CALLSCORE=${1:-callscore}
OUT=${2:-callscore-gate}
mkdir -p "$OUT"

"$CALLSCORE" ci examples/good_call.ogg --min-score 75 --fail-on-critical --junit "$OUT/reference.xml" || {
  echo "gate: the reference call examples/good_call.ogg no longer passes" >&2
  exit 1
}
if "$CALLSCORE" ci examples/tidak_tahu.flac examples/rude.mp3 --min-score 75 --fail-on-critical \
  --junit "$OUT/known-bad.xml"; then
  echo "gate: the known-bad calls passed; the gate no longer catches critical failures" >&2
  exit 1
fi
echo "gate: reference call passed, known-bad calls caught"
