#!/usr/bin/env bash
# `scn eval`'s work (EvalDataset.load + Evaluation.run: read the COCO file, samples and
# predictions, match at 10 + 1 IoU thresholds under 11 views, 27 slices, 200-resample
# bootstraps, write the four documents) on FRAMES frames × 20 objects with 20 detections each,
# release build. Usage: Benchmarks/eval/run.sh [FRAMES]   Wall, CPU and peak RSS from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES="${1:-10000}"
swift build -c release --product ScnEvalBench >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/eval/make_fixture.py "$WORK/dataset" "$WORK/predictions.json" "$FRAMES" 20 20
/usr/bin/time -v .build/release/ScnEvalBench "$WORK/dataset" "$WORK/predictions.json" 2>"$WORK/time.log"
grep -E "Elapsed \(wall clock\)|User time|System time|Maximum resident" "$WORK/time.log"
