#!/bin/bash
# CI step (.ci/run): the Slurm check on a throwaway single-node cluster, stopped afterwards. Installs Debian's
# slurmctld, slurmd, slurm-client and munge when missing and this runs as root; otherwise the check is skipped
# with a message, except under CI=true where that is a failure.
# usage: ci.sh [DICOM_DEIDENTIFY]   (default: .build/debug/dicom-deidentify)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tool=${1:-$repo/.build/debug/dicom-deidentify}
skip() {
    if [ "${CI:-}" = true ]; then echo "slurm check: $1" >&2; exit 1; fi
    echo "slurm check skipped: $1"; exit 0
}
if ! command -v slurmctld >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || skip "Slurm is not installed and this is not root"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >/dev/null \
        || skip "cannot install slurmctld slurmd slurm-client munge"
fi
python3 -c 'import pydicom' 2>/dev/null || skip "python3 pydicom is missing"
[ -x "$tool" ] || skip "$tool is not built"
state=$(mktemp -d "${TMPDIR:-/tmp}/dicom-deid-slurm.XXXXXX")
trap '"$here/stop-cluster.sh" "$state/cluster"; rm -rf "$state"' EXIT
"$here/start-cluster.sh" "$state/cluster"
SLURM_CONF="$state/cluster/slurm.conf" "$here/run-check.sh" "$tool" "$state/work"
