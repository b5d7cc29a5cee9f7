"""Progress in the learner's workspace (nblib.progress, nblib.solutions, nblib.progress_report): every check run is
recorded, a broken progress file never breaks a check, and a solution opens only after an attempt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nblib import progress
from nblib.exercises.feedback import CheckFailed
from nblib.exercises.sigmoid import check_sigmoid_gradient

ROOT = Path(__file__).resolve().parent.parent
KEY = "nblib.exercises.sigmoid.check_sigmoid_gradient"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    import workspace

    folder = tmp_path_factory.mktemp("template") / "workspace"
    workspace.sync(folder)
    return folder


@pytest.fixture
def ws(template, tmp_path, monkeypatch):
    """A fresh workspace (a copy of one built by tools/workspace.py) as the kernel's working directory."""
    folder = tmp_path / "workspace"
    folder.mkdir()
    (folder / progress.MANIFEST).write_text((template / progress.MANIFEST).read_text().replace(
        '"source": "', f'"source": "{os.path.relpath(template, folder)}/'), encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("BACKPROP_WORKSPACE", raising=False)
    monkeypatch.setattr(progress, "_memory", None)
    monkeypatch.setattr(progress, "_said", set())
    return folder


def stub(z):
    raise NotImplementedError("Write the body of sigmoid_gradient()")


def wrong(z):
    return np.asarray(z, dtype=float)


def right(z):
    s = 1 / (1 + np.exp(-np.abs(np.asarray(z, dtype=float))))
    return s * (1 - s)


def run(fn):
    try:
        check_sigmoid_gradient(fn)
        return "pass"
    except CheckFailed:
        return "fail"


def record(folder: Path) -> dict:
    return json.loads((folder / progress.PROGRESS).read_text())


def test_nothing_is_recorded_outside_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_WORKSPACE", raising=False)
    assert run(right) == "pass"
    assert list(tmp_path.iterdir()) == []
    assert progress.attempts(KEY) == 0


def test_a_stub_run_is_not_an_attempt_a_wrong_one_is_and_a_pass_is_kept(ws):
    assert run(stub) == "fail"
    assert record(ws)["checks"][KEY] == {"attempts": 0, "passed": False, "last": "stub"}
    assert run(wrong) == "fail"
    assert record(ws)["checks"][KEY] == {"attempts": 1, "passed": False, "last": "fail"}
    assert run(right) == "pass"
    assert run(wrong) == "fail"
    assert record(ws)["checks"][KEY] == {"attempts": 3, "passed": True, "last": "fail"}


def test_a_check_called_inside_another_is_recorded_once(ws):
    @progress.recorded
    def inner(x):
        return x

    @progress.recorded
    def outer(x):
        return inner(x)

    outer(1)
    checks = record(ws)["checks"]
    assert list(checks) == [f"{__name__}.outer"] and checks[f"{__name__}.outer"]["attempts"] == 1


def test_answers_are_recorded_per_lesson_and_question(ws):
    progress.record_answer("01", "q2", False)
    progress.record_answer("01", "q2", True)
    assert record(ws)["questions"] == {"01": {"q2": {"attempts": 2, "correct": True}}}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"checks": [], "questions": {}}',
                                     '{"checks": {"x": 3}, "questions": {}}', "\x00\x01"])
def test_a_corrupted_progress_file_never_breaks_a_check(ws, capsys, content):
    (ws / progress.PROGRESS).write_text(content)
    assert run(right) == "pass" and run(wrong) == "fail"
    out, err = capsys.readouterr()
    assert "✔ sigmoid_gradient is right" in out
    assert err.count("(progress)") == 1 and "moved to .progress.json.corrupt" in err  # said once
    assert (ws / ".progress.json.corrupt").read_text() == content  # kept for the learner, not lost
    assert record(ws)["checks"][KEY]["attempts"] == 2


def test_a_read_only_progress_file_never_breaks_a_check(ws, capsys, monkeypatch):
    (ws / progress.PROGRESS).write_text(json.dumps(progress.empty()))
    if os.geteuid() == 0:  # root writes through permission bits: refuse the write the way a read-only folder does
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(progress.tempfile, "mkstemp", refuse)
    else:
        os.chmod(ws / progress.PROGRESS, 0o444)
        os.chmod(ws, 0o555)
    try:
        assert run(right) == "pass" and run(wrong) == "fail" and run(wrong) == "fail"
        out, err = capsys.readouterr()
        assert out.count("✔") == 1
        assert err.count("(progress)") == 1 and "kept in this kernel only" in err
        assert progress.attempts(KEY) == 3  # kept in memory for this kernel: a solution can still open
    finally:
        os.chmod(ws, 0o755)
    assert record(ws)["checks"] == {}  # the file itself was left alone


