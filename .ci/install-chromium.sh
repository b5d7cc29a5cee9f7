#!/usr/bin/env bash
# Debian's Chromium for the real-browser tests (tests/browser/); Playwright drives it, never a downloaded browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
