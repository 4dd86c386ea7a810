#!/usr/bin/env bash
# Runs every benchmark area in release mode (each area's run.sh prints our figure and the
# peer's from the same run). Usage: Benchmarks/run.sh [area…]   e.g. Benchmarks/run.sh syntax physics
set -euo pipefail
cd "$(dirname "$0")/.."
areas=("$@")
if [ "${#areas[@]}" -eq 0 ]; then
  for script in Benchmarks/*/run.sh; do areas+=("$(basename "$(dirname "$script")")"); done
fi
for area in "${areas[@]}"; do
  echo "== $area"
  bash "Benchmarks/$area/run.sh"
done
