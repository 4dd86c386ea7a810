#!/usr/bin/env bash
# End-to-end throughput of `scn generate` (sample → simulate → render → encode → write) and
# peak memory. Usage: Benchmarks/generate/run.sh [COUNT]   (release build, 2 worker threads)
#
# Reports, per scenario: labelled camera frames per second (every camera frame carries RGB,
# depth, instance, semantic PNGs and COCO/KITTI labels), LiDAR sweeps, wall time and the peak
# resident set size from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-10}"
JOBS=2
swift build -c release --product scn >/dev/null
SCN=.build/release/scn
export SOURCE_DATE_EPOCH=1700000000
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

run() {
  local name="$1"; shift
  local out="$WORK/$name"
  /usr/bin/time -v "$SCN" generate "$@" --out "$out" --jobs "$JOBS" 2>"$WORK/$name.log" >/dev/null
  local wall rss cams lidars
  wall=$(grep "Elapsed (wall clock)" "$WORK/$name.log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$WORK/$name.log" | awk '{print $NF}')
  cams=$(find "$out" -path "*/images/*" -name "*.png" | wc -l)
  lidars=$(find "$out" -path "*/lidar/*" -name "*.ply" | wc -l)
  local seconds
  seconds=$(python3 -c "
t='$wall'.split(':'); s=0.0
for p in t: s=s*60+float(p)
print(s)")
  python3 -c "
c=$cams; l=$lidars; s=$seconds; r=$rss
print(f'{\"$name\":24s} camera frames {c:5d}  lidar sweeps {l:5d}  wall {s:7.1f} s  {c/s:6.1f} camera frames/s  {(c+l)/s:6.1f} sensor frames/s  peak RSS {r/1024:6.0f} MiB')"
}

echo "scn generate benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT"
# The configuration of the speed target: one 640x480 camera + one 32-channel LiDAR, 21 frames per sample.
run street Benchmarks/generate/street.scn --count "$COUNT"
run street-x3 Benchmarks/generate/street.scn --count "$((COUNT * 3))"
# Issue 12's case: the same street with mesh people walking on drawn sidewalks and drawn roads
# (run_people_roads.sh reports its CPU time per frame next to street.scn's).
run street_people_roads Benchmarks/generate/street_people_roads.scn --count "$COUNT"
# The examples, first 5 recorded frames of each sample (their full traces are 30-81 frames).
run warehouse_pallets Examples/warehouse_pallets.scn --count "$COUNT" --max-frames 5
run highway_cut_in Examples/highway_cut_in.scn --count "$COUNT" --max-frames 5
run urban_night_crossing Examples/urban_night_crossing.scn --count "$COUNT" --max-frames 5
run tabletop_grasping Examples/tabletop_grasping.scn --count "$COUNT" --max-frames 5
