"""Publish the class edition on a branch for nbgitpuller links (`make publish-class`).

    python tools/publish_class.py [--branch student] [--lessons 00 01 …] [--repo PATH]

1. Builds the class edition with nbgrader: ``tools/grade.py release`` (build/nbgrader/, which grading compares
   against, and build/student/notebooks/). The lessons and their builders (notebooks/, tools/) must be committed:
   the edition is the source commit's, and its commit message names that commit.
2. Adds one commit on the local branch BRANCH. Its tree is the course as a student needs it, taken from the source
   commit (``PATHS``: nblib/, data/, Makefile, pyproject.toml, requirements.lock, environment.yml, postBuild, the
   tools `make lab` runs) with notebooks/ holding the class edition and README.md saying what the branch is — no
   instructor notebook, no test, no nbgrader source, no file containing a solution marker (checked on every file
   before committing). The commit is made with git plumbing and a temporary index (GIT_INDEX_FILE, ``write-tree``,
   ``commit-tree``, ``update-ref``): the instructor's working tree, index and current branch are never touched.
   * The first edition is an orphan commit: the branch shares no history with main, whose commits hold the
     solutions (a branch that does is refused).
   * Each later edition is a commit on top of the previous one. nbgitpuller relies on that: on a student's next
     click it commits the student's changes and runs ``git merge -Xours origin/BRANCH``, which brings the new
     edition while keeping the student's edits (where both changed the same lines, the student's win).
   * An edition identical to the branch's adds no commit.
   * ``--lessons`` republishes only those lessons; the branch's other lessons stay as they were published (a lesson
     is never taken away from a class). Default: every lesson.
3. Never pushes: prints the ``git push`` command, and the ``make hub-link`` command for the links.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a student's copy needs besides the lessons, taken from the source commit as committed: the helpers and data the
# lessons import and read, and what `make lab` (setup, the alt-text extension, the learner's workspace) runs.
PATHS = ["nblib", "data", "Makefile", "pyproject.toml", "requirements.lock", "environment.yml", "postBuild",
         ".gitignore", ".gitattributes", "tools/lab_extension.py", "tools/lab_alt_text", "tools/workspace.py",
         "tools/student_edition.py"]
# Refused anywhere in the published tree (spelled in two parts so that this file could be published too).
FORBIDDEN = ["### BEGIN " + "SOLUTION", "### END " + "SOLUTION", "BEGIN " + "HIDDEN TESTS"]
README = """\
# Backprop by Hand — class edition

This branch is the class edition of Backprop by Hand, a Jupyter course that derives, runs and checks
neural-network backpropagation. Your instructor hands it out with an nbgitpuller link: each click opens a
lesson and brings the newest edition into your copy while keeping your own edits.

* The lessons are in `notebooks/`. Each exercise raises `NotImplementedError` until you write it; the check cell
  after it says precisely what is wrong, and a passing check prints one line starting with ✔.
* The check cells are locked: an edited check is put back before grading.
* On your own computer: `make lab` (Python ≥ 3.11.5) installs the pinned packages into `.venv` and opens
  JupyterLab; with conda, `conda env create -f environment.yml`.
* Hand in each lesson under its own name (e.g. `01_sigmoid_gradient.ipynb`) as your instructor asks.

