#!/usr/bin/env bash
# What drawn roads cost: `scn generate` on Benchmarks/generate/street.scn (one 640x480 camera
# with every output + one 32-channel LiDAR, 21 frames per sample) as written (plain ground) and
# with its street drawn: two one-lane roads (one each way, 4.5 m lanes), a parking strip and
# two raised sidewalks with kerbs. Usage: Benchmarks/roads/run.sh [COUNT] (release build unless SCN names a binary; 2
# worker threads). Reports labelled camera frames per second and the process CPU seconds per
# camera frame (user + system), which a busy machine disturbs less than wall time.
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
BASE=Benchmarks/generate/street.scn

cp "$BASE" "$WORK/plain.scn"
ROADS='    let east = road(start: (-30m, -2.25m, 0m), heading: 0deg, segments: [straight(200m)], lanes: 1, lane_width: 4.5m)\n'
ROADS+='    let west = road(start: (170m, 2.25m, 0m), heading: 180deg, segments: [straight(200m)], lanes: 1, lane_width: 4.5m)\n'
ROADS+='    let south_walk = sidewalk(east, 0.5m, 3m)\n'
ROADS+='    let north_walk = sidewalk(west, 3.5m, 3m)\n'
sed "s/^    environment {/${ROADS}    environment {/" "$BASE" > "$WORK/roads.scn"
if cmp -s "$WORK/plain.scn" "$WORK/roads.scn"; then echo "the roads variant did not change street.scn" >&2; exit 1; fi

echo "roads benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT, street.scn"
for v in plain roads; do
  /usr/bin/time -f "%e %U %S" -o "$WORK/$v.time" "$SCN" generate "$WORK/$v.scn" --count "$COUNT" \
    --out "$WORK/out-$v" --jobs "$JOBS" >/dev/null 2>"$WORK/$v.log" || { cat "$WORK/$v.log" >&2; exit 1; }
  cams=$(find "$WORK/out-$v" -path "*/images/*" -name "*.png" | wc -l)
  read -r wall user sys < "$WORK/$v.time"
  python3 -c "
c=$cams; w=$wall; cpu=$user+$sys
print(f'{\"$v\":8s} camera frames {c:5d}  wall {w:6.1f} s  {c/w:6.1f} frames/s  CPU {1000*cpu/c:6.1f} ms per frame')"
done
