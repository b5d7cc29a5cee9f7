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
if [ ${#missing[@]} -ne 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The hubs run students' servers as other users (never as root), and the grading sandbox runs kernels as bbh-grader:
# those users must be able to run the course's Python and read the checkout. A Python installed under a folder
# others may not enter (pyenv's under /root, mode 700, on the CI machines) would make every hub test skip, so CI
# lets others pass through (o+x: enter, not list) each folder above the Python and above this checkout.
for path in "$(readlink -f "$(command -v python3)")" "$PWD"; do
  dir=$(dirname "$path")
  while [ "$dir" != "/" ]; do
    if [ "$(( $(stat -c '%a' "$dir" | sed 's/.*\(.\)$/\1/') & 1 ))" -eq 0 ]; then
      echo "install-hub-class: chmod o+x $dir (so the students' and grader's users reach the course's Python)"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
done
