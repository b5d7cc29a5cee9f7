"""The try-out hub stays a try-out (issue 26 §4): `make hub` refuses to listen anywhere but on loopback while anyone
may log in, and lets a real authenticator through; the rules behind it (tools/hub_policy.py), the class spawner's
refusal of a home others can open, and the user servers' refusal of paths that leave the root (tools/hub_contents.py).
The running hub's own refusals (no server as root, state files 0600, symlinks) are in tests/test_hub.py."""

import os
import shutil
import stat
import subprocess
import time

import hub_contents
import hub_policy
import pytest
from hubserver import ROOT, Hub, free_ports, shared_folder, stop_process_tree


def make_hub(tmp_path, flags: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`make hub HUB_FLAGS=…` in its own session; a hub that starts instead of being refused is stopped (with all it
    started) after ``timeout`` seconds, and its output returned as the refused one would be."""
    port, internal, api = free_ports(3)
    env = {**os.environ, "HUB_STATE": str(tmp_path / "state"), "HUB_INTERNAL_PORT": str(internal),
           "HUB_PROXY_API_PORT": str(api)}
    for name in ("MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    command = ["make", "-s", "hub", f"HUB_PORT={port}", f"HUB_FLAGS={flags.format(port=port)}"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_process_tree(Hub("", port, tmp_path, tmp_path / "none", proc))
        out, err = proc.communicate()
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


@pytest.fixture(scope="module")
def tools():
    if shutil.which("make") is None or shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("make, node and npm are needed to start the hub (.ci/install-node.sh installs node and npm)")


@pytest.mark.parametrize("flags, where", [
    ("--JupyterHub.bind_url=http://0.0.0.0:{port}", "bind_url http://0.0.0.0:"),
    ("--JupyterHub.bind_url=http://:{port}", "bind_url http://:"),
    ("--JupyterHub.hub_ip=0.0.0.0", "the hub's own bind_url http://0.0.0.0:"),
])
def test_the_any_password_hub_refuses_a_network_address(tools, tmp_path, flags, where):
    started = time.perf_counter()
    result = make_hub(tmp_path, flags)
    assert result.returncode != 0
    assert f"make hub: refusing to listen on {where}" in result.stderr, result.stderr[-2000:]
    assert "a real authenticator" in result.stderr
    # it stopped before anything listened: no proxy was started
    assert "Starting proxy" not in result.stderr and "JupyterHub is now running" not in result.stderr
    print(f"{flags}: refused in {time.perf_counter() - started:.1f} s")


def test_a_real_authenticator_lifts_the_refusal(tools, tmp_path):
    """With PAM (system accounts) the same address is accepted: the hub gets past the check and starts its proxy
    (stopped here by a second flag that makes the proxy command fail at once, so nothing stays listening)."""
    result = make_hub(tmp_path, "--JupyterHub.bind_url=http://0.0.0.0:{port} --JupyterHub.authenticator_class=pam "
                                "--Authenticator.allow_all=True --ConfigurableHTTPProxy.command=/bin/false")
    assert "refusing to listen" not in result.stderr
    assert "Starting proxy @ http://0.0.0.0:" in result.stderr, result.stderr[-2000:]


def test_loopback_addresses():
    for url in ("http://127.0.0.1:8000", "http://127.1.2.3:1", "http://localhost:8000", "http://[::1]:8000",
                "unix+http://%2Ftmp%2Fhub.sock"):
        assert hub_policy.is_loopback(url), url
    for url in ("http://0.0.0.0:8000", "http://:8000", "http://[::]:8000", "http://192.168.1.5:8000",
                "http://hub.example.edu", "http://10.0.0.1:8000", ""):
        assert not hub_policy.is_loopback(url), url
    assert hub_policy.refusal({"bind_url": "http://127.0.0.1:8000/", "hub": "http://127.0.0.1:8001/hub/"}) is None
    message = hub_policy.refusal({"bind_url": "http://127.0.0.1:8000/", "hub": "http://0.0.0.0:8001/hub/"})
    assert "on hub http://0.0.0.0:8001/hub/:" in message  # only the address that is not loopback


def test_a_program_in_a_folder_others_cannot_enter_is_reported():
    if os.geteuid() != 0:
        pytest.skip("checking another user's access needs a second user; as root, nobody serves")
    with shared_folder() as folder:
        check_a_program_others_cannot_reach(folder)


def check_a_program_others_cannot_reach(tmp_path):
    tmp_path.chmod(0o700)
    program = tmp_path / "python"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    problem = hub_policy.unreachable(str(program), "nobody")
    assert problem and f"{tmp_path} has mode 700" in problem
    tmp_path.chmod(0o755)
    assert hub_policy.unreachable(str(program), "nobody") is None
    program.chmod(0o700)
    assert "has mode 700" in hub_policy.unreachable(str(program), "nobody")


def test_a_students_home_others_can_open_is_not_private():
    if os.geteuid() != 0:
        pytest.skip("needs root to make a home another user's")
    assert "is root" in hub_policy.private_home_problem("root")
    assert "is not a system user" in hub_policy.private_home_problem("no-such-student-26")
    nobody = hub_policy.private_home_problem("nobody")  # home /nonexistent on Debian: no server starts there
    assert nobody and ("cannot be read" in nobody or "belongs to" in nobody), nobody


def test_paths_are_judged_by_where_they_really_lead(tmp_path):
    root = tmp_path / "home"
    root.mkdir()
    (root / "notes.txt").write_text("mine")
    (tmp_path / "other").mkdir()
    os.symlink(tmp_path / "other", root / "out")
    os.symlink(root / "notes.txt", root / "in.txt")
    os.symlink("/etc", root / "etc")
    assert hub_contents.inside(str(root / "notes.txt"), str(root))
    assert hub_contents.inside(str(root / "in.txt"), str(root))
    assert hub_contents.inside(str(root / "new-file.txt"), str(root))
    assert hub_contents.inside(str(root), str(root))
    assert not hub_contents.inside(str(root / "out"), str(root))
    assert not hub_contents.inside(str(root / "out" / "x.txt"), str(root))
    assert not hub_contents.inside(str(root / "etc" / "shadow"), str(root))
    assert not hub_contents.inside(str(tmp_path / "home-sibling"), str(root))  # a prefix of the name is not inside


def test_the_refusal_is_a_404_for_the_api_and_skipped_in_a_listing():
    refusal = hub_contents.OutsideRoot("etc/shadow")
    assert refusal.status_code == 404 and isinstance(refusal, PermissionError)


def test_state_files_of_an_older_hub_are_closed(tools, tmp_path):
    """A database or cookie secret an earlier version left world-readable is made 0600 when the hub starts."""
    state = tmp_path / "state"
    state.mkdir()
    for name in ("jupyterhub.sqlite", "jupyterhub_cookie_secret"):
        (state / name).write_bytes(b"")
        (state / name).chmod(0o644)
    make_hub(tmp_path, "--JupyterHub.bind_url=http://0.0.0.0:{port}")  # refused after reading its config
    for name in ("jupyterhub.sqlite", "jupyterhub_cookie_secret"):
        assert stat.S_IMODE((state / name).stat().st_mode) == 0o600, name
