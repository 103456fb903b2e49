# shellcheck shell=bash
#
# Throwaway servers for tests, benchmarks and the scaled-out demo: a PostgreSQL primary
# plus one streaming replica, Redis and RabbitMQ, each on a free loopback port, all state
# under one temp dir ($NEWSBOT_SERVERS_DIR). Nothing touches the system's own clusters,
# /var/lib/rabbitmq or the default ports, so several runs can share a machine.
#
# Sourced by scripts/test, scripts/servers-ctl (which controls a running set from another
# process, e.g. an integration test restarting Redis), scripts/bench and the demo.
# Every function is prefixed `nbs_`. Progress goes to stderr, values (URLs) to stdout.
#
# Instances, by name:
#   postgres         the primary (database newsbot_test, trust user newsbot)
#   replica[-NAME]   a hot standby of postgres (pg_basebackup -R, streaming)
#   redis[-SUFFIX]   a Redis server; extra ones (redis-chaos, …) are made on first start
#   rabbitmq[-SUFFIX] a RabbitMQ node with its own node name, epmd port, mnesia and logs
#
# Typical use:
#   source scripts/lib/servers.sh
#   nbs_ensure_packages "${NBS_BUILD_PACKAGES[@]}" "${NBS_SERVER_PACKAGES[@]}"
#   nbs_setup_dir
#   trap nbs_teardown EXIT
#   nbs_start_all
#   nbs_export_test_env

NBS_BUILD_PACKAGES=(pkg-config libhiredis-dev librabbitmq-dev libxml2-dev libsqlite3-dev libcurl4-openssl-dev libjemalloc-dev)
NBS_SERVER_PACKAGES=(postgresql redis-server redis-tools rabbitmq-server)

# The database user and database the tests use; trust authentication, so no password.
NBS_PG_USER=newsbot
NBS_PG_DATABASE=newsbot_test

# Seconds to wait for any one server to become ready or to stop.
NBS_TIMEOUT=${NBS_TIMEOUT:-60}

nbs_log() { printf '==> %s\n' "$*" >&2; }
nbs_warn() { printf 'warning: %s\n' "$*" >&2; }
nbs_fail() { printf 'error: %s\n' "$*" >&2; return 1; }

# Milliseconds since the epoch, for "ready in N ms" lines.
nbs_now_ms() { date +%s%3N; }

# --- packages ---------------------------------------------------------------------------

# Installs the given Debian packages that are not installed yet (one apt-get update, one
# apt-get install); does nothing when all are there, so a prepared machine pays nothing.
nbs_ensure_packages() {
    local missing=() pkg
    if ! command -v dpkg-query >/dev/null 2>&1; then
        nbs_warn "dpkg-query not found: not a Debian system, assuming packages are installed"
        return 0
    fi
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        nbs_fail "missing Debian packages: ${missing[*]} (run as root to install them)"
        return 1
    fi
    nbs_log "installing missing packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 || return 1
}

# --- state dir and ports ----------------------------------------------------------------

# Creates $NEWSBOT_SERVERS_DIR (a new temp dir unless already set) and exports it.
# World-traversable (not listable) so the postgres user can reach its own subdirectories.
nbs_setup_dir() {
    if [ -z "${NEWSBOT_SERVERS_DIR:-}" ]; then
        NEWSBOT_SERVERS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/newsbot-servers.XXXXXX") || return 1
    fi
    export NEWSBOT_SERVERS_DIR
    mkdir -p "$NEWSBOT_SERVERS_DIR" || return 1
    chmod 711 "$NEWSBOT_SERVERS_DIR"
    : >"$NEWSBOT_SERVERS_DIR/.newsbot-servers"
    touch "$NEWSBOT_SERVERS_DIR/ports"
}

nbs_require_dir() {
    if [ -z "${NEWSBOT_SERVERS_DIR:-}" ] || [ ! -f "$NEWSBOT_SERVERS_DIR/.newsbot-servers" ]; then
        nbs_fail "NEWSBOT_SERVERS_DIR is not set or is not a servers dir (start servers with scripts/test)"
        return 1
    fi
}

