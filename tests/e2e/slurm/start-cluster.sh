#!/usr/bin/env bash
# Starts a one-node Slurm (Debian's slurm-wlm) under $1 with 4 fake GPUs and Prolog/Epilog calling coca.
# Usage: start-cluster.sh DIR "COMMAND THAT RUNS COCA" STATE_DIR      (stop with stop-cluster.sh DIR)
# Recipe: ../shared/docs/SLURM-TEST-CLUSTER.md. Everything lives under DIR; daemons are stopped by pid file.
set -euo pipefail
# The daemons outlive this script: they must not inherit the caller's descriptors beyond stdio (a build lock held
# with flock would stay held by munged for ever).
for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ] && [ "$n" -lt 255 ]; then eval "exec $n>&-" 2>/dev/null || true; fi; done
T=$1; COCA=$2; STATE=$3
host=$(hostname -s)
mkdir -p "$T/dev" "$T/state" "$T/spool" "$T/log" "$STATE"
for i in 0 1 2 3; do [ -e "$T/dev/nvidia$i" ] || mknod "$T/dev/nvidia$i" c 1 3; done   # character devices, as gres.conf demands

for hook in prolog epilog; do
  cat > "$T/$hook.sh" <<SH
#!/bin/sh
# slurmd runs this with no PATH; coca must return fast and never fail the job (a failing Prolog drains the node).
export HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
$COCA slurm $hook --state-dir $STATE >> $T/log/$hook.log 2>&1 || true
exit 0
SH
  chmod +x "$T/$hook.sh"
done

cat > "$T/gres.conf" <<CONF
Name=gpu File=$T/dev/nvidia[0-3]
CONF
cat > "$T/slurm.conf" <<CONF
ClusterName=cocatest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
Prolog=$T/prolog.sh
Epilog=$T/epilog.sh
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=$host CPUs=2 RealMemory=2000 Gres=gpu:4 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

mkdir -p /run/munge && chown munge:munge /run/munge
if [ ! -f /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
fi
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged

export SLURM_CONF=$T/slurm.conf
slurmctld -f "$T/slurm.conf"
slurmd -f "$T/slurm.conf"
for _ in $(seq 1 60); do
  if sinfo -h -N -o "%T" 2>/dev/null | grep -qE "^idle"; then echo "slurm up on $host"; exit 0; fi
  sleep 0.5
done
echo "slurm did not come up:"; sinfo -N -o "%N %G %T" || true; tail -20 "$T/log/slurmctld.log" "$T/log/slurmd.log" || true
exit 1
