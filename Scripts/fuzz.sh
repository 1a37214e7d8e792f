#!/usr/bin/env bash
# Runs one libFuzzer target of dicom-deid for a number of seconds (swiftc -sanitize=fuzzer,address).
#
#   bash Scripts/fuzz.sh TARGET SECONDS [-- libFuzzer options...]
#   bash Scripts/fuzz.sh all SECONDS          # each target in turn (the CI smoke run)
#
# TARGET: part10 (Part 10 reader, and writer round trip), cms (Enveloped-data parser and decryption with the
# test key), reidentify (re-identification of de-identified fixtures whose Encrypted Content is the fuzzed
# plaintext, encrypted for the test certificate inside the harness; seeded with the fixtures' real plaintexts),
# profiles (native YAML profile, CTP script and disposition CSV parsers), pixels (RLE codec, pixel rules parser,
# native blanking with its exact restore), jpeg (JPEG Baseline cleaning: the entropy-code splicer, libjpeg behind it),
# network (dicom-gateway's PS3.8 PDU parser, DIMSE command set parser and PDV reassembler; seeded with
# well-formed PDUs the harness writes).
# Builds in .build-fuzz (DICOM_DEID_FUZZ=1 adds the targets to the package). Seeds: Fixtures/, the pydicom
# corpus (part10), Fixtures/cms (cms), Profiles/ (profiles); the corpus grows in .build-fuzz/corpus/TARGET.
# Leak detection is off (Swift runtime caches read as leaks to LeakSanitizer; ARC values cannot leak without
# a cycle). Findings (crash-*, timeout-*, oom-*) land in .build-fuzz/findings/TARGET and make the exit status 1:
# each must become a regression test.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[[ $# -ge 2 ]] || { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
TARGET=$1 SECONDS_TO_RUN=$2
shift 2
[[ "${1:-}" == "--" ]] && shift
if [[ $TARGET == all ]]; then
    status=0
    for t in part10 cms reidentify profiles pixels jpeg network; do bash "$0" "$t" "$SECONDS_TO_RUN" "$@" || status=1; done
    exit $status
fi
case $TARGET in part10|cms|reidentify|profiles|pixels|jpeg|network) ;; *) echo "fuzz.sh: unknown target $TARGET" >&2; exit 2 ;; esac

