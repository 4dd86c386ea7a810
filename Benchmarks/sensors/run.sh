#!/usr/bin/env bash
# ScnSensors benchmarks: primary rays vs Open3D (Embree), labelled frames/s, PNG encode vs
# C libpng and Pillow. Release build; peers run in the same invocation on the same inputs.
# Usage: Benchmarks/sensors/run.sh   (from anywhere; needs swift, gcc, python3 with venv)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/Benchmarks/.venv-sensors"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet open3d pillow numpy
fi

cd "$root"
swift build -c release --product ScnSensorsBench >/dev/null
bench="$(swift build -c release --show-bin-path)/ScnSensorsBench"
gcc -O2 -o "$work/libpng_encode" "$here/libpng_encode.c" -lpng16

echo "== machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores)"
# Each side keeps its best of 15 casts per round; rounds alternate so background load hits both.
echo "== primary rays, 640x480, 100 boxes, 1 thread (3 alternating rounds)"
for round in 1 2 3; do
  "$bench" rays "$work"
  "$venv/bin/python" "$here/open3d_rays.py" "$work"
done
echo "== labelled frames (RGB+shadows, depth, instance, semantic, labels, 4 PNGs), 640x480, 50 actors, 2 threads"
for round in 1 2 3; do "$bench" frames 40; done
echo "== the same, two frames in flight (one thread each)"
for round in 1 2 3; do "$bench" frames-concurrent 40; done
echo "== visibility queries and LiDAR sweeps, 50 actors"
"$bench" queries
echo "== PNG encode, 640x480 smooth RGB, level 1, SUB filter, 1 thread (best of 50)"
"$bench" png "$work" 50
"$work/libpng_encode" "$work" 50
"$venv/bin/python" "$here/pillow_png.py" "$work" 50
