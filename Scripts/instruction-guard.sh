#!/usr/bin/env bash
# Per-file cost guard (issue 23): instructions per file of dicom-deidentify and dicom-reidentify, counted by
# valgrind's callgrind (deterministic, unlike wall time on a shared machine), against the budget committed in
# bench/instruction-budget.json. Fails when a count is more than the budget's tolerance (10%) above its budget.
#
#   bash Scripts/instruction-guard.sh [--update] [--keep DIR]
#
# Builds release into .build/instruction-guard with `-Xcc -gdwarf-4`: clang's default DWARF 5 for the C target
# of a dependency (Yams' CYaml) makes valgrind 3.19 give up ("Possibly corrupted debuginfo file"); DWARF 4 it
# reads. Then generates a fixed small corpus (Scripts/make-fixtures.py --kind small --count 50), and runs with
# -j 1 under callgrind:
#   dicom-deidentify  --recipient Keys/test-recipient-a.crt --cipher aes256 --secret (fixed) --no-audit-log
#   dicom-reidentify  --key/--certificate Keys/test-recipient-a.* --reason guard --audit-log (a temporary file)
# each on the whole corpus and on its first file alone; instructions per file = (whole - one) / (count - 1), so
# start-up (argument parsing, profile tables, key loading) is left out.
#
# The budget is the contract: a change that makes a file cost more must raise the budget in the same commit, and
# say why. --update writes the measured counts into the budget file (review the diff before committing it).
# A count more than the tolerance below its budget is reported, not failed: lower the budget to keep the gain.
#
# Counts are of valgrind's simulated CPU: it has no SHA extensions, so OpenSSL's SHA-256 runs its AVX2 code and
# costs several times what it costs on a CPU with SHA-NI; RSA and AES are counted as run.
#
# Environment:
#   BIN_DIR   folder holding release dicom-deidentify and dicom-reidentify: skips the build (e.g. to try a
#             deliberately slowed build against the budget).
#   PYTHON    Python 3 with pydicom, for make-fixtures.py (default: python3).
#   CI        under CI=true a missing valgrind fails; otherwise the guard is skipped with a message.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUDGET=$ROOT/bench/instruction-budget.json
PYTHON=${PYTHON:-python3}
UPDATE=0
KEEP=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --update) UPDATE=1 ;;
        --keep) [[ $# -ge 2 ]] || { echo "instruction-guard.sh: --keep needs a folder" >&2; exit 2; }
                KEEP=$2; shift ;;
        -h|--help) sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "instruction-guard.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
log() { echo "instruction-guard: $*" >&2; }

if ! command -v valgrind >/dev/null; then
    if [[ "${CI:-}" == true ]]; then
        echo "instruction-guard.sh: valgrind is not installed (apt-get install valgrind); CI needs it" >&2
        exit 1
    fi
    log "valgrind is not installed (apt-get install valgrind): skipped"
    exit 0
fi

COUNT=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["corpus"]["count"])' "$BUDGET")
TOLERANCE=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["tolerance"])' "$BUDGET")

# --- build ------------------------------------------------------------------------------------------------
if [[ -n "${BIN_DIR:-}" ]]; then
    BIN=$(cd "$BIN_DIR" && pwd)
else
    FLAGS=(-c release -Xcc -gdwarf-4 --scratch-path "$ROOT/.build/instruction-guard")
    log "swift build ${FLAGS[*]}"
    (cd "$ROOT" && swift build "${FLAGS[@]}" --product dicom-deidentify >&2 \
                && swift build "${FLAGS[@]}" --product dicom-reidentify >&2)
    BIN=$(cd "$ROOT" && swift build "${FLAGS[@]}" --show-bin-path)
fi
for tool in dicom-deidentify dicom-reidentify; do
    [[ -x "$BIN/$tool" ]] || { echo "instruction-guard.sh: $BIN/$tool not found" >&2; exit 2; }
done

# --- corpus -----------------------------------------------------------------------------------------------
if [[ -n $KEEP ]]; then
    mkdir -p "$KEEP"
    WORK=$(cd "$KEEP" && pwd)
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
"$PYTHON" "$ROOT/Scripts/make-fixtures.py" --bench-corpus "$WORK/corpus" --kind small --count "$COUNT" >&2
mkdir -p "$WORK/one"
FIRST=$(find "$WORK/corpus" -type f -name '*.dcm' | sort | head -n 1)
cp "$FIRST" "$WORK/one/"
SECRET=$WORK/secret
printf '%s\n' "0123456789abcdef0123456789abcdef-dicom-deid-guard-secret" > "$SECRET"
chmod 600 "$SECRET"
CERT=$ROOT/Keys/test-recipient-a.crt
KEY=$ROOT/Keys/test-recipient-a.key

