#!/usr/bin/env bash
# Makes sure PostgreSQL (DATABASE_URL, default 127.0.0.1:5432) and Redis (REDIS_URL, default
# 127.0.0.1:6379) answer. Silent and exit 0 when both do. Otherwise, for services on this machine:
# starts the installed PostgreSQL cluster(s) listening on that port and a throw-away redis-server;
# when the binaries are missing and we are root, installs Debian's packages first. Remote hosts are
# only probed. Exit 1 with a message naming what to install or which URL to set.
#
# Env: DATABASE_URL, REDIS_URL; QUORUM_ENSURE_WAIT (seconds per service, default 30);
#      QUORUM_ENSURE_NO_INSTALL=1 never runs apt-get (used by tests and CI images without a mirror).
set -u
set -o pipefail

WAIT_SECONDS="${QUORUM_ENSURE_WAIT:-30}"
[[ "$WAIT_SECONDS" =~ ^[0-9]+$ ]] || WAIT_SECONDS=30
APT_DONE=0
PG_CLUSTERS_BEFORE=""

say() { echo "ensure-services: $*" >&2; }

# Prints "host port" from a URL such as postgresql://u:p@[::1]:5433/db?x=y (port defaults to $2).
url_host_port() {
  local rest="${1#*://}"
  rest="${rest%%[/?#]*}"
  rest="${rest##*@}"
  local host port=""
  if [[ "$rest" == \[* ]]; then
    host="${rest%%]*}"; host="${host#[}"
    [[ "$rest" == *"]:"* ]] && port="${rest##*]:}"
  else
    host="${rest%%:*}"
    [[ "$rest" == *:* ]] && port="${rest##*:}"
  fi
  [ -n "$host" ] || host=127.0.0.1
  [[ "$port" =~ ^[0-9]+$ ]] || port="$2"
  echo "$host $port"
}

is_local() {
  case "$1" in 127.*|localhost|::1|0.0.0.0) return 0 ;; *) return 1 ;; esac
}

tcp_open() { timeout 2 bash -c ": <>/dev/tcp/$1/$2" >/dev/null 2>&1; }

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    timeout 5 pg_isready -q -h "$1" -p "$2" -t 2
  else
    tcp_open "$1" "$2"
  fi
}

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    # NOAUTH / WRONGPASS still prove a live server; credentials are the app's business.
    timeout 5 redis-cli -h "$1" -p "$2" ping 2>&1 | grep -qE 'PONG|NOAUTH|WRONGPASS|Authentication required'
  else
    tcp_open "$1" "$2"
  fi
}

