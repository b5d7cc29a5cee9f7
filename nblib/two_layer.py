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
from nblib.shapes import expect_shape
from nblib.validate import as_float_array, check_scalar

PARAM_KEYS = ("W_ih", "b_ih", "W_ho", "b_ho")


def init_params(n_in: int = 4, n_hidden: int = 5, n_out: int = 1, seed: int = 0, scale: float = 0.5) -> dict:
    """Random weights N(0, scale²) and zero biases, in the article's shapes (seeded)."""
    for name, value in (("n_in", n_in), ("n_hidden", n_hidden), ("n_out", n_out)):
        check_scalar(name, value, low=1, integer=True)
    check_scalar("seed", seed, low=0, integer=True)
    check_scalar("scale", scale, low=0.0, inclusive=False)
    rng = np.random.default_rng(seed)
    return {
        "W_ih": rng.normal(0.0, scale, (n_in, n_hidden)),
        "b_ih": np.zeros((n_hidden, 1)),
        "W_ho": rng.normal(0.0, scale, (n_hidden, n_out)),
        "b_ho": np.zeros((n_out, 1)),
    }


def check_params(params) -> tuple[int, int, int]:
    """Validate a params dict; return (n_in, n_hidden, n_out)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {PARAM_KEYS}, got {type(params).__name__}")
    missing = [k for k in PARAM_KEYS if k not in params]
    if missing:
        raise KeyError(f"params is missing {missing}; expected keys {PARAM_KEYS}")
    W_ih = as_float_array("params['W_ih']", params["W_ih"])
    if W_ih.ndim != 2:
        raise ValueError(f"params['W_ih'] must be 2-D (n_in, n_hidden), got shape {W_ih.shape}")
    n_in, n_hidden = W_ih.shape
    W_ho = as_float_array("params['W_ho']", params["W_ho"])
    b_ho = as_float_array("params['b_ho']", params["b_ho"])
    # The output size comes from b_ho (n_out, 1), so a transposed W_ho is reported as such.
    n_out = b_ho.shape[0] if b_ho.ndim == 2 else (W_ho.shape[1] if W_ho.ndim == 2 else 1)
    expect_shape("W_ho", W_ho, (n_hidden, n_out))
    expect_shape("b_ih", as_float_array("params['b_ih']", params["b_ih"]), (n_hidden, 1))
    expect_shape("b_ho", b_ho, (n_out, 1))
    return n_in, n_hidden, n_out


def _check_X(X, n_in: int) -> np.ndarray:
    X = as_float_array("X", X)
    if X.ndim == 2 and X.shape[1] == n_in and X.shape[0] != n_in:
        raise ValueError(f"X has shape {X.shape}, expected ({n_in}, m) with observations as columns; "
                         "did you mean X.T?")
    expect_shape("X", X, (n_in, None))
    return X


def forward(X, params) -> dict:
    """Forward pass; returns the cache ``{"Z1", "h1", "Z2", "O"}`` that backward needs."""
    n_in, _, _ = check_params(params)
    X = _check_X(X, n_in)
    Z1 = params["W_ih"].T @ X + params["b_ih"]
    h1 = sigmoid(Z1)
    Z2 = params["W_ho"].T @ h1 + params["b_ho"]
    O = sigmoid(Z2)
    return {"Z1": Z1, "h1": h1, "Z2": Z2, "O": O}


def loss(X, Y, params, reduction: str = "sum") -> float:
    """E = ½ Σ (Y − O)² for the current params (``reduction="mean"`` divides by m)."""
    return half_squared_error(Y, forward(X, params)["O"], reduction=reduction)


@exercise_answer
def backward(X, Y, params, cache, reduction: str = "sum") -> dict:
    """Gradients of E with respect to every parameter, keyed like ``params``."""
    n_in, _, n_out = check_params(params)
    X = _check_X(X, n_in)
    m = X.shape[1]
    Y = expect_shape("Y", as_float_array("Y", Y), (n_out, m))
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    if not isinstance(cache, dict) or not {"h1", "O"} <= set(cache):
        raise TypeError("cache must be the dict returned by forward(X, params)")
    h1 = expect_shape("cache['h1']", cache["h1"], (params["W_ih"].shape[1], m))
    O = expect_shape("cache['O']", cache["O"], (n_out, m))
    dZ2 = (O - Y) * O * (1.0 - O)
    if reduction == "mean":
        dZ2 = dZ2 / m
    dZ1 = (params["W_ho"] @ dZ2) * h1 * (1.0 - h1)
    return {
        "W_ih": X @ dZ1.T,
        "b_ih": dZ1.sum(axis=1, keepdims=True),
        "W_ho": h1 @ dZ2.T,
        "b_ho": dZ2.sum(axis=1, keepdims=True),
    }


def gradient_step(params, grads, learning_rate: float) -> dict:
    """W ← W − α·dE/dW for every parameter; returns new arrays (params is not modified)."""
    check_scalar("learning_rate", learning_rate, low=0.0)
    check_params(params)
    for key in PARAM_KEYS:
        if key not in grads:
            raise KeyError(f"grads is missing {key!r}")
        expect_shape(f"grads['{key}']", grads[key], params[key].shape)
    return {key: params[key] - learning_rate * grads[key] for key in PARAM_KEYS}


def train(X, Y, params, learning_rate: float, epochs: int, reduction: str = "mean", every: int = 0,
          report=print) -> tuple[dict, np.ndarray]:
    """Full-batch gradient descent; returns (trained params, loss before each epoch and after the last).

    With ``every > 0`` the loss is reported every ``every`` epochs through ``report`` (print by default),
    so a student sees progress while it runs.
    """
    check_scalar("epochs", epochs, low=1, integer=True)
    check_scalar("every", every, low=0, integer=True)
    losses = np.empty(epochs + 1)
    for epoch in range(epochs):
        cache = forward(X, params)
        losses[epoch] = half_squared_error(Y, cache["O"], reduction=reduction)
        if every and epoch % every == 0:
            report(f"epoch {epoch:5d}   E = {losses[epoch]:.6f}")
        params = gradient_step(params, backward(X, Y, params, cache, reduction), learning_rate)
    losses[epochs] = loss(X, Y, params, reduction)
    if every:
        report(f"epoch {epochs:5d}   E = {losses[epochs]:.6f}")
    return params, losses
