#!/bin/bash
# The Kubernetes simulation of docs/scale-out.md, without a cluster: the container's entrypoint run as the Jobs
# run it, with each Job's environment from its manifest (paths moved into WORK_DIR) — the plan, then the N
# parts at once, each with its JOB_COMPLETION_INDEX, then the merge — and the result compared with one process's
# (the Slurm check's comparison: same names, same bytes outside (0400,0500), same audit log). A part run again
# (a restarted pod) has nothing left to do; a pod without JOB_COMPLETION_INDEX is refused.
# usage: run-check.sh DICOM_DEIDENTIFY WORK_DIR [PATIENTS [PER_PATIENT]]     (needs python3 with pydicom)
set -euo pipefail
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=${2:?usage: run-check.sh DICOM_DEIDENTIFY WORK_DIR [PATIENTS [PER_PATIENT]]}
here=$(cd "$(dirname "$0")" && pwd)
kube=$(cd "$here/.." && pwd)
repo=$(cd "$kube/../.." && pwd)
slurm_ci=$repo/deploy/slurm/ci
mkdir -p "$work" && work=$(cd "$work" && pwd)
rm -rf "$work/in" "$work/state" "$work/one" "$work"/*.log "$work"/one-audit.jsonl
python3 "$slurm_ci/make-corpus.py" "$repo/Fixtures" "$work/in" "${3:-12}" "${4:-10}" >/dev/null
mkdir -p "$work/state/secret" "$work/state/recipient"
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/state/secret/secret"; chmod 600 "$work/state/secret/secret"
cp "$repo/Keys/test-recipient-a.crt" "$work/state/recipient/recipient.crt"
find "$work/in" -name '*.dcm' | sort > "$work/in/list.txt"

# The environment a Job's container gets, its mount points moved under WORK_DIR (the manifests' values).
job_env() {  # job_env MANIFEST -> NAME=VALUE lines
    python3 - "$kube/$1" "$work" <<'PY'
import sys, yaml
manifest, work = sys.argv[1], sys.argv[2]
moves = {'/mnt/inputs': work + '/in', '/var/lib/dicom-deid': work + '/state/work',
         '/run/secrets/dicom-deid-recipient': work + '/state/recipient', '/run/secrets/dicom-deid': work + '/state/secret'}
job = next(d for d in yaml.safe_load_all(open(manifest)) if d and d['kind'] == 'Job')
for e in job['spec']['template']['spec']['containers'][0]['env']:
    value = str(e['value'])
    for mount, local in moves.items():
        if value == mount or value.startswith(mount + '/'):
            value = local + value[len(mount):]
            break
    print(f"{e['name']}={value}")
PY
}
run_step() {  # run_step MANIFEST STEP [VAR=VALUE...]: the entrypoint with that Job's environment only
    local manifest=$1 step=$2; shift 2
    local vars; mapfile -t vars < <(job_env "$manifest")
    env -i PATH="$PATH" HOME="$work/state" DEID_TOOL="$tool" "${vars[@]}" "$@" "$kube/entrypoint.sh" "$step"
}
parts=$(python3 -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1]))['spec']['completions'])" "$kube/parts-job.yaml")
mkdir -p "$work/state/work"
cd "$work"
run_step plan-job.yaml plan > plan.log 2>&1 || { cat plan.log >&2; exit 1; }
pids=()
for k in $(seq 0 $((parts - 1))); do
    run_step parts-job.yaml part JOB_COMPLETION_INDEX="$k" > "part-$k.log" 2>&1 & pids+=($!)
done
for k in "${!pids[@]}"; do
    wait "${pids[$k]}" || { echo "run-check: part $k failed:" >&2; cat "part-$k.log" >&2; exit 1; }
done
run_step merge-job.yaml merge > merge.log 2>&1 || { cat merge.log >&2; exit 1; }
cat plan.log
tail -2 merge.log
# A restarted pod runs the same command: nothing left to do, nothing written.
run_step parts-job.yaml part JOB_COMPLETION_INDEX=0 > again.log 2>&1
grep -q 'nothing left to do' again.log || { echo "run-check: part 0 run again did not find its work done:" >&2; cat again.log >&2; exit 1; }
if run_step parts-job.yaml part > noindex.log 2>&1; then echo "run-check: a part without JOB_COMPLETION_INDEX ran" >&2; exit 1; fi
grep -q 'JOB_COMPLETION_INDEX' noindex.log
if find "$work/state/work/out" -name '.dicom-deid-tmp-*' | grep -q .; then echo "run-check: temporaries left" >&2; exit 1; fi
# One process, with the parts' profile options.
options=$(job_env parts-job.yaml | sed -n 's/^DEID_OPTIONS=//p')
# shellcheck disable=SC2086
"$tool" --files-from "$work/in/list.txt" --output "$work/one" --recipient "$work/state/recipient/recipient.crt" \
    --secret "$work/state/secret/secret" --quiet $options > one.log 2>&1 || { cat one.log >&2; exit 1; }
# compare-outputs.py compares ONE with ONE-audit.jsonl and PARTS with PARTS-audit.jsonl.
python3 "$slurm_ci/compare-outputs.py" "$work/one" "$work/state/work/out"
