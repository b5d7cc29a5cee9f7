"""Release and grading on real nbgrader (tools/nbgrader_metadata.py, tools/grade.py; `make student`, `make grade`).

Lessons 00 and 01 (six exercises) are graded in a copy of the run's release (tests/conftest.py), in one grading run;
students hand in: alice the instructor's solutions, bob the untouched student edition, carol the solutions with one
planted mistake, dave an endless loop in one exercise, eve an unwritten exercise whose locked check she replaced by
``pass``, frank a file that is not a notebook, and trick00… one student per trick of tests/test_judge.py (lesson
01's solutions with one tampering statement in sigmoid_gradient's cell): each trick scores 0 on that exercise and is
listed in tampered.csv, and the checkout is untouched. Dave's loop sleeps: one that computes is stopped the same way
(a signal), but would keep a core busy for the 10 s timeout twice (nbgrader's run and the judge's) while the other
tests wait for it."""

import csv
import hashlib
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ["00_start_here", "01_sigmoid_gradient"]
EXERCISES = {"00_start_here": ["central_difference"],
             "01_sigmoid_gradient": ["sigmoid_gradient", "sigmoid_gradient_quotient", "tanh_gradient",
                                     "central_difference_auto", "swish_gradient"]}
TIMEOUT = 10   # seconds per cell; lessons 00 and 01's slowest cell takes about one
SLEEPING_LOOP = "import time\n    while True:\n        time.sleep(0.5)\n"   # dave's endless loop


def tools():
    import grade
    import nbgrader_metadata

    return grade, nbgrader_metadata


def solved(released: Path, lesson: str, replace=None):
    """The release with every solution cell as the instructor wrote it (``replace`` edits one of them)."""
    teacher = {c.id: c.source for c in nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4).cells}
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = teacher[cell.id]
            if replace and replace[0] in cell.source:
                cell.source = cell.source.replace(*replace)
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory, released):
    from shared_build import released_copy
    from test_judge import STUB, TRICKS

    grade, _ = tools()
    tmp = tmp_path_factory.mktemp("course")
    course, student_dir = released_copy(released, tmp / "release")   # the run's one release of every lesson
    out, submissions = tmp / "grades", tmp / "submissions"
    release = {lesson: course / "release" / lesson / f"{lesson}.ipynb" for lesson in LESSONS}
    hand_in = {
        "alice": {lesson: solved(release[lesson], lesson) for lesson in LESSONS},
        "bob": {lesson: nbformat.read(release[lesson], as_version=4) for lesson in LESSONS},
        "carol": {"01_sigmoid_gradient": solved(release["01_sigmoid_gradient"], "01_sigmoid_gradient",
                                                ("return 1.0 - th * th", "return 1.0 - th"))},
        "dave": {"01_sigmoid_gradient": solved(release["01_sigmoid_gradient"], "01_sigmoid_gradient",
                                               ("e_abs = np.exp(", SLEEPING_LOOP + "    e_abs = np.exp("))},
    }
    eve = nbformat.read(release["00_start_here"], as_version=4)
    check = next(c for c in eve.cells if c.metadata.get("nbgrader", {}).get("grade"))
    check.source = "pass  # the check is switched off"
    hand_in["eve"] = {"00_start_here": eve}
    for name, lessons in hand_in.items():
        (submissions / name).mkdir(parents=True)
        for lesson, nb in lessons.items():
            nbformat.write(nb, submissions / name / f"{lesson}.ipynb")
    (submissions / "frank").mkdir()
    (submissions / "frank" / "00_start_here.ipynb").write_text("{ not a notebook", encoding="utf-8")
    for name, text in {"gina": "", "hank": '{"cells": "oops", "nbformat": 4}'}.items():   # empty; JSON, no notebook
        (submissions / name).mkdir()
        (submissions / name / "00_start_here.ipynb").write_text(text, encoding="utf-8")
    tricks = {}
    for i, (name, code) in enumerate(sorted(TRICKS.items())):          # one student per trick of test_judge.py
        nb = solved(release["01_sigmoid_gradient"], "01_sigmoid_gradient")
        code = code.replace("'notebooks/", repr(str(ROOT / "notebooks"))[:-1] + "/")
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution") and "def sigmoid_gradient(" in cell.source:
                cell.source = code if code.startswith("def sigmoid_gradient") else STUB + code
        tricks[f"trick{i:02d}"] = name
        (submissions / f"trick{i:02d}").mkdir(parents=True)
        nbformat.write(nb, submissions / f"trick{i:02d}" / "01_sigmoid_gradient.ipynb")
    (submissions / "ivan").mkdir()                                    # lesson 01's notebook saved as lesson 00
    nbformat.write(solved(release["01_sigmoid_gradient"], "01_sigmoid_gradient"),
                   submissions / "ivan" / "00_start_here.ipynb")
    nbformat.write(solved(release["00_start_here"], "00_start_here"), submissions / "judy.ipynb")   # misplaced
    before = nblib_digest()
    grade.grade(submissions, course, out, timeout=TIMEOUT)
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(out / "tampered.csv", newline="", encoding="utf-8") as f:
        flagged = list(csv.DictReader(f))
    return {"rows": rows, "flagged": flagged, "out": out, "course": course, "student": student_dir,
            "release": release, "tricks": tricks, "nblib_before": before}


def nblib_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted((ROOT / "nblib").rglob("*.py")))).hexdigest()


