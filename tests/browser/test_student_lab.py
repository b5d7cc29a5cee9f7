"""The nbgrader student edition (`make student`) in a real JupyterLab, driven by Playwright in Debian's Chromium.

Lesson 00's release is opened as a student would: the exercise cell is editable, the locked check cell is not;
Run All shows the check's one-line "not written yet"; writing the function in the browser and running again turns
the check green. Screenshots go to build/browser/student_00_*.png. Skipped, with the reason, without Chromium."""

from __future__ import annotations

import shutil

import pytest
from labserver import running_lab

from .chromium import ROOT, SHOTS, launch
from .test_jupyterlab import lab_settings, run_all, shutdown_kernels, wait_idle

FOLDER = ROOT / "build" / "browser-student"
SOLUTION = "def central_difference(f, z, eps):\n    return (f(z + eps) - f(z - eps)) / (2 * eps)\n"


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory, released):
    shutil.rmtree(FOLDER, ignore_errors=True)   # lesson 00 of the run's one release, under the lab's root
    (FOLDER / "student" / "notebooks").mkdir(parents=True)
    shutil.copy(released / "student" / "notebooks" / "00_start_here.ipynb", FOLDER / "student" / "notebooks")
    folder = lab_settings(tmp_path_factory.mktemp("lab"))
    flags = (f"--no-browser --LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={folder / 'settings'} "
             f"--LabApp.workspaces_dir={folder / 'workspaces'}")
    with running_lab(flags) as server, launch(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield server, context


def test_student_edition_locks_the_check_and_turns_green_once_written(student_lab):
    (base, token, _), context = student_lab
    page = context.new_page()
    page.set_default_timeout(60_000)
    path = "build/browser-student/student/notebooks/00_start_here.ipynb"
    try:
        page.goto(f"{base}/lab/workspaces/student00/tree/{path}?reset&token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        wait_idle(page)
        exercise = page.locator(".jp-CodeCell", has_text="def central_difference")
        check = page.locator(".jp-CodeCell", has_text="check_central_difference(central_difference)")
        assert exercise.count() == 1 and check.count() == 1
        # Typing into the locked check changes nothing; the same keys do reach the exercise's editor.
        for cell, editable in ((check, False), (exercise, True)):
            cell.scroll_into_view_if_needed()
            page.wait_for_function("el => el.textContent.length > 0", arg=cell.locator(".cm-content").element_handle())
            before = cell.locator(".cm-content").text_content()
            cell.locator(".cm-content").click()
            page.keyboard.press("Control+End")
            page.keyboard.type("# typed")
            if editable:   # the keys arrive
                page.wait_for_function("([el, before]) => el.textContent !== before",
                                       arg=[cell.locator(".cm-content").element_handle(), before])
            else:          # two frames after the keys, by which CodeMirror has applied any edit it accepts
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            after = cell.locator(".cm-content").text_content()
            assert (after != before) == editable, f"editable={editable} expected; before {before!r}, after {after!r}"
            page.keyboard.press("Escape")
        assert "HIDDEN TESTS" not in check.inner_text()
        # make setup leaves students nbgrader's Validate button, not the instructor's tools.
        assert page.locator(".jp-Toolbar", has_text="Validate").count() >= 1
        assert page.get_by_text("Create Assignment").count() == 0
        # ... nor the "Nbgrader" menu, which would open empty (its items are the instructor's tools).
        menus = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()
        assert "File" in menus and "Nbgrader" not in menus, menus
        commands = page.evaluate("window.jupyterapp.commands.listCommands()")
        assert not [c for c in commands if c.startswith("nbgrader:open-")], commands

        run_all(page)
        output = check.locator(".jp-OutputArea-output").inner_text()
        assert "central_difference is not written yet" in output and "Traceback" not in output, output
        check.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "student_00_unwritten.png"))

        exercise.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(SOLUTION)
        run_all(page)
        output = check.locator(".jp-OutputArea-output").inner_text()
        assert "✔ central_difference is right" in output, output
        check.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "student_00_written.png"))
    finally:
        page.close()
        shutdown_kernels(base, token)
