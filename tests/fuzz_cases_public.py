"""Every public name of every nblib module has bad-input rows (issue 27 §5), or a reasoned exemption.

:func:`public_names` walks every module of ``nblib`` (a module whose name starts with ``_`` is private) and lists the
functions and classes defined there whose names do not start with ``_``. :func:`covered` says where each has its
rows: tests/fuzz_cases.py (the maths modules and autodiff's named cases), tests/fuzz_cases_more.py (widgets, redraw,
plots, data) or :func:`rows` below (progress, the progress report, the questionnaire, the solutions, the gradient
report, the shape checks, the house-price split, autodiff's backward rules and every exercise check; and NaN, huge,
empty, out-of-range and wrong-type values for the widgets', plots' and data's arguments, beyond fuzz_cases_more's
first-argument rows). A name in none of them and not in :data:`EXEMPT` fails tests/test_bad_inputs.py.

The rows use tests/fuzz_cases_more.py's :class:`Row` and tests/fuzz_cases.py's judge: ``"reject"`` needs an error
naming the argument (no raw NumPy/Python message), ``"same"`` the reference result. ``python
tests/fuzz_cases_public.py`` prints one line per row (handled or not), to count before and after a change.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import os
import pkgutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from fuzz_cases_more import COVERED_MODULES, ROOT, Row

import nblib

# --- which names have rows -----------------------------------------------------------------------------------------


def public_names() -> dict[str, object]:
    """Every public function and class of every public nblib module, by qualified name."""
    names = {}
    for info in pkgutil.walk_packages(nblib.__path__, "nblib."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        names.update({f"{info.name}.{n}": f for n, f in vars(module).items()
                      if not n.startswith("_") and (inspect.isfunction(f) or inspect.isclass(f))
                      and getattr(f, "__module__", "") == info.name})
    return names


EXERCISE_CHECK_RULE = ("nblib.exercises.* other than check_*: the checks' own machinery (fixed and random cases, "
                       "references, tables of named mistakes, feedback helpers); a check calls them with its own "
                       "valid arguments, and tests/test_exercises_*.py and tests/test_judge.py test them")
EXEMPT = {
    "nblib.validate": "the argument checks themselves (their first argument is the caller's own name for the value): "
                      "every row of every fuzz table runs through them; tests/test_shapes_validate.py tests them",
    "nblib.shapes.ShapeError": "an exception class",
    "nblib.solutions.SolutionUnavailable": "an exception class",
    "nblib.exercises.capstone.CapstoneStopped": "an exception class",
    "nblib.exercises.feedback.CheckFailed": "an exception class",
    "nblib.progress.empty": "no argument",
    "nblib.exercises.feedback.check_function": EXERCISE_CHECK_RULE,
    "nblib.house_prices.HousePrices": "the record load_house_prices and split_house_prices return (rows of both "
                                      "in tests/fuzz_cases.py and below); nobody builds one",
    "nblib.quiz.Row": "one question's widgets, a record questionnaire() builds from its own widgets",
    "nblib.quiz.Questionnaire": "the display of questionnaire()'s widgets, built only by questionnaire()",
}


def _in_fuzz_cases() -> set[str]:
    import fuzz_cases

    names = {f"nblib.{name.split('(')[0]}" for name in fuzz_cases.FUNCTIONS}
    names |= {f"nblib.{name}" for name in fuzz_cases.SPECIAL_FUNCTIONS}
    return names | {"nblib.gradcheck.check_gradients"}  # tests/test_fuzz_inputs.py's CALLS


def exemption(name: str) -> str | None:
    if name in EXEMPT:
        return EXEMPT[name]
    module = name.rsplit(".", 1)[0]
    if module in EXEMPT:
        return EXEMPT[module]
    if module.startswith("nblib.exercises.") and not name.rsplit(".", 1)[1].startswith("check_"):
        return EXERCISE_CHECK_RULE
    return None


def covered() -> set[str]:
    """The qualified names that have rows somewhere."""
    more = {name for module in COVERED_MODULES for name in public_names() if name.rsplit(".", 1)[0] == module}
    mine = {row.label.split("(")[0] for row in rows()}
    return _in_fuzz_cases() | more | mine


# --- helpers for the rows ------------------------------------------------------------------------------------------


def _quiet(fn: Callable) -> Callable:
    def call():
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return fn()
    return call


def _refusal(fn: Callable, *kinds: type) -> Callable:
    """A call whose designed refusal is an exception of ``kinds`` (no solution to show, a dataset not listed): its
    message is judged like a ValueError's."""
    def call():
        try:
            return fn()
        except kinds as exc:
            raise ValueError(str(exc)) from None
    return call


@contextlib.contextmanager
def _workspace(exercises=()):
    """A throw-away learner's workspace (nblib.progress finds it by $BACKPROP_WORKSPACE)."""
    from nblib import progress

    old = os.environ.get("BACKPROP_WORKSPACE")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / progress.MANIFEST).write_text(json.dumps(
            {"version": 1, "source": str(ROOT / "notebooks"), "lessons": {}, "exercises": list(exercises)}))
        os.environ["BACKPROP_WORKSPACE"] = tmp
        try:
            yield Path(tmp)
        finally:
            if old is None:
                os.environ.pop("BACKPROP_WORKSPACE", None)
            else:
                os.environ["BACKPROP_WORKSPACE"] = old


