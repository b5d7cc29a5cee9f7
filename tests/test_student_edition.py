"""The student edition (`make student`: tools/grade.py release, nbgrader's generate_assignment on the source
notebooks tools/nbgrader_metadata.py writes): no solution survives, each check fails on the stub with a one-line
message, and each notebook runs cleanly up to its first exercise. tools/student_edition.py, the same edition without
nbgrader, keeps its own unit tests here."""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Seconds per cell: a whole student-edition lesson runs in 1.3–5.1 s during a full `make test`. Not more: nbclient
# (0.11) answers an ipywidgets Output widget's output by sending on the shell channel while it awaits the cell's
# execute_reply on the same socket, and now and then (2 to 5 % of lesson 07's runs here, with ipykernel 7.4.0 and
# 6.31.0 alike; lessons 02, 04, 07 and 09 in full runs) that reply is read only when the wait times out: the run goes on
# without error, a whole timeout later.
CELL_TIMEOUT = 15


def tool():
    import student_edition

    return student_edition


@pytest.fixture(scope="module")
def edition(tmp_path_factory, released):
    from shared_build import released_copy

    _, student = released_copy(released, tmp_path_factory.mktemp("course") / "release")   # the run's one release
    assert sorted(p.name for p in (student / "notebooks").glob("*.ipynb")) == [p.name for p in LESSONS]
    return student / "notebooks"


def solution_lines(nb):
    lines = []
    for cell in nb.cells:
        for span in re.findall(r"### BEGIN SOLUTION[^\n]*\n(.*?)### END SOLUTION", cell.source, re.S):
            lines += [line.strip() for line in span.splitlines() if line.strip() and not line.strip().startswith("#")]
    return lines


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_no_solution_survives(path, edition):
    teacher = nbformat.read(path, as_version=4)
    student = {c.id: c for c in nbformat.read(edition / path.name, as_version=4).cells}
    exercises = [c for c in teacher.cells if "### BEGIN SOLUTION" in c.source]
    assert exercises, f"{path.name} has no exercise"
    for cell in exercises:
        stub = student[cell.id]
        assert "BEGIN SOLUTION" not in stub.source and "END SOLUTION" not in stub.source
        assert "raise NotImplementedError(" in stub.source and stub.outputs == []
        name = re.findall(r"^\s*def\s+(\w+)\s*\(", cell.source[:cell.source.index("### BEGIN SOLUTION")], re.M)[-1]
        assert f'raise NotImplementedError("Write the body of {name}() (see the text above)' in stub.source
        assert stub.metadata.nbgrader["solution"] and "checksum" in stub.metadata.nbgrader
        for line in solution_lines(nbformat.v4.new_notebook(cells=[cell])):
            assert line not in stub.source, f"solution line survived in {path.name}: {line!r}"


def test_instructor_cells_are_removed(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("keep"),
                                         nbformat.v4.new_code_cell("secret = 1", metadata={"tags": ["instructor"]})])
    assert [c.source for c in tool().student_notebook(nb).cells] == ["keep"]


def test_stub_keeps_the_signature_and_indentation():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
    assert tool().strip_solutions(source) == (
        'def f(x):\n    raise NotImplementedError("Write the body of f() (see the text above), then run the check '
        'cell below.")\n')


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_student_notebook_runs_to_the_first_exercise_and_checks_fail_short(path, edition):
    nb = nbformat.read(edition / path.name, as_version=4)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(edition)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    first_check = next(i for i, c in enumerate(code) if re.search(r"\bcheck_\w+\(", c.source)
                       and "NotImplementedError" in code[i - 1].source)
    for cell in code[:first_check]:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{path.name}: error before the first exercise in\n{cell.source[:200]}"
    for i, cell in enumerate(code):
        if i > 0 and "NotImplementedError" in code[i - 1].source and re.search(r"\bcheck_\w+\(", cell.source):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert errors and errors[0].ename == "CheckFailed", f"{path.name}: the check did not fail on the stub"
            assert len(errors[0].traceback) == 1 and "not written yet" in errors[0].traceback[0]
    # No other cell shows a traceback because an exercise is unwritten: cells that use it say so in one line, or
    # (lesson 08's capstone, which runs only the learner's code) stop with one line naming the stub.
    checks = {i for i, c in enumerate(code)
              if i > 0 and "NotImplementedError" in code[i - 1].source and re.search(r"\bcheck_\w+\(", c.source)}
    for i, cell in enumerate(code):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        one_line_stop = all(e.ename == "CapstoneStopped" and len(e.traceback) == 1 for e in errors)
        assert i in checks or not errors or one_line_stop, \
            f"{path.name}: a traceback outside a check:\n{cell.source[:300]}"
