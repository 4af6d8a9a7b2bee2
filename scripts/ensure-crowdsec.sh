#!/usr/bin/env bash
# Install Debian's crowdsec engine and crowdsec-custom-bouncer when missing, without letting the
# package's postinst register with the real api.crowdsec.net (it skips registration when
# online_api_credentials.yaml already exists and is non-empty). Exits 0 when both are usable.
set -euo pipefail
have() { command -v crowdsec >/dev/null 2>&1 && command -v cscli >/dev/null 2>&1 && command -v crowdsec-custom-bouncer >/dev/null 2>&1; }
have && exit 0
SUDO=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-crowdsec: need root or sudo to install" >&2; exit 2; }
  SUDO="sudo -n"
fi
command -v apt-get >/dev/null 2>&1 || { echo "ensure-crowdsec: no apt-get on this host" >&2; exit 2; }
$SUDO mkdir -p /etc/crowdsec
if [ ! -s /etc/crowdsec/online_api_credentials.yaml ]; then
  echo '# no CAPI registration on this host' | $SUDO tee /etc/crowdsec/online_api_credentials.yaml >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() { $SUDO apt-get install -y -q --no-install-recommends "$@"; }
if ! apt_install crowdsec crowdsec-custom-bouncer curl; then
  $SUDO apt-get update -q
  apt_install crowdsec crowdsec-custom-bouncer curl || $SUDO dpkg --configure -a
fi
have || { echo "ensure-crowdsec: crowdsec or crowdsec-custom-bouncer still missing" >&2; exit 1; }
