"""What the class got wrong (issue 26 §6): build/grades/report.html after `make grade`.

Per exercise: the share of students who passed, and how many failed with each mistake a check named (the
``mistake`` of nblib.exercises.feedback.CheckFailed, as tools/judge.py reported it; build/grades/mistakes.csv), as a
bar chart (an inline SVG image with alt text; no network, no script) and a table. Then the solutions that are identical
up to names, comments and whitespace (normalized ASTs) — to each other or to the nblib helper of the same name —
listed for a human look; nothing is penalised.
"""

from __future__ import annotations

import ast
import base64
import csv
import html
import importlib
import inspect
import io
import pkgutil
from collections import Counter, defaultdict
from pathlib import Path

import nbformat


class _Names(ast.NodeTransformer):
    """Every name, argument and function name becomes v0, v1, … in order of first use; docstrings go."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def _n(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        node.id = self._n(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self._n(node.arg)
        node.annotation = None
        return node

    def visit_FunctionDef(self, node):
        node.name = self._n(node.name)
        node.returns = None
        node.decorator_list = []
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node


def normalized(source: str) -> str | None:
    """The functions of ``source`` as a canonical AST dump, or None (no function, or not Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not functions:
        return None
    body = [n for n in functions if not (len(n.body) == 1 and isinstance(n.body[0], ast.Raise))]
    if not body:
        return None   # the untouched stub
    return ast.dump(_Names().visit(ast.Module(body=body, type_ignores=[])), annotate_fields=False)


def nblib_helpers() -> dict[str, list[str]]:
    """normalized source → the nblib functions that have it (the answers a student could copy)."""
    import nblib

    found = {}
    for info in pkgutil.walk_packages(nblib.__path__, "nblib."):
        if ".exercises" in info.name:
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 — an optional dependency missing: skip that module
            continue
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == info.name:
                try:
                    key = normalized(inspect.getsource(fn))
                except (OSError, TypeError):
                    continue
                if key:
                    found.setdefault(key, []).append(f"{info.name}.{name}")
    return found


def similar(course: Path, submissions: list[tuple[str, str, Path]]) -> list[tuple[str, str, list[str]]]:
    """(lesson, solution cell, [students…, maybe 'nblib.<name>']) for each group of identical solutions."""
    helpers = nblib_helpers()
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for student, lesson, path in submissions:
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and (key := normalized(cell.source)):
                groups[(lesson, meta["grade_id"], key)].append(student)
    out = []
    for (lesson, gid, key), students in sorted(groups.items()):
        same = [f"nblib helper {name}()" for name in helpers.get(key, [])]
        if len(students) > 1 or same:
            out.append((lesson, gid, sorted(students) + same))
    return out


def chart(exercise: str, passed: int, total: int, mistakes: Counter) -> str:
    """An inline SVG bar chart of one exercise (a data: URI image with alt text)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = ["passed"] + [m if len(m) < 60 else m[:57] + "…" for m in mistakes] + ["failed, no named mistake"]
    other = total - passed - sum(mistakes.values())
    values = [passed, *mistakes.values(), other]
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.4 * len(labels)))
    ax.barh(range(len(labels)), values, color=["#2a7"] + ["#c44"] * len(mistakes) + ["#999"])
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("students")
    ax.set_xlim(0, max(total, 1))
    ax.set_title(exercise)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    alt = f"{exercise}: {passed} of {total} passed" + "".join(f"; {m}: {n} of {total}" for m, n in mistakes.items())
    if other:
        alt += f"; failed without a named mistake: {other} of {total}"
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}">'


def write(out: Path, course: Path, submissions: list[tuple[str, str, Path]]) -> Path:
    with open(out / "mistakes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_exercise: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_exercise[(row["lesson"], row["exercise"])].append(row)
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>What the class got wrong</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #bbb;padding:.2em .6em}td.n{text-align:right}</style></head><body>",
             "<h1>What the class got wrong</h1>",
             "<p>Per exercise: who passed, and the mistakes the checks named (a student who failed for another "
             "reason counts as “failed, no named mistake”).</p>"]
    for (lesson, exercise), group in sorted(by_exercise.items()):
        total = len(group)
        passed = sum(r["passed"] == "True" for r in group)
        mistakes = Counter(r["mistake"] for r in group if r["passed"] != "True" and r["mistake"])
        mistakes = Counter(dict(mistakes.most_common()))
        parts.append(f"<h2>{html.escape(lesson)}: {html.escape(exercise)}</h2>")
        parts.append(f"<p>{passed} of {total} passed ({100 * passed / total:.0f} %).</p>")
        parts.append(chart(exercise, passed, total, mistakes))
        parts.append("<table><tr><th>outcome</th><th>students</th></tr>")
        parts.append(f"<tr><td>passed</td><td class='n'>{passed} of {total}</td></tr>")
        for mistake, n in mistakes.items():
            parts.append(f"<tr><td>{html.escape(mistake)}</td><td class='n'>{n} of {total}</td></tr>")
        other = total - passed - sum(mistakes.values())
        parts.append(f"<tr><td>failed, no named mistake</td><td class='n'>{other} of {total}</td></tr></table>")
    parts.append("<h2>Identical solutions (for a human look; nothing is penalised)</h2>")
    groups = similar(course, submissions)
    if groups:
        parts.append("<p>Solutions identical up to names, comments, docstrings and whitespace. The course's "
                     "own short answers are often found independently: look before you conclude.</p><ul>")
        for lesson, gid, who in groups:
            parts.append(f"<li>{html.escape(lesson)} / {html.escape(gid)}: {html.escape(', '.join(who))}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    path = out / "report.html"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path
