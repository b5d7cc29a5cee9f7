"""`make lab` serves JupyterLab on 127.0.0.1 with token authentication on."""

import shutil
import socket

import pytest
from labserver import get, running_lab


@pytest.fixture(scope="module")
def lab():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    with running_lab() as server:
        yield server


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


def test_lab_news_and_update_check_are_off(lab):
    """`make lab` writes overrides.json; the running server serves them as the notification plugin's defaults."""
    import json
    import urllib.request

    base, token, _ = lab
    url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
    with urllib.request.urlopen(url, timeout=10) as response:
        settings = json.load(response)
    properties = settings["schema"]["properties"]
    assert properties["fetchNews"]["default"] == "false"  # "Never" in the schema's oneOf, not the "none" = ask
    assert properties["checkForUpdates"]["default"] is False
    assert "false" in [choice["const"] for choice in properties["fetchNews"]["oneOf"]]
