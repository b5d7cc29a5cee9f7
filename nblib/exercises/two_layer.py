"""Checks for lessons 02–03: ``check_dE_dW_ih(fn)`` and ``check_backward(fn)``.

Both take the student's function ``fn(X, Y, params, cache)`` and compare with
:func:`nblib.two_layer.backward` on fixed data sets (m = 1, m = 6, m = n_hidden; one output and
several, so a formula that is right only because the article's net has one output fails) and random
ones, naming the missing chain-rule factor when the output matches a classic slip.
"""

from __future__ import annotations

import re

import numpy as np

from nblib import two_layer
from nblib.exercises.feedback import (
    CheckFailed,
    call_student,
    compare_array,
    compare_dict,
    new_seed,
    passed,
    reporting_seed,
)
from nblib.progress import recorded

REFUSE = ("nblib.two_layer.backward",)


def fixed_params(n_in, n_hidden, n_out, offset=0.0):
    """Deterministic (sin/cos) two-layer parameters of any size; ``offset`` gives another set of the same size."""
    return {
        "W_ih": np.sin(np.arange(1.0, n_in * n_hidden + 1) + offset).reshape(n_in, n_hidden) / 2,
        "b_ih": np.cos(np.arange(1.0, n_hidden + 1) + offset).reshape(n_hidden, 1) / 4,
        "W_ho": np.sin(np.arange(2.0, n_hidden * n_out + 2) + offset).reshape(n_hidden, n_out),
        "b_ho": np.linspace(0.1, -0.1, n_out).reshape(n_out, 1),
    }


def _cases(seed: int | None = None):
    """(label, X, Y, params): the article's 4-5-1 net at m = 1 and m = 6, a 4-5-2 net at m = n_hidden = 5, a 3-4-3
    net at m = 1, and (with a seed) two random nets."""
    params = fixed_params(4, 5, 1)
    X6 = np.cos(np.arange(24.0) * 0.7).reshape(4, 6)
    Y6 = np.linspace(0.2, 0.8, 6).reshape(1, 6)
    cases = [("one observation (m = 1)", X6[:, :1].copy(), Y6[:, :1].copy(), params),
             ("six observations (m = 6)", X6, Y6, params),
             ("two outputs and m = n_hidden = 5", np.sin(np.arange(20.0) * 0.9).reshape(4, 5),
              np.linspace(0.1, 0.9, 10).reshape(2, 5), fixed_params(4, 5, 2, 0.3)),
             ("three outputs and m = 1", np.array([[0.3], [-0.6], [0.9]]), np.array([[0.2], [0.7], [0.4]]),
              fixed_params(3, 4, 3, 1.1))]
    if seed is not None:
        cases += random_cases(seed)
    return cases


def random_cases(seed: int, count: int = 2) -> list:
    """(label, X, Y, params) for ``count`` random two-layer nets (2–5 inputs, 2–6 hidden, 2–3 outputs, m = 2–7)."""
    rng = np.random.default_rng(seed)
    found = []
    for i in range(count):
        n_in, n_hidden, n_out, m = (int(v) for v in rng.integers([2, 2, 2, 2], [6, 7, 4, 8]))
        p = {"W_ih": rng.normal(0, 1, (n_in, n_hidden)), "b_ih": rng.normal(0, 0.5, (n_hidden, 1)),
             "W_ho": rng.normal(0, 1, (n_hidden, n_out)), "b_ho": rng.normal(0, 0.5, (n_out, 1))}
        found.append((f"random case {i + 1} (seed {seed}: n_in = {n_in}, n_hidden = {n_hidden}, n_out = {n_out}, "
                      f"m = {m})", rng.normal(0, 1, (n_in, m)), rng.uniform(0, 1, (n_out, m)), p))
    return found


def _factors(X, Y, params):
    c = two_layer.forward(X, params)
    h1, O = c["h1"], c["O"]
    dO = O - Y
    return c, h1, O, dO


def dW_ih_mistakes(X, Y, params) -> dict:
    """The arrays that classic slips in dE/dW_ih produce, keyed by a description of the slip."""
    _, h1, O, dO = _factors(X, Y, params)
    W_ho = params["W_ho"]
    m = X.shape[1]
    dZ2 = dO * O * (1 - O)
    right = X @ ((W_ho @ dZ2) * h1 * (1 - h1)).T
    out = {
        "the factor dh1/dZ1 (the hidden layer's σ′, lesson 02's step 5) is missing": X @ (W_ho @ dZ2).T,
        "the factor W_ho = dZ2/dh1 is missing (lesson 02, step 4 of the derivation)":
            X @ (dZ2.sum(axis=0) * h1 * (1 - h1)).T,
        "the factor O(1 − O) = dO/dZ2 is missing (lesson 02, step 2 of the derivation)":
            X @ ((W_ho @ dO) * h1 * (1 - h1)).T,
        "the sign is flipped: (Y − O) instead of (O − Y) (lesson 02, step 1: ∂E/∂O = O − Y)": -right,
        "σ applied twice: h1 is already σ(Z1), and you wrote σ(h1)(1 − σ(h1)) (lesson 02's step 5)":
            X @ ((W_ho @ dZ2) * (1 / (1 + np.exp(-h1))) * (1 - 1 / (1 + np.exp(-h1)))).T,
        f"a mean instead of a sum: an extra 1/m (m = {m}) — this E sums over the observations, so no 1/m":
            right / m,
        "W_ho · δ2 summed over the outputs (e.g. W_ho.sum(axis=1) or d2.sum(axis=0)): each output's δ needs its "
        "own row of W_ho": X @ ((W_ho.sum(axis=1, keepdims=True) * dZ2.sum(axis=0)) * h1 * (1 - h1)).T,
    }
    if m > 1:
        out["only the first house's term: E sums over all m houses, and each adds its own term to the gradient "
            f"(m = {m})"] = X[:, :1] @ ((W_ho @ dZ2[:, :1]) * h1[:, :1] * (1 - h1[:, :1])).T
    Z1 = _factors(X, Y, params)[0]["Z1"]
    out["σ′ of the hidden layer written with the pre-activation Z1, Z1(1 − Z1), instead of with h1 (lesson 02's "
        "step 5)"] = X @ ((W_ho @ dZ2) * Z1 * (1 - Z1)).T
    if right.shape[0] == right.shape[1]:
        out["the transpose of the right answer: entry [i, j] belongs to input i and hidden unit j — in your last "
            "product, which operand must come first?"] = right.T
    return out


