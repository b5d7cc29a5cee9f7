"""Article 002's 2-3-1 network and its delta rule (lesson 04).

One example x (2,), three sigmoid hidden units, one *linear* output, E = ½ (d − y)²::

    z = W1ᵀ x        (3,)     W1: (2, 3), W1[i, j] joins input i to hidden unit j
    h = σ(z)         (3,)
    y = W2 · h       scalar   W2: (3,)
    δ_out    = d − y = −∂E/∂y                 (lesson 04's sign convention: δ = −∂E/∂z)
    δ_hidden = δ_out · W2 ∗ h(1 − h)          (3,)
    ΔW2 = η δ_out h,   ΔW1[i, j] = η δ_hidden[j] x[i],   and the update is W ← W + ΔW.

Because δ is defined with (d − y) = −∂E/∂y, ΔW = −η ∂E/∂W: the "+" in the update already
points downhill. Article 002's text writes none of these formulas (it names δ, "often denoted by the Greek
letter δ", as the derivative "of the output with respect to each weight"; lesson 04 explains why the update
needs δ = −∂E/∂z instead). No biases: none appears in the article's text.
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid
from nblib.shapes import expect_shape
from nblib.validate import as_float_array, check_finite_result, check_scalar


def _inputs(x, W1, W2):
    x = expect_shape("x", as_float_array("x", x), (2,))
    W1 = expect_shape("W1", as_float_array("W1", W1), (2, 3))
    W2 = expect_shape("W2", as_float_array("W2", W2), (3,))
    return x, W1, W2


def _target(d) -> float:
    if isinstance(d, np.ndarray) and d.size == 1 and d.dtype.kind in "iuf":
        d = d.reshape(-1)[0]
    return float(check_scalar("d", d))


def forward(x, W1, W2) -> dict:
    """``{"z", "h", "y"}`` for one example."""
    x, W1, W2 = _inputs(x, W1, W2)
    with np.errstate(over="ignore", invalid="ignore"):
        z = W1.T @ x
        check_finite_result(z, "z = W1ᵀ x", "x or W1")
        h = sigmoid(z)
        y = float(W2 @ h)
    check_finite_result(y, "y = W2 · h", "W2")
    return {"z": z, "h": h, "y": y}


def error(x, d, W1, W2) -> float:
    """E = ½ (d − y)²."""
    d = _target(d)
    with np.errstate(over="ignore"):
        E = 0.5 * (np.float64(d) - forward(x, W1, W2)["y"]) ** 2
    check_finite_result(E, "E = ½ (d − y)²", "d or the weights")
    return float(E)


@exercise_answer
def deltas(x, d, W1, W2) -> dict:
    """``{"delta_out": d − y, "delta_hidden": δ_out · W2 ∗ h(1 − h)}``."""
    d = _target(d)
    f = forward(x, W1, W2)
    delta_out = d - f["y"]
    _, _, W2 = _inputs(x, W1, W2)
    with np.errstate(over="ignore", invalid="ignore"):
        delta_hidden = delta_out * W2 * f["h"] * (1.0 - f["h"])
    check_finite_result(np.append(delta_hidden, delta_out), "δ", "d or the weights W1, W2")
    return {"delta_out": delta_out, "delta_hidden": delta_hidden}


@exercise_answer
def weight_changes(x, d, W1, W2, eta: float) -> dict:
    """``{"dW1": η δ_hidden[j] x[i] (2, 3), "dW2": η δ_out h (3,)}`` — add these to the weights."""
    check_scalar("eta", eta, low=0.0)
    x, W1, W2 = _inputs(x, W1, W2)
    f = forward(x, W1, W2)
    dl = deltas(x, d, W1, W2)
    with np.errstate(over="ignore", invalid="ignore"):
        changes = {"dW1": eta * np.outer(x, dl["delta_hidden"]), "dW2": eta * dl["delta_out"] * f["h"]}
    check_finite_result(np.append(changes["dW1"], changes["dW2"]), "ΔW", "eta, x, d or the weights")
    return changes
