#!/bin/bash
# Runs plan -> parts (Indexed Job) -> merge on the current kubectl context, one after the other: Kubernetes has no
# dependencies between Jobs, so each step is applied once the one before it completed.
# usage: run.sh SECRET_FILE RECIPIENT_CERT       (storage.yaml applied and the inputs in place first; see README.md)
# The Secrets are made from the files (kubectl create secret, not a manifest: their content never enters the
# repository). Environment: KUBECTL (default kubectl), DEID_TIMEOUT (per step, default 24h).
set -euo pipefail
if [ $# -ne 2 ]; then sed -n '2,6p' "$0" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
k=${KUBECTL:-kubectl}
timeout=${DEID_TIMEOUT:-24h}
"$k" create secret generic dicom-deid-secret --from-file=secret="$1" --dry-run=client -o yaml | "$k" apply -f -
"$k" create secret generic dicom-deid-recipient --from-file=recipient.crt="$2" --dry-run=client -o yaml | "$k" apply -f -
step() {  # step MANIFEST JOB: applies it, waits until it completes; a failed Job stops the run.
    "$k" apply -f "$here/$1"
    if ! "$k" wait --for=condition=complete --timeout="$timeout" "job/$2"; then
        echo "run.sh: job $2 did not complete; see: $k logs -l job-name=$2" >&2
        exit 1
    fi
}
step plan-job.yaml dicom-deid-plan
step parts-job.yaml dicom-deid-parts
step merge-job.yaml dicom-deid-merge
"$k" logs job/dicom-deid-merge
