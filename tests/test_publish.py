"""`make publish-class` (tools/publish_class.py): the class edition as commits on a branch that nbgitpuller pulls.

Real git in a clone of this repository in tmp_path (with this working copy's uncommitted changes committed there), never
the developer's own repository; nbgrader's release for real; nbgitpuller's own GitPuller for the learner's copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BRANCH = "student"
FORBIDDEN = [b"BEGIN SOLUTION", b"END SOLUTION", b"HIDDEN TESTS"]


def git(repo: Path, *args: str, check: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout


def clone_course(dest: Path) -> Path:
    """A clone of this repository as this working copy has it (uncommitted changes committed in the clone)."""
    git(dest.parent, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest))
    git(dest, "config", "user.name", "Instructor")
    git(dest, "config", "user.email", "instructor@example.edu")
    changed = git(ROOT, "diff", "--name-only", "HEAD").split() + git(ROOT, "ls-files", "--others",
                                                                      "--exclude-standard").split()
    for name in changed:
        if (ROOT / name).exists():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
        else:
            (dest / name).unlink(missing_ok=True)
    if changed:
        git(dest, "add", "-A")
        git(dest, "commit", "--quiet", "-m", "the developer's working copy")
    return dest


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """What `make publish-class` runs, with this test run's Python (the course's .venv)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run([sys.executable, str(repo / "tools" / "publish_class.py"), *args], cwd=repo,
                          capture_output=True, text=True, env=env)


def state(repo: Path) -> dict[str, str]:
    """The instructor's checkout: HEAD, current branch, index, working tree."""
    return {"HEAD": git(repo, "rev-parse", "HEAD"), "branch": git(repo, "symbolic-ref", "HEAD"),
            "index": git(repo, "ls-files", "--stage"), "staged": git(repo, "diff", "--cached"),
            "status": git(repo, "status", "--porcelain", "--untracked-files=all"), "worktree": git(repo, "diff")}


def blobs(repo: Path, commit: str) -> dict[str, bytes]:
    names = git(repo, "ls-tree", "-r", "-z", "--name-only", commit).split("\0")
    return {name: subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{name}"], capture_output=True,
                                 check=True).stdout for name in names if name}


def read_nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_nb(path: Path, nb: dict) -> None:
    """A JSON edit, written the way nbformat writes (so the diff is the edited cell only)."""
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A clone of the course with its first class edition published on BRANCH."""
    repo = clone_course(tmp_path_factory.mktemp("publish") / "course")
    before = state(repo)
    result = publish(repo)
    assert result.returncode == 0, result.stderr + result.stdout
    return {"repo": repo, "before": before, "after": state(repo), "out": result.stdout,
            "first": git(repo, "rev-parse", BRANCH).strip(), "head": git(repo, "rev-parse", "HEAD").strip()}


def assert_no_solution(repo: Path, commit: str) -> dict[str, bytes]:
    """Every file of commit's tree: no solution or hidden-test marker, no instructor or nbgrader source notebook."""
    files = blobs(repo, commit)
    oids = {line.split("\t")[1]: line.split()[2] for line in git(repo, "ls-tree", "-r", commit).splitlines()}
    instructor = {line.split()[2]   # every version of every instructor notebook ever committed
                  for rev in git(repo, "rev-list", "HEAD", "--", "notebooks").split()
                  for line in git(repo, "ls-tree", "-r", rev, "notebooks").splitlines()}
    sources = {p.read_bytes() for p in (repo / "build" / "nbgrader" / "source").glob("*/*.ipynb")}
    assert sources
    for name, content in files.items():
        assert not any(marker in content for marker in FORBIDDEN), f"{name} holds a solution or hidden test"
        assert oids[name] not in instructor, f"{name}: an instructor notebook"
        assert content not in sources, f"{name}: an nbgrader source notebook"
        assert not name.startswith(("tests/", "build/")), name
        assert not name.endswith(".ipynb") or name.startswith("notebooks/"), name
    return files


