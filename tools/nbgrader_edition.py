"""nbgrader's release with the course's own stripping function: one edition path for every edition.

Every edition a learner or a class sees strips the solutions with :func:`student_edition.strip_solutions` — the
self-study workspace (tools/workspace.py), the site and slides (tools/build_html.py) and, through this module,
nbgrader's ``generate_assignment`` (tools/grade.py): :class:`CourseClearSolutions` is nbgrader's ``ClearSolutions``
preprocessor whose one replaced step, finding and replacing a solution region, is that function. Everything else
nbgrader does (its metadata checks, locking, checksums, hidden tests) runs unchanged.

tools/grade.py's nbgrader_config.py puts this class in ``GenerateAssignment.preprocessors`` in place of
``ClearSolutions``; this module imports nbgrader, so only the grading extra needs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nbgrader.converters.generate_assignment import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

sys.path.insert(0, str(Path(__file__).resolve().parent))

from student_edition import BEGIN, END, strip_solutions  # noqa: E402


class CourseClearSolutions(ClearSolutions):
    """nbgrader's ClearSolutions, replacing a solution region with the course's stub (it names the function to
    write) by :func:`student_edition.strip_solutions`, the function every other edition uses."""

    def _replace_solution_region(self, cell, language: str) -> bool:
        if cell.cell_type != "code" or (BEGIN not in cell.source and END not in cell.source):
            return False
        try:
            cell.source = strip_solutions(cell.source)
        except ValueError as error:  # an unpaired marker: nbgrader's own error type for it, with the course's words
            raise RuntimeError(str(error)) from None
        return True


def preprocessors() -> list:
    """nbgrader's generate_assignment preprocessors with :class:`CourseClearSolutions` in place of ClearSolutions."""
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    if ClearSolutions not in default:
        raise RuntimeError("this nbgrader's generate_assignment has no ClearSolutions step to replace; "
                           "tools/nbgrader_edition.py needs updating for it")
    return [CourseClearSolutions if p is ClearSolutions else p for p in default]
