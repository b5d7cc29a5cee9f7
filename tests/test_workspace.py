"""The learner's workspace (tools/workspace.py, `make lab`): every lesson as the exercise edition, no solution and no
stored output anywhere, and the learner's work never lost — across restarts, course updates and `git pull`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def tool():
    import workspace

    return workspace


def solution_only_lines(nb) -> set[str]:
    """Lines (stripped, ≥ 8 characters) that stand inside a solution span and nowhere else in the lesson."""
    inside, outside = set(), set()
    for cell in nb.cells:
        keep = True
        for line in cell.source.split("\n"):
            text = line.strip()
            if text.startswith(BEGIN):
                keep = False
                continue
            if text.startswith(END):
                keep = True
                continue
            (outside if keep else inside).add(text)
    return {line for line in inside - outside if len(line) >= 8}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ws") / "workspace"
    messages = tool().sync(folder)
    return folder, messages


def test_the_manifest_is_the_one_nblib_reads():
    from nblib import progress

    assert tool().MANIFEST == progress.MANIFEST


def test_first_run_writes_every_lesson_and_the_manifest(built):
    folder, messages = built
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [p.name for p in LESSONS]
    assert messages == [f"added {p.name}" for p in LESSONS]
    manifest = json.loads((folder / tool().MANIFEST).read_text())
    assert (folder / manifest["source"]).resolve() == (ROOT / "notebooks").resolve()
    assert len(manifest["exercises"]) == sum(
        1 for p in LESSONS for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code" and BEGIN in c.source)


def test_every_exercise_names_a_recorded_check(built):
    folder, _ = built
    manifest = json.loads((folder / tool().MANIFEST).read_text())
    for exercise in manifest["exercises"]:
        module, name = exercise["check"].rsplit(".", 1)
        check = getattr(import_module(module), name)
        assert getattr(check, "check_key", None) == exercise["check"], f"{exercise['check']} is not @recorded"
        assert exercise["notebook"].startswith(exercise["lesson"])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_the_learner_edition_has_no_solution_and_no_output(built, path):
    folder, _ = built
    learner = nbformat.read(folder / path.name, as_version=4)
    instructor = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in learner.cells)
    assert BEGIN not in text and END not in text
    leaked = [line for line in solution_only_lines(instructor) if line in text]
    assert not leaked, f"solution lines in the learner's {path.name}: {leaked[:3]}"
    for cell in learner.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in learner.metadata  # no saved widget state
    exercises = [c for c in instructor.cells if c.cell_type == "code" and BEGIN in c.source]
    assert text.count("raise NotImplementedError") >= len(exercises)
    assert text.count("Tier 3 — the solution, after you have tried") == len(exercises)


def test_every_solution_tier_names_its_exercise_unambiguously(built):
    folder, _ = built
    manifest = json.loads((folder / tool().MANIFEST).read_text())
    names = [e["name"] for e in manifest["exercises"]]
    for exercise in manifest["exercises"]:
        text = (folder / exercise["notebook"]).read_text()
        lesson = f', lesson=\\"{exercise["lesson"]}\\"' if names.count(exercise["name"]) > 1 else ""
        assert f'show_solution(\\"{exercise["name"]}\\"{lesson})' in text


def test_the_edition_is_the_same_bytes_every_time(built, tmp_path):
    folder, _ = built
    again = tmp_path / "again"
    tool().sync(again)
    for path in LESSONS:
        assert (again / path.name).read_bytes() == (folder / path.name).read_bytes(), path.name


def edit_cell(path: Path, marker: str, text: str) -> None:
    """Change the first code cell whose source contains ``marker``, as a learner's save would."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and marker in c.source)
    cell.source = cell.source.replace(marker, text)
    nbformat.write(nb, path)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
                          ).stdout


def test_a_restart_keeps_the_learners_edits_and_changes_nothing(tmp_path):
    folder = tmp_path / "workspace"
    tool().sync(folder)
    lesson = folder / "01_sigmoid_gradient.ipynb"
    edit_cell(lesson, "raise NotImplementedError", "return z  # my attempt\n    raise NotImplementedError")
    mine = lesson.read_bytes()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert tool().sync(folder) == []
    assert lesson.read_bytes() == mine
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_deleted_lesson_is_written_again(tmp_path):
    folder = tmp_path / "workspace"
    tool().sync(folder)
    (folder / "03_matrix_shapes.ipynb").unlink()
    assert tool().sync(folder) == ["restored 03_matrix_shapes.ipynb"]
    assert (folder / "03_matrix_shapes.ipynb").exists()


