"""A learner's `make lab` in a real JupyterLab, driven by Playwright in Debian's Chromium.

Lesson 00 of the workspace is worked as a learner would: the page holds the stub and no solution; Run All stops at
the check's "not written yet"; `show_solution` refuses before an attempt; a wrong attempt gets the check's message
and only then does `show_solution` reveal the course's solution; a right one passes; the progress cell's table and
figure show the attempts; one questionnaire question is answered wrong and then right, with its explanation, and
recorded. Screenshots go to build/browser/learner_*.png. Skipped, with the reason, without Chromium."""

from __future__ import annotations

import json

import pytest
from labserver import running_lab

from .chromium import SHOTS, launch
from .test_jupyterlab import lab_settings, run_all, shutdown_kernels, wait_idle

WRONG = "def central_difference(f, z, eps):\n    return (f(z + eps) - f(z)) / eps\n"
RIGHT = "def central_difference(f, z, eps):\n    return (f(z + eps) - f(z - eps)) / (2 * eps)\n"
CHECK = "check_central_difference(central_difference)"


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("learner") / "workspace"
    folder = lab_settings(tmp_path_factory.mktemp("lab"))
    flags = (f"--no-browser --LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={folder / 'settings'} "
             f"--LabApp.workspaces_dir={folder / 'workspaces'}")
    with running_lab(flags, edition="learner", workspace=workspace) as server, \
            launch(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield server, context, workspace


def run(page, cell) -> str:
    """Run one cell (select it, then run it) and return its output text once the kernel is idle."""
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-cell')")  # resolves once the cell has run
    wait_idle(page)
    return cell.locator(".jp-OutputArea").inner_text()


def write(page, cell, text: str) -> None:
    """Replace a cell's source as a learner typing it would."""
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def new_cell_after(page, cell, text: str):
    """Insert a code cell below ``cell`` holding ``text``; return its locator."""
    cell.locator(".jp-InputPrompt").click()
    page.evaluate("window.jupyterapp.commands.execute('notebook:insert-cell-below')")
    page.evaluate("window.jupyterapp.commands.execute('notebook:enter-edit-mode')")
    page.wait_for_function("() => !!document.activeElement && "
                           "document.activeElement.matches('.jp-CodeCell.jp-mod-active .cm-content')")  # focused
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")
    return page.locator(".jp-CodeCell", has_text=text.split("\n")[-1]).last


def test_a_learner_works_an_exercise_sees_the_solution_after_trying_and_their_progress(learner_lab):
    (base, token, _), context, workspace = learner_lab
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{base}/lab/workspaces/learner00/tree/00_start_here.ipynb?reset&token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        wait_idle(page)
        exercise = page.locator(".jp-CodeCell", has_text="def central_difference").first
        check = page.locator(".jp-CodeCell", has_text=CHECK).first
        assert "raise NotImplementedError" in exercise.inner_text()
        assert "f(z - eps)) / (2 * eps)" not in page.locator(".jp-Notebook").inner_text()  # no solution on the page
        assert page.locator(".jp-Notebook .jp-OutputArea-output").count() == 0  # no stored output either

        run_all(page)
        assert "central_difference is not written yet" in check.locator(".jp-OutputArea").inner_text()

        reveal = new_cell_after(page, check, 'from nblib.solutions import show_solution\n\n'
                                             'show_solution("central_difference")')
        assert run(page, reveal).startswith("Not yet — try it first")  # a run of the stub is no attempt
        page.screenshot(path=str(SHOTS / "learner_00_before_attempt.png"))

        write(page, exercise, WRONG)
        run(page, exercise)
        message = run(page, check)
        assert message.startswith("✘ ") and "Traceback" not in message, message
        shown = run(page, reveal)
        assert "The course's solution to central_difference" in shown and "(2 * eps)" in shown, shown
        page.screenshot(path=str(SHOTS / "learner_00_solution.png"))

        write(page, exercise, RIGHT)
        run(page, exercise)
        assert "✔ central_difference is right" in run(page, check)

        progress = page.locator(".jp-CodeCell", has_text="show_progress()").first
        table = run(page, progress)
        assert "00" in table and "central_difference" in table and "passed (2 attempts)" in table, table
        assert progress.locator(".jp-OutputArea-output img").count() == 1
        recorded = json.loads((workspace / ".progress.json").read_text())
        assert recorded["checks"]["nblib.exercises.start.check_central_difference"] == {
            "attempts": 2, "passed": True, "last": "pass"}
        progress.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "learner_00_progress.png"))

        quiz = page.locator(".jp-CodeCell", has_text='questionnaire("00")').first
        run(page, quiz)
        first = quiz.locator(".bbh-question").first
        first.wait_for()
        first.scroll_into_view_if_needed()
        options = first.locator(".widget-radio-box input[type=radio]")
        feedback = first.locator(".bbh-feedback")
        from nblib.quiz import question

        right = "abcd".index(question("00", "q1").answer)
        verdicts = []
        for i in [*(i for i in range(options.count()) if i != right), right]:  # every wrong answer, then the right
            previous = feedback.inner_text().strip()   # each option's verdict explains it, so each text differs
            options.nth(i).check()
            first.locator("button", has_text="Check").click()
            page.wait_for_function("([el, before]) => { const t = el.innerText.trim(); return t.length > 0 && "
                                   "t !== before; }", arg=[feedback.element_handle(), previous])
            verdicts.append(feedback.inner_text().strip())
        assert verdicts[-1].startswith("✔") and all(v.startswith("✘") for v in verdicts[:-1]), verdicts
        assert all(len(v) > 20 for v in verdicts)  # each answer is explained
        page.screenshot(path=str(SHOTS / "learner_00_questionnaire.png"))
        answers = json.loads((workspace / ".progress.json").read_text())["questions"]["00"]
        assert answers["q1"] == {"attempts": len(verdicts), "correct": True}
    finally:
        page.close()
        shutdown_kernels(base, token)
