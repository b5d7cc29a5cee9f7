"""The learner's progress as a table and a figure: lesson 00's progress cell and `make progress`.

    python -m nblib.progress_report [WORKSPACE]     # prints the table, writes WORKSPACE/progress.png

Reads the workspace's manifest (the exercises of every lesson) and nblib.progress's record (check runs and
questionnaire answers). Outside a workspace it says where progress is kept instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nblib import progress

NOT_A_WORKSPACE = ("Your progress is recorded in your self-study workspace: open the course with `make lab` and run "
                   "this cell there. (This copy of the lessons records none.)")


def _question_count(lesson: str) -> int:
    from nblib.quiz import questions

    try:
        return len(questions(lesson))
    except (KeyError, ValueError):
        return 0


EXERCISE_KEYS = ("name", "attempts", "passed", "last")
ROW_KEYS = ("lesson", "exercises", "passed", "attempts", "questions", "right")


def _record(name: str, value, keys) -> dict:
    """A dict holding ``keys`` (one of :func:`summary`'s records): an error naming ``name`` otherwise."""
    if not isinstance(value, dict) or any(k not in value for k in keys):
        got = (f"a dict with keys {sorted(value)}" if isinstance(value, dict)
               else f"{type(value).__name__} {value!r:.40}")
        raise TypeError(f"{name} must be a dict with keys {', '.join(keys)} (as summary() returns), got {got}")
    return value


def _rows(rows) -> list[dict]:
    """:func:`summary`'s list of lessons, checked before it is drawn or tabulated."""
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be the list summary() returns, got {type(rows).__name__} {rows!r:.40}")
    for i, row in enumerate(rows):
        _record(f"rows[{i}]", row, ROW_KEYS)
        for j, exercise in enumerate(row["exercises"]):
            _record(f"rows[{i}]['exercises'][{j}]", exercise, EXERCISE_KEYS)
    return list(rows)


def _workspace_folder(name: str, folder) -> Path:
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"{name} must be a workspace folder (a str or a pathlib.Path), got {type(folder).__name__} "
                        f"{folder!r:.40}")
    return Path(folder)


def summary(folder: Path) -> list[dict]:
    """Per lesson: exercises, exercises passed, attempts, questions, questions right, and per exercise its state."""
    folder = _workspace_folder("folder", folder)
    manifest, record = progress.manifest(folder), progress.load(folder)
    lessons = sorted({name[:2] for name in manifest.get("lessons", {})}
                     | {e["lesson"] for e in manifest.get("exercises", [])})
    rows = []
    for lesson in lessons:
        exercises = []
        for e in (e for e in manifest.get("exercises", []) if e["lesson"] == lesson):
            entry = record["checks"].get(e["check"], {})
            exercises.append({"name": e["name"], "attempts": int(entry.get("attempts", 0)),
                              "passed": bool(entry.get("passed")), "last": entry.get("last")})
        answers = record["questions"].get(lesson, {})
        rows.append({"lesson": lesson, "exercises": exercises,
                     "passed": sum(e["passed"] for e in exercises),
                     "attempts": sum(e["attempts"] for e in exercises),
                     "questions": _question_count(lesson),
                     "right": sum(bool(a.get("correct")) for a in answers.values())})
    return rows


def state(exercise: dict) -> str:
    _record("exercise", exercise, EXERCISE_KEYS)
    if exercise["passed"]:
        return f"passed ({exercise['attempts']} attempt{'s' if exercise['attempts'] != 1 else ''})"
    if exercise["attempts"]:
        return f"not yet passed ({exercise['attempts']} attempt{'s' if exercise['attempts'] != 1 else ''})"
    return "not started"


