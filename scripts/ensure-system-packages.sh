#!/usr/bin/env bash
# System packages the test suite needs beyond npm: Debian's Chromium, which the browser spec
# (test/browser.e2e-spec.ts) drives through playwright-core. Nothing is downloaded outside the
# system's package manager. Run by `npm test` (pretest) and by CI.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-system-packages: $CHROMIUM is missing and only root can install it (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-packages: $CHROMIUM is missing and there is no apt-get to install it; install Chromium at $CHROMIUM" >&2
  exit 1
fi
echo "ensure-system-packages: installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-system-packages: the chromium package did not provide $CHROMIUM" >&2
  exit 1
fi
