"""`make hub` on a real JupyterHub: three students log in, get their servers, pull the course with an nbgitpuller
link (from a bare copy of this repository made here, no network) and run lesson 01 in their own kernel through the
hub's proxy; the outputs are the stored ones. One student's token does not open another student's server."""

import shutil
import time

import hub_link
import pytest
from hubserver import Student, bare_course_copy, compared, ignored, lesson_path, running_hub, sanitizers, stored_outputs

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
    folder = tmp_path_factory.mktemp("hub")
    repo = bare_course_copy(folder)
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
    import sys

    assert "&branch=student&" in hub_link.link("https://hub.example.edu", "https://example.org/c.git", lesson="01")
    out = subprocess.run([sys.executable, str(hub_link.__file__), "--hub", "https://hub.example.edu", "--repo",
                          "https://example.org/c.git", "--lesson", "01"], capture_output=True, text=True, check=True)
    assert "&branch=student&" in out.stdout
