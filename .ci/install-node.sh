#!/usr/bin/env bash
# Node.js and npm (Debian's packages) for configurable-http-proxy — JupyterHub's proxy, `make hub` and
# tests/test_hub.py — and for the pinned JavaScript of `make slides`/`make site` (tools/web/package-lock.json).
set -euo pipefail
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
node --version   # configurable-http-proxy 5.3 wants Node.js >= 20 (this machine kind ships 20; Debian 12 has 18)
