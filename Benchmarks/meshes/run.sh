#!/usr/bin/env bash
# Mesh ray casting: our two-level BVH (watertight triangles, instancing) against Embree 3
# (Debian libembree-dev) on the same meshes, instances and 640x480 camera rays, closest hit,
# one ray at a time, one thread each. Release build; the two alternate so background load hits both.
# Usage: Benchmarks/meshes/run.sh [ROUNDS]   (needs swift, gcc, libembree-dev)
# Builds ScnMeshBench in release into .build unless SCN names the `scn` binary of an existing
# release build: then the ScnMeshBench next to it is timed, e.g.
# SCN=.build-rel/release/scn Benchmarks/meshes/run.sh (after
# `swift build -c release --build-path .build-rel --product ScnMeshBench`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
if [ -z "${SCN:-}" ]; then
  swift build -c release --product ScnMeshBench >/dev/null
  bench="$(swift build -c release --show-bin-path)/ScnMeshBench"
else
  bench="$(dirname "$SCN")/ScnMeshBench"
  if [ ! -x "$bench" ]; then
    echo "no ScnMeshBench next to SCN=$SCN: build it there (swift build -c release --build-path <that build> --product ScnMeshBench)" >&2
    exit 1
  fi
fi
gcc -O2 -o "$work/embree_rays" "$here/embree_rays.c" -lembree3 -lm

echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores)"
echo "bench: $bench"
echo "embree: $(dpkg-query -W -f='${Version}' libembree-dev 2>/dev/null || echo unknown)"
for scene in instances street; do
  echo "== $scene: 640x480 primary rays, closest hit, 1 thread, best of 5 per round ($rounds alternating rounds)"
  for round in $(seq "$rounds"); do
    "$bench" "$scene" "$work" 5
    "$work/embree_rays" "$work" 5
  done
done
