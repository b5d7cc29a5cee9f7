"""Turn the course's exercise convention into nbgrader source notebooks (build/nbgrader/source/<lesson>/<lesson>.ipynb).

The committed lessons mark an exercise with ``### BEGIN SOLUTION`` … ``### END SOLUTION`` inside a code cell, and
the next code cell calls its check (``check_sigmoid_gradient(sigmoid_gradient)``). This tool writes copies with
nbgrader's cell metadata; the lessons in notebooks/ are never edited:

* the exercise cell becomes a solution cell (``grade_id`` ``<function>_solution``);
* its check cell becomes a locked, autograded test cell worth ``POINTS`` (``grade_id`` ``<function>``), and gets a
  hidden-tests block that calls the same check on other random inputs (``seed=HIDDEN_SEED``) between
  ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` — the student edition does not show it, autograding runs it;
* cells tagged ``instructor`` are dropped (the source notebook is what the student edition is generated from).

Run by ``make student`` (tools/grade.py release) before nbgrader's generate_assignment.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from student_edition import BEGIN, END, drop_instructor_cells, folder_cli  # noqa: E402  (one edition path: the same markers)

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_SEED = 12345
POINTS = 1
CHECK_CALL = re.compile(r"\bcheck_\w+\(")


def exercise_name(source: str) -> str:
    """The function the exercise asks for: the last ``def`` before ``### BEGIN SOLUTION``."""
    names = re.findall(r"^\s*def\s+(\w+)\s*\(", source[:source.index(BEGIN)], re.M)
    if not names:
        raise ValueError(f"an exercise cell without a function to write:\n{source[:300]}")
    return names[-1]


def python_lines(source: str) -> str:
    """``source`` with IPython's line magics and shell escapes (``%time``, ``!ls``, a ``%%`` cell magic line) blanked:
    the Python the check cell runs besides them, for :mod:`ast`."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def hidden_calls(check_source: str) -> list[str]:
    """The check cell's ``check_…(…)`` statements again, each with ``seed=HIDDEN_SEED`` (other random inputs)."""
    calls = []
    try:
        tree = ast.parse(python_lines(check_source))
    except SyntaxError as error:
        raise ValueError(f"a check cell that is not Python (line {error.lineno}: {error.msg}); the cell starts "
                         f"{check_source.strip()[:80]!r}") from None
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id.startswith("check_")
                and not any(k.arg == "seed" for k in call.keywords)):
            call.keywords.append(ast.keyword(arg="seed", value=ast.Constant(HIDDEN_SEED)))
            calls.append(ast.unparse(call))
    return calls


def nbgrader_meta(grade_id: str, *, solution: bool, grade: bool, locked: bool, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def check_markers(source: str) -> None:
    """Every ``### BEGIN SOLUTION`` of a cell closed by an ``### END SOLUTION`` after it, not nested: an unpaired
    marker would leave the solution in the student edition (nbgrader stops on it, after the other lessons)."""
    depth = 0
    for number, line in enumerate(source.splitlines(), 1):
        if BEGIN in line or END in line:
            depth += 1 if BEGIN in line else -1
            if depth not in (0, 1):
                raise ValueError(f"a solution marker out of order at line {number} ({line.strip()!r}): every {BEGIN!r} "
                                 f"needs one {END!r} after it, before the next; the cell starts "
                                 f"{source.strip()[:80]!r}")
    if depth:
        raise ValueError(f"{BEGIN!r} without its {END!r}: the solution would stay in the student edition; the cell "
                         f"starts {source.strip()[:80]!r}")


def source_notebook(nb):
    """nb with nbgrader metadata on every exercise and its check (in place); returns nb."""
    nb = drop_instructor_cells(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        check_markers(cell.source)
    seen = set()
    for i, cell in enumerate(code):
        if BEGIN not in cell.source:
            continue
        name = exercise_name(cell.source)
        if name in seen:
            raise ValueError(f"two exercises named {name}")
        seen.add(name)
        cell.metadata["nbgrader"] = nbgrader_meta(f"{name}_solution", solution=True, grade=False, locked=False)
        check = code[i + 1] if i + 1 < len(code) else None
        if check is None or not CHECK_CALL.search(check.source) or BEGIN in check.source:
            continue   # an exercise without a check cell: a solution cell, graded by hand
        hidden = hidden_calls(check.source)
        if hidden and HIDDEN_BEGIN not in check.source:
            check.source = "\n".join([check.source.rstrip("\n"), HIDDEN_BEGIN, *hidden, HIDDEN_END])
        check.metadata["nbgrader"] = nbgrader_meta(name, solution=False, grade=True, locked=True, points=POINTS)
    return nb


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(course_root: Path = ROOT / "build" / "nbgrader", paths: list[Path] | None = None) -> list[Path]:
    """Write source/<lesson>/<lesson>.ipynb under course_root for every lesson with an exercise."""
    written = []
    for path in lessons() if paths is None else paths:  # an empty list is no lesson, never every lesson
        nb = nbformat.read(path, as_version=4)
        if not any(c.cell_type == "code" and (BEGIN in c.source or END in c.source) for c in nb.cells):
            continue
        target = course_root / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            source = source_notebook(nb)
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from None
        nbformat.write(source, target)
        written.append(target)
    return written


def cli(argv: list[str]) -> int:
    """``python tools/nbgrader_metadata.py [COURSE_DIR]`` (see student_edition.folder_cli)."""
    return folder_cli(argv, "nbgrader_metadata.py", "COURSE_DIR", ROOT / "build" / "nbgrader", main)


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
