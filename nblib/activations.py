"""Activation functions and their derivatives (derived in lesson 01).

Every function takes a scalar or an array of any shape and returns float64 of the
same shape (a Python-float-like ``np.float64`` for a scalar).
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.validate import as_float_array


def _out(values: np.ndarray):
    return values[()] if values.ndim == 0 else values


@exercise_answer  # refused while lesson 01's quotient-rule exercise runs the student's code
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for any finite z.

    The naive formula overflows in ``exp(-z)`` for z < −709. Here exp is only ever
    taken of −|z| ≤ 0:  σ(z) = 1/(1 + e^(−|z|)) for z ≥ 0 and e^(−|z|)/(1 + e^(−|z|))
    for z < 0 (multiply top and bottom by e^z). Lesson 01 derives this.
    """
    z = as_float_array("z", z)
    e = np.exp(-np.abs(z))
    return _out(np.where(z >= 0, 1.0, e) / (1.0 + e))


@exercise_answer
def sigmoid_gradient(z):
    """σ′(z) = σ(z)(1 − σ(z)), elementwise; named after Octave's ``sigmoidGradient``.

    Takes the *pre-activation* z (not the activation a = σ(z)); if you already
    have a, the same number is ``a * (1 - a)``. Maximum 0.25 at z = 0.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z):
    """relu(z) = max(0, z), elementwise."""
    z = as_float_array("z", z)
    return _out(np.maximum(z, 0.0))


@exercise_answer
def relu_gradient(z):
    """relu′(z): 1 where z > 0 and 0 where z ≤ 0.

    relu has no derivative at exactly z = 0; we use 0 there (the convention of
    most libraries, PyTorch included). A central-difference check at z = 0 gives
    0.5, so gradient checks keep relu inputs away from 0.
    """
    z = as_float_array("z", z)
    return _out((z > 0).astype(np.float64))


def _classes_axis(name: str, z: np.ndarray, axis) -> int:
    """``axis`` as a non-negative int naming an axis of ``z`` that holds at least one class."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer (the axis of the classes, 0 in the course's (classes, m) "
                        f"layout), got {axis!r:.40}")
    if z.ndim == 0:
        raise ValueError(f"{name} must have a classes axis, got a scalar; softmax over one class is always 1 "
                         f"(use {name}.reshape(-1, 1) for one column of scores)")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis = {axis} is out of range for {name} of shape {z.shape} (classes on axis 0 in "
                         "the course's (classes, m) layout)")
    axis = int(axis) % z.ndim
    if z.shape[axis] == 0:
        raise ValueError(f"{name} has shape {z.shape}: no classes on axis {axis}; expected at least one")
    return axis


def _log_softmax(z: np.ndarray, axis: int = 0) -> np.ndarray:
    """log softmax without input checks (nblib.deep and nblib.losses call it on arrays they checked). Scores more
    than ~1.8e308 below the largest overflow to −inf (their log-probability is below float64's range) without a
    warning; the public functions refuse that result by name."""
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)  # the largest score becomes 0: exp never overflows
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _weighted_log_sum(Y: np.ndarray, log_p: np.ndarray) -> float:
    """Σ Y log p over the entries where Y > 0: a class with no weight adds nothing, even where its log-probability
    is −inf (0 · −inf would be NaN)."""
    where = Y > 0
    return float(np.sum(Y[where] * log_p[where]))


def _softmax(z: np.ndarray, axis: int = 0) -> np.ndarray:
    """softmax without input checks (nblib.deep calls it on the Z[L] of its own forward pass). A score more than
    ~1.8e308 below the largest overflows to −inf in the shift, and e^−inf = 0 is its probability (to float64's
    precision): exact, so no warning."""
    with np.errstate(over="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


@exercise_answer
def softmax(z, axis: int = 0):
    """ŷ_i = e^(z_i) / Σ_j e^(z_j) over the classes on ``axis`` (0: the course's (classes, m) layout).

    Computed as e^(z_i − max z) / Σ_j e^(z_j − max z): the same number (the factor e^(−max z) cancels),
    but the largest exponent is e^0 = 1, so nothing overflows even at |z| = 1e4 (lesson 09 derives this).
    Every column sums to 1. An array with no columns gives an empty array.
    """
    z = as_float_array("z", z)
    axis = _classes_axis("z", z, axis)
    if z.size == 0:
        return z.copy()
    return _softmax(z, axis)


def log_softmax(z, axis: int = 0):
    """log ŷ_i = (z_i − max z) − log Σ_j e^(z_j − max z) over the classes on ``axis`` (log-sum-exp).

    Never takes the log of a rounded probability: log softmax(z) of a class far below the others is a large
    negative number here, where np.log(softmax(z)) would give −inf once e^(z_i − max z) underflows to 0
    (lesson 09).
    """
    z = as_float_array("z", z)
    axis = _classes_axis("z", z, axis)
    if z.size == 0:
        return z.copy()
    out = _log_softmax(z, axis)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"log_softmax(z) is −inf: z's scores are more than float64's range apart (from {z.min():.4g}"
                         f" to {z.max():.4g}), so a log-probability is below −1.8e308; expected scores of a "
                         "network, whose spread is far smaller")
    return out
