"""The learner's edition of a lesson, and the student edition of every lesson in build/student/ without nbgrader.

One function strips the solutions for every edition a learner sees: :func:`student_notebook`. The self-study
workspace (``make lab``, tools/workspace.py) adds :func:`learner_notebook` on top (no stored outputs, a third hint
tier that reveals the solution after an attempt); the site and slides (tools/build_html.py) use
:func:`student_notebook` and keep the figures; nbgrader's release (`make student`, tools/grade.py) runs
:func:`strip_solutions` as its ClearSolutions step (tools/nbgrader_edition.py) and drops the same instructor cells
(tools/nbgrader_metadata.py uses :func:`drop_instructor_cells`). This script stays for a class without the grading
extra (`python tools/student_edition.py`) and for the tests that look at one lesson's edition without nbgrader.

For each notebook in notebooks/:
* the code between the solution markers (``BEGIN``, ``END`` below) is replaced by
  ``raise NotImplementedError("…")`` naming the function to write (markers removed);
* the outputs of those exercise cells and of the check cell after each are cleared;
* cells tagged ``instructor`` are removed;
* everything else (derivations, figures, checks) is kept as it is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
# nbgrader's solution markers, spelled in parts: this file goes into the class edition (tools/publish_class.py), which
# holds the marker text nowhere.
BEGIN, END = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"
SPAN = re.compile(rf"^(?P<indent>[ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*$", re.S | re.M)


def stub_message(source: str, start: int) -> str:
    """'Write the body of NAME (see the text above), then run the check below.'"""
    before = source[:start]
    names = re.findall(r"^\s*def\s+(\w+)\s*\(", before, re.M)
    what = f"the body of {names[-1]}()" if names else "this exercise"
    return f"Write {what} (see the text above), then run the check cell below."


def strip_solutions(source: str) -> str:
    def replace(match: re.Match) -> str:
        message = stub_message(source, match.start())
        return f'{match["indent"]}raise NotImplementedError("{message}")'

    stripped = SPAN.sub(replace, source)
    if BEGIN in stripped or END in stripped:  # an unpaired marker would leave the solution on the learner's page
        marker = BEGIN if BEGIN in stripped else END
        raise ValueError(f"a solution marker without its partner ({marker!r} unpaired) in the cell starting "
                         f"{source.strip()[:80]!r}: every {BEGIN!r} needs an {END!r} after it")
    return stripped


def drop_instructor_cells(nb):
    """``nb`` without its cells tagged ``instructor`` (in place); returns nb."""
    nb.cells = [c for c in nb.cells if "instructor" not in c.metadata.get("tags", [])]
    return nb


def student_notebook(nb):
    """The student edition of ``nb`` (in place; returns nb): instructor cells dropped, every solution span replaced
    by :func:`strip_solutions`, the outputs of exercise cells and of the check after each cleared."""
    cells = []
    clear_next = False
    for cell in drop_instructor_cells(nb).cells:
        if cell.cell_type == "code":
            if BEGIN in cell.source or END in cell.source:
                cell.source = strip_solutions(cell.source)
                cell.outputs, cell.execution_count = [], None
                clear_next = True
            elif clear_next:
                cell.outputs, cell.execution_count = [], None
                clear_next = False
        cells.append(cell)
    nb.cells = cells
    return nb


def exercise_cells(nb) -> list[tuple[int, str, str]]:
    """(index of the exercise cell, function to write, qualified name of its check) for each exercise of ``nb``.

    An exercise is a code cell with a solution span; its check is the first ``check_…(`` called in the next code
    cell, qualified by the ``from nblib.exercises.<module> import check_…`` that the lesson contains."""
    imports = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for module, names in re.findall(r"from (nblib\.exercises\.\w+) import \(?([\w, \n]+)\)?", cell.source):
                imports.update({name: module for name in re.findall(r"check_\w+", names)})
    found = []
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for position, i in enumerate(code):
        source = nb.cells[i].source
        if BEGIN not in source:
            continue
        names = re.findall(r"^\s*def\s+(\w+)\s*\(", source[:source.index(BEGIN)], re.M)
        after = nb.cells[code[position + 1]].source if position + 1 < len(code) else ""
        checks = re.findall(r"\b(check_\w+)\(", after)
        if names and checks and checks[0] in imports:
            found.append((i, names[-1], f"{imports[checks[0]]}.{checks[0]}"))
    return found


SOLUTION_TIER = """

<details><summary>Tier 3 — the solution, after you have tried</summary>

Write your attempt and run the check below on it first. Still stuck after that? In a new cell run

```python
from nblib.solutions import show_solution
show_solution("{name}"{lesson})
```

It shows the course's solution only once the check has judged your own code at least once (your workspace
counts the attempts).

</details>
"""


def learner_notebook(nb, lesson: str, ambiguous: frozenset = frozenset()):
    """The self-study edition of lesson ``lesson`` (e.g. "01"): the student edition with no stored output, no saved
    widget state, no execution count, and under each exercise's hints a third tier saying how to reveal the solution
    after an attempt (``show_solution(name)``; ``lesson=`` is added for a name in ``ambiguous``)."""
    names = {id(nb.cells[i]): name for i, name, _ in exercise_cells(nb)}
    nb = student_notebook(nb)  # keeps the cell objects it does not drop
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            name = names.get(id(cell))
            if name:
                tier = SOLUTION_TIER.format(name=name, lesson=f', lesson="{lesson}"' if name in ambiguous else "")
                if cells and cells[-1].cell_type == "markdown":
                    cells[-1].source = cells[-1].source.rstrip("\n") + tier.rstrip("\n")
                else:
                    cells.append(nbformat.v4.new_markdown_cell(tier.strip("\n"), id=f"solution-tier-{name}"[:64]))
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def main(out_dir: Path = ROOT / "build" / "student") -> list[Path]:
    out = out_dir / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        try:
            nb = student_notebook(nbformat.read(path, as_version=4))
        except ValueError as error:
            raise ValueError(f"{path.name}: {error}") from None
        target = out / path.name
        nbformat.write(nb, target)
        written.append(target)
    (out_dir / "README.md").write_text(
        "# Backprop by Hand — student edition\n\nThe exercises are yours: each one raises `NotImplementedError` "
        "until you write it, and the check cell after it tells you precisely what is wrong.\nOpen these notebooks "
        "from a clone of the course (`make lab`), so that `nblib` and `data/` are importable.\n", encoding="utf-8")
    return written


def folder_cli(argv: list[str], tool: str, metavar: str, default: Path, write) -> int:
    """``python tools/TOOL [METAVAR]`` for a tool that writes lessons into a folder (default ``default``) with
    ``write(folder)``: a usage line and exit status 2 on bad arguments, 1 on a lesson it cannot convert."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"usage: python tools/{tool} [{metavar}]   (default: {default.relative_to(ROOT)})", file=sys.stderr)
        return 2
    try:
        written = write(Path(argv[0]) if argv else default)
    except ValueError as error:
        print(f"{tool.removesuffix('.py')}: {error}", file=sys.stderr)
        return 1
    for p in written:
        print(f"wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
    return 0


def cli(argv: list[str]) -> int:
    """``python tools/student_edition.py [OUT_DIR]`` (see :func:`folder_cli`)."""
    return folder_cli(argv, "student_edition.py", "OUT_DIR", ROOT / "build" / "student", main)


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
