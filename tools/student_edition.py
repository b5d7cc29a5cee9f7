"""Write the student edition of every lesson to build/student/ without nbgrader.

`make student` builds the edition with nbgrader instead (tools/grade.py release), and uses stub_message() from here
so that both editions name the function to write. This script stays for a class without the grading extra
(`python tools/student_edition.py`) and for the tests that look at one lesson's edition without nbgrader.

For each notebook in notebooks/:
* the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is replaced by
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
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
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

    return SPAN.sub(replace, source)


def student_notebook(nb):
    cells = []
    clear_next = False
    for cell in nb.cells:
        if "instructor" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            if BEGIN in cell.source:
                cell.source = strip_solutions(cell.source)
                cell.outputs, cell.execution_count = [], None
                clear_next = True
            elif clear_next:
                cell.outputs, cell.execution_count = [], None
                clear_next = False
        cells.append(cell)
    nb.cells = cells
    return nb


def main(out_dir: Path = ROOT / "build" / "student") -> list[Path]:
    out = out_dir / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = student_notebook(nbformat.read(path, as_version=4))
        target = out / path.name
        nbformat.write(nb, target)
        written.append(target)
    (out_dir / "README.md").write_text(
        "# Backprop by Hand — student edition\n\nThe exercises are yours: each one raises `NotImplementedError` "
        "until you write it, and the check cell after it tells you precisely what is wrong.\nOpen these notebooks "
        "from a clone of the course (`make lab`), so that `nblib` and `data/` are importable.\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "student"):
        print(f"wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
