#!/usr/bin/env bash
# `scn eval` on FRAMES frames × 20 objects with 20 detections each (release build).
# Usage: Benchmarks/eval/run.sh [FRAMES]   Reports wall time and peak RSS (/usr/bin/time -v).
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES="${1:-10000}"
swift build -c release --product scn >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/eval/make_fixture.py "$WORK/dataset" "$WORK/predictions.json" "$FRAMES" 20 20
export SOURCE_DATE_EPOCH=1700000000
/usr/bin/time -v .build/release/scn eval "$WORK/dataset" --predictions "$WORK/predictions.json" --out "$WORK/eval" \
  2>"$WORK/time.log" >/dev/null || { cat "$WORK/time.log"; exit 1; }
wall=$(grep "Elapsed (wall clock)" "$WORK/time.log" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$WORK/time.log" | awk '{print $NF}')
dets=$(python3 -c "import json; print(len(json.load(open('$WORK/predictions.json'))))")
echo "scn eval: $FRAMES frames, $dets detections: wall $wall, peak RSS $((rss / 1024)) MiB"
