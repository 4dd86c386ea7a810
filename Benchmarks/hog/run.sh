#!/usr/bin/env bash
# Issue 12's acceptance check for people: OpenCV's default HOG people detector on daylight
# frames of Examples/street_people.scn must find at least 60 % of the unoccluded people at
# least 96 px tall (found: IoU >= 0.3 with the COCO box). Usage: Benchmarks/hog/run.sh [COUNT]
# (release build; OpenCV from PyPI in Benchmarks/.venv-hog, installed on first use).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-60}"
swift build -c release --product scn >/dev/null
VENV=Benchmarks/.venv-hog
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "opencv-python-headless<5" numpy
fi
export SOURCE_DATE_EPOCH=1700000000
WORK="${HOG_OUT:-$(mktemp -d)}"
[ -n "${HOG_OUT:-}" ] || trap 'rm -rf "$WORK"' EXIT
rm -rf "$WORK/dataset"
.build/release/scn generate Examples/street_people.scn --count "$COUNT" --seed 1 --jobs 2 --out "$WORK/dataset" >/dev/null
echo "HOG people detector on Examples/street_people.scn, $COUNT samples, seed 1: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "OpenCV $("$VENV/bin/python" -c 'import cv2; print(cv2.__version__)')"
"$VENV/bin/python" Benchmarks/hog/detect.py "$WORK/dataset" front_camera
