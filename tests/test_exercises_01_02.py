"""Lessons 01–02's exercises (issue 15): every check refuses the stub ("not written yet"), passes the notebook's own
solution and correct alternatives (loops, np.einsum, another order of the factors), names each mistake with the step of
the derivation it breaks, refuses the nblib helper that is the answer, float32, in-place changes and answers
hard-coded from the fixed cases; every solution is also checked against central differences (nblib.check_gradients);
and no solution line appears anywhere else on the page or in the student edition."""

import contextlib
import io
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nblib
from nblib import two_layer
from nblib.exercises import CheckFailed
from nblib.exercises import chain_rule as CR
from nblib.exercises import sigmoid as S
from nblib.exercises import two_layer as TL

ROOT = Path(__file__).resolve().parents[1]
LESSON_01 = ROOT / "notebooks" / "01_sigmoid_gradient.ipynb"
LESSON_02 = ROOT / "notebooks" / "02_chain_rule_W_ho_W_ih.ipynb"
U = np.finfo(np.float64).eps


def solution_functions(path):
    """The notebook's exercise functions, defined by running only its solution cells."""
    namespace = {"np": np, "nblib": nblib, "two_layer": two_layer}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            exec(cell.source, namespace)  # noqa: S102 — the course's own notebook
    return namespace


SOL1 = solution_functions(LESSON_01)
SOL2 = solution_functions(LESSON_02)


def fails(check, fn, pattern, **kw):
    with pytest.raises(CheckFailed) as info:
        check(fn, **kw)
    assert re.search(pattern, str(info.value)), str(info.value)
    return str(info.value)


def stub(*args):
    raise NotImplementedError("Write the body (see the text above), then run the check cell below.")


def float32(fn):
    return lambda *a: np.asarray(fn(*a), dtype=np.float32)


def hard_coded(check, good):
    """Record the right answers of the fixed cases, replay them; an unseen (random) input gets the first one."""
    table = []

    def spy(*a):
        out = good(*a)
        table.append((a, out))
        return out

    with contextlib.redirect_stdout(io.StringIO()):
        check(spy, seed=0)

    def same(a, b):
        if isinstance(a, dict):
            return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if callable(a):
            return a is b
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)

    def replay(*a):
        return next((out for args, out in table if all(same(x, y) for x, y in zip(args, a))), table[0][1])

    return replay


# --- lesson 01 ------------------------------------------------------------------------------------------------

def sg_inplace(z):
    if isinstance(z, np.ndarray):
        np.negative(z, out=z)  # σ′ is even, so the values stay right — only the caller's array changed
    s = nblib.sigmoid(z)
    return s * (1 - s)


