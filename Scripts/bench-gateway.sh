#!/usr/bin/env bash
# Load benchmark of dicom-gateway (issue 21): ASSOCIATIONS senders at once (dcmtk /usr/bin/storescu, one
# association each) send PER_ASSOCIATION small CT-like instances each (make-fixtures.py --kind small: ~12 KB,
# PHI-rich header), and two ways of getting them de-identified into a folder are timed from the first send:
#   gateway: dicom-gateway receiving, spooling (fsync before each success response), de-identifying and
#            forwarding to a folder; the clock stops when its log has one "forwarded" line per instance.
#   pair:    dcmtk /usr/bin/storescp --fork writing files (no fsync), then dicom-deidentify over that folder.
# Both use the same recipient (AES-256, RSA-2048), secret and profile, and no audit log. The gateway's resident
# memory (VmRSS) is sampled when a quarter and when all of the instances have been forwarded, with its high-water
# mark (VmHWM): flat memory means the two samples are close.
#
#   bash Scripts/bench-gateway.sh BIN_DIR WORK_DIR SECRET_FILE      (Scripts/bench.sh --corpora gateway calls it)
#
# Environment: ASSOCIATIONS (default 4), PER_ASSOCIATION (default 1000), RUNS (default 1), PYTHON (python3).
# dcmtk's tools are named by their Debian path: pynetdicom installs look-alike storescu/storescp on PATH.
# Prints a Markdown table on standard output.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# == 3 ]] || { echo "usage: bench-gateway.sh BIN_DIR WORK_DIR SECRET_FILE" >&2; exit 2; }
BIN=$1 WORK=$2 SECRET=$3
ASSOCIATIONS=${ASSOCIATIONS:-4}
PER_ASSOCIATION=${PER_ASSOCIATION:-1000}
RUNS=${RUNS:-1}
PYTHON=${PYTHON:-python3}
CERT=$ROOT/Keys/test-recipient-a.crt
TOTAL=$((ASSOCIATIONS * PER_ASSOCIATION))
# Debian's dcmtk leaves Nagle's algorithm on unless TCP_NODELAY is set: each message then waits for the peer's
# delayed ACK (measured: 100 small instances in 9 s instead of 0.2 s). dicom-gateway sets TCP_NODELAY itself.
export TCP_NODELAY=1
log() { echo "bench-gateway: $*" >&2; }

for tool in "$BIN/dicom-gateway" "$BIN/dicom-deidentify" /usr/bin/storescu /usr/bin/storescp; do
    [[ -x $tool ]] || { echo "bench-gateway.sh: $tool not found (dicom-gateway: swift build; dcmtk: apt-get install dcmtk)" >&2; exit 2; }
done

