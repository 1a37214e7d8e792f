#!/bin/bash
# The Slurm check of docs/scale-out.md, on a running cluster (start-cluster.sh; SLURM_CONF set): a corpus of
# 2,006 files (50 patients; one instance in five transfer syntaxes; an identical copy in another folder) planned
# into 4 parts, run as an array job with one task killed (SIGKILL) mid-run, its merge failing, the task run
# again, the merge passing; then the result compared with one process's, and no temporary left.
# Then the same corpus with RICORD's script and a shared PostgreSQL (@integer across tasks, check-numbers.py).
# usage: run-check.sh DICOM_DEIDENTIFY WORK_DIR     (needs python3 with pydicom)
set -euo pipefail
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=${2:?usage: run-check.sh DICOM_DEIDENTIFY WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
mkdir -p "$work" && work=$(cd "$work" && pwd)
rm -rf "$work/in" "$work/plan" "$work/out" "$work/one" "$work/plan-ricord" "$work/out-ricord" "$work"/*.log "$work"/*-audit.jsonl
python3 "$here/make-corpus.py" "$repo/Fixtures" "$work/in" >/dev/null
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret"; chmod 600 "$work/secret"
find "$work/in" -name '*.dcm' | sort > "$work/list.txt"
cert="$repo/Keys/test-recipient-a.crt"
cd "$work"
wait_for() { while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do sleep 1; done; }

ids=$(DEID_TOOL=$tool "$here/../submit.sh" list.txt plan out 4 secret "$cert")
echo "$ids"
parts=$(echo "$ids" | sed -E 's/.*parts ([0-9]+).*/\1/'); merge=$(echo "$ids" | sed -E 's/.*merge ([0-9]+).*/\1/')
# Kill task 1 once it has committed some outputs.
for _ in $(seq 1 6000); do
    [ -s plan/part-1-audit.jsonl ] && [ "$(wc -l < plan/part-1-audit.jsonl)" -ge 5 ] && break
    sleep 0.05
done
scancel --signal=KILL "${parts}_1" && echo "killed task ${parts}_1 after $(wc -l < plan/part-1-audit.jsonl) records"
wait_for "$merge"
if grep -q '^merged' "deid-merge-$merge.log"; then
    echo "run-check: the merge passed although task 1 was killed (killed too late?)" >&2; exit 1
fi
grep '^error:\|^merge of' "deid-merge-$merge.log" | tail -1
# Run the killed task again, with the same command, then the merge.
again=$(sbatch --parsable --export=ALL,DEID_TOOL="$tool",DEID_PLAN="$work/plan",DEID_OUTPUT="$work/out",DEID_SECRET="$work/secret",DEID_RECIPIENT="$cert" --array=1 "$here/../part.sbatch")
merge2=$(sbatch --parsable --export=ALL,DEID_TOOL="$tool",DEID_PLAN="$work/plan",DEID_OUTPUT="$work/out" --dependency=afterok:"$again" "$here/../merge.sbatch")
wait_for "$merge2"
cat "deid-merge-$merge2.log"
grep -q '^merged' "deid-merge-$merge2.log"
if find out -name '.dicom-deid-tmp-*' | grep -q .; then echo "run-check: temporaries left" >&2; exit 1; fi
"$tool" --files-from list.txt --output "$work/one" --recipient "$cert" --secret secret --quiet > one.log 2>&1
python3 "$here/compare-outputs.py" "$work/one" "$work/out"

# RICORD's script (@integer patient numbers) with one shared PostgreSQL mapping database: the 4 tasks number the
# 50 patients (and the fixtures' own) at once; each gets one number, 1...P. Needs DICOM_DEID_TEST_POSTGRES_URL (.ci/run starts one);
# skipped with a message without it, except under CI=true.
url=${DICOM_DEID_TEST_POSTGRES_URL:-}
if [ -z "$url" ]; then
    if [ "${CI:-}" = true ]; then echo "run-check: DICOM_DEID_TEST_POSTGRES_URL is unset (CI=true)" >&2; exit 1; fi
    echo "run-check: RICORD with a shared PostgreSQL skipped: DICOM_DEID_TEST_POSTGRES_URL is unset"; exit 0
fi
# A number type of its own (the database may hold earlier runs' numbers): the script's "ptid" renamed.
type="ptid-slurm-$$-$RANDOM"
sed "s/\"ptid\"/\"$type\"/g" "$repo/Profiles/ricord/ricord.script" > ricord.script
grep -q "\"$type\"" ricord.script
ids=$(DEID_TOOL=$tool "$here/../submit.sh" list.txt plan-ricord out-ricord 4 secret "$cert" --ctp-script "$work/ricord.script" \
    --ctp-param SITEID=SLURM --ctp-param UIDROOT=1.2.826.0.1.3680043.10.999 --mapping-db "$url")
echo "RICORD on PostgreSQL: $ids"
merge=$(echo "$ids" | sed -E 's/.*merge ([0-9]+).*/\1/')
wait_for "$merge"
cat "deid-merge-$merge.log"
grep -q '^merged' "deid-merge-$merge.log"
python3 "$here/check-numbers.py" out-ricord-audit.jsonl SLURM 50
