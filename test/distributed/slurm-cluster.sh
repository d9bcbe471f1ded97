#!/bin/bash
# A single-node Slurm cluster in a scratch folder, as root, without systemd: munged, slurmctld and
# slurmd on loopback (ports 6817/6818), each started here and stopped by the pid in its pid file.
#   slurm-cluster.sh up DIR     start it; then `export SLURM_CONF=DIR/slurm.conf` for sbatch & co.
#   slurm-cluster.sh down DIR   stop it (safe to call twice or after a failed `up`)
# proctrack/linuxproc and task/none need no cgroups; accounting is off (sacct does not work).
# batch_sched_delay=0: arrays start about 2.5 times sooner than with the default of 3 s.
set -euo pipefail
cmd=${1:?usage: slurm-cluster.sh up|down DIR}
D=${2:?usage: slurm-cluster.sh up|down DIR}

down() {
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -s "$D/$f" ] || continue
    p=$(cat "$D/$f")
    kill -TERM "$p" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then echo "still alive after 10 s, killing: $f $p" >&2; kill -KILL "$p" 2>/dev/null || true; fi
  done
}

up() {
  mkdir -p "$D"/{munge,state,spool,log}
  chmod 700 "$D/munge"
  local H
  H=$(hostname -s)
  mungekey --create --keyfile="$D/munge/munge.key" --force
  chmod 400 "$D/munge/munge.key"
  munged --key-file="$D/munge/munge.key" --socket="$D/munge/munge.sock" \
    --pid-file="$D/munge/munged.pid" --log-file="$D/log/munged.log" \
    --seed-file="$D/munge/munged.seed" --force
  cat >"$D/slurm.conf" <<CONF
ClusterName=ci
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$D/munge/munge.sock
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
MaxJobCount=10000
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$D/slurm.conf"
  slurmctld
  slurmd
  for _ in $(seq 1 120); do
    [ "$(sinfo -h -N -o %t 2>/dev/null || true)" = idle ] && return 0
    sleep 0.25
  done
  echo "the Slurm node did not become idle within 30 s; logs in $D/log" >&2
  return 1
}

case "$cmd" in
  up) up ;;
  down) down ;;
  *) echo "usage: slurm-cluster.sh up|down DIR" >&2; exit 2 ;;
esac
