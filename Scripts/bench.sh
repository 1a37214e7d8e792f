#!/usr/bin/env bash
# Throughput benchmark of dicom-deid (issues 2 and 6). Speed is tracked here, never by timed tests.
#
#   bash Scripts/bench.sh [--quick] [--runs N] [--skip-build] [--corpora LIST]
#
# --corpora: comma-separated subset of large,small,us-cine,pixels,scale,ocr,gateway (default: the first six).
# Builds in release mode, generates two deterministic corpora with Scripts/make-fixtures.py (large: ~900 files,
# ~0.5 GB incl. a 50 MB multi-frame; small: 5,000 files of ~12 KB) into a work folder, and times, per corpus:
#   cat of every file (read floor), cp -r (copy floor), cp -r + fsync of each copy (the durability the tools give),
#   dicom-bench codec --mode write (parse + encode + byte check, all cores), dicom-deidentify (AES-256,
#   RSA-2048 recipient A, a temporary 0600 secret, --no-audit-log), dicom-reidentify of that output,
#   dicom-review check --key of that output (the leftover-identity check; a finding fails the bench), the same
#   dicom-deidentify with the RICORD CTP script (Profiles/ricord, a fresh SQLite --mapping-db per run beside its
#   output; its time over the built-in profile's is printed as RICORD / built-in), dicom-review inventory
#   (built-in profile, JSON + CSV report, no values), and gdcmanon -e (if installed).
# Issue 12 (pixel cleaning): a US cine corpus (60 files of 30 frames 640x480 8-bit, half native, half the same
# frames in JPEG Baseline, ~0.4 GB; every file declares an Ultrasound Region with text outside it) timed with
# dicom-deidentify plain and with --clean-pixel-data, side by side (also per sub-folder), and dicom-reidentify
# of the cleaned output; then dicom-bench pixels: the per-frame cost of cleaning in each encoding (512x512).
# Issue 20 (scale-out, docs/scale-out.md), on the small corpus: one process against plan (4 parts) + the 4 parts
# run one after the other + merge, in CPU time (user + sys) as well as wall time: planning files per CPU second
# against de-identification's, and plan + merge as a share of one process (the goal is under 10%).
# Each: one warm-up, then the median wall time of N runs (default 3), files/s and MB/s of its input, peak RSS
# (GNU time %M) and the ratio to cp -r measured in the same session. The file system is synced before each run.
# Issue 19 (ocr; needs Tesseract's English data, pydicom, Pillow and the fonts Scripts/setup.sh installs): the
# images of Scripts/make-ocr-corpus.py (--count 8: 640x480 colour US and screens, 512x512 grey XA and CT) and its
# 30-frame cines (--cine 30: a static banner over a still or a moving sector, native, RLE, JPEG Baseline, and a
# banner with a clock over a still sector), each through dicom-bench text (CPU ms of --detect-text for the first
# frame alone and for the whole file, and their ratio: the goal for the static-banner cine is at most 3; for the
# cines also --compare-whole: every distinct frame read whole, its CPU, and the frames where the default reading
# blanks less); then the us-cine corpus with --clean-pixel-data against --clean-pixel-data --detect-text.
# Issue 21 (gateway, only when named): Scripts/bench-gateway.sh: 4 dcmtk storescu associations x 1,000 small CT
# instances, dicom-gateway (spool, de-identify, forward to a folder) against storescp + dicom-deidentify, with the
# gateway's memory after 1,000 and 4,000 instances (--quick: 4 x 250).
#
# Every run writes into a new folder, and no output is deleted until the end: on ext4 without a journal, files
# created within a minute or more of deleting many others in the same place pay for it (the inode allocator
# steps over each recently deleted inode: up to 0.6 ms per new file here), which made the times depend on what
# the previous run removed. The work folder needs about 11 GB free for the full large and small corpora, and
# 16 GB more for us-cine; running the script twice within a few minutes on such a file system can still show
# the effect.
#
# Environment:
#   BENCH_DIR   work folder (default: bench-out/ at the repository root, git-ignored); corpora are kept there
#               and regenerated only when the generator changes.
#   BIN_DIR     folder holding dicom-bench, dicom-deidentify, dicom-reidentify and dicom-review; skips the build.
#   PYTHON      Python 3 with pydicom, for make-fixtures.py (default: python3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QUICK=0
RUNS=3
SKIP_BUILD=0
CORPORA=large,small,us-cine,pixels,scale,ocr
usage() {
    sed -n '2,46p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1; RUNS=1 ;;
        --runs) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --runs needs a positive number" >&2; exit 2; }
                RUNS=$2; shift ;;
        --skip-build) SKIP_BUILD=1 ;;
        --corpora) [[ $# -ge 2 && "$2" =~ ^(large|small|us-cine|pixels|scale|ocr|gateway)(,(large|small|us-cine|pixels|scale|ocr|gateway))*$ ]] || {
                       echo "bench.sh: --corpora needs a comma-separated list of large, small, us-cine, pixels, scale, ocr, gateway" >&2; exit 2; }
                   CORPORA=$2; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

WORK=${BENCH_DIR:-$ROOT/bench-out}
PYTHON=${PYTHON:-python3}
CERT=$ROOT/Keys/test-recipient-a.crt
KEY=$ROOT/Keys/test-recipient-a.key
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
log() { echo "bench: $*" >&2; }

# --- build ------------------------------------------------------------------------------------------------
if [[ -n "${BIN_DIR:-}" ]]; then
    BIN=$BIN_DIR
elif [[ $SKIP_BUILD == 1 ]]; then
    BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
else
    log "swift build -c release"
    (cd "$ROOT" && swift build -c release >&2)
    BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)
