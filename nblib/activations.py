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
