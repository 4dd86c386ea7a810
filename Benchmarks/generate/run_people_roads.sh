#!/usr/bin/env bash
# Issue 12's speed target: `scn generate` on street_people_roads.scn (street.scn's mesh cars
# and vans, eight walking people, two drawn roads with markings, a stop line, a crossing and
# two raised sidewalks with kerbs; one 640x480 camera with every output + one 32-channel
# LiDAR, 21 frames per sample), next to street.scn as written, 2 worker threads.
# Reports labelled camera frames per second (wall), the process CPU time per labelled camera
# frame (user + system; a shared machine disturbs it much less than wall time: 50 ms of CPU
# per frame is 40 frames/s on 2 idle cores) and peak RSS.
# Usage: Benchmarks/generate/run_people_roads.sh [COUNT]   (release build unless SCN names a binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-10}"
JOBS=2
if [ -z "${SCN:-}" ]; then
  swift build -c release --product scn >/dev/null
  SCN="$PWD/.build/release/scn"
fi
export SOURCE_DATE_EPOCH=1700000000
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "people+roads benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT, load $(cut -d' ' -f1-3 /proc/loadavg)"
for v in street street_people_roads; do
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$v.time" "$SCN" generate "Benchmarks/generate/$v.scn" --count "$COUNT" \
    --out "$WORK/out-$v" --jobs "$JOBS" >/dev/null 2>"$WORK/$v.log" || { cat "$WORK/$v.log" >&2; exit 1; }
  cams=$(find "$WORK/out-$v" -path "*/images/*" -name "*.png" | wc -l)
  read -r wall user sys rss < "$WORK/$v.time"
  python3 -c "
c=$cams; w=$wall; cpu=$user+$sys; r=$rss
print(f'{\"$v\":20s} camera frames {c:5d}  wall {w:6.1f} s  {c/w:6.1f} frames/s  CPU {1000*cpu/c:6.1f} ms per frame  peak RSS {r/1024:5.0f} MiB')"
done
