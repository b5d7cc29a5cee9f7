"""`make hub-class` (issue 26 §5): a class on the course hub with real system users and nbgrader's exchange.

Three students and an instructor are real system users, created here with useradd (as root; removed afterwards).
The instructor releases lesson 01 to a local exchange; each student logs in with their own password (PAM), gets
a server running as themselves in their own home (mode 0700), fetches the lesson from the Assignments list's server
endpoints (nbgrader's assignment_list extension, on in class mode only), writes some or all of it through the
contents API and submits it; the instructor collects, autogrades (tools/grade.py), releases feedback; each student
fetches their own. Then: one student cannot read another's home, submission cache or feedback, nor list the
exchange's inbound or feedback folders, nor read the instructor's course folder with the solutions — as their own
system user, and from their own kernel through the hub."""

import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import hub_policy
import nbformat
import pytest
import requests
from hubserver import Student, bare_course_copy, running_hub, shared_folder

ROOT = Path(__file__).resolve().parent.parent
GROUP = "bp26class"
INSTRUCTOR = "bp26teach"
STUDENTS = {"bp26ada": "first", "bp26blaise": "none", "bp26carl": "all"}  # who writes which exercises
COURSE_ID = "backprop-by-hand"
LESSON_NUMBER = "01"


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def as_user(name: str, *command: str, **kwargs) -> subprocess.CompletedProcess:
    """Run ``command`` as the system user ``name`` (what their server, terminal or kernel may do)."""
    return run("runuser", "-u", name, "--", *command, **kwargs)


def remove_accounts() -> None:
    for name in [*STUDENTS, INSTRUCTOR]:
        run("pkill", "-KILL", "-u", name)  # a server left over from an interrupted run
        run("userdel", "--remove", "--force", name)
    run("groupdel", GROUP)