def _in_workspace(fn: Callable, exercises=()) -> Callable:
    def call():
        with _workspace(exercises):
            return fn()
    return call


# --- the rows ------------------------------------------------------------------------------------------------------


def progress_rows() -> list[Row]:
    from nblib import progress, progress_report

    ex = {"name": "sigmoid_gradient", "passed": False, "attempts": 1, "last": "fail"}
    lesson = {"lesson": "01", "exercises": [ex], "passed": 0, "attempts": 1, "questions": 6, "right": 2}

    def recorded_none():
        return progress.recorded(None)

    return [
        Row("nblib.progress.workspace(start=3)", "progress", lambda: progress.workspace(3), "reject", "start"),
        Row("nblib.progress.workspace(start=[])", "progress", lambda: progress.workspace(["a"]), "reject", "start"),
        Row("nblib.progress.manifest(folder=3)", "progress", lambda: progress.manifest(3), "reject", "folder"),
        Row("nblib.progress.load(folder=3)", "progress", lambda: progress.load(3), "reject", "folder"),
        Row("nblib.progress.load(folder=str of no workspace)", "progress",
            lambda: progress.load(str(ROOT / "no-such-folder")), "same", "folder", progress.empty()),
        Row("nblib.progress.record_check(check=None)", "progress",
            _in_workspace(lambda: progress.record_check(None, "pass")), "reject", "check"),
        Row("nblib.progress.record_check(outcome='passed')", "progress",
            lambda: progress.record_check("nblib.exercises.x.check_x", "passed"), "reject", "outcome"),
        Row("nblib.progress.record_answer(lesson=None)", "progress",
            _in_workspace(lambda: progress.record_answer(None, "q1", True)), "reject", "lesson"),
        Row("nblib.progress.record_answer(question=3)", "progress",
            _in_workspace(lambda: progress.record_answer("01", 3, True)), "reject", "question"),
        Row("nblib.progress.record_answer(correct='yes')", "progress",
            _in_workspace(lambda: progress.record_answer("01", "q1", "yes")), "reject", "correct"),
        Row("nblib.progress.attempts(check=None)", "progress", _in_workspace(lambda: progress.attempts(None)),
            "reject", "check"),
        Row("nblib.progress.attempts(unknown check)", "progress", _in_workspace(lambda: progress.attempts("x.y")),
            "same", "check", 0),
        Row("nblib.progress.recorded(check=None)", "progress", recorded_none, "reject", "check"),
        Row("nblib.progress_report.summary(folder=None)", "progress", lambda: progress_report.summary(None),
            "reject", "folder"),
        Row("nblib.progress_report.summary(folder=3)", "progress", lambda: progress_report.summary(3), "reject",
            "folder"),
        Row("nblib.progress_report.state(exercise=None)", "progress", lambda: progress_report.state(None), "reject",
            "exercise"),
        Row("nblib.progress_report.state(exercise={})", "progress", lambda: progress_report.state({}), "reject",
            "exercise"),
        Row("nblib.progress_report.state(a valid exercise)", "progress", lambda: progress_report.state(ex), "same",
            "exercise", "not yet passed (1 attempt)"),
        Row("nblib.progress_report.table(rows=None)", "progress", lambda: progress_report.table(None), "reject",
            "rows"),
        Row("nblib.progress_report.table(rows=[{}])", "progress", lambda: progress_report.table([{}]), "reject",
            "rows"),
        Row("nblib.progress_report.table(rows=[lesson])", "progress",
            lambda: progress_report.table([lesson]).splitlines()[1].split(), "same", "rows",
            ["01", "0", "/", "1", "1", "2", "/", "6"]),
        Row("nblib.progress_report.figure(rows=None)", "progress", lambda: progress_report.figure(None), "reject",
            "rows"),
        Row("nblib.progress_report.figure(rows='01')", "progress", lambda: progress_report.figure("01"), "reject",
            "rows"),
        Row("nblib.progress_report.show_progress(folder=3)", "progress",
            _quiet(lambda: progress_report.show_progress(3)), "reject", "folder"),
        Row("nblib.progress_report.main(argv=None)", "progress", _quiet(lambda: progress_report.main(None)),
            "reject", "argv"),
        Row("nblib.progress_report.main(argv='workspace')", "progress",
            _quiet(lambda: progress_report.main("workspace")), "reject", "argv"),
        Row("nblib.progress_report.main(two folders) exits 2", "progress",
            _quiet(lambda: progress_report.main(["a", "b"])), "same", "argv", 2),
    ]


