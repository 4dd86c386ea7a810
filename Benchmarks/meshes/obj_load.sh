#!/usr/bin/env bash
# OBJ load time: a 700×700 height field (490,000 vertices, 978,002 triangles, 37 MB) loaded
# through CTinyOBJ (number check + tinyobjloader + merging), 5 loads per process, with the
# scn_obj.cpp of BASE (default main) and of the working tree, alternating ROUNDS times;
# prints each process's user and system CPU seconds.
# Usage: Benchmarks/meshes/obj_load.sh [ROUNDS] [BASE]   (needs g++, python3, libtinyobjloader-dev)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-2}"
base="${2:-main}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work/grid.obj" <<'PY'
import math, sys
n = 700
with open(sys.argv[1], "w") as f:
    f.write("o terrain\n")
    for i in range(n):
        for j in range(n):
            x, y = i * 0.05, j * 0.05
            f.write("v %.6f %.6f %.6f\n" % (x, 0.3 * math.sin(x * 1.3) * math.cos(y * 0.7), y))
    for i in range(n - 1):
        for j in range(n - 1):
            a = i * n + j + 1
            f.write("f %d %d %d\nf %d %d %d\n" % (a, a + n, a + 1, a + 1, a + n, a + n + 1))
PY
git -C "$root" show "$base:Sources/CTinyOBJ/scn_obj.cpp" > "$work/scn_obj_base.cpp"
include="$root/Sources/CTinyOBJ/include"
g++ -O2 -std=c++17 -I"$include" -o "$work/base" "$here/obj_load.cpp" "$work/scn_obj_base.cpp" -ltinyobjloader
g++ -O2 -std=c++17 -I"$include" -o "$work/tree" "$here/obj_load.cpp" "$root/Sources/CTinyOBJ/scn_obj.cpp" -ltinyobjloader
echo "== $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  for side in base tree; do
    /usr/bin/time -f "$side user %U s, system %S s (5 loads)" "$work/$side" "$work/grid.obj" 5 >/dev/null
  done
done
echo "== load $(cut -d' ' -f1-3 /proc/loadavg)"
