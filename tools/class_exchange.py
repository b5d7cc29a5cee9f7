"""The instructor's side of a class on the course hub (`make hub-class`), through nbgrader's exchange.

    python tools/class_exchange.py release LESSON    # the edition of LESSON, then nbgrader release_assignment
    python tools/class_exchange.py collect LESSON    # nbgrader collect: the latest submission of every student
    python tools/class_exchange.py grade LESSON      # tools/grade.py grade on what was collected (build/grades/)
    python tools/class_exchange.py feedback LESSON   # nbgrader release_feedback: each student fetches their own

Run it as the instructor's system user from the instructor's own checkout (`make class-release LESSON=01`, …): the
course directory build/nbgrader/ holds the solutions and the gradebook, so the checkout lives in the instructor's home
(mode 0700). Students fetch, submit and fetch feedback from JupyterLab's Assignments list. The exchange folder and
course id come from config/hub-class/nbgrader_config.py (NBGRADER_EXCHANGE, NBGRADER_COURSE_ID).

nbgrader's exchange keeps students apart: the inbound folder is write-only for students (mode 2733: a student cannot
list who submitted what; each submission is named with a random string), and each feedback file is named by a hash
of a secret only that student's submission and the instructor's copy hold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import grade  # noqa: E402
import nbgrader_metadata  # noqa: E402

CLASS_CONFIG = ROOT / "config" / "hub-class"
COLLECTED = ROOT / "build" / "class" / "collected"      # <student>/<lesson>/: the notebook, timestamp, secret
SUBMISSIONS = ROOT / "build" / "class" / "submissions"  # <student>/<lesson>.ipynb: what tools/grade.py grades
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def lesson_name(lesson: str) -> str:
    matches = [p.stem for p in nbgrader_metadata.lessons() if lesson in (p.stem, p.stem[:2])]
    if len(matches) != 1:
        raise SystemExit(f"class_exchange.py: LESSON={lesson!r} matches {len(matches)} lessons; give its number, "
                         "e.g. 01")
    return matches[0]


def nbgrader(*args: str) -> None:
    """nbgrader's command line in the course directory, with the class's exchange and course id."""
    env = {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(
        [str(CLASS_CONFIG), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])])}
    result = subprocess.run([str(grade.BIN / "nbgrader"), *args], cwd=grade.COURSE, env=env)
    if result.returncode:
        raise SystemExit(f"class_exchange.py: `nbgrader {' '.join(args)}` failed (exit {result.returncode}); "
                         "see above")


def release(lesson: str) -> None:
    grade.release(lessons=[lesson])
    nbgrader("release_assignment", lesson, "--force")


def collect(lesson: str) -> list[str]:
    """Collect the newest submission of every student; keep each with nbgrader's timestamp and secret (grading
    rewrites build/nbgrader/submitted/, and releasing feedback needs them)."""
    nbgrader("collect", lesson, "--update")
    students = []
    for folder in sorted((grade.COURSE / "submitted").glob(f"*/{lesson}")):
        student = folder.parent.name
        keep = COLLECTED / student / lesson
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(folder, keep)
        (SUBMISSIONS / student).mkdir(parents=True, exist_ok=True)
        notebook = folder / f"{lesson}.ipynb"
        if notebook.exists():
            shutil.copy(notebook, SUBMISSIONS / student / f"{lesson}.ipynb")
        students.append(student)
    print(f"class_exchange.py: collected {lesson} from {len(students)} students: {', '.join(students)}")
    return students


def grade_lesson(lesson: str) -> None:
    """`make grade SUBMISSIONS=build/class/submissions`: tools/grade.py's own command line, so the class is graded
    exactly as any other submissions are."""
    if not any(SUBMISSIONS.glob(f"*/{lesson}.ipynb")):
        raise SystemExit(f"class_exchange.py: nothing collected for {lesson}; run collect first")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "grade.py"), "grade", str(SUBMISSIONS)])
    if result.returncode:
        raise SystemExit(f"class_exchange.py: tools/grade.py grade failed (exit {result.returncode}); see above")


def feedback(lesson: str) -> list[str]:
    """Release the feedback tools/grade.py generated, each file under the hash of its student's own submission."""
    released = []
    for keep in sorted(COLLECTED.glob(f"*/{lesson}")):
        student = keep.parent.name
        target = grade.COURSE / "feedback" / student / lesson
        if not (target / f"{lesson}.html").exists():
            print(f"class_exchange.py: no feedback for {student}/{lesson} (grade first)", file=sys.stderr)
            continue
        for name in EXCHANGE_FILES:
            shutil.copy(keep / name, target / name)
        released.append(student)
    nbgrader("release_feedback", lesson)
    return released


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["release", "collect", "grade", "feedback"])
    parser.add_argument("lesson", help="the lesson's number or name, e.g. 01")
    args = parser.parse_args(argv)
    if os.geteuid() == 0:
        raise SystemExit("class_exchange.py: run it as the instructor's own user, not as root (the exchange's "
                         "folders and the gradebook belong to the instructor)")
    lesson = lesson_name(args.lesson)
    {"release": release, "collect": collect, "grade": grade_lesson, "feedback": feedback}[args.action](lesson)


if __name__ == "__main__":
    main()