def quiz_rows() -> list[Row]:
    from nblib import questionnaires, quiz

    q = quiz.question("01", "q1")
    why = ("a", "because")
    opts = (quiz.Option("x", "because"), quiz.Option("y", "because"), quiz.Option("z", "because"))
    number = {"kind": "number", "answer": 1.0, "why": "w", "tolerance": 0.1, "otherwise": "o"}
    return [
        Row("nblib.quiz.Option(text=None)", "quiz", lambda: quiz.Option(None, "because"), "reject", "text"),
        Row("nblib.quiz.Option(why='')", "quiz", lambda: quiz.Option("x", ""), "reject", "why"),
        Row("nblib.quiz.Question(id=None)", "quiz", lambda: quiz.Question(None, "t", **number), "reject", "id"),
        Row("nblib.quiz.Question(id='q')", "quiz", lambda: quiz.Question("q", "t", **number), "reject", "id"),
        Row("nblib.quiz.Question(text=None)", "quiz", lambda: quiz.Question("q1", None, **number), "reject", "text"),
        Row("nblib.quiz.Question(kind='essay')", "quiz", lambda: quiz.Question("q1", "t", **{**number,
                                                                                           "kind": "essay"}),
            "reject", "kind"),
        Row("nblib.quiz.Question(answer=NaN)", "quiz",
            lambda: quiz.Question("q1", "t", **{**number, "answer": float("nan")}), "reject", "answer"),
        Row("nblib.quiz.Question(tolerance=None)", "quiz",
            lambda: quiz.Question("q1", "t", **{**number, "tolerance": None}), "reject", "tolerance"),
        Row("nblib.quiz.Question(tolerance=NaN)", "quiz",
            lambda: quiz.Question("q1", "t", **{**number, "tolerance": float("nan")}), "reject", "tolerance"),
        Row("nblib.quiz.Question(wrong=None)", "quiz",
            lambda: quiz.Question("q1", "t", **{**number, "wrong": None}), "reject", "wrong"),
        Row("nblib.quiz.Question(wrong=[3.0])", "quiz",
            lambda: quiz.Question("q1", "t", **{**number, "wrong": (3.0,)}), "reject", "wrong"),
        Row("nblib.quiz.Question(options=None)", "quiz",
            lambda: quiz.Question("q1", "t", "choice", "a", options=None), "reject", "options"),
        Row("nblib.quiz.Question(options=['x', 'y', 'z'])", "quiz",
            lambda: quiz.Question("q1", "t", "choice", "a", options=("x", "y", "z")), "reject", "options"),
        Row("nblib.quiz.Question(answer='d' of 3 options)", "quiz",
            lambda: quiz.Question("q1", "t", "choice", "d", options=opts), "reject", "answer"),
        Row("nblib.quiz.number_text(value=None)", "quiz", lambda: quiz.number_text(None), "reject", "value"),
        Row("nblib.quiz.number_text(value='1')", "quiz", lambda: quiz.number_text("1"), "reject", "value"),
        Row("nblib.quiz.number_text(value=-0.25)", "quiz", lambda: quiz.number_text(-0.25), "same", "value",
            "−0.25"),
        Row("nblib.quiz.questions(lesson=None)", "quiz", lambda: quiz.questions(None), "reject", "lesson"),
        Row("nblib.quiz.questions(lesson=1)", "quiz", lambda: quiz.questions(1), "reject", "lesson"),
        Row("nblib.quiz.questions(lesson='99')", "quiz", lambda: quiz.questions("99"), "reject", "lesson"),
        Row("nblib.quiz.question(qid=None)", "quiz", lambda: quiz.question("01", None), "reject", "qid"),
        Row("nblib.quiz.question(qid='q99')", "quiz", lambda: quiz.question("01", "q99"), "reject", "qid"),
        Row("nblib.quiz.Verdict(correct='yes')", "quiz", lambda: quiz.Verdict("yes", "m"), "reject", "correct"),
        Row("nblib.quiz.Verdict(message=None)", "quiz", lambda: quiz.Verdict(True, None), "reject", "message"),
        Row("nblib.quiz.judge(q=None)", "quiz", lambda: quiz.judge(None, 0.25), "reject", "q"),
        Row("nblib.quiz.judge(q='q1')", "quiz", lambda: quiz.judge("q1", 0.25), "reject", "q"),
        Row("nblib.quiz.judge(value=[0.25])", "quiz", lambda: quiz.judge(q, [0.25]).correct, "same", "value", None),
        Row("nblib.quiz.judge(value=NaN)", "quiz", lambda: quiz.judge(q, float("nan")).correct, "same", "value",
            None),
        Row("nblib.quiz.judge(value=1e400 as text)", "quiz", lambda: quiz.judge(q, "1e400").correct, "same", "value",
            False),
        Row("nblib.quiz.check(lesson=None)", "quiz", lambda: quiz.check(None, "q1", 0.25), "reject", "lesson"),
        Row("nblib.quiz.check(qid=None)", "quiz", lambda: quiz.check("01", None, 0.25), "reject", "qid"),
        Row("nblib.quiz.line(verdict=None)", "quiz", lambda: quiz.line(None), "reject", "verdict"),
        Row("nblib.quiz.line(verdict='✔')", "quiz", lambda: quiz.line("✔"), "reject", "verdict"),
        Row("nblib.quiz.answer(lesson=None)", "quiz", _quiet(lambda: quiz.answer(None, "q1", 0.25)), "reject",
            "lesson"),
        Row("nblib.quiz.answer(value={})", "quiz", _quiet(lambda: quiz.answer("01", "q1", {})), "same", "value",
            False),
        Row("nblib.quiz.plain_text(lesson=None)", "quiz", lambda: quiz.plain_text(None), "reject", "lesson"),
        Row("nblib.quiz.markdown_text(lesson=1)", "quiz", lambda: quiz.markdown_text(1), "reject", "lesson"),
        Row("nblib.quiz.static_markdown(lesson='')", "quiz", lambda: quiz.static_markdown(""), "reject", "lesson"),
        Row("nblib.quiz.verdict_html(verdict=None)", "quiz", lambda: quiz.verdict_html(None), "reject", "verdict"),
        Row("nblib.quiz.questionnaire(lesson=None)", "quiz", lambda: quiz.questionnaire(None), "reject", "lesson"),
        Row("nblib.questionnaires.choice(text=None)", "quiz",
            lambda: questionnaires.choice("q1", None, "a", why, why, why), "reject", "text"),
        Row("nblib.questionnaires.choice(answer='e')", "quiz",
            lambda: questionnaires.choice("q1", "t", "e", why, why, why), "reject", "answer"),
        Row("nblib.questionnaires.choice(answer='d' of 3 options)", "quiz",
            lambda: questionnaires.choice("q1", "t", "d", why, why, why), "reject", "answer"),
        Row("nblib.questionnaires.choice(options of one string)", "quiz",
            lambda: questionnaires.choice("q1", "t", "a", "x", "y", "z"), "reject", "options"),
        Row("nblib.questionnaires.choice(no options)", "quiz", lambda: questionnaires.choice("q1", "t", "a"),
            "reject", "options"),
        Row("nblib.questionnaires.number(answer=None)", "quiz",
            lambda: questionnaires.number("q1", "t", None, "w", tolerance=0.1, otherwise="o"), "reject", "answer"),
        Row("nblib.questionnaires.number(tolerance=-1)", "quiz",
            lambda: questionnaires.number("q1", "t", 1.0, "w", tolerance=-1, otherwise="o"), "reject", "tolerance"),
        Row("nblib.questionnaires.number(wrong inside the tolerance)", "quiz",
            lambda: questionnaires.number("q1", "t", 1.0, "w", tolerance=0.1, wrong=[(1.05, "x")], otherwise="o"),
            "reject", "wrong"),
    ]