def scores(graded, student, lesson):
    return {r["exercise"]: (float(r["score"]), float(r["max_score"])) for r in graded["rows"]
            if r["student"] == student and r["lesson"] == lesson}


def test_grades_csv_has_one_row_per_student_lesson_and_exercise(graded):
    with open(graded["out"] / "grades.csv", encoding="utf-8") as f:
        assert f.readline().strip() == "student,lesson,exercise,score,max_score,note"
    got = {(r["student"], r["lesson"]) for r in graded["rows"]}
    assert got == {("alice", l) for l in LESSONS} | {("bob", l) for l in LESSONS} | {
        ("carol", "01_sigmoid_gradient"), ("dave", "01_sigmoid_gradient"), ("eve", "00_start_here"),
        ("frank", "00_start_here"), ("gina", "00_start_here"), ("hank", "00_start_here"),
        ("ivan", "00_start_here"), ("judy", "")} | {(t, "01_sigmoid_gradient") for t in graded["tricks"]}
    for student, lesson in got - {("judy", "")}:
        assert list(scores(graded, student, lesson)) == EXERCISES[lesson]


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_instructor_solutions_score_full_marks(graded, lesson):
    marks = scores(graded, "alice", lesson)
    assert marks and all(score == max_score > 0 for score, max_score in marks.values()), marks
    assert not [r for r in graded["flagged"] if r["student"] == "alice"]


def test_each_trick_scores_zero_on_its_exercise_and_is_listed(graded):
    assert len(graded["tricks"]) >= 13
    table, caught = [], []
    for student, trick in graded["tricks"].items():
        score = scores(graded, student, "01_sigmoid_gradient")["sigmoid_gradient"][0]
        listed = sum(r["student"] == student for r in graded["flagged"])
        table.append(f"{student} {trick:32} sigmoid_gradient {score:g}  tampered.csv: {listed} row(s)")
        caught.append(score == 0 and listed > 0)
    (graded["out"] / "tricks.txt").write_text("\n".join(table) + "\n", encoding="utf-8")
    assert all(caught), "\n".join(table)


def test_grading_leaves_the_checkout_untouched(graded):
    assert nblib_digest() == graded["nblib_before"]   # e.g. the trick that edits nblib on disk


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_untouched_student_edition_scores_zero_and_says_not_written_yet(graded, lesson):
    marks = scores(graded, "bob", lesson)
    assert marks and all(score == 0 for score, _ in marks.values()), marks
    html = (graded["out"] / "feedback" / "bob" / f"{lesson}.html").read_text(encoding="utf-8")
    for exercise in EXERCISES[lesson]:
        assert re.search(rf"{exercise}(</span>)? is not written yet", html), f"{exercise}: no 'not written yet'"
    alice = (graded["out"] / "feedback" / "alice" / f"{lesson}.html").read_text(encoding="utf-8")
    assert "not written yet" not in alice


def test_a_broken_submission_scores_zero_without_stopping_the_others(graded):
    assert scores(graded, "frank", "00_start_here") == {"central_difference": (0.0, 1.0)}
    assert not (graded["out"] / "feedback" / "frank").exists()
    assert scores(graded, "alice", "00_start_here") == {"central_difference": (1.0, 1.0)}


def test_one_planted_mistake_loses_exactly_that_exercise(graded):
    marks = scores(graded, "carol", "01_sigmoid_gradient")
    lost = {name for name, (score, max_score) in marks.items() if score < max_score}
    assert lost == {"tanh_gradient"} and marks["tanh_gradient"][0] == 0, marks


def test_an_endless_loop_is_stopped_by_the_timeout_and_loses_only_that_cell(graded):
    marks = scores(graded, "dave", "01_sigmoid_gradient")
    lost = {name for name, (score, max_score) in marks.items() if score < max_score}
    assert lost == {"sigmoid_gradient_quotient"}, marks
    autograded = nbformat.read(graded["course"] / "autograded" / "dave" / "01_sigmoid_gradient" /
                               "01_sigmoid_gradient.ipynb", as_version=4)
    check = next(c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                 == "sigmoid_gradient_quotient")
    assert any(o.output_type == "error" and "Timeout" in o.ename for o in check.outputs), check.outputs


