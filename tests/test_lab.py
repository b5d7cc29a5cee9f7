"""`make lab` serves JupyterLab on 127.0.0.1 with token authentication on, in the learner's workspace; the
instructor edition is an explicit `EDITION=instructor`."""

import json
import shutil
import socket
import subprocess
import urllib.request

import pytest
from labserver import ROOT, get, running_lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    with running_lab(edition="learner", workspace=tmp_path_factory.mktemp("learner") / "workspace") as server:
        yield server


def test_lab_answers_with_token(lab):
    base, token, _ = lab
    status, _ = get(f"{base}/lab?token={token}")
    assert status == 200
    status, _ = get(f"{base}/api/contents/00_start_here.ipynb?content=0&token={token}")
    assert status == 200


def test_lab_serves_the_workspace_with_every_lesson_and_no_solution(lab):
    base, token, _ = lab
    with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=10) as response:
        listing = {item["name"] for item in json.load(response)["content"]}
    lessons = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert lessons <= listing, f"missing from the workspace: {sorted(lessons - listing)}"
    assert "notebooks" not in listing and "nblib" not in listing  # the instructor's lessons are not served
    assert get(f"{base}/api/contents/notebooks/01_sigmoid_gradient.ipynb?content=0&token={token}")[0] == 404
    with urllib.request.urlopen(f"{base}/api/contents/01_sigmoid_gradient.ipynb?token={token}", timeout=10) as r:
        cells = json.load(r)["content"]["cells"]
    sources = "\n".join(c["source"] for c in cells)
    assert "BEGIN SOLUTION" not in sources and "raise NotImplementedError" in sources
    assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("edition, root, start", [
    ("learner", "workspace", "/lab/tree/00_start_here.ipynb"),
    ("instructor", "", "/lab/tree/notebooks/00_start_here.ipynb"),
])
def test_make_lab_chooses_the_edition(edition, root, start):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "-s", "lab", f"EDITION={edition}"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert f"--ServerApp.root_dir={ROOT / root if root else ROOT} " in plan
    assert f"--LabApp.default_url={start}" in plan
    assert ("tools/workspace.py" in plan) == (edition == "learner")


def test_make_lab_refuses_an_unknown_edition():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "lab", "EDITION=student"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "EDITION must be learner" in result.stderr


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
