"""``show_solution(name)``: the course's solution to an exercise, for a self-study learner who has tried it.

Only in the learner's workspace (``make lab``): its manifest lists every exercise and where the instructor's lessons
are, and nblib.progress counts the learner's attempts. Before the exercise's check has judged the learner's own code
once, it says what to try first. Elsewhere — the class edition handed out with nbgrader, a hub, the instructor's own
notebooks — it reveals nothing: the class edition ships no solution to reveal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nblib import progress

# nbgrader's solution markers, spelled in parts: nblib goes into the class edition (tools/publish_class.py), which holds
# the marker text nowhere.
BEGIN, END = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"


class SolutionUnavailable(LookupError):
    """No solution can be shown here (outside a workspace, unknown exercise, instructor lessons absent)."""


def _exercise(name: str, lesson: str | None, exercises: list[dict]) -> dict:
    if not isinstance(name, str):
        raise TypeError(f'name must be the exercise\'s function name as a string, e.g. "sigmoid_gradient"; got '
                        f"{type(name).__name__}")
    found = [e for e in exercises if e.get("name") == name and (lesson is None or e.get("lesson") == str(lesson))]
    if not found:
        known = sorted({e.get("name") for e in exercises if e.get("name")})
        close = [k for k in known if name.lower() in k.lower() or k.lower() in name.lower()]
        hint = f" — did you mean {', '.join(close[:3])}?" if close else ""
        where = f" in lesson {lesson}" if lesson is not None else ""
        usage = "" if close else ' (name is an exercise\'s function name, such as "sigmoid_gradient")'
        raise SolutionUnavailable(f'no exercise named "{name}"{where}{hint}{usage}')
    if len(found) > 1:
        lessons = ", ".join(f'lesson="{e["lesson"]}"' for e in found)
        raise SolutionUnavailable(f'"{name}" is an exercise of several lessons: add {lessons.replace(", ", " or ")}')
    return found[0]


def solution_source(notebook: Path, name: str) -> str:
    """The exercise cell of ``name`` in the instructor's ``notebook``, solution markers removed."""
    if not isinstance(notebook, (str, Path)):
        raise TypeError(f"notebook must be the path of a notebook (a str or a pathlib.Path), got "
                        f"{type(notebook).__name__} {notebook!r:.40}")
    if not isinstance(name, str):
        raise TypeError(f"name must be the exercise's function name as a string, got {type(name).__name__}")
    notebook = Path(notebook)
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SolutionUnavailable(f"notebook {notebook} cannot be read as a notebook ({type(exc).__name__})") from None
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") != "code" or BEGIN not in source:
            continue
        defs = re.findall(r"^\s*def\s+(\w+)\s*\(", source[:source.index(BEGIN)], re.M)
        if defs and defs[-1] == name:
            return "\n".join(line for line in source.split("\n")
                             if line.strip() not in (BEGIN, END)).rstrip() + "\n"
    raise SolutionUnavailable(f"the instructor's {notebook.name} has no exercise {name} any more")


def solution(name: str, lesson: str | None = None) -> str:
    """The solution's source if the learner may see it; raises :class:`SolutionUnavailable` saying why not."""
    folder = progress.workspace()
    if folder is None:
        raise SolutionUnavailable("solutions are shown only in your self-study workspace (open the course with "
                                  "`make lab`); this edition has none to show")
    manifest = progress.manifest(folder)
    exercise = _exercise(name, lesson, manifest.get("exercises", []))
    if progress.attempts(exercise["check"], folder) < 1:
        check = exercise["check"].rsplit(".", 1)[-1]
        raise SolutionUnavailable(f"not yet — try it first: write your own {name}, then run {check}({name}) in "
                                  "the check cell — the hints above the exercise lead to the method. The solution "
                                  "opens after the check has judged your own code once.")
    notebook = (folder / manifest.get("source", "../notebooks") / exercise["notebook"]).resolve()
    if not notebook.is_file():
        raise SolutionUnavailable(f"the instructor's lessons are not here ({notebook.parent}): this edition ships "
                                  "no solutions")
    return solution_source(notebook, name)


def show_solution(name: str, lesson: str | None = None) -> None:
    """Print the course's solution to exercise ``name`` (its function's name) once you have tried it yourself."""
    try:
        text = solution(name, lesson)
    except SolutionUnavailable as why:
        text = str(why)
        print(text[0].upper() + text[1:])
        return
    print(f"The course's solution to {name} (compare it with yours; the check accepts any correct variant):\n")
    print(text)
