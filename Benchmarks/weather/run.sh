#!/usr/bin/env bash
# What weather and antialiasing cost: `scn generate` on Benchmarks/generate/street.scn (one
# 640x480 camera with every output + one 32-channel LiDAR, 21 frames per sample) as written
# (clear) and with its environment or camera changed: rain (4 mm/h and 50 mm/h), snow, fog
# (visibility 150 m), and 4 and 9 rays per pixel. Usage: Benchmarks/weather/run.sh [COUNT]
# (release build unless SCN names a binary; 2 worker threads). Reports labelled camera frames
# per second and the process CPU seconds per camera frame (user + system), which a busy
# machine disturbs less than wall time.
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

variant() {  # name, sed expression
  sed "$2" "$BASE" > "$WORK/$1.scn"
  grep -q . "$WORK/$1.scn"
}
ENV='s/environment { light: uniform(20000lx, 100000lx), sun_elevation: uniform(20deg, 60deg) }/'
variant clear 's/x/x/'
variant rain "${ENV}environment { light: uniform(20000lx, 100000lx), sun_elevation: uniform(20deg, 60deg), weather: rain }/"
variant rain50 "${ENV}environment { light: uniform(20000lx, 100000lx), sun_elevation: uniform(20deg, 60deg), weather: rain, precipitation: 50mm\/h }/"
variant snow "${ENV}environment { light: uniform(20000lx, 100000lx), sun_elevation: uniform(20deg, 60deg), weather: snow }/"
variant fog "${ENV}environment { light: uniform(20000lx, 100000lx), sun_elevation: uniform(20deg, 60deg), visibility: 150m }/"
variant spp4 's/resolution: (640, 480), fov: 70deg, rate: 10Hz,/resolution: (640, 480), fov: 70deg, rate: 10Hz, samples_per_pixel: 4,/'
variant spp9 's/resolution: (640, 480), fov: 70deg, rate: 10Hz,/resolution: (640, 480), fov: 70deg, rate: 10Hz, samples_per_pixel: 9,/'
for v in rain rain50 snow fog spp4 spp9; do
  if cmp -s "$WORK/clear.scn" "$WORK/$v.scn"; then echo "variant $v did not change street.scn" >&2; exit 1; fi
done

echo "weather benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, --jobs $JOBS, count $COUNT, street.scn"
for v in clear rain rain50 snow fog spp4 spp9; do
  /usr/bin/time -f "%e %U %S" -o "$WORK/$v.time" "$SCN" generate "$WORK/$v.scn" --count "$COUNT" \
    --out "$WORK/out-$v" --jobs "$JOBS" >/dev/null 2>"$WORK/$v.log" || { cat "$WORK/$v.log" >&2; exit 1; }
  cams=$(find "$WORK/out-$v" -path "*/images/*" -name "*.png" | wc -l)
  read -r wall user sys < "$WORK/$v.time"
  python3 -c "
c=$cams; w=$wall; cpu=$user+$sys
print(f'{\"$v\":8s} camera frames {c:5d}  wall {w:6.1f} s  {c/w:6.1f} frames/s  CPU {1000*cpu/c:6.1f} ms per frame')"
done
