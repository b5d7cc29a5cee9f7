"""`make hub` on a real JupyterHub: three students log in, get their servers, pull the course with an nbgitpuller
link (from a bare copy of this repository made here, no network) and run lesson 01 in their own kernel through the
hub's proxy; the outputs are the stored ones. One student's token does not open another student's server."""

import os
import shutil
import sys
import time

import hub_link
import pytest
from hubserver import (
    Student,
    bare_course_copy,
    compared,
    hand_to_tryout_servers,
    ignored,
    lesson_path,
    running_hub,
    sanitizers,
    shared_folder,
    stored_outputs,
)

LESSON = "01"
STUDENTS = ("ada", "blaise", "carl")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    for tool in ("make", "git"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("node/npm are not installed: configurable-http-proxy, JupyterHub's proxy, is a Node.js program "
                    "(.ci/install-node.sh installs them)")
    with shared_folder() as folder:
        repo = bare_course_copy(folder)
        problem = hand_to_tryout_servers(folder, repo)
        if problem:
            pytest.skip(f"the hub runs as root, so students' servers run as another user, who cannot run this "
                        f"course's Python: {problem}")
        with running_hub(folder / "state") as server:
            yield server, repo


@pytest.fixture(scope="module")
def students(hub):
    server, repo = hub
    started = time.perf_counter()
    class_ = [Student(server, name) for name in STUDENTS]
    for student in class_:
        student.login()
        student.request_token()
    for student in class_:
        student.start_server()
    server.remember_processes()
    yield class_
    print(f"three students logged in and started in {time.perf_counter() - started:.1f} s")


def test_the_hub_listens_on_loopback_and_asks_for_a_login(hub):
    server, _ = hub
    assert server.base.startswith("http://127.0.0.1:")
    page = Student(server, "nobody").browser.get(f"{server.base}/hub/home", allow_redirects=False, timeout=30)
    assert page.status_code == 302 and "/hub/login" in page.headers["Location"]
    # its database, cookie secret and the proxy's pid file live in its state folder, not in the working directory
    assert {"jupyterhub.sqlite", "jupyterhub_cookie_secret", "jupyterhub-proxy.pid"} <= {
        p.name for p in server.state.iterdir()}


def test_the_nbgitpuller_link_clones_the_course_into_every_home_and_the_lesson_runs_as_stored(hub, students):
    server, repo = hub
    rules = sanitizers()
    for student in students:
        link = hub_link.link(server.base, f"file://{repo}", "main", LESSON, "backprop-by-hand")
        page = student.open_link(link)  # hub login cookie → user-redirect → the student's server (OAuth)
        assert page.status_code == 200 and page.url.startswith(f"{student.server}/git-pull?"), page.url
        assert "nbgitpuller" in page.text.lower()
        events = student.pull(f"file://{repo}", "main")
        assert events[-1] == {"phase": "finished"}
        home = server.state / "home" / student.name / "backprop-by-hand"
        assert (home / hub_link.lesson_file(LESSON)).is_file()
        assert student.contents(lesson_path(LESSON)).status_code == 200

    stored = students[0].notebook(lesson_path(LESSON))
    code_cells = [c for c in stored["cells"] if c["cell_type"] == "code"]
    assert len(code_cells) > 5
    for student in students:
        outputs, figures = student.run_notebook(lesson_path(LESSON), timeout=120)
        assert len(outputs) == len(code_cells)
        checked = 0
        for number, (cell, fresh) in enumerate(zip(code_cells, outputs)):
            if ignored(cell):
                continue
            checked += bool(cell["outputs"])
            assert compared(fresh, rules) == compared(stored_outputs(cell), rules), (
                f"{student.name}: code cell {number} of lesson {LESSON} printed something else through the hub")
        assert checked >= 10  # lesson 01 prints in most cells: the comparison covers text, not just empty lists
        assert figures["rss_mib"] > 20 and figures["cpu_s"] > 0


def test_a_students_token_is_refused_by_another_students_server(students):
    ada, blaise, _ = students
    assert ada.contents("", token=ada.token).status_code == 200
    refused = blaise.contents("", token=ada.token)
    assert refused.status_code == 403, refused.status_code
    assert ada.contents("", token="not-a-token").status_code in (302, 403)


def test_the_link_command_prints_the_documented_format():
    url = hub_link.link("https://hub.example.edu/", "https://github.com/you/backprop-by-hand", "student", "01")
    assert url == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A//github.com/you/backprop-by-hand"
                   "&branch=student&urlpath=lab/tree/backprop-by-hand/notebooks/01_sigmoid_gradient.ipynb"
                   "&targetpath=backprop-by-hand")
    with pytest.raises(hub_link.LinkError, match="lesson must name one lesson .*'99', which matches 0"):
        hub_link.lesson_file("99")


