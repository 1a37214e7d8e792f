#!/bin/bash
# Submits plan -> parts (array job) -> merge as dependent Slurm jobs and prints their IDs.
# usage: submit.sh LIST PLAN_DIR OUTPUT_DIR PARTS SECRET RECIPIENT_CERT [extra dicom-deidentify options...]
# Environment: DEID_TOOL (path of dicom-deidentify; default from PATH), SBATCH_EXTRA (options for every sbatch).
set -euo pipefail
if [ $# -lt 6 ]; then
    sed -n '2,4p' "$0" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
export DEID_INPUTS DEID_PLAN DEID_OUTPUT DEID_PARTS DEID_SECRET DEID_RECIPIENT DEID_OPTIONS
DEID_INPUTS=$(abs "$1"); DEID_PLAN=$(abs "$2"); DEID_OUTPUT=$(abs "$3"); DEID_PARTS=$4
DEID_SECRET=$(abs "$5"); DEID_RECIPIENT=$(abs "$6"); shift 6
DEID_OPTIONS="$*"
mkdir -p "$DEID_OUTPUT"
# shellcheck disable=SC2086
plan=$(sbatch --parsable --export=ALL ${SBATCH_EXTRA:-} "$here/plan.sbatch")
# shellcheck disable=SC2086
parts=$(sbatch --parsable --export=ALL ${SBATCH_EXTRA:-} --dependency=afterok:"$plan" --array=0-$((DEID_PARTS - 1)) "$here/part.sbatch")
# afterany: the merge runs and reports even when a part failed (it then exits non-zero naming what is missing).
# shellcheck disable=SC2086
merge=$(sbatch --parsable --export=ALL ${SBATCH_EXTRA:-} --dependency=afterany:"$parts" "$here/merge.sbatch")
echo "plan $plan, parts $parts (array 0-$((DEID_PARTS - 1))), merge $merge"
