"""The clean judge (issue 26 §1): each graded check judged again in a fresh interpreter, on the course's own code.

nbgrader's autograde runs a submission top to bottom, so its locked check cells run in a process whose earlier cells
were the student's: a solution cell can replace a check, its module, NumPy's comparisons, builtins. tools/grade.py
therefore judges every submission a second time with this module, and a mark counts only when both runs pass it:

* **What runs** (:func:`program`): the course's own source notebook, cell by cell — every given cell and every locked
  check cell as the instructor wrote it (from nbgrader's source, never from the submission) — and, in place of each
  solution cell, only the *definitions* of the student's cell (``def``, ``class``, ``import``, and assignments to
  plain names; :func:`definitions`). A statement that acts at the top of a cell (``np.allclose = …``,
  ``sys.modules[…] = …``, ``exec(…)``, ``importlib.reload(…)``) never runs here.
* **What is flagged** (:func:`suspicious`): any statement of a solution cell that reaches for the judging machinery —
  an assignment to an attribute or item of a module (``nblib``, ``numpy``, ``sys``, ``builtins`` …), ``exec``/
  ``eval``/``compile``/``setattr``/``__import__``/``open``, an import of ``sys``/``os``/``builtins``/``importlib``/
  ``gc``/``inspect``/``ctypes``…, frame and globals introspection (``__globals__``, ``tb_frame``, ``f_back``…). The
  exercise of that cell scores 0 and the cell is listed in tampered.csv with what it reached for. The course's own
  solutions use none of these (tests/test_judge.py).
* **What is verified** (:func:`fingerprint`): before and after each check, the identity of every function of
  ``nblib`` and its submodules, of NumPy's comparison functions, of the builtins and of the ``sys.modules`` entries
  they come from, and the bytes of nblib's files. A change during a check (code in the student's function, run by the
  check) fails that check and is reported as tampering.
* **Exiting early** (``sys.exit``, ``os._exit``, a crash): every check that has not reported is 0.

Run as ``python -I tools/judge.py`` inside tools/sandbox_kernel.py's sandbox (the course read-only, its notebooks
hidden, no network, limits), the program as JSON on stdin; it prints one JSON line per graded check, marked with a
nonce that only stdin carried.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import sys
from pathlib import Path

MODULES = {"nblib", "numpy", "np", "sys", "os", "builtins", "__builtins__", "importlib", "scipy", "math",
           "matplotlib", "plt", "IPython", "gc", "inspect", "types"}
CALLS = {"exec", "eval", "compile", "setattr", "delattr", "__import__", "open", "globals", "vars", "breakpoint",
         "exit", "quit"}
IMPORTS = {"sys", "os", "builtins", "importlib", "gc", "inspect", "ctypes", "subprocess", "types", "unittest",
           "pathlib", "shutil", "io", "runpy", "pickle", "marshal", "code", "codeop", "signal", "threading",
           "multiprocessing", "socket", "nbformat", "IPython", "atexit", "traceback"}
ATTRIBUTES = {"__globals__", "__builtins__", "__dict__", "__code__", "__closure__", "__subclasses__", "__class__",
              "__bases__", "__mro__", "__module__", "__import__", "__loader__", "__spec__", "tb_frame", "f_back",
              "f_globals", "f_locals", "gi_frame", "cr_frame", "modules", "_exit", "__defaults__", "__kwdefaults__"}


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def suspicious(source: str) -> list[str]:
    """What a solution cell does to the judging machinery, one short phrase each (empty for an honest cell)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    modules = set(MODULES)   # and every name an import in the cell binds (import nblib.exercises.sigmoid as s)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for t in ast.walk(target):
                    if isinstance(t, (ast.Attribute, ast.Subscript)) and _root(t) in modules:
                        found.append(f"line {line}: assigns {ast.unparse(t)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS:
            found.append(f"line {line}: calls {node.func.id}()")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] in IMPORTS or name == "nblib.progress":
                    found.append(f"line {line}: imports {name}")
        elif isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
            found.append(f"line {line}: uses .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ("__builtins__", "__loader__", "__spec__"):
            found.append(f"line {line}: uses {node.id}")
    return list(dict.fromkeys(found))


def definitions(source: str) -> str:
    """The statements of a solution cell that only define: def, class, import, and assignments to plain names."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return source   # runs as written, and fails as it would in the notebook
    keep = [s for s in tree.body
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))
            or (isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets))
            or (isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name))]
    return ast.unparse(ast.Module(body=keep, type_ignores=[]))


def program(source_nb, submitted_nb) -> list[dict]:
    """The cells the judge runs: ``{"kind": "given"|"solution"|"check", "id": grade_id, "source": …}`` — the course's
    cells from ``source_nb`` (nbgrader's source notebook), each solution cell's definitions from ``submitted_nb``
    (matched by grade_id; a missing one is empty)."""
    student = {c.metadata["nbgrader"]["grade_id"]: c.source for c in submitted_nb.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
               and "grade_id" in c.metadata["nbgrader"]}
    cells = []
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if meta.get("solution"):
            cells.append({"kind": "solution", "id": gid, "source": definitions(student.get(gid, ""))})
        elif meta.get("grade"):
            cells.append({"kind": "check", "id": gid, "source": cell.source})
        else:
            cells.append({"kind": "given", "id": gid, "source": cell.source})
    return cells


def fingerprint() -> dict[str, str]:
    """name → identity of everything a check relies on (compare two with :func:`changes`)."""
    import builtins

    import numpy as np

    marks = {}
    for name, module in list(sys.modules.items()):
        if name == "nblib" or name.startswith("nblib.") or name in ("numpy", "numpy.testing", "builtins"):
            marks[f"sys.modules[{name!r}]"] = str(id(module))
            for attr, value in list(vars(module).items()):
                if callable(value) or isinstance(value, type(np)):
                    marks[f"{name}.{attr}"] = str(id(value))
            path = getattr(module, "__file__", None)
            if path and name.startswith("nblib"):
                marks[f"file of {name}"] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    for attr in ("allclose", "isclose", "array_equal", "all", "any", "asarray", "abs", "isfinite"):
        marks[f"numpy.{attr} (as np sees it)"] = str(id(getattr(np, attr)))
    for attr, value in vars(builtins).items():
        marks[f"builtins.{attr}"] = str(id(value))
    return marks


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before if after.get(k) != before[k])


USAGE = ("usage: python tools/judge.py < ORDER  (ORDER: the JSON tools/grade.py writes — nonce, cells, course, "
         "timeout; the judge of a graded check, run by grade.py in the grading sandbox)")


def main() -> None:
    try:
        order = json.loads("" if len(sys.argv) > 1 or sys.stdin.isatty() else sys.stdin.read())
        nonce, cells = order["nonce"], order["cells"]
    except (ValueError, KeyError, TypeError):
        raise SystemExit(USAGE) from None
    out = sys.stdout

    def report(**row):
        out.write(f"{nonce} {json.dumps(row)}\n")
        out.flush()

    import matplotlib

    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    sys.path.insert(0, order["course"])
    before = None

    class CellTimeout(BaseException):
        pass

    def alarm(*_):
        raise CellTimeout(f"a cell ran longer than {order['timeout']} s")

    import signal

    signal.signal(signal.SIGALRM, alarm)
    for cell in cells:
        if cell["kind"] == "check":
            before = fingerprint()
        sys.stdout = io.StringIO()
        signal.alarm(order["timeout"])
        try:
            result = shell.run_cell(cell["source"], silent=True, store_history=False)
            error = result.error_before_exec or result.error_in_exec
        except BaseException as exc:   # noqa: BLE001 — SystemExit and the like from a student's function
            error = exc
        finally:
            signal.alarm(0)
            sys.stdout = out
        if cell["kind"] == "check":
            changed = changes(before, fingerprint())
            if changed:
                report(id=cell["id"], passed=False, tampered=changed[:10], mistake=None, error="tampering")
                continue
            report(id=cell["id"], passed=error is None, mistake=getattr(error, "mistake", None),
                   error=None if error is None else type(error).__name__, tampered=[])
    report(id=None, done=True)


if __name__ == "__main__":
    main()