wait_until() { # wait_until SECONDS cmd args...
  local deadline=$((SECONDS + $1)); shift
  while :; do
    "$@" && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

can_install() {
  [ "${QUORUM_ENSURE_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
  local log=/tmp/quorum-ensure-services-apt.log
  if [ "$APT_DONE" -eq 0 ]; then
    say "apt-get update"
    timeout 600 "${apt[@]}" update >"$log" 2>&1 || { tail -n 5 "$log" >&2; say "apt-get update failed (log: $log)"; return 1; }
    APT_DONE=1
  fi
  say "installing $* from Debian's packages"
  timeout 900 "${apt[@]}" install --no-install-recommends "$@" >>"$log" 2>&1 \
    || { tail -n 5 "$log" >&2; say "apt-get install $* failed (log: $log)"; return 1; }
}

pg_clusters() { # "version name port status" per cluster
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk '{ print $1, $2, $3, $4 }'
}

# A cluster we just created only allows password logins over TCP; let the local postgres role in.
trust_local_postgres() {
  local hba="/etc/postgresql/$1/$2/pg_hba.conf"
  [ -f "$hba" ] || return 0
  grep -qE '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" && return 0
  say "allowing passwordless TCP logins for role postgres from 127.0.0.1 and ::1 in $hba (new cluster)"
  local tmp; tmp="$(mktemp)"
  { printf 'host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n'; cat "$hba"; } >"$tmp"
  cat "$tmp" >"$hba" && rm -f "$tmp"
  pg_ctlcluster --skip-systemctl-redirect "$1" "$2" reload >/dev/null 2>&1 || true
}

trust_new_clusters() {
  [ "$(id -u)" -eq 0 ] || return 0
  local ver name rest
  while read -r ver name rest; do
    grep -qx "$ver $name" <<<"$PG_CLUSTERS_BEFORE" || trust_local_postgres "$ver" "$name"
  done < <(pg_clusters)
}

start_postgres() { # start_postgres PORT
  local port="$1" started=0 ver name cport status
  if [ -z "$(pg_clusters)" ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
    && command -v pg_createcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    ver="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    say "no PostgreSQL cluster exists: creating $ver/main on port $port"
    pg_createcluster "$ver" main --port "$port" >/dev/null || { say "pg_createcluster $ver main failed"; return 1; }
  fi
  trust_new_clusters
  while read -r ver name cport status; do
    [ "$cport" = "$port" ] || continue
    started=1
    [ "$status" = online ] && continue
    say "starting PostgreSQL cluster $ver/$name (port $port)"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >/dev/null 2>&1 \
      || say "pg_ctlcluster $ver $name start failed (see /var/log/postgresql/postgresql-$ver-$name.log)"
  done < <(pg_clusters)
  if [ "$started" -eq 0 ]; then
    local list; list="$(pg_clusters | awk '{ printf "%s%s/%s on port %s", sep, $1, $2, $3; sep=", " }')"
    say "no PostgreSQL cluster is configured for port $port (clusters: ${list:-none});" \
      "set DATABASE_URL to a reachable server"
    return 1
  fi
}

ensure_postgres() {
  read -r host port < <(url_host_port "${DATABASE_URL:-postgresql://127.0.0.1:5432}" 5432)
  pg_up "$host" "$port" && return 0
  if ! is_local "$host"; then
    say "PostgreSQL at $host:$port (DATABASE_URL) is not reachable; start it or fix DATABASE_URL"
    return 1
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if ! can_install; then
      say "PostgreSQL is not installed and nothing answers on $host:$port. Install it" \
        "(as root: apt-get install postgresql) or set DATABASE_URL to a reachable server"
      return 1
    fi
    PG_CLUSTERS_BEFORE="$(pg_clusters | awk '{ print $1, $2 }')"
    apt_install postgresql postgresql-client || return 1
    trust_new_clusters
  else
    PG_CLUSTERS_BEFORE="$(pg_clusters | awk '{ print $1, $2 }')"
  fi
  pg_up "$host" "$port" || start_postgres "$port" || return 1
  if ! wait_until "$WAIT_SECONDS" pg_up "$host" "$port"; then
    say "PostgreSQL did not answer on $host:$port within ${WAIT_SECONDS}s (logs: /var/log/postgresql/)"
    return 1
  fi
  say "PostgreSQL is up on $host:$port"
}

ensure_redis() {
  read -r host port < <(url_host_port "${REDIS_URL:-redis://127.0.0.1:6379}" 6379)
  redis_up "$host" "$port" && return 0
  if ! is_local "$host"; then
    say "Redis at $host:$port (REDIS_URL) is not reachable; start it or fix REDIS_URL"
    return 1
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if ! can_install; then
      say "Redis is not installed and nothing answers on $host:$port. Install it" \
        "(as root: apt-get install redis-server) or set REDIS_URL to a reachable server"
      return 1
    fi
    apt_install redis-server redis-tools || return 1
    # The package's own service may have come up on the default port already.
    redis_up "$host" "$port" && { say "Redis is up on $host:$port"; return 0; }
  fi
  local bind="$host"
  [ "$bind" = localhost ] && bind=127.0.0.1
  say "starting redis-server on $bind:$port (no persistence)"
  redis-server --daemonize yes --bind "$bind" --port "$port" --save "" --appendonly no --dir /tmp \
    --logfile "/tmp/quorum-redis-$port.log" >/dev/null 2>&1 || { say "redis-server failed to start"; return 1; }
  if ! wait_until "$WAIT_SECONDS" redis_up "$host" "$port"; then
    say "Redis did not answer on $host:$port within ${WAIT_SECONDS}s (log: /tmp/quorum-redis-$port.log)"
    return 1
  fi
  say "Redis is up on $host:$port"
}

status=0
ensure_postgres || status=1
ensure_redis || status=1
exit "$status"
