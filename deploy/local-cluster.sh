#!/usr/bin/env bash
# A durable cluster on this machine, on loopback only: PostgreSQL (Debian's package, via
# scripts/postgres.sh), N silo processes and one standalone gateway process.
#
#   deploy/local-cluster.sh start [SILOS]   build (Release) and start PostgreSQL, SILOS silos (default 2), one gateway
#   deploy/local-cluster.sh stop            stop the silos and the gateway (PostgreSQL keeps running)
#   deploy/local-cluster.sh status          what runs, with ports
#
# Ports: silo i (1-based) serves HTTP on 8100+i, silo-to-silo on 11110+i, client gateway on 30000+i;
# the standalone gateway serves HTTP on 8080. Logs and pids go to .cluster/ at the repository root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.cluster"
mkdir -p "$state"

database="${DISTRIBUTION_CLUSTER_DB:-distribution_cluster}"
cluster_id="${DISTRIBUTION_CLUSTER_ID:-distribution}"

connection() { bash "$root/scripts/postgres.sh" createdb "$database" | tail -n 1; }

start_silo() {
  local i=$1 cs=$2
  ConnectionStrings__Distribution="$cs" Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id" \
  Hub__SiloPort=$((11110 + i)) Hub__GatewayPort=$((30000 + i)) Hub__AdvertisedAddress=127.0.0.1 \
    nohup dotnet "$root/src/Silo/bin/Release/net10.0/Distribution.Silo.dll" --urls "http://127.0.0.1:$((8100 + i))" \
    > "$state/silo$i.log" 2>&1 &
  echo $! > "$state/silo$i.pid"
  echo "silo $i: http://127.0.0.1:$((8100 + i))  (silo port $((11110 + i)), gateway port $((30000 + i)), log .cluster/silo$i.log)"
}

start_gateway() {
  local cs=$1
  ConnectionStrings__Distribution="$cs" Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id" \
    nohup dotnet "$root/src/Gateway/bin/Release/net10.0/Distribution.Gateway.dll" --urls "http://127.0.0.1:8080" \
    > "$state/gateway.log" 2>&1 &
  echo $! > "$state/gateway.pid"
  echo "gateway: http://127.0.0.1:8080  (log .cluster/gateway.log)"
}

wait_ready() {
  local url=$1
  for _ in $(seq 1 120); do
    if curl -fsS "$url/health/ready" > /dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "not ready: $url" >&2
  return 1
}

stop_all() {
  for pidfile in "$state"/*.pid; do
    [[ -e "$pidfile" ]] || continue
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2> /dev/null; then
      kill "$pid" && echo "stopped $(basename "$pidfile" .pid) ($pid)"
    fi
    rm -f "$pidfile"
  done
}

case "${1:-start}" in
  start)
    silos="${2:-2}"
    stop_all
    dotnet build "$root/Distribution.Orleans.sln" -c Release -v quiet -nologo > /dev/null
    cs="$(connection)"
    for i in $(seq 1 "$silos"); do
      start_silo "$i" "$cs"
      wait_ready "http://127.0.0.1:$((8100 + i))"
    done
    start_gateway "$cs"
    wait_ready "http://127.0.0.1:8080"
    echo "cluster '$cluster_id' is up on database '$database'"
    ;;
  add)
    # Adds silo number $2 to a running cluster (e.g. 'add 3').
    i="${2:?silo number}"
    cs="$(connection)"
    start_silo "$i" "$cs"
    wait_ready "http://127.0.0.1:$((8100 + i))"
    ;;
  kill)
    # Kills silo number $2 abruptly (SIGKILL), as a crash would.
    i="${2:?silo number}"
    kill -9 "$(cat "$state/silo$i.pid")" && rm -f "$state/silo$i.pid" && echo "killed silo $i"
    ;;
  stop)
    stop_all
    ;;
  status)
    for pidfile in "$state"/*.pid; do
      [[ -e "$pidfile" ]] || { echo "nothing runs"; break; }
      pid=$(cat "$pidfile")
      if kill -0 "$pid" 2> /dev/null; then echo "$(basename "$pidfile" .pid): running ($pid)"; else echo "$(basename "$pidfile" .pid): gone"; fi
    done
    ;;
  *)
    echo "usage: $0 start [SILOS] | add N | kill N | stop | status" >&2
    exit 2
    ;;
esac