def test_a_lesson_the_course_renames_leaves_no_stale_copy_and_keeps_the_learners_work(tmp_path):
    """Renumbered lessons (issue 25 split lesson 05): after the course renames a lesson, an untouched copy of the old
    name goes, one the learner worked in stays with one line saying so, and the new name is added."""
    source, folder = tmp_path / "notebooks", tmp_path / "workspace"
    source.mkdir()
    for name in ("00_start_here.ipynb", "01_sigmoid_gradient.ipynb", "03_matrix_shapes.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, source / name)
    tool().sync(folder, source)
    edit_cell(folder / "01_sigmoid_gradient.ipynb", "raise NotImplementedError",
              "return z  # my attempt\n    raise NotImplementedError")
    mine = (folder / "01_sigmoid_gradient.ipynb").read_bytes()
    (source / "01_sigmoid_gradient.ipynb").rename(source / "02_sigmoid_gradient.ipynb")
    (source / "03_matrix_shapes.ipynb").rename(source / "04_matrix_shapes.ipynb")
    messages = tool().sync(folder, source)
    assert "removed 03_matrix_shapes.ipynb: the course no longer has it, and you had not changed it" in messages
    assert "added 04_matrix_shapes.ipynb" in messages and "added 02_sigmoid_gradient.ipynb" in messages
    assert any(m.startswith("01_sigmoid_gradient.ipynb is no longer a lesson of the course") for m in messages)
    assert not (folder / "03_matrix_shapes.ipynb").exists()
    assert (folder / "01_sigmoid_gradient.ipynb").read_bytes() == mine
    assert tool().sync(folder, source) == [m for m in messages if "is no longer a lesson" in m]


@pytest.fixture
def course_and_learner(tmp_path):
    """An upstream clone of this repository and a learner's clone of it with a workspace, one lesson edited."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    upstream, learner = tmp_path / "upstream", tmp_path / "learner"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(upstream)], check=True)
    # The lessons as they are in this working tree (the test may run before they are committed).
    for path in LESSONS:
        shutil.copy(path, upstream / "notebooks" / path.name)
    (upstream / ".gitignore").write_text((ROOT / ".gitignore").read_text())
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "--allow-empty", "-m", "the course as it is")
    subprocess.run(["git", "clone", "-q", str(upstream), str(learner)], check=True)
    workspace = learner / "workspace"
    tool().sync(workspace, learner / "notebooks")
    edit_cell(workspace / "01_sigmoid_gradient.ipynb", "raise NotImplementedError",
              "return z  # my attempt\n    raise NotImplementedError")
    return upstream, learner, workspace


def test_a_git_pull_and_make_lab_keep_the_learners_work(course_and_learner):
    upstream, learner, workspace = course_and_learner
    mine = (workspace / "01_sigmoid_gradient.ipynb").read_bytes()
    untouched = (workspace / "02_chain_rule_W_ho_W_ih.ipynb").read_bytes()
    # The course changes lesson 01 (edited by the learner) and 02 (untouched), and gains a lesson.
    for name in ("01_sigmoid_gradient.ipynb", "02_chain_rule_W_ho_W_ih.ipynb"):
        nb = nbformat.read(upstream / "notebooks" / name, as_version=4)
        nb.cells[0].source += "\n\n*Updated course text.*"
        nbformat.write(nb, upstream / "notebooks" / name)
    shutil.copy(upstream / "notebooks" / "00_start_here.ipynb", upstream / "notebooks" / "10_new_lesson.ipynb")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "a newer course")
    assert git(learner, "status", "--porcelain") == ""  # the workspace is ignored: nothing tracked was edited
    git(learner, "pull", "-q", "--no-rebase")
    messages = tool().sync(workspace, learner / "notebooks")

    assert (workspace / "01_sigmoid_gradient.ipynb").read_bytes() == mine  # never overwritten
    updated = workspace / "01_sigmoid_gradient.updated.ipynb"
    assert "*Updated course text.*" in updated.read_text()
    assert any("01_sigmoid_gradient.updated.ipynb" in m and "yours is untouched" in m for m in messages)
    two = (workspace / "02_chain_rule_W_ho_W_ih.ipynb").read_bytes()
    assert two != untouched and b"*Updated course text.*" in two  # untouched: brought up to date
    assert "updated 02_chain_rule_W_ho_W_ih.ipynb (you had not changed it)" in messages
    assert "added 10_new_lesson.ipynb" in messages
    assert git(learner, "status", "--porcelain") == ""

    # The next make lab reminds the learner of the waiting update and changes nothing.
    again = tool().sync(workspace, learner / "notebooks")
    assert again == [m for m in messages if "updated.ipynb" in m]
    assert (workspace / "01_sigmoid_gradient.ipynb").read_bytes() == mine

    # Once the learner takes the new version (renames it over theirs), nothing is offered any more.
    updated.replace(workspace / "01_sigmoid_gradient.ipynb")
    assert tool().sync(workspace, learner / "notebooks") == []
    assert not updated.exists()


def test_an_updated_copy_the_learner_edited_is_not_replaced(course_and_learner):
    upstream, learner, workspace = course_and_learner
    name = "01_sigmoid_gradient.ipynb"
    for text in ("first update", "second update"):
        nb = nbformat.read(learner / "notebooks" / name, as_version=4)
        nb.cells[0].source += f"\n\n*{text}*"
        nbformat.write(nb, learner / "notebooks" / name)
        messages = tool().sync(workspace, learner / "notebooks")
        updated = workspace / "01_sigmoid_gradient.updated.ipynb"
        if text == "first update":
            edit_cell(updated, "raise NotImplementedError", "return 0  # edited the updated copy\n    "
                                                              "raise NotImplementedError")
            edited = updated.read_bytes()
    assert updated.read_bytes() == edited
    assert any("holds your edits" in m for m in messages)


def test_the_command_line(tmp_path):
    folder = tmp_path / "ws"
    first = subprocess.run([sys.executable, str(ROOT / "tools" / "workspace.py"), str(folder)], capture_output=True,
                           text=True, check=True, cwd=tmp_path)
    assert re.search(r"your copy of every lesson is in ws/", first.stdout)
    second = subprocess.run([sys.executable, str(ROOT / "tools" / "workspace.py"), str(folder)], capture_output=True,
                            text=True, check=True, cwd=tmp_path)
    assert second.stdout == ""
    wrong = subprocess.run([sys.executable, str(ROOT / "tools" / "workspace.py"), "a", "b"], capture_output=True,
                           text=True)
    assert wrong.returncode == 2 and "usage:" in wrong.stderr


def test_the_workspace_is_ignored_by_git():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(["git", "check-ignore", "-q", "workspace/01_sigmoid_gradient.ipynb"], cwd=ROOT)
    assert result.returncode == 0


def test_site_and_slides_editions():
    """tools/build_html.py reads each lesson as the learner's edition unless the instructor's is asked for."""
    import build_html

    for path in LESSONS:
        lines = solution_only_lines(nbformat.read(path, as_version=4))
        learner = "\n".join(c.source for c in build_html.read_lesson(path, "learner").cells)
        instructor = "\n".join(c.source for c in build_html.read_lesson(path, "instructor").cells)
        assert not [line for line in lines if line in learner]
        assert all(line in instructor for line in lines)
    with pytest.raises(ValueError, match="edition must be one of learner, instructor"):
        build_html.read_lesson(LESSONS[0], "student")
    with pytest.raises(SystemExit):
        build_html.main(["site", "--edition", "student"])


@pytest.mark.parametrize("name", ["02_chain_rule_W_ho_W_ih.ipynb", "07_octave_style_yv_backprop.ipynb"])
def test_a_workspace_lesson_runs_from_there_until_its_first_exercise(built, name):
    """Data, figures and explorers work in the workspace as in notebooks/: run top to bottom, the first error is the
    first check saying its exercise is not written yet."""
    from nbclient import NotebookClient

    folder, _ = built
    nb = nbformat.read(folder / name, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as stopped:
        client.execute()
    assert "not written yet" in str(stopped.value)
    ran = [c for c in nb.cells if c.cell_type == "code" and c.execution_count]
    assert sum("image/png" in o.get("data", {}) for c in ran for o in c.outputs) >= 1  # figures drew
    assert not any(o.output_type == "error" for c in ran[:-1] for o in c.outputs)


@pytest.mark.parametrize("source", [
    "def f(x):\n    ### BEGIN " + "SOLUTION\n    return 2 * x\n",
    "def f(x):\n    return 2 * x\n    ### END " + "SOLUTION\n",
    "def f(x):\n    ### BEGIN " + "SOLUTION\n    return 2 * x\n    ### END " + "SOLUTION\n    ### BEGIN " + "SOLUTION\n"
    "    secret = 1\n",
])
def test_an_unpaired_solution_marker_stops_every_edition(source):
    """A solution marker without its partner would keep the solution on the learner's page: refused, named."""
    import student_edition

    with pytest.raises(ValueError, match="solution marker without its partner"):
        student_edition.strip_solutions(source)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    with pytest.raises(ValueError, match="unpaired"):
        student_edition.learner_notebook(nb, "01")
