"""Loss functions (lesson 02 derives the squared error's gradient, lesson 05 the cross-entropy's, lesson 09 the
softmax cross-entropy's).

Layout: observations are the *last* axis (columns), as in lessons 02–05, so the
number of observations is ``m = Y.shape[-1]`` (1 for a scalar).
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import _classes_axis, _log_softmax, _softmax, _weighted_log_sum
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


# --- softmax and categorical cross-entropy (lesson 09) -------------------------------------------------------
# Layout (classes, m): one column per example, one row per class; Y holds one-hot columns (or any columns of
# probabilities that sum to 1 — the simplification ŷ − y needs Σ_i y_i = 1).


def _class_columns(name_A: str, A, Y) -> tuple[np.ndarray, np.ndarray]:
    """A and Y as float64 (classes, m) arrays of the same shape; Y's columns are distributions over the classes."""
    A, Y = _pair(name_A, A, "Y", Y)
    if A.ndim != 2:
        raise ValueError(f"{name_A} must be 2-D (classes, m), got shape {A.shape}"
                         + (f"; use {name_A}.reshape(-1, 1) for one example" if A.ndim == 1 else ""))
    _classes_axis(name_A, A, 0)
    check_not_empty(name_A, A, "examples (columns)")
    if Y.min() < 0 or Y.max() > 1:
        raise ValueError(f"Y must hold one-hot columns (labels in [0, 1]); found values from {Y.min():.4g} to "
                         f"{Y.max():.4g}")
    sums = Y.sum(axis=0)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=1e-9):
        i = int(np.flatnonzero(~np.isclose(sums, 1.0, rtol=0.0, atol=1e-9))[0])
        raise ValueError(f"every column of Y must sum to 1 (one-hot: one 1 per example, one row per class); "
                         f"column {i} sums to {sums[i]:.6g} — did you mean Y.T, or pass labels instead of "
                         "one_hot_columns(labels)?")
    return A, Y


def _check_probability_columns(name: str, A: np.ndarray, what: str = "probabilities") -> np.ndarray:
    """``A`` (classes, m) must hold probabilities in [0, 1] whose columns sum to 1 (within 1e-6: float32 softmax
    outputs pass), over at least two classes (softmax over one class is always 1)."""
    if A.shape[0] == 1:
        raise ValueError(f"{name} has shape {A.shape}: one class, expected at least two rows (classes, m); softmax "
                         "over one class is always 1 and learns nothing — for a yes/no output use one sigmoid unit "
                         "and binary cross-entropy")
    if A.min() < 0 or A.max() > 1:
        raise ValueError(f"{name} must hold {what} in [0, 1]; found values from {A.min():.4g} to {A.max():.4g} "
                         f"(did you pass Z instead of {name} = softmax(Z)?)")
    sums = A.sum(axis=0)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        i = int(bad[0])
        transposed = f" or did you mean {name}.T?" if A.shape[0] == A.shape[1] else ""
        raise ValueError(f"every column of {name} must sum to 1 ({what} over the classes), but column {i} sums to "
                         f"{sums[i]:.6g} ({bad.size} of {A.shape[1]} columns do not): sigmoid outputs, or scores not "
                         f"passed through softmax?{transposed}")
    return A


@exercise_answer
def categorical_cross_entropy(A, Y, eps: float = 1e-15) -> float:
    """J = −(1/m) Σ_examples Σ_classes Y log A, from probabilities A (e.g. softmax outputs), (classes, m).

    A must lie in [0, 1]; it is clipped to [eps, 1] before the log (a guard against log 0, never a smoothing).
    From scores Z, :func:`softmax_cross_entropy` is the same number without ever rounding A to 0.
    """
    eps = check_scalar("eps", eps, low=0.0, high=0.01, inclusive=False)
    A, Y = _class_columns("A", A, Y)
    _check_probability_columns("A", A)
    return -float(np.sum(Y * np.log(np.clip(A, eps, 1.0)))) / A.shape[1]


def softmax_cross_entropy(Z, Y) -> float:
    """J = −(1/m) Σ Y log softmax(Z), from the scores Z (classes, m) — the *logits*, not the probabilities.

    Why Z: log softmax(Z) = Z − max Z − log Σ e^(Z − max Z) (log-sum-exp) is exact for any finite Z, whereas
    log(softmax(Z)) is −inf as soon as a probability underflows to 0 (a score ~745 below the largest).
    """
    Z, Y = _class_columns("Z", Z, Y)
    J = -_weighted_log_sum(Y, _log_softmax(Z, 0)) / Z.shape[1]
    check_finite_result(J, "J = −(1/m) Σ Y log softmax(Z)", "the entries of Z")
    return J


@exercise_answer
def softmax_cross_entropy_gradient(Z, Y) -> np.ndarray:
    """∂J/∂Z = (softmax(Z) − Y) / m for :func:`softmax_cross_entropy` (lesson 09: ŷ − y, mean over m).

    Per example the softmax Jacobian ŷ_i(δ_ij − ŷ_j) times ∂L/∂ŷ_i = −y_i/ŷ_i sums to ŷ_j − y_j (using Σ y_i = 1);
    the 1/m is the mean's.
    """
    Z, Y = _class_columns("Z", Z, Y)
    dZ = _softmax(Z, 0)
    dZ -= Y
    dZ /= Z.shape[1]
    return dZ
