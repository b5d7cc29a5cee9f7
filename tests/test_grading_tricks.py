"""A real grading run (nbgrader, the sandbox, the clean judge; tools/grade.py) of lesson 01 with one honest student
and one student per trick of tests/test_judge.py: the honest one scores full marks, each trick scores 0 on the
exercise it targets and is listed in tampered.csv, and the checkout is untouched."""

import csv
import hashlib
from pathlib import Path

import nbformat
import pytest
from test_judge import STUB, TRICKS

ROOT = Path(__file__).resolve().parent.parent
LESSON = "01_sigmoid_gradient"


def digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted((ROOT / "nblib").rglob("*.py")))).hexdigest()


@pytest.fixture(scope="module")
def run(tmp_path_factory, released):
    import grade
    from shared_build import released_copy
    from test_grading import solved

    tmp = tmp_path_factory.mktemp("tricks")
    course, _ = released_copy(released, tmp / "release")   # the run's one release of every lesson
    submissions = tmp / "submissions"
    release = course / "release" / LESSON / f"{LESSON}.ipynb"
    before = digest()
    students = {"honest": None, **{f"trick{i:02d}": name for i, name in enumerate(sorted(TRICKS))}}
    for student, trick in students.items():
        nb = solved(release, LESSON)
        if trick:
            code = TRICKS[trick].replace("'notebooks/", repr(str(ROOT / "notebooks"))[:-1] + "/")
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("solution") and "def sigmoid_gradient(" in cell.source:
                    cell.source = code if code.startswith("def sigmoid_gradient") else STUB + code
        (submissions / student).mkdir(parents=True)
        nbformat.write(nb, submissions / student / f"{LESSON}.ipynb")
    out = tmp / "grades"
    grade.grade(submissions, course, out, timeout=20)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(out / "tampered.csv", newline="", encoding="utf-8") as f:
        flagged = list(csv.DictReader(f))
    table = [f"{'student':8} {'trick':32} sigmoid_gradient  tampered.csv"]
    for student, trick in students.items():
        score = next(r["score"] for r in rows if r["student"] == student and r["exercise"] == "sigmoid_gradient")
        listed = sum(r["student"] == student for r in flagged)
        table.append(f"{student:8} {trick or '(honest solutions)':32} {score:>16}  {listed} row(s)")
    (out / "tricks.txt").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))
    return {"rows": rows, "flagged": flagged, "students": students, "before": before}


def test_the_honest_student_scores_full_marks(run):
    marks = [r for r in run["rows"] if r["student"] == "honest"]
    assert len(marks) == 5 and all(r["score"] == r["max_score"] for r in marks), marks  # lesson 01's five
    assert not [r for r in run["flagged"] if r["student"] == "honest"]


def test_each_trick_scores_zero_and_is_listed(run):
    for student, trick in run["students"].items():
        if trick:
            row = next(r for r in run["rows"] if r["student"] == student and r["exercise"] == "sigmoid_gradient")
            assert row["score"] == "0", (trick, row)
            assert any(r["student"] == student for r in run["flagged"]), trick


def test_the_checkout_is_untouched(run):
    assert digest() == run["before"]