fi
# The scale-out entries alone need only dicom-deidentify.
tools=(dicom-deidentify)
[[ $CORPORA == scale || $CORPORA == gateway ]] || tools+=(dicom-bench dicom-reidentify dicom-review)
[[ ",$CORPORA," == *",gateway,"* ]] && tools+=(dicom-gateway)
for tool in "${tools[@]}"; do
    [[ -x "$BIN/$tool" ]] || { echo "bench.sh: $BIN/$tool not found (build first or set BIN_DIR)" >&2; exit 2; }
done

# --- peak RSS via GNU time ----------------------------------------------------------------------------------
TIME_BIN=""
if /usr/bin/time -f %M true >/dev/null 2>&1; then
    TIME_BIN=/usr/bin/time
elif [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing GNU time for peak RSS"
    if apt-get install -y -qq time >/dev/null 2>&1 && /usr/bin/time -f %M true >/dev/null 2>&1; then
        TIME_BIN=/usr/bin/time
    fi
fi
[[ -n $TIME_BIN ]] || log "GNU time not available (apt-get install time): peak RSS shown as n/a"

# --- corpora ----------------------------------------------------------------------------------------------
if [[ $QUICK == 1 ]]; then LARGE_COUNT=40; SMALL_COUNT=500; else LARGE_COUNT=""; SMALL_COUNT=""; fi
GEN_HASH=$(sha256sum "$ROOT/Scripts/make-fixtures.py" | cut -c1-16)

# make_corpus KIND COUNT [GENERATOR ARGS...] -> prints the corpus folder
make_corpus() {
    local kind=$1 count=$2 dir stamp
    shift 2
    dir="$WORK/corpus-$kind${count:+-$count}"
    stamp="$GEN_HASH $kind ${count:-default} $*"
    if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
        log "corpus $kind: reusing $dir"
    else
        rm -rf "$dir"
        log "corpus $kind: generating into $dir"
        "$PYTHON" "$ROOT/Scripts/make-fixtures.py" --bench-corpus "$dir" --kind "$kind" ${count:+--count "$count"} "$@" >&2
        echo "$stamp" > "$dir/.stamp"
    fi
    echo "$dir"
}

# --- measurement ------------------------------------------------------------------------------------------
SECRET=$(mktemp "$WORK/secret.XXXXXX")
chmod 600 "$SECRET"
printf '%s\n' "0123456789abcdef0123456789abcdef-dicom-deid-bench-secret" > "$SECRET"
RUN_DIR="$WORK/runs"
cleanup() { rm -f "$SECRET"; rm -rf "$RUN_DIR"; }
trap cleanup EXIT
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
# Outputs are kept until the end (see the top): check there is room for them.
NEED_KB=0
has_corpus() { [[ ",$CORPORA," == *",$1,"* ]]; }
has_corpus large && NEED_KB=$((NEED_KB + $([[ $QUICK == 1 ]] && echo 1200000 || echo 10000000)))
has_corpus small && NEED_KB=$((NEED_KB + $([[ $QUICK == 1 ]] && echo 300000 || echo 2000000)))
has_corpus scale && NEED_KB=$((NEED_KB + $([[ $QUICK == 1 ]] && echo 300000 || echo 2000000)))
has_corpus us-cine && NEED_KB=$((NEED_KB + $([[ $QUICK == 1 ]] && echo 1000000 || echo 16000000)))
has_corpus ocr && NEED_KB=$((NEED_KB + $([[ $QUICK == 1 ]] && echo 1000000 || echo 4000000)))
AVAIL_KB=$(df -Pk "$RUN_DIR" | awk 'NR == 2 {print $4}')
if [[ -n $AVAIL_KB && $AVAIL_KB -lt $NEED_KB ]]; then
    echo "bench.sh: $RUN_DIR has $((AVAIL_KB / 1000)) MB free; the runs need about $((NEED_KB / 1000)) MB" >&2
    exit 2
fi

# Bytes and file count of the regular files under a folder (the generator's .stamp excluded).
count_files() { find "$1" -type f ! -name .stamp | wc -l; }
count_bytes() { find "$1" -type f ! -name .stamp -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# run_once OUT CMD... : runs CMD (may use $OUT) with OUT, a folder path not used before; sets LAST_S and
# LAST_KB. The output stays until the end of the script (see the note on deleting at the top).
run_once() {
    local out=$1; shift
    local rss_file="$RUN_DIR/rss" start end status=0
    start=$(date +%s%N)
    if [[ -n $TIME_BIN ]]; then
        OUT=$out "$TIME_BIN" -f %M -o "$rss_file" "$@" >"$RUN_DIR/stdout" 2>"$RUN_DIR/stderr" || status=$?
    else
        OUT=$out "$@" >"$RUN_DIR/stdout" 2>"$RUN_DIR/stderr" || status=$?
    fi
    end=$(date +%s%N)
    if [[ $status != 0 ]]; then
        echo "bench.sh: command failed (exit $status): $*" >&2
        tail -n 20 "$RUN_DIR/stderr" >&2
        exit 1
    fi
    LAST_S=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
    LAST_KB=$([[ -n $TIME_BIN ]] && tail -n 1 "$rss_file" || echo "")
}

# measure LABEL FILES BYTES CMD... : warm-up + RUNS timed runs, each into a new folder; the last one is left
# in LAST_OUT; appends a row to ROWS and sets MEDIAN.
measure() {
    local label=$1 files=$2 bytes=$3; shift 3
    local slug times=() peak=0 i
    slug=$(echo "$label" | tr -c 'A-Za-z0-9\n' '-')
    log "  $label: warm-up + $RUNS run(s)"
    sync -f "$RUN_DIR" 2>/dev/null || sync
    run_once "$RUN_DIR/$KIND-$slug.warm-up" "$@"
    for ((i = 1; i <= RUNS; i++)); do
        LAST_OUT="$RUN_DIR/$KIND-$slug.$i"
        sync -f "$RUN_DIR" 2>/dev/null || sync
        run_once "$LAST_OUT" "$@"
        times+=("$LAST_S")
        if [[ -n $LAST_KB && $LAST_KB -gt $peak ]]; then peak=$LAST_KB; fi
    done
    MEDIAN=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    local rss="n/a"
    [[ -n $TIME_BIN ]] && rss=$(awk -v k="$peak" 'BEGIN {printf "%.0f", k / 1024}')
    ROWS+=("$label|$files|$bytes|$MEDIAN|$rss")
}

# table CORPUS_LABEL : prints the rows collected for one corpus; ratios are to the "cp -r" row.
table() {
    local corpus=$1 cp_s row label files bytes s rss
    cp_s=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$1 == "cp -r" {print $4}')
    echo
    echo "**$corpus**"
    echo
    echo "| step | files | MB | seconds | files/s | MB/s | peak RSS (MB) | × cp -r |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r label files bytes s rss <<<"$row"
        awk -v l="$label" -v f="$files" -v b="$bytes" -v s="$s" -v r="$rss" -v c="$cp_s" 'BEGIN {
            s0 = (s > 0) ? s : 0.001
            printf "| %s | %d | %.1f | %.2f | %.0f | %.1f | %s | %.1f |\n", l, f, b / 1e6, s, f / s0, b / 1e6 / s0, r, s / c
        }'
    done
}

bench_corpus() {
    local kind=$1 count=$2 corpus files bytes deid_out deid_files deid_bytes
    KIND=$kind   # output folders are per corpus: the corpora share UIDs
    corpus=$(make_corpus "$kind" "$count")
    files=$(count_files "$corpus")
    bytes=$(count_bytes "$corpus")
    ROWS=()
    log "corpus $kind: $files files, $((bytes / 1000000)) MB"
    # The floors. xargs cat reads every byte once; cp -r copies into page cache (no fsync).
    measure "cat > /dev/null" "$files" "$bytes" \
        bash -c 'find "$1" -type f ! -name .stamp -print0 | xargs -0 cat > /dev/null' _ "$corpus"
    measure "cp -r" "$files" "$bytes" bash -c 'cp -r "$1" "$OUT"' _ "$corpus"
    measure "cp -r, then one syncfs" "$files" "$bytes" bash -c 'cp -r "$1" "$OUT" && sync -f "$OUT"' _ "$corpus"
    measure "cp -r + fsync each file" "$files" "$bytes" \
        bash -c 'cp -r "$1" "$OUT" && find "$OUT" -type f -print0 | xargs -0 sync' _ "$corpus"
    measure "dicom-bench codec (parse+write, $(nproc) threads)" "$files" "$bytes" \
        "$BIN/dicom-bench" codec --mode write "$corpus"
    measure "dicom-deidentify" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" --recipient "$3" --cipher aes256 --secret "$4" --no-audit-log --quiet' _ \
        "$BIN/dicom-deidentify" "$corpus" "$CERT" "$SECRET"
    deid_out=$LAST_OUT
    builtin_s=$MEDIAN
    deid_files=$(count_files "$deid_out")
    deid_bytes=$(count_bytes "$deid_out")
    [[ $deid_files == "$files" ]] || { echo "bench.sh: dicom-deidentify wrote $deid_files of $files files" >&2; exit 1; }
    # The RICORD script: same cipher, recipient and secret; @integer numbers in a new SQLite file per run,
    # beside (not inside) the output folder, so every run numbers its patients from scratch.
    measure "dicom-deidentify, RICORD script" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" --recipient "$3" --cipher aes256 --secret "$4" --no-audit-log --quiet \
                 --ctp-script "$5" --ctp-param SITEID=BENCH --ctp-param UIDROOT=1.2.826.0.1.3680043.10.999 \
                 --mapping-db "$OUT.mapping.sqlite"' _ \
        "$BIN/dicom-deidentify" "$corpus" "$CERT" "$SECRET" "$ROOT/Profiles/ricord/ricord.script"
    ricord_s=$MEDIAN
    local ricord_files
    ricord_files=$(count_files "$LAST_OUT")
    [[ $ricord_files == "$files" ]] || { echo "bench.sh: dicom-deidentify (RICORD) wrote $ricord_files of $files files" >&2; exit 1; }
    # The inventory reads and plans every file (nothing de-identified): its report is two small files.
    measure "dicom-review inventory" "$files" "$bytes" \
        bash -c '"$1" inventory "$2" --report "$OUT" --quiet' _ "$BIN/dicom-review" "$corpus"
    measure "dicom-reidentify" "$deid_files" "$deid_bytes" \
        bash -c '"$1" "$2" -o "$OUT" --key "$3" --certificate "$4" --quiet --reason benchmark --audit-log "$OUT.audit.jsonl"' _ \
        "$BIN/dicom-reidentify" "$deid_out" "$KEY" "$CERT"
    # The leftover check of the same output with the key (reads only; exit 1 on a finding fails the bench); its
    # re-identification trail goes beside the run's output, not into the user's.
    # Releases before the re-identification trail of check (issue 24) have no --reidentify-audit-log.
    local trail_option=""
    "$BIN/dicom-review" check --help 2>/dev/null | grep -q -- --reidentify-audit-log && trail_option=--reidentify-audit-log
    measure "dicom-review check --key" "$deid_files" "$deid_bytes" \
        bash -c '"$1" check "$2" --key "$3" --certificate "$4" --quiet ${5:+"$5" "$OUT.audit.jsonl"}' _ \
        "$BIN/dicom-review" "$deid_out" "$KEY" "$CERT" "$trail_option"
    if command -v gdcmanon >/dev/null; then
        # gdcmanon walks a folder itself (flat corpus: no --recursive needed) and is single-threaded.
        measure "gdcmanon -e (AES-256, 1 thread)" "$files" "$bytes" \
            bash -c 'gdcmanon -e -c "$2" --aes256 --continue -i "$1" -o "$OUT"' _ "$corpus" "$CERT"
    fi
    local title="$kind corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB"
    TABLES+="$(table "$title")"$'\n'
    TABLES+=$'\n'"RICORD / built-in profile (dicom-deidentify): $(awk -v r="$ricord_s" -v b="$builtin_s" \
        'BEGIN {printf "%.2f (%.2f s / %.2f s)", r / (b > 0 ? b : 0.001), r, b}')"$'\n'
    if [[ $QUICK == 0 ]]; then
        log "  dicom-bench codec and engine details"
        DETAILS+=$'\n'"**$kind corpus, codec (dicom-bench codec)**"$'\n\n'
        DETAILS+="$("$BIN/dicom-bench" codec --runs "$RUNS" "$corpus")"$'\n'
        DETAILS+=$'\n'"**$kind corpus, engine in process (dicom-bench engine, 1 thread, no files written)**"$'\n\n'
        DETAILS+="$("$BIN/dicom-bench" engine --recipient "$CERT" --key "$KEY" --secret "$SECRET" "$corpus")"$'\n'
    fi
}

# cine_table TITLE FRAMES_PER_FILE : the rows collected for the US cine corpus, with frames/s; ratios to cp -r.
cine_table() {
    local title=$1 fpf=$2 cp_s row label files bytes s rss
    cp_s=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$1 == "cp -r" {print $4}')
    echo
    echo "**$title**"
    echo
    echo "| step | files | frames | MB | seconds | files/s | MB/s | frames/s | peak RSS (MB) | × cp -r |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        IFS='|' read -r label files bytes s rss <<<"$row"
        awk -v l="$label" -v f="$files" -v n="$fpf" -v b="$bytes" -v s="$s" -v r="$rss" -v c="$cp_s" 'BEGIN {
            s0 = (s > 0) ? s : 0.001
            printf "| %s | %d | %d | %.1f | %.2f | %.1f | %.1f | %.0f | %s | %.1f |\n", l, f, f * n, b / 1e6, s, f / s0, b / 1e6 / s0, f * n / s0, r, s / c
        }'
    done
}

