"""Lesson 10's checks. matmul_backward, broadcast_backward and the new ops' rules (exp, log, tanh, power, divide)
are judged with every other check in tests/test_exercises_judge.py (catalogue: tools/measure_checks.py); here: their
references against central differences, the engine running the learner's rules, and check_two_layer_graph, whose
answer is a Tensor (so the catalogue's float32 and replay wrappers do not apply)."""

import re

import numpy as np
import pytest

from nblib import autodiff
from nblib.autodiff import Tensor, zero_grad
from nblib.exercises import CheckFailed
from nblib.exercises import autodiff as ex
from nblib.exercises.autodiff import check_two_layer_graph
from nblib.gradcheck import numerical_gradient


def _rel_err(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-300))


def test_the_rules_match_central_differences():
    """Every reference rule of lesson 10 against central differences in float64 (relative error ≤ 1e-7)."""
    rng = np.random.default_rng(1)
    A, B, dOut = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    dA, dB = autodiff.matmul_backward(A, B, dOut)
    assert _rel_err(dA, numerical_gradient(lambda a: float(np.sum(dOut * (a @ B))), A.copy())) <= 1e-7
    assert _rel_err(dB, numerical_gradient(lambda b: float(np.sum(dOut * (A @ b))), B.copy())) <= 1e-7
    b, out = rng.normal(size=(3, 1)), rng.normal(size=(2, 3, 4))
    assert _rel_err(autodiff.broadcast_backward(out, b.shape),
                    numerical_gradient(lambda v: float(np.sum(out * np.broadcast_to(v, out.shape))), b.copy())) <= 1e-7
    unary = {"exp": (np.exp, autodiff.exp_backward, rng.normal(0, 2, (2, 3))),
             "log": (np.log, autodiff.log_backward, np.array([[1e-3, 0.02, 0.5], [1.0, 3.0, 40.0]])),
             "tanh": (np.tanh, autodiff.tanh_backward, np.array([[-5.0, -0.3, 0.0], [0.2, 1.0, 5.0]]))}
    for name, (f, rule, x) in unary.items():
        dy = rng.normal(size=x.shape)
        eps = 1e-6 * float(np.min(x)) if name == "log" else 1e-6  # a step that stays inside log's domain
        want = numerical_gradient(lambda v, f=f, dy=dy: float(np.sum(dy * f(v))), x.copy(), eps=eps)
        assert _rel_err(rule(x, f(x), dy), want) <= 1e-7, name
    for p, x in ((3.0, np.array([[-2.0, -0.5, 1.5]])), (0.5, np.array([[0.01, 0.5, 4.0]])),
                 (-2.0, np.array([[-1.5, 0.5, 2.0]])), (2.0, np.array([[0.0, 1.0, -3.0]]))):
        dy = rng.normal(size=x.shape)
        want = numerical_gradient(lambda v, p=p, dy=dy: float(np.sum(dy * v ** p)), x.copy(), eps=1e-7)
        assert _rel_err(autodiff.power_backward(x, p, dy), want) <= 1e-7, p
    for sa, sb in (((3, 4), (3, 4)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 4), ()), ((), (2, 3)), ((1, 4), (3, 1))):
        a = rng.normal(size=sa)
        b = rng.uniform(0.5, 2.0, sb) * rng.choice([-1.0, 1.0], sb)
        dout = rng.normal(size=np.broadcast_shapes(sa, sb))
        da, db = autodiff.divide_backward(a, b, dout)
        fa = lambda v, b=b, dout=dout: float(np.sum(dout * (v / b)))  # noqa: E731
        fb = lambda v, a=a, dout=dout: float(np.sum(dout * (a / v)))  # noqa: E731
        assert _rel_err(da, numerical_gradient(fa, np.array(a, float))) <= 1e-7
        assert _rel_err(db, numerical_gradient(fb, np.array(b, float))) <= 1e-7


def test_the_engine_runs_the_learners_rules_inside_your_rules():
    """A wrong rule handed to your_rules changes the engine's gradient (the learner's code is what runs)."""
    x = Tensor(np.array([[0.5, 2.0]]), "x")
    with autodiff.your_rules(log=lambda x, y, dy: dy * x):
        x.log().sum().backward()
    np.testing.assert_allclose(x.grad, [[0.5, 2.0]])
    zero_grad(x)
    x.log().sum().backward()
    np.testing.assert_allclose(x.grad, [[2.0, 0.5]])


def graph(X, Y, params):
    hidden = (params["W_ih"].T @ X + params["b_ih"]).sigmoid()
    output = (params["W_ho"].T @ hidden + params["b_ho"]).sigmoid()
    return 0.5 * ((Y - output) ** 2).sum()


def fails(fn, pattern):
    with pytest.raises(CheckFailed) as info:
        check_two_layer_graph(fn)
    assert re.search(pattern, str(info.value)), str(info.value)


def test_two_layer_graph_passes_the_solution_and_an_alternative(capsys):
    check_two_layer_graph(graph)

    def written_out(X, Y, p):  # (O − Y)² written as a product, the transposes moved onto the data
        h = ((X.T @ p["W_ih"]).T + p["b_ih"]).sigmoid()
        d = (p["W_ho"].T @ h + p["b_ho"]).sigmoid() - Y
        return (d * d).sum() * 0.5

    check_two_layer_graph(written_out)
    assert capsys.readouterr().out.count("✔") == 2


