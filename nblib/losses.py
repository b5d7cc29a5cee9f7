"""Loss functions (lesson 02 derives the squared error's gradient, lesson 05 the cross-entropy's).

Layout: observations are the *last* axis (columns), as in lessons 02–05, so the
number of observations is ``m = Y.shape[-1]`` (1 for a scalar).
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.shapes import expect_same_shape
from nblib.validate import as_float_array, check_choice, check_finite_result, check_not_empty, check_scalar

_REDUCTIONS = ("sum", "mean")


def _pair(name_a: str, a, name_b: str, b) -> tuple[np.ndarray, np.ndarray]:
    a = as_float_array(name_a, a)
    b = as_float_array(name_b, b)
    expect_same_shape(name_a, a, name_b, b)
    return a, b


def _m(a: np.ndarray) -> int:
    return a.shape[-1] if a.ndim else 1


def _check_reduction(reduction: str) -> None:
    check_choice("reduction", reduction, _REDUCTIONS)


def half_squared_error(Y, O, reduction: str = "sum") -> float:
    """E = ½ Σ (Y − O)², the loss of article 001.

    ``reduction="sum"`` adds over every entry (the article's E, summed over
    observations); ``reduction="mean"`` divides that sum by the number of
    observations m = Y.shape[-1] — the only change to every gradient is a factor 1/m.
    """
    _check_reduction(reduction)
    Y, O = _pair("Y", Y, "O", O)
    if reduction == "mean":
        check_not_empty("Y", Y)
    with np.errstate(over="ignore"):
        E = 0.5 * float(np.sum((Y - O) ** 2))
    check_finite_result(E, "E = ½ Σ (Y − O)²", "the entries of Y and O")
    return E / _m(Y) if reduction == "mean" else E


def half_squared_error_gradient(Y, O, reduction: str = "sum") -> np.ndarray:
    """dE/dO = O − Y (times 1/m for ``reduction="mean"``), same shape as O."""
    _check_reduction(reduction)
    Y, O = _pair("Y", Y, "O", O)
    dO = O - Y
    return dO / _m(Y) if reduction == "mean" else dO


@exercise_answer
def binary_cross_entropy(A, Y, eps: float = 1e-15) -> float:
    """J = −(1/m) Σ [Y log A + (1 − Y) log(1 − A)], the mean over m = A.shape[-1] observations.

    A (predicted probabilities) must lie in [0, 1] and Y (labels) in [0, 1].
    A is clipped to [eps, 1 − eps] before the logarithm, so A = 0 or 1 give a large
    but finite cost instead of inf/NaN; eps is a guard against log(0), below 0.01, never a smoothing.
    """
    return _cross_entropy(A, Y, eps, "A")


def _cross_entropy(A, Y, eps, name_A: str) -> float:
    """binary_cross_entropy with the prediction called ``name_A`` in messages (nblib.deep calls it AL)."""
    eps = check_scalar("eps", eps, low=0.0, high=0.01, inclusive=False)
    A, Y = _pair(name_A, A, "Y", Y)
    check_not_empty(name_A, A)
    if np.any((A < 0) | (A > 1)):
        raise ValueError(f"{name_A} must hold probabilities in [0, 1]; found values from {A.min():.4g} to "
                         f"{A.max():.4g} (did you pass Z instead of {name_A} = sigmoid(Z)?)")
    if np.any((Y < 0) | (Y > 1)):
        raise ValueError(f"Y must hold labels in [0, 1] (0 or 1 for binary classification); "
                         f"found values from {Y.min():.4g} to {Y.max():.4g}")
    A = np.clip(A, eps, 1.0 - eps)
    total = float(np.sum(Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A)))
    return -total / _m(A)
