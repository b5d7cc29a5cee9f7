"""One build of the learner's slides and site for every browser test module of a run (make test: both xdist workers
share it under a file lock), instead of one per module."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def html_build(tmp_path_factory) -> dict:
    """{"out": folder, "slides": [deck pages], "site": [site pages]}: `make slides` and `make site` of the notebooks,
    built once per test run."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the slides and site vendor reveal.js and MathJax with npm")
    from shared_build import made_once

    def make(out: Path) -> None:
        import build_html

        slides = build_html.build_slides(out / "slides")
        site = build_html.build_site(out / "site")
        pages = {"slides": [str(p) for p in slides], "site": [str(p) for p in site]}
        (out / "pages.json").write_text(json.dumps(pages), encoding="utf-8")

    out = made_once(tmp_path_factory, "html-build", make)
    pages = json.loads((out / "pages.json").read_text(encoding="utf-8"))
    return {"out": out, "slides": [Path(p) for p in pages["slides"]], "site": [Path(p) for p in pages["site"]]}