def _a_notebook(tmp: Path) -> Path:
    begin, end = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"
    path = tmp / "nb.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": [f"def f(x):\n    {begin}\n",
                                                                             f"    return 2 * x\n    {end}\n"]}]}))
    return path


def _solution_source(kind: str):
    from nblib import solutions

    def call():
        with tempfile.TemporaryDirectory() as tmp:
            path = _a_notebook(Path(tmp))
            notebook = {"None": None, "str": str(path), "missing": Path(tmp) / "none.ipynb", "path": path,
                        "not json": Path(tmp) / "bad.ipynb", "a folder": Path(tmp)}[kind]
            (Path(tmp) / "bad.ipynb").write_text("{")
            return solutions.solution_source(notebook, "f")
    return _refusal(call, solutions.SolutionUnavailable)


def solutions_rows() -> list[Row]:
    from nblib import solutions

    tried = [{"name": "f", "lesson": "01", "check": "nblib.exercises.x.check_f", "notebook": "01_x.ipynb"}]
    refused = (solutions.SolutionUnavailable,)
    return [
        Row("nblib.solutions.solution_source(notebook=None)", "solutions", _solution_source("None"), "reject",
            "notebook"),
        Row("nblib.solutions.solution_source(notebook=missing file)", "solutions", _solution_source("missing"),
            "reject", "notebook"),
        Row("nblib.solutions.solution_source(notebook=not JSON)", "solutions", _solution_source("not json"),
            "reject", "notebook"),
        Row("nblib.solutions.solution_source(notebook=a folder)", "solutions", _solution_source("a folder"),
            "reject", "notebook"),
        Row("nblib.solutions.solution_source(notebook=a str path)", "solutions", _solution_source("str"), "same",
            "notebook", "def f(x):\n    return 2 * x\n"),
        Row("nblib.solutions.solution_source(name=None)", "solutions",
            _refusal(lambda: solutions.solution_source(ROOT / "notebooks" / "01_sigmoid_gradient.ipynb", None),
                     *refused),
            "reject", "name"),
        Row("nblib.solutions.solution(name=None)", "solutions",
            _in_workspace(_refusal(lambda: solutions.solution(None), *refused), tried), "reject", "name"),
        Row("nblib.solutions.solution(lesson=1)", "solutions",
            _in_workspace(_refusal(lambda: solutions.solution("f", 1), *refused), tried), "reject", "lesson"),
        Row("nblib.solutions.solution(name='nope')", "solutions",
            _in_workspace(_refusal(lambda: solutions.solution("nope"), *refused), tried), "reject", "name"),
        Row("nblib.solutions.show_solution(name=None)", "solutions",
            _in_workspace(_quiet(lambda: solutions.show_solution(None)), tried), "reject", "name"),
        Row("nblib.solutions.show_solution(name=3)", "solutions",
            _in_workspace(_quiet(lambda: solutions.show_solution(3)), tried), "reject", "name"),
    ]


