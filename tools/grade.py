"""Release and grade the exercises with nbgrader (`make student`, `make grade SUBMISSIONS=DIR`).

    python tools/grade.py release [LESSON …]          # build/nbgrader/{source,release}, build/student/notebooks
    python tools/grade.py grade DIR [--timeout S] [--jobs N]   # DIR/<student>/<NN_lesson>.ipynb → build/grades/

The nbgrader course directory is build/nbgrader/ (its own nbgrader_config.py, a SQLite gradebook gradebook.db):

* ``release`` writes the source notebooks (tools/nbgrader_metadata.py: solution cells, locked autograded check cells
  with hidden tests) and runs ``nbgrader generate_assignment`` on each lesson. The release is the student edition:
  solutions replaced by ``raise NotImplementedError("Write the body of f() …")``, hidden tests and outputs removed.
  It is copied to build/student/notebooks/ (what tools/publish_class.py commits on the branch nbgitpuller links pull).
* ``grade`` copies each submission to build/nbgrader/submitted/<student>/<lesson>/, notes any locked check cell a
  student edited or deleted (build/grades/tampered.csv; autograde puts the original back before running it), runs
  ``nbgrader autograde`` (every cell under a per-cell timeout: an endless loop loses only that cell) and
  ``nbgrader generate_feedback``, then writes build/grades/grades.csv (student,lesson,exercise,score,max_score) and
  copies each student's HTML feedback to build/grades/feedback/<student>/<lesson>.html. Each submission is judged
  again by tools/judge.py (a fresh sandboxed interpreter, the course's own cells, only the student's definitions;
  ``--jobs`` submissions at a time, default one per core):
  a mark counts when both pass it; tampering scores 0 and is listed in tampered.csv. A submission that cannot be
  graded (empty, not a notebook, another lesson's, misplaced) gets rows with 0 and the reason (grades.csv's note)
  and does not stop the others. Then mistakes.csv, timing.csv and report.html (tools/class_report.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import judge  # noqa: E402
import nbgrader_metadata  # noqa: E402
import sandbox_kernel  # noqa: E402

COURSE = ROOT / "build" / "nbgrader"
STUDENT = ROOT / "build" / "student"
GRADES = ROOT / "build" / "grades"
TIMEOUT = 60   # seconds per cell when grading; the lessons' slowest cell takes a few seconds
JOBS = os.cpu_count() or 1   # submissions judged at a time (each judge is its own sandboxed interpreter)
BIN = Path(sys.executable).parent
# nbgrader's gradebook runs `alembic` (installed beside it) by name: find it even when .venv/bin is not on PATH.
os.environ["PATH"] = os.pathsep.join([str(BIN), os.environ.get("PATH", "")])


def write_config(course: Path, timeout: int = TIMEOUT) -> None:
    course.mkdir(parents=True, exist_ok=True)
    settings = {
        "CourseDirectory.root": str(course),
        "CourseDirectory.db_url": f"sqlite:///{course / 'gradebook.db'}",
        "Execute.timeout": timeout,
        # A loaded class server (or CI) can deliver a cell's output later than nbclient's 4 s default after the
        # cell's reply, and that failed the whole submission ("could not grade"): wait longer, and retry a
        # notebook whose kernel failed once (nbgrader's documented knob for flaky machines).
        "Execute.iopub_timeout": 30,
        "Execute.execute_retries": 1,
    }
    # One edition path: nbgrader strips the solutions with the function every other edition uses.
    lines = ["# Written by tools/grade.py; edit that file instead.", "import sys",
             f"sys.path.insert(0, {str(ROOT / 'tools')!r})", "import nbgrader_edition",
             "c = get_config()  # noqa: F821", "c.GenerateAssignment.preprocessors = nbgrader_edition.preprocessors()"]
    lines += [f"c.{key} = {value!r}" for key, value in settings.items()]
    lines += sandbox_lines(course)
    (course / "nbgrader_config.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


SANDBOX_ENV: dict[str, str] = {}


def sandbox_lines(course: Path) -> list[str]:
    """Autograde's kernels run in tools/sandbox_kernel.py's sandbox (as an unprivileged user when graded as root,
    in user namespaces otherwise); GRADE_SANDBOX=off grades without it, saying so."""
    if os.environ.get("GRADE_SANDBOX", "auto") == "off":
        print("grade.py: GRADE_SANDBOX=off: students' code runs as you, with your files and network", file=sys.stderr)
        SANDBOX_ENV.clear()
        return []
    how = sandbox_kernel.mode()
    if how == "none":
        raise SystemExit("grade.py: this machine can make no sandbox (no root, and no user namespaces: "
                         "`unshare --user --map-root-user true` fails); students' code would run as you. "
                         "Enable unprivileged user namespaces, or grade as root, or say GRADE_SANDBOX=off")
    lines, env = sandbox_kernel.nbgrader_config(course)
    SANDBOX_ENV.update(env)
    return lines


def nbgrader(course: Path, *args: str, strict: bool = True) -> None:
    """Run the nbgrader command line in the course directory (it reads nbgrader_config.py from there). strict: stop
    on any error; otherwise (grading a whole class, where one broken submission must not stop the others) print it."""
    command = [str(BIN / "nbgrader"), *args]
    result = subprocess.run(command, cwd=course, capture_output=True, text=True, env={**os.environ, **SANDBOX_ENV})
    log = result.stdout + result.stderr
    if result.returncode != 0 or "[ERROR]" in log:
        sys.stderr.write(log)
        if strict:
            raise SystemExit(f"grade.py: `nbgrader {' '.join(args)}` failed (exit {result.returncode}); see above")


def selected(lessons: list[str] | None) -> list[Path]:
    """The lessons named by number or name (every lesson when none is named); an unknown name is refused, never
    read as "all"."""
    every = nbgrader_metadata.lessons()
    if not lessons:
        return every
    unknown = [name for name in lessons if not any(name in (p.stem, p.stem[:2]) for p in every)]
    if unknown:
        raise ValueError(f"lessons must be lesson numbers or names, e.g. 01 or 01_sigmoid_gradient; no lesson "
                         f"{', '.join(map(repr, unknown))}; the lessons are {', '.join(p.stem[:2] for p in every)}")
    return [p for p in every if p.stem in lessons or p.stem[:2] in lessons]


def release(course: Path = COURSE, student: Path = STUDENT, lessons: list[str] | None = None) -> list[Path]:
    paths = selected(lessons)
    write_config(course)
    for path in paths:
        shutil.rmtree(course / "source" / path.stem, ignore_errors=True)
    sources = nbgrader_metadata.main(course, paths)
    out = student / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    if paths == nbgrader_metadata.lessons():
        nbgrader(course, "generate_assignment", "*", "--force")   # one nbgrader start-up for every lesson
    else:
        for source in sources:
            nbgrader(course, "generate_assignment", source.parent.name, "--force")
    written = []
    for source in sources:
        lesson = source.parent.name
        released = course / "release" / lesson / source.name
        shutil.copy(released, out / source.name)
        written.append(out / source.name)
    (student / "README.md").write_text(
        "# Backprop by Hand — student edition\n\nThe exercises are yours: each one raises `NotImplementedError` "
        "until you write it, and the check cell after it tells you precisely what is wrong.\nOpen these notebooks "
        "from a clone of the course (`make lab`), so that `nblib` and `data/` are importable.\nHand in each lesson "
        "as you find it here, under its own name (e.g. `01_sigmoid_gradient.ipynb`); the check cells are locked — "
        "an edited check is put back before grading.\n", encoding="utf-8")
    return written


def checksums(notebook: Path) -> dict[str, str]:
    from nbgrader.utils import compute_checksum, is_grade, is_locked

    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata.nbgrader["grade_id"]: compute_checksum(c) for c in nb.cells
            if "nbgrader" in c.metadata and (is_grade(c) or is_locked(c)) and "grade_id" in c.metadata.nbgrader}


def tampered(released: Path, submitted: Path) -> list[tuple[str, str]]:
    """(grade_id, 'edited' or 'deleted') for each locked cell of the release that the submission changed."""
    expected = checksums(released)
    try:
        got = checksums(submitted)
    except (nbformat.reader.NotJSONError, json.JSONDecodeError, ValueError) as error:
        return [("notebook", f"unreadable: {error}")]
    return [(gid, "deleted" if gid not in got else "edited") for gid, checksum in expected.items()
            if got.get(gid) != checksum]


def exercise_order(course: Path, lesson: str) -> list[str]:
    nb = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    return [c.metadata.nbgrader["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def problem(path: Path, lesson: str, known: dict[str, set[str]]) -> str | None:
    """Why a submission cannot be graded (empty, not a notebook, another lesson's notebook), or None."""
    if path.stat().st_size == 0:
        return "empty file"
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 — any reason a file is not a notebook
        return f"not a notebook: {type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    if ids and not ids & known[lesson]:
        other = next((name for name, theirs in known.items() if ids & theirs), None)
        return f"another lesson's notebook ({other or 'not of this course'}) saved as {lesson}.ipynb"
    return None


def judged(student: str, lesson: str, course: Path, submitted: Path, timeout: int) -> dict[str, dict]:
    """tools/judge.py's verdicts on one submission (grade_id → row), run in the sandbox as a fresh interpreter."""
    import secrets

    source = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    cells = judge.program(source, nbformat.read(submitted, as_version=4))
    nonce = secrets.token_hex(16)
    cwd = course / "autograded" / student / lesson
    cwd.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-I", str(ROOT / "tools" / "judge.py")]
    if os.environ.get("GRADE_SANDBOX", "auto") != "off":
        command = [sys.executable, str(ROOT / "tools" / "sandbox_kernel.py"), "--run", str(cwd), "--", *command]
    try:
        result = subprocess.run(command, input=json.dumps({"nonce": nonce, "cells": cells, "course": str(ROOT),
                                                  "timeout": timeout}),
                                capture_output=True, text=True, timeout=timeout * len(cells) + 60, cwd=cwd)
        out = result.stdout
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
    rows = {}
    for line in out.splitlines():
        if line.startswith(nonce + " "):
            row = json.loads(line[len(nonce) + 1:])
            rows[row["id"]] = row
    return rows


def exercise_of(course: Path, lesson: str) -> dict[str, str]:
    """Solution cell grade_id → the graded check cell that follows it."""
    nb = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    owner, pending = {}, []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            pending.append(meta["grade_id"])
        elif meta.get("grade"):
            owner.update({gid: meta["grade_id"] for gid in pending})
            pending = []
    return owner


def judge_all(gradable: list[tuple[str, str, Path]], course: Path, timeout: int, jobs: int) -> dict:
    """(student, lesson) → (tools/judge.py's verdicts, seconds it took): ``jobs`` judges at a time, each a subprocess
    of its own (threads only wait on them)."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    def one(item):
        student, lesson, _ = item
        start = time.perf_counter()
        verdicts = judged(student, lesson, course, course / "submitted" / student / lesson / f"{lesson}.ipynb",
                          timeout)
        return (student, lesson), (verdicts, time.perf_counter() - start)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(pool.map(one, gradable))


def grade(submissions: Path, course: Path = COURSE, out: Path = GRADES, timeout: int = TIMEOUT,
          jobs: int = JOBS) -> Path:
    """Grade every submission; each one gets rows in grades.csv, whatever it is (see the module docstring)."""
    import time

    found = sorted(p for p in submissions.glob("*/*") if p.is_file())
    misplaced = sorted(p for p in submissions.glob("*") if p.is_file() and not p.name.startswith("."))
    if not found and not misplaced:
        raise SystemExit(f"grade.py: no submissions in {submissions} "
                         f"(expected {submissions}/<student>/<NN_lesson>.ipynb)")
    lessons = {p.stem: p for p in nbgrader_metadata.lessons()}
    rows, notes = [], []
    for path in misplaced:
        notes.append((path.stem, "", "", "0", "0", f"misplaced: {path.name} is not in a student's folder "
                      f"(expected {submissions.name}/<student>/<NN_lesson>.ipynb); not graded"))
    pairs = []
    for path in found:
        student, lesson = path.parent.name, path.stem
        if path.name.startswith("."):
            continue
        if lesson not in lessons or path.suffix != ".ipynb":
            notes.append((student, path.stem, "", "0", "0", f"not a lesson of the course: {path.name} "
                          f"(expected one of {', '.join(sorted(lessons))}.ipynb); not graded"))
            continue
        pairs.append((student, lesson, path))
    missing = sorted({lesson for _, lesson, _ in pairs if not (course / "release" / lesson).is_dir()})
    if missing:
        release(course, lessons=missing)
    write_config(course, timeout)
    for folder in ("submitted", "autograded", "feedback"):
        shutil.rmtree(course / folder, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "feedback", ignore_errors=True)
    known = {lesson: set(exercise_order(course, lesson)) for lesson in {lesson for _, lesson, _ in pairs}}
    for lesson in known:
        nb = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        known[lesson] |= {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    known.update({name: set() for name in lessons if name not in known})
    flagged, broken, gradable = [], {}, []
    for student, lesson, path in pairs:
        why = problem(path, lesson, known)
        if why:
            broken[(student, lesson)] = why
            print(f"grade.py: {student}/{lesson}: {why}: 0 points", file=sys.stderr)
            continue
        gradable.append((student, lesson, path))
        target = course / "submitted" / student / lesson / f"{lesson}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        for grade_id, what in tampered(course / "release" / lesson / f"{lesson}.ipynb", target):
            flagged.append((student, lesson, grade_id, what))
            print(f"grade.py: {student}/{lesson}: locked check cell {grade_id} was {what}; "
                  "autograde runs the original", file=sys.stderr)
    timing = []
    for lesson in sorted({lesson for _, lesson, _ in gradable}):
        start = time.perf_counter()
        nbgrader(course, "autograde", lesson, "--force", strict=False)
        nbgrader(course, "generate_feedback", lesson, "--force", strict=False)
        timing.append((lesson, "nbgrader", time.perf_counter() - start))

    judgements = judge_all(gradable, course, timeout, jobs)
    from nbgrader.api import Gradebook, MissingEntry

    mistakes = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, lesson, path in pairs:
            order = exercise_order(course, lesson)
            maxima = {e: gb.find_grade_cell(e, lesson, lesson).max_score for e in order}
            if (student, lesson) in broken:
                rows += [(student, lesson, e, "0", f"{maxima[e]:g}", broken[(student, lesson)]) for e in order]
                continue
            try:
                submitted = gb.find_submission_notebook(lesson, lesson, student)
                scores = {g.name: (g.score, g.max_score) for g in submitted.grades}
            except MissingEntry:
                scores = {}
            html = course / "feedback" / student / lesson / f"{lesson}.html"
            note = ""
            if not html.exists():
                print(f"grade.py: {student}/{lesson} could not be graded (nbgrader's log above says why): "
                      "0 points for each exercise, no feedback", file=sys.stderr)
                scores, note = {}, "nbgrader could not grade it (see the grading log)"
            verdicts, seconds = judgements[(student, lesson)]
            timing.append((lesson, student, seconds))
            owner = exercise_of(course, lesson)
            submission = nbformat.read(path, as_version=4)
            cheats = {}
            for cell in submission.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if cell.metadata.get("nbgrader", {}).get("solution") and gid in owner:
                    found_here = judge.suspicious(cell.source)
                    if found_here:
                        cheats.setdefault(owner[gid], []).extend(found_here)
                        flagged.append((student, lesson, gid, "reaches for the judging machinery: "
                                        + "; ".join(found_here)))
            for exercise in order:
                score, max_score = scores.get(exercise, (0, maxima[exercise]))
                verdict = verdicts.get(exercise)
                why = note
                if exercise in cheats:
                    score, why = 0, "tampering: " + "; ".join(cheats[exercise])
                elif verdict is None:
                    if score:
                        why = "the clean judge got no verdict (the submission exited or crashed)"
                        flagged.append((student, lesson, exercise, "exited before its check reported"))
                    score = 0
                elif verdict.get("tampered"):
                    score, why = 0, "tampering during the check: " + ", ".join(verdict["tampered"])
                    flagged.append((student, lesson, exercise, "changed during its check: "
                                    + ", ".join(verdict["tampered"])))
                elif not verdict["passed"]:
                    if score:
                        why = "passes only in its own notebook; the clean judge fails it"
                        flagged.append((student, lesson, exercise, "passed in the notebook, failed in the clean "
                                        "judge (its check was changed from an earlier cell)"))
                    score = 0
                mistakes.append((student, lesson, exercise, bool(score), (verdict or {}).get("mistake") or ""))
                rows.append((student, lesson, exercise, f"{score or 0:g}", f"{max_score:g}", why))
            if html.exists():
                (out / "feedback" / student).mkdir(parents=True, exist_ok=True)
                shutil.copy(html, out / "feedback" / student / f"{lesson}.html")
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student", "lesson", "exercise", "score", "max_score", "note"])
        writer.writerows(rows + notes)
    with open(out / "tampered.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student", "lesson", "cell", "what"])
        writer.writerows(flagged)
    with open(out / "mistakes.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student", "lesson", "exercise", "passed", "mistake"])
        writer.writerows(mistakes)
    with open(out / "timing.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["lesson", "what", "seconds"])
        writer.writerows((lesson, what, f"{sec:.2f}") for lesson, what, sec in timing)
    import class_report

    class_report.write(out, course, [(s, l, p) for s, l, p in gradable])
    return out / "grades.csv"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="write the student edition with nbgrader generate_assignment")
    rel.add_argument("lessons", nargs="*", help="lesson names or numbers (default: all)")
    gr = sub.add_parser("grade", help="autograde DIR/<student>/<NN_lesson>.ipynb and write build/grades/")
    gr.add_argument("submissions", type=Path)
    gr.add_argument("--timeout", type=int, default=TIMEOUT, help=f"seconds per cell (default {TIMEOUT})")
    gr.add_argument("--jobs", type=int, default=JOBS, help=f"submissions judged at a time (default {JOBS}, the cores)")
    args = parser.parse_args(argv)
    if args.command == "release":
        try:
            selected(args.lessons)
        except ValueError as error:
            rel.error(str(error))  # usage line, exit status 2
        try:
            written = release(lessons=args.lessons)
        except ValueError as error:  # a lesson nbgrader_metadata cannot convert (an unpaired solution marker…)
            print(f"grade.py release: {error}", file=sys.stderr)
            raise SystemExit(1) from None
        for path in written:
            print(f"wrote {path.relative_to(ROOT)}")
    else:
        if args.timeout < 1:
            gr.error(f"--timeout must be at least 1 second per cell, got {args.timeout}")
        if args.jobs < 1:
            gr.error(f"--jobs must be at least 1, got {args.jobs}")
        if not args.submissions.is_dir():
            gr.error(f"submissions must be a folder DIR/<student>/<NN_lesson>.ipynb, got {str(args.submissions)!r}, "
                     "which is not a folder")
        csv_path = grade(args.submissions, timeout=args.timeout, jobs=args.jobs)
        print(f"wrote {csv_path.relative_to(ROOT) if csv_path.is_relative_to(ROOT) else csv_path} and "
              f"{GRADES.relative_to(ROOT)}/feedback/")


if __name__ == "__main__":
    main()
