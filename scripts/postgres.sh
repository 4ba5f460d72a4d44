#!/usr/bin/env bash
# Starts and stops throwaway PostgreSQL servers on loopback for Parley's tests.
#
#   scripts/postgres.sh install                          # Debian PostgreSQL 15, openssl; PyPI pgserver: 16 + pgvector
#   scripts/postgres.sh start NAME [--pgvector] [--tls]  # fresh server; prints its application URL alone on stdout
#   scripts/postgres.sh restart NAME                     # pg_ctl restart -m fast: same data, port and TLS files
#   scripts/postgres.sh stop NAME                        # stops the server and removes /tmp/parley-pg-NAME
#   scripts/postgres.sh psql NAME [ARGS...]              # superuser `postgres` psql over the socket, database parley
#
# Each server lives in /tmp/parley-pg-NAME: data/ (the cluster), log (the server's log), initdb.log, the socket, and
# the files url, port and bin (the application URL, the TCP port, the bin dir it runs from) for tests to read.
# Without --pgvector the server is Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin); with it, the PostgreSQL 16
# and pgvector 0.6.2 binaries that PyPI's pgserver ships (only its binaries run; its Python API is never used).
# The cluster: superuser `postgres` (trusted on the socket only), TCP on 127.0.0.1 with scram-sha-256 passwords, and
# the application role `parley` (password parley, NOSUPERUSER NOBYPASSRLS CREATEDB) owning database `parley`.
# fsync stays on: crash tests need real durability. As root, the server runs as the OS user postgres (runuser).
# With --tls the server takes TLS as well as plain TCP (sslmode=disable still works): tls/ holds a throwaway CA
# (ca.key, ca.crt, "Parley test CA") and a server key and certificate it signed for DNS:localhost and IP:127.0.0.1,
# valid 2 days (made with openssl, installed if missing); ca.crt is the CA for clients, and url-tls the application
# URL with host localhost, sslmode=verify-full and sslrootcert=/tmp/parley-pg-NAME/ca.crt. pgserver's PostgreSQL 16
# is built without OpenSSL, so --tls runs only on Debian's PostgreSQL 15: --tls with --pgvector is refused.
# Everything but the URL (start) and psql's own output goes to stderr.
set -euo pipefail

PG15_BIN=/usr/lib/postgresql/15/bin
PGSERVER_VERSION=0.1.4 # PostgreSQL 16.2 + pgvector 0.6.2
# Where root keeps a copy of pgserver's binaries that the OS user postgres can run (see pgvector_bin).
PGSERVER_MIRROR=/usr/local/lib/parley-pgserver
START_TIMEOUT=30 # seconds to wait for a server to accept connections

log() { echo "postgres.sh: $*" >&2; }
die() {
    log "$*"
    exit 1
}

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------------------------------------------
# install

# Installs a Debian package; apt-get update runs only when apt knows no candidate for the package, or when the
# install fails on stale package lists.
apt_install() {
    local package="$1"
    log "Installing system packages: $package"
    local sudo_cmd=()
    if ! is_root; then sudo_cmd=(sudo); fi
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        "${sudo_cmd[@]}" apt-get update -qq >&2
    fi
    if ! DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$package" >&2; then
        "${sudo_cmd[@]}" apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$package" >&2
    fi
}

# Installs Debian's postgresql-15 if its server binaries are missing.
install_pg15() {
    [ -x "$PG15_BIN/postgres" ] && [ -x "$PG15_BIN/initdb" ] && return 0
    apt_install postgresql-15
    [ -x "$PG15_BIN/postgres" ] || die "postgresql-15 installed but $PG15_BIN/postgres is missing"
}

# Installs Debian's openssl (the command, for --tls's certificates) if it is missing.
install_openssl() {
    command -v openssl >/dev/null 2>&1 && return 0
    apt_install openssl
    command -v openssl >/dev/null 2>&1 || die "openssl installed but not on PATH"
}

