"""The clean judge (tools/judge.py, issue 26 §1): tricks that fool a check in the student's own notebook score 0.

Lesson 01's source notebook (tools/nbgrader_metadata.py) is judged as tools/grade.py judges it, without nbgrader and
without the sandbox (tests/test_sandbox.py covers the sandbox): the honest solutions pass every check, and each trick
— the stub with one tampering statement in its solution cell — fails its exercise, and the static scan names it."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
LESSON = "01_sigmoid_gradient"
STUB = "def sigmoid_gradient(z):\n    return 0 * z\n"
TRICKS = {
    "reassign the check": "import nblib.exercises.sigmoid as s\ns.check_sigmoid_gradient = lambda f: None\n",
    "replace check_function": "import nblib.exercises.feedback as fb\nfb.check_function = lambda *a, **k: None\n",
    "fake module in sys.modules": "import sys, types\nm = types.ModuleType('nblib.exercises.sigmoid')\n"
                                  "m.check_sigmoid_gradient = lambda f: None\nsys.modules[m.__name__] = m\n",
    "replace the feedback helpers": "import nblib.exercises.feedback as fb\nfb.compare_array = lambda *a, **k: None\n",
    "patch np.allclose": "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: "
                         "np.ones(np.shape(a), bool)\n",
    "patch np.testing": "import numpy\nnumpy.testing.assert_allclose = lambda *a, **k: None\n",
    "patch builtins": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
    "exec the instructor's def": "import json\nnb = json.load(open('notebooks/01_sigmoid_gradient.ipynb'))\n"
                                 "exec(''.join(nb['cells'][0]['source']))\n",
    "edit nblib on disk and reload": "import importlib, nblib.exercises.sigmoid as s\n"
                                     "open(s.__file__, 'a').write('\\ncheck_sigmoid_gradient = lambda f: None\\n')\n"
                                     "importlib.reload(s)\n",
    "exit early": "import sys\nsys.exit(0)\n",
    "os._exit": "import os\nos._exit(0)\n",
    "patch nblib.progress": "import nblib.progress as p\np.recorded = lambda f: f\n",
    "tamper inside the function": "def sigmoid_gradient(z):\n    import numpy as np\n    np.allclose = lambda *a, **k:"
                                  " True\n    return 0 * z\n",
}


def judged(submitted, tmp_path):
    import judge
    import nbgrader_metadata

    source = nbformat.read(nbgrader_metadata.main(tmp_path, [ROOT / "notebooks" / f"{LESSON}.ipynb"])[0], 4)
    order = {"nonce": "N", "cells": judge.program(source, submitted), "course": str(ROOT), "timeout": 20}
    result = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "judge.py")], input=json.dumps(order),
                            capture_output=True, text=True, timeout=300)
    rows = [json.loads(line[2:]) for line in result.stdout.splitlines() if line.startswith("N ")]
    return {r["id"]: r for r in rows if r["id"]}, source


def submission(tmp_path, extra=""):
    import nbgrader_metadata

    source = nbformat.read(nbgrader_metadata.main(tmp_path, [ROOT / "notebooks" / f"{LESSON}.ipynb"])[0], 4)
    for cell in source.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid_gradient_solution" or (
                cell.metadata.get("nbgrader", {}).get("solution") and "def sigmoid_gradient(" in cell.source):
            cell.source = (STUB + extra) if extra != "honest" else cell.source
    return source


def test_the_honest_solutions_pass_every_check_and_scan_clean(tmp_path):
    import judge

    nb = submission(tmp_path, "honest")
    rows, _ = judged(nb, tmp_path)
    assert rows and all(r["passed"] and not r["tampered"] for r in rows.values()), rows
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, 4).cells:
            if "### BEGIN SOLUTION" in cell.source:
                assert judge.suspicious(cell.source) == [], (path.name, cell.source[:80])


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_each_trick_fails_its_exercise_and_is_named(trick, tmp_path):
    import judge

    code = TRICKS[trick]
    cell_source = code if code.startswith("def sigmoid_gradient") else STUB + code
    nb = submission(tmp_path, "honest")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and "def sigmoid_gradient(" in cell.source:
            cell.source = cell_source
    rows, _ = judged(nb, tmp_path)
    assert not rows.get("sigmoid_gradient", {}).get("passed"), (trick, rows.get("sigmoid_gradient"))
    assert judge.suspicious(cell_source), trick


def lessons():
    import nbgrader_metadata

    return [p.stem for p in nbgrader_metadata.lessons()]


@pytest.mark.parametrize("lesson", lessons())
def test_the_instructor_solutions_pass_the_clean_judge_in_every_lesson(lesson, tmp_path):
    """Never refuse correct work: each lesson's own solutions pass every check of the clean judge."""
    import judge
    import nbgrader_metadata

    written = nbgrader_metadata.main(tmp_path, [ROOT / "notebooks" / f"{lesson}.ipynb"])
    if not written:
        pytest.skip(f"{lesson} has no exercise")
    source = nbformat.read(written[0], 4)
    order = {"nonce": "N", "cells": judge.program(source, source), "course": str(ROOT), "timeout": 120}
    result = subprocess.run([sys.executable, "-I", str(ROOT / "tools" / "judge.py")], input=json.dumps(order),
                            capture_output=True, text=True, timeout=1800)
    rows = {r["id"]: r for r in (json.loads(line[2:]) for line in result.stdout.splitlines()
                                 if line.startswith("N ")) if r["id"]}
    checks = [c.metadata["nbgrader"]["grade_id"] for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert sorted(rows) == sorted(checks), result.stderr[-2000:]
    assert all(r["passed"] for r in rows.values()), {k: r for k, r in rows.items() if not r["passed"]}
