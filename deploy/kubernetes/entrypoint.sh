#!/bin/bash
# The container's entrypoint: one step of a scale-out run (docs/scale-out.md), configured by the environment the
# Job manifests set. The parts of an Indexed Job run `part`: part K = JOB_COMPLETION_INDEX (0-based), written into
# DEID_OUTPUT/part-K. A pod that is killed and started again by the Job controller runs the same command, and the
# part resumes (it skips what it committed).
# usage: entrypoint.sh plan|part|merge
# Environment:
#   DEID_PLAN       plan folder (all steps)
#   DEID_INPUTS     plan: a list file (one path per line) or a folder of inputs
#   DEID_PARTS      plan: how many parts (the Indexed Job's completions)
#   DEID_OUTPUT     part, merge: output folder (parts write DEID_OUTPUT/part-K; the merged log is DEID_OUTPUT-audit.jsonl)
#   DEID_SECRET     plan, part: the de-identification secret (a Kubernetes Secret mounted as a file)
#   DEID_RECIPIENT  part: the recipient certificate (PEM or DER; a Kubernetes Secret mounted as a file)
#   DEID_JOBS       plan, part: worker threads (default 1)
#   DEID_OPTIONS    part: profile options, the same for every part (split on spaces)
#   DEID_TOOL       the dicom-deidentify executable (default: from PATH)
set -euo pipefail
# DEID_OPTIONS is split on spaces on purpose, never expanded as a file pattern (`*` in a CTP argument).
set -f
tool=${DEID_TOOL:-dicom-deidentify}
step=${1:-}
case "$step" in
plan)
    : "${DEID_PLAN:?}" "${DEID_INPUTS:?}" "${DEID_PARTS:?}" "${DEID_SECRET:?}"
    if [ -d "$DEID_INPUTS" ]; then inputs=("$DEID_INPUTS"); else inputs=(--files-from "$DEID_INPUTS"); fi
    exec "$tool" "${inputs[@]}" --plan "$DEID_PLAN" --parts "$DEID_PARTS" --secret "$DEID_SECRET" --jobs "${DEID_JOBS:-1}"
    ;;
part)
    : "${DEID_PLAN:?}" "${DEID_OUTPUT:?}" "${DEID_SECRET:?}" "${DEID_RECIPIENT:?}"
    index=${JOB_COMPLETION_INDEX:-}
    case "$index" in
    # A leading zero would name the output folder part-07 where the merge looks for part-7.
    '' | *[!0-9]* | 0?*) echo "entrypoint.sh: JOB_COMPLETION_INDEX is '$index', not a part number (run as an Indexed Job)" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086  # DEID_OPTIONS: several options, split on purpose
    exec "$tool" --plan "$DEID_PLAN" --part "$index" --output "$DEID_OUTPUT/part-$index" \
        --recipient "$DEID_RECIPIENT" --secret "$DEID_SECRET" --jobs "${DEID_JOBS:-1}" --quiet ${DEID_OPTIONS:-}
    ;;
merge)
    : "${DEID_PLAN:?}" "${DEID_OUTPUT:?}"
    exec "$tool" --plan "$DEID_PLAN" --merge --output "$DEID_OUTPUT"
    ;;
*)
    echo "entrypoint.sh: the step is plan, part or merge, not '$step'" >&2
    exit 2
    ;;
esac
