"""JupyterLab shows each figure's alt text: the course's extension (tools/lab_alt_text/) puts an image output's
``metadata["image/png"]["alt"]`` on its <img>, which JupyterLab's own renderer leaves without one.

Checked in a real JupyterLab (`make lab`'s server) in Debian's Chromium: every figure of a lesson opened before it
is run (its stored outputs, explorers' stills included) carries exactly the alt text stored with it; after Run All,
every figure — those in explorers' Output widgets too, before and after a slider move — carries the alt text of the
output the kernel sent. Skipped, with the reason, without Chromium or Playwright."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from labserver import running_lab

from .chromium import ROOT, launch
from .test_jupyterlab import lab_settings, run_all, shutdown_kernels, wait_idle

WIDGET = "application/vnd.jupyter.widget-view+json"


def stored_alts(path: Path, widgets_only: bool = False) -> list[str | None]:
    """The stored alt text of every PNG output, in the order the notebook shows them (None: stored without one)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])
            if "image/png" in o.get("data", {}) and (WIDGET in o["data"] or not widgets_only)]


WITH_FIGURES = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if stored_alts(p)]
# Lessons run live: 01 has one slider explorer, 02 two (one of them the computation graph's).
LIVE = [p for p in WITH_FIGURES if p.stem[:2] in {"01", "02"}]

# Every <img> an output area renders, with the alt text of the output model it renders: JupyterLab's OutputArea
# widgets are found in the Lumino widget tree (ipywidgets' Output widgets are OutputAreas too) and their i-th child
# is paired with their model's i-th output. Only an output's own <img> counts (not one of a nested output area).
RENDERED = """() => {
  const found = [];
  const visit = widget => {
    if (widget.model && Array.isArray(widget.widgets) && typeof widget.model.get === 'function') {
      widget.widgets.forEach((child, i) => {
        const output = widget.model.get(i);
        const metadata = (output && output.metadata && output.metadata['image/png']) || {};
        for (const img of child.node.querySelectorAll(':scope > .jp-OutputArea-output > img')) {
          found.push({alt: img.getAttribute('alt'), stored: metadata.alt ?? null,
                      inWidget: img.closest('.widget-output') !== null, decoded: img.complete && img.naturalWidth > 0,
                      src: img.src.length + img.src.slice(-64)});
        }
      });
    }
    for (const child of widget.children()) visit(child);
  };
  visit(window.jupyterapp.shell);
  return found;
}"""
IMG_ALTS = "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.getAttribute('alt'))"


@pytest.fixture(scope="module")
def lab_and_browser(tmp_path_factory):
    folder = lab_settings(tmp_path_factory.mktemp("lab"))
    flags = (f"--no-browser --LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={folder / 'settings'} "
             f"--LabApp.workspaces_dir={folder / 'workspaces'}")
    with running_lab(flags) as server, launch(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield server, context


def open_lesson(context, server, path: Path, workspace: str):
    base, token, _ = server
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/workspaces/{workspace}-{path.stem}/tree/notebooks/{path.name}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    return page


@pytest.mark.parametrize("path", WITH_FIGURES, ids=[p.stem for p in WITH_FIGURES])
def test_unrun_lesson_figures_carry_their_stored_alt_text(path, lab_and_browser):
    server, context = lab_and_browser
    expected = stored_alts(path)
    assert all(expected), f"{path.name} stores a figure without alt text"
    page = open_lesson(context, server, path, "alt-unrun")
    try:
        page.wait_for_function(f"() => ({IMG_ALTS})().length >= {len(expected)}", timeout=30_000)
        assert page.evaluate(IMG_ALTS) == expected
    finally:
        page.close()


@pytest.mark.parametrize("path", LIVE, ids=[p.stem for p in LIVE])
def test_live_figures_and_explorers_carry_the_kernels_alt_text(path, lab_and_browser):
    server, context = lab_and_browser
    page = open_lesson(context, server, path, "alt-live")
    try:
        wait_idle(page)
        run_all(page)
        explorers = page.locator(".jp-OutputArea-output .widget-interact")
        page.wait_for_function(f"() => ({RENDERED})().filter(f => f.inWidget && f.decoded).length >= "
                               f"{explorers.count()}", timeout=30_000)
        before = page.evaluate(RENDERED)
        assert len(before) >= len(stored_alts(path)), before
        for figure in before:
            assert figure["alt"] and figure["alt"] == figure["stored"], figure
        # At its default settings each explorer draws the still stored with its cell, alt text included.
        live = [f["alt"] for f in before if f["inWidget"]]
        assert live == stored_alts(path, widgets_only=True)

        # A slider move redraws the explorer's figure: the new <img> carries the new output's alt text.
        sliders = explorers.locator(".noUi-handle")
        assert sliders.count(), f"{path.name}: no slider explorer"
        sliders.first.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            wait_idle(page)
        page.wait_for_function(f"""() => {{ const now = ({RENDERED})().filter(f => f.inWidget && f.decoded);
            return now.length && now[0].src !== {json.dumps(next(f['src'] for f in before if f['inWidget']))}; }}""",
                               timeout=30_000)
        for figure in page.evaluate(RENDERED):
            assert figure["alt"] and figure["alt"] == figure["stored"], figure
    finally:
        page.close()
        shutdown_kernels(*server[:2])
