#!/usr/bin/env bash
# OpenDRIVE map load time and lane queries: ScnMap (release build, one thread) beside Scenic 3's
# own loader on the same files, in the same run. Scenic runs cold: a fresh process per map and
# no pickle cache (useCache=False, writeCache=False).
# Usage: Benchmarks/map/run.sh [MAP.xodr …]   (default: Town01 and Town02 of the test fixtures)
# SCENIC_VENV names the Python venv holding Scenic (default Benchmarks/.venv-scenic, made if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
maps=("$@")
if [ "${#maps[@]}" -eq 0 ]; then maps=(Tests/Fixtures/opendrive/Town01.xodr Tests/Fixtures/opendrive/Town02.xodr); fi

swift build -c release --product ScnMapBench >&2
bin="$(swift build -c release --show-bin-path)"

venv="${SCENIC_VENV:-Benchmarks/.venv-scenic}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import scenic" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet scenic >&2
fi
scenic_version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("scenic"))')"

echo "machine: $(nproc) cores, $(uname -sm), load average $(cut -d' ' -f1-3 /proc/loadavg); $(swift --version 2>/dev/null | head -1); Scenic $scenic_version"
for map in "${maps[@]}"; do
  IFS=$'\t' read -r _ wall wallmin cpu build inlane nearest field found drivable founddrivable blanes bgrids bnear bpass < <("$bin/ScnMapBench" "$map" 20 1000000)
  IFS=$'\t' read -r _ swall scpu simport srate sfound < <("$venv/bin/python" Benchmarks/map/scenic_map_load.py "$map" 20000)
  echo "$(basename "$map")"
  echo "  scn    load: ${wall} ms wall (median of 20; min ${wallmin}), ${cpu} ms thread CPU (median); lanes + grids ${build} ms thread CPU (lane strips and graph ${blanes}, grids ${bgrids}, nearest-lane candidates: first tile ${bnear}, a first pass of the 1M nearest-lane queries building every tile ${bpass})"
  echo "  scn    queries/s, 1 thread, 1M uniform points over the lanes' box: point-in-lane ${inlane} (${found} in a lane), in a drivable lane ${drivable} (${founddrivable}), nearest-lane ${nearest}, road direction ${field}"
  echo "  Scenic load: ${swall} s wall, ${scpu} s CPU (cold, no cache; import ${simport} s not counted); laneAt ${srate}/s CPU (${sfound} of 20,000 points over its drivable region's box in a lane)"
  python3 -c "print(f'  ratio  load CPU {float(\"$scpu\") * 1000 / float(\"$cpu\"):.0f}x (wall {float(\"$swall\") * 1000 / float(\"$wall\"):.0f}x), drivable point-in-lane {float(\"$drivable\") / float(\"$srate\"):.0f}x')"
done