def quotient_loops(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        e = np.exp(-abs(z[index]))
        out[index] = e / (1 + e) / (1 + e)
    return out[()] if out.ndim == 0 else out


def cd_inplace(f, z):
    if isinstance(z, np.ndarray):
        step = U ** (1 / 3) * np.maximum(1.0, np.abs(z))
        z += step
        up = f(z)
        z -= 2 * step
        return (up - f(z)) / (2 * step)
    return SOL1["central_difference_auto"](f, z)


def cd_loops(f, z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        h = np.cbrt(U) * max(1.0, abs(float(z[index])))
        out[index] = (f(z[index] + h) - f(z[index] - h)) / ((z[index] + h) - (z[index] - h))
    return out[()] if out.ndim == 0 else out


LESSON_01_EXERCISES = {
    "sigmoid_gradient": dict(
        check=S.check_sigmoid_gradient,
        right={"σ·σ(−z)": lambda z: nblib.sigmoid(z) * nblib.sigmoid(-np.asarray(z, dtype=float)),
               "σ − σ²": lambda z: nblib.sigmoid(z) - nblib.sigmoid(z) ** 2},
        wrong={"σ itself": (nblib.sigmoid, r"σ\(z\) itself"),
               "a(1 − a) of z": (lambda z: z * (1 - z), r"applied to z instead of to a = σ\(z\) \(step 4"),
               "no σ factor": (lambda z: 1 - nblib.sigmoid(z), r"factor σ\(z\) is missing \(step 3"),
               "sign": (lambda z: -SOL1["sigmoid_gradient"](z), r"sign is flipped \(step 2"),
               "stray 2": (lambda z: 2 * SOL1["sigmoid_gradient"](z), r"stray factor 2 .*step 2"),
               "σ′ of a": (lambda z: SOL1["sigmoid_gradient"](nblib.sigmoid(z)), r"applied to a = σ\(z\) instead"),
               "naive exp": (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "overflow"),
               "in place": (sg_inplace, r"changed its input z in place")},
        helper=(lambda z: nblib.sigmoid_gradient(z), r"write it yourself — this exercise is what "
                                                     r"nblib\.activations\.sigmoid_gradient does")),
    "sigmoid_gradient_quotient": dict(
        check=S.check_sigmoid_gradient_quotient,
        right={"loops": quotient_loops,
               "e^(z) form at −|z|": lambda z: (lambda e: e / (1 + 2 * e + e * e))(np.exp(-np.abs(z)))},
        wrong={"no square": (lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))),
                             r"step 3 of the quotient rule divides by v², .*the square is missing"),
               "sign": (lambda z: -np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,
                        r"sign is flipped — step 2: v′"),
               "numerator squared": (lambda z: np.exp(-2 * np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,
                                     r"step 3's numerator is −u·v′"),
               "σ itself": (lambda z: 1 / (1 + np.exp(-np.abs(z))), r"the function itself, not its derivative"),
               "no |z|": (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
                          r"warns on z = \[-1000.*overflow.*Step 4 of the exercise \(make the fraction safe"),
               "σ(1 − σ), stable σ": (lambda z: (lambda s: s * (1 - s))(np.where(np.asarray(z) >= 0, 1 / (1 + np.exp(
                   -np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))),
                   r"On z = \[-50.*σ\(z\)\(1 − σ\(z\)\) \(or σ − σ²\) with the stable σ: .*loses its digits"),
               "calls nblib.sigmoid": (lambda z: nblib.sigmoid(z) * (1 - nblib.sigmoid(z)),
                                       r"calls nblib\.sigmoid: write it yourself .*np\.exp only")},
        helper=(lambda z: nblib.sigmoid_gradient(z), r"write it yourself — this exercise is what "
                                                     r"nblib\.activations\.sigmoid_gradient does")),
    "tanh_gradient": dict(
        check=S.check_tanh_gradient,
        right={"4σ′(2z)": lambda z: 4 * nblib.sigmoid_gradient(2 * np.asarray(z, dtype=float)),
               "(1 − t)(1 + t)": lambda z: (1 - np.tanh(z)) * (1 + np.tanh(z)),
               "e^(−2|z|) form": lambda z: (lambda e: 4 * e / (1 + e) ** 2)(np.exp(-2 * np.abs(z)))},
        wrong={"tanh itself": (np.tanh, r"tanh\(z\) itself"),
               "no square": (lambda z: 1 - np.tanh(z), r"step 3 .*the square is missing"),
               "no 1 −": (lambda z: np.tanh(z) ** 2, r"step 3 .*two fractions, and one of them is missing"),
               "sign": (lambda z: np.tanh(z) ** 2 - 1, r"sign is flipped — step 2"),
               "of z": (lambda z: 1 - np.asarray(z, dtype=float) ** 2, r"applied to z instead of to a = tanh"),
               "σ′": (lambda z: nblib.sigmoid_gradient(z), r"sigmoid's derivative"),
               "cosh": (lambda z: 1 / np.cosh(z) ** 2, r"overflow encountered in cosh.*np\.tanh never overflows")},
        helper=None),  # nblib has no tanh′: nothing to refuse
    "central_difference_auto": dict(
        check=S.check_central_difference_auto,
        right={"loops, cbrt, (z+ε)−(z−ε)": cd_loops,
               "split fraction": lambda f, z: (lambda zz, h: f(zz + h) / (2 * h) - f(zz - h) / (2 * h))(
                   np.asarray(z, float), U ** (1 / 3) * np.maximum(1, np.abs(z)))},
        wrong={"fixed 1e-5": (lambda f, z: (f(np.asarray(z) + 1e-5) - f(np.asarray(z) - 1e-5)) / 2e-5,
                              r"a fixed ε = 1e-5: step 2 of the rule"),
               "no max(1, |z|)": (lambda f, z: (f(np.asarray(z) + U ** (1 / 3)) - f(np.asarray(z) - U ** (1 / 3)))
                                  / (2 * U ** (1 / 3)), r"without the factor max\(1, \|z\|\): step 2"),
               "u^(1/2)": (lambda f, z: (lambda h: (f(z + h) - f(z - h)) / (2 * h))(
                   np.sqrt(U) * np.maximum(1, np.abs(z))), r"u\^\(1/2\).*step 1 of the rule"),
               "one-sided": (lambda f, z: (lambda h: (f(z + h) - f(z)) / h)(U ** (1 / 3) * np.maximum(1, np.abs(z))),
                             r"one-sided difference .*step 3"),
               "/ε": (lambda f, z: (lambda h: (f(z + h) - f(z - h)) / h)(U ** (1 / 3) * np.maximum(1, np.abs(z))),
                      r"divided by ε instead of 2ε \(step 3"),
               "in place": (cd_inplace, r"changed its input z in place")},
        helper=None),  # nblib.numerical_gradient uses a fixed ε: not this exercise's answer
}


# --- lesson 02 ------------------------------------------------------------------------------------------------

def parts(x, y, p, c):
    O, h1 = c["O"], c["h1"]
    d2 = (O - y) * O * (1 - O)
    return O, h1, d2, (p["W_ho"] @ d2) * h1 * (1 - h1)


def _from_mistake(key, description):
    """A student's slip that produces exactly what the check's catalogue says (the right answer where it does not
    apply, e.g. a transpose on a net whose shapes are not square)."""
    def slip(x, y, p, c):
        right = two_layer.backward.__wrapped__(x, y, p, c)[key]
        return CR.mistakes(key, x, y, p).get(description, right)
    return slip


def _inplace_cache(x, y, p, c):
    O = c["O"]
    O *= 1 - O  # "O(1 − O), computed in place" — writes σ′ into the caller's cache
    return c["h1"] @ ((O - y) * O).T


LESSON_02_EXERCISES = {
    "dE_dW_ho_loops": dict(
        check=CR.check_dE_dW_ho_loops, key="W_ho",
        right={"vectorised": lambda x, y, p, c: c["h1"] @ parts(x, y, p, c)[2].T,
               "einsum": lambda x, y, p, c: np.einsum("jm,km->jk", c["h1"], parts(x, y, p, c)[2])},
        wrong={"sign": (lambda x, y, p, c: -(c["h1"] @ parts(x, y, p, c)[2].T), r"step 1 of the derivation .*sign"),
               "no O(1 − O)": (lambda x, y, p, c: c["h1"] @ (c["O"] - y).T,
                               r"step 2 of the derivation .*O\(1 − O\) is missing"),
               "σ′(O)": (lambda x, y, p, c: c["h1"] @ ((c["O"] - y) * nblib.sigmoid_gradient(c["O"])).T,
                         r"step 2 .*you wrote σ\(O\)\(1 − σ\(O\)\)"),
               "Z2": (lambda x, y, p, c: c["h1"] @ ((c["O"] - y) * c["Z2"] * (1 - c["Z2"])).T,
                      r"step 2 .*pre-activation Z2"),
               "x for h1": (lambda x, y, p, c: x @ parts(x, y, p, c)[2].T,
                            r"With a 3-3-3 net.*step 3 .*you used x, the input layer's values \(the wrong layer\)"),
               "Z1 for h1": (lambda x, y, p, c: c["Z1"] @ parts(x, y, p, c)[2].T, r"step 3 .*pre-activation Z1"),
               "no h1": (lambda x, y, p, c: np.ones_like(c["h1"]) @ parts(x, y, p, c)[2].T,
                         r"step 3 .*the factor h1,j is missing"),
               "transpose": (lambda x, y, p, c: parts(x, y, p, c)[2] @ c["h1"].T,
                             r"With a 3-3-3 net.*transpose of the right answer.*step 3"),
               "in place": (_inplace_cache, r"changed its input cache in place")}),
    "dE_db_ho_loops": dict(
        check=CR.check_dE_db_ho_loops, key="b_ho",
        right={"vectorised": lambda x, y, p, c: parts(x, y, p, c)[2].copy(),
               "sum over the one column": lambda x, y, p, c: parts(x, y, p, c)[2].sum(axis=1, keepdims=True)},
        wrong={"sign": (lambda x, y, p, c: (y - c["O"]) * c["O"] * (1 - c["O"]), r"step 1 .*sign is flipped"),
               "no O(1 − O)": (lambda x, y, p, c: c["O"] - y, r"step 2 .*O\(1 − O\) is missing"),
               "Z2": (lambda x, y, p, c: (c["O"] - y) * c["Z2"] * (1 - c["Z2"]), r"step 2 .*pre-activation Z2"),
               "times h1": (lambda x, y, p, c: parts(x, y, p, c)[2] * c["h1"].sum(),
                            r"step 3 .*you multiplied by h1, the factor a weight W_ho,j gets")}),
    "dE_dW_ih_loops": dict(
        check=CR.check_dE_dW_ih_loops, key="W_ih",
        right={"vectorised": lambda x, y, p, c: x @ parts(x, y, p, c)[3].T,
               "einsum": lambda x, y, p, c: np.einsum("im,jk,km,jm->ij", x, p["W_ho"], parts(x, y, p, c)[2],
                                                      c["h1"] * (1 - c["h1"]))},
        wrong={"sign": (lambda x, y, p, c: -(x @ parts(x, y, p, c)[3].T), r"step 1 .*sign is flipped"),
               "no h1(1 − h1)": (lambda x, y, p, c: x @ (p["W_ho"] @ parts(x, y, p, c)[2]).T,
                                 r"step 5 .*the hidden layer's σ′ is missing"),
               "no W_ho": (lambda x, y, p, c: x @ (parts(x, y, p, c)[2].sum(axis=0) * c["h1"] * (1 - c["h1"])).T,
                           r"step 4 .*W_ho,j is missing"),
               "W_ih for W_ho": (lambda x, y, p, c: x @ ((p["W_ih"] @ parts(x, y, p, c)[2])
                                                         * c["h1"] * (1 - c["h1"])).T,
                                 r"With a 3-3-3 net.*step 4 .*you used W_ih \(the wrong layer's weights\)"),
               "h1 for x": (lambda x, y, p, c: c["h1"] @ parts(x, y, p, c)[3].T,
                            r"With a 3-3-3 net.*step 6 .*you used h1 \(the wrong layer's values\)"),
               "σ′ at the output": (lambda x, y, p, c: x @ ((p["W_ho"] @ parts(x, y, p, c)[2])
                                                            * (c["O"] * (1 - c["O"])).sum(axis=0)).T,
                                    r"step 5 .*taken at the output, O\(1 − O\)"),
               "transpose": (lambda x, y, p, c: parts(x, y, p, c)[3] @ x.T,
                             r"With a 3-3-3 net.*transpose of the right answer.*step 6"),
               "outputs summed apart": (lambda x, y, p, c: x @ ((p["W_ho"].sum(axis=1, keepdims=True)
                                                                 * parts(x, y, p, c)[2].sum(axis=0))
                                                                * c["h1"] * (1 - c["h1"])).T,
                                        r"step 4 .*sum W_ho\[j, k\]·δ2_k over k")}),
    "dE_db_ih_loops": dict(
        check=CR.check_dE_db_ih_loops, key="b_ih",
        right={"vectorised": lambda x, y, p, c: parts(x, y, p, c)[3].copy(),
               "einsum": lambda x, y, p, c: np.einsum("jk,km,jm->jm", p["W_ho"], parts(x, y, p, c)[2],
                                                      c["h1"] * (1 - c["h1"]))},
        wrong={"sign": (lambda x, y, p, c: -parts(x, y, p, c)[3], r"step 1 .*sign is flipped"),
               "no h1(1 − h1)": (lambda x, y, p, c: p["W_ho"] @ parts(x, y, p, c)[2],
                                 r"step 5 .*the hidden layer's σ′ is missing"),
               "no O(1 − O)": (lambda x, y, p, c: (p["W_ho"] @ (c["O"] - y)) * c["h1"] * (1 - c["h1"]),
                               r"step 2 .*O\(1 − O\) is missing"),
               "times x": (lambda x, y, p, c: parts(x, y, p, c)[3] * x.sum(),
                           r"step 6 .*you multiplied by x, the factor a weight W_ih\[i, j\] gets"),
               "W_ih for W_ho": (lambda x, y, p, c: (p["W_ih"] @ parts(x, y, p, c)[2]) * c["h1"] * (1 - c["h1"]),
                                 r"step 4 .*W_ih")}),
}

for _name, _ex in LESSON_02_EXERCISES.items():
    _key_ = _ex["key"]
    _ex["wrong"]["in place (x)"] = (
        (lambda fn: lambda x, y, p, c: (x.__imul__(1.0), x.__setitem__((0, 0), x[0, 0] + 0.5), fn(x, y, p, c))[2])(
            SOL2[_name]), r"changed its input x in place")
    _ex["helper"] = ((lambda k: lambda x, y, p, c: two_layer.backward(x, y, p, c)[k])(_key_),
                     r"write it yourself — this exercise is what nblib\.two_layer\.backward does")

ALL = {**{n: (SOL1[n], ex) for n, ex in LESSON_01_EXERCISES.items()},
       **{n: (SOL2[n], ex) for n, ex in LESSON_02_EXERCISES.items()}}


def test_each_lesson_has_at_least_four_exercises():
    assert set(LESSON_01_EXERCISES) <= set(SOL1) and set(LESSON_02_EXERCISES) <= set(SOL2)
    assert len(LESSON_01_EXERCISES) >= 4 and len(LESSON_02_EXERCISES) >= 4


@pytest.mark.parametrize("name", list(ALL))
def test_stub_fails_not_written_yet(name):
    _, ex = ALL[name]
    fails(ex["check"], stub, rf"^{name} is not written yet: replace the `raise NotImplementedError` line$")


@pytest.mark.parametrize("name", list(ALL))
def test_notebook_solution_and_correct_alternatives_pass(name, capsys):
    solution, ex = ALL[name]
    for seed in range(4):
        ex["check"](solution, seed=seed)
    for alternative in ex["right"].values():
        ex["check"](alternative, seed=11)
    out = capsys.readouterr().out
    assert out.count("✔") == 4 + len(ex["right"]) and "✘" not in out


@pytest.mark.parametrize("name", list(ALL))
def test_named_mistakes_each_get_their_own_message(name):
    _, ex = ALL[name]
    named = {k: v for k, v in ex["wrong"].items() if not k.startswith("in place")}
    assert len(named) >= 3
    messages = {label: fails(ex["check"], fn, pattern, seed=5) for label, (fn, pattern) in ex["wrong"].items()}
    assert len(set(messages.values())) == len(messages), "two mistakes share one message"


@pytest.mark.parametrize("name", list(ALL))
def test_float32_hard_coded_and_the_helper_fail(name):
    solution, ex = ALL[name]
    fails(ex["check"], float32(solution), "dtype float32, expected float64")
    message = fails(ex["check"], hard_coded(ex["check"], solution), r"random case .*seed=\d+")
    seed = int(re.search(r"seed=(\d+)", message).group(1))
    fails(ex["check"], hard_coded(ex["check"], solution), rf"seed {seed}", seed=seed)
    if ex["helper"]:
        fails(ex["check"], *ex["helper"])


@pytest.mark.parametrize("key", sorted(CR.mistakes("W_ho", *CR.cases()[0][1:])))
def test_every_catalogued_W_ho_mistake_is_named(key):
    fails(CR.check_dE_dW_ho_loops, _from_mistake("W_ho", key), re.escape(key))


@pytest.mark.parametrize("grad", ["b_ho", "W_ih", "b_ih"])
def test_every_catalogued_mistake_is_named(grad):
    check = {"b_ho": CR.check_dE_db_ho_loops, "W_ih": CR.check_dE_dW_ih_loops, "b_ih": CR.check_dE_db_ih_loops}[grad]
    for key in CR.mistakes(grad, *CR.cases()[0][1:]):
        fails(check, _from_mistake(grad, key), re.escape(key))


@pytest.mark.parametrize("key", ["b_ho", "W_ih", "b_ih"])
def test_no_message_gives_a_factor_the_learner_derives(key):
    """Issue 25 §1/§7: step 3 for b_ho and steps 5–6 are the learner's (lesson 02's exercises 2–4), so no message of
    their checks states ∂Z2/∂b_ho = 1, h1(1 − h1), x_i or ∂Z1/∂b_ih = 1 (a message names the step, not its value)."""
    for _, x, y, params in CR.cases(seed=4):
        for description in CR.mistakes(key, x, y, params):
            for factor in ("= 1", "h1(1 − h1)", "h1,j(1 − h1,j)", "= x_i", "factor 1"):
                assert factor not in description, description


def test_loop_checks_cover_one_house_several_outputs_and_square_nets():
    nets = CR.cases(seed=3)
    assert all(x.shape[1] == 1 and y.shape[1] == 1 for _, x, y, _ in nets)  # one house: m = 1
    shapes = [(x.shape[0], p["W_ho"].shape[0], y.shape[0]) for _, x, y, p in nets[:3]]
    assert (3, 3, 3) in shapes and (4, 5, 1) in shapes and any(n_out >= 2 for *_, n_out in shapes)
    assert any("random" in label for label, *_ in nets)


def test_matrix_exercise_of_lesson_02_still_works_for_m_equal_to_n_hidden_other_m_and_one(capsys):
    ms = {(X.shape[1], p["W_ho"].shape[0], Y.shape[0]) for _, X, Y, p in TL._cases()}
    assert {m for m, _, _ in ms} >= {1, 6, 5} and any(m == n_hidden for m, n_hidden, _ in ms)
    assert any(m != n_hidden for m, n_hidden, _ in ms) and any(n_out >= 2 for *_, n_out in ms)
    TL.check_dE_dW_ih(SOL2["dE_dW_ih"], seed=2)
    fails(TL.check_dE_dW_ih, stub, "not written yet")
    fails(TL.check_dE_dW_ih, lambda X, Y, p, c: -SOL2["dE_dW_ih"](X, Y, p, c), "sign is flipped")
    fails(TL.check_dE_dW_ih, lambda X, Y, p, c: SOL2["dE_dW_ih"](X, Y, p, c) / X.shape[1], r"extra 1/m \(m = 6\)")


# --- every derivative against central differences, float64 ---------------------------------------------------

@pytest.mark.parametrize("name, f", [("sigmoid_gradient", nblib.sigmoid),
                                     ("sigmoid_gradient_quotient", nblib.sigmoid), ("tanh_gradient", np.tanh)])
def test_lesson_01_derivatives_match_central_differences(name, f):
    z = np.array([[-6.0, -2.5, -0.3], [0.4, 1.7, 5.0]])
    report = nblib.check_gradients(lambda p: float(np.sum(f(p["z"]))), {"z": z}, {"z": SOL1[name](z)})
    assert report.ok, report


def test_lesson_01_central_difference_auto_is_accurate():
    for f, df, z in [(np.exp, np.exp, np.linspace(-3, 3, 13)), (np.sin, np.cos, np.linspace(-3, 3, 13)),
                     (lambda z: z ** 3, lambda z: 3 * z ** 2, np.array([1e4, -3e4, 7e5])),
                     (np.log, lambda z: 1 / z, np.array([0.5, 40.0, 2e5]))]:
        estimate = SOL1["central_difference_auto"](f, z)
        assert nblib.relative_error(estimate, df(z)) <= 1e-9
        fixed = (f(z + 1e-5) - f(z - 1e-5)) / 2e-5  # the page's fixed ε is never better by more than round-off
        assert np.all(np.abs(estimate - df(z)) <= np.abs(fixed - df(z)) + 1e-9 * np.abs(df(z)))


@pytest.mark.parametrize("index", range(5))
def test_lesson_02_loops_match_central_differences(index):
    _, x, y, params = CR.cases(seed=7)[index]
    cache = two_layer.forward(x, params)
    grads = {"W_ho": SOL2["dE_dW_ho_loops"](x, y, params, cache), "b_ho": SOL2["dE_db_ho_loops"](x, y, params, cache),
             "W_ih": SOL2["dE_dW_ih_loops"](x, y, params, cache), "b_ih": SOL2["dE_db_ih_loops"](x, y, params, cache)}
    report = nblib.check_gradients(lambda p: two_layer.loss(x, y, p), params, grads)
    assert report.ok, report


# --- the page never holds the answer --------------------------------------------------------------------------

def _student_edition(path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import student_edition
    finally:
        sys.path.pop(0)
    return student_edition.student_notebook(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", [LESSON_01, LESSON_02], ids=["01", "02"])
def test_no_solution_line_anywhere_else_on_the_page(path):
    teacher = nbformat.read(path, as_version=4)
    student = _student_edition(path)
    lines = set()
    for cell in teacher.cells:
        for span in re.findall(r"### BEGIN SOLUTION[^\n]*\n(.*?)### END SOLUTION", cell.source, re.S):
            lines |= {line.split("#")[0].strip() for line in span.splitlines()}
    lines = {line for line in lines if len(line) > 6}
    assert lines
    for cell in student.cells:
        for line in lines:
            assert line not in cell.source, f"{path.name}: a solution line is on the page: {line!r}\n{cell.source}"


@pytest.mark.parametrize("path", [LESSON_01, LESSON_02], ids=["01", "02"])
def test_each_exercise_has_its_slide_two_hints_and_a_check_right_after(path):
    cells = nbformat.read(path, as_version=4).cells
    for i, cell in enumerate(cells):
        if "### BEGIN SOLUTION" not in cell.source:
            continue
        instructions, check = cells[i - 1], cells[i + 1]
        assert instructions.cell_type == "markdown" and instructions.source.startswith("## Exercise")
        assert instructions.metadata["slideshow"]["slide_type"] == "slide"
        assert instructions.source.count("<details><summary>Hint") == 2
        assert "<summary>Hint 1</summary>" in instructions.source and "<summary>Hint 2</summary>" in instructions.source
        assert re.search(r"^check_\w+\(\w+\)$", check.source, re.M), check.source
        name = re.search(r"def (\w+)\(", cell.source).group(1)
        assert f"({name})" in check.source and '"""' in cell.source  # the check takes it; a docstring with shapes
