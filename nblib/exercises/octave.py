"""Lesson 06's checks: ``check_yv(fn)`` for ``yv = [1:num_labels] == y`` and ``check_s2(fn)`` for the hidden
error signal, naming the Octave-to-NumPy slips (0-based labels, the bias column, * versus .*)."""

from __future__ import annotations

import numpy as np

from nblib import octave
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, passed

YV_CASES = [("y = [3, 1, 7, 2, 7] with 7 labels", np.array([3, 1, 7, 2, 7]), 7),
            ("y = [[10], [1], [4]] (a column) with 10 labels", np.array([[10], [1], [4]]), 10)]


def check_yv(student) -> None:
    """Check ``student(y, num_labels)`` → the (m, num_labels) one-hot matrix of 1-based labels."""
    for label, y, K in YV_CASES:
        got = call_student(student, "build_yv", (y.copy(), K), label)
        if isinstance(got, np.ndarray) and got.dtype == bool:
            got = got.astype(np.float64)  # a logical matrix is what Octave gives; accept it
        flat = y.ravel()
        zero_based = (np.arange(K)[None, :] == flat[:, None]).astype(float)
        compare_array("yv", got, octave.one_hot(y, K), context=f"With {label}", mistakes={
            "0-based labels: compare with 1 … num_labels (np.arange(1, num_labels + 1)), not 0 … num_labels − 1":
                zero_based})
    passed("yv is right: one row per example, a 1 in the column of its 1-based label")


def _s2_case():
    rng = np.random.default_rng(6)
    m, hidden, K = 6, 4, 3
    z2 = rng.normal(size=(m, hidden))
    Theta2 = rng.normal(size=(K, hidden + 1))
    a3 = sigmoid(octave.add_bias_column(sigmoid(z2)) @ Theta2.T)
    s3 = a3 - octave.one_hot(np.array([1, 3, 2, 3, 1, 2]), K)
    return s3, Theta2, z2


def check_s2(student) -> None:
    """Check ``student(s3, Theta2, z2)`` → s2 of shape (m, hidden), the bias column dropped."""
    s3, Theta2, z2 = _s2_case()
    got = call_student(student, "compute_s2", (s3.copy(), Theta2.copy(), z2.copy()), "m = 6, 4 hidden units, 3 labels")
    full = (s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(z2))
    want = full[:, 1:]
    if isinstance(got, np.ndarray) and got.shape == full.shape:
        raise CheckFailed(f"s2 has shape {got.shape}, expected {want.shape}: drop the bias column, "
                          "s2 = s2[:, 1:] (Octave's s2(:, 2:end)) — the bias unit has no incoming weights to update")
    compare_array("s2", got, want, mistakes={
        "the last column was dropped instead of the first (bias) one: use s2[:, 1:]": full[:, :-1],
        "sigmoidGradient was applied to the activation a2 instead of z2":
            ((s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(sigmoid(z2))))[:, 1:],
        "the factor sigmoidGradient(z2) is missing": (s3 @ Theta2)[:, 1:],
    })
    passed("s2 is right: (s3 · Theta2) .* sigmoidGradient([1 z2]) without the bias column")
