"""`make lab` serves JupyterLab on 127.0.0.1 with token authentication on."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture(scope="module")
def lab():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_TOKEN": token}
    proc = subprocess.Popen(["make", "-s", "lab", f"PORT={port}", "LAB_FLAGS=--no-browser"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail("make lab exited early:\n" + proc.stdout.read().decode()[-3000:])
            try:
                if get(f"{base}/api/status?token={token}")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 90 s")
        yield base, token, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_lab_answers_with_token(lab):
    base, token, _ = lab
    status, _ = get(f"{base}/lab?token={token}")
    assert status == 200
    status, _ = get(f"{base}/api/contents/notebooks/00_start_here.ipynb?content=0&token={token}")
    assert status == 200


def test_lab_without_token_goes_to_login_and_api_refuses(lab):
    base, _, _ = lab
    status, headers = get(f"{base}/lab")
    assert status == 302 and "/login" in headers.get("Location", "")
    status, _ = get(f"{base}/api/contents")
    assert status == 403


def test_lab_listens_on_loopback_only(lab):
    _, _, port = lab
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    addresses.discard("127.0.0.1")
    for address in addresses:
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0, f"JupyterLab also answers on {address}"
