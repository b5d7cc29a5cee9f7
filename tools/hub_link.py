"""Print the nbgitpuller link that puts the course into every student's home on a JupyterHub (`make hub-link`).

A student who clicks it logs in to the hub, gets their server started, has ``REPO`` (branch ``BRANCH``) cloned into
``~/TARGET`` — or updated, keeping their own changes — and lands on the lesson in JupyterLab:

    HUB/hub/user-redirect/git-pull?repo=REPO&branch=BRANCH&urlpath=lab/tree/TARGET/notebooks/LESSON.ipynb
                                  &targetpath=TARGET          (values percent-encoded)

Usage: python tools/hub_link.py --hub https://hub.example.edu --repo https://github.com/you/backprop-by-hand
                                [--branch student] [--lesson 01] [--target backprop-by-hand]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lesson_file(lesson: str | None) -> str:
    """'01' or '01_sigmoid_gradient' or '01_sigmoid_gradient.ipynb' → 'notebooks/01_sigmoid_gradient.ipynb'."""
    if not lesson:
        lesson = "00"
    stem = lesson.removesuffix(".ipynb").removeprefix("notebooks/")
    matches = sorted(p.name for p in (ROOT / "notebooks").glob(f"{stem}*.ipynb"))
    if len(matches) != 1:
        known = ", ".join(p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb")))
        raise SystemExit(f"hub_link: lesson {lesson!r} matches {len(matches)} notebooks; one of: {known}")
    return f"notebooks/{matches[0]}"


def default_target(repo: str) -> str:
    return repo.rstrip("/").split("/")[-1].removesuffix(".git") or "backprop-by-hand"


def link(hub: str, repo: str, branch: str = "student", lesson: str | None = None, target: str | None = None) -> str:
    target = target or default_target(repo)
    query = {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{target}/{lesson_file(lesson)}",
             "targetpath": target}
    encoded = urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="/")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{encoded}"


def origin_url() -> str | None:
    result = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"], capture_output=True,
                            text=True)
    return result.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", help="the git repository students pull (default: this clone's origin)")
    parser.add_argument("--branch", default="student",
                        help="its branch (default: student, the class edition `make publish-class` commits; "
                             "main holds the instructor's solutions)")
    parser.add_argument("--lesson", help="lesson number or name to open, e.g. 01 (default 00)")
    parser.add_argument("--target", help="folder in the student's home (default: the repository's name)")
    args = parser.parse_args(argv)
    repo = args.repo or origin_url()
    if not repo:
        parser.error("give --repo (REPO=… for make hub-link): this clone has no origin remote")
    print(link(args.hub, repo, args.branch, args.lesson, args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
