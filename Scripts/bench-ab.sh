#!/usr/bin/env bash
# Release binaries of several commits alternated in one run: the per-file A/B that docs/performance.md reports.
#
#   bash Scripts/bench-ab.sh CORPUS RUNS LABEL=BIN_DIR [LABEL=BIN_DIR ...]
#
# CORPUS: a folder of DICOM files (Scripts/make-fixtures.py --bench-corpus DIR --kind small|large makes them; put
# it on tmpfs, /dev/shm, to time the tools rather than the disk). Each BIN_DIR holds dicom-deidentify and
# dicom-reidentify of one commit (a release build's .build/release). Per round, every binary de-identifies the
# corpus (AES-256, RSA-2048 test recipient A, --no-audit-log), then every binary re-identifies its own
# de-identified copy (with --reason and an audit trail where the binary has them): the binaries take turns, so
# a slow moment of the machine falls on all of them. Prints the median wall and CPU (user + sys) time of each.
# Work folder: $AB_WORK (default: a new folder under ${TMPDIR:-/tmp}), removed at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -ge 3 ]] || { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
CORPUS=$1; RUNS=$2; shift 2
[[ -d $CORPUS ]] || { echo "bench-ab.sh: $CORPUS is not a folder" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench-ab.sh: RUNS must be a positive number" >&2; exit 2; }
TIME_BIN=$(command -v /usr/bin/time || true)
[[ -x $TIME_BIN ]] || { echo "bench-ab.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
labels=(); declare -A BIN
for pair in "$@"; do
    label=${pair%%=*}; dir=${pair#*=}
    [[ $label != "$pair" && -x $dir/dicom-deidentify && -x $dir/dicom-reidentify ]] || {
        echo "bench-ab.sh: $pair: LABEL=BIN_DIR with dicom-deidentify and dicom-reidentify expected" >&2; exit 2; }
    labels+=("$label"); BIN[$label]=$dir
done
W=${AB_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/dicom-deid-ab.XXXXXX")}
mkdir -p "$W"; trap 'rm -rf "$W"' EXIT
head -c 32 /dev/urandom > "$W/secret"; chmod 600 "$W/secret"
CERT=$ROOT/Keys/test-recipient-a.crt; KEY=$ROOT/Keys/test-recipient-a.key
for l in "${labels[@]}"; do
    "${BIN[$l]}/dicom-deidentify" "$CORPUS" --output "$W/$l-de" --recipient "$CERT" --secret "$W/secret" --cipher aes256 --no-audit-log -q >/dev/null 2>&1
done
: > "$W/results"
for ((i = 1; i <= RUNS; i++)); do
    for kind in de re; do
        for l in "${labels[@]}"; do
            out="$W/$l-$kind-$i"
            if [[ $kind == de ]]; then
                "$TIME_BIN" -f "%e %U %S" -o "$W/t" "${BIN[$l]}/dicom-deidentify" "$CORPUS" --output "$out" --recipient "$CERT" \
                    --secret "$W/secret" --cipher aes256 --no-audit-log -q >/dev/null 2>&1
            else
                extra=()
                "${BIN[$l]}/dicom-reidentify" --help 2>/dev/null | grep -q -- '--reason' && extra=(--reason bench-ab --audit-log "$W/$l-re-$i.jsonl")
                "$TIME_BIN" -f "%e %U %S" -o "$W/t" "${BIN[$l]}/dicom-reidentify" "$W/$l-de" --output "$out" --key "$KEY" \
                    "${extra[@]}" -q >/dev/null 2>&1
            fi
            read -r e u s < <(tail -n 1 "$W/t")
            echo "$l $kind $e $u $s" >> "$W/results"
            rm -rf "$out"
        done
    done
done
python3 - "$W/results" "$(find "$CORPUS" -type f | wc -l)" "${labels[@]}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
files, labels = int(sys.argv[2]), sys.argv[3:]
for kind, name in (("de", "de-identify"), ("re", "re-identify")):
    for label in labels:
        mine = [r for r in rows if r[0] == label and r[1] == kind]
        wall = statistics.median(float(r[2]) for r in mine)
        cpu = statistics.median(float(r[3]) + float(r[4]) for r in mine)
        print(f"{name:12} {label:10} wall {wall:.3f} s ({files / wall:,.0f} files/s)  CPU {cpu:.2f} s  (median of {len(mine)})")
PY