# The sorted SHA-256 of the data set (after the file meta) of every .dcm file under a folder, Explicit VR Little
# Endian element (0012,0062) CS "NO" (Patient Identity Removed, which re-identification sets) left out.
dataset_hashes() {
    "$PYTHON" - "$1" <<'PY'
import hashlib, os, struct, sys
out = []
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".dcm") and not name.startswith("."):
            with open(os.path.join(root, name), "rb") as f:
                b = f.read()
            meta_end = 144 + struct.unpack_from("<I", b, 140)[0]
            out.append(hashlib.sha256(b[meta_end:].replace(b"\x12\x00b\x00CS\x02\x00NO", b"", 1)).hexdigest())
print("\n".join(sorted(out)))
PY
}

# ratio CLEAN_S PLAIN_S : "1.23 (4.56 s / 3.70 s)"
ratio() { awk -v c="$1" -v p="$2" 'BEGIN {printf "%.2f (%.2f s / %.2f s)", c / (p > 0 ? p : 0.001), c, p}'; }

# Issue 12: dicom-deidentify with and without --clean-pixel-data on a US cine corpus (native and JPEG Baseline
# halves, each file with an Ultrasound Region, so no rule is needed), then dicom-reidentify of the cleaned files.
bench_us_cine() {
    local count=$1 fpf=$2 corpus files bytes sub plain_s clean_s clean_out clean_files clean_bytes
    local deid=(--recipient "$CERT" --cipher aes256 --secret "$SECRET" --no-audit-log --quiet)
    KIND=us-cine
    corpus=$(make_corpus us-cine "$count" --frames "$fpf")
    files=$(count_files "$corpus")
    bytes=$(count_bytes "$corpus")
    ROWS=()
    log "corpus us-cine: $files files of $fpf frames, $((bytes / 1000000)) MB"
    measure "cat > /dev/null" "$files" "$bytes" \
        bash -c 'find "$1" -type f ! -name .stamp -print0 | xargs -0 cat > /dev/null' _ "$corpus"
    measure "cp -r" "$files" "$bytes" bash -c 'cp -r "$1" "$OUT"' _ "$corpus"
    measure "cp -r, then one syncfs" "$files" "$bytes" bash -c 'cp -r "$1" "$OUT" && sync -f "$OUT"' _ "$corpus"
    measure "dicom-deidentify" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" "${@:3}"' _ "$BIN/dicom-deidentify" "$corpus" "${deid[@]}"
    plain_s=$MEDIAN
    measure "dicom-deidentify --clean-pixel-data" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" "${@:3}" --clean-pixel-data' _ "$BIN/dicom-deidentify" "$corpus" "${deid[@]}"
    clean_s=$MEDIAN
    clean_out=$LAST_OUT
    clean_files=$(count_files "$clean_out")
    clean_bytes=$(count_bytes "$clean_out")
    [[ $clean_files == "$files" ]] || { echo "bench.sh: --clean-pixel-data wrote $clean_files of $files files" >&2; exit 1; }
    measure "dicom-reidentify of the cleaned files" "$clean_files" "$clean_bytes" \
        bash -c '"$1" "$2" -o "$OUT" --key "$3" --certificate "$4" --quiet --reason benchmark --audit-log "$OUT.audit.jsonl"' _ \
        "$BIN/dicom-reidentify" "$clean_out" "$KEY" "$CERT"
    # The restored data sets equal the originals byte for byte, Pixel Data included (outputs are named by UID,
    # so the two sets of contents are compared; file meta is regenerated, and Patient Identity Removed NO added).
    if ! cmp -s <(dataset_hashes "$corpus") <(dataset_hashes "$LAST_OUT"); then
        echo "bench.sh: the re-identified data sets are not the corpus's byte for byte" >&2
        exit 1
    fi
    local ratios="clean / plain, dicom-deidentify, whole corpus: $(ratio "$clean_s" "$plain_s")"
    for sub in native jpeg-baseline; do
        local sf sb
        sf=$(count_files "$corpus/$sub")
        sb=$(count_bytes "$corpus/$sub")
        measure "dicom-deidentify, $sub/ only" "$sf" "$sb" \
            bash -c '"$1" "$2" -o "$OUT" "${@:3}"' _ "$BIN/dicom-deidentify" "$corpus/$sub" "${deid[@]}"
        plain_s=$MEDIAN
        measure "dicom-deidentify --clean-pixel-data, $sub/ only" "$sf" "$sb" \
            bash -c '"$1" "$2" -o "$OUT" "${@:3}" --clean-pixel-data' _ "$BIN/dicom-deidentify" "$corpus/$sub" "${deid[@]}"
        ratios+=$'\n\n'"clean / plain, $sub/: $(ratio "$MEDIAN" "$plain_s")"
    done
    local title="us-cine corpus: $files files of $fpf frames 640x480 8-bit (native/ and jpeg-baseline/), $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB"
    TABLES+="$(cine_table "$title" "$fpf")"$'\n\n'"$ratios"$'\n'
}