def test_a_link_opens_the_class_edition_unless_told_otherwise():
    """The branch a link pulls defaults to the class edition (`make publish-class`), never main's solutions."""
    import subprocess

    assert "&branch=student&" in hub_link.link("https://hub.example.edu", "https://example.org/c.git", lesson="01")
    out = subprocess.run([sys.executable, str(hub_link.__file__), "--hub", "https://hub.example.edu", "--repo",
                          "https://example.org/c.git", "--lesson", "01"], capture_output=True, text=True, check=True)
    assert "&branch=student&" in out.stdout


def test_no_students_server_or_kernel_runs_as_root(hub, students):
    """As root (CI), the hub still runs every student's server and kernel as an unprivileged user."""

    import psutil

    server, _ = hub
    hub_process = psutil.Process(server.proc.pid)
    servers = [p for p in hub_process.children(recursive=True) if "jupyterhub-singleuser" in " ".join(p.cmdline())]
    assert len(servers) == len(students), [p.cmdline() for p in servers]
    for process in servers:
        assert process.uids().real != 0 and process.uids().effective != 0, process.cmdline()
        assert "--allow-root" not in process.cmdline()
        for child in process.children(recursive=True):
            assert child.uids().effective != 0, child.cmdline()
    if os.geteuid() == 0:
        homes = {(server.state / "home" / s.name).stat().st_uid for s in students}
        assert homes == {servers[0].uids().effective}  # each home belongs to the user the servers run as


def test_the_hubs_state_files_are_readable_by_their_owner_only(hub):
    import stat

    server, _ = hub
    for name in ("jupyterhub.sqlite", "jupyterhub_cookie_secret", "jupyterhub.pid", "jupyterhub-proxy.pid"):
        mode = stat.S_IMODE((server.state / name).stat().st_mode)
        assert mode & 0o077 == 0, f"{name} has mode {mode:o}"
    assert stat.S_IMODE(server.state.stat().st_mode) & 0o044 == 0  # others may enter, not list


def test_a_server_does_not_follow_a_symlink_out_of_the_students_home(hub, students):
    """A link in the home to a folder outside it, and one to a file outside it, are not served (contents API,
    /files/, saving through them); a link to a file inside the home still is."""

    import requests

    server, _ = hub
    ada = students[0]
    home = server.state / "home" / ada.name
    outside = server.state / "outside"  # a folder the servers' user can read, outside every home
    outside.mkdir(exist_ok=True)
    outside.chmod(0o755)
    (outside / "secret.txt").write_text("not yours\n")
    (outside / "secret.txt").chmod(0o644)
    (home / "inside.txt").write_text("yours\n")
    os.symlink(outside, home / "escape")
    os.symlink(outside / "secret.txt", home / "secret-link.txt")
    os.symlink(home / "inside.txt", home / "inside-link.txt")
    try:
        assert ada.contents("escape").status_code == 404
        assert ada.contents("escape/secret.txt").status_code == 404
        assert ada.contents("secret-link.txt").status_code == 404
        files = requests.get(f"{ada.server}/files/secret-link.txt", headers=ada.headers(), timeout=60)
        assert files.status_code == 404 and "not yours" not in files.text
        saved = requests.put(f"{ada.server}/api/contents/escape/new.txt", headers=ada.headers(), timeout=60,
                             json={"type": "file", "format": "text", "content": "x"})
        assert saved.status_code == 404 and not (outside / "new.txt").exists()
        listing = {entry["name"] for entry in ada.contents("").json()["content"]}
        assert "inside-link.txt" in listing and not {"escape", "secret-link.txt"} & listing
        inside = ada.contents("inside-link.txt")
        assert inside.status_code == 200 and inside.json()["content"] == "yours\n"
    finally:
        for name in ("escape", "secret-link.txt", "inside-link.txt", "inside.txt"):
            (home / name).unlink()
