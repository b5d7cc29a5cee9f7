"""`make bench`: how much a learner's install weighs, and what each extra adds (issue 27: goal ≤ 450 MB).

`make lab` installs the course (nblib) and what it requires — NumPy, Matplotlib, JupyterLab, ipywidgets — and nothing
else; `make test`, `make browser`, `make hub` and `make grade` add their extras (pyproject.toml). This sums, in the
environment it runs in, the files of every distribution in each closure (pip itself included, as a new venv has it),
so it prints the learner's size from a full contributor's .venv too. Sizes in MB (10⁶ bytes) of files on disk.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 450
EXTRAS = ("dev", "browser", "hub", "grading")


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def course_requirements(extras: tuple[str, ...] = ()) -> list[str]:
    """The course's own requirements as pyproject.toml states them now (the installed metadata may be older)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"]) + [r for e in extras for r in project["optional-dependencies"][e]]


def closure(root: str, extras: tuple[str, ...] = ()) -> set[str]:
    """Canonical names of ``root`` and every distribution it requires (with ``extras`` of root), recursively; the
    course (``nblib``) is read from pyproject.toml."""
    seen: set[str] = set()
    todo = [(root, extras)]
    if canonical(root) == "nblib":
        seen.add("nblib")
        todo = [(Requirement(r).name, tuple(Requirement(r).extras)) for r in course_requirements(extras)]
    while todo:
        name, wanted = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = canonical(dist.metadata["Name"])
        if key in seen and not wanted:
            continue
        seen.add(key)
        for text in dist.requires or []:
            req = Requirement(text)
            env = {"extra": ""}
            active = req.marker is None or req.marker.evaluate(env) or any(
                req.marker.evaluate({"extra": e}) for e in wanted)
            if active:
                todo.append((req.name, tuple(req.extras)))
    return seen


def size_mb(names: set[str]) -> float:
    total = 0
    for dist in metadata.distributions():
        if canonical(dist.metadata["Name"]) in names:
            for f in dist.files or []:
                path = Path(dist.locate_file(f))
                if path.is_file():
                    total += path.stat().st_size
    return total / 1e6


def main() -> None:
    learner = closure("nblib") | {"pip"}
    print(f"learner's install (make lab): {len(learner)} distributions, {size_mb(learner):.0f} MB "
          f"(goal ≤ {GOAL_MB} MB; measured on a fresh `pip install -e .` venv: 419 MB by du, one run)")
    everything = set(learner)
    for extra in EXTRAS:
        added = closure("nblib", (extra,)) - learner
        everything |= added
        print(f"  + extra {extra:8s} {len(added):3d} distributions, {size_mb(added):6.0f} MB")
    print(f"everything (make setup / make test): {size_mb(everything):.0f} MB in {len(everything)} distributions")
    venv = Path(sys.prefix)
    if venv != Path(sys.base_prefix):
        du = subprocess.run(["du", "-sm", str(venv)], capture_output=True, text=True).stdout.split()
        if du:
            print(f"this environment ({venv.name}) on disk: {du[0]} MB (du: caches and hand installs too)")


if __name__ == "__main__":
    main()
