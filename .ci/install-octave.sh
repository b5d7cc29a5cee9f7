#!/usr/bin/env bash
# GNU Octave for tests/test_octave_parity.py (Debian's package; the binary is octave-cli).
set -euo pipefail
if command -v octave-cli >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends octave >/dev/null
octave-cli --version | head -n 1
