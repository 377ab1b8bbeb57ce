#!/usr/bin/env bash
# A durable cluster on this machine, on loopback only: PostgreSQL (Debian's package, via
# scripts/postgres.sh), N silo processes and one or more standalone gateway processes.
#
#   deploy/local-cluster.sh start [SILOS] [GATEWAYS]  build (Release), start PostgreSQL, SILOS silos (default 2)
#                                                     and GATEWAYS gateways (default 1); stops a previous cluster first
#   deploy/local-cluster.sh add N       start silo N and let it join the running cluster (e.g. 'add 3')
#   deploy/local-cluster.sh stop N      stop silo N gracefully (SIGTERM; waits until it has left, up to 120 s)
#   deploy/local-cluster.sh kill N      crash silo N (SIGKILL): the others declare it dead and take its grains
#   deploy/local-cluster.sh stop        stop every silo and gateway (PostgreSQL keeps running)
#   deploy/local-cluster.sh status      what runs, with ports, and the silos as the cluster sees them
#
# Ports are derived from the silo index i (1-based) and the gateway index g (1-based):
#   silo i:    HTTP  DISTRIBUTION_CLUSTER_HTTP_BASE + i          (default 8100 + i)
#              silo-to-silo  DISTRIBUTION_CLUSTER_SILO_PORT_BASE + i     (default 11110 + i)
#              client gateway  DISTRIBUTION_CLUSTER_GATEWAY_PORT_BASE + i  (default 30000 + i)
#   gateway g: HTTP  DISTRIBUTION_CLUSTER_FRONT_PORT + g - 1     (default 8080, 8081, ...)
# Other settings: DISTRIBUTION_CLUSTER_DB (database, default distribution_cluster),
# DISTRIBUTION_CLUSTER_ID (cluster and service id, default distribution), DISTRIBUTION_CLUSTER_STATE
# (logs and pid files, default .cluster/ at the repository root), DISTRIBUTION_CLUSTER_BUILD=0 (start
# without building). Every other variable is inherited by the processes, e.g.
# Orleans__Membership__ProbeTimeout=00:00:02 for faster failure detection.
#
# API key: every silo and gateway gets the same bootstrap admin key (Auth__AdminKey):
# DISTRIBUTION_API_KEY if set, else the one kept in $DISTRIBUTION_CLUSTER_STATE/admin-key (generated at
# the first start). Clients send it as X-Api-Key, e.g.
#   curl -H "X-Api-Key: $(cat .cluster/admin-key)" http://127.0.0.1:8080/v1/warehouses
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="${DISTRIBUTION_CLUSTER_STATE:-$root/.cluster}"
mkdir -p "$state"

database="${DISTRIBUTION_CLUSTER_DB:-distribution_cluster}"
cluster_id="${DISTRIBUTION_CLUSTER_ID:-distribution}"
http_base="${DISTRIBUTION_CLUSTER_HTTP_BASE:-8100}"
silo_port_base="${DISTRIBUTION_CLUSTER_SILO_PORT_BASE:-11110}"
gateway_port_base="${DISTRIBUTION_CLUSTER_GATEWAY_PORT_BASE:-30000}"
front_port="${DISTRIBUTION_CLUSTER_FRONT_PORT:-8080}"
silo_dll="$root/src/Silo/bin/Release/net10.0/Distribution.Silo.dll"
gateway_dll="$root/src/Gateway/bin/Release/net10.0/Distribution.Gateway.dll"

# The cluster's admin key: from the environment, or kept in the state directory across restarts.
if [[ -z "${DISTRIBUTION_API_KEY:-}" ]]; then
  if [[ ! -s "$state/admin-key" ]]; then
    (umask 077 && echo "dk_admin_$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$state/admin-key")
  fi
  DISTRIBUTION_API_KEY="$(cat "$state/admin-key")"
fi
export Auth__AdminKey="$DISTRIBUTION_API_KEY"

connection() { bash "$root/scripts/postgres.sh" createdb "$database" | tail -n 1; }

silo_url() { echo "http://127.0.0.1:$((http_base + $1))"; }
gateway_url() { echo "http://127.0.0.1:$((front_port + $1 - 1))"; }

running() { [[ -e "$state/$1.pid" ]] && kill -0 "$(cat "$state/$1.pid")" 2> /dev/null; }

start_silo() {
  local i=$1 cs=$2
  if running "silo$i"; then
    echo "silo $i already runs ($(cat "$state/silo$i.pid"))" >&2
    return 1
  fi
  ConnectionStrings__Distribution="$cs" Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id" \
  Hub__SiloPort=$((silo_port_base + i)) Hub__GatewayPort=$((gateway_port_base + i)) Hub__AdvertisedAddress=127.0.0.1 \
    nohup dotnet "$silo_dll" --urls "$(silo_url "$i")" > "$state/silo$i.log" 2>&1 &
  echo $! > "$state/silo$i.pid"
  echo "silo $i: $(silo_url "$i")  (silo port $((silo_port_base + i)), gateway port $((gateway_port_base + i)), pid $!, log $state/silo$i.log)"
}