Made from the course's instructor notebooks by `make publish-class`; do not edit this branch by hand.
"""


class PublishError(RuntimeError):
    """Publishing is refused or failed; the message says why and what to do."""


def git(repo: Path, *args: str, env: dict | None = None, input: str | None = None, check: bool = True) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, input=input,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise PublishError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
    return result.stdout


def resolve(repo: Path, ref: str) -> str | None:
    out = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).strip()
    return out or None


def selected_lessons(repo: Path, lessons: list[str] | None) -> list[str]:
    """The lesson stems to publish, matched the way tools/grade.py release matches them (name or number)."""
    stems = sorted(p.stem for p in (repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        return stems
    unknown = [name for name in lessons if not any(name in (s, s[:2]) for s in stems)]
    if unknown:
        raise PublishError(f"no lesson {', '.join(unknown)}; the lessons are {', '.join(s[:2] for s in stems)}")
    return [s for s in stems if s in lessons or s[:2] in lessons]


def check_source(repo: Path, branch: str) -> tuple[str, str]:
    """The source commit and its branch name; refuses what would publish something else or touch the checkout."""
    head = resolve(repo, "HEAD")
    if head is None:
        raise PublishError(f"{repo} has no commit to publish from")
    source_branch = git(repo, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip() or "HEAD"
    ref = f"refs/heads/{branch}"
    valid = subprocess.run(["git", "check-ref-format", ref], capture_output=True).returncode == 0
    if not valid or branch.startswith("-"):
        raise PublishError(f"{branch!r} is not a valid branch name")
    checked_out = re.findall(r"^branch (\S+)$", git(repo, "worktree", "list", "--porcelain"), re.M)
    if ref in checked_out:
        raise PublishError(f"branch {branch} is checked out (here or in another worktree): publishing would change "
                           "the files under someone's feet; check out another branch, or choose BRANCH=…")
    dirty = git(repo, "status", "--porcelain", "--", "notebooks", "tools").splitlines()
    if dirty:
        raise PublishError("the lessons or the tools that build the edition have uncommitted changes; commit them "
                           "(the edition names the commit it was made from) or stash them:\n  " + "\n  ".join(dirty))
    tip = resolve(repo, ref)
    remote = git(repo, "for-each-ref", "--format=%(refname:short)", f"refs/remotes/*/{branch}").split()
    if tip is None and remote:
        raise PublishError(f"there is no local branch {branch}, but {remote[0]} exists: a new edition must go on top "
                           f"of the one students have, so create it first (git branch {branch} {remote[0]})")
    if tip is not None and git(repo, "merge-base", tip, head, check=False).strip():
        raise PublishError(f"branch {branch} shares history with {source_branch}: its commits hold the instructor's "
                           "solutions, and students could read them there. Publish on a new branch (BRANCH=…), or "
                           f"delete this one first (git branch -D {branch}) if it was never handed out")
    return head, source_branch


def build(repo: Path, stems: list[str], lessons: list[str] | None) -> dict[str, Path]:
    """Run tools/grade.py release (the course's one nbgrader path) in repo; the class edition of each lesson."""
    out = repo / "build" / "student" / "notebooks"
    for stem in stems:   # a file left by an earlier release must not pass for this one
        (out / f"{stem}.ipynb").unlink(missing_ok=True)
    command = [sys.executable, str(repo / "tools" / "grade.py"), "release", *(lessons or [])]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"tools/grade.py release failed:\n{result.stdout}{result.stderr}")
    written = {stem: out / f"{stem}.ipynb" for stem in stems}
    missing = [stem for stem, path in written.items() if not path.is_file()]
    if missing:
        raise PublishError(f"tools/grade.py release wrote no class edition of {', '.join(missing)}")
    return written


def index_entries(repo: Path, treeish: str, paths: list[str]) -> list[str]:
    """`git ls-tree -r` lines (mode type oid<TAB>path) of paths in treeish."""
    return [line for line in git(repo, "ls-tree", "-r", "-z", treeish, "--", *paths).split("\0") if line]


def stem_of(entry: str) -> str:
    return Path(entry.split("\t", 1)[1]).stem


