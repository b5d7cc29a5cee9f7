"""Lesson 08's capstone runs on the learner's code, all of it (issue 25 §4): the student edition, its exercise cells
filled by a learner, is executed cell by cell; a deliberately scaled update (W -= 0.5·α·dW) gives a different
held-out accuracy than the right one, and a stub stops the page with one line naming it."""

import contextlib
import io
import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "08_capstone_digits.ipynb"
SCALED = ("parameters = {key: value - learning_rate * grads[\"d\" + key] for key, value in parameters.items()}",
          "parameters = {key: value - 0.5 * learning_rate * grads[\"d\" + key] for key, value in parameters.items()}")


def _solutions():
    """The teacher's exercise cells (solution markers removed), keyed by the function they define."""
    cells = {}
    for cell in nbformat.read(LESSON, as_version=4).cells:
        if "### BEGIN SOLUTION" in cell.source:
            name = re.search(r"^def (\w+)\(", cell.source, re.M)[1]
            cells[name] = "\n".join(line for line in cell.source.splitlines() if "### " not in line)
    return cells


def _run_capstone(fill):
    """Execute the student edition up to the accuracy cell, the exercise cells replaced by ``fill[name]`` (kept as
    stubs when absent); returns (printed text, the exception that stopped it or None)."""
    import student_edition

    from nblib.exercises import CheckFailed

    matplotlib.use("Agg")
    student = student_edition.student_notebook(nbformat.read(LESSON, as_version=4))
    scope = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell in student.cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            stub = re.search(r"^def (\w+)\(", source, re.M)
            if stub and "raise NotImplementedError" in source and stub[1] in fill:
                source = fill[stub[1]]
            try:
                exec(compile(source, f"<cell {cell.get('id')}>", "exec"), scope)  # noqa: S102 — the learner's page
            except CheckFailed as failure:  # a check cell: the learner reads it and goes on
                print(f"✘ {failure}")
            except Exception as stop:  # noqa: BLE001 — the cell that stops the page
                return out.getvalue(), stop
            if "your code's accuracy" in source:
                return out.getvalue(), None
    return out.getvalue(), None


def _held_out(text):
    return float(re.search(r"your code's accuracy: train [\d.]+%\s+held-out ([\d.]+)%", text)[1])


def test_the_capstone_trains_with_the_learners_update():
    right = _solutions()
    scaled = dict(right, one_epoch=right["one_epoch"].replace(*SCALED))
    assert scaled["one_epoch"] != right["one_epoch"]
    text_right, stop_right = _run_capstone(right)
    text_scaled, stop_scaled = _run_capstone(scaled)
    assert stop_right is None and stop_scaled is None, (stop_right, stop_scaled)
    assert "one_epoch makes one gradient step" in text_right
    assert "✘" in text_scaled and "not passed their checks yet: one_epoch" in text_scaled
    print(f"held-out accuracy: right update {_held_out(text_right)}%, scaled update {_held_out(text_scaled)}%")
    assert _held_out(text_right) != _held_out(text_scaled)
    assert re.search(r"training cost (\d\.\d{4})", text_right)[1] != re.search(r"training cost (\d\.\d{4})",
                                                                              text_scaled)[1]


@pytest.mark.parametrize("missing, exercise", [("one_epoch", 2), ("choose_learning_rate", 3),
                                               ("model_backward_l2", 1)])
def test_a_stub_stops_the_capstone_with_one_line_naming_it(missing, exercise):
    from nblib.exercises.capstone import CapstoneStopped

    fill = {k: v for k, v in _solutions().items() if k != missing}
    text, stop = _run_capstone(fill)
    assert isinstance(stop, CapstoneStopped), (text, stop)
    assert re.search(rf"^{missing}\b.* is still a stub \(exercise {exercise}\)", str(stop)), str(stop)
    assert len(stop._render_traceback_()) == 1 and "Traceback" not in stop._render_traceback_()[0]