def table(rows: list[dict]) -> str:
    """The progress table: one line per lesson, then one per exercise that was tried."""
    rows = _rows(rows)
    lines = [f"{'lesson':<7}{'exercises passed':>17}{'attempts':>10}{'questions right':>17}"]
    for r in rows:
        quiz = f"{r['right']} / {r['questions']}" if r["questions"] else "—"
        lines.append(f"{r['lesson']:<7}{r['passed']:>10} / {len(r['exercises']):<4}{r['attempts']:>10}{quiz:>17}")
    total_ex = sum(len(r["exercises"]) for r in rows)
    quiz = f"{sum(r['right'] for r in rows)} / {sum(r['questions'] for r in rows)}"
    lines.append(f"{'all':<7}{sum(r['passed'] for r in rows):>10} / {total_ex:<4}"
                 f"{sum(r['attempts'] for r in rows):>10}{quiz:>17}")
    tried = [(r["lesson"], e) for r in rows for e in r["exercises"] if e["attempts"] or e["last"]]
    if tried:
        lines.append("")
        lines += [f"  {lesson} {e['name']:<28} {state(e)}" for lesson, e in tried]
    return "\n".join(lines)


def figure(rows: list[dict]):
    """Horizontal bars per lesson: the share of its exercises passed and of its questions answered right."""
    rows = _rows(rows)
    import matplotlib.pyplot as plt
    import numpy as np

    from nblib.plots import OKABE_ITO

    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(rows) + 1.6))
    y = np.arange(len(rows))
    shares = [(r["passed"] / len(r["exercises"]) if r["exercises"] else 0.0,
               r["right"] / r["questions"] if r["questions"] else 0.0) for r in rows]
    ax.barh(y - 0.2, [s[0] for s in shares], height=0.38, color=OKABE_ITO["blue"], label="exercises passed")
    ax.barh(y + 0.2, [s[1] for s in shares], height=0.38, color=OKABE_ITO["orange"], label="questions right")
    for i, r in enumerate(rows):
        ax.text(1.01, i - 0.2, f"{r['passed']}/{len(r['exercises'])}", va="center", fontsize=11)
        ax.text(1.01, i + 0.2, f"{r['right']}/{r['questions']}", va="center", fontsize=11)
    ax.set_yticks(y, [f"lesson {r['lesson']}" for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    ax.set_xlabel("share of the lesson done")
    passed = sum(r["passed"] for r in rows)
    total = sum(len(r["exercises"]) for r in rows)
    right, questions = sum(r["right"] for r in rows), sum(r["questions"] for r in rows)
    ax.set_title(f"Your progress: {passed} of {total} exercises passed,\n{right} of {questions} questions right")
    fig.legend(loc="outside lower center", ncols=2)  # below the axes: never over a bar or its count
    return fig


def show_progress(folder: Path | None = None) -> None:
    """Lesson 00's cell: the table and the figure of this workspace's progress."""
    folder = progress.workspace() if folder is None else _workspace_folder("folder", folder)
    if folder is None:
        print(NOT_A_WORKSPACE)
        return
    import matplotlib.pyplot as plt

    rows = summary(folder)
    print(table(rows))
    figure(rows)
    plt.show()


def main(argv: list[str]) -> int:
    if not isinstance(argv, (list, tuple)) or not all(isinstance(a, str) for a in argv):
        raise TypeError(f"argv must be the list of command-line arguments (str), got {type(argv).__name__} "
                        f"{argv!r:.40}")
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print("usage: python -m nblib.progress_report [WORKSPACE]   (default: workspace/)", file=sys.stderr)
        return 2
    folder = Path(argv[0] if argv else "workspace")
    if progress.workspace(folder) is None:
        print(f"no workspace at {folder}/ yet: `make lab` creates it, and your checks record progress there",
              file=sys.stderr)
        return 1
    import matplotlib

    matplotlib.use("Agg")
    from nblib.plots import use_course_style

    use_course_style()
    rows = summary(folder)
    print(table(rows))
    fig = figure(rows)
    fig.savefig(folder / "progress.png")
    print(f"\nfigure: {folder / 'progress.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
