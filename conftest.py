"""Repository-wide pytest hooks. When strict nbval finds a stored output that no longer matches, say which cell
as JupyterLab shows it (its position among all cells, markdown included, and its execution count [K]) and how
to fix it; nbval itself reports "Cell N" counting code cells only, from 0."""

from pathlib import Path

import pytest


def stale_output_hint(item) -> str:
    """'cell 12 (as JupyterLab numbers it, execution count 7): run `make execute NB=…`, then review `git diff`'."""
    cells = item.parent.nb.cells
    position = next(i for i, cell in enumerate(cells) if cell is item.cell) + 1
    notebook = Path(str(item.fspath))
    try:
        notebook = notebook.relative_to(Path(str(item.config.rootdir)))
    except ValueError:
        pass
    return (f"cell {position} (as JupyterLab numbers it, execution count {item.cell.execution_count}): "
            f"run `make execute NB={notebook.as_posix()}`, then review `git diff`")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.failed and call.excinfo is not None and hasattr(item, "cell") and hasattr(item.parent, "nb")):
        return
    if not str(call.excinfo.value).startswith("Cell outputs differ"):
        return
    hint = stale_output_hint(item)
    if isinstance(report.longrepr, str):
        report.longrepr = f"{report.longrepr}\n{hint}"
    else:
        report.sections.append(("stored output out of date", hint))


# The test files that take longest (each alone, stop 32's measurements: 0.5–2 min), started first: under
# `--dist loadfile` a file runs whole on one worker, and a long one started last would leave the run waiting on it with
# the other cores idle. xdist's default order (most tests first) put them last; the Makefile passes
# --no-loadscope-reorder so that this order is kept.
LONGEST_FIRST = [
    "tests/test_grading.py", "tests/browser/test_slides_walk.py", "tests/browser/test_jupyterlab.py",
    "tests/test_hub_class.py", "tests/browser/test_site_accessibility.py",
    "tests/test_hub.py", "tests/test_publish.py", "tests/test_judge.py", "tests/test_student_edition.py",
    "tests/browser/test_learner_lab.py", "tests/browser/test_slides_site.py", "tests/test_gradcheck_properties.py",
    "tests/test_widgets_explorer.py", "tests/browser/test_student_lab.py", "tests/test_hub_guard.py",
]


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))   # stable: the rest keep their order