# True when something on this machine uses TCP port $1 (listening or connected).
nbs_port_busy() {
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# Prints a free port in 20000–31999 (below Linux's ephemeral range, so outgoing
# connections cannot take it meanwhile) that no instance of this dir was given yet.
nbs_free_port() {
    local attempt port
    (
        flock 8
        for attempt in $(seq 1 500); do
            port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
            grep -qx "$port" "$NEWSBOT_SERVERS_DIR/ports" && continue
            nbs_port_busy "$port" && continue
            echo "$port" >>"$NEWSBOT_SERVERS_DIR/ports"
            echo "$port"
            exit 0
        done
        exit 1
    ) 8>"$NEWSBOT_SERVERS_DIR/.ports.lock" || nbs_fail "no free loopback port found"
}

# Runs "$@" with the instance's lock held, so two servers-ctl calls on one instance
# (e.g. from tests running in parallel) do not interleave a stop and a start.
nbs_locked() {
    local name=$1
    shift
    mkdir -p "$NEWSBOT_SERVERS_DIR/locks"
    (
        flock -w "$((NBS_TIMEOUT * 3))" 9 || { nbs_fail "timed out waiting for the $name lock"; exit 1; }
        # Closed for the command: a daemon it starts must not inherit (and so hold) the lock.
        "$@" 9>&-
    ) 9>"$NEWSBOT_SERVERS_DIR/locks/$name"
}

# Waits up to NBS_TIMEOUT seconds for the command "$@" to succeed.
nbs_wait_for() {
    local what=$1
    shift
    local deadline=$(($(date +%s) + NBS_TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            nbs_fail "$what: not ready after ${NBS_TIMEOUT}s"
            return 1
        fi
        sleep 0.1
    done
}

nbs_pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Sends SIGTERM to pid $1 and waits for it to exit; SIGKILL after NBS_TIMEOUT seconds.
nbs_terminate_pid() {
    local pid=$1 deadline
    nbs_pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$(($(date +%s) + NBS_TIMEOUT))
    while nbs_pid_alive "$pid"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            nbs_warn "pid $pid ignored SIGTERM for ${NBS_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            return 0
        fi
        sleep 0.1
    done
}

# --- instance dispatch ------------------------------------------------------------------

# Prints the kind of instance $1: postgres, replica, redis or rabbitmq.
nbs_kind() {
    case "$1" in
    postgres) echo postgres ;;
    replica | replica-*) echo replica ;;
    redis | redis-*) echo redis ;;
    rabbitmq | rabbitmq-*) echo rabbitmq ;;
    *)
        nbs_fail "unknown server '$1' (postgres, replica[-NAME], redis[-NAME], rabbitmq[-NAME])"
        return 1
        ;;
    esac
}

nbs_instance_dir() { echo "$NEWSBOT_SERVERS_DIR/$1"; }

# Starts instance $1, creating it on first use; a running instance is left alone.
nbs_start() {
    local kind
    kind=$(nbs_kind "$1") || return 1
    nbs_locked "$1" "nbs_${kind}_start" "$1"
}

nbs_stop() {
    local kind pid
    kind=$(nbs_kind "$1") || return 1
    [ -d "$(nbs_instance_dir "$1")" ] || return 0
    # A paused server could not act on the shutdown request.
    pid=$("nbs_${kind}_pid" "$1")
    nbs_pid_alive "$pid" && kill -CONT "$pid" 2>/dev/null
    nbs_locked "$1" "nbs_${kind}_stop" "$1"
}

# Kills instance $1 with SIGKILL (a crash, not a clean shutdown).
nbs_kill() {
    local kind pid
    kind=$(nbs_kind "$1") || return 1
    pid=$("nbs_${kind}_pid" "$1")
    if nbs_pid_alive "$pid"; then
        nbs_log "killing $1 (pid $pid)"
        kill -KILL "$pid"
        while nbs_pid_alive "$pid"; do sleep 0.05; done
    fi
}

# Freezes instance $1 with SIGSTOP: it keeps its port and accepts TCP connections but never
# answers, like a hung server; `nbs_resume` lets it go on.
nbs_pause() {
    local kind pid
    kind=$(nbs_kind "$1") || return 1
    pid=$("nbs_${kind}_pid" "$1")
    nbs_pid_alive "$pid" || { nbs_fail "$1 is not running"; return 1; }
    kill -STOP "$pid"
    nbs_log "$1 paused (pid $pid)"
}