# Prints pgserver's package dir (site-packages/pgserver) without importing it: importing runs its Python API's
# imports, which we don't need. Prints nothing if it is not installed.
pgserver_package_dir() {
    python3 -c 'import importlib.util, os
spec = importlib.util.find_spec("pgserver")
if spec and spec.origin: print(os.path.dirname(spec.origin))' 2>/dev/null || true
}

# Installs PyPI pgserver (the same way scripts/install-browser-test-deps.sh installs its packages) if missing.
install_pgserver() {
    [ -n "$(pgserver_package_dir)" ] && return 0
    log "Installing Python packages: pgserver==$PGSERVER_VERSION"
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages \
        "pgserver==$PGSERVER_VERSION" >&2
    [ -n "$(pgserver_package_dir)" ] || die "pip installed pgserver but python3 cannot find it"
}

cmd_install() {
    [ $# -eq 0 ] || usage
    install_pg15
    install_openssl
    install_pgserver
    pgvector_bin >/dev/null # as root: makes the copy the OS user postgres can run, now rather than at first start
    log "ready: PostgreSQL 15 in $PG15_BIN, PostgreSQL 16 + pgvector in $(pgvector_bin), $(openssl version)"
}

# ---------------------------------------------------------------------------------------------------------------
# Bin dirs

# Prints the bin dir of pgserver's PostgreSQL 16 + pgvector. pgserver's wheel keeps its binaries in
# site-packages/pgserver/pginstall/{bin,lib,share} and psql's libpq in site-packages/pgserver.libs (found through the
# RPATH $ORIGIN/../../../pgserver.libs); PostgreSQL finds its share and lib dirs relative to the postgres binary, so
# the tree is relocatable and needs no LD_LIBRARY_PATH. When root runs the server as the OS user postgres, and that
# user cannot reach site-packages (pyenv's Python lives under /root, mode 0700), the tree is copied, layout kept, to
# $PGSERVER_MIRROR, and refreshed whenever the installed pgserver is a different one.
pgvector_bin() {
    local package
    package="$(pgserver_package_dir)"
    [ -n "$package" ] || die "pgserver is not installed: run scripts/postgres.sh install"
    local bin="$package/pginstall/bin"
    [ -x "$bin/postgres" ] || die "pgserver has no $bin/postgres"
    if ! is_root || runuser -u postgres -- test -x "$bin/postgres" 2>/dev/null; then
        echo "$bin"
        return 0
    fi
    local source_id
    source_id="$package $(stat -c %Y "$bin/postgres")"
    if [ "$(cat "$PGSERVER_MIRROR/source" 2>/dev/null || true)" != "$source_id" ]; then
        # Under a lock, so that servers started in parallel copy it once.
        (
            flock 9
            [ "$(cat "$PGSERVER_MIRROR/source" 2>/dev/null || true)" != "$source_id" ] || exit 0
            log "copying pgserver's binaries to $PGSERVER_MIRROR (the OS user postgres cannot read $package)"
            local staging="$PGSERVER_MIRROR.tmp"
            rm -rf "$staging"
            mkdir -p "$staging/pgserver"
            cp -a "$package/pginstall" "$staging/pgserver/"
            if [ -d "$package/../pgserver.libs" ]; then cp -a "$package/../pgserver.libs" "$staging/"; fi
            echo "$source_id" >"$staging/source"
            chmod -R a+rX "$staging"
            rm -rf "$PGSERVER_MIRROR"
            mv "$staging" "$PGSERVER_MIRROR"
        ) 9>"$PGSERVER_MIRROR.lock"
    fi
    echo "$PGSERVER_MIRROR/pgserver/pginstall/bin"
}

# ---------------------------------------------------------------------------------------------------------------
# Per-server helpers

# Checks NAME and sets the globals of its server: base (its dir) and data (the cluster). NAME is at most 64 characters
# so that the socket path /tmp/parley-pg-NAME/.s.PGSQL.NNNNN fits in sun_path (107 bytes).
set_server() {
    local name="${1:-}"
    [ -n "$name" ] || usage
    [[ "$name" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "NAME must be 1-64 of A-Z a-z 0-9 . _ - (got '$name')"
    base="/tmp/parley-pg-$name"
    data="$base/data"
}

# Runs a PostgreSQL program as the cluster's owner: as root that is the OS user postgres (PostgreSQL refuses to run
# as root), from the server's dir so that no unreadable working dir or HOME gets in the way; otherwise as ourselves.
as_owner() {
    if is_root; then
        (cd "$base" && runuser -u postgres -- env HOME="$base" "$@")
    else
        "$@"
    fi
}

# Superuser psql over the socket; -X skips ~/.psqlrc, ON_ERROR_STOP makes SQL errors fail the script.
super_psql() {
    local bin="$1" port="$2" database="$3"
    shift 3
    as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d "$database" "$@"
}

# Prints a free TCP port on 127.0.0.1 (the kernel picks it; the server binds it a moment later).
free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Stops whatever server runs on this dir's data (ignored if none), trying fast, then immediate shutdown.
stop_server() {
    [ -f "$data/postmaster.pid" ] || return 0
    local bin
    bin="$(cat "$base/bin" 2>/dev/null || echo "$PG15_BIN")"
    as_owner "$bin/pg_ctl" stop -D "$data" -m fast -w -t 30 >&2 2>/dev/null ||
        as_owner "$bin/pg_ctl" stop -D "$data" -m immediate -w -t 10 >&2 2>/dev/null || true
}

# Prints the last lines of the server log to stderr, for failures.
log_tail() {
    if [ -f "$base/log" ]; then
        log "last lines of $base/log:"
        tail -n 30 "$base/log" >&2
    fi
}

# Waits (up to START_TIMEOUT seconds in all) until the server accepts connections on TCP 127.0.0.1:port.
# pg_ctl's own wait notices a postmaster that dies at start; pg_isready then checks the TCP listener.
start_and_wait() {
    local bin="$1" port="$2"
    if ! as_owner "$bin/pg_ctl" start -D "$data" -l "$base/log" -w -t "$START_TIMEOUT" >&2; then
        return 1
    fi
    local deadline=$((SECONDS + START_TIMEOUT))
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# Succeeds if the PostgreSQL in this bin dir was built with OpenSSL (configure's --with-openssl, or since 14
# --with-ssl=openssl); without it, ssl = on and hostssl lines keep the server from starting.
has_openssl() {
    "$1/pg_config" --configure 2>/dev/null | grep -q -e "'--with-openssl'" -e "'--with-ssl=openssl'"
}

# Runs openssl with its chatter in $base/tls.log, shown if it fails.
run_openssl() {
    if ! openssl "$@" >>"$base/tls.log" 2>&1; then
        cat "$base/tls.log" >&2
        die "openssl $1 failed"
    fi
}

# Makes $base/tls: a throwaway CA (ca.key, ca.crt) and a server key and certificate (server.key, server.crt) it signed
# for DNS:localhost and IP:127.0.0.1, valid 2 days; and $base/ca.crt, the CA for clients. The keys (P-256) are mode
# 0600 and, as root, owned by the OS user postgres: PostgreSQL refuses a server key others can read.
make_tls_files() {
    local tls="$base/tls"
    mkdir -p "$tls"
    (
        umask 077
        run_openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 \
            -subj "/CN=Parley test CA" -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$tls/ca.key" -out "$tls/ca.crt"
        run_openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -subj "/CN=localhost" \
            -keyout "$tls/server.key" -out "$tls/server.csr"
        printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$tls/server.ext"
        run_openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" \
            -set_serial "0x$(openssl rand -hex 16)" -sha256 -days 2 -extfile "$tls/server.ext" -out "$tls/server.crt"
    )
    rm -f "$tls/server.csr" "$tls/server.ext"
    chmod 0755 "$tls"
    chmod 0644 "$tls/ca.crt" "$tls/server.crt"
    chmod 0600 "$tls/ca.key" "$tls/server.key"
    cp "$tls/ca.crt" "$base/ca.crt"
    chmod 0644 "$base/ca.crt"
    if is_root; then chown -R postgres:postgres "$tls" "$base/ca.crt" "$base/tls.log"; fi
}

# ---------------------------------------------------------------------------------------------------------------
# start

cmd_start() {
    set_server "${1:-}"
    shift
    local pgvector=false tls=false
    while [ $# -gt 0 ]; do
        case "$1" in
            --pgvector) pgvector=true ;;
            --tls) tls=true ;;
            *) usage ;;
        esac
        shift
    done
    local bin="$PG15_BIN"
    if $pgvector; then bin="$(pgvector_bin)"; fi
    [ -x "$bin/postgres" ] || die "no PostgreSQL in $bin: run scripts/postgres.sh install"
    if $tls; then
        has_openssl "$bin" || die "--tls needs a PostgreSQL built with OpenSSL, and $bin/postgres is not" \
            "(pgserver's PostgreSQL 16, which --pgvector runs, never is)"
        install_openssl
    fi
    if is_root && ! id postgres >/dev/null 2>&1; then
        die "the OS user postgres is missing (it comes with postgresql-15)"
    fi

    # A previous server of this name is replaced: stop it, then wipe its dir.
    stop_server
    rm -rf "$base"
    mkdir -p "$base"
    chmod 0755 "$base"
    echo "$bin" >"$base/bin"
    if is_root; then chown -R postgres:postgres "$base"; fi

    local started_at=$SECONDS
    log "initdb $data ($("$bin/postgres" --version))"
    if ! as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$base/initdb.log" 2>&1; then
        cat "$base/initdb.log" >&2
        die "initdb failed"
    fi

    # The settings live in postgresql.conf rather than on pg_ctl's command line, so that every restart, by this
    # script or by pg_ctl directly, including after a crash, brings the server back on the same socket and port,
    # and with the same TLS settings.
    if $tls; then
        make_tls_files
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/postgres.sh --tls
ssl = on
ssl_cert_file = '$base/tls/server.crt'
ssl_key_file = '$base/tls/server.key'
EOF
        # TCP connections with TLS match the hostssl lines; initdb's host lines below them take those without.
        local hba="$data/pg_hba.conf"
        {
            printf '%s\n' "# scripts/postgres.sh --tls: TCP with TLS here; initdb's host lines take TCP without it" \
                "hostssl all all 127.0.0.1/32 scram-sha-256" "hostssl all all ::1/128 scram-sha-256" ""
            as_owner cat "$hba"
        } | as_owner tee "$hba.new" >/dev/null
        as_owner mv "$hba.new" "$hba"
    fi
    local port attempt
    for attempt in 1 2 3; do
        port="$(free_port)"
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$base'
max_connections = 1000
shared_buffers = 128MB
fsync = on
EOF
        if start_and_wait "$bin" "$port"; then break; fi
        # Another process may have taken the port between free_port and the server's bind: try another port.
        if [ "$attempt" -lt 3 ] && grep -q 'could not bind' "$base/log" 2>/dev/null; then
            log "port $port was taken, trying another"
            stop_server
            continue
        fi
        log_tail
        stop_server
        die "server $base did not start (or did not accept connections within ${START_TIMEOUT}s)"
    done

    # The application role and database. pgvector is not a trusted extension, so the superuser creates it, in
    # template1 too, so that databases the tests create later (CREATE DATABASE copies template1) have it.
    super_psql "$bin" "$port" postgres >&2 <<'EOF'
CREATE ROLE parley LOGIN PASSWORD 'parley' NOSUPERUSER NOBYPASSRLS CREATEDB;
CREATE DATABASE parley OWNER parley;
EOF
    if $pgvector; then
        super_psql "$bin" "$port" template1 -c 'CREATE EXTENSION IF NOT EXISTS vector' >&2
        super_psql "$bin" "$port" parley -c 'CREATE EXTENSION IF NOT EXISTS vector' >&2
    fi
    # parley owns its database, so it may create schemas there and, being pg_database_owner, use schema public.
    local may_create
    may_create="$(super_psql "$bin" "$port" parley -At -c "SELECT has_database_privilege('parley', 'parley', 'CREATE')
        AND has_schema_privilege('parley', 'public', 'CREATE')")"
    [ "$may_create" = t ] || die "role parley cannot create schemas in database parley"

    local url="postgres://parley:parley@127.0.0.1:$port/parley?sslmode=disable"
    echo "$port" >"$base/port"
    echo "$url" >"$base/url"
    if $tls; then
        # verify-full checks the host name against the certificate: localhost (127.0.0.1 matches too).
        echo "postgres://parley:parley@localhost:$port/parley?sslmode=verify-full&sslrootcert=$base/ca.crt" \
            >"$base/url-tls"
    fi
    log "started $base (port $port) in $((SECONDS - started_at))s"
    echo "$url"
}

# ---------------------------------------------------------------------------------------------------------------
# restart, stop, psql

cmd_restart() {
    [ $# -eq 1 ] || usage
    set_server "$1"
    [ -f "$base/port" ] && [ -d "$data" ] || die "no server $base: start it first"
    local bin port
    bin="$(cat "$base/bin")"
    port="$(cat "$base/port")"
    local deadline=$((SECONDS + START_TIMEOUT))
    # pg_ctl restart also starts a server that is not running. But just after a crash test killed the postmaster,
    # its pid may still be alive (a zombie not yet reaped) or its children may still hold the shared memory: pg_ctl
    # restart then fails ("server does not shut down") and a start fails ("lock file already exists", "shared memory
    # block is still in use") until they are gone. So after a failed restart, start is tried until the deadline.
    if ! as_owner "$bin/pg_ctl" restart -D "$data" -m fast -l "$base/log" -w -t "$START_TIMEOUT" >&2; then
        log "pg_ctl restart failed (a crashed server?): starting it again"
        until as_owner "$bin/pg_ctl" start -D "$data" -l "$base/log" -w -t "$START_TIMEOUT" >&2; do
            if [ "$SECONDS" -ge "$deadline" ]; then
                log_tail
                die "server $base did not restart"
            fi
            sleep 0.5
        done
    fi
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            log_tail
            die "server $base did not accept connections within ${START_TIMEOUT}s of the restart"
        fi
        sleep 0.1
    done
    log "restarted $base (port $port)"
}

cmd_stop() {
    [ $# -eq 1 ] || usage
    set_server "$1"
    stop_server
    rm -rf "$base"
}

cmd_psql() {
    set_server "${1:-}"
    shift
    [ -f "$base/port" ] || die "no server $base: start it first"
    local bin port
    bin="$(cat "$base/bin")"
    port="$(cat "$base/port")"
    # As root psql runs as the OS user postgres (HOME: the server's dir, for its history): give it files on stdin
    # (< file) rather than -f /root/..., which it cannot read.
    if is_root; then
        exec runuser -u postgres -- env HOME="$base" "$bin/psql" -h "$base" -p "$port" -U postgres -d parley "$@"
    fi
    exec "$bin/psql" -h "$base" -p "$port" -U postgres -d parley "$@"
}

# ---------------------------------------------------------------------------------------------------------------

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    install) cmd_install "$@" ;;
    start) cmd_start "$@" ;;
    restart) cmd_restart "$@" ;;
    stop) cmd_stop "$@" ;;
    psql) cmd_psql "$@" ;;
    *) usage ;;
esac
