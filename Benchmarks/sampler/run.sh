#!/usr/bin/env bash
# Scenes per second of the scn sampler (release build) and of Scenic 3 on the same three
# programs, from one run, both single-threaded:
#   (1) free placement of 5 objects, (2) 10 objects with pairwise distance requirements and
#   non-overlap, (3) a requirement that accepts ~1% of attempts.
# Usage: Benchmarks/sampler/run.sh [scale, default 1]   (multiplies the sample counts)
set -euo pipefail
cd "$(dirname "$0")/../.."
scale="${1:-1}"
programs=Benchmarks/sampler/programs

swift build -c release --product ScnSamplerBench >&2
bin="$(swift build -c release --show-bin-path)"

. Benchmarks/sampler/scenic_venv.sh

scn_out="$("$bin/ScnSamplerBench" StdLib \
  "$programs/free5.scn:$((200000 * scale))" \
  "$programs/pairwise10.scn:$((40000 * scale))" \
  "$programs/rare1pct.scn:$((20000 * scale))")"
scenic_out="$("$venv/bin/python" Benchmarks/sampler/scenic_bench.py \
  "$programs/free5.scenic:$((400 * scale))" \
  "$programs/pairwise10.scenic:$((100 * scale))" \
  "$programs/rare1pct.scenic:$((40 * scale))")"

echo "machine: $(nproc) cores, $(uname -sm); $(swift --version 2>/dev/null | head -1); Scenic $scenic_version"
printf "%-12s %14s %14s %10s\n" program "scn scenes/s" "Scenic sc./s" ratio
paste <(echo "$scn_out") <(echo "$scenic_out") | while IFS=$'\t' read -r path ours _ _ theirs _; do
  name="$(basename "$path" .scn)"
  ratio="$(python3 -c "print(f'{$ours / $theirs:.0f}x')")"
  printf "%-12s %14s %14s %10s\n" "$name" "$ours" "$theirs" "$ratio"
done
