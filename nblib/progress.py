"""A learner's progress: every check run and questionnaire answer, kept in their workspace.

``make lab`` opens the learner's workspace (tools/workspace.py), a git-ignored folder with the exercise edition of
every lesson and a manifest, :data:`MANIFEST`. A kernel started there (its working directory is the notebook's
folder) finds the manifest and records, in :data:`PROGRESS` beside it:

* per exercise check (keyed by its qualified name, ``nblib.exercises.sigmoid.check_sigmoid_gradient``): how many
  attempts on the learner's own code, whether one passed, and the last outcome — a run on the untouched stub
  (``raise NotImplementedError``) is not an attempt;
* per questionnaire question (``"01"``, ``"q3"``): attempts and whether it was answered right.

Outside a workspace (the instructor's ``notebooks/``, nbval, nbgrader's autograding) nothing is recorded. Progress
never breaks a check: a missing file is created, a corrupted one is moved aside, a read-only one leaves progress in
this kernel's memory — each said once, in one line. Imports only the standard library.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import os
import sys
import tempfile
from pathlib import Path

MANIFEST = ".backprop-workspace.json"
PROGRESS = ".progress.json"
VERSION = 1

_said: set[str] = set()        # the one-line notices already printed in this kernel
_memory: dict | None = None    # progress kept here when the file cannot be written
_inside = contextvars.ContextVar("nblib_progress_inside_check", default=False)


def _say_once(key: str, text: str) -> None:
    if key not in _said:
        _said.add(key)
        print(f"(progress) {text}", file=sys.stderr)


def _folder(name: str, value) -> Path | None:
    """A folder argument: None (or "": the default), a str or a path (an error naming ``name`` otherwise)."""
    if value is None or isinstance(value, Path):
        return value
    if isinstance(value, str) and not value:
        return None
    if isinstance(value, (str, os.PathLike)):
        return Path(value)
    raise TypeError(f"{name} must be a folder (a str or a pathlib.Path) or None, got {type(value).__name__} "
                    f"{value!r:.40}")


def _text(name: str, value) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty str, got {type(value).__name__} {value!r:.40}")
    return value


def workspace(start: Path | None = None) -> Path | None:
    """The workspace: ``start``, else $BACKPROP_WORKSPACE, else the working directory — if it holds the manifest."""
    start = _folder("start", start)
    env = os.environ.get("BACKPROP_WORKSPACE")
    folder = start if start else Path(env) if env else Path.cwd()
    return folder if (folder / MANIFEST).is_file() else None


def manifest(folder: Path | None = None) -> dict:
    """The workspace's manifest (tools/workspace.py writes it), or {} outside a workspace or if unreadable."""
    folder = _folder("folder", folder) or workspace()
    if folder is None:
        return {}
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def empty() -> dict:
    return {"version": VERSION, "checks": {}, "questions": {}}


def _valid(data) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("checks"), dict)
            and isinstance(data.get("questions"), dict)
            and all(isinstance(v, dict) for v in data["checks"].values())
            and all(isinstance(v, dict) and all(isinstance(q, dict) for q in v.values())
                    for v in data["questions"].values()))


def load(folder: Path | None = None) -> dict:
    """The recorded progress of a workspace ({} sections when nothing is recorded yet)."""
    folder = _folder("folder", folder) or workspace()
    if folder is None:
        return empty()
    if _memory is not None:
        return _memory
    path = folder / PROGRESS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty()
    except (OSError, ValueError) as exc:
        return _set_aside(path, f"could not be read ({type(exc).__name__})")
    if not _valid(data):
        return _set_aside(path, "is not a progress record")
    return data


def _set_aside(path: Path, why: str) -> dict:
    aside = path.with_name(PROGRESS + ".corrupt")
    try:
        os.replace(path, aside)
        _say_once("corrupt", f"{path.name} {why}; moved to {aside.name} and started afresh — your checks are not "
                             "affected")
    except OSError:
        _say_once("corrupt", f"{path.name} {why} and cannot be moved; progress is kept in this kernel only — your "
                             "checks are not affected")
    return empty()


def _save(folder: Path, data: dict) -> None:
    global _memory
    if _memory is not None:
        _memory = data
        return
    path = folder / PROGRESS
    try:
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        _memory = data
        _say_once("readonly", f"cannot write {path.name} ({exc.strerror or exc}); progress is kept in this kernel "
                              "only — your checks are not affected")


def _update(change) -> None:
    """Read, change and write the progress of the current workspace; never raises."""
    try:
        folder = workspace()
        if folder is None:
            return
        data = load(folder)
        change(data)
        _save(folder, data)
    except Exception as exc:  # noqa: BLE001 — progress must never break a check
        _say_once("error", f"not recorded ({type(exc).__name__}: {exc}); your checks are not affected")


def record_check(check: str, outcome: str) -> None:
    """Record one run of the check ``check`` (qualified name): outcome "pass", "fail" or "stub"."""
    _text("check", check)
    if outcome not in ("pass", "fail", "stub"):
        raise ValueError(f'outcome must be "pass", "fail" or "stub", got {outcome!r}')

    def change(data):
        entry = data["checks"].setdefault(check, {"attempts": 0, "passed": False, "last": None})
        if outcome != "stub":
            entry["attempts"] = int(entry.get("attempts", 0)) + 1
            entry["passed"] = bool(entry.get("passed")) or outcome == "pass"
        entry["last"] = outcome

    _update(change)


def record_answer(lesson: str, question: str, correct: bool) -> None:
    """Record one answer to question ``question`` of lesson ``lesson``'s questionnaire."""
    _text("lesson", lesson)
    _text("question", question)
    if not isinstance(correct, bool):
        raise TypeError(f"correct must be True or False, got {type(correct).__name__} {correct!r:.40}")

    def change(data):
        entry = data["questions"].setdefault(str(lesson), {}).setdefault(
            str(question), {"attempts": 0, "correct": False})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["correct"] = bool(correct)

    _update(change)


def attempts(check: str, folder: Path | None = None) -> int:
    """How many times the learner ran ``check`` on their own code (0 outside a workspace)."""
    _text("check", check)
    folder = _folder("folder", folder)
    try:
        return int(load(folder)["checks"].get(check, {}).get("attempts", 0))
    except Exception:  # noqa: BLE001
        return 0


def recorded(check):
    """Decorate an exercise check so that each outermost call is recorded as pass, fail or stub."""
    if not callable(check) or not hasattr(check, "__name__"):
        raise TypeError(f"check must be an exercise check function, got {type(check).__name__} {check!r:.40}")
    key = f"{check.__module__}.{check.__name__}"

    @functools.wraps(check)
    def run(*args, **kwargs):
        if _inside.get():
            return check(*args, **kwargs)
        token = _inside.set(True)
        try:
            result = check(*args, **kwargs)
        except Exception as exc:
            record_check(key, "stub" if getattr(exc, "not_written", False) else "fail")
            raise
        finally:
            _inside.reset(token)
        record_check(key, "pass")
        return result

    run.check_key = key
    return run
