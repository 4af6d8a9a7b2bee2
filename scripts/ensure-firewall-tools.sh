#!/usr/bin/env bash
# Installs Debian's nftables and ipset when they are missing, so the blocklist format tests can
# check rendered files with the real tools (`nft -c -f`, `ipset restore`), and bind9-dnsutils for
# `dig`, which test/e2e/dnsbl.e2e-spec.ts queries the DNSBL zone with. Never fails the caller:
# without root or without the package mirror the blocklist tests fall back to their grammar checks.
set -u

missing=()
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v ipset >/dev/null 2>&1 || missing+=(ipset)
command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-firewall-tools: nft, ipset and dig present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-firewall-tools: missing ${missing[*]} (not root or no apt-get); grammar tests only" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "ensure-firewall-tools: installing ${missing[*]}"
if ! timeout 300 apt-get update -qq >/dev/null; then
  echo "ensure-firewall-tools: apt-get update failed; grammar tests only" >&2
  exit 0
fi
if ! timeout 300 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "ensure-firewall-tools: apt-get install ${missing[*]} failed; grammar tests only" >&2
  exit 0
fi
echo "ensure-firewall-tools: installed ${missing[*]}"
exit 0
