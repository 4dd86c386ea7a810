#!/bin/bash
# Submits the shard array and a merge that starts only if every shard succeeded.
#
#   SCENARIO=aisle.scn COUNT=100000 SEED=7 WORK=/scratch/$USER/aisle deploy/slurm/submit.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p logs
# One timestamp for the whole dataset, fixed before any shard starts, so the merged
# Croissant datePublished and OpenLineage eventTime do not depend on when the merge ran.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
array_job=$(sbatch --parsable --export=ALL "$here/generate.sbatch")
merge_job=$(sbatch --parsable --export=ALL --dependency="afterok:${array_job%%;*}" "$here/merge.sbatch")
echo "shards: job $array_job; merge: job $merge_job (runs after all shards succeed)"
