"""The benchmark script's own logic (never its timings): the pairing of interleaved runs, the rows an optional extra
that is missing produces, and the floor notebooks row 5 compares against."""

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_course  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_rows(monkeypatch):
    monkeypatch.setattr(bench_course, "ROWS", [])


def test_interleaved_medians_alternate_phases_skip_warm_up_and_pair_ratios(monkeypatch):
    clock = {"now": 0.0}
    monkeypatch.setattr(bench_course.time, "perf_counter", lambda: clock["now"])
    calls = []
    # the timed calls only, phase by phase: ours, theirs, ours, theirs
    costs = iter([1.0, 3.0, 4.0, 4.0, 2.0, 2.0, 8.0, 8.0])

    def timed(name):
        def fn():
            calls.append(name)
            if len(calls) % 3 != 1:  # the first call of each phase of three is the untimed warm-up
                clock["now"] += next(costs)
        return fn

    ours, theirs, ratio = bench_course.interleaved_medians(timed("ours"), timed("theirs"), repeats=2, block=2,
                                                           warm=1)
    assert calls == ["ours"] * 3 + ["theirs"] * 3 + ["ours"] * 3 + ["theirs"] * 3
    assert (ours, theirs) == (2.0, 6.0)  # medians of [1, 3, 2, 2] and [4, 4, 8, 8]
    assert ratio == pytest.approx(0.375)  # median of the phase ratios 2/4 and 2/8 — not ours / theirs (1/3)


def test_torch_row_says_how_to_enable_it_when_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    bench_course.bench_torch([([64, 32, 10], 256)])
    [(name, ours, theirs, ratio, goal)] = bench_course.ROWS
    assert "skipped: torch not installed (pip install torch==2.13.0)" in theirs
    assert (ours, ratio, goal) == ("—", "—", "≤ 1.0×")


def test_floor_notebooks_are_runnable_one_cell_notebooks(tmp_path):
    paths = bench_course.floor_notebooks(tmp_path, 3, "x = 1")
    assert [p.name for p in paths] == ["floor_0.ipynb", "floor_1.ipynb", "floor_2.ipynb"]
    nb = nbformat.read(paths[0], as_version=4)
    nbformat.validate(nb)
    assert [c.source for c in nb.cells] == ["x = 1"]
    assert nb.metadata.kernelspec.name == "python3"


def test_digits_split_is_the_capstone_split():
    X, y, train, test = bench_course.digits_split()
    assert X.shape == (64, 1797) and (train.size, test.size) == (1347, 450)
    assert set(train).isdisjoint(test) and X.max() == 1.0


def test_the_learners_install_is_a_learners():
    """`make lab` installs nblib's own requirements only (pyproject.toml's dependencies, Makefile's LEARNER): the
    closure bench_install measures holds NumPy, Matplotlib, JupyterLab and ipywidgets and none of the contributors',
    graders' or hub's packages, which come with their extras."""
    import bench_install

    learner = bench_install.closure("nblib")
    assert {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "nbformat", "nbconvert"} <= learner
    for tool in ("pytest", "nbval", "ruff", "hypothesis", "playwright", "jupyterhub", "nbgitpuller", "nbgrader",
                 "sqlalchemy"):
        assert tool not in learner, f"{tool} would be in a learner's install"
    assert {"pytest", "nbval"} <= bench_install.closure("nblib", ("dev",))
    assert "nbgrader" in bench_install.closure("nblib", ("grading",))
