#!/usr/bin/env bash
# A private one-node Slurm cluster with two fake GPUs, for the Slurm ITs and bench/slurm (needs root, slurm-wlm, munge).
#   one-node-cluster.sh start DIR   writes the config under DIR, starts munged, slurmctld and slurmd, waits until the
#                                   node is idle, prints SLURM_CONF=DIR/slurm.conf
#   one-node-cluster.sh stop DIR    stops the three daemons by their PIDs (TERM, then KILL after 15 s)
# Own munge key and socket, own ports, state, spool and logs: nothing of the machine's Slurm or munge is used.
# Partition debug (default) is this machine's node; partition elsewhere has one node, "elsewhere1", that never runs
# (no slurmd: DOWN), for the check that a local-only image cannot go to other machines.
set -euo pipefail

cmd=${1:?usage: one-node-cluster.sh start|stop DIR}
dir=${2:?usage: one-node-cluster.sh start|stop DIR}

stop_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

case "$cmd" in
  start)
    for daemon in munged slurmctld slurmd; do
      if [ -f "$dir/$daemon.pid" ] && kill -0 "$(cat "$dir/$daemon.pid")" 2>/dev/null; then
        echo "one-node-cluster: $daemon of $dir runs already: stop it first" >&2
        exit 1
      fi
    done
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 755 "$dir"
    rm -rf "$dir/state" "$dir/spool" "$dir/log"   # a fresh cluster: no jobs recovered from an earlier start
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
    chmod 700 "$dir/munge"
    head -c 1024 /dev/urandom >"$dir/munge/munge.key"
    chmod 600 "$dir/munge/munge.key"
    for i in 0 1; do [ -c "$dir/fakegpu$i" ] || mknod "$dir/fakegpu$i" c 1 3; done
    host=$(hostname -s)
    memory=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
    base=$((20000 + ($$ % 2000) * 2))   # two ports per run; runs on one machine get different ones
    cat >"$dir/slurm.conf" <<CONF
ClusterName=nss
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pidfile
SlurmdPidFile=$dir/slurmd.pidfile
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
GresTypes=gpu
ReturnToService=2
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=8 RealMemory=$memory Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
NodeName=elsewhere1 NodeAddr=127.0.0.2 CPUs=1 RealMemory=1000 State=DOWN
PartitionName=elsewhere Nodes=elsewhere1 MaxTime=INFINITE State=UP
CONF
    cat >"$dir/gres.conf" <<CONF
AutoDetect=off
NodeName=$host Name=gpu File=$dir/fakegpu[0-1]
CONF
    export SLURM_CONF=$dir/slurm.conf
    munged -F --force --socket="$dir/munge/socket" --key-file="$dir/munge/munge.key" \
      --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/seed" --log-file="$dir/log/munged.log" \
      >"$dir/log/munged.out" 2>&1 </dev/null &
    echo $! >"$dir/munged.pid"
    for _ in $(seq 1 50); do [ -S "$dir/munge/socket" ] && break; sleep 0.1; done
    slurmctld -D -i >"$dir/log/slurmctld.out" 2>&1 </dev/null &
    echo $! >"$dir/slurmctld.pid"
    slurmd -D >"$dir/log/slurmd.out" 2>&1 </dev/null &
    echo $! >"$dir/slurmd.pid"
    for _ in $(seq 1 100); do
      if timeout 5 sinfo --noheader --partition=debug --format=%t 2>/dev/null | grep -qx idle; then
        echo "SLURM_CONF=$SLURM_CONF"
        exit 0
      fi
      sleep 0.2
    done
    echo "one-node-cluster: the node did not become idle; logs in $dir/log" >&2
    tail -n 20 "$dir"/log/*.out >&2 || true
    exit 1
    ;;
  stop)
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    stop_pid "$dir/munged.pid"
    ;;
  *)
    echo "usage: one-node-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
