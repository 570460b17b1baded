#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, from Debian's packages, for trying and testing
# `scripts/sweep.py --backend slurm` without a real cluster.
#   bash scripts/slurm_local.sh start   installs slurm-wlm and munge if missing, writes a
#                                       slurm.conf naming this host as controller and only node,
#                                       starts munged, slurmctld and slurmd, waits for the node
#   bash scripts/slurm_local.sh stop    stops the three daemons
# State, logs and the config live in $EYERISS_SLURM_DIR (default /tmp/eyeriss-slurm). Needs root
# (munged runs as user munge, the Slurm daemons as root). Prints `export SLURM_CONF=...`; the
# sweep script finds sbatch/squeue on PATH and the config through that variable.
set -euo pipefail
dir="${EYERISS_SLURM_DIR:-/tmp/eyeriss-slurm}"
conf="$dir/slurm.conf"

stop() {
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"; do
    if [ -f "$f" ]; then
      pid="$(cat "$f")"
      # Only our daemons: a stale pid file may name an unrelated process by now.
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
        munged | slurmctld | slurmd) kill "$pid" 2>/dev/null || true ;;
        *) rm -f "$f"; continue ;;
      esac
      # Gone before we return, so a following start does not meet the old daemon.
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      rm -f "$f"
    fi
  done
}

case "${1:-}" in
  stop)
    stop
    echo "slurm_local: stopped"
    exit 0
    ;;
  start) ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm_local: needs root (munged and the Slurm daemons)" >&2
  exit 2
fi
missing=()
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "slurm_local: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stop  # a previous instance of ours
mkdir -p "$dir/state" "$dir/spool"
host="$(hostname -s)"  # slurmd matches NodeName against the short name
cpus="$(nproc)"
# RealMemory a little under the machine's, in MB.
mem_mb="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"

# Munge: a key owned by munge, mode 400; its socket and pid in our folder.
if [ ! -f /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
# munged's pid file in its own run folder ($dir may be private to root).
mkdir -p /run/munge && chown munge:munge /run/munge
runuser -u munge -- /usr/sbin/munged --force --pid-file=/run/munge/eyeriss-munged.pid
cp /run/munge/eyeriss-munged.pid "$dir/munged.pid"

cat >"$conf" <<EOF
# Written by scripts/slurm_local.sh: one node, this host, for local sweeps.
ClusterName=eyeriss-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
MaxArraySize=100000
MaxJobCount=100000
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"
/usr/sbin/slurmctld -f "$conf"
/usr/sbin/slurmd -f "$conf"
for _ in $(seq 1 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -q "idle\|mixed\|allocated"; then
    echo "slurm_local: node $host up ($cpus CPUs); export SLURM_CONF=$conf"
    exit 0
  fi
  sleep 0.5
done
echo "slurm_local: the node did not come up in 30 s; see $dir/slurmctld.log and $dir/slurmd.log" >&2
exit 1
