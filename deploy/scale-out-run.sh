#!/usr/bin/env bash
# Scale-out run: the allocation benchmark against a durable cluster that grows and loses a silo
# while the load runs. Starts PostgreSQL, silo 1 and one standalone gateway (deploy/local-cluster.sh,
# on a fresh database), runs the benchmark through the gateway with --timeline, and on the load's
# clock adds silo 2, adds silo 3, then kills one silo with SIGKILL. Every action is logged with its
# time; at the end the per-second timeline is printed with the actions marked, then the
# benchmark's own end-of-run check (no oversell; every acknowledged unit reserved).
#
#   deploy/scale-out-run.sh [options] [-- extra benchmark options]
#     --skus N          SKUs of the benchmark network (default 50000; e.g. 5000 for a quick trial)
#     --warehouses N    warehouses (default 20)
#     --concurrency N   closed-loop clients (default 64)
#     --duration S      seconds of load (default 150)
#     --add2 S          add silo 2 at S seconds of load (default 30)
#     --add3 S          add silo 3 at S seconds of load (default 60)
#     --kill-at S       kill a silo at S seconds of load (default 100)
#     --kill N          which silo to kill (default 1, the one that hosted everything first)
#     --out DIR         where the timeline, logs and actions go (default .scale-out/<UTC time>)
#     --keep-db         keep the run's database afterwards (it is dropped by default when the
#                       run created it; one run of 50,000 SKUs leaves about 1 GB)
#
# Ports, database and cluster id come from the environment variables of deploy/local-cluster.sh
# (DISTRIBUTION_CLUSTER_*); the database defaults to a fresh scale_out_<UTC time> so the benchmark's
# cross-check sees only this run's reservations. The cluster is stopped when the run ends, and a
# database the run named itself is dropped then (unless --keep-db).
# The cluster's admin key (DISTRIBUTION_API_KEY, or one generated for the run) is passed to the
# benchmark as --api-key.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

skus=50000 warehouses=20 concurrency=64 duration=150 add2=30 add3=60 kill_at=100 victim=1 keep_db=0
stamp="$(date -u +%Y%m%d_%H%M%S)"
out="$root/.scale-out/$stamp"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skus) skus=$2; shift 2 ;;
    --warehouses) warehouses=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --add2) add2=$2; shift 2 ;;
    --add3) add3=$2; shift 2 ;;
    --kill-at) kill_at=$2; shift 2 ;;
    --kill) victim=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep-db) keep_db=1; shift ;;
    --) shift; break ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
export DISTRIBUTION_CLUSTER_STATE="$out/cluster"
# A database named by the caller is theirs to keep; one named here is dropped at the end.
[[ -n "${DISTRIBUTION_CLUSTER_DB:-}" ]] && keep_db=1
export DISTRIBUTION_CLUSTER_DB="${DISTRIBUTION_CLUSTER_DB:-scale_out_$stamp}"
export DISTRIBUTION_API_KEY="${DISTRIBUTION_API_KEY:-dk_admin_$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')}"
cluster="$root/deploy/local-cluster.sh"
gateway="http://127.0.0.1:${DISTRIBUTION_CLUSTER_FRONT_PORT:-8080}"
actions="$out/actions.log"
: > "$actions"

# Logs an action with its unix time (the timeline's unix_s column lines up with it).
act() {
  local now
  now=$(date +%s)
  echo "$now $*" >> "$actions"
  echo "[$(date -u -d "@$now" +%T)] $*"
}