def test_a_missing_progress_file_is_created(ws):
    assert not (ws / progress.PROGRESS).exists()
    run(wrong)
    assert record(ws)["checks"][KEY]["attempts"] == 1


# --- show_solution ------------------------------------------------------------------------------------------------


def shown(capsys, *args, **kwargs) -> str:
    from nblib.solutions import show_solution

    show_solution(*args, **kwargs)
    return capsys.readouterr().out


def test_the_solution_opens_only_after_an_attempt_on_the_learners_own_code(ws, capsys):
    assert shown(capsys, "sigmoid_gradient").startswith("Not yet — try it first")
    run(stub)
    capsys.readouterr()
    assert shown(capsys, "sigmoid_gradient").startswith("Not yet — try it first")
    run(wrong)
    capsys.readouterr()
    text = shown(capsys, "sigmoid_gradient")
    assert "def sigmoid_gradient(z):" in text and "sig * (1.0 - sig)" in text and "BEGIN SOLUTION" not in text


def test_the_solution_is_the_instructors_cell(ws):
    from nblib.solutions import solution_source

    source = solution_source(ROOT / "notebooks" / "01_sigmoid_gradient.ipynb", "tanh_gradient")
    assert source.startswith("def tanh_gradient(z):") and "1.0 - th * th" in source


def test_no_solution_outside_a_workspace(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_WORKSPACE", raising=False)
    assert "only in your self-study workspace" in shown(capsys, "sigmoid_gradient")


def test_no_solution_where_the_instructors_lessons_are_absent(ws, capsys):
    manifest = json.loads((ws / progress.MANIFEST).read_text())
    manifest["source"] = "nowhere"  # e.g. the class edition: its branch has no instructor notebooks
    (ws / progress.MANIFEST).write_text(json.dumps(manifest))
    run(wrong)
    capsys.readouterr()
    assert "ships no solutions" in shown(capsys, "sigmoid_gradient")


def test_unknown_and_ambiguous_names_are_explained(ws, capsys):
    assert 'No exercise named "sigmoid_grad" — did you mean sigmoid_gradient' in shown(capsys, "sigmoid_grad")
    manifest = json.loads((ws / progress.MANIFEST).read_text())
    first = next(e for e in manifest["exercises"] if e["name"] == "sigmoid_gradient")
    manifest["exercises"].append({**first, "lesson": "99"})  # one function name in two lessons
    (ws / progress.MANIFEST).write_text(json.dumps(manifest))
    assert f'add lesson="{first["lesson"]}" or lesson="99"' in shown(capsys, "sigmoid_gradient")
    with pytest.raises(TypeError, match="name must be the exercise's function name"):
        shown(capsys, 3)


# --- the progress table and figure ---------------------------------------------------------------------------------


def test_the_table_and_figure_count_passes_attempts_and_answers(ws):
    from nblib.progress_report import figure, summary, table

    run(wrong)
    run(right)
    progress.record_answer("01", "q1", True)
    progress.record_answer("01", "q2", False)
    rows = summary(ws)
    one = next(r for r in rows if r["lesson"] == "01")
    assert (one["passed"], len(one["exercises"]), one["attempts"], one["right"]) == (1, 5, 2, 1)
    assert one["questions"] >= 5
    text = table(rows)
    assert "sigmoid_gradient" in text and "passed (2 attempts)" in text
    import re

    assert re.search(r"^01 +1 / 5 +2 +1 / 6$", text, re.M), text
    fig = figure(rows)
    total = sum(len(r["exercises"]) for r in rows)
    assert fig.axes[0].get_title().startswith(f"Your progress: 1 of {total} exercises passed,\n1 of ")
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_show_progress_outside_a_workspace_says_where_progress_is(tmp_path, monkeypatch, capsys):
    from nblib.progress_report import NOT_A_WORKSPACE, show_progress

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_WORKSPACE", raising=False)
    show_progress()
    assert capsys.readouterr().out.strip() == NOT_A_WORKSPACE


def test_make_progress_command_line(ws, tmp_path):
    run(wrong)
    command = [sys.executable, "-m", "nblib.progress_report"]
    done = subprocess.run([*command, str(ws)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "exercises passed" in done.stdout and (ws / "progress.png").stat().st_size > 0
    missing = subprocess.run([*command, str(tmp_path / "none")], capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 1 and "make lab" in missing.stderr
    usage = subprocess.run([*command, "-x"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "usage:" in usage.stderr