def forbidden_files(repo: Path, entries: list[str]) -> list[str]:
    """Each published file containing a solution or hidden-test marker, with the marker."""
    blobs = [(line.split()[2], line.split("\t", 1)[1]) for line in entries if line.split()[1] == "blob"]
    data = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], capture_output=True, check=True,
                          input="".join(f"{oid}\n" for oid, _ in blobs).encode()).stdout
    found, pos = [], 0
    for _, path in blobs:
        header_end = data.index(b"\n", pos)
        size = int(data[pos:header_end].split()[2])
        content = data[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1
        found += [f"{path}: {marker}" for marker in FORBIDDEN if marker.encode() in content]
    return found


def publish(repo: Path = ROOT, branch: str = "student", lessons: list[str] | None = None,
            log=print) -> str | None:
    """Build and commit the class edition on ``branch``; the new commit, or None when the edition is unchanged."""
    repo = Path(repo).resolve()
    stems = selected_lessons(repo, lessons)
    head, source_branch = check_source(repo, branch)
    ref = f"refs/heads/{branch}"
    parent = resolve(repo, ref)
    editions = build(repo, stems, lessons)
    log(f"built the class edition of {', '.join(s[:2] for s in stems)} with nbgrader (tools/grade.py release)")

    entries = index_entries(repo, head, PATHS)
    kept = []
    if parent is not None:   # lessons published before and not rebuilt now stay as they were
        kept = [line for line in index_entries(repo, parent, ["notebooks"])
                if stem_of(line) not in stems]
    files = {f"notebooks/{stem}.ipynb": path for stem, path in editions.items()}
    with tempfile.TemporaryDirectory() as tmp:
        readme = Path(tmp) / "README.md"
        readme.write_text(README, encoding="utf-8")
        files["README.md"] = readme
        oids = git(repo, "hash-object", "-w", "--stdin-paths", input="".join(f"{p}\n" for p in files.values()))
        entries += kept + [f"100644 blob {oid}\t{name}" for name, oid in zip(files, oids.split())]
        bad = forbidden_files(repo, entries)
        if bad:
            raise PublishError("refusing to publish: these files would hand out solutions or hidden tests:\n  "
                               + "\n  ".join(bad))
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}   # a temporary index: the instructor's stays untouched
        git(repo, "update-index", "--add", "-z", "--index-info", env=env,
            input="".join(f"{line}\0" for line in entries))
        tree = git(repo, "write-tree", env=env).strip()
    republished = ", ".join(s[:2] for s in stems)
    if parent is not None and git(repo, "rev-parse", f"{parent}^{{tree}}").strip() == tree:
        log(f"the class edition is unchanged: branch {branch} stays at {parent[:12]} (no commit added)")
        return None
    subject = git(repo, "log", "-1", "--format=%s", head).strip()
    message = (f"Class edition of lessons {republished} from {source_branch} {head[:12]}\n\n"
               f"Made by tools/publish_class.py (nbgrader, tools/grade.py release) from commit {head}\n"
               f"({subject[:100]}).\n")
    if kept:
        message += f"Lessons kept as published before: {', '.join(stem_of(k)[:2] for k in kept)}.\n"
    commit = git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), input=message).strip()
    git(repo, "update-ref", "-m", f"publish_class: class edition from {head[:12]}", ref, commit, parent or "")
    what = f"on top of the previous edition {parent[:12]}" if parent else "as the first commit of a new orphan branch"
    log(f"branch {branch}: added {commit[:12]} {what} (class edition of {republished} from "
        f"{source_branch} {head[:12]}); your working tree, index and branch are untouched")
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branch", default="student", help="the branch students pull (default: student)")
    parser.add_argument("--lessons", nargs="*", help="lesson numbers or names to (re)publish (default: all)")
    parser.add_argument("--repo", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.branch or args.branch.startswith("-") or any(c.isspace() for c in args.branch):
        parser.error(f"--branch must be a branch name such as student, got {args.branch!r}")
    if args.lessons is not None and not args.lessons:
        parser.error("--lessons needs at least one lesson number or name (leave it out for every lesson)")
    try:
        selected_lessons(args.repo, args.lessons)
    except PublishError as error:
        parser.error(f"--lessons: {error}")  # the usage line, exit status 2
    try:
        publish(args.repo, args.branch, args.lessons or None)
    except PublishError as error:
        print(f"publish_class: {error}", file=sys.stderr)
        return 1
    remote = git(args.repo, "remote", check=False).split()
    print("\nNothing was pushed. To hand it out:")
    print(f"  git push origin {args.branch}" + ("" if "origin" in remote else
                                                "     (first: git remote add origin <your fork's URL>)"))
    print(f"  make hub-link BRANCH={args.branch} LESSON=01 HUB=https://your-hub.example.edu   # one link per lesson")
    return 0


if __name__ == "__main__":
    sys.exit(main())