cleanup() {
  [[ -n "${bench_pid:-}" ]] && kill "$bench_pid" 2> /dev/null || true
  "$cluster" stop > /dev/null 2>&1 || true
  if [[ "$keep_db" == 0 ]]; then
    bash "$root/scripts/postgres.sh" dropdb "$DISTRIBUTION_CLUSTER_DB" > /dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [[ "${DISTRIBUTION_CLUSTER_BUILD:-1}" != 0 ]]; then
  echo "building (Release) ..."
  dotnet build "$root/Distribution.Orleans.sln" -c Release -v quiet -nologo > /dev/null
fi
export DISTRIBUTION_CLUSTER_BUILD=0

act "start: PostgreSQL, silo 1, gateway 1 (database $DISTRIBUTION_CLUSTER_DB)"
"$cluster" start 1 1
act "cluster ready"

dotnet "$root/src/Benchmark/bin/Release/net10.0/Distribution.Benchmark.dll" \
  --url "$gateway" --api-key "$DISTRIBUTION_API_KEY" --warehouses "$warehouses" --skus "$skus" --concurrency "$concurrency" \
  --warmup 0 --duration "$duration" --timeline "$out/timeline.csv" --run-id "scale-$stamp" "$@" \
  > "$out/benchmark.log" 2>&1 &
bench_pid=$!
act "benchmark started (pid $bench_pid, log $out/benchmark.log); seeding the network first"

# The load's clock starts one second before its first progress line.
now_ms() { date +%s%3N; }
until grep -qE '^ +c=[0-9]+ ' "$out/benchmark.log"; do
  kill -0 "$bench_pid" 2> /dev/null || { cat "$out/benchmark.log"; echo "benchmark ended before the load began" >&2; exit 1; }
  sleep 0.1
done
t0_ms=$(($(now_ms) - 1000))
act "load running (${concurrency} clients, ${duration} s)"

at() { # sleeps until second $1 of the load
  local wait_ms=$((t0_ms + $1 * 1000 - $(now_ms)))
  if [[ $wait_ms -gt 0 ]]; then sleep "$((wait_ms / 1000)).$(printf %03d $((wait_ms % 1000)))"; fi
}

# Silos start in the background: joining takes seconds, and the schedule must not slip.
add_silo() {
  at "$1"
  act "add silo $2"
  if "$cluster" add "$2" > "$out/add$2.log" 2>&1; then act "silo $2 ready"; else act "silo $2 FAILED to start (see $out/add$2.log)"; fi
}
add_silo "$add2" 2 &
adders=($!)
add_silo "$add3" 3 &
adders+=($!)

at "$kill_at"
# Killing before the new silos run would take the whole cluster down, which is not this run's question.
for adder in "${adders[@]}"; do
  if kill -0 "$adder" 2> /dev/null; then
    act "kill delayed: silos 2 and 3 are not both ready yet"
    break
  fi
done
wait "${adders[@]}" || true
act "kill silo $victim (SIGKILL)"
"$cluster" kill "$victim" > /dev/null
status=0
wait "$bench_pid" || status=$?
bench_pid=""
act "benchmark finished (exit $status)"

echo
echo "== Actions"
while read -r t text; do echo "$(date -u -d "@$t" +%T)  $text"; done < "$actions"
echo
echo "== Timeline ($out/timeline.csv; activations per silo polled every 2 s; '<<' marks an action)"
awk -F, -v actions="$actions" '
  BEGIN {
    while ((getline line < actions) > 0) {
      split(line, f, " ")
      text = substr(line, length(f[1]) + 2)
      previous = (f[1] in marks) ? marks[f[1]] "; " : ""
      marks[f[1]] = previous text
    }
    printf "%6s %8s %7s %5s %6s %8s  %s\n", "second", "utc", "orders", "503", "other", "p99 ms", "activations by silo"
  }
  NR > 1 {
    mark = ($2 in marks) ? "   << " marks[$2] : ""
    other = $6 > 0 ? $6 " (" $7 ")" : $6
    printf "%6s %8s %7s %5s %6s %8s  %s%s\n", $1, $3, $4, $5, other, $8, $10, mark
  }' "$out/timeline.csv"

# Throughput before the kill (mean of the 20 s before it); the dip below 80% of it after the
# kill, and the second it was back at 80% or more.
kill_unix=$(awk '/ kill silo / { print $1; exit }' "$actions")
awk -F, -v kill="$kill_unix" '
  NR > 1 && $2 >= kill - 20 && $2 < kill { sum += $4; n++ }
  NR > 1 { orders[$2] = $4; s[$2] = $1 }
  END {
    if (n == 0) { print "no load before the kill"; exit }
    mean = sum / n
    printf "\nbefore the kill: %.0f orders/s (mean of %d s)\n", mean, n
    for (t = kill; (t in orders) && orders[t] >= 0.8 * mean; t++) { }
    if (!(t in orders)) { print "no second after the kill below 80% of that"; exit }
    dip = t
    for (; (t in orders) && orders[t] < 0.8 * mean; t++) { }
    if (!(t in orders)) { printf "below 80%% from %d s after the kill until the load ended\n", dip - kill; exit }
    printf "below 80%% from %d s to %d s after the kill; back at >= 80%% %d s after the kill (second %d of the load)\n", dip - kill, t - 1 - kill, t - kill, s[t]
  }' "$out/timeline.csv"

echo
echo "== The benchmark's end-of-run check"
sed -n '/^Results/,$p' "$out/benchmark.log"
echo
echo "actions: $actions; cluster logs: $out/cluster/"
exit $status