def gradcheck_rows() -> list[Row]:
    from nblib import gradcheck

    row = gradcheck.GradientRow("W", "dW", "ok", (1, 2), 1e-9, (0, 0), 1.0, 1.0)
    return [
        Row("nblib.gradcheck.GradientRow(status='fine')", "gradcheck", lambda: gradcheck.GradientRow("W", "dW", "fine"),
            "reject", "status"),
        Row("nblib.gradcheck.GradientRow.error_text(threshold=None)", "gradcheck", lambda: row.error_text(None),
            "reject", "threshold"),
        Row("nblib.gradcheck.GradientRow.error_text(threshold=NaN)", "gradcheck", lambda: row.error_text(np.nan),
            "reject", "threshold"),
        Row("nblib.gradcheck.GradientRow.error_text(1e-7)", "gradcheck", lambda: row.error_text(1e-7), "same",
            "threshold", "< 1e-09"),
        Row("nblib.gradcheck.GradientReport(rows=None)", "gradcheck", lambda: gradcheck.GradientReport(None, 1e-7),
            "reject", "rows"),
        Row("nblib.gradcheck.GradientReport(rows=[None])", "gradcheck",
            lambda: gradcheck.GradientReport([None], 1e-7), "reject", "rows"),
        Row("nblib.gradcheck.GradientReport(threshold=None)", "gradcheck",
            lambda: gradcheck.GradientReport([row], None), "reject", "threshold"),
        Row("nblib.gradcheck.GradientReport(threshold=-1)", "gradcheck", lambda: gradcheck.GradientReport([row], -1),
            "reject", "threshold"),
        Row("nblib.gradcheck.GradientReport['dX']", "gradcheck", lambda: gradcheck.GradientReport([row], 1e-7)["dX"],
            "reject", "key"),
        Row("nblib.gradcheck.GradientReport verdict", "gradcheck",
            lambda: gradcheck.GradientReport([row], 1e-7).verdict, "same", "rows",
            "PASS: all 1 gradients match the numerical ones (error ≤ 1e-07)"),
    ]


def shapes_rows() -> list[Row]:
    from nblib import shapes

    W = np.zeros((4, 5))
    return [
        Row("nblib.shapes.shape_hint(actual=None)", "shapes", lambda: shapes.shape_hint("W", None, (5, 4)), "reject",
            "actual"),
        Row("nblib.shapes.shape_hint(expected=3)", "shapes", lambda: shapes.shape_hint("W", (4, 5), 3), "reject",
            "expected"),
        Row("nblib.shapes.shape_hint(a transpose)", "shapes", lambda: shapes.shape_hint("W", (4, 5), (5, 4)), "same",
            "actual", "that is the transpose of the expected shape: did you mean W.T?"),
        Row("nblib.shapes.expect_shape(expected=None)", "shapes", lambda: shapes.expect_shape("W", W, None), "reject",
            "expected"),
        Row("nblib.shapes.expect_shape(expected=4)", "shapes", lambda: shapes.expect_shape("W", W, 4), "reject",
            "expected"),
        Row("nblib.shapes.expect_shape(array=list)", "shapes", lambda: shapes.expect_shape("W", [[1.0]], (1, 1)),
            "reject", "W"),
        Row("nblib.shapes.expect_same_shape(a=None)", "shapes", lambda: shapes.expect_same_shape("A", None, "B", W),
            "reject", "A"),
        Row("nblib.shapes.expect_same_shape(b=list)", "shapes",
            lambda: shapes.expect_same_shape("A", W, "B", W.tolist()), "reject", "B"),
    ]


def house_prices_rows() -> list[Row]:
    from nblib.house_prices import split_house_prices

    def test_X(**kwargs):
        return lambda: split_house_prices(**kwargs)[1].X

    reference = split_house_prices(5, 0)[1].X
    return [
        Row("nblib.house_prices.split_house_prices(n_test=None)", "house prices", test_X(n_test=None), "reject",
            "n_test"),
        Row("nblib.house_prices.split_house_prices(n_test=True)", "house prices", test_X(n_test=True), "reject",
            "n_test"),
        Row("nblib.house_prices.split_house_prices(n_test=0)", "house prices", test_X(n_test=0), "reject", "n_test"),
        Row("nblib.house_prices.split_house_prices(n_test=10**9)", "house prices", test_X(n_test=10 ** 9), "reject",
            "n_test"),
        Row("nblib.house_prices.split_house_prices(n_test=5.0)", "house prices", test_X(n_test=5.0), "reject",
            "n_test"),
        Row("nblib.house_prices.split_house_prices(n_test=np.int64(5))", "house prices", test_X(n_test=np.int64(5)),
            "same", "n_test", reference),
        Row("nblib.house_prices.split_house_prices(seed=-1)", "house prices", test_X(seed=-1), "reject", "seed"),
        Row("nblib.house_prices.split_house_prices(seed='0')", "house prices", test_X(seed="0"), "reject", "seed"),
        Row("nblib.house_prices.split_house_prices(seed=np.int64(0))", "house prices",
            test_X(n_test=5, seed=np.int64(0)), "same", "seed", reference),
    ]


