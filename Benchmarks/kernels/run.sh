#!/usr/bin/env bash
# The CDevelop and CShade kernels alone (Sources/CDevelop, Sources/CShade): a synthetic
# 640 x 480 frame's noisy development and 640 x 240 ground pixels of each material, every
# path this processor has, best of 7 in thread CPU time (which a loaded machine disturbs less
# than wall time), with a check against the portable path's output.
# Compiled as SwiftPM's release build compiles the targets (clang -O2).
# Usage: Benchmarks/kernels/run.sh [develop|ground]
set -euo pipefail
cd "$(dirname "$0")/../.."
CC="${CC:-$(command -v clang || echo /opt/swift/usr/bin/clang)}"
BIN="$(mktemp -d)"
trap 'rm -rf "$BIN"' EXIT
"$CC" -O2 -ISources/CDevelop/include -ISources/CShade/include Benchmarks/kernels/bench.c Sources/CDevelop/develop.c \
  Sources/CShade/ground.c -lm -o "$BIN/bench"
echo "kernels: $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN/bench" "$@"
