#!/usr/bin/env bash
# Alternates two `scn` binaries on run_people_roads.sh's two scenes (street.scn and
# street_people_roads.scn, --jobs 2), PAIRS times, and prints each run's labelled camera
# frames per second (wall), process CPU per frame split into user and system time, and peak
# RSS, with the load average before each pair.
# Every run's output stays on disk until the last run has finished: on a file system that
# delays the reuse of recently deleted inodes (ext4 without a journal, see BENCHMARKS.md),
# deleting one run's ~1,300 files before the next run starts makes the next run's file
# creations cost several % more CPU, and alternating pairs would charge that to whichever
# binary ran second.
# Usage: Benchmarks/generate/compare.sh BASE_SCN NEW_SCN [PAIRS] [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 2 ]; then
  echo "usage: $0 BASE_SCN NEW_SCN [PAIRS] [COUNT]" >&2
  exit 2
fi
BASE="$1"
NEW="$2"
PAIRS="${3:-3}"
COUNT="${4:-10}"
JOBS=2
for b in "$BASE" "$NEW"; do
  [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }
done
export SOURCE_DATE_EPOCH=1700000000
export SCN_STDLIB="${SCN_STDLIB:-$PWD/StdLib}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "compare: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT, $PAIRS pairs"
echo "base $BASE"
echo "new  $NEW"
run=0
for pair in $(seq 1 "$PAIRS"); do
  echo "pair $pair load $(cut -d' ' -f1-3 /proc/loadavg)"
  for side in base new; do
    if [ "$side" = base ]; then bin="$BASE"; else bin="$NEW"; fi
    for v in street street_people_roads; do
      run=$((run + 1))
      out="$WORK/out-$run"
      /usr/bin/time -f "%e %U %S %M" -o "$WORK/$run.time" "$bin" generate "Benchmarks/generate/$v.scn" \
        --count "$COUNT" --out "$out" --jobs "$JOBS" >/dev/null 2>"$WORK/$run.log" || { cat "$WORK/$run.log" >&2; exit 1; }
      cams=$(find "$out" -path "*/images/*" -name "*.png" | wc -l)
      read -r wall user sys rss < "$WORK/$run.time"
      python3 -c "
c=$cams; w=$wall; u=$user; s=$sys; r=$rss
print(f'{\"$side\":4s} {\"$v\":20s} frames {c:4d}  wall {w:5.1f} s  {c/w:5.1f} frames/s  CPU {1000*(u+s)/c:5.1f} ms/frame (user {1000*u/c:5.1f}, sys {1000*s/c:4.1f})  peak RSS {r/1024:4.0f} MiB')"
    done
  done
done