def check_rows() -> list[Row]:
    """Every exercise check given what is not the learner's function: None (a stub that returned nothing was called
    instead of passed) or a string (the function's name): a failed check that says to pass the function itself."""
    from nblib.exercises.feedback import CheckFailed

    def refuses(fn, bad) -> float:  # 1.0: refused with the message (which may say "matmul"/"broadcast": no judge)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                fn(bad)
        except CheckFailed as failed:
            return float(str(failed).startswith("pass your function itself"))
        return 0.0

    out = []
    for name, fn in sorted(public_names().items()):
        if name.startswith("nblib.exercises.") and name.rsplit(".", 1)[1].startswith("check_") \
                and name != "nblib.exercises.feedback.check_function":
            short = name.rsplit(".", 1)[1][len("check_"):]
            for bad in (None, short):
                out.append(Row(f"{name}({bad!r})", "exercise checks", lambda fn=fn, bad=bad: refuses(fn, bad), "same",
                               "function", 1.0))
    # The seed that repeats a check's random cases: a whole number ≥ 0, or a clean error naming it.
    from nblib import sigmoid
    from nblib.exercises.sigmoid import check_sigmoid_gradient as check

    def sigmoid_gradient(z):   # a learner's correct answer
        s = sigmoid(z)
        return s * (1.0 - s)

    def passes(seed):   # 1.0 once the check has passed (it returns nothing)
        return lambda: _quiet(lambda: check(sigmoid_gradient, seed=seed) or 1.0)()

    for bad in ("a", -1, 2.5, True):
        out.append(Row(f"check_sigmoid_gradient(…, seed={bad!r})", "exercise checks", passes(bad), "reject", "seed"))
    out.append(Row("check_sigmoid_gradient(…, seed=np.int64(7))", "exercise checks", passes(np.int64(7)), "same",
                   "seed", 1.0))
    return out


def autodiff_rows() -> list[Row]:
    """The backward rules (lesson 10's exercises, also callable on their own) and backward_steps; the engine's own
    named cases are tests/fuzz_cases.py's."""
    from nblib import autodiff

    A, B, G = np.ones((2, 3)), np.ones((3, 4)), np.ones((2, 4))
    x, y = np.array([[0.5, 2.0]]), np.exp(np.array([[0.5, 2.0]]))
    root = autodiff.Tensor(np.ones((2, 2)), "x").sum()

    def steps(**kwargs):
        return lambda: len(list(autodiff.backward_steps(**{"root": root, **kwargs})))

    return [
        Row("nblib.autodiff.matmul_backward(A=None)", "autodiff", lambda: autodiff.matmul_backward(None, B, G),
            "reject", "A"),
        Row("nblib.autodiff.matmul_backward(dOut=Bᵀ-shaped)", "autodiff",
            lambda: autodiff.matmul_backward(A, B, np.ones((4, 2))), "reject", "dOut"),
        Row("nblib.autodiff.matmul_backward(B=1-D)", "autodiff", lambda: autodiff.matmul_backward(A, np.ones(3), G),
            "reject", "B"),
        Row("nblib.autodiff.matmul_backward(lists)", "autodiff",
            lambda: autodiff.matmul_backward(A.tolist(), B.tolist(), G.tolist())[1], "same", "A", A.T @ G),
        Row("nblib.autodiff.broadcast_backward(dout=None)", "autodiff",
            lambda: autodiff.broadcast_backward(None, (1, 4)), "reject", "dout"),
        Row("nblib.autodiff.broadcast_backward(shape=None)", "autodiff", lambda: autodiff.broadcast_backward(G, None),
            "reject", "shape"),
        Row("nblib.autodiff.broadcast_backward(shape=(3, 4))", "autodiff",
            lambda: autodiff.broadcast_backward(G, (3, 4)), "reject", "shape"),
        Row("nblib.autodiff.broadcast_backward(shape=(1, 1, 4))", "autodiff",
            lambda: autodiff.broadcast_backward(G, (1, 1, 4)), "reject", "shape"),
        Row("nblib.autodiff.broadcast_backward(shape=(4,))", "autodiff", lambda: autodiff.broadcast_backward(G, (4,)),
            "same", "shape", 2 * np.ones(4)),
        Row("nblib.autodiff.exp_backward(dy=None)", "autodiff", lambda: autodiff.exp_backward(x, y, None), "reject",
            "dy"),
        Row("nblib.autodiff.exp_backward(dy of another shape)", "autodiff",
            lambda: autodiff.exp_backward(x, y, np.ones((3, 1))), "reject", "dy"),
        Row("nblib.autodiff.log_backward(x=None)", "autodiff", lambda: autodiff.log_backward(None, y, x), "reject",
            "x"),
        Row("nblib.autodiff.log_backward(x='1')", "autodiff", lambda: autodiff.log_backward("1", y, x), "reject", "x"),
        Row("nblib.autodiff.tanh_backward(y=None)", "autodiff", lambda: autodiff.tanh_backward(x, None, x), "reject",
            "y"),
        Row("nblib.autodiff.tanh_backward(dy of another shape)", "autodiff",
            lambda: autodiff.tanh_backward(x, np.tanh(x), np.ones((2, 2))), "reject", "dy"),
        Row("nblib.autodiff.power_backward(p=None)", "autodiff", lambda: autodiff.power_backward(x, None, x),
            "reject", "p"),
        Row("nblib.autodiff.power_backward(p=[2])", "autodiff", lambda: autodiff.power_backward(x, [2.0, 3.0], x),
            "reject", "p"),
        Row("nblib.autodiff.power_backward(x=None)", "autodiff", lambda: autodiff.power_backward(None, 2.0, x),
            "reject", "x"),
        Row("nblib.autodiff.divide_backward(b=None)", "autodiff", lambda: autodiff.divide_backward(x, None, x),
            "reject", "b"),
        Row("nblib.autodiff.divide_backward(dout of another shape)", "autodiff",
            lambda: autodiff.divide_backward(x, x, np.ones((3, 3))), "reject", "dout"),
        Row("nblib.autodiff.divide_backward(a column / a row)", "autodiff",
            lambda: autodiff.divide_backward(x.T, x, np.ones((2, 2)))[1], "same", "b", -(x.T / x ** 2).sum(
                axis=0, keepdims=True)),
        Row("nblib.autodiff.backward_steps(root=None)", "autodiff", lambda: list(autodiff.backward_steps(None)),
            "reject", "root"),
        Row("nblib.autodiff.backward_steps(grad=a string)", "autodiff", steps(grad="1"), "reject", "grad"),
        Row("nblib.autodiff.backward_steps(order=[])", "autodiff", steps(order=[]), "reject", "order"),
        Row("nblib.autodiff.backward_steps(order=None)", "autodiff", steps(order=None), "same", "order", 2),
    ]


