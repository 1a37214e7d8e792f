#!/usr/bin/env bash
# Checks that the committed tables are current, in two steps:
#  1. always: regenerates Sources/DICOMDictionary/Generated from Standard/ (Scripts/generate-dictionary.py,
#     python3 alone) and fails if the result differs from what git has (changed, deleted or new files);
#  2. when the standard's data is at hand (<repo>/../shared/standard, or --standard DIR) and pydicom 3.0.2
#     is importable: re-distills it into a temporary folder (Scripts/distill-standard.py) and fails if
#     Standard/ differs from that. Otherwise says why it skipped this step.
# A plain clone therefore checks step 1 without shared/ and without pydicom. Under CI=true step 2 is required:
# a missing standard folder or pydicom fails the check instead of skipping it.
# Usage: Scripts/check-generated.sh [--standard DIR]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
generated=Sources/DICOMDictionary/Generated
standard="$repo/../shared/standard"
standard_given=0
while [ $# -gt 0 ]; do
    case "$1" in
        --standard) [ $# -ge 2 ] || { echo "check-generated: --standard needs a folder" >&2; exit 2; }
                    standard="$2"; standard_given=1; shift 2 ;;
        *) echo "check-generated: unknown argument $1 (usage: Scripts/check-generated.sh [--standard DIR])" >&2
           exit 2 ;;
    esac
done

status=0

echo "check-generated: step 1, $generated from Standard/"
python3 Scripts/generate-dictionary.py --quiet
git diff --exit-code --stat -- "$generated" Standard || status=1
untracked="$(git ls-files --others --exclude-standard -- "$generated" Standard)"
if [ -n "$untracked" ]; then
    echo "untracked generated or distilled files:" >&2
    echo "$untracked" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "check-generated: $generated or Standard/ differs from git; run Scripts/generate-dictionary.py and commit the result" >&2
fi

if [ ! -d "$standard" ]; then
    if [ "$standard_given" -eq 1 ]; then
        echo "check-generated: --standard $standard is not a folder" >&2
        exit 2
    fi
    if [ "${CI:-}" = true ]; then
        echo "check-generated: step 2 cannot run: no $standard, and CI=true requires it" >&2
        exit 1
    fi
    echo "check-generated: step 2 skipped, no $standard (Standard/ not compared with the standard's data)"
elif ! python3 -c 'import pydicom, sys; sys.exit(pydicom.__version__ != "3.0.2")' 2>/dev/null; then
    if [ "${CI:-}" = true ]; then
        echo "check-generated: step 2 cannot run: pydicom 3.0.2 is not importable, and CI=true requires it" >&2
        exit 1
    fi
    echo "check-generated: step 2 skipped, pydicom 3.0.2 is not importable (Standard/ not compared with the standard's data)"
else
    echo "check-generated: step 2, Standard/ from $standard and pydicom 3.0.2"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    python3 Scripts/distill-standard.py --quiet --standard "$standard" --output "$scratch"
    edition_dirs=(Standard/*/)
    if [ "${#edition_dirs[@]}" -ne 1 ]; then
        echo "check-generated: expected one edition folder in Standard/, found ${edition_dirs[*]}" >&2
        exit 1
    fi
    if ! diff -r -q "$scratch" "${edition_dirs[0]%/}"; then
        echo "check-generated: ${edition_dirs[0]%/} differs from a fresh distillation; run Scripts/distill-standard.py, then Scripts/generate-dictionary.py, and commit the result" >&2
        status=1
    fi
fi
exit "$status"