SCRATCH=$ROOT/.build-fuzz
DICOM_DEID_FUZZ=1 swift build -c release --scratch-path "$SCRATCH" --product "fuzz-$TARGET" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null
BIN=$(DICOM_DEID_FUZZ=1 swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/fuzz-$TARGET

CORPUS=$SCRATCH/corpus/$TARGET
FINDINGS=$SCRATCH/findings/$TARGET
mkdir -p "$CORPUS" "$FINDINGS"
SEEDS=$SCRATCH/seeds/$TARGET
rm -rf "$SEEDS"; mkdir -p "$SEEDS"
case $TARGET in
    part10)
        cp Fixtures/*.dcm "$SEEDS"/
        python3 -c 'from pydicom.data import get_testdata_files; import os, shutil, sys
for i, f in enumerate(sorted(get_testdata_files())):
    if os.path.isfile(f) and os.path.getsize(f) < 2_000_000: shutil.copy(f, os.path.join(sys.argv[1], "pydicom-%04d" % i))' "$SEEDS" 2>/dev/null \
            || [[ "${CI:-}" != true ]] || { echo "fuzz.sh: part10: pydicom's files are missing (CI=true requires them)" >&2; exit 1; } ;;
    cms) cp Fixtures/cms/*.der "$SEEDS"/ ;;
    reidentify) ASAN_OPTIONS=detect_leaks=0 "$BIN" -write-seeds "$SEEDS" ;;   # the real plaintexts (Modified Attributes) of de-identified fixtures
    network) ASAN_OPTIONS=detect_leaks=0 "$BIN" -write-seeds "$SEEDS" ;;      # PDUs and a command set (first byte: the part)
    profiles)
        # The first byte picks the parser: 0 native YAML, 1 CTP script, 2 disposition CSV.
        n=0
        for f in Profiles/examples/*.yaml; do { printf '\x00'; cat "$f"; } > "$SEEDS/yaml-$n"; n=$((n+1)); done
        for f in Profiles/ctp/*.script Profiles/ricord/*.script; do { printf '\x01'; cat "$f"; } > "$SEEDS/script-$n"; n=$((n+1)); done
        for f in Profiles/private/*.csv; do { printf '\x02'; cat "$f"; } > "$SEEDS/csv-$n"; n=$((n+1)); done ;;
    pixels)
        # The first byte picks the part: 0 RLE, 1 pixel rules, 2 native blanking; then 4 bytes of image description.
        n=0
        for f in Profiles/pixels/*.script Fixtures/pixels/rules.script; do { printf '\x01\x00\x00\x00\x00'; cat "$f"; } > "$SEEDS/rules-$n"; n=$((n+1)); done
        printf '\x00\x07\x05\x01\x00' > "$SEEDS/rle-header"; head -c 300 /dev/zero >> "$SEEDS/rle-header"
        printf '\x02\x10\x10\x01\x00' > "$SEEDS/native-16"; head -c 600 Fixtures/pixels/sc-1bit-explicit-le.dcm >> "$SEEDS/native-16" ;;
    jpeg)
        # Two bytes placing the rectangle, then a small frame of each structure the splicer rewrites (cjpeg).
        printf 'P5 40 24 255\n' > "$SEEDS/grey.pgm"; head -c 960 Fixtures/pixels/sc-1bit-explicit-le.dcm >> "$SEEDS/grey.pgm"
        printf 'P6 40 24 255\n' > "$SEEDS/colour.ppm"; head -c 2880 Fixtures/pixels/sc-1bit-explicit-le.dcm >> "$SEEDS/colour.ppm"
        printf '0;\n1;\n2;\n' > "$SEEDS/scans.txt"
        n=0
        while read -r image options; do
            # shellcheck disable=SC2086
            { printf '\x22\x13'; cjpeg $options "$SEEDS/$image"; } > "$SEEDS/jpeg-$n" 2>/dev/null || rm -f "$SEEDS/jpeg-$n"
            n=$((n+1))
        done <<SEEDLIST
grey.pgm -grayscale
grey.pgm -grayscale -optimize -restart 2B
colour.ppm -sample 2x2
colour.ppm -sample 2x1 -restart 1
colour.ppm -sample 2x2 -scans $SEEDS/scans.txt
colour.ppm -rgb -progressive
SEEDLIST
        rm -f "$SEEDS/grey.pgm" "$SEEDS/colour.ppm" "$SEEDS/scans.txt" ;;
esac
# A target started on an empty seed corpus explores from nothing and proves little: that is an error (a seed
# command above that failed quietly, a missing peer such as cjpeg or pydicom).
seeds=$(find "$SEEDS" -type f -size +0 | wc -l)
if [[ $seeds -eq 0 ]]; then
    echo "fuzz.sh: $TARGET has no seeds in $SEEDS (see the seed commands in Scripts/fuzz.sh)" >&2
    exit 1
fi
echo "fuzz.sh: $TARGET: $seeds seeds" >&2

echo "fuzz.sh: $TARGET for ${SECONDS_TO_RUN}s (corpus $CORPUS, findings $FINDINGS)" >&2
set +e
ASAN_OPTIONS=detect_leaks=0 "$BIN" "$CORPUS" "$SEEDS" -max_total_time="$SECONDS_TO_RUN" -artifact_prefix="$FINDINGS/" -timeout=10 \
    -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 -detect_leaks=0 "$@" 2> "$SCRATCH/$TARGET.log"
status=$?
set -e
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" "$SCRATCH/$TARGET.log" >&2 || true
grep -oE "cov: [0-9]+ ft: [0-9]+" "$SCRATCH/$TARGET.log" | tail -1 | sed "s/^/fuzz.sh: $TARGET final /" >&2 || true
if [[ $status -ne 0 ]] || ls "$FINDINGS" | grep -qE '^(crash|leak|timeout|oom)-'; then
    echo "fuzz.sh: $TARGET found something: see $FINDINGS and $SCRATCH/$TARGET.log" >&2
    exit 1
fi
