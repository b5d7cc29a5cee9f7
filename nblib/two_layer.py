"""Article 001's one-hidden-layer sigmoid network, in the article's own convention (lessons 02–03).

Layout: X is (n_in, m) — columns are observations — and weights are stored
(inputs × outputs), so every layer multiplies by a *transpose*::

    Z1 = W_ihᵀ X + b_ih     (n_hidden, m)      W_ih: (n_in, n_hidden)   b_ih: (n_hidden, 1)
    h1 = σ(Z1)              (n_hidden, m)
    Z2 = W_hoᵀ h1 + b_ho    (n_out, m)         W_ho: (n_hidden, n_out)  b_ho: (n_out, 1)
    O  = σ(Z2)              (n_out, m)
    E  = ½ Σ (Y − O)²       summed over observations (``reduction="sum"``) or divided by m ("mean")

The gradients (derived factor by factor in lesson 02, shape by shape in lesson 03)::

    dZ2    = (O − Y) ∗ O(1 − O)        (n_out, m)      [× 1/m for "mean"]
    dW_ho  = h1 · dZ2ᵀ                 (n_hidden, n_out)
    db_ho  = Σ_columns dZ2             (n_out, 1)
    dZ1    = (W_ho · dZ2) ∗ h1(1 − h1) (n_hidden, m)
    dW_ih  = X · dZ1ᵀ                  (n_in, n_hidden)
    db_ih  = Σ_columns dZ1             (n_hidden, 1)
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid
from nblib.losses import half_squared_error
from nblib.shapes import ShapeError, expect_shape, shape_hint
from nblib.validate import (
    MAX_STEPS,
    MAX_UNITS,
    as_float_array,
    check_2d,
    check_agree,
    check_callable,
    check_choice,
    check_dict,
    check_not_empty,
    check_scalar,
    check_size,
    diverged,
)

PARAM_KEYS = ("W_ih", "b_ih", "W_ho", "b_ho")


def init_params(n_in: int = 4, n_hidden: int = 5, n_out: int = 1, seed: int = 0, scale: float = 0.5) -> dict:
    """Random weights N(0, scale²) and zero biases, in the article's shapes (seeded)."""
    for name, value in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
        check_size(name, value, MAX_UNITS, "units in a layer")
    check_scalar("seed", seed, low=0, integer=True)
    check_scalar("scale", scale, low=0.0, inclusive=False)
    rng = np.random.default_rng(seed)
    return {
        "W_ih": rng.normal(0.0, scale, (n_in, n_hidden)),
        "b_ih": np.zeros((n_hidden, 1)),
        "W_ho": rng.normal(0.0, scale, (n_hidden, n_out)),
        "b_ho": np.zeros((n_out, 1)),
    }


def _params(params) -> tuple[dict, tuple[int, int, int]]:
    """params as float64 arrays, and (n_in, n_hidden, n_out). Messages call them by the article's names (W_ho).

    n_hidden is what most of W_ih, b_ih and W_ho say, n_out what b_ho says, so the one array that disagrees is
    the one reported (with a "did you mean W_ho.T?" when it is transposed).
    """
    check_dict("params", params, PARAM_KEYS)
    p = {}
    for key in PARAM_KEYS:
        name = key
        p[key] = as_float_array(name, params[key])
        if key.startswith("b"):
            expect_shape(name, p[key], (None, 1))
        else:
            check_2d(name, p[key], "(inputs, outputs)")
        check_not_empty(name, p[key], "units")
    W_ih, b_ih, W_ho, b_ho = (p[k] for k in PARAM_KEYS)
    votes = [W_ih.shape[1], b_ih.shape[0], W_ho.shape[0]]
    n_hidden = max(set(votes), key=votes.count)
    n_out = b_ho.shape[0]
    n_in = W_ih.shape[0] if W_ih.shape[1] == n_hidden else W_ih.shape[1]
    expect_shape("W_ih", W_ih, (n_in, n_hidden))
    expect_shape("b_ih", b_ih, (n_hidden, 1))
    if W_ho.shape[0] == n_hidden and W_ho.shape[1] != n_out:
        raise ShapeError(f"b_ho has shape {b_ho.shape} but W_ho has shape {W_ho.shape}: they disagree on the "
                         f"number of outputs n_out ({n_out} ≠ {W_ho.shape[1]})")
    expect_shape("W_ho", W_ho, (n_hidden, n_out))
    return p, (n_in, n_hidden, n_out)


def check_params(params) -> tuple[int, int, int]:
    """Validate a params dict; return (n_in, n_hidden, n_out)."""
    return _params(params)[1]


def _check_X(X, n_in: int) -> np.ndarray:
    X = as_float_array("X", X)
    if X.ndim == 2 and X.shape[1] == n_in and X.shape[0] != n_in:
        raise ValueError(f"X has shape {X.shape}, expected ({n_in}, m) with observations as columns; "
                         "did you mean X.T?")
    expect_shape("X", X, (n_in, None))
    return check_not_empty("X", X)


def _check_Y(Y, n_out: int, m: int) -> np.ndarray:
    Y = as_float_array("Y", Y)
    if Y.ndim == 2 and Y.shape[0] == n_out:
        check_agree("observations (columns)", ("X", m), ("Y", Y.shape[1]))
    return expect_shape("Y", Y, (n_out, m))


def _forward(X, p) -> dict:
    Z1 = p["W_ih"].T @ X + p["b_ih"]
    h1 = sigmoid(Z1)
    Z2 = p["W_ho"].T @ h1 + p["b_ho"]
    O = sigmoid(Z2)
    return {"Z1": Z1, "h1": h1, "Z2": Z2, "O": O}


