#!/usr/bin/env bash
# What lamps cost: `scn generate` on Examples/urban_night_crossing.scn (1280x720 camera with
# every output + 64-channel LiDAR, 9 street lamps, dipped headlamps on both cars) as written and
# with both lamp intensities set to 0 cd (`lamp_intensity`, `headlamp`), COUNT samples of at
# most 10 frames each, 2 worker threads, release build. Reports wall time and process CPU
# (user + system) per camera frame, which a busy machine disturbs less than wall time, and
# the load average before the run. Usage: Benchmarks/lamps/run.sh [COUNT] [SCN_BINARY]
# (default 2 samples, the freshly built .build/release/scn).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT="${1:-2}"
JOBS=2
if [ -n "${2:-}" ]; then
  SCN="$2"
else
  swift build -c release --product scn >/dev/null
  SCN="$PWD/.build/release/scn"
fi
export SOURCE_DATE_EPOCH=1700000000
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FILE=Examples/urban_night_crossing.scn

echo "lamps benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT, max 10 frames"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in lamps dark; do
  params=()
  if [ "$v" = dark ]; then params=(--param lamp_intensity=0cd --param headlamp=0cd); fi
  /usr/bin/time -f "%e %U %S" -o "$WORK/$v.time" "$SCN" generate "$FILE" --count "$COUNT" --max-frames 10 \
    "${params[@]}" --out "$WORK/out-$v" --jobs "$JOBS" >/dev/null 2>"$WORK/$v.log" || { cat "$WORK/$v.log" >&2; exit 1; }
  cams=$(find "$WORK/out-$v" -path "*/images/*" -name "*.png" | wc -l)
  read -r wall user sys < "$WORK/$v.time"
  python3 -c "
c=$cams; w=$wall; cpu=$user+$sys
print(f'{\"$v\":6s} camera frames {c:4d}  wall {w:6.1f} s  {c/w:5.2f} frames/s  CPU {cpu:6.1f} s, {1000*cpu/c:6.1f} ms per frame')"
done
