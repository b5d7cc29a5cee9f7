"""Folders a test run makes once and its xdist workers share (tests/conftest.py's ``released``, the browser
tests' ``html_build``)."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path


def made_once(tmp_path_factory, name: str, make) -> Path:
    """The folder ``name`` of this test run, made by ``make(folder)`` once for the whole run: the xdist workers share
    it (the first one to ask makes it under a file lock, the others wait for it and reuse it)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base   # the run's folder, every worker's
    out, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            make(out)
            done.touch()
    return out


def released_copy(released: Path, dest: Path) -> tuple[Path, Path]:
    """A copy of the shared release in ``dest``: (course folder, student folder)."""
    shutil.copytree(released, dest, symlinks=True)
    return dest / "nbgrader", dest / "student"
