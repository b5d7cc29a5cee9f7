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


class LinkError(ValueError):
    """An argument :func:`link` cannot make a working link from (the message names it, expected and actual)."""


def lesson_file(lesson: str | None) -> str:
    """'01' or '01_sigmoid_gradient' or '01_sigmoid_gradient.ipynb' → 'notebooks/01_sigmoid_gradient.ipynb'."""
    if not lesson:
        lesson = "00"
    known = [p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    if not isinstance(lesson, str):
        raise LinkError(f"lesson must be a lesson number or name such as '01', got {type(lesson).__name__} "
                        f"{lesson!r:.40}")
    stem = lesson.removesuffix(".ipynb").removeprefix("notebooks/")
    # A prefix of a lesson's name, matched as text: no glob pattern (a * would match every lesson) and no path.
    matches = [name for name in known if name.startswith(stem)] if stem and not set(stem) & set("*?[]/\\") else []
    if len(matches) != 1:
        raise LinkError(f"lesson must name one lesson (its number or name), got {lesson!r}, which matches "
                        f"{len(matches)}; one of: {', '.join(known)}")
    return f"notebooks/{matches[0]}.ipynb"


def check_hub(hub) -> str:
    """The hub's address: http(s)://host[:port][/path] (the scheme is needed: the link is opened from anywhere)."""
    parsed = urllib.parse.urlsplit(hub) if isinstance(hub, str) else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise LinkError(f"hub must be the hub's address with its scheme, e.g. https://hub.example.edu, got {hub!r}")
    return hub.rstrip("/")


def check_target(target) -> str:
    """The folder in the student's home: one plain name (nbgitpuller clones into ~/TARGET)."""
    if not isinstance(target, str) or not target.strip() or target in (".", "..") or set(target) & set("/\\") \
            or target != target.strip():
        raise LinkError(f"target must be one folder name in the student's home, e.g. backprop-by-hand (no '/', no "
                        f"'..'), got {target!r}")
    return target


def default_target(repo: str) -> str:
    return repo.rstrip("/").split("/")[-1].removesuffix(".git") or "backprop-by-hand"


def link(hub: str, repo: str, branch: str = "student", lesson: str | None = None, target: str | None = None) -> str:
    hub = check_hub(hub)
    if not isinstance(repo, str) or not repo.strip() or any(c.isspace() for c in repo):
        raise LinkError(f"repo must be the git repository's address, e.g. https://github.com/you/backprop-by-hand, "
                        f"got {repo!r}")
    if not isinstance(branch, str) or not branch or branch.startswith("-") or any(c.isspace() for c in branch):
        raise LinkError(f"branch must be a branch name such as student, got {branch!r}")
    target = check_target(target if target is not None else default_target(repo))
    query = {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{target}/{lesson_file(lesson)}",
             "targetpath": target}
    encoded = urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="/")
    return f"{hub}/hub/user-redirect/git-pull?{encoded}"


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
    try:
        print(link(args.hub, repo, args.branch, args.lesson, args.target))
    except LinkError as error:
        parser.error(str(error))  # the usage line, the message, exit status 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