def widget_rows() -> list[Row]:
    """Beyond tests/fuzz_cases_more.py's one row per widget function: NaN, huge, empty, out-of-range and wrong-type
    values of the arguments a slider or a lesson passes, and autodiff's sum/mean options."""
    from nblib import autodiff
    from nblib.widgets import deep as deep_w
    from nblib.widgets import delta_rule as delta_w
    from nblib.widgets import octave as octave_w
    from nblib.widgets import sigmoid as sigmoid_w
    from nblib.widgets import softmax as softmax_w
    from nblib.widgets import two_layer as two_layer_w

    nan, big = float("nan"), 10 ** 9
    t = autodiff.Tensor(np.ones((2, 2)), "t")
    return [
        Row("nblib.widgets.deep.gradient_norms(depth=10**9)", "widgets", lambda: deep_w.gradient_norms(big, "relu"),
            "reject", "depth"),
        Row("nblib.widgets.deep.gradient_norms(depth=2.5)", "widgets", lambda: deep_w.gradient_norms(2.5, "relu"),
            "reject", "depth"),
        Row("nblib.widgets.deep.gradient_norms(activation='tanh')", "widgets",
            lambda: deep_w.gradient_norms(3, "tanh"), "reject", "activation"),
        Row("nblib.widgets.deep.hidden_layers(depth=-1)", "widgets", lambda: deep_w.hidden_layers(-1), "reject",
            "depth"),
        Row("nblib.widgets.delta_rule.delta_table(w2_0=inf)", "widgets", lambda: delta_w.delta_table(np.inf, 0.1),
            "reject", "w2_0"),
        Row("nblib.widgets.delta_rule.delta_table(w2_0=1e308)", "widgets", lambda: delta_w.delta_table(1e308, 0.1),
            "reject", "w2_0"),
        Row("nblib.widgets.delta_rule.delta_table(eta=-1)", "widgets", lambda: delta_w.delta_table(0.1, 0.1, -1.0),
            "reject", "eta"),
        Row("nblib.widgets.delta_rule.y_limit(delta_hidden='a')", "widgets", lambda: delta_w.y_limit("a"), "reject",
            "delta_hidden"),
        Row("nblib.widgets.sigmoid.tangent_at(z0='0')", "widgets", lambda: sigmoid_w.tangent_at("0"), "reject",
            "z0"),
        Row("nblib.widgets.sigmoid.tangent_at(z0=1e308)", "widgets", lambda: sigmoid_w.tangent_at(1e308), "reject",
            "z0"),
        Row("nblib.widgets.sigmoid.summary(z0=NaN)", "widgets", lambda: sigmoid_w.summary(nan), "reject", "z0"),
        Row("nblib.widgets.softmax.saturation_data(m=0)", "widgets", lambda: softmax_w.saturation_data(0, 0),
            "reject", "m"),
        Row("nblib.widgets.softmax.saturation_data(m=10**9)", "widgets", lambda: softmax_w.saturation_data(0, big),
            "reject", "m"),
        Row("nblib.widgets.softmax.saturation_curve(loss='bogus')", "widgets",
            lambda: softmax_w.saturation_curve("bogus"), "reject", "loss"),
        Row("nblib.widgets.softmax.saturation_curve(w0=NaN)", "widgets",
            lambda: softmax_w.saturation_curve("cross-entropy", nan), "reject", "w0"),
        Row("nblib.widgets.softmax.saturation_curve(steps=10**9)", "widgets",
            lambda: softmax_w.saturation_curve("cross-entropy", -6.0, big), "reject", "steps"),
        Row("nblib.widgets.softmax.saturation_curve(alpha=NaN)", "widgets",
            lambda: softmax_w.saturation_curve("cross-entropy", -6.0, 3, nan), "reject", "alpha"),
        Row("nblib.widgets.softmax.summary(steps=0)", "widgets", lambda: softmax_w.summary(-6.0, 0), "reject",
            "steps"),
        Row("nblib.widgets.two_layer.loss_curve(learning_rate=NaN)", "widgets", lambda: two_layer_w.loss_curve(nan),
            "reject", "learning_rate"),
        Row("nblib.widgets.two_layer.loss_curve(m=10**9)", "widgets", lambda: two_layer_w.loss_curve(0.5, 3, m=big),
            "reject", "m"),
        Row("nblib.widgets.two_layer.product_blocks(n_in=10**9)", "widgets",
            lambda: two_layer_w.product_blocks(big, 5, 6), "reject", "n_in"),
        Row("nblib.widgets.two_layer.product_blocks(m=2.5)", "widgets", lambda: two_layer_w.product_blocks(4, 5, 2.5),
            "reject", "m"),
        Row("nblib.widgets.octave.draw_yv(y=[])", "widgets", _close_figures(lambda: octave_w.draw_yv([], 3)), "reject",
            "y"),
        Row("nblib.widgets.octave.draw_yv(y out of range)", "widgets",
            _close_figures(lambda: octave_w.draw_yv([1, 7], 3)), "reject", "y"),
        Row("nblib.autodiff.Tensor.sum(keepdims='yes')", "autodiff", lambda: t.sum(axis=0, keepdims="yes"),
            "reject", "keepdims"),
        Row("nblib.autodiff.Tensor.sum(axis='a')", "autodiff", lambda: t.sum(axis="a"), "reject", "axis"),
        Row("nblib.autodiff.Tensor.sum(axis=5)", "autodiff", lambda: t.sum(axis=5), "reject", "axis"),
        Row("nblib.autodiff.Tensor + None", "autodiff", lambda: t + None, "reject", "operand"),
        Row("nblib.autodiff.Tensor ** NaN", "autodiff", lambda: t ** nan, "reject", "exponent"),
        Row("nblib.autodiff.Tensor(1e308) * 10", "autodiff", lambda: autodiff.Tensor(1e308, "t") * 10, "reject",
            "t"),
    ]


