#!/usr/bin/env bash
# System packages the test suite needs beyond npm: Debian's Chromium, which the browser spec
# (test/browser.e2e-spec.ts) drives through playwright-core, and Debian's redis-server, which the
# tests start on ports of their own (test/support/redis-server.ts). Nothing is downloaded outside the
# system's package manager. Run by `npm test` (pretest) and by CI.
set -euo pipefail

# package → the file it must provide
declare -A NEEDED=([chromium]=/usr/bin/chromium [redis-server]=/usr/bin/redis-server)

missing=()
for package in "${!NEEDED[@]}"; do
  [ -x "${NEEDED[$package]}" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-system-packages: missing ${missing[*]} and only root can install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-packages: missing ${missing[*]} and there is no apt-get to install them" >&2
  exit 1
fi
echo "ensure-system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
for package in "${missing[@]}"; do
  if [ ! -x "${NEEDED[$package]}" ]; then
    echo "ensure-system-packages: the $package package did not provide ${NEEDED[$package]}" >&2
    exit 1
  fi
done
