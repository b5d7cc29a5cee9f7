"""Every exercise check with the named mistakes the tests and tools/measure_checks.py already hold, gathered by lesson
(issue 27 §6): tests/test_exercises_sweep.py runs each mistake over many seeds and requires a CheckFailed with a
message — never another exception, whatever the random cases draw.

``mistakes_by_lesson()`` → {lesson: {exercise: (check, good, {description: function})}}. Besides the catalogues'
mistakes, each exercise gets three generic ones built from a correct solution: the answers of one run replayed
(hard-coded, as tools/measure_checks.py builds them), every float array of the answer negated, and every one scaled
by 1.001 — wrong values fed back into whatever the check computes from the learner's answer (the precedent:
check_one_epoch on a hard-coded solution)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LESSON_OF_MODULE = {"start": "00", "sigmoid": "01", "swish": "01", "chain_rule": "02", "huber": "02",
                    "two_layer": "02", "matrix_shapes": "03", "rows_layout": "03", "delta_rule_232": "04",
                    "two_hidden": "04", "delta_rule": "04", "deep": "05", "octave": "07", "capstone": "08",
                    "softmax": "09", "autodiff": "10"}
LESSON_06 = {"check_clinic_repair", "check_tanh_squared_error_start"}


def lesson_of(check) -> str:
    name = getattr(check, "__name__", "")
    if name in LESSON_06:
        return "06"
    return LESSON_OF_MODULE[check.__module__.rsplit(".", 1)[-1]]


def _module(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _fn(entry):
    return entry[0] if isinstance(entry, tuple) else entry


def _gather():
    """(check, good, {description: fn}) from every catalogue; the same check may appear in several."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    M = _module("measure_checks", ROOT / "tools" / "measure_checks.py")
    rows = []
    for check, good, wrong, _right in M.CATALOGUE.values():
        rows.append((check, good, {f"measure_checks: {d}": f for d, f in wrong.items()}))

    import test_exercises_01_02 as T12
    for name, (sol, ex) in T12.ALL.items():
        rows.append((ex["check"], sol, {f"01_02 {name}: {d}": _fn(e) for d, e in ex["wrong"].items()}))

    import test_exercises_derive_01_04 as TD
    for name, ex in TD.EXERCISES.items():
        rows.append((ex["check"], ex["good"], {f"derive {name}: {d}": _fn(e) for d, e in ex.get("wrong", {}).items()}))

    import test_exercises_03_04_delta as TDL
    for name, (check, sol, _alt) in TDL.CHECKS.items():
        rows.append((check, sol, {f"delta {name}: {d}": _fn(e) for d, e in TDL.TABLES[name].items()}))

    import test_exercises_03_04_matrix as TM
    slips = {"output_gradients": TM.OUTPUT_SLIPS, "bias_gradient": TM.BIAS_SLIPS, "hidden_gradients": TM.HIDDEN_SLIPS,
             "backward": TM.BACKWARD_SLIPS}
    for name, (check, sol, _alt) in TM.CHECKS.items():
        rows.append((check, sol, {f"matrix {name}: {d}": _fn(e) for d, e in slips[name].items()}))

    import test_exercises_05 as T5
    for name, (check, sol, wrong, _right) in T5.EXERCISES.items():
        rows.append((check, sol, {f"05 {name}: {d}": _fn(e) for d, e in wrong.items()}))

    import test_exercises_06_07 as T67
    for name, (check, good, _alts) in T67.CHECKS.items():
        wrong = {f"06_07 {name}: #{i}": _fn(e) for i, e in enumerate(T67.MISTAKES.get(name, []))}
        rows.append((check, good, wrong))

    import test_exercises_softmax as TS
    rows.append((TS.check_smoothed_gradient, TS.own_smoothed,
                 {f"softmax smoothed #{i}": f for i, (f, _) in enumerate(TS.SMOOTHED_MISTAKES)}))
    rows.append((TS.check_softmax_gradient, TS.own_gradient,
                 {f"softmax weighted #{i}": f for i, (f, _) in enumerate(TS.WEIGHTED_MISTAKES)}))
    for check, good in TS.CHECKS:
        rows.append((check, good, {}))

    import test_exercises_autodiff as TA

    from nblib import autodiff

    def value_of_W_ho(X, Y, p):
        h = (p["W_ih"].T @ X + p["b_ih"]).sigmoid()
        return 0.5 * ((Y - (p["W_ho"].value.T @ h + p["b_ho"]).sigmoid()) ** 2).sum()

    def in_place(X, Y, p):
        E = TA.graph(X, Y, p)
        p["W_ih"].value += 1.0
        return E

    rows.append((TA.check_two_layer_graph, TA.graph, {
        "autodiff two_layer_graph: ×2": lambda X, Y, p: TA.graph(X, Y, p) * 2.0,
        "autodiff two_layer_graph: 1/m": lambda X, Y, p: TA.graph(X, Y, p) * (1.0 / X.shape[1]),
        "autodiff two_layer_graph: .value": lambda X, Y, p: TA.graph(X, Y, p).value,
        "autodiff two_layer_graph: W_ho.value": value_of_W_ho,
        "autodiff two_layer_graph: in place": in_place,
        "autodiff two_layer_graph: Tensor(0)": lambda X, Y, p: autodiff.Tensor(0.0),
        "autodiff two_layer_graph: no ½": lambda X, Y, p: ((Y - (p["W_ho"].T @ (p["W_ih"].T @ X + p["b_ih"])
                                                                  .sigmoid() + p["b_ho"]).sigmoid()) ** 2).sum()}))
    return rows, M


def _map(x, f):
    import numpy as np

    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return f(x)
    if isinstance(x, dict):
        return {k: _map(v, f) for k, v in x.items()}
    if isinstance(x, (tuple, list)):
        return type(x)(_map(v, f) for v in x)
    if isinstance(x, float) and not isinstance(x, bool):
        return float(f(np.float64(x)))
    return x


def mistakes_by_lesson():
    rows, M = _gather()
    lessons: dict[str, dict[str, tuple]] = {}
    for check, good, wrong in rows:
        name = check.__name__.removeprefix("check_")
        if check.__module__.endswith("two_layer") and name == "backward":
            name = "two_layer.backward"
        lesson = lessons.setdefault(lesson_of(check), {})
        _, known_good, known = lesson.get(name, (check, good, {}))
        lesson[name] = (check, known_good, {**known, **wrong})
    for exercises in lessons.values():
        for check, good, wrong in exercises.values():
            with contextlib.redirect_stdout(io.StringIO()):
                wrong["generic: hard-coded from one run"] = M.hard_coded(check, good)
            wrong["generic: negated"] = lambda *a, g=good: _map(g(*a), lambda v: -v)
            wrong["generic: scaled by 1.001"] = lambda *a, g=good: _map(g(*a), lambda v: v * 1.001)
    return lessons
