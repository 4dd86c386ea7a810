#!/usr/bin/env bash
# End to end: `scn sample --format json` (release build, JSON Lines to a file) against
# Scenic 3's in-process `scenario.generate()` on the same program, an ego and five free
# boxes (programs/ego_free5.*), in one run on one machine.
# Usage: Benchmarks/sampler/sample_end_to_end.sh [scenes, default 600000]
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-600000}"
program=Benchmarks/sampler/programs/ego_free5

swift build -c release --product scn >&2
bin="$(swift build -c release --show-bin-path)"

. Benchmarks/sampler/scenic_venv.sh

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
# Wall time of the whole command: start-up, compile, sample, format, write.
rate() {
  local jobs="$1" start end
  start="$(date +%s.%N)"
  SCN_STDLIB=StdLib "$bin/scn" sample "$program.scn" --count "$count" --format json --jobs "$jobs" > "$out"
  end="$(date +%s.%N)"
  test "$(wc -l < "$out")" -eq "$count"
  python3 -c "print(f'{$count / ($end - $start):.0f}')"
}
scn1="$(rate 1)"
bytes="$(wc -c < "$out")"
scnall="$(rate "$(nproc)")"
scenic="$("$venv/bin/python" Benchmarks/sampler/scenic_bench.py "$program.scenic:400" | cut -f2)"

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(uname -sm); $(swift --version 2>/dev/null | head -1); Scenic $scenic_version"
echo "scn sample --format json: $count scenes, $bytes bytes of JSON Lines"
printf "%-34s %12s %8s\n" "" "scenes/s" "ratio"
printf "%-34s %12s %8s\n" "Scenic scenario.generate()" "$scenic" "1x"
printf "%-34s %12s %8s\n" "scn sample --jobs 1" "$scn1" "$(python3 -c "print(f'{$scn1 / $scenic:.0f}x')")"
printf "%-34s %12s %8s\n" "scn sample --jobs $(nproc)" "$scnall" "$(python3 -c "print(f'{$scnall / $scenic:.0f}x')")"