# callgrind NAME CMD... : runs CMD under callgrind, prints the instructions it executed.
callgrind() {
    local name=$1; shift
    # Hash seeds fixed, so dictionary work is the same from run to run.
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.callgrind" \
        "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
        echo "instruction-guard.sh: $name failed:" >&2
        tail -n 20 "$WORK/$name.err" >&2
        exit 1
    }
    awk '/^summary:|^totals:/ {print $2; exit}' "$WORK/$name.callgrind"
}

deidentify() {  # INPUT OUTPUT
    callgrind "deidentify-$(basename "$1")" "$BIN/dicom-deidentify" "$1" -o "$2" --recipient "$CERT" \
        --cipher aes256 --secret "$SECRET" --no-audit-log --quiet -j 1
}
reidentify() {  # INPUT OUTPUT
    callgrind "reidentify-$(basename "$1")" "$BIN/dicom-reidentify" "$1" -o "$2" --key "$KEY" --certificate "$CERT" \
        --reason guard --audit-log "$2.audit.jsonl" --quiet -j 1
}

log "de-identifying $COUNT files and 1 file under callgrind"
DEID_ALL=$(deidentify "$WORK/corpus" "$WORK/deid-corpus")
DEID_ONE=$(deidentify "$WORK/one" "$WORK/deid-one")
log "re-identifying them under callgrind"
REID_ALL=$(reidentify "$WORK/deid-corpus" "$WORK/reid-corpus")
REID_ONE=$(reidentify "$WORK/deid-one" "$WORK/reid-one")
written=$(find "$WORK/reid-corpus" -type f -name '*.dcm' | wc -l)
[[ $written == "$COUNT" ]] || { echo "instruction-guard.sh: re-identified $written of $COUNT files" >&2; exit 1; }

# --- compare ----------------------------------------------------------------------------------------------
"$PYTHON" - "$BUDGET" "$UPDATE" "$COUNT" "$TOLERANCE" "$DEID_ALL" "$DEID_ONE" "$REID_ALL" "$REID_ONE" <<'EOF'
import json, sys
path, update, count, tolerance = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), float(sys.argv[4])
deid_all, deid_one, reid_all, reid_one = map(int, sys.argv[5:9])
measured = {
    "deidentify": round((deid_all - deid_one) / (count - 1)),
    "reidentify": round((reid_all - reid_one) / (count - 1)),
}
startup = {"deidentify": deid_one - measured["deidentify"], "reidentify": reid_one - measured["reidentify"]}
budget = json.load(open(path))
print(f"| step | instructions per file | budget | change | start-up (one run) |")
print(f"|---|---:|---:|---:|---:|")
failed = []
for step, value in measured.items():
    limit = budget["instructionsPerFile"].get(step, 0)
    if limit <= 0:
        print(f"| {step} | {value:,} | none | | {startup[step]:,} |")
        failed.append(f"{step}: no budget")
        continue
    change = (value - limit) / limit
    print(f"| {step} | {value:,} | {limit:,} | {change:+.1%} | {startup[step]:,} |")
    if change > tolerance:
        failed.append(f"{step}: {value:,} instructions per file, {change:+.1%} over the budget of {limit:,}")
    elif change < -tolerance:
        print(f"instruction-guard: {step} is {-change:.1%} under its budget: lower it in {path.split('/')[-2]}/"
              f"{path.split('/')[-1]} (--update) to keep the gain", file=sys.stderr)
if update:
    budget["instructionsPerFile"] = measured
    with open(path, "w") as f:
        json.dump(budget, f, indent=2)
        f.write("\n")
    print("instruction-guard: budget updated; commit it with the change that explains it", file=sys.stderr)
elif failed:
    for line in failed:
        print(f"instruction-guard: FAILED {line} (tolerance {tolerance:.0%}); make it cheaper, or raise the "
              f"budget in bench/instruction-budget.json in the same commit and say why", file=sys.stderr)
    sys.exit(1)
EOF
