#!/usr/bin/env bash
# Run RSNA CTP's own DICOM anonymizer on a folder, for comparison with dicom-deidentify.
#
#   Scripts/run-ctp.sh SCRIPT IN OUT [--param NAME=VALUE]... [--lookup FILE] [--int-table DIR]
#
# SCRIPT is a CTP DicomAnonymizer script (XML or properties), IN a file or folder (walked recursively, sorted),
# OUT the output folder (mirrors IN's relative paths). --param overrides a <p t="NAME"> of the script.
# @integer numbers live in --int-table DIR (default: a fresh folder OUT.int-table, so each run starts at 1;
# reuse a folder to keep numbers across runs, never share one between two runs at once).
#
# Uses the driver in the shared CTP peer folder (README.md there): $CTP_PEER if set, else
# <repo>/../shared/peers/ctp (the layout beside the repository). Builds it once per checkout into
# <repo>/.build/ctp-driver (or $CTP_BUILD) when CtpRun.class is missing, under a lock; each run gets its own
# working folder (a fresh temporary one, removed afterwards), so concurrent runs share nothing but the classes.
# Needs Java (javac) 8 or later.
# Prints the driver's per-file lines; exit status is the driver's (2 = setup error).
set -euo pipefail

usage() { echo "usage: Scripts/run-ctp.sh SCRIPT IN OUT [--param NAME=VALUE]... [--lookup FILE] [--int-table DIR]" >&2; exit 2; }
[ $# -ge 3 ] || usage
script="$1" input="$2" output="$3"; shift 3

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${CTP_PEER:-}"
if [ -z "$peer" ]; then
  for candidate in "$repo/../shared/peers/ctp"; do
    if [ -x "$candidate/run.sh" ]; then peer="$candidate"; break; fi
  done
fi
[ -n "$peer" ] && [ -x "$peer/run.sh" ] || { echo "run-ctp.sh: CTP peer folder not found (set CTP_PEER)" >&2; exit 2; }
build="${CTP_BUILD:-$repo/.build/ctp-driver}"

[ -f "$script" ] || { echo "run-ctp.sh: script $script not found" >&2; exit 2; }
[ -e "$input" ] || { echo "run-ctp.sh: input $input not found" >&2; exit 2; }

extra=()
int_table=""
while [ $# -gt 0 ]; do
  case "$1" in
    --param) [ $# -ge 2 ] || usage; extra+=(--param "$2"); shift 2;;
    --param=*) extra+=(--param "${1#--param=}"); shift;;
    --lookup) [ $# -ge 2 ] || usage; extra+=(--lookup "$2"); shift 2;;
    --int-table) [ $# -ge 2 ] || usage; int_table="$2"; shift 2;;
    *) echo "run-ctp.sh: unknown option $1" >&2; usage;;
  esac
done

if [ ! -f "$build/classes/CtpRun.class" ]; then
  # One build at a time when several runs start together.
  mkdir -p "$build"
  (
    flock 9
    [ -f "$build/classes/CtpRun.class" ] || CTP_WORK="$build" "$peer/build.sh" >&2
  ) 9>"$build/.build.lock"
fi

# This run's working folder (the driver runs in its rundir), with the shared classes linked in.
staged=""
CTP_WORK="$(mktemp -d "${TMPDIR:-/tmp}/dicom-deid-ctp-run.XXXXXX")"
export CTP_WORK
ln -s "$build/classes" "$CTP_WORK/classes"
cleanup() { rm -rf -- "$CTP_WORK"; [ -z "$staged" ] || rm -rf -- "$staged"; }
trap cleanup EXIT
# The driver wants a folder; a single file is staged in a temporary one.
if [ -f "$input" ]; then
  staged="$(mktemp -d)"
  cp -- "$input" "$staged/"
  input="$staged"
fi

mkdir -p "$output"
if [ -z "$int_table" ]; then
  int_table="${output%/}.int-table"
  rm -rf -- "$int_table"
fi
mkdir -p "$int_table"

status=0
"$peer/run.sh" --script "$script" --in "$input" --out "$output" --int-table "$int_table" ${extra[@]+"${extra[@]}"} || status=$?
exit "$status"