# --- corpus: TOTAL files, split into one folder per association ------------------------------------------
corpus="$WORK/corpus-gateway-$TOTAL"
stamp="$(sha256sum "$ROOT/Scripts/make-fixtures.py" | cut -c1-16) small $TOTAL $ASSOCIATIONS"
if [[ ! -f "$corpus/.stamp" || "$(cat "$corpus/.stamp")" != "$stamp" ]]; then
    rm -rf "$corpus"
    log "corpus: generating $TOTAL files into $corpus"
    "$PYTHON" "$ROOT/Scripts/make-fixtures.py" --bench-corpus "$corpus/all" --kind small --count "$TOTAL" >&2
    for ((a = 0; a < ASSOCIATIONS; a++)); do mkdir -p "$corpus/$a"; done
    i=0
    for file in "$corpus"/all/*.dcm; do mv "$file" "$corpus/$((i % ASSOCIATIONS))/"; i=$((i + 1)); done
    rmdir "$corpus/all"
    echo "$stamp" > "$corpus/.stamp"
fi
BYTES=$(find "$corpus" -name '*.dcm' -printf '%s\n' | awk '{s += $1} END {print s + 0}')

RUN_DIR=$(mktemp -d "$WORK/gateway-runs.XXXXXX")
GATEWAY_PID="" SCP_PID=""
cleanup() {
    [[ -n $GATEWAY_PID ]] && kill -TERM "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null
    [[ -n $SCP_PID ]] && kill -TERM "$SCP_PID" 2>/dev/null && wait "$SCP_PID" 2>/dev/null
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b - a) / 1e9}'; }
per_second() { awk -v n="$TOTAL" -v s="$1" 'BEGIN {printf "%.0f", n / s}'; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# send_all PORT CALLED_AE : the senders, one association each, at once; fails if one fails.
send_all() {
    local pids=() a status=0
    for ((a = 0; a < ASSOCIATIONS; a++)); do
        /usr/bin/storescu -aet BENCH -aec "$2" 127.0.0.1 "$1" "$corpus/$a"/*.dcm >"$RUN_DIR/storescu-$a.log" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
    [[ $status == 0 ]] || { echo "bench-gateway.sh: storescu failed"; tail -n 5 "$RUN_DIR"/storescu-*.log; } >&2
    return "$status"
}

# gateway_once N : one gateway run; sets G_S, RSS_QUARTER_KB, RSS_ALL_KB, HWM_KB.
gateway_once() {
    local dir="$RUN_DIR/gateway-$1" port start forwarded=0 quarter=$((TOTAL / 4))
    mkdir -p "$dir"
    "$BIN/dicom-gateway" --port 0 --host 127.0.0.1 --ae-title GATEWAY --allow BENCH --recipient "$CERT" --cipher aes256 \
        --secret "$SECRET" --spool "$dir/spool" --forward-to-folder "$dir/out" --no-audit-log 2>"$dir/log" &
    GATEWAY_PID=$!
    for _ in $(seq 600); do
        port=$(grep -o '"address":"127.0.0.1:[0-9]*"' "$dir/log" | grep -o '[0-9]*"$' | tr -d '"' || true)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { echo "bench-gateway.sh: dicom-gateway did not start"; cat "$dir/log"; } >&2
    start=$(now)
    send_all "$port" GATEWAY &
    local sender=$!
    RSS_QUARTER_KB=""
    while ((forwarded < TOTAL)); do
        kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "bench-gateway.sh: dicom-gateway exited"; tail -n 5 "$dir/log"; } >&2
        forwarded=$(grep -c '"event":"forwarded"' "$dir/log" || true)
        if [[ -z $RSS_QUARTER_KB ]] && ((forwarded >= quarter)); then RSS_QUARTER_KB=$(status_kb "$GATEWAY_PID" VmRSS); fi
        sleep 0.05
    done
    G_S=$(seconds "$start" "$(now)")
    RSS_ALL_KB=$(status_kb "$GATEWAY_PID" VmRSS)
    HWM_KB=$(status_kb "$GATEWAY_PID" VmHWM)
    wait "$sender"
    kill -TERM "$GATEWAY_PID"
    wait "$GATEWAY_PID" || { echo "bench-gateway.sh: dicom-gateway did not exit 0 on SIGTERM" >&2; exit 1; }
    GATEWAY_PID=""
    local outputs
    outputs=$(find "$dir/out" -name '*.dcm' | wc -l)
    [[ $outputs == "$TOTAL" ]] || { echo "bench-gateway.sh: the gateway wrote $outputs of $TOTAL outputs" >&2; exit 1; }
}

# pair_once N : storescp writing files, then dicom-deidentify; sets P_S, P_RECEIVE_S.
pair_once() {
    local dir="$RUN_DIR/pair-$1" port start received
    mkdir -p "$dir/received"
    port=$(free_port)
    /usr/bin/storescp --fork -aet STORESCP -od "$dir/received" "$port" >"$dir/storescp.log" 2>&1 &
    SCP_PID=$!
    sleep 0.5
    start=$(now)
    send_all "$port" STORESCP
    received=$(now)
    "$BIN/dicom-deidentify" "$dir/received" -o "$dir/out" --recipient "$CERT" --cipher aes256 --secret "$SECRET" \
        --no-audit-log --quiet >/dev/null 2>"$dir/deidentify.log"
    P_S=$(seconds "$start" "$(now)")
    P_RECEIVE_S=$(seconds "$start" "$received")
    kill -TERM "$SCP_PID"; wait "$SCP_PID" 2>/dev/null || true
    SCP_PID=""
    local outputs
    outputs=$(find "$dir/out" -name '*.dcm' | wc -l)
    [[ $outputs == "$TOTAL" ]] || { echo "bench-gateway.sh: dicom-deidentify wrote $outputs of $TOTAL outputs" >&2; exit 1; }
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
g_times=() p_times=() r_times=()
for ((run = 1; run <= RUNS; run++)); do
    log "run $run of $RUNS: gateway, $ASSOCIATIONS associations x $PER_ASSOCIATION instances"
    gateway_once "$run"
    g_times+=("$G_S")
    log "  ${G_S} s; VmRSS at $((TOTAL / 4)): ${RSS_QUARTER_KB} kB, at $TOTAL: ${RSS_ALL_KB} kB, VmHWM ${HWM_KB} kB"
    log "run $run of $RUNS: storescp + dicom-deidentify"
    pair_once "$run"
    p_times+=("$P_S"); r_times+=("$P_RECEIVE_S")
    log "  ${P_S} s (storescp alone ${P_RECEIVE_S} s)"
done
g=$(median "${g_times[@]}") p=$(median "${p_times[@]}") r=$(median "${r_times[@]}")
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
echo "**dicom-gateway load: $ASSOCIATIONS associations x $PER_ASSOCIATION instances ($TOTAL files, $(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB), from the first send to the last forward, median of $RUNS**"
echo
echo "| way | seconds | instances/s | memory |"
echo "| --- | ---: | ---: | --- |"
echo "| dicom-gateway (spool fsync'd before each response, forward to a folder) | $g | $(per_second "$g") | VmRSS $(mb "$RSS_QUARTER_KB") MB at $((TOTAL / 4)), $(mb "$RSS_ALL_KB") MB at $TOTAL; VmHWM $(mb "$HWM_KB") MB |"
echo "| storescp --fork (no fsync) + dicom-deidentify | $p | $(per_second "$p") | |"
echo "| (storescp alone) | $r | $(per_second "$r") | |"
echo
echo "gateway / pair time: $(awk -v a="$g" -v b="$p" 'BEGIN {printf "%.2f", a / b}') (under 1: the gateway is faster)"
