"""Lesson 05's checks: ``check_linear_backward``, ``check_linear_activation_backward`` and
``check_model_backward`` — each takes the student's function."""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, compare_dict, passed


def _linear_case():
    A_prev = np.sin(np.arange(1.0, 19.0)).reshape(3, 6)
    W = np.cos(np.arange(1.0, 13.0)).reshape(4, 3)
    b = np.array([[0.1], [-0.2], [0.3], [0.05]])
    dZ = np.sin(np.arange(24.0) * 0.37).reshape(4, 6)
    return dZ, (A_prev, W, b)


def _unpack3(got, name):
    if not isinstance(got, tuple) or len(got) != 3:
        raise CheckFailed(f"{name} must return a tuple (dA_prev, dW, db), got {type(got).__name__}"
                          + (f" of length {len(got)}" if isinstance(got, tuple) else ""))
    return got


def linear_mistakes(dZ, cache) -> dict:
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return {
        "dW": {"the 1/m is missing": dZ @ A_prev.T, "the sign is flipped": -(dZ @ A_prev.T) / m},
        "db": {"the 1/m is missing (a sum instead of a mean)": dZ.sum(axis=1, keepdims=True)},
        "dA_prev": {"an extra 1/m: dA_prev = Wᵀ dZ has no 1/m": W.T @ dZ / m},
    }


def check_linear_backward(student) -> None:
    """Check ``student(dZ, cache)`` → (dA_prev, dW, db) against :func:`nblib.deep.linear_backward`."""
    dZ, cache = _linear_case()
    got = _unpack3(call_student(student, "linear_backward", (dZ.copy(), tuple(c.copy() for c in cache)),
                         "a 4-unit layer with 3 inputs and m = 6"), "linear_backward")
    want = deep.linear_backward(dZ, cache)
    mistakes = linear_mistakes(dZ, cache)
    for name, g, w in zip(("dA_prev", "dW", "db"), got, want):
        compare_array(name, g, w, mistakes=mistakes.get(name))
    passed("linear_backward returns the right dA_prev, dW and db")


def check_linear_activation_backward(student) -> None:
    """Check ``student(dA, cache, activation)`` for "relu" and "sigmoid"."""
    dZ, linear_cache = _linear_case()
    Z = np.cos(np.arange(24.0) * 0.53).reshape(4, 6) + 0.05  # no entry at relu's kink
    dA = dZ
    for activation in ("relu", "sigmoid"):
        cache = (linear_cache, Z)
        got = _unpack3(call_student(student, "linear_activation_backward",
                             (dA.copy(), (tuple(c.copy() for c in linear_cache), Z.copy()), activation),
                             f"activation = {activation!r}"), "linear_activation_backward")
        want = deep.linear_activation_backward(dA, cache, activation)
        A_prev, W, _ = linear_cache
        m = A_prev.shape[1]
        wrong_dZ = {
            "dZ = g(dA) instead of dA ∗ g′(Z)": deep._g(dA, activation),
            "g′ was evaluated at A = g(Z) instead of at Z": dA * deep._g_prime(deep._g(Z, activation), activation),
            "g′(Z) was not applied: dZ = dA": dA,
        }
        slips = {
            "dA_prev": {k: W.T @ v for k, v in wrong_dZ.items()},
            "dW": {k: v @ A_prev.T / m for k, v in wrong_dZ.items()},
            "db": {k: v.sum(axis=1, keepdims=True) / m for k, v in wrong_dZ.items()},
        }
        for name, g, w in zip(("dA_prev", "dW", "db"), got, want):
            compare_array(name, g, w, mistakes=slips.get(name), context=f"With activation = {activation!r}")
    passed("linear_activation_backward is right for relu and sigmoid")


def check_model_backward(student) -> None:
    """Check ``student(AL, Y, caches, activations)`` → grads with every dA{l-1}, dW{l}, db{l} (dA0 included)."""
    parameters = deep.initialize_parameters([3, 5, 4, 1], seed=2)
    X = np.sin(np.arange(18.0)).reshape(3, 6)
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    activations = ["relu", "relu", "sigmoid"]
    AL, caches = deep.model_forward(X, parameters, activations)
    got = call_student(student, "model_backward", (AL, Y, caches, activations), "a [3, 5, 4, 1] relu/relu/sigmoid net")
    compare_dict("grads", got, deep.model_backward(AL, Y, caches, activations))
    passed("model_backward returns every dA, dW and db, all right")
