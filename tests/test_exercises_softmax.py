"""Lesson 08's exercise checks: fail on stubs and on each named mistake, pass on the solutions and correct
alternatives, refuse the nblib helper that is the answer (the full judge is tests/test_exercises_judge.py)."""

import numpy as np
import pytest

from nblib import deep
from nblib.activations import softmax as nb_softmax
from nblib.exercises import CheckFailed
from nblib.exercises.softmax import check_cross_entropy, check_softmax, check_softmax_backward, check_softmax_gradient


def own_softmax(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def own_cross_entropy(A, Y):
    return -np.sum(Y * np.log(A)) / A.shape[1]


def own_gradient(Z, Y):
    return (own_softmax(Z) - Y) / Z.shape[1]


def own_backward(AL, Y, caches, activations):
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = deep.linear_backward(AL - Y, caches[-1][0])
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = deep.linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def stub(*args):
    raise NotImplementedError


CHECKS = [(check_softmax, own_softmax), (check_cross_entropy, own_cross_entropy),
          (check_softmax_gradient, own_gradient), (check_softmax_backward, own_backward)]


def test_solutions_pass(capsys):
    for check, own in CHECKS:
        check(own)
    assert capsys.readouterr().out.count("✔") == len(CHECKS)


@pytest.mark.parametrize("check", [c for c, _ in CHECKS])
def test_stub_is_not_written_yet(check):
    with pytest.raises(CheckFailed, match="not written yet"):
        check(stub)


def test_naive_softmax_overflow_is_named():
    with pytest.raises(CheckFailed, match=r"warns on scores of ±1e4.*overflow encountered in exp.*numerically stable"):
        check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True))


def test_the_helper_that_is_the_answer_refuses_but_the_earlier_one_may_be_used(capsys):
    with pytest.raises(CheckFailed, match=r"write it yourself — this exercise is what nblib\.activations\.softmax"):
        check_softmax(lambda Z: nb_softmax(Z))
    check_softmax_gradient(lambda Z, Y: (nb_softmax(Z) - Y) / Z.shape[1])  # exercise 1's helper is allowed here
    assert "✔" in capsys.readouterr().out


def test_cross_entropy_accepts_a_python_float(capsys):
    check_cross_entropy(lambda A, Y: float(own_cross_entropy(A, Y)))
    assert "✔" in capsys.readouterr().out


def test_backward_with_an_extra_1_over_m_on_dA_is_named():
    def extra(AL, Y, caches, activations):
        grads = own_backward(AL, Y, caches, activations)
        return {k: v / AL.shape[1] if k.startswith("dA") else v for k, v in grads.items()}
    with pytest.raises(CheckFailed, match=r"grads\['dA1'\].*an extra 1/m"):
        check_softmax_backward(extra)


def test_backward_may_return_dZL(capsys):
    check_softmax_backward(lambda AL, Y, caches, acts: {**own_backward(AL, Y, caches, acts),
                                                       f"dZ{len(caches)}": AL - Y})
    assert "✔" in capsys.readouterr().out
