#!/bin/bash
# Starts a single-node Slurm cluster on this machine for tests (Debian slurmctld, slurmd, munge, run as root,
# no systemd): writes a minimal slurm.conf into a state folder, starts munged, slurmctld and slurmd, and waits
# until the node is idle. usage: start-cluster.sh STATE_DIR   (stop-cluster.sh STATE_DIR stops it)
set -euo pipefail
state=${1:?usage: start-cluster.sh STATE_DIR}
mkdir -p "$state"/{ctld,spool,log,run}
state=$(cd "$state" && pwd)
for tool in slurmctld slurmd munged sinfo; do
    command -v "$tool" >/dev/null || { echo "start-cluster.sh: $tool not installed (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 3; }
done
node=$(hostname -s)
cpus=$(nproc)
cat > "$state/slurm.conf" <<CONF
ClusterName=deidtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
echo "$state/slurm.conf" > "$state/conf-path"
# munge: a key of its own if the package left none; the daemon as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge && chown munge:munge /run/munge
# As the munge user; as root (--force) where that user cannot start it (a container without a usable /dev/null).
if ! pgrep -x munged >/dev/null; then
    su -s /bin/sh munge -c munged 2>/dev/null || munged --force 2>/dev/null
fi
export SLURM_CONF="$state/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then echo "cluster up: export SLURM_CONF=$SLURM_CONF"; exit 0; fi
    sleep 1
done
echo "start-cluster.sh: node not idle after 60 s; see $state/log" >&2
sinfo >&2 || true
exit 1
