"""The learner's workspace: the folder `make lab` opens, with every lesson as the exercise edition.

    python tools/workspace.py [FOLDER]        # default: workspace/ (git-ignored)

The first run writes every lesson of notebooks/ as tools/student_edition.learner_notebook makes it (stubs, hints
and checks; no solution, no stored output) and a manifest, ``.backprop-workspace.json``, that nblib.progress and
nblib.solutions read. Each later run (every `make lab`, so also after a `git pull`) keeps the learner's work:

* a lesson new in the course is added;
* a lesson the learner has not changed since it was written is brought up to date in place;
* a lesson the learner has changed is never overwritten: when the course's version changed, the new one is put
  beside it as ``NN_name.updated.ipynb`` and one line names it (every run, while that file waits there);
* a lesson the learner deleted is written again.

A notebook counts as changed when its bytes differ from what this tool wrote (the manifest keeps their SHA-256).
Nothing tracked by git is written, so the workspace never makes `git pull` conflict.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from student_edition import exercise_cells, learner_notebook  # noqa: E402

MANIFEST = ".backprop-workspace.json"  # the same name as nblib.progress.MANIFEST (tested)
DEFAULT = ROOT / "workspace"
UPDATED = ".updated.ipynb"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lesson_of(path: Path) -> str:
    return path.name[:2]


def editions(source: Path) -> tuple[dict[str, bytes], list[dict]]:
    """Every lesson's learner edition as bytes, and the list of exercises (lesson, notebook, name, check)."""
    read = {path: nbformat.read(path, as_version=4) for path in sorted(source.glob("[0-9][0-9]_*.ipynb"))}
    exercises = [{"lesson": lesson_of(path), "notebook": path.name, "name": name, "check": check}
                 for path, nb in read.items() for _, name, check in exercise_cells(nb)]
    names = [e["name"] for e in exercises]
    ambiguous = frozenset(n for n in names if names.count(n) > 1)
    out = {}
    for path, nb in read.items():
        edition = learner_notebook(nb, lesson_of(path), ambiguous)
        out[path.name] = (nbformat.writes(edition) + "\n").encode("utf-8")
    return out, exercises


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("lessons"), dict) else {"lessons": {}}
    except (OSError, ValueError):
        return {"lessons": {}}


def write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def sync(folder: Path = DEFAULT, source: Path = ROOT / "notebooks") -> list[str]:
    """Create or update the workspace in ``folder`` from the lessons in ``source``; return the messages."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder)
    lessons = manifest["lessons"]
    new, exercises = editions(source)
    messages = []
    for name, data in new.items():
        target, entry = folder / name, lessons.get(name)
        digest = sha(data)
        if not target.exists():
            write_bytes(target, data)
            lessons[name] = {"written": digest}
            messages.append(f"{'restored' if entry else 'added'} {name}")
            continue
        current = sha(target.read_bytes())
        if current == digest:  # already the course's version (e.g. the learner took the update)
            lessons[name] = {"written": digest}
            (folder / (name[:-len(".ipynb")] + UPDATED)).unlink(missing_ok=True)
            continue
        if entry and current == entry.get("written"):  # untouched by the learner: update in place
            write_bytes(target, data)
            lessons[name] = {"written": digest}
            messages.append(f"updated {name} (you had not changed it)")
            continue
        # The learner's own work: never overwritten. Offer the course's version beside it when it differs from
        # the one the learner started from.
        entry = entry or {"written": None}
        if digest != entry.get("written"):
            updated = folder / (name[:-len(".ipynb")] + UPDATED)
            if updated.exists() and sha(updated.read_bytes()) not in (entry.get("offered"), digest):
                messages.append(f"{name} changed in the course, and {updated.name} holds your edits: "
                                "neither was replaced (rename yours to get the newest version)")
            else:
                if not updated.exists() or sha(updated.read_bytes()) != digest:
                    write_bytes(updated, data)
                entry["offered"] = digest
                messages.append(f"{name} changed in the course since you started it: the new version is "
                                f"{updated.name}, beside yours (yours is untouched)")
        lessons[name] = entry
    for name in sorted(set(lessons) - set(new)):  # a lesson the course no longer has (e.g. renumbered lessons)
        target = folder / name
        if target.exists() and sha(target.read_bytes()) == lessons[name].get("written"):
            target.unlink()  # untouched: the course's own copy, nothing of the learner's is lost
            (folder / (name[:-len(".ipynb")] + UPDATED)).unlink(missing_ok=True)
            del lessons[name]
            messages.append(f"removed {name}: the course no longer has it, and you had not changed it")
        elif target.exists():
            messages.append(f"{name} is no longer a lesson of the course (lessons were renamed or renumbered): your "
                            "work in it is kept; the course's lessons are the other notebooks here")
        else:
            del lessons[name]
    manifest.update({"version": 1, "source": os.path.relpath(source, folder), "lessons": lessons,
                     "exercises": exercises})
    write_bytes(folder / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return messages


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: python tools/workspace.py [FOLDER]   (default: workspace/)", file=sys.stderr)
        return 2
    folder = Path(argv[0]).resolve() if argv else DEFAULT
    first = not (folder / MANIFEST).exists()
    messages = sync(folder)
    where = os.path.relpath(folder, Path.cwd())
    if first:
        print(f"workspace: your copy of every lesson is in {where}/ — your edits stay there, never in notebooks/")
    for line in messages if not first else []:
        print(f"workspace: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
