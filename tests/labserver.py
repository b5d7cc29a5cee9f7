"""Start JupyterLab exactly as `make lab` does (127.0.0.1, token on), for the smoke and browser tests."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str):
    """(status, headers) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(extra_flags: str = "--no-browser", timeout: float = 120, edition: str = "instructor",
                workspace: Path | None = None):
    """Yield (base_url, token, port) of a `make lab` server; stop it afterwards.

    edition="instructor" serves the repository (notebooks/ with the solutions), as most tests need; "learner" is
    what a learner's plain `make lab` does: the workspace (``workspace``: a test's own folder, never the
    developer's workspace/), created or brought up to date first."""
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_TOKEN": token}
    make_vars = [f"EDITION={edition}"] + ([f"WORKSPACE={workspace}"] if workspace else [])
    proc = subprocess.Popen(["make", "-s", "lab", f"PORT={port}", f"LAB_FLAGS={extra_flags}", *make_vars], cwd=ROOT,
                            env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("make lab exited early:\n" + proc.stdout.read().decode()[-3000:])
            with contextlib.suppress(OSError):
                if get(f"{base}/api/status?token={token}")[0] == 200:
                    break
            if time.time() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s")
            time.sleep(0.5)
        yield base, token, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