def plots_data_rows() -> list[Row]:
    """nblib.plots' figure sizes and dpi, nblib.data's folder and paths, LivePlot's flag (beyond the first-argument
    rows of tests/fuzz_cases_more.py)."""
    from nblib import data, plots

    def live_update(final):
        def call():
            from nblib.widgets.live import LivePlot

            return LivePlot(lambda: None).update(final)
        return _quiet(_close_figures(call))

    fig, _ = plots.explorer_canvas()
    return [
        Row("nblib.plots.explorer_figure(figsize=(NaN, 1))", "plots", _close_figures(
            lambda: plots.explorer_figure(figsize=(float("nan"), 1))), "reject", "figsize"),
        Row("nblib.plots.explorer_figure(figsize=(1e9, 1))", "plots", _close_figures(
            lambda: plots.explorer_figure(figsize=(1e9, 1))), "reject", "figsize"),
        Row("nblib.plots.explorer_figure(figsize=(-1, 1))", "plots", _close_figures(
            lambda: plots.explorer_figure(figsize=(-1, 1))), "reject", "figsize"),
        Row("nblib.plots.explorer_canvas(figsize='ab')", "plots", lambda: plots.explorer_canvas(figsize="ab"),
            "reject", "figsize"),
        Row("nblib.plots.explorer_canvas(figsize=[7, 4])", "plots",
            lambda: tuple(plots.explorer_canvas(figsize=[7, 4])[0].get_size_inches()), "same", "figsize", (7.0, 4.0)),
        Row("nblib.plots.new_figure(ncols=10**9)", "plots", lambda: plots.new_figure(10 ** 9), "reject", "ncols"),
        Row("nblib.plots.smallest_text_px(dpi=NaN)", "plots", lambda: plots.smallest_text_px(fig, float("nan")),
            "reject", "dpi"),
        Row("nblib.plots.smallest_text_px(dpi=-1)", "plots", lambda: plots.smallest_text_px(fig, -1.0), "reject",
            "dpi"),
        Row("nblib.plots.tag_png(text_px=NaN)", "plots", lambda: plots.tag_png(plots.PNG_SIGNATURE, float("nan")),
            "reject", "text_px"),
        Row("nblib.data.checksums(folder=3)", "data", lambda: data.checksums(3), "reject", "folder"),
        Row("nblib.data.load_csv(folder=3)", "data", lambda: data.load_csv("house_prices.csv", 3), "reject",
            "folder"),
        Row("nblib.data.load_csv(name unlisted)", "data", _refusal(lambda: data.load_csv("nope.csv"),
                                                                    data.DataFileError), "reject", "name"),
        Row("nblib.data.sha256(path missing)", "data", _refusal(lambda: data.sha256(ROOT / "no-such-file"),
                                                                 data.DataFileError), "reject", "path"),
        Row("nblib.data.path(name='../x.csv')", "data", lambda: data.path("../x.csv"), "reject", "name"),
        Row("nblib.widgets.live.LivePlot.update(final='yes')", "widgets", live_update("yes"), "reject", "final"),
        Row("nblib.widgets.live.LivePlot.update(final=True)", "widgets", live_update(True), "same", "final", True),
    ]


def _close_figures(fn: Callable) -> Callable:
    def call():
        import matplotlib.pyplot as plt

        try:
            return fn()
        finally:
            plt.close("all")
    return call


def rows() -> list[Row]:
    return (autodiff_rows() + widget_rows() + plots_data_rows() + progress_rows() + quiz_rows() + solutions_rows()
            + gradcheck_rows() + shapes_rows() + house_prices_rows() + check_rows())


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    for row in rows():
        try:
            category, detail = row.run()
        except Exception as exc:  # noqa: BLE001 - the judge itself failed on what the call returned
            category, detail = "raw error", f"{type(exc).__name__}: {exc}"
        print(f"{row.group}\t{'handled' if category in ('correct', 'good error') else 'NOT handled'}\t{category}\t"
              f"{row.label}\t{detail[:150]!r}", flush=True)
