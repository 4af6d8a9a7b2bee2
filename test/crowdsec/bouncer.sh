#!/usr/bin/env bash
# Runs Debian's crowdsec-custom-bouncer in the foreground against API_URL (Quorum's
# /v1/decisions/stream); every add/del it applies is appended to DIR/actions.log.
set -euo pipefail
DIR=${1:?usage: bouncer.sh DIR API_URL API_KEY}
API_URL=${2:?usage: bouncer.sh DIR API_URL API_KEY}
API_KEY=${3:?usage: bouncer.sh DIR API_URL API_KEY}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
case "$API_URL" in */) ;; *) API_URL="$API_URL/" ;; esac
printf '#!/bin/sh\n# hook.sh add|del VALUE DURATION REASON JSON\necho "$*" >>"%s/actions.log"\n' "$DIR" >"$DIR/hook.sh"
chmod +x "$DIR/hook.sh"
touch "$DIR/actions.log"
cat >"$DIR/bouncer.yaml" <<YAML
bin_path: $DIR/hook.sh
feed_via_stdin: false
total_retries: 0
scenarios_containing: []
scenarios_not_containing: []
origins: []
piddir: $DIR/
update_frequency: ${UPDATE_FREQUENCY:-1s}
cache_retention_duration: 10s
daemonize: false
log_mode: stdout
log_level: info
api_url: $API_URL
api_key: $API_KEY
prometheus: {enabled: false, listen_addr: 127.0.0.1, listen_port: 0}
YAML
exec crowdsec-custom-bouncer -c "$DIR/bouncer.yaml"
