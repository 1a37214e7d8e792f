#!/bin/bash
# CI step (.ci/run): the Kubernetes checks without a cluster — the entrypoint's own checks (entrypoint-check.sh), the manifests deserialize into Kubernetes objects
# and fit the entrypoint (check-manifests.py, Debian's python3-kubernetes, installed when missing and this runs
# as root), and the entrypoint run as the Jobs run it gives one process's result (run-check.sh). Without what
# they need the checks are skipped with a message, except under CI=true where that is a failure.
# usage: ci.sh [DICOM_DEIDENTIFY]   (default: .build/debug/dicom-deidentify)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tool=${1:-$repo/.build/debug/dicom-deidentify}
skip() {
    if [ "${CI:-}" = true ]; then echo "kubernetes check: $1" >&2; exit 1; fi
    echo "kubernetes check skipped: $1"; exit 0
}
"$here/entrypoint-check.sh"
# The interpreter with the kubernetes client: python3 on PATH, else Debian's own (python3-kubernetes).
kube_python() {
    for p in python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null && "$p" -c 'import kubernetes, yaml' 2>/dev/null; then echo "$p"; return; fi
    done
}
if [ -z "$(kube_python)" ] && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-kubernetes >/dev/null || true
fi
python=$(kube_python)
[ -n "$python" ] || skip "the python kubernetes client is missing (apt-get install python3-kubernetes)"
"$python" "$here/check-manifests.py" "$repo/deploy/kubernetes"
python3 -c 'import pydicom, yaml' 2>/dev/null || skip "python3 pydicom or yaml is missing"
[ -x "$tool" ] || skip "$tool is not built"
work=$(mktemp -d "${TMPDIR:-/tmp}/dicom-deid-kubernetes.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/run-check.sh" "$tool" "$work"