def forward(X, params) -> dict:
    """Forward pass; returns the cache ``{"Z1", "h1", "Z2", "O"}`` that backward needs."""
    p, (n_in, _, _) = _params(params)
    return _forward(_check_X(X, n_in), p)


def loss(X, Y, params, reduction: str = "sum") -> float:
    """E = ½ Σ (Y − O)² for the current params (``reduction="mean"`` divides by m)."""
    check_choice("reduction", reduction, ("sum", "mean"))
    p, (n_in, _, n_out) = _params(params)
    X = _check_X(X, n_in)
    Y = _check_Y(Y, n_out, X.shape[1])
    return half_squared_error(Y, _forward(X, p)["O"], reduction=reduction)


@exercise_answer
def backward(X, Y, params, cache, reduction: str = "sum") -> dict:
    """Gradients of E with respect to every parameter, keyed like ``params``."""
    p, (n_in, n_hidden, n_out) = _params(params)
    check_choice("reduction", reduction, ("sum", "mean"))
    X = _check_X(X, n_in)
    check_dict("cache", cache, ("h1", "O"), example="{'Z1', 'h1', 'Z2', 'O'}, the dict returned by forward(X, params)")
    h1 = as_float_array("cache['h1']", cache["h1"])
    O = as_float_array("cache['O']", cache["O"])
    if h1.ndim == 2 and O.ndim == 2:
        check_agree("observations (columns)", ("X", X.shape[1]), ("cache['h1']", h1.shape[1]),
                    ("cache['O']", O.shape[1]))
    m = X.shape[1]
    Y = _check_Y(Y, n_out, m)
    expect_shape("cache['h1']", h1, (n_hidden, m))
    expect_shape("cache['O']", O, (n_out, m))
    if np.any((O < 0) | (O > 1)) or np.any((h1 < 0) | (h1 > 1)):
        raise ValueError("cache['h1'] and cache['O'] must be sigmoid outputs in (0, 1): pass the cache that "
                         "forward(X, params) returned")
    return _backward(X, Y, p, h1, O, reduction)


def _backward(X, Y, p, h1, O, reduction: str) -> dict:
    """:func:`backward`'s maths, on arrays it (or :func:`train`) has checked."""
    dZ2 = (O - Y) * O * (1.0 - O)
    if reduction == "mean":
        dZ2 = dZ2 / X.shape[1]
    dZ1 = (p["W_ho"] @ dZ2) * h1 * (1.0 - h1)
    return {
        "W_ih": X @ dZ1.T,
        "b_ih": dZ1.sum(axis=1, keepdims=True),
        "W_ho": h1 @ dZ2.T,
        "b_ho": dZ2.sum(axis=1, keepdims=True),
    }


def gradient_step(params, grads, learning_rate: float) -> dict:
    """W ← W − α·dE/dW for every parameter; returns new arrays (params is not modified)."""
    check_scalar("learning_rate", learning_rate, low=0.0)
    p, _ = _params(params)
    check_dict("grads", grads, PARAM_KEYS)
    new = {}
    for key in PARAM_KEYS:
        grad = as_float_array(f"grads['{key}']", grads[key])
        if grad.shape != p[key].shape:
            hint = shape_hint(f"grads['{key}']", grad.shape, p[key].shape)
            raise ShapeError(f"grads['{key}'] has shape {grad.shape} but {key} has shape {p[key].shape}; "
                             "a gradient has its parameter's shape" + (f"; {hint}" if hint else ""))
        new[key] = p[key] - learning_rate * grad
    return new


def train(X, Y, params, learning_rate: float, epochs: int, reduction: str = "mean", every: int = 0,
          report=print) -> tuple[dict, np.ndarray]:
    """Full-batch gradient descent; returns (trained params, loss before each epoch and after the last).

    With ``every > 0`` the loss is reported every ``every`` epochs through ``report`` (print by default),
    so a student sees progress while it runs.
    """
    check_size("epochs", epochs, MAX_STEPS, "epochs")
    check_scalar("every", every, low=0, integer=True)
    check_scalar("learning_rate", learning_rate, low=0.0)
    check_choice("reduction", reduction, ("sum", "mean"))
    check_callable("report", report, "a function such as print")
    _, (n_in, _, n_out) = _params(params)
    X = _check_X(X, n_in)
    Y = _check_Y(Y, n_out, X.shape[1])
    losses = np.empty(epochs + 1)
    for epoch in range(epochs):
        # The first epoch runs the checked functions on the caller's params (and backward refuses while its exercise
        # is checked); later epochs run the same maths, bit for bit, on the arrays the step before made — unless
        # one is no longer finite, when the checked functions say what went wrong.
        fast = epoch > 0 and all(np.isfinite(v).all() for v in params.values())
        try:
            cache = _forward(X, params) if fast else forward(X, params)
            losses[epoch] = half_squared_error(Y, cache["O"], reduction=reduction)
        except ValueError as exc:  # the inputs were checked above: the parameters blew up
            raise diverged(exc, f"at epoch {epoch}", learning_rate, "params") from None
        if every and epoch % every == 0:
            report(f"epoch {epoch:5d}   E = {losses[epoch]:.6f}")
        if fast:
            grads = _backward(X, Y, params, cache["h1"], cache["O"], reduction)
            params = {key: params[key] - learning_rate * grads[key] for key in PARAM_KEYS}
        else:
            params = gradient_step(params, backward(X, Y, params, cache, reduction), learning_rate)
    losses[epochs] = loss(X, Y, params, reduction)
    if every:
        report(f"epoch {epochs:5d}   E = {losses[epochs]:.6f}")
    return params, losses
