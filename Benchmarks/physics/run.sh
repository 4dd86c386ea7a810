#!/usr/bin/env bash
# Falling-boxes benchmark, ScnPhysics against MuJoCo, in one command:
#   Benchmarks/physics/run.sh            (SIM_SECONDS=4 BOXES=50,200 by default)
# Builds ScnPhysicsBench in release, creates Benchmarks/.venv-physics with MuJoCo from PyPI
# if needed, runs both engines on the same scene (0.002 s step, same boxes and masses,
# single thread) and prints body-steps per CPU second side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."

SIM_SECONDS="${SIM_SECONDS:-4}"
export BOXES="${BOXES:-50,200}"
DT=0.002
VENV=Benchmarks/.venv-physics

swift build -c release --product ScnPhysicsBench
bench="$(swift build -c release --show-bin-path)/ScnPhysicsBench"

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import mujoco" 2>/dev/null; then "$VENV/bin/pip" install --quiet mujoco; fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "== ScnPhysics"
"$bench" --boxes "$BOXES" --seconds "$SIM_SECONDS" --dt "$DT" --sleep both | tee -a "$results"
echo "== MuJoCo"
"$VENV/bin/python" Benchmarks/physics/mujoco_bench.py --boxes "$BOXES" --seconds "$SIM_SECONDS" --dt "$DT" \
  | tee -a "$results"

echo
echo "body-steps per CPU second (step $DT s, $SIM_SECONDS s simulated)"
awk -F'\t' '
  $1 == "RESULT" && $2 == "scn" && $4 == "off" { off[$3] = $7 }
  $1 == "RESULT" && $2 == "scn" && $4 == "on"  { on[$3] = $7 }
  $1 == "RESULT" && $2 ~ /^mujoco/              { mj[$3] = $7; name = $2 }
  END {
    printf "%-7s %16s %16s %16s %12s\n", "boxes", "scn (no sleep)", "scn (sleep)", name, "scn/mujoco"
    n = split(ENVIRON["BOXES"], counts, ",")
    for (i = 1; i <= n; i++) {
      c = counts[i]
      ratio = (mj[c] > 0) ? sprintf("%.1fx", off[c] / mj[c]) : "n/a"
      printf "%-7s %16s %16s %16s %12s\n", c, off[c], on[c], mj[c], ratio
    }
  }' "$results"
