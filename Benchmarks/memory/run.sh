#!/bin/sh
# Issue 12's memory acceptance: peak RSS of `scn generate --jobs 2` on memory.scn (200
# instances of one 20,000-triangle mesh + 50 distinct articulated people, one 1280 × 720
# camera with every image output). Builds scn in release mode unless SCN names a binary.
# Usage: Benchmarks/memory/run.sh [COUNT]   (COUNT samples, one frame each; default 8)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
count=${1:-8}
if [ -z "${SCN:-}" ]; then
  (cd "$root" && swift build -c release --product scn >/dev/null)
  SCN="$root/.build/release/scn"
fi
python3 "$here/make_mesh.py" "$here/assets/sphere20k.glb" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/time -v "$SCN" generate "$here/memory.scn" --count "$count" --jobs 2 --out "$out/ds" \
  2>"$out/time.txt" >/dev/null || { cat "$out/time.txt"; exit 1; }
grep -E "Maximum resident set size|Elapsed \(wall clock\)|User time|System time" "$out/time.txt"
echo "frames: $(find "$out/ds/images" -name '*.png' | wc -l)"