# Issue 12: per-frame cost of cleaning in each pixel encoding (dicom-bench pixels on one 512x512 frame each).
bench_pixels() {
    local corpus seconds
    corpus=$(make_corpus codec-frames "")
    seconds=$([[ $QUICK == 1 ]] && echo 0.2 || echo 2)
    log "dicom-bench pixels ($seconds s per row)"
    TABLES+=$'\n'"**Per-frame cost of pixel cleaning (dicom-bench pixels)**"$'\n\n'
    TABLES+="$("$BIN/dicom-bench" pixels --seconds "$seconds" "$corpus")"$'\n'
}

# Issue 20: the scale-out steps against one process on the small corpus, in CPU time (user + sys from GNU time;
# wall time on a shared machine measures the neighbours). Per run: one process (with its audit log, as the parts
# keep theirs), then plan (4 parts), the 4 parts one after the other, merge; the median of RUNS of each.
# scale_once NAME CMD... : runs CMD, appends "wall cpu rss_kb" to $RUN_DIR/scale-NAME.
scale_once() {
    local name=$1; shift
    "$TIME_BIN" -f '%e %U %S %M' -o "$RUN_DIR/scale-time" "$@" >"$RUN_DIR/stdout" 2>"$RUN_DIR/stderr" || {
        echo "bench.sh: command failed: $*" >&2; tail -n 20 "$RUN_DIR/stderr" >&2; exit 1; }
    tail -n 1 "$RUN_DIR/scale-time" | awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}' >> "$RUN_DIR/scale-$name"
}
# scale_median NAME COLUMN : the median of one column (1 wall, 2 cpu, 3 rss) of a step's runs.
scale_median() { awk -v c="$2" '{print $c}' "$RUN_DIR/scale-$1" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
bench_scale() {
    local corpus files bytes list parts=4 i k out plan
    [[ -n $TIME_BIN ]] || { log "scale: GNU time is needed for CPU times; skipped"; return; }
    corpus=$(make_corpus small "$SMALL_COUNT")
    files=$(count_files "$corpus")
    bytes=$(count_bytes "$corpus")
    list="$RUN_DIR/scale-list.txt"
    find "$corpus" -type f ! -name .stamp | sort > "$list"
    log "scale: $files files, one process against plan + $parts parts + merge, warm-up + $RUNS run(s)"
    local deid=(--recipient "$CERT" --cipher aes256 --secret "$SECRET" --quiet)
    for ((i = 0; i <= RUNS; i++)); do
        rm -f "$RUN_DIR"/scale-{one,plan,parts,merge}.run
        out="$RUN_DIR/scale-one.$i"
        scale_once one.run "$BIN/dicom-deidentify" --files-from "$list" -o "$out" "${deid[@]}"
        plan="$RUN_DIR/scale-plan.$i"
        scale_once plan.run "$BIN/dicom-deidentify" --files-from "$list" --plan "$plan" --parts "$parts" --secret "$SECRET"
        for ((k = 0; k < parts; k++)); do
            scale_once parts.run "$BIN/dicom-deidentify" --plan "$plan" --part "$k" -o "$RUN_DIR/scale-out.$i/part-$k" "${deid[@]}"
        done
        scale_once merge.run "$BIN/dicom-deidentify" --plan "$plan" --merge -o "$RUN_DIR/scale-out.$i"
        [[ $i == 0 ]] && continue   # the warm-up
        cat "$RUN_DIR/scale-one.run" >> "$RUN_DIR/scale-one"
        cat "$RUN_DIR/scale-plan.run" >> "$RUN_DIR/scale-plan"
        awk '{w += $1; c += $2; if ($3 > r) r = $3} END {printf "%.2f %.3f %d\n", w, c, r}' "$RUN_DIR/scale-parts.run" >> "$RUN_DIR/scale-parts"
        cat "$RUN_DIR/scale-merge.run" >> "$RUN_DIR/scale-merge"
    done
    local one_cpu plan_cpu parts_cpu merge_cpu
    one_cpu=$(scale_median one 2); plan_cpu=$(scale_median plan 2); parts_cpu=$(scale_median parts 2); merge_cpu=$(scale_median merge 2)
    TABLES+=$'\n'"**Scale-out (issue 20), small corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB, $parts parts; CPU = user + sys**"$'\n\n'
    TABLES+="| step | seconds (wall) | CPU seconds | files per CPU second | peak RSS (MB) |"$'\n'"|---|---:|---:|---:|---:|"$'\n'
    local step label
    for step in one plan parts merge; do
        case $step in
            one) label="one process (dicom-deidentify --files-from)" ;;
            plan) label="plan (--plan --parts $parts)" ;;
            parts) label="the $parts parts, one after the other (RSS: the largest)" ;;
            merge) label="merge (--merge)" ;;
        esac
        TABLES+=$(awk -v l="$label" -v f="$files" -v w="$(scale_median "$step" 1)" -v c="$(scale_median "$step" 2)" -v r="$(scale_median "$step" 3)" \
            'BEGIN {printf "| %s | %.2f | %.3f | %.0f | %.0f |", l, w, c, f / (c > 0 ? c : 0.001), r / 1024}')$'\n'
    done
    TABLES+=$'\n'"Planning against de-identification (CPU): $(awk -v p="$plan_cpu" -v o="$one_cpu" -v f="$files" \
        'BEGIN {printf "%.0f against %.0f files per CPU second (%.1f×)", f / p, f / o, o / p}')."$'\n\n'
    TABLES+="Plan + merge against one process (CPU): $(awk -v p="$plan_cpu" -v m="$merge_cpu" -v o="$one_cpu" \
        'BEGIN {printf "%.1f%% (%.3f s + %.3f s against %.3f s; goal under 10%%)", 100 * (p + m) / o, p, m, o}');"
    TABLES+=" plan + parts + merge against one process: $(awk -v p="$plan_cpu" -v q="$parts_cpu" -v m="$merge_cpu" -v o="$one_cpu" \
        'BEGIN {printf "%.1f%%", 100 * (p + q + m) / o}')."$'\n'
}
# Issue 19: cost of --detect-text per frame and per cine (dicom-bench text on make-ocr-corpus.py's images and
# 30-frame cines), then the us-cine corpus cleaned with and without detection.
bench_ocr() {
    local dir stamp corpus files bytes plain_s deid=(--recipient "$CERT" --cipher aes256 --secret "$SECRET" --no-audit-log --quiet)
    KIND=ocr
    dir="$WORK/corpus-ocr"
    stamp="$(sha256sum "$ROOT/Scripts/make-ocr-corpus.py" | cut -c1-16) 8 30"
    if [[ ! -f "$dir/.stamp" || "$(cat "$dir/.stamp")" != "$stamp" ]]; then
        rm -rf "$dir"
        log "corpus ocr: generating into $dir"
        "$PYTHON" "$ROOT/Scripts/make-ocr-corpus.py" "$dir/images" --count 8 >&2
        "$PYTHON" "$ROOT/Scripts/make-ocr-corpus.py" "$dir/cines" --cine 30 >&2
        echo "$stamp" > "$dir/.stamp"
    fi
    log "dicom-bench text (images, then cines)"
    TABLES+=$'\n'"**Cost of text detection (dicom-bench text; make-ocr-corpus.py --count 8, and --cine 30)**"$'\n\n'
    TABLES+="$("$BIN/dicom-bench" text --recipient "$CERT" --runs "$RUNS" "$dir/images")"$'\n\n'
    TABLES+="$("$BIN/dicom-bench" text --recipient "$CERT" --runs "$RUNS" --compare-whole "$dir/cines")"$'\n'
    corpus=$(make_corpus us-cine "$CINE_COUNT" --frames 30)
    files=$(count_files "$corpus")
    bytes=$(count_bytes "$corpus")
    ROWS=()
    log "corpus us-cine with --detect-text: $files files"
    measure "cp -r" "$files" "$bytes" bash -c 'cp -r "$1" "$OUT"' _ "$corpus"
    measure "dicom-deidentify --clean-pixel-data" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" "${@:3}" --clean-pixel-data' _ "$BIN/dicom-deidentify" "$corpus" "${deid[@]}"
    plain_s=$MEDIAN
    measure "dicom-deidentify --clean-pixel-data --detect-text" "$files" "$bytes" \
        bash -c '"$1" "$2" -o "$OUT" "${@:3}" --clean-pixel-data --detect-text' _ "$BIN/dicom-deidentify" "$corpus" "${deid[@]}"
    [[ $(count_files "$LAST_OUT") == "$files" ]] || { echo "bench.sh: --detect-text wrote $(count_files "$LAST_OUT") of $files files" >&2; exit 1; }
    TABLES+="$(cine_table "us-cine corpus with and without --detect-text: $files files of 30 frames" 30)"$'\n\n'
    TABLES+="detect / clean only, dicom-deidentify: $(ratio "$MEDIAN" "$plain_s")"$'\n'
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a"; }
LOAD_BEFORE=$(loadavg)
TABLES=""
DETAILS=""
has_corpus large && bench_corpus large "$LARGE_COUNT"
has_corpus small && bench_corpus small "$SMALL_COUNT"
if [[ $QUICK == 1 ]]; then CINE_COUNT=4; else CINE_COUNT=""; fi
has_corpus us-cine && bench_us_cine "$CINE_COUNT" 30
has_corpus pixels && bench_pixels
has_corpus scale && bench_scale
has_corpus ocr && bench_ocr
if has_corpus gateway; then
    TABLES+=$(PER_ASSOCIATION=$([[ $QUICK == 1 ]] && echo 250 || echo 1000) RUNS=$RUNS bash "$ROOT/Scripts/bench-gateway.sh" "$BIN" "$WORK" "$SECRET")$'\n\n'
fi

QUICK_NOTE=""
[[ $QUICK == 1 ]] && QUICK_NOTE=", --quick: reduced corpora"
echo "### Benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), median of $RUNS run(s) after one warm-up$QUICK_NOTE)"
echo
echo "dicom-deidentify: AES-256, RSA-2048 recipient (PKCS#1 v1.5), $(nproc) jobs, --no-audit-log. Every output"
echo "file is on disk before it gets its name (the tools sync each group of outputs with syncfs before moving"
echo "them into place); cp -r syncs nothing, hence the two durable floors: one syncfs after the copy, and an"
echo "fsync of each copied file. Every run writes a new folder; nothing is deleted until the end."
echo "The RICORD rows run Profiles/ricord/ricord.script with a new SQLite mapping database per run: each new"
echo "patient number is a durable commit (synchronous=FULL), which a database already holding the patients skips."
echo "Load average before / after: $LOAD_BEFORE / $(loadavg) (other work on the machine skews the times)."
printf '%s' "$TABLES"
if [[ -n $DETAILS ]]; then
    echo
    echo "### Details"
    printf '%s' "$DETAILS"
fi
