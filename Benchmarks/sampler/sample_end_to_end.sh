#!/usr/bin/env bash
# End to end: `scn sample --format json` (release build, JSON Lines to a file) against
# Scenic 3's in-process `scenario.generate()` on the same program, an ego and five free
# boxes (programs/ego_free5.*), in one run on one machine.
# Usage: Benchmarks/sampler/sample_end_to_end.sh [scenes, default 600000]
# Builds `scn` in release into .build unless SCN names a binary to time instead, e.g. an
# existing release build: SCN=.build-rel/release/scn Benchmarks/sampler/sample_end_to_end.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-600000}"
program=Benchmarks/sampler/programs/ego_free5

if [ -z "${SCN:-}" ]; then
  swift build -c release --product scn >&2
  SCN="$(swift build -c release --show-bin-path)/scn"
fi

# One untimed run checks the output: one JSON object per line.
test "$(SCN_STDLIB=StdLib "$SCN" sample "$program.scn" --count 1000 --format json 2>/dev/null | wc -l)" -eq 1000

. Benchmarks/sampler/scenic_venv.sh
# Timed runs write to /dev/null, so the disk is not measured: start-up, compile, sample,
# format and write(2) are. Wall time and CPU time (user + system: the machine may be shared).
TIMEFORMAT='%R %U %S'
rate() {
  local jobs="$1" t
  t="$( { time SCN_STDLIB=StdLib "$SCN" sample "$program.scn" --count "$count" --format json --jobs "$jobs" \
    > /dev/null 2>/dev/null; } 2>&1 )"
  python3 -c "w, u, s = map(float, '$t'.split()); print(f'{$count / w:.0f} {$count / (u + s):.0f}')"
}
read -r scn1 scn1cpu <<< "$(rate 1)"
read -r scnall scnallcpu <<< "$(rate "$(nproc)")"
bytes="$(SCN_STDLIB=StdLib "$SCN" sample "$program.scn" --count 1000 --format json 2>/dev/null | wc -c)"
read -r _ scenic _ scenic_cpu <<< "$("$venv/bin/python" Benchmarks/sampler/scenic_bench.py "$program.scenic:400")"

ratio() { python3 -c "print(f'{$1 / $2:.0f}x')"; }
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(uname -sm), load $(cut -d' ' -f1-3 /proc/loadavg); $(swift --version 2>/dev/null | head -1); Scenic $scenic_version"
echo "scn sample --format json ($SCN): $count scenes ($bytes bytes of JSON Lines per 1000 scenes)"
printf "%-30s %14s %8s %14s %8s\n" "" "wall scenes/s" "ratio" "CPU scenes/s" "ratio"
printf "%-30s %14s %8s %14s %8s\n" "Scenic scenario.generate()" "$scenic" "1x" "$scenic_cpu" "1x"
printf "%-30s %14s %8s %14s %8s\n" "scn sample --jobs 1" "$scn1" "$(ratio "$scn1" "$scenic")" "$scn1cpu" "$(ratio "$scn1cpu" "$scenic_cpu")"
printf "%-30s %14s %8s %14s %8s\n" "scn sample --jobs $(nproc)" "$scnall" "$(ratio "$scnall" "$scenic")" "$scnallcpu" "$(ratio "$scnallcpu" "$scenic_cpu")"
