"""Let test modules import the helpers in tests/ (labserver.py), the scripts in tools/ and the dataset
generators in data/ by name; the release of every lesson, made once per run."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT / "tests", ROOT / "tools", ROOT / "data"):
    sys.path.insert(0, str(folder))


@pytest.fixture(scope="session")
def released(tmp_path_factory) -> Path:
    """nbgrader's release of every lesson (tools/grade.py release: the course folder nbgrader/ with its source and
    release folders and gradebook, and the student edition in student/notebooks/), made once per test run. Read it
    only: a test that grades or runs notebooks works in its own copy (shared_build.released_copy)."""
    import grade
    from shared_build import made_once

    def release(out: Path) -> None:
        written = grade.release(out / "nbgrader", out / "student")
        assert sorted(p.name for p in written) == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))

    return made_once(tmp_path_factory, "released", release)
