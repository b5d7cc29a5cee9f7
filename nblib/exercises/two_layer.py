"""Checks for lessons 02–03: ``check_dE_dW_ih(fn)`` and ``check_backward(fn)``.

Both take the student's function ``fn(X, Y, params, cache)`` and compare with
:func:`nblib.two_layer.backward` on two data sets (m = 1 and m = 6), naming the missing
chain-rule factor when the output matches a classic slip.
"""

from __future__ import annotations

import numpy as np

from nblib import two_layer
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, compare_dict, passed


def _cases():
    params = {
        "W_ih": np.sin(np.arange(1.0, 21.0)).reshape(4, 5) / 2,
        "b_ih": np.cos(np.arange(1.0, 6.0)).reshape(5, 1) / 4,
        "W_ho": np.sin(np.arange(2.0, 7.0)).reshape(5, 1),
        "b_ho": np.array([[0.1]]),
    }
    X6 = np.cos(np.arange(24.0) * 0.7).reshape(4, 6)
    Y6 = np.linspace(0.2, 0.8, 6).reshape(1, 6)
    return [("one observation (m = 1)", X6[:, :1].copy(), Y6[:, :1].copy(), params),
            ("six observations (m = 6)", X6, Y6, params)]


def _factors(X, Y, params):
    c = two_layer.forward(X, params)
    h1, O = c["h1"], c["O"]
    dO = O - Y
    return c, h1, O, dO


def dW_ih_mistakes(X, Y, params) -> dict:
    """The arrays that classic slips in dE/dW_ih produce, keyed by a description of the slip."""
    _, h1, O, dO = _factors(X, Y, params)
    W_ho = params["W_ho"]
    return {
        "the factor h1(1 − h1) = dh1/dZ1 is missing": X @ (W_ho @ (dO * O * (1 - O))).T,
        "the factor W_ho = dZ2/dh1 is missing": X @ ((dO * O * (1 - O)).sum(axis=0) * h1 * (1 - h1)).T,
        "the factor O(1 − O) = dO/dZ2 is missing": X @ ((W_ho @ dO) * h1 * (1 - h1)).T,
        "the sign is flipped: (Y − O) instead of (O − Y)": X @ ((W_ho @ (-dO * O * (1 - O))) * h1 * (1 - h1)).T,
        "σ′ was applied to the activation: h1 should enter as h1(1 − h1), not σ(h1)(1 − σ(h1))":
            X @ ((W_ho @ (dO * O * (1 - O))) * (1 / (1 + np.exp(-h1))) * (1 - 1 / (1 + np.exp(-h1)))).T,
    }


def _call(student, name, X, Y, params, label):
    cache = two_layer.forward(X, params)
    args = (X.copy(), Y.copy(), {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in cache.items()})
    return call_student(student, name, args, label)


def check_dE_dW_ih(student) -> None:
    """Check ``student(X, Y, params, cache)`` → dE/dW_ih of shape (n_in, n_hidden) (sum over observations)."""
    for label, X, Y, params in _cases():
        got = _call(student, "dE_dW_ih", X, Y, params, label)
        want = two_layer.backward(X, Y, params, two_layer.forward(X, params))["W_ih"]
        try:
            compare_array("dE_dW_ih", got, want, mistakes=dW_ih_mistakes(X, Y, params), context=f"With {label}")
        except CheckFailed as failure:
            raise CheckFailed(str(failure)) from None
    passed("dE/dW_ih is right for one observation and for six")


def backward_mistakes(X, Y, params) -> dict:
    """Known slips of a vectorised backward pass, per gradient key."""
    cache, h1, O, dO = _factors(X, Y, params)
    m = X.shape[1]
    right = two_layer.backward(X, Y, params, cache)
    dZ2 = dO * O * (1 - O)
    return {
        "W_ih": {**dW_ih_mistakes(X, Y, params), "an extra 1/m (this loss is a sum, not a mean)": right["W_ih"] / m},
        "W_ho": {"the factor O(1 − O) is missing": h1 @ dO.T, "an extra 1/m (this loss is a sum, not a mean)":
                 right["W_ho"] / m, "the sign is flipped": -right["W_ho"]},
        "b_ho": {"dZ2 was averaged, not summed, over observations": dZ2.mean(axis=1, keepdims=True)},
        "b_ih": {"dZ1 was averaged, not summed, over observations": right["b_ih"] / m},
    }


def check_backward(student) -> None:
    """Check a vectorised ``student(X, Y, params, cache)`` → dict of all four gradients.

    Reports missing/extra keys first, then each gradient's shape, dtype and values.
    """
    for label, X, Y, params in _cases():
        got = _call(student, "backward", X, Y, params, label)
        want = two_layer.backward(X, Y, params, two_layer.forward(X, params))
        try:
            compare_dict("grads", got, want, mistakes=backward_mistakes(X, Y, params), context=f"With {label}")
        except CheckFailed as failure:
            raise CheckFailed(str(failure)) from None
    passed("all four gradients are right for one observation and for six")
