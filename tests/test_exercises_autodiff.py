"""Lesson 09's checks. matmul_backward, sigmoid_backward and broadcast_backward are judged with every other check
in tests/test_exercises_judge.py (catalogue: tools/measure_checks.py); here: their references against central
differences, and check_two_layer_graph, whose answer is a Tensor (so the catalogue's float32 and replay wrappers
do not apply)."""

import re

import numpy as np
import pytest

from nblib import autodiff
from nblib.autodiff import Tensor
from nblib.exercises import CheckFailed
from nblib.exercises.autodiff import check_two_layer_graph
from nblib.gradcheck import numerical_gradient


def test_the_rules_match_central_differences():
    rng = np.random.default_rng(1)
    A, B, dOut = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    dA, dB = autodiff.matmul_backward(A, B, dOut)
    np.testing.assert_allclose(dA, numerical_gradient(lambda a: float(np.sum(dOut * (a @ B))), A.copy()), atol=1e-9)
    np.testing.assert_allclose(dB, numerical_gradient(lambda b: float(np.sum(dOut * (A @ b))), B.copy()), atol=1e-9)
    z, dz_out = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(autodiff.sigmoid_backward(z, s, dz_out),
                               numerical_gradient(lambda v: float(np.sum(dz_out / (1 + np.exp(-v)))), z.copy()),
                               atol=1e-9)
    b, out = rng.normal(size=(3, 1)), rng.normal(size=(2, 3, 4))
    np.testing.assert_allclose(autodiff.broadcast_backward(out, b.shape),
                               numerical_gradient(lambda v: float(np.sum(out * np.broadcast_to(v, out.shape))),
                                                  b.copy()), atol=1e-9)


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
    fails(lambda X, Y, p: graph(X, Y, p) * 2.0, r"2× too large")
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
