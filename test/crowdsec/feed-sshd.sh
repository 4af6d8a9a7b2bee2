#!/usr/bin/env bash
# Appends COUNT sshd "Failed password" syslog lines for IP to DIR/log/auth.log (the engine's only
# acquisition): six or more trigger crowdsecurity/ssh-bf.
set -euo pipefail
IP=${1:?usage: feed-sshd.sh IP COUNT DIR}
COUNT=${2:?usage: feed-sshd.sh IP COUNT DIR}
LOG=${3:?usage: feed-sshd.sh IP COUNT DIR}/log/auth.log
users=(root admin oracle test ubuntu postgres)
for i in $(seq 1 "$COUNT"); do
  user=${users[$((i % ${#users[@]}))]}
  what="invalid user $user"
  [ "$user" = root ] && what=root
  printf '%s quorum-test sshd[%d]: Failed password for %s from %s port %d ssh2\n' \
    "$(LC_ALL=C date '+%b %e %H:%M:%S')" $((3000 + i)) "$what" "$IP" $((40000 + i)) >>"$LOG"
  sleep 0.05
done
