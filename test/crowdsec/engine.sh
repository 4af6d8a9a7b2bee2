#!/usr/bin/env bash
# Runs Debian's CrowdSec engine from a private directory, with Quorum as its central API.
#   CAPI_URL=http://127.0.0.1:PORT/ LAPI_PORT=N engine.sh DIR start   # config, register, start (bounded)
#   engine.sh DIR stop | cscli ARGS...
# Reads /etc/crowdsec (hub items enabled by the package) and writes only under DIR. The engine reads
# DIR/log/auth.log (syslog, sshd) and DIR/log/nginx-access.log (nginx combined format).
set -euo pipefail
DIR=${1:?usage: engine.sh DIR start|stop|cscli ...}
ACTION=${2:?usage: engine.sh DIR start|stop|cscli ...}
shift 2
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
CFG=$DIR/etc/config.yaml
PIDFILE=$DIR/crowdsec.pid
HUB=/usr/share/crowdsec/hub
[ -e /var/lib/crowdsec/hub/.index.json ] && HUB=/var/lib/crowdsec/hub

alnum() { ( set +o pipefail; LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1" ); }
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

configure() {
  local lapi_port=${LAPI_PORT:?LAPI_PORT is required}
  mkdir -p "$DIR/etc/notifications" "$DIR/data" "$DIR/log"
  for item in patterns parsers scenarios collections postoverflows; do
    [ -d "/etc/crowdsec/$item" ] && cp -a "/etc/crowdsec/$item" "$DIR/etc/"
  done
  cp /etc/crowdsec/profiles.yaml /etc/crowdsec/simulation.yaml "$DIR/etc/"
  cp -n /usr/share/crowdsec/data/* "$DIR/data/" 2>/dev/null || true
  touch "$DIR/log/auth.log" "$DIR/log/nginx-access.log"
  cat >"$CFG" <<YAML
common: {daemonize: false, log_media: stdout, log_level: info, working_dir: .}
config_paths:
  config_dir: $DIR/etc/
  data_dir: $DIR/data/
  simulation_path: $DIR/etc/simulation.yaml
  hub_dir: $HUB/
  index_path: $HUB/.index.json
  notification_dir: $DIR/etc/notifications/
  plugin_dir: /usr/lib/crowdsec/plugins/
crowdsec_service: {acquisition_path: $DIR/etc/acquis.yaml, parser_routines: 1}
cscli: {output: human, color: "no"}
db_config: {type: sqlite, db_path: $DIR/data/crowdsec.db, use_wal: true, log_level: info}
api:
  client: {credentials_path: $DIR/etc/local_api_credentials.yaml}
  server:
    listen_uri: 127.0.0.1:$lapi_port
    profiles_path: $DIR/etc/profiles.yaml
    console_path: $DIR/etc/console.yaml
    online_client: {credentials_path: $DIR/etc/online_api_credentials.yaml}
    trusted_ips: [127.0.0.1, "::1"]
prometheus: {enabled: false, listen_addr: 127.0.0.1, listen_port: 0}
YAML
  # Two sources: sshd lines in syslog format, and an nginx access log (combined format).
  printf 'filenames:\n  - %s\nlabels:\n  type: syslog\n---\nfilenames:\n  - %s\nlabels:\n  type: nginx\n' \
    "$DIR/log/auth.log" "$DIR/log/nginx-access.log" >"$DIR/etc/acquis.yaml"
  printf 'share_manual_decisions: true\nshare_custom: true\nshare_tainted: true\n' >"$DIR/etc/console.yaml"
  # cscli capi register has no --url flag: register the watcher the way it would, against Quorum.
  local url=${CAPI_URL:?CAPI_URL is required} login password code
  case "$url" in */) ;; *) url="$url/" ;; esac
  login=$(alnum 48)
  password=$(alnum 64)
  code=$(curl -sS -m 10 -o "$DIR/register.out" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"machine_id\":\"$login\",\"password\":\"$password\"}" "${url}v2/watchers")
  case "$code" in 2??) ;; *) echo "register: HTTP $code $(cat "$DIR/register.out")" >&2; exit 1 ;; esac
  (umask 077; printf 'url: %s\nlogin: %s\npassword: %s\n' "$url" "$login" "$password" >"$DIR/etc/online_api_credentials.yaml")
  echo "$login" >"$DIR/machine_id"
  cscli -c "$CFG" --error machines add local-agent --password "$(alnum 32)" \
    --url "http://127.0.0.1:$lapi_port/" -f "$DIR/etc/local_api_credentials.yaml" --force
}

case "$ACTION" in
  start)
    [ -f "$CFG" ] || configure
    running && exit 0
    crowdsec -c "$CFG" >>"$DIR/log/crowdsec.log" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 60); do
      if curl -s -m 2 -o /dev/null "http://127.0.0.1:${LAPI_PORT}/health" || curl -s -m 2 -o /dev/null "http://127.0.0.1:${LAPI_PORT}/v1/decisions"; then exit 0; fi
      running || { echo "crowdsec exited; see $DIR/log/crowdsec.log" >&2; tail -20 "$DIR/log/crowdsec.log" >&2; exit 1; }
      sleep 0.5
    done
    echo "LAPI not answering on port $LAPI_PORT after 30 s" >&2
    exit 1
    ;;
  stop)
    running || exit 0
    pid=$(cat "$PIDFILE")
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$PIDFILE"
    ;;
  cscli)
    exec cscli -c "$CFG" "$@"
    ;;
  *)
    echo "unknown action $ACTION" >&2
    exit 2
    ;;
esac