def test_the_first_edition_is_an_orphan_commit_with_every_lesson_and_no_solution(course, tmp_path):
    repo, first, head = course["repo"], course["first"], course["head"]
    assert course["after"] == course["before"], "publishing changed the instructor's checkout"
    assert git(repo, "log", "-1", "--format=%P", first).strip() == "", "the first edition must be an orphan"
    assert git(repo, "merge-base", first, head, check=False) == "", "the class branch shares history with main"
    assert head in git(repo, "log", "-1", "--format=%B", first), "the message must name the source commit"
    assert f"git push origin {BRANCH}" in course["out"] and f"make hub-link BRANCH={BRANCH}" in course["out"]

    files = assert_no_solution(repo, first)
    lessons = git(repo, "ls-tree", "-r", "--name-only", head, "notebooks").split()
    assert lessons and sorted(n for n in files if n.endswith(".ipynb")) == lessons
    for name in lessons:   # every lesson's class edition, each exercise a stub
        edition = files[name].decode()
        assert "NotImplementedError" in edition, name
        assert edition == (repo / "build" / "student" / name).read_text(encoding="utf-8"), name
    for need in ("nblib/__init__.py", "data/digits.npz", "Makefile", "pyproject.toml", "requirements.lock",
                 "environment.yml", "postBuild", "README.md", "tools/workspace.py", "tools/lab_extension.py"):
        assert need in files, need

    # importable: a student's copy of the branch has nblib and its data
    copy = tmp_path / "copy"
    copy.mkdir()
    archive = subprocess.run(["git", "-C", str(repo), "archive", first], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive, check=True)
    probe = ("import nblib, nblib.exercises.sigmoid, nblib.data; "
             "print(nblib.__file__); print(len(nblib.data.digits_split()))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.split()[0]).is_relative_to(copy)
    # every tool `make lab` runs (setup included) is there, and its learner workspace builds from the class edition
    plan = subprocess.run(["make", "-n", "lab"], cwd=copy, capture_output=True, text=True)
    assert plan.returncode == 0, plan.stderr
    tools = set(re.findall(r"\btools/[\w/.-]+\.py\b", plan.stdout))
    assert "tools/workspace.py" in tools and all((copy / t).is_file() for t in tools), tools
    result = subprocess.run([sys.executable, "tools/workspace.py", str(tmp_path / "workspace")], cwd=copy,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "workspace").glob("*.ipynb")) == [Path(n).name for n in lessons]


def test_publishing_an_unchanged_edition_adds_no_commit(course):
    repo = course["repo"]
    tip, before = git(repo, "rev-parse", BRANCH), state(repo)
    result = publish(repo)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "unchanged" in result.stdout and "no commit" in result.stdout
    assert git(repo, "rev-parse", BRANCH) == tip
    assert state(repo) == before


def test_a_new_edition_merges_into_a_learners_copy_keeping_their_edits(course, tmp_path, monkeypatch):
    from nbgitpuller.pull import GitPuller

    repo = course["repo"]
    for name in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NBGITPULLER_DEPTH", "1")   # the default: a student's copy is a shallow clone
    url, learner = f"file://{repo}", tmp_path / "backprop-by-hand"
    for _ in GitPuller(url, str(learner), branch=BRANCH).pull():
        pass
    lesson, other = "notebooks/01_sigmoid_gradient.ipynb", "notebooks/03_matrix_shapes.ipynb"

    # the learner writes an exercise (an nbgrader solution cell) and commits nothing
    nb = read_nb(learner / lesson)
    exercise = next(i for i, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("solution"))
    original = (learner / lesson).read_text(encoding="utf-8")
    write_nb(learner / lesson, nb)
    assert (learner / lesson).read_text(encoding="utf-8") == original, "write_nb must write as nbformat does"
    answer = lines("def my_answer(z):\n    # the learner's own work\n    return z * (1 - z)\n")
    nb["cells"][exercise]["source"] = answer
    write_nb(learner / lesson, nb)
    assert git(learner, "diff", "--name-only").split() == [lesson]

    # the instructor changes another lesson, and another cell of the same lesson, in the source notebooks
    source = read_nb(repo / lesson)
    assert exercise > 3
    source["cells"][0]["source"] = lines("".join(source["cells"][0]["source"]) + "\n\n*Updated for this week.*")
    write_nb(repo / lesson, source)
    source = read_nb(repo / other)
    source["cells"][0]["source"] = lines("".join(source["cells"][0]["source"]) + "\n\n*Read this one first.*")
    write_nb(repo / other, source)
    git(repo, "commit", "--quiet", "-am", "Lessons 01 and 03: a note for the class")
    before = state(repo)
    result = publish(repo)
    assert result.returncode == 0, result.stderr + result.stdout
    assert state(repo) == before
    second = git(repo, "rev-parse", BRANCH).strip()
    assert git(repo, "log", "-1", "--format=%P", second).strip() == course["first"], "not on top of the last edition"
    changed = git(repo, "diff", "--name-only", course["first"], second).split()
    assert changed == [lesson, other], "only the two changed lessons differ"
    assert_no_solution(repo, second)

    # nbgitpuller's own update: fetch, commit the learner's changes, git merge -Xours origin/BRANCH
    log = "".join(GitPuller(url, str(learner), branch=BRANCH).pull())
    assert "CONFLICT" not in log
    git(learner, "merge-base", "--is-ancestor", second, "HEAD")   # fails unless the new edition was merged
    mine = read_nb(learner / lesson)
    assert mine["cells"][exercise]["source"] == answer, "the learner's edit was lost"
    assert "Updated for this week." in "".join(mine["cells"][0]["source"]), "the other cell's change did not arrive"
    assert "Read this one first." in "".join(read_nb(learner / other)["cells"][0]["source"])