nbs_resume() {
    local kind pid
    kind=$(nbs_kind "$1") || return 1
    pid=$("nbs_${kind}_pid" "$1")
    nbs_pid_alive "$pid" || { nbs_fail "$1 is not running"; return 1; }
    kill -CONT "$pid"
    nbs_log "$1 resumed (pid $pid)"
}

nbs_restart() {
    nbs_stop "$1" && nbs_start "$1"
}

# Prints "NAME running|stopped PID URL".
nbs_status() {
    local kind pid state
    kind=$(nbs_kind "$1") || return 1
    pid=$("nbs_${kind}_pid" "$1")
    if nbs_pid_alive "$pid"; then state=running; else state=stopped; fi
    echo "$1 $state ${pid:--} $(nbs_url "$1")"
}

# Prints the client URL of instance $1 (no password except RabbitMQ's well-known guest).
nbs_url() {
    local kind port
    kind=$(nbs_kind "$1") || return 1
    port=$(cat "$(nbs_instance_dir "$1")/port" 2>/dev/null) || {
        nbs_fail "$1 was never started"
        return 1
    }
    case "$kind" in
    postgres | replica) echo "postgres://$NBS_PG_USER@127.0.0.1:$port/$NBS_PG_DATABASE" ;;
    redis) echo "redis://127.0.0.1:$port" ;;
    rabbitmq) echo "amqp://guest:guest@127.0.0.1:$port/" ;;
    esac
}