def test_two_layer_graph_names_the_mistakes():
    def stub(*a):
        raise NotImplementedError

    fails(stub, "not written yet")
    fails(lambda X, Y, p: graph(X, Y, p) * 2.0, r"twice lesson 02's error: the factor ½ .* is missing")
    fails(lambda X, Y, p: graph(X, Y, p) * (1.0 / X.shape[1]), r"extra 1/m \(m = 6\)")
    fails(lambda X, Y, p: graph(X, Y, p).value, "not a Tensor")

    def value_of_W_ho(X, Y, p):
        h = (p["W_ih"].T @ X + p["b_ih"]).sigmoid()
        return 0.5 * ((Y - (p["W_ho"].value.T @ h + p["b_ho"]).sigmoid()) ** 2).sum()

    fails(value_of_W_ho, r"params\['W_ho'\]\.grad is all zeros.*\.value")

    def in_place(X, Y, p):
        E = graph(X, Y, p)
        p["W_ih"].value += 1.0
        return E

    fails(in_place, "in place")
    fails(lambda X, Y, p: autodiff.Tensor(0.0), r"E\.value")


def test_two_layer_graph_repeats_a_random_case_by_seed():
    table = {}

    def first_only(X, Y, p):
        table.setdefault("X", X)
        return graph(table["X"], Y, p) if table["X"].shape == X.shape else Tensor(0.0)

    with pytest.raises(CheckFailed) as info:
        check_two_layer_graph(first_only, seed=3)
    assert "seed 3" in str(info.value) or "m = 1" in str(info.value)


# --- the new ops' checks: edges, random seeds, messages (the catalogue judges stub, float32, helper, in place) -----

def _sum_to(d, shape):
    return autodiff.broadcast_backward(d, shape)


GOOD = {
    "exp": (ex.check_exp_backward, [lambda x, y, dy: dy * y, lambda x, y, dy: dy * np.exp(x)]),
    "log": (ex.check_log_backward, [lambda x, y, dy: dy / x, lambda x, y, dy: dy * np.exp(-y)]),
    "tanh": (ex.check_tanh_backward, [lambda x, y, dy: dy * (1 - y * y), lambda x, y, dy: dy / np.cosh(x) ** 2]),
    "power": (ex.check_power_backward, [lambda x, p, dy: dy * p * x ** (p - 1),
                                        lambda x, p, dy: p * dy * np.power(x, p - 1)]),
    "divide": (ex.check_divide_backward, [
        lambda a, b, d: (_sum_to(d / b, np.shape(a)), _sum_to(-d * a / b ** 2, np.shape(b))),
        lambda a, b, d: (_sum_to(d * b ** -1.0, np.shape(a)), _sum_to(-(d / b) * (a / b), np.shape(b)))]),
}


@pytest.mark.parametrize("op", sorted(GOOD))
def test_right_solutions_pass_on_every_seed(op, capsys):
    check, solutions = GOOD[op]
    for seed in range(60):
        for fn in solutions:
            check(fn, seed=seed)
    assert capsys.readouterr().out.count("✔") == 60 * len(solutions)


def fails_new(check, fn, pattern):
    with pytest.raises(CheckFailed) as info:
        check(fn, seed=5)
    assert re.search(pattern, str(info.value)), str(info.value)


def test_the_new_checks_name_mistakes_at_the_edges_of_the_domain():
    # a named slip is named even where it also warns at an edge (log x = 0 at x = 1)
    fails_new(ex.check_log_backward, lambda x, y, dy: dy / y, r"divided by the output log x")
    # dividing by x is refused where x = 0 lies in the domain (p = 2), with the reason
    fails_new(ex.check_power_backward, lambda x, p, dy: dy * p * x ** p / x,
              r"x = 0 among the entries, p = 2: invalid value.*must not divide by a value that can be 0")
    # a formula right for positive x only (|x|) is caught by a negative x under an odd power of x
    fails_new(ex.check_power_backward, lambda x, p, dy: dy * p * np.abs(x) ** (p - 1), r"On x = 0 among the entries")
    # a clipped exponential (a common overflow guard) is caught by the near-overflow case x = 700
    fails_new(ex.check_exp_backward, lambda x, y, dy: dy * np.exp(np.minimum(x, 50.0)), r"x near overflow")
    # division: a row, a column, a scalar, a 0-d numerator — each shape is demanded back
    fails_new(ex.check_divide_backward, lambda a, b, d: (d / b, -d * a / b ** 2), r"b was broadcast")
    fails_new(ex.check_divide_backward, lambda a, b, d: (_sum_to(d / b, np.shape(a)), _sum_to(-d * a / b, np.shape(b))),
              r"b is not squared")
    fails_new(ex.check_divide_backward,
              lambda a, b, d: (_sum_to(d / b, np.shape(a)), _sum_to(-d * a / b ** 2, np.shape(b)))[::-1],
              r"swapped")
    fails_new(ex.check_divide_backward, lambda a, b, d: _sum_to(d / b, np.shape(a)), r"two arrays \(dA, dB\)")
