#!/usr/bin/env bash
# Private PostgreSQL cluster for Distribution.Orleans (durable mode and integration tests).
#
#   scripts/postgres.sh [start]       install PostgreSQL if needed, create/start the cluster, role and
#                                     database; the last line printed is the connection string
#   scripts/postgres.sh stop          stop the cluster
#   scripts/postgres.sh status        show whether the cluster is running (exit 0 if it is, 3 if not)
#   scripts/postgres.sh createdb NAME create an extra database (idempotent); prints its connection string
#   scripts/postgres.sh dropdb NAME   drop an extra database (idempotent; refuses the main one)
#
# The cluster is called "distribution", listens on 127.0.0.1:55432 only and has a password role
# distribution/distribution (TCP + scram, so it works when everything runs as root). Idempotent.
# DISTRIBUTION_PG_CLUSTER and DISTRIBUTION_PG_PORT select another cluster (the outage tests stop
# and start one of their own so other tests keep theirs).
set -euo pipefail

CLUSTER="${DISTRIBUTION_PG_CLUSTER:-distribution}"
PORT="${DISTRIBUTION_PG_PORT:-55432}"
ROLE="distribution"
PASSWORD="distribution"
DATABASE="distribution"

log() { echo "postgres.sh: $*" >&2; }

connection_string() {
    # Loopback only: no TLS (Npgsql would negotiate it with the cluster's default certificate, and
    # encrypting every round trip cost the silo and PostgreSQL CPU in the durable benchmarks).
    echo "Host=127.0.0.1;Port=${PORT};Username=${ROLE};Password=${PASSWORD};Database=$1;SSL Mode=Disable"
}

find_version() {
    local bin
    bin=$(ls -1d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$bin" ]]; then
        basename "$(dirname "$(dirname "$bin")")"
    fi
}

ensure_installed() {
    if [[ -z "$(find_version)" ]]; then
        log "installing PostgreSQL from Debian packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
    fi
    VERSION="$(find_version)"
    if [[ -z "$VERSION" ]]; then
        log "PostgreSQL is not installed and could not be installed"
        exit 1
    fi
}

cluster_exists() {
    pg_lsclusters -h 2>/dev/null | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit found ? 0 : 1 }'
}

cluster_running() {
    pg_ctlcluster "$VERSION" "$CLUSTER" status >/dev/null 2>&1
}

# psql as the postgres superuser over the local socket (peer authentication).
psql_admin() {
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres -At "$@"
}

ensure_cluster() {
    if ! cluster_exists; then
        log "creating cluster ${VERSION}/${CLUSTER} on port ${PORT}"
        pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" >&2
    fi
    # Settings owned by this script, rewritten on every run so an existing cluster converges too.
    local confd="/etc/postgresql/${VERSION}/${CLUSTER}/conf.d"
    install -d -o postgres -g postgres "$confd"
    cat >"${confd}/distribution.conf" <<EOF
# Managed by scripts/postgres.sh
listen_addresses = '127.0.0.1'
port = ${PORT}
max_connections = 200
EOF
    chown postgres:postgres "${confd}/distribution.conf"
    # The socket directory lives on tmpfs; without systemd nobody recreates it after a reboot.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
}

start_cluster() {
    if ! cluster_running; then
        log "starting cluster ${VERSION}/${CLUSTER}"
        pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
    fi
    local i
    for i in $(seq 1 60); do
        if runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p "$PORT"; then
            return 0
        fi
        sleep 0.5
    done
    log "cluster did not become ready on 127.0.0.1:${PORT}"
    exit 1
}

ensure_role_and_database() {
    psql_admin <<EOF
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN
        CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}';
    ELSE
        ALTER ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}';
    END IF;
END
\$\$;
EOF
    create_database "$DATABASE"
}

require_database_name() {
    if [[ ! "$1" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]]; then
        log "invalid database name '$1' (letters, digits and _ only)"
        exit 2
    fi
}

create_database() {
    local name="$1"
    require_database_name "$name"
    if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${name}'")" != "1" ]]; then
        log "creating database ${name}"
        psql_admin -c "CREATE DATABASE \"${name}\" OWNER ${ROLE}"
    fi
}

drop_database() {
    local name="$1"
    require_database_name "$name"
    if [[ "$name" == "$DATABASE" ]]; then
        log "refusing to drop database '$name' (only extra databases are dropped)"
        exit 2
    fi
    log "dropping database ${name}"
    psql_admin -c "DROP DATABASE IF EXISTS \"${name}\" WITH (FORCE)"
}

cmd="${1:-start}"
case "$cmd" in
    start)
        ensure_installed
        ensure_cluster
        start_cluster
        ensure_role_and_database
        connection_string "$DATABASE"
        ;;
    stop)
        VERSION="$(find_version)"
        if [[ -n "$VERSION" ]] && cluster_exists && cluster_running; then
            pg_ctlcluster "$VERSION" "$CLUSTER" stop >&2
        fi
        log "stopped"
        ;;
    status)
        VERSION="$(find_version)"
        if [[ -n "$VERSION" ]] && cluster_exists && cluster_running; then
            pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c'
            exit 0
        fi
        echo "cluster ${CLUSTER} is not running"
        exit 3
        ;;
    createdb)
        if [[ $# -lt 2 ]]; then
            log "usage: $0 createdb NAME"
            exit 2
        fi
        ensure_installed
        ensure_cluster
        start_cluster
        ensure_role_and_database
        create_database "$2"
        connection_string "$2"
        ;;
    dropdb)
        if [[ $# -lt 2 ]]; then
            log "usage: $0 dropdb NAME"
            exit 2
        fi
        VERSION="$(find_version)"
        if [[ -z "$VERSION" ]] || ! cluster_exists || ! cluster_running; then
            log "cluster ${CLUSTER} is not running; nothing dropped"
            exit 3
        fi
        drop_database "$2"
        ;;
    *)
        log "usage: $0 [start|stop|status|createdb NAME|dropdb NAME]"
        exit 2
        ;;
esac
