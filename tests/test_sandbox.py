"""The grading sandbox (tools/sandbox_kernel.py, issue 26 §2): a kernel started the way `make grade` starts it, in a
fake nbgrader course, running what a submission might do. Each attempt fails inside the sandbox or leaves no trace
outside it, and the kernel still runs the next cell: a submission loses only its own marks."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import sandbox_kernel  # noqa: E402

BOMB_SECONDS = 613  # the fork bomb's children sleep this long: how the test finds any left behind
pytestmark = pytest.mark.skipif(sys.platform != "linux" or sandbox_kernel.mode() == "none",
                                reason="no sandbox on this machine: neither root nor unprivileged user namespaces")


def run_in_sandbox(course: Path, student: str, cells: list[str]) -> list[str]:
    """Run ``cells`` in a sandboxed kernel whose folder is course/autograded/<student>/01_lesson; one text per cell
    (its stdout, or "Ename: message")."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    lines, env = sandbox_kernel.nbgrader_config(course)
    config = Config()
    for line in lines:  # the very lines tools/grade.py writes into nbgrader_config.py
        exec(line, {"c": config})
    work = course / "autograded" / student / "01_lesson"
    work.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]
    try:
        NotebookClient(nb, kernel_name=config.Execute.kernel_name, config=config, allow_errors=True, timeout=60,
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = old
    texts = []
    for cell in nb.cells:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        texts.append(errors[0] if errors else text.strip())
    return texts


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def attempts(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "autograded" / "bob" / "01_lesson").mkdir(parents=True)
    (course / "autograded" / "bob" / "01_lesson" / "answers.txt").write_text("bob's work")
    (course / "source" / "01_lesson").mkdir(parents=True)
    (course / "source" / "01_lesson" / "01_lesson.ipynb").write_text("the instructor's solutions")
    (course / "gradebook.db").write_text("every grade")
    outside = tmp_path_factory.mktemp("outside") / "planted.txt"
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    before = digest(ROOT / "nblib")
    course_file = ROOT / "nblib" / "exercises" / "sigmoid.py"
    lesson = next((ROOT / "notebooks").glob("01_*.ipynb"))
    bomb = ("import os\nn = 0\ntry:\n    while n < 10000:\n        if os.fork() == 0:\n"
            f"            os.execv('/bin/sleep', ['sleep', '{BOMB_SECONDS}'])\n        n += 1\n"
            "except OSError as e:\n    print('stopped after', n)")
    cells = {
        "who": "import os, numpy, nblib\nprint(os.getuid(), numpy.ones(2).sum())",
        "course file": f"open({str(course_file)!r}, 'a').write('check_sigmoid_gradient = lambda f: None')",
        "solutions": f"print(open({str(lesson)!r}).read()[:20])",
        "source": f"print(open({str(course / 'source' / '01_lesson' / '01_lesson.ipynb')!r}).read())",
        "other student": f"print(open({str(course / 'autograded' / 'bob' / '01_lesson' / 'answers.txt')!r}).read())",
        "gradebook": f"print(repr(open({str(course / 'gradebook.db')!r}).read()))",
        "outside": f"open({str(outside)!r}, 'w').write('x')\nprint('written')",
        "network": f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)",
        "10 GiB": "import numpy as np\na = np.ones(10 * 2**30 // 8)",
        "fork bomb": bomb,
        "own folder": "open('mine.txt', 'w').write('ok')\nprint(open('mine.txt').read())",
        "still running": "print('alive')",
    }
    texts = run_in_sandbox(course, "alice", list(cells.values()))
    server.close()
    for _ in range(50):  # the kernel's PID namespace ends with it; its processes are killed and reaped just after
        leftovers = subprocess.run(["pgrep", "-f", f"^sleep {BOMB_SECONDS}$"], capture_output=True,
                                   text=True).stdout.split()
        if not leftovers:
            break
        time.sleep(0.2)
    return {"out": dict(zip(cells, texts)), "course": course, "outside": outside, "before": before,
            "after": digest(ROOT / "nblib"), "leftovers": leftovers}


def test_the_kernel_runs_the_course_but_not_as_the_grader(attempts):
    uid, total = attempts["out"]["who"].split()
    assert total == "2.0"
    if os.geteuid() == 0:
        assert int(uid) != 0, "a submission must not run as root"


def test_the_course_is_read_only_and_untouched(attempts):
    assert attempts["out"]["course file"].startswith(("PermissionError", "OSError")), attempts["out"]["course file"]
    assert attempts["before"] == attempts["after"]


@pytest.mark.parametrize("what", ["solutions", "source", "other student", "gradebook"])
def test_solutions_and_other_students_work_are_out_of_sight(attempts, what):
    out = attempts["out"][what]
    assert out.startswith(("FileNotFoundError", "PermissionError")) or out in ("", "''"), out


def test_writes_outside_the_own_folder_leave_no_trace(attempts):
    assert not attempts["outside"].exists()
    assert (attempts["course"] / "autograded" / "alice" / "01_lesson" / "mine.txt").read_text() == "ok"
    assert attempts["out"]["own folder"] == "ok"


def test_no_network(attempts):
    assert attempts["out"]["network"].startswith(("OSError", "ConnectionRefusedError", "TimeoutError")), \
        attempts["out"]["network"]


def test_memory_and_processes_are_limited_and_nothing_is_left_behind(attempts):
    assert attempts["out"]["10 GiB"].startswith("MemoryError"), attempts["out"]["10 GiB"]
    stopped = attempts["out"]["fork bomb"]
    assert stopped.startswith("stopped after") and int(stopped.split()[-1]) <= sandbox_kernel.LIMITS[
        sandbox_kernel.resource.RLIMIT_NPROC], stopped
    assert attempts["out"]["still running"] == "alive"
    assert attempts["leftovers"] == []


def test_grade_py_configures_nbgrader_to_use_the_sandbox(tmp_path, monkeypatch):
    import grade

    monkeypatch.delenv("GRADE_SANDBOX", raising=False)
    grade.write_config(tmp_path)
    config = (tmp_path / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "c.Execute.kernel_name = 'bbh-sandbox'" in config and "c.KernelManager.transport = 'ipc'" in config
    assert (tmp_path / "sandbox" / "share" / "kernels" / "bbh-sandbox" / "kernel.json").is_file()
    monkeypatch.setenv("GRADE_SANDBOX", "off")
    grade.write_config(tmp_path)
    assert "bbh-sandbox" not in (tmp_path / "nbgrader_config.py").read_text(encoding="utf-8")
