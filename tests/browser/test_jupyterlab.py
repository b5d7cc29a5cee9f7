"""Every lesson in a real JupyterLab, driven by Playwright in Debian's Chromium.

For each lesson: open it, wait for the kernel to be idle (status bar), run all cells, check that no error
appears and every figure rendered, then move every explorer's slider (or dropdown) and check that its
output changed. Screenshots go to build/browser/. Skipped, with the reason, without Chromium or Playwright.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from labserver import running_lab

from .chromium import ROOT, SHOTS, launch

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def stored_figures(path: Path) -> int:
    """PNG figures stored in the notebook outside widget cells (what must render again)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            continue
        count += sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return count


def lab_settings(folder: Path) -> Path:
    """User settings for the test server: no autosave (the lessons on disk must not change while a browser
    runs them) and no news pop-up."""
    settings = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                            "checkForUpdates": False},
    }
    for name, value in settings.items():
        target = folder / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = lab_settings(tmp_path_factory.mktemp("lab"))
    before = {p.name: p.read_bytes() for p in LESSONS}
    flags = (f"--no-browser --LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={folder / 'settings'} "
             f"--LabApp.workspaces_dir={folder / 'workspaces'}")
    with running_lab(flags) as server:
        yield server
    changed = [p.name for p in LESSONS if p.read_bytes() != before[p.name]]
    assert not changed, f"the browser run changed lessons on disk: {changed}"


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    with launch(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def wait_idle(page, timeout=120):
    """Wait until the status bar shows the kernel as Idle and no cell shows [*]."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = page.locator(".jp-StatusBar-Widget").all_inner_texts()
        busy = page.locator(".jp-InputPrompt", has_text="[*]").count()
        if any("Idle" in s for s in status) and busy == 0:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"kernel not idle after {timeout} s; status bar: {status}")


def shutdown_kernels(base: str, token: str) -> None:
    """Stop every kernel the lesson started, so the next lesson has the machine to itself."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=20).close()


def output_signature(widget) -> str:
    """What an explorer shows: its text and the sources of its images."""
    text = widget.inner_text()
    images = widget.locator("img").evaluate_all("els => els.map(e => e.src.length + ':' + e.src.slice(-64))")
    return text + "|" + "|".join(images)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_in_jupyterlab(path, lab, browser_context):
    base, token, _ = lab
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    try:
        # A workspace of its own per lesson, reset, so only this notebook is open.
        page.goto(f"{base}/lab/workspaces/{path.stem}/tree/notebooks/{path.name}?reset&token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        wait_idle(page)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(1000)
        wait_idle(page, timeout=300)
        code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
        numbered = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").evaluate_all(
            "els => els.filter(e => /\\[\\d+\\]/.test(e.textContent)).length")
        assert numbered == code_cells, f"{numbered} of {code_cells} code cells ran"

        stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
        errors = [t for t in stderr if re.search(r"Traceback|Error|✘", t)]
        assert not errors, f"error output in {path.name}: {errors[0][:500]}"

        # Figures decode after their cell finishes; under load that can take a few seconds more.
        count = ("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                 ".filter(e => e.complete && e.naturalWidth > 0).length")
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => ({count})() >= {stored_figures(path)}", timeout=15_000)
        rendered = page.evaluate(count)
        assert rendered >= stored_figures(path), f"{rendered} figures rendered, {stored_figures(path)} expected"

        explorers = page.locator(".jp-OutputArea-output .widget-interact")
        assert explorers.count() >= 1, f"{path.name} has no explorer"
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            output = explorer.locator(".widget-output")
            before = output_signature(output)
            slider = explorer.locator(".noUi-handle")
            if slider.count():
                slider.first.focus()
                for _ in range(3):
                    page.keyboard.press("ArrowRight")
            else:
                select = explorer.locator("select").first
                options = select.locator("option").all_inner_texts()
                select.select_option(label=options[-1])
            deadline = time.time() + 60
            while output_signature(output) == before and time.time() < deadline:
                page.wait_for_timeout(250)
            assert output_signature(output) != before, f"explorer {i} of {path.name} did not react"
            wait_idle(page)
            page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"), full_page=False)
    finally:
        page.close()
        shutdown_kernels(base, token)