#: The tail of a feedback message that offers code to paste ("; did you mean X @ d1.T or d1 @ X.T?"): some of those
#: arrangements run but give the wrong values, so check_dE_dW_ih replaces it by a shape question (issue 25 §7).
_CODE_OFFER = re.compile(r"; (did you mean|for the matrix product|for a matrix product).*$", re.S)


def shape_question(X, params) -> str:
    """The shapes of lesson 02's dE/dW_ih, and the question only the right arrangement answers — no code to paste."""
    (n_in, m), (n_hidden, n_out) = X.shape, params["W_ho"].shape
    return (f"the shapes here: X ({n_in}, {m}), W_ih ({n_in}, {n_hidden}), W_ho ({n_hidden}, {n_out}), the output's "
            f"error signal ({n_out}, {m}), the hidden layer's ({n_hidden}, {m}), the result ({n_in}, {n_hidden}); "
            "the cache already holds h1 and O, so no forward product is needed. Which product of W_ho and the "
            "output's signal has the hidden signal's shape, and which product of X and the hidden signal has the "
            "result's shape with the houses as its inner index?")


def _dW_ih_shape(got, want, X, params, label) -> None:
    """Raise a shape message for dE_dW_ih that offers only the arrangement with the right values, as a question."""
    if not isinstance(got, np.ndarray) or got.shape == want.shape:
        return
    text = f"With {label}: dE_dW_ih has shape {got.shape}, expected (n_in, n_hidden) = {want.shape}; "
    if got.shape == want.shape[::-1] and np.allclose(got.T, want, rtol=1e-7, atol=1e-9 * np.max(np.abs(want))):
        raise CheckFailed(text + "its transpose has the right values: entry [i, j] belongs to input i and hidden unit "
                          "j — in your last product, which operand must come first for an (n_in, n_hidden) result?")
    raise CheckFailed(text + shape_question(X, params))


def _call(student, name, X, Y, params, label):
    cache = two_layer.forward(X, params)
    return call_student(student, name, (X, Y, params, cache), label, refuse=REFUSE,
                        names=("X", "Y", "params", "cache"))


@recorded
def check_dE_dW_ih(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, params, cache)`` → dE/dW_ih of shape (n_in, n_hidden) (sum over observations)."""
    seed = new_seed(seed)
    with reporting_seed("check_dE_dW_ih", seed):
        for label, X, Y, params in _cases(seed):
            try:
                got = _call(student, "dE_dW_ih", X, Y, params, label)
            except CheckFailed as failure:  # a product or broadcast that does not fit: shapes, then a question
                text = str(failure)
                if " failed on " not in text or not any(s in text for s in (" @ ", "broadcast", "matrix product")):
                    raise
                raise CheckFailed(_CODE_OFFER.sub("", text) + "; " + shape_question(X, params)) from None
            want = two_layer.backward(X, Y, params, two_layer.forward(X, params))["W_ih"]
            _dW_ih_shape(got, want, X, params, label)
            compare_array("dE_dW_ih", got, want, mistakes=dW_ih_mistakes(X, Y, params), context=f"With {label}",
                          m=X.shape[1])
    passed("dE/dW_ih is right for one observation and for six")


def backward_mistakes(X, Y, params) -> dict:
    """Known slips of a vectorised backward pass, per gradient key."""
    cache, h1, O, dO = _factors(X, Y, params)
    m = X.shape[1]
    right = two_layer.backward.__wrapped__(X, Y, params, cache)  # unguarded: tests run these slips as students
    dZ2 = dO * O * (1 - O)
    return {
        "W_ih": dW_ih_mistakes(X, Y, params),
        "W_ho": {"the factor O(1 − O) is missing": h1 @ dO.T, "an extra 1/m (this loss is a sum, not a mean)":
                 right["W_ho"] / m, "the sign is flipped": -right["W_ho"]},
        "b_ho": {"dZ2 was averaged, not summed, over observations": dZ2.mean(axis=1, keepdims=True)},
        "b_ih": {"dZ1 was averaged, not summed, over observations": right["b_ih"] / m},
    }


@recorded
def check_backward(student, *, seed: int | None = None) -> None:
    """Check a vectorised ``student(X, Y, params, cache)`` → dict of all four gradients.

    Reports missing/extra keys first, then each gradient's shape, dtype and values.
    """
    seed = new_seed(seed)
    with reporting_seed("check_backward", seed):
        for label, X, Y, params in _cases(seed):
            got = _call(student, "backward", X, Y, params, label)
            want = two_layer.backward(X, Y, params, two_layer.forward(X, params))
            compare_dict("grads", got, want, mistakes=backward_mistakes(X, Y, params), context=f"With {label}",
                         m=X.shape[1])
    passed("all four gradients are right for one observation and for six")
