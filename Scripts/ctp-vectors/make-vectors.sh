#!/usr/bin/env bash
# Regenerates ctp-function-vectors.json by running RSNA CTP's own AnonymizerFunctions (MakeVectors.java)
# against CTP's prebuilt jars. Pinned: CTP commit 361e90f8032fbb343000f3397159ae24a001229a, JDK 17, TZ=UTC.
# Env: CTP_JARS (default ../shared/peers/ctp/jars beside the repository).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
J="${CTP_JARS:-$HERE/../../../shared/peers/ctp/jars}"
command -v javac >/dev/null || { echo "make-vectors.sh: javac not found" >&2; exit 2; }
CP="$J/CTP.jar:$J/util.jar:$J/dcm4che.jar:$J/log4j/*"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
javac -nowarn -encoding UTF-8 -d "$WORK" -cp "$CP" "$HERE/MakeVectors.java"
# make-vectors.sh --jsonl IN OUT: run calls dumped by the Swift reference test through CTP instead.
# CTP logs a warning for every function that throws; those are expected here, so log4j is silenced.
TZ=UTC java -Dorg.apache.logging.log4j.level=OFF -Duser.timezone=UTC -Duser.language=en -Duser.country=US -cp "$WORK:$CP" MakeVectors \
    "${@:-$HERE/ctp-function-vectors.json}"
