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

from student_edition import BEGIN, drop_instructor_cells  # noqa: E402  (one edition path: the same markers)

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


def hidden_calls(check_source: str) -> list[str]:
    """The check cell's ``check_…(…)`` statements again, each with ``seed=HIDDEN_SEED`` (other random inputs)."""
    calls = []
    for statement in ast.parse(check_source).body:
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


def source_notebook(nb):
    """nb with nbgrader metadata on every exercise and its check (in place); returns nb."""
    nb = drop_instructor_cells(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
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
    for path in paths or lessons():
        nb = nbformat.read(path, as_version=4)
        if not any(c.cell_type == "code" and BEGIN in c.source for c in nb.cells):
            continue
        target = course_root / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(nb), target)
        written.append(target)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "nbgrader"):
        print(f"wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
