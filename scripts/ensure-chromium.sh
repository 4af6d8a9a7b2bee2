#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (driven by
# playwright-core with executablePath). Installs the `chromium` package with apt-get when we are
# root; never downloads a browser any other way (no `playwright install`). Silent when present.
# Exit 0 when the browser is there, 1 otherwise (with a message saying what to install).
# Env: QUORUM_ENSURE_NO_INSTALL=1 never runs apt-get.
set -u
set -o pipefail

CHROMIUM=/usr/bin/chromium
say() { echo "ensure-chromium: $*" >&2; }

[ -x "$CHROMIUM" ] && exit 0

if [ "${QUORUM_ENSURE_NO_INSTALL:-0}" = 1 ] || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "$CHROMIUM is missing. Install Debian's package (as root: apt-get install chromium);" \
    "browser tests need it"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=/tmp/quorum-ensure-chromium-apt.log
apt=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
say "installing Debian's chromium package (log: $log)"
if ! timeout 600 "${apt[@]}" update >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  say "apt-get update failed; install chromium by hand (apt-get install chromium)"
  exit 1
fi
if ! timeout 1200 "${apt[@]}" install --no-install-recommends chromium >>"$log" 2>&1; then
  tail -n 5 "$log" >&2
  say "apt-get install chromium failed; install it by hand"
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  say "the chromium package installed but $CHROMIUM is still missing"
  exit 1
fi
say "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
