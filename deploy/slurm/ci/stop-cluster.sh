#!/bin/bash
# Stops what start-cluster.sh started (by the PID files in its state folder; munged is left to the system).
set -uo pipefail
state=${1:?usage: stop-cluster.sh STATE_DIR}
for daemon in slurmd slurmctld; do
    pidfile="$state/run/$daemon.pid"
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null; fi
done
exit 0