def test_an_edited_locked_check_is_detected_and_the_original_is_run(graded):
    with open(graded["out"] / "tampered.csv", newline="", encoding="utf-8") as f:
        flagged = list(csv.DictReader(f))
    assert {"student": "eve", "lesson": "00_start_here", "cell": "central_difference", "what": "edited"} in flagged
    assert [f for f in flagged if f["student"] not in ("eve", "frank", *graded["tricks"])] == []
    assert scores(graded, "eve", "00_start_here") == {"central_difference": (0.0, 1.0)}
    html = (graded["out"] / "feedback" / "eve" / "00_start_here.html").read_text(encoding="utf-8")
    assert "check_central_difference" in html and "the check is switched off" not in html


def test_the_release_hides_solutions_and_hidden_tests_but_autograding_runs_them(graded):
    released = graded["release"]["01_sigmoid_gradient"].read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in released and "BEGIN HIDDEN TESTS" not in released and "seed=12345" not in released
    assert "sig * (1.0 - sig)" not in released
    assert (graded["student"] / "notebooks" / "01_sigmoid_gradient.ipynb").read_text(encoding="utf-8") == released
    autograded = nbformat.read(graded["course"] / "autograded" / "alice" / "01_sigmoid_gradient" /
                               "01_sigmoid_gradient.ipynb", as_version=4)
    checks = [c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(checks) == len(EXERCISES["01_sigmoid_gradient"])
    for cell in checks:
        assert "### BEGIN HIDDEN TESTS" in cell.source and "seed=12345)" in cell.source
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert printed.count("✔") == 2, printed   # the visible check and the hidden one both ran and passed


def test_source_metadata_from_the_course_convention():
    _, meta = tools()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("from m import check_f\n\ncheck_f(f)"),
        nbformat.v4.new_code_cell("secret = 1", metadata={"tags": ["instructor"]}),
    ])
    nb = meta.source_notebook(nb)
    assert len(nb.cells) == 2
    assert nb.cells[0].metadata.nbgrader == {"grade": False, "grade_id": "f_solution", "locked": False,
                                             "schema_version": 3, "solution": True, "task": False}
    assert nb.cells[1].metadata.nbgrader == {"grade": True, "grade_id": "f", "locked": True, "points": 1,
                                             "schema_version": 3, "solution": False, "task": False}
    assert nb.cells[1].source == ("from m import check_f\n\ncheck_f(f)\n### BEGIN HIDDEN TESTS\n"
                                  "check_f(f, seed=12345)\n### END HIDDEN TESTS")


def test_every_lesson_gets_a_graded_check_for_every_exercise():
    _, meta = tools()
    for path in meta.lessons():
        nb = meta.source_notebook(nbformat.read(path, as_version=4))
        solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert solutions and len(checks) == len(solutions), path.name
        assert all("seed=12345" in c.source for c in checks), path.name


@pytest.mark.parametrize("lesson", LESSONS)
def test_one_edition_path_the_class_edition_strips_exactly_as_the_learners_edition(graded, lesson):
    """nbgrader's release replaces each solution with the stub student_edition.strip_solutions writes (its
    ClearSolutions step is tools/nbgrader_edition.CourseClearSolutions): every exercise cell of the class edition is
    the learner's edition's cell, character for character."""
    import student_edition

    learner = student_edition.student_notebook(nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4))
    released = nbformat.read(graded["release"][lesson], as_version=4)
    by_id = {c.id: c.source for c in learner.cells}
    solution_cells = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(solution_cells) == len(EXERCISES[lesson])
    for cell in solution_cells:
        assert cell.source == by_id[cell.id]
        assert "raise NotImplementedError(\"Write the body of" in cell.source


def test_the_class_edition_refuses_an_unpaired_solution_marker(tmp_path):
    """The shared stripping function's refusal holds inside nbgrader too: a BEGIN without END stops the release
    rather than publish the solution."""
    import nbgrader_edition

    cell = nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN " "SOLUTION\n    return x\n")
    with pytest.raises(RuntimeError, match="without its partner"):
        nbgrader_edition.CourseClearSolutions()._replace_solution_region(cell, "python")


@pytest.mark.parametrize("student,reason", [("gina", "empty file"), ("hank", "not a notebook"),
                                            ("ivan", "another lesson's notebook (01_sigmoid_gradient)"),
                                            ("frank", "not a notebook")])
def test_a_submission_that_cannot_be_graded_gets_zero_and_its_reason(graded, student, reason):
    rows = [r for r in graded["rows"] if r["student"] == student]
    assert rows and all(r["score"] == "0" and reason in r["note"] for r in rows), rows


def test_a_misplaced_submission_gets_a_row_that_says_so(graded):
    rows = [r for r in graded["rows"] if r["student"] == "judy"]
    assert len(rows) == 1 and rows[0]["note"].startswith("misplaced"), rows


def test_the_class_report_is_offline_and_names_each_exercise(graded):
    page = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "<script" not in page
    for exercises in EXERCISES.values():
        for exercise in exercises:
            assert f": {exercise}</h2>" in page
    assert page.count("<img") == page.count('alt="') == sum(map(len, EXERCISES.values()))
    assert "tanh_gradient: " in page
