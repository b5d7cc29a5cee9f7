"""One build of the learner's slides and site for every browser test module of a run (make test: both xdist workers
share it under a file lock), instead of one per module."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def html_build(tmp_path_factory) -> dict:
    """{"out": folder, "slides": [deck pages], "site": [site pages]}: `make slides` and `make site` of the notebooks,
    built once per test run."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the slides and site vendor reveal.js and MathJax with npm")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base   # the run's folder, every worker's
    out = shared / "html-build"
    with open(shared / "html-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = out / "pages.json"
        if not done.exists():
            import build_html

            shutil.rmtree(out, ignore_errors=True)
            slides = build_html.build_slides(out / "slides")
            site = build_html.build_site(out / "site")
            done.write_text(json.dumps({"slides": [str(p) for p in slides], "site": [str(p) for p in site]}),
                            encoding="utf-8")
    pages = json.loads(done.read_text(encoding="utf-8"))
    return {"out": out, "slides": [Path(p) for p in pages["slides"]], "site": [Path(p) for p in pages["site"]]}
