#!/usr/bin/env bash
# Install Debian's crowdsec engine, crowdsec-custom-bouncer, crowdsec-firewall-bouncer and nftables
# when missing, without letting the package's postinst register with the real api.crowdsec.net (it
# skips registration when online_api_credentials.yaml already exists and is non-empty). The packages'
# services are never started (tests run their own copies from temporary directories).
# Exits 0 when all are usable, 2 when this machine cannot install them (no root, no apt-get).
set -euo pipefail
have() {
  for tool in crowdsec cscli crowdsec-custom-bouncer crowdsec-firewall-bouncer nft; do
    command -v "$tool" >/dev/null 2>&1 || return 1
  done
}
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
PACKAGES=(crowdsec crowdsec-custom-bouncer crowdsec-firewall-bouncer nftables curl)
if ! timeout 600 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"; then
  timeout 300 $SUDO apt-get update -q || { echo "ensure-crowdsec: apt-get update failed (no package mirror?)" >&2; exit 2; }
  timeout 600 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" || $SUDO dpkg --configure -a
fi
have || { echo "ensure-crowdsec: crowdsec, a bouncer or nft still missing" >&2; exit 1; }