def test_lessons_republishes_only_those_and_keeps_the_others_as_published(course):
    repo = course["repo"]
    tip = git(repo, "rev-parse", BRANCH).strip()
    lesson = "notebooks/02_chain_rule_W_ho_W_ih.ipynb"
    published = git(repo, "rev-parse", f"{tip}:{lesson}")
    source = read_nb(repo / lesson)
    source["cells"][0]["source"] = lines("".join(source["cells"][0]["source"]) + "\n\n*Not handed out yet.*")
    write_nb(repo / lesson, source)
    git(repo, "commit", "--quiet", "-am", "Lesson 02: a change for next week")

    result = publish(repo, "--lessons", "00")
    assert result.returncode == 0 and "no commit" in result.stdout, result.stderr + result.stdout
    assert git(repo, "rev-parse", BRANCH).strip() == tip and git(repo, "rev-parse", f"{tip}:{lesson}") == published

    result = publish(repo, "--lessons", "02")
    assert result.returncode == 0, result.stderr + result.stdout
    new = git(repo, "rev-parse", BRANCH).strip()
    assert git(repo, "log", "-1", "--format=%P", new).strip() == tip
    assert git(repo, "diff", "--name-only", tip, new).split() == [lesson]
    assert "Not handed out yet." in git(repo, "show", f"{new}:{lesson}")
    message = git(repo, "log", "-1", "--format=%B", new)
    assert "lessons 02 from" in message and "Lessons kept as published before: 00, 01, 03" in message


def test_publishing_refuses_what_would_publish_something_else_or_touch_the_checkout(tmp_path):
    repo = clone_course(tmp_path / "course")
    (repo / "notebooks" / "01_sigmoid_gradient.ipynb").write_text("{}", encoding="utf-8")
    result = publish(repo)
    assert result.returncode == 1 and "uncommitted" in result.stderr and "01_sigmoid_gradient" in result.stderr
    git(repo, "checkout", "--quiet", "--", "notebooks")

    result = publish(repo, "--lessons", "42")
    assert result.returncode != 0 and "no lesson 42" in result.stderr and "usage:" in result.stderr

    git(repo, "branch", "by-hand")   # a branch made from main holds the solutions in its history
    result = publish(repo, "--branch", "by-hand")
    assert result.returncode == 1 and "shares history" in result.stderr

    git(repo, "update-ref", "refs/remotes/origin/handed-out", git(repo, "rev-parse", "HEAD").strip())
    result = publish(repo, "--branch", "handed-out")   # published from another clone: build on it, not beside it
    assert result.returncode == 1 and "git branch handed-out origin/handed-out" in result.stderr

    current = git(repo, "symbolic-ref", "--short", "HEAD").strip()
    result = publish(repo, "--branch", current)
    assert result.returncode == 1 and "checked out" in result.stderr
    assert not (repo / "build").exists(), "a refused publish must not build anything"