def why_no_users() -> str | None:
    if sys.platform != "linux":
        return "system users and LocalProcessSpawner need Linux"
    if os.geteuid() != 0:
        return "creating system users (useradd) and starting servers as them needs root; CI runs as root"
    for tool in ("useradd", "userdel", "groupadd", "chpasswd", "runuser", "make", "git", "node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (.ci/install-hub-class.sh, .ci/install-node.sh)"
    return None


@pytest.fixture(scope="module")
def classroom():
    reason = why_no_users()
    if reason:
        pytest.skip(reason)
    remove_accounts()
    password = os.urandom(9).hex()
    try:
        created = run("groupadd", GROUP)
        if created.returncode:
            pytest.skip(f"this machine cannot create groups: {created.stderr.strip()}")
        for name in [*STUDENTS, INSTRUCTOR]:
            made = run("useradd", "--create-home", "--shell", "/bin/bash", "--groups", GROUP, name)
            if made.returncode:
                pytest.skip(f"this machine cannot create users: {made.stderr.strip()}")
            run("chpasswd", input=f"{name}:{password}\n", check=True)
        problem = hub_policy.unreachable(sys.executable, INSTRUCTOR)
        if problem:
            pytest.skip(f"the students' servers would run as other users, who cannot run this course's Python: "
                        f"{problem}")
        with shared_folder("backprop-class-") as folder:
            exchange = folder / "exchange"
            exchange.mkdir()
            exchange.chmod(0o1777)  # nbgrader's exchange: everyone may write; the course folders narrow it
            repo = bare_course_copy(folder)
            # the instructor's own checkout in their home (mode 0700, as README says): the course directory with
            # the solutions and the gradebook
            teach_home = Path(f"/home/{INSTRUCTOR}")
            teach_home.chmod(0o700)
            checkout = teach_home / "backprop-by-hand"
            run("git", "clone", "--quiet", str(repo), str(checkout), check=True)
            run("chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", str(checkout), check=True)
            env = {"HUB_CLASS_GROUP": GROUP, "HUB_INSTRUCTOR": INSTRUCTOR, "NBGRADER_EXCHANGE": str(exchange),
                   "NBGRADER_COURSE_ID": COURSE_ID}
            with running_hub(folder / "state", target="hub-class", env=env) as hub:
                yield {"hub": hub, "password": password, "exchange": exchange, "checkout": checkout}
    finally:
        remove_accounts()


def instructor(classroom, action: str) -> float:
    """`make class-<action> LESSON=01` as the instructor, in their checkout (the hub's .venv runs it)."""
    started = time.perf_counter()
    result = as_user(INSTRUCTOR, sys.executable, "tools/class_exchange.py", action, LESSON_NUMBER,
                     cwd=classroom["checkout"], timeout=900,
                     env={**os.environ, "NBGRADER_EXCHANGE": str(classroom["exchange"]),
                          "NBGRADER_COURSE_ID": COURSE_ID})
    assert result.returncode == 0, f"class_exchange.py {action}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return time.perf_counter() - started


def assignments(student: Student, action: str = "", **data) -> list[dict]:
    """The Assignments list's own server endpoints (nbgrader.server_extensions.assignment_list)."""
    if action:
        answer = requests.post(f"{student.server}/assignments/{action}", headers=student.headers(), timeout=300,
                               data={"course_id": COURSE_ID, **data})
    else:
        answer = requests.get(f"{student.server}/assignments", headers=student.headers(), timeout=300,
                              params={"course_id": COURSE_ID})
    assert answer.status_code == 200, f"{student.name} {action or 'list'}: {answer.status_code} {answer.text[:500]}"
    body = json.loads(answer.text)
    assert body.get("success"), f"{student.name} {action or 'list'}: {body}"
    return body["value"]


def solutions(checkout: Path, lesson: str) -> dict[str, str]:
    """grade_id → the instructor's solution source, from the course directory's source notebook."""
    nb = nbformat.read(checkout / "build" / "nbgrader" / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}


def denied(result: subprocess.CompletedProcess) -> bool:
    return result.returncode != 0 and "Permission denied" in result.stderr


def test_a_class_round_trip_through_the_hub_keeps_students_apart(classroom):
    hub, exchange, checkout = classroom["hub"], classroom["exchange"], classroom["checkout"]
    times: dict[str, float] = {}

    times["instructor: release"] = instructor(classroom, "release")
    lesson = next(p.name for p in (checkout / "build" / "nbgrader" / "release").iterdir())
    assert lesson.startswith(LESSON_NUMBER)
    outbound = exchange / COURSE_ID / "outbound" / lesson
    assert (outbound / f"{lesson}.ipynb").is_file()
    assert "### BEGIN SOLUTION" not in (outbound / f"{lesson}.ipynb").read_text()

    started = time.perf_counter()
    students = {name: Student(hub, name, classroom["password"]) for name in STUDENTS}
    for student in students.values():
        student.login()  # the hub's login form, PAM: the student's own system password
        student.request_token()
        student.start_server()
    times["3 students: log in (PAM), start servers"] = time.perf_counter() - started
    for name in students:
        home = Path(f"/home/{name}")
        assert oct(home.stat().st_mode & 0o777) == "0o700", f"{name}'s home is not closed to others"
    servers = [p for p in hub.processes() if "jupyterhub-singleuser" in " ".join(p.cmdline())]
    assert sorted(p.username() for p in servers) == sorted(STUDENTS)  # each server runs as its own student

    answer = {name: solutions(checkout, lesson) for name in STUDENTS}
    exercises = list(answer["bp26ada"])
    assert len(exercises) >= 2
    started = time.perf_counter()
    for name, student in students.items():
        listed = assignments(student)
        assert [(a["assignment_id"], a["status"]) for a in listed] == [(lesson, "released")], listed
        fetched = assignments(student, "fetch", assignment_id=lesson)
        assert any(a["status"] == "fetched" for a in fetched), fetched
        path = f"{lesson}/{lesson}.ipynb"
        nb = student.notebook(path)
        chosen = {"first": exercises[:1], "none": [], "all": exercises}[STUDENTS[name]]
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in chosen:
                cell["source"] = answer[name][grade_id]
        saved = requests.put(f"{student.server}/api/contents/{path}", headers=student.headers(), timeout=60,
                             json={"type": "notebook", "format": "json", "content": nb})
        assert saved.status_code == 200, saved.text[:300]
        submitted = assignments(student, "submit", assignment_id=lesson)
        assert any(a["status"] == "submitted" for a in submitted), submitted
    times["3 students: list, fetch, write, submit"] = time.perf_counter() - started

    times["instructor: collect"] = instructor(classroom, "collect")
    times["instructor: autograde (tools/grade.py)"] = instructor(classroom, "grade")
    with open(checkout / "build" / "grades" / "grades.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    scores = {(r["student"], r["exercise"]): (float(r["score"]), float(r["max_score"])) for r in rows}
    graded = [r["exercise"] for r in rows if r["student"] == "bp26carl"]  # the check cells, in the lesson's order
    assert len(graded) == len(exercises), (graded, exercises)  # one check cell after each solution cell
    for check in graded:
        top = scores[("bp26carl", check)][1]
        assert scores[("bp26carl", check)][0] == top > 0, rows
        assert scores[("bp26blaise", check)][0] == 0, rows
        assert scores[("bp26ada", check)][0] == (top if check == graded[0] else 0), rows
    times["instructor: release feedback"] = instructor(classroom, "feedback")

    started = time.perf_counter()
    feedback = {}
    for name, student in students.items():
        listed = assignments(student, "fetch_feedback", assignment_id=lesson)
        entry = next(a for a in listed if a["status"] == "submitted")
        assert entry["submissions"][0]["has_local_feedback"], entry
        folder = student.contents(f"{lesson}/feedback").json()["content"]
        assert len(folder) == 1
        html_path = f"{lesson}/feedback/{folder[0]['name']}/{lesson}.html"
        html = student.contents(html_path).json()["content"]
        mine = sum(scores[(name, check)][0] for check in graded)
        top = sum(scores[(name, check)][1] for check in graded)
        assert f"(Score: {mine:.1f} / {top:.1f})" in html, html[:3000]  # their own notebook's feedback
        feedback[name] = Path(f"/home/{name}") / html_path
    times["3 students: fetch feedback"] = time.perf_counter() - started

    # --- what one student can reach of another's work, and of the instructor's -------------------------------------
    ada, blaise = students["bp26ada"], students["bp26blaise"]
    ada_notebook = Path("/home/bp26ada") / lesson / f"{lesson}.ipynb"
    cache = Path("/home/bp26ada/.local/share/jupyter/nbgrader_cache")
    solutions_file = checkout / "build" / "nbgrader" / "source" / lesson / f"{lesson}.ipynb"
    course = exchange / COURSE_ID
    assert as_user("bp26ada", "cat", str(ada_notebook)).returncode == 0  # the owner can: the checks below can fail
    assert as_user("bp26ada", "cat", str(feedback["bp26ada"])).returncode == 0
    for command in (["ls", "/home/bp26ada"], ["cat", str(ada_notebook)], ["cat", str(feedback["bp26ada"])],
                    ["ls", "-R", str(cache)], ["ls", str(course / "inbound")], ["ls", str(course / "feedback")],
                    ["ls", f"/home/{INSTRUCTOR}"], ["cat", str(solutions_file)],
                    ["ls", str(checkout / "build" / "nbgrader" / "submitted")]):
        result = as_user("bp26blaise", *command)
        assert denied(result), f"bp26blaise could run {command}: {result.stdout[:300]}"
    # the same from blaise's own kernel, through the hub
    probe = (f"import os\nfor p in {[str(ada_notebook), str(feedback['bp26ada']), str(solutions_file)]!r}:\n"
             "    try:\n        open(p).read(); print('READ', p)\n    except PermissionError:\n"
             "        print('refused', p)\n"
             f"for d in {[str(course / 'inbound'), str(course / 'feedback'), '/home/bp26ada']!r}:\n"
             "    try:\n        os.listdir(d); print('LISTED', d)\n    except PermissionError:\n"
             "        print('refused', d)\n")
    printed = "".join(text for kind, text in blaise.run_code(probe) if kind == "stdout")
    assert printed.count("refused") == 6 and "READ" not in printed and "LISTED" not in printed, printed
    # and ada's server refuses blaise's token
    assert ada.contents(f"{lesson}/{lesson}.ipynb", token=blaise.token).status_code == 403

    print("\nclass round trip, lesson", lesson)
    for step, seconds in times.items():
        print(f"  {step:<45} {seconds:6.1f} s")
    with contextlib.suppress(OSError):
        (ROOT / "build").mkdir(exist_ok=True)
        (ROOT / "build" / "hub-class-round-trip.json").write_text(json.dumps(times, indent=1) + "\n")
