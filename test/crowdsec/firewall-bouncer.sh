#!/usr/bin/env bash
# Runs Debian's crowdsec-firewall-bouncer (nftables mode) in the foreground inside network namespace
# NS, against API_URL (Quorum's /v1/decisions/stream). Tables `ip crowdsec` / `ip6 crowdsec6`, sets
# `crowdsec-blacklists` / `crowdsec6-blacklists`, exist only inside NS. Writes only under DIR.
set -euo pipefail
NS=${1:?usage: firewall-bouncer.sh NS DIR API_URL API_KEY}
DIR=${2:?usage: firewall-bouncer.sh NS DIR API_URL API_KEY}
API_URL=${3:?usage: firewall-bouncer.sh NS DIR API_URL API_KEY}
API_KEY=${4:?usage: firewall-bouncer.sh NS DIR API_URL API_KEY}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
case "$API_URL" in */) ;; *) API_URL="$API_URL/" ;; esac
cat >"$DIR/firewall-bouncer.yaml" <<YAML
mode: nftables
pid_dir: $DIR/
update_frequency: 1s
daemonize: false
log_mode: stdout
log_level: info
api_url: $API_URL
api_key: $API_KEY
insecure_skip_verify: false
disable_ipv6: false
deny_action: DROP
deny_log: false
supported_decisions_types:
  - ban
blacklists_ipv4: crowdsec-blacklists
blacklists_ipv6: crowdsec6-blacklists
nftables:
  ipv4: {enabled: true, set-only: false, table: crowdsec, chain: crowdsec-chain}
  ipv6: {enabled: true, set-only: false, table: crowdsec6, chain: crowdsec6-chain}
prometheus: {enabled: false, listen_addr: 127.0.0.1, listen_port: 60601}
YAML
exec ip netns exec "$NS" crowdsec-firewall-bouncer -c "$DIR/firewall-bouncer.yaml"
