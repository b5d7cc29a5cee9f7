#!/usr/bin/env bash
# System tools for tests/test_hub_class.py (`make hub-class`, the class hub): useradd/userdel/groupadd/chpasswd
# (passwd) to create the three students and the instructor, runuser (util-linux) to act as each of them, pkill
# (procps) to stop a server left by an interrupted run, and PAM's login service (login), which JupyterHub's
# PAMAuthenticator asks. Debian's base system has them; a slim image may not.
set -euo pipefail
missing=()
command -v useradd >/dev/null 2>&1 && command -v chpasswd >/dev/null 2>&1 || missing+=(passwd)
command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
command -v pkill >/dev/null 2>&1 || missing+=(procps)
[ -e /etc/pam.d/login ] || missing+=(login)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
