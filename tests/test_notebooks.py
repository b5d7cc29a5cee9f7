"""Notebook hygiene, and proof that strict nbval really catches a changed number."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
MACHINE_PATH = re.compile(r"/(?:root|home|tmp|work|Users)/|[A-Z]:\\\\")
# Cells whose output may legitimately change between runs: widgets and timings.
WIDGET_OR_TIMING = re.compile(r"explorer\(|interact|ipywidgets|widgets\.|perf_counter|timeit|time\.time\(")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def output_text(output) -> str:
    """An output's text, its images left out (base64 can spell "0x" and six hex digits by chance)."""
    data = {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
    return json.dumps(output.get("text", "")) + json.dumps(data)


def test_there_are_lessons():
    assert {"00_start_here.ipynb", "01_sigmoid_gradient.ipynb"} <= set(IDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_hygiene(path):
    assert path.stat().st_size <= 1_000_000, f"{path.name} is {path.stat().st_size} bytes (limit 1 MB)"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = code_cells(nb)
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts[:10]}… — run `make execute NB={path.relative_to(ROOT)}`")
    for i, cell in enumerate(cells, start=1):
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name} cell [{i}] stores an error ({output.get('ename')})"
            text = output_text(output)
            assert not ADDRESS.search(text), f"{path.name} cell [{i}] shows a memory address"
            assert not MACHINE_PATH.search(text), f"{path.name} cell [{i}] shows a machine path"
            assert not re.search(r"(User|Deprecation|Future)Warning", text), (
                f"{path.name} cell [{i}] shows a library warning to the student: {text[:160]}")
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            assert WIDGET_OR_TIMING.search(cell.source), (
                f"{path.name} cell [{i}] is tagged nbval-ignore-output but is neither a widget nor a timing cell")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_template(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("Goal", "Summary", "Exercise"):
        assert re.search(rf"^#+ .*{heading}|\*\*{heading}", markdown, re.M), f"{path.name}: no {heading} section"
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    solutions = [i for i, s in enumerate(sources) if "### BEGIN SOLUTION" in s]
    assert solutions, f"{path.name}: no exercise (### BEGIN SOLUTION … ### END SOLUTION)"
    for i in solutions:
        assert "### END SOLUTION" in sources[i], f"{path.name}: BEGIN SOLUTION without END SOLUTION"
        assert any(re.search(r"\bcheck_\w+\(", s) for s in sources[i + 1:i + 3]), (
            f"{path.name}: the exercise cell is not followed by a check cell")
    assert all("slideshow" in c.metadata for c in nb.cells), f"{path.name}: a cell has no slideshow metadata"


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path)],
        capture_output=True, text=True, cwd=path.parent, timeout=300,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
    )


def test_strict_nbval_fails_when_a_printed_number_changes(tmp_path):
    source = ROOT / "notebooks" / "00_start_here.ipynb"
    intact = tmp_path / "intact.ipynb"
    shutil.copy(source, intact)
    result = run_nbval(intact)
    assert result.returncode == 0, result.stdout[-2000:]

    nb = nbformat.read(source, as_version=4)
    target = next(o for c in code_cells(nb) for o in c.outputs
                  if o.output_type == "stream" and "1.0000000000" in o.text)
    target.text = target.text.replace("1.0000000000", "1.0000000001", 1)
    changed = tmp_path / "changed.ipynb"
    nbformat.write(nb, changed)
    result = run_nbval(changed)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout


def test_a_stale_output_names_the_cell_as_jupyterlab_numbers_it_and_the_fix(tmp_path):
    """The repository's conftest.py adds one line to nbval's "Cell outputs differ" failure."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"),
                nbformat.v4.new_code_cell("x = 1", execution_count=1),
                nbformat.v4.new_markdown_cell("Now print it."),
                nbformat.v4.new_code_cell("print(x + 1)", execution_count=2,
                                          outputs=[nbformat.v4.new_output("stream", name="stdout", text="3\n")])]
    nbformat.write(nb, tmp_path / "stale.ipynb")
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                             "--nbval-current-env", "stale.ipynb"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("cell 4 (as JupyterLab numbers it, execution count 2): run `make execute NB=stale.ipynb`, "
            "then review `git diff`") in result.stdout, result.stdout
