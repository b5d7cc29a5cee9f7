"""Lessons 04–05 exercise checks: fail on stubs and on each named mistake, pass on the solutions."""

import pytest

from nblib import deep
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises import CheckFailed
from nblib.exercises.deep import check_linear_activation_backward, check_linear_backward, check_model_backward
from nblib.exercises.delta_rule import MISTAKES as DELTA_MISTAKES
from nblib.exercises.delta_rule import check_hidden_delta


def own_linear_backward(dZ, cache):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def own_linear_activation_backward(dA, cache, activation):
    return own_linear_backward(dA * deep._g_prime(cache[1], activation), cache[0])


def own_model_backward(AL, Y, caches, activations):
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = own_linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def stub(*args):
    raise NotImplementedError


def test_solutions_pass(capsys):
    check_linear_backward(own_linear_backward)
    check_linear_activation_backward(own_linear_activation_backward)
    check_model_backward(own_model_backward)
    check_hidden_delta(lambda x, d, W1, W2: (d - W2 @ sigmoid(W1.T @ x)) * W2 * sigmoid_gradient(W1.T @ x))
    assert capsys.readouterr().out.count("✔") == 4


@pytest.mark.parametrize("check", [check_linear_backward, check_linear_activation_backward, check_model_backward,
                                   check_hidden_delta])
def test_stubs_fail_short(check):
    with pytest.raises(CheckFailed, match="not written yet"):
        check(stub)


def test_linear_backward_mistakes():
    def no_1_over_m(dZ, cache):
        A_prev, W, _ = cache
        return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True) / A_prev.shape[1]

    with pytest.raises(CheckFailed, match="dW has the right shape but wrong values: it looks like the 1/m is missing"):
        check_linear_backward(no_1_over_m)

    def extra_1_over_m(dZ, cache):
        dA_prev, dW, db = own_linear_backward(dZ, cache)
        return dA_prev / cache[0].shape[1], dW, db

    with pytest.raises(CheckFailed, match="dA_prev.*an extra 1/m"):
        check_linear_backward(extra_1_over_m)

    def transposed(dZ, cache):
        dA_prev, dW, db = own_linear_backward(dZ, cache)
        return dA_prev, dW.T, db

    with pytest.raises(CheckFailed, match=r"dW has shape \(3, 4\), expected \(4, 3\).*dW.T"):
        check_linear_backward(transposed)
    with pytest.raises(CheckFailed, match="must return the three arrays"):
        check_linear_backward(lambda dZ, cache: (1, 2))


@pytest.mark.parametrize("slip, words", [
    (lambda dA, cache, act: own_linear_backward(deep._g(dA, act), cache[0]), "dZ = g(dA)"),
    (lambda dA, cache, act: own_linear_backward(dA, cache[0]), "g′(Z) was not applied"),
    (lambda dA, cache, act: own_linear_backward(dA * deep._g_prime(deep._g(cache[1], act), act), cache[0]),
     "g′ was evaluated at A"),
])
def test_linear_activation_backward_mistakes(slip, words):
    with pytest.raises(CheckFailed) as info:
        check_linear_activation_backward(slip)
    assert words in str(info.value)


def test_model_backward_needs_every_key_including_dA0():
    with pytest.raises(CheckFailed, match=r"missing key\(s\) \['dA0'\]"):
        check_model_backward(lambda *a: {k: v for k, v in own_model_backward(*a).items() if k != "dA0"})
    with pytest.raises(CheckFailed, match="missing key"):
        check_model_backward(lambda *a: {})
    with pytest.raises(CheckFailed, match=r"grads\['dW3'\].*2× too large"):
        check_model_backward(lambda *a: {**own_model_backward(*a), "dW3": 2 * own_model_backward(*a)["dW3"]})


@pytest.mark.parametrize("description", list(DELTA_MISTAKES))
def test_hidden_delta_mistakes_are_named(description):
    with pytest.raises(CheckFailed) as info:
        check_hidden_delta(DELTA_MISTAKES[description])
    assert description in str(info.value)