start_gateway() {
  local g=$1 cs=$2
  ConnectionStrings__Distribution="$cs" Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id" \
    nohup dotnet "$gateway_dll" --urls "$(gateway_url "$g")" > "$state/gateway$g.log" 2>&1 &
  echo $! > "$state/gateway$g.pid"
  echo "gateway $g: $(gateway_url "$g")  (pid $!, log $state/gateway$g.log)"
}

wait_ready() {
  local url=$1 name=$2
  for _ in $(seq 1 180); do
    if curl -fsS "$url/health/ready" > /dev/null 2>&1; then return 0; fi
    if ! running "$name"; then
      echo "$name exited; see $state/$name.log" >&2
      return 1
    fi
    sleep 1
  done
  echo "not ready after 180 s: $url" >&2
  return 1
}

# Waits until process $1 is gone (up to $2 seconds); 1 if it is still there.
wait_gone() {
  local pid=$1
  for _ in $(seq 1 $(($2 * 5))); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.2
  done
  return 1
}

# Sends signal $2 to the process of pid file $1, waits for it to end, removes the pid file.
signal_process() {
  local name=$1 signal=$2 pid
  [[ -e "$state/$name.pid" ]] || { echo "$name: no pid file in $state" >&2; return 1; }
  pid=$(cat "$state/$name.pid")
  if kill -0 "$pid" 2> /dev/null; then
    kill "-$signal" "$pid"
    if ! wait_gone "$pid" 120; then
      echo "$name ($pid) still runs 120 s after SIG$signal" >&2
      return 1
    fi
  fi
  rm -f "$state/$name.pid"
}

stop_all() {
  local pids=() pidfile pid
  # Gateways first, then silos, all at once: SIGTERM lets each leave the cluster cleanly.
  for pidfile in "$state"/gateway*.pid "$state"/silo*.pid; do
    [[ -e "$pidfile" ]] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2> /dev/null; then
      kill "$pid" && echo "stopping $(basename "$pidfile" .pid) ($pid)"
      pids+=("$pid")
    fi
    rm -f "$pidfile"
  done
  for pid in "${pids[@]}"; do
    wait_gone "$pid" 120 || echo "process $pid still runs 120 s after SIGTERM" >&2
  done
}

case "${1:-start}" in
  start)
    silos="${2:-2}"
    gateways="${3:-1}"
    stop_all
    if [[ "${DISTRIBUTION_CLUSTER_BUILD:-1}" != 0 ]]; then
      dotnet build "$root/Distribution.Orleans.sln" -c Release -v quiet -nologo > /dev/null
    fi
    cs="$(connection)"
    # The first silo creates the schema and the membership entries; the others then join at once.
    start_silo 1 "$cs"
    wait_ready "$(silo_url 1)" silo1
    for i in $(seq 2 "$silos"); do start_silo "$i" "$cs"; done
    for i in $(seq 2 "$silos"); do wait_ready "$(silo_url "$i")" "silo$i"; done
    for g in $(seq 1 "$gateways"); do start_gateway "$g" "$cs"; done
    for g in $(seq 1 "$gateways"); do wait_ready "$(gateway_url "$g")" "gateway$g"; done
    echo "cluster '$cluster_id' is up on database '$database': $silos silo(s), $gateways gateway(s)"
    echo "admin API key (send as X-Api-Key): \$DISTRIBUTION_API_KEY if you set it, else $state/admin-key"
    ;;
  add)
    i="${2:?silo number}"
    cs="$(connection)"
    start_silo "$i" "$cs"
    wait_ready "$(silo_url "$i")" "silo$i"
    ;;
  kill)
    i="${2:?silo number}"
    signal_process "silo$i" KILL
    echo "killed silo $i"
    ;;
  stop)
    if [[ -n "${2:-}" ]]; then
      signal_process "silo$2" TERM
      echo "stopped silo $2"
    else
      stop_all
    fi
    ;;
  status)
    found=0
    for pidfile in "$state"/silo*.pid "$state"/gateway*.pid; do
      [[ -e "$pidfile" ]] || continue
      found=1
      name=$(basename "$pidfile" .pid)
      pid=$(cat "$pidfile")
      case "$name" in
        silo*) url=$(silo_url "${name#silo}") ;;
        gateway*) url=$(gateway_url "${name#gateway}") ;;
      esac
      if kill -0 "$pid" 2> /dev/null; then echo "$name: running ($pid) $url"; else echo "$name: gone ($pid)"; fi
    done
    [[ $found == 1 ]] || echo "nothing runs"
    if running gateway1; then
      echo "silos (GET $(gateway_url 1)/v1/operations/silos):"
      curl -sS --max-time 10 -H "X-Api-Key: $DISTRIBUTION_API_KEY" "$(gateway_url 1)/v1/operations/silos" || true
      echo
    fi
    ;;
  *)
    echo "usage: $0 start [SILOS] [GATEWAYS] | add N | stop [N] | kill N | status" >&2
    exit 2
    ;;
esac
