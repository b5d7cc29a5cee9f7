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