# Names of the instances that exist in this dir, replicas first (stop order).
nbs_instances() {
    local d name
    for d in "$NEWSBOT_SERVERS_DIR"/replica*/; do
        [ -f "$d/port" ] && basename "$d"
    done
    for d in "$NEWSBOT_SERVERS_DIR"/*/; do
        name=$(basename "$d")
        case "$name" in replica | replica-* | locks) continue ;; esac
        [ -f "$d/port" ] && echo "$name"
    done
}

# --- PostgreSQL -------------------------------------------------------------------------

# The bin directory of the newest installed PostgreSQL (Debian keeps initdb off $PATH).
nbs_pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    nbs_fail "PostgreSQL server binaries (initdb) not found"
}

# Runs a PostgreSQL server tool as the postgres user when we are root (initdb and the
# server refuse to run as root), from a directory that user can enter.
nbs_as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$NEWSBOT_SERVERS_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$NEWSBOT_SERVERS_DIR" && "$@")
    fi
}

nbs_pg_own() {
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$@"; fi
}

nbs_psql() {
    local port=$1
    shift
    "$(nbs_pg_bindir)/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$NBS_PG_USER" "$@"
}

# CPU time of pid $1 in clock ticks (getconf CLK_TCK per second): with "tree", plus its live
# children's (PostgreSQL's backends while they run); with "reaped", plus its children that have
# exited and been waited for (PostgreSQL's backends after their clients disconnected).
nbs_cpu_ticks() {
    local total=0 pid
    if [ "${2:-}" = reaped ]; then
        awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0
        return
    fi
    for pid in "$1" $([ "${2:-}" = tree ] && ps --ppid "$1" -o pid= || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

nbs_postgres_pid() { head -n 1 "$(nbs_instance_dir "$1")/data/postmaster.pid" 2>/dev/null || true; }
nbs_replica_pid() { nbs_postgres_pid "$@"; }

# Starts the data directory of instance $1 (pg_ctl waits until it accepts connections).
nbs_pg_ctl_start() {
    local dir bin
    dir=$(nbs_instance_dir "$1")
    bin=$(nbs_pg_bindir) || return 1
    if nbs_pid_alive "$(nbs_postgres_pid "$1")"; then return 0; fi
    nbs_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$NBS_TIMEOUT" start >/dev/null || {
        tail -n 20 "$dir/server.log" >&2
        nbs_fail "$1 did not start (log: $dir/server.log)"
        return 1
    }
}

nbs_postgres_start() {
    local dir bin port t0
    dir=$(nbs_instance_dir postgres)
    bin=$(nbs_pg_bindir) || return 1
    t0=$(nbs_now_ms)
    if [ ! -f "$dir/port" ]; then
        port=$(nbs_free_port) || return 1
        mkdir -p "$dir/sock"
        nbs_pg_own "$dir"
        nbs_as_pg "$bin/initdb" -D "$dir/data" -U "$NBS_PG_USER" -A trust -E UTF8 --locale=C \
            --no-sync >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            nbs_fail "initdb failed"
            return 1
        }
        # Streaming replication needs wal_level=replica and WAL senders (PostgreSQL 15
        # defaults); initdb's trust pg_hba already admits replication from 127.0.0.1.
        # fsync off: a throwaway cluster trades durability for speed.
        cat >>"$dir/data/postgresql.conf" <<EOF

# newsbot throwaway test server
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 200
wal_level = replica
max_wal_senders = 10
wal_keep_size = '256MB'
hot_standby = on
fsync = off
synchronous_commit = off
EOF
        echo "$port" >"$dir/port"
    fi
    port=$(cat "$dir/port")
    nbs_pg_ctl_start postgres || return 1
    if [ ! -f "$dir/created" ]; then
        nbs_psql "$port" -d postgres -c "CREATE DATABASE $NBS_PG_DATABASE" || return 1
        : >"$dir/created"
    fi
    nbs_log "postgres primary ready on 127.0.0.1:$port in $(($(nbs_now_ms) - t0)) ms"
}

nbs_postgres_stop() {
    local dir bin
    dir=$(nbs_instance_dir "$1")
    bin=$(nbs_pg_bindir) || return 1
    if ! nbs_pid_alive "$(nbs_postgres_pid "$1")"; then return 0; fi
    nbs_as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t "$NBS_TIMEOUT" stop >/dev/null || {
        nbs_warn "pg_ctl stop failed for $1, terminating it"
        nbs_terminate_pid "$(nbs_postgres_pid "$1")"
    }
    nbs_log "$1 stopped"
}

nbs_replica_stop() { nbs_postgres_stop "$1"; }

nbs_replica_in_recovery() { [ "$(nbs_psql "$1" -d postgres -c 'SELECT pg_is_in_recovery()')" = t ]; }
nbs_primary_streaming() {
    [ "$(nbs_psql "$1" -d postgres -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]
}

nbs_replica_start() {
    local dir bin port primary_port t0
    dir=$(nbs_instance_dir "$1")
    bin=$(nbs_pg_bindir) || return 1
    primary_port=$(cat "$(nbs_instance_dir postgres)/port" 2>/dev/null) || {
        nbs_fail "the replica needs the postgres primary: start it first"
        return 1
    }
    t0=$(nbs_now_ms)
    if [ ! -f "$dir/port" ]; then
        port=$(nbs_free_port) || return 1
        mkdir -p "$dir/sock"
        nbs_pg_own "$dir"
        # -R writes standby.signal and primary_conninfo; -X stream copies the WAL needed.
        nbs_as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U "$NBS_PG_USER" \
            -D "$dir/data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || {
            cat "$dir/basebackup.log" >&2
            nbs_fail "pg_basebackup failed"
            return 1
        }
        cat >>"$dir/data/postgresql.conf" <<EOF

# newsbot throwaway replica
port = $port
unix_socket_directories = '$dir/sock'
EOF
        echo "$port" >"$dir/port"
    fi
    port=$(cat "$dir/port")
    nbs_pg_ctl_start "$1" || return 1
    nbs_wait_for "replica recovery mode" nbs_replica_in_recovery "$port" || return 1
    if nbs_pid_alive "$(nbs_postgres_pid postgres)"; then
        nbs_wait_for "replica streaming" nbs_primary_streaming "$primary_port" || return 1
    fi
    nbs_log "postgres $1 ready on 127.0.0.1:$port (streaming from :$primary_port) in $(($(nbs_now_ms) - t0)) ms"
}

# --- Redis ------------------------------------------------------------------------------

nbs_redis_pid() { cat "$(nbs_instance_dir "$1")/redis.pid" 2>/dev/null || true; }

nbs_redis_pong() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
    else
        local reply
        exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
        printf 'PING\r\n' >&3
        read -r -t 1 reply <&3
        exec 3<&-
        [ "${reply%$'\r'}" = "+PONG" ]
    fi
}

nbs_redis_start() {
    local name=$1 dir port t0
    dir=$(nbs_instance_dir "$name")
    t0=$(nbs_now_ms)
    if [ ! -f "$dir/port" ]; then
        mkdir -p "$dir"
        port=$(nbs_free_port) || return 1
        echo "$port" >"$dir/port"
    fi
    port=$(cat "$dir/port")
    if nbs_pid_alive "$(nbs_redis_pid "$name")"; then return 0; fi
    rm -f "$dir/redis.pid"
    # No persistence: a restart starts empty, like a crashed cache.
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no \
        >/dev/null || {
        nbs_fail "redis-server $name did not start (log: $dir/redis.log)"
        return 1
    }
    nbs_wait_for "$name" nbs_redis_pong "$port" || return 1
    nbs_log "$name ready on 127.0.0.1:$port in $(($(nbs_now_ms) - t0)) ms"
}

nbs_redis_stop() {
    local pid
    pid=$(nbs_redis_pid "$1")
    nbs_pid_alive "$pid" || return 0
    nbs_terminate_pid "$pid"
    nbs_log "$1 stopped"
}

# --- RabbitMQ ---------------------------------------------------------------------------

NBS_RABBITMQ_SBIN=/usr/lib/rabbitmq/bin

# Runs "$@" with instance $1's RabbitMQ environment: loopback only, its own node name,
# epmd and distribution ports, HOME (Erlang cookie), mnesia, logs and plugin files, and
# an empty rabbitmq-env.conf so /etc/rabbitmq and /var/lib/rabbitmq stay untouched.
# Calls the real scripts, not the /usr/sbin wrappers (which `su` to the rabbitmq user).
nbs_rabbitmq_env() {
    local name=$1
    shift
    local dir
    dir=$(nbs_instance_dir "$name")
    # shellcheck disable=SC1091
    (
        . "$dir/ports.env"
        env HOME="$dir/home" \
            RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
            RABBITMQ_NODENAME="$NODENAME" \
            RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
            RABBITMQ_NODE_PORT="$NODE_PORT" \
            RABBITMQ_DIST_PORT="$DIST_PORT" \
            ERL_EPMD_ADDRESS=127.0.0.1 \
            ERL_EPMD_PORT="$EPMD_PORT" \
            RABBITMQ_MNESIA_BASE="$dir/mnesia" \
            RABBITMQ_LOG_BASE="$dir/log" \
            RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
            RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
            RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand" \
            RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
            RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
            "$@"
    )
}

nbs_rabbitmq_pid() { cat "$(nbs_instance_dir "$1")/rabbitmq.pid" 2>/dev/null || true; }

nbs_rabbitmq_start() {
    local name=$1 dir port t0 pid
    dir=$(nbs_instance_dir "$name")
    t0=$(nbs_now_ms)
    if [ ! -f "$dir/port" ]; then
        mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
        {
            echo "NODE_PORT=$(nbs_free_port)" &&
                echo "DIST_PORT=$(nbs_free_port)" &&
                echo "EPMD_PORT=$(nbs_free_port)" &&
                echo "NODENAME=newsbot-$name-$(basename "$NEWSBOT_SERVERS_DIR" | tr -c 'A-Za-z0-9\n' '-')@localhost"
        } >"$dir/ports.env" || return 1
        echo '[].' >"$dir/enabled_plugins"
        : >"$dir/rabbitmq-env.conf"
        # Small test machines have little free disk: do not let the default 50 MB alarm
        # (or a relative memory one) block publishers mid-test.
        cat >"$dir/rabbitmq.conf" <<EOF
disk_free_limit.absolute = 10MB
vm_memory_high_watermark.relative = 0.8
loopback_users.guest = true
EOF
        # A fixed cookie, so the CLI never races the node to create one.
        printf 'newsbot%s' "$RANDOM$RANDOM$RANDOM" >"$dir/home/.erlang.cookie"
        chmod 400 "$dir/home/.erlang.cookie"
        # shellcheck disable=SC1091
        (. "$dir/ports.env" && echo "$NODE_PORT") >"$dir/port"
    fi
    port=$(cat "$dir/port")
    pid=$(nbs_rabbitmq_pid "$name")
    if nbs_pid_alive "$pid"; then return 0; fi
    rm -f "$dir/rabbitmq.pid"
    nbs_rabbitmq_env "$name" "$NBS_RABBITMQ_SBIN/rabbitmq-server" -detached \
        >>"$dir/log/startup.log" 2>&1 || {
        nbs_fail "rabbitmq-server $name did not start (logs: $dir/log)"
        return 1
    }
    # `wait` needs the pid file, which the node writes a moment after -detached returns.
    nbs_wait_for "$name pid file" test -s "$dir/rabbitmq.pid" || return 1
    nbs_rabbitmq_env "$name" "$NBS_RABBITMQ_SBIN/rabbitmqctl" wait --timeout "$NBS_TIMEOUT" \
        "$dir/rabbitmq.pid" >>"$dir/log/startup.log" 2>&1 || {
        tail -n 20 "$dir/log/startup.log" >&2
        nbs_fail "rabbitmq $name not ready after ${NBS_TIMEOUT}s (logs: $dir/log)"
        return 1
    }
    nbs_log "$name ready on 127.0.0.1:$port in $(($(nbs_now_ms) - t0)) ms"
}

# `rabbitmqctl shutdown` returns once the VM has exited, so an immediate start cannot meet
# a half-stopped node; by PID if the CLI cannot reach it.
nbs_rabbitmq_stop() {
    local name=$1 dir pid
    dir=$(nbs_instance_dir "$name")
    pid=$(nbs_rabbitmq_pid "$name")
    nbs_pid_alive "$pid" || return 0
    if ! nbs_rabbitmq_env "$name" timeout "$((NBS_TIMEOUT + 5))" "$NBS_RABBITMQ_SBIN/rabbitmqctl" \
        shutdown --timeout "$NBS_TIMEOUT" >>"$dir/log/startup.log" 2>&1; then
        nbs_warn "rabbitmqctl shutdown failed for $name, terminating pid $pid"
    fi
    nbs_terminate_pid "$pid"
    nbs_log "$name stopped"
}

# Stops the instance's epmd (the Erlang VM starts it detached, on our own port).
nbs_rabbitmq_stop_epmd() {
    local dir
    dir=$(nbs_instance_dir "$1")
    [ -f "$dir/ports.env" ] || return 0
    # shellcheck disable=SC1091
    (. "$dir/ports.env" && ERL_EPMD_PORT=$EPMD_PORT epmd -kill >/dev/null 2>&1) || true
}

# --- the whole set ----------------------------------------------------------------------

# Starts the default set: PostgreSQL primary + replica, Redis and RabbitMQ. RabbitMQ, the
# slowest (~5 s), boots in the background meanwhile.
nbs_start_all() {
    local rabbit_pid status=0 t0
    t0=$(nbs_now_ms)
    nbs_log "starting throwaway servers in $NEWSBOT_SERVERS_DIR"
    nbs_start rabbitmq &
    rabbit_pid=$!
    nbs_start postgres && nbs_start replica && nbs_start redis || status=1
    wait "$rabbit_pid" || status=1
    [ "$status" -eq 0 ] || return 1
    nbs_log "all servers ready in $(($(nbs_now_ms) - t0)) ms"
}

# Stops every instance of the dir (replica before primary), their epmds, and removes the
# dir. Safe to call twice and from an EXIT trap after a partial start.
nbs_teardown() {
    local name
    [ -n "${NEWSBOT_SERVERS_DIR:-}" ] && [ -f "$NEWSBOT_SERVERS_DIR/.newsbot-servers" ] || return 0
    nbs_log "stopping throwaway servers"
    for name in $(nbs_instances); do
        nbs_stop "$name" || nbs_warn "could not stop $name cleanly"
        case "$name" in rabbitmq*) nbs_rabbitmq_stop_epmd "$name" ;; esac
    done
    rm -rf "$NEWSBOT_SERVERS_DIR"
}

# Exports the NEWSBOT_TEST_* variables the integration tests read.
nbs_export_test_env() {
    NEWSBOT_TEST_DATABASE_URL=$(nbs_url postgres) || return 1
    NEWSBOT_TEST_DATABASE_READ_URLS=$(nbs_url replica) || return 1
    NEWSBOT_TEST_PG_REPLICA_DATADIR=$(nbs_instance_dir replica)/data
    NEWSBOT_TEST_REDIS_URL=$(nbs_url redis) || return 1
    NEWSBOT_TEST_AMQP_URL=$(nbs_url rabbitmq) || return 1
    export NEWSBOT_TEST_DATABASE_URL NEWSBOT_TEST_DATABASE_READ_URLS NEWSBOT_TEST_PG_REPLICA_DATADIR
    export NEWSBOT_TEST_REDIS_URL NEWSBOT_TEST_AMQP_URL
}
