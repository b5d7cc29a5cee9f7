"""Lesson 06's checks: ``check_yv(fn)`` for ``yv = [1:num_labels] == y`` and ``check_s2(fn)`` for the hidden
error signal, naming the Octave-to-NumPy slips (0-based labels, the bias column, * versus .*)."""

from __future__ import annotations

import numpy as np

from nblib import octave
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, new_seed, passed, reporting_seed

YV_CASES = [("y = [3, 1, 7, 2, 7] with 7 labels", np.array([3, 1, 7, 2, 7]), 7),
            ("y = [[10], [1], [4]] (a column) with 10 labels", np.array([[10], [1], [4]]), 10),
            ("y = [2, 1, 2] with 5 labels (4 and 5 do not occur)", np.array([2, 1, 2]), 5)]


def _yv_random_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(2):
        K, m = int(rng.integers(3, 11)), int(rng.integers(1, 9))
        y = rng.integers(1, K, size=m)  # labels 1 … K − 1: the largest label K never occurs
        if i == 1:
            y = y.reshape(-1, 1)
        cases.append((f"random case {i + 1} (seed {seed}): y of shape {y.shape} with {K} labels", y, K))
    return cases


def check_yv(student, *, seed: int | None = None) -> None:
    """Check ``student(y, num_labels)`` → the (m, num_labels) one-hot matrix of 1-based labels.

    A float, integer or bool matrix is accepted: yv is only used in s3 = a3 − yv and in the cost's yv·log(a3)
    and (1 − yv)·log(1 − a3), where NumPy turns a 0/1 integer or bool matrix into float64 exactly (Octave's own
    yv is a logical matrix). Only the values 0 and 1 in the right places count.
    """
    seed = new_seed(seed)
    with reporting_seed("check_yv", seed):
        for label, y, K in YV_CASES + _yv_random_cases(seed):
            got = call_student(student, "build_yv", (y, K), label, refuse=("nblib.octave.one_hot",),
                               names=("y", "num_labels"))
            flat = y.ravel()
            want = octave.one_hot(y, K)
            if isinstance(got, np.ndarray) and got.ndim == 2 and got.shape[0] == flat.size \
                    and got.shape[1] == int(flat.max()) != K:
                raise CheckFailed(f"With {label}: yv has shape {got.shape}, expected {want.shape}: one column per "
                                  f"class — num_labels = {K} of them, even when the largest label does not occur "
                                  f"in y (here y.max() = {int(flat.max())})")
            zero_based = (np.arange(K)[None, :] == flat[:, None]).astype(float)
            compare_array("yv", got, want, context=f"With {label}", allow_int=True, mistakes={
                "0-based labels: compare with 1 … num_labels (np.arange(1, num_labels + 1)), not 0 … num_labels − 1":
                    zero_based})
    passed("yv is right: one row per example, a 1 in the column of its 1-based label")


def _s2_case(m, hidden, K, rng):
    z2 = rng.normal(size=(m, hidden))
    Theta2 = rng.normal(size=(K, hidden + 1))
    a3 = sigmoid(octave.add_bias_column(sigmoid(z2)) @ Theta2.T)
    s3 = a3 - octave.one_hot(rng.integers(1, K + 1, size=m), K)
    return s3, Theta2, z2


def _s2_cases(seed: int):
    """Fixed shapes that break the coincidences (m ≠ K ≠ hidden + 1, m = hidden, m = 1) and random ones."""
    cases = [(f"m = {m}, {h} hidden units, {K} labels", *_s2_case(m, h, K, np.random.default_rng(6 + i)))
             for i, (m, h, K) in enumerate([(6, 4, 3), (4, 4, 2), (1, 3, 5)])]
    rng = np.random.default_rng(seed)
    for i in range(2):
        m, h, K = (int(v) for v in rng.integers([1, 2, 2], [8, 7, 6]))
        cases.append((f"random case {i + 1} (seed {seed}): m = {m}, {h} hidden units, {K} labels",
                      *_s2_case(m, h, K, rng)))
    return cases


def check_s2(student, *, seed: int | None = None) -> None:
    """Check ``student(s3, Theta2, z2)`` → s2 of shape (m, hidden), the bias column dropped."""
    seed = new_seed(seed)
    with reporting_seed("check_s2", seed):
        for label, s3, Theta2, z2 in _s2_cases(seed):
            got = call_student(student, "compute_s2", (s3, Theta2, z2), label, names=("s3", "Theta2", "z2"))
            full = (s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(z2))
            want = full[:, 1:]
            if isinstance(got, np.ndarray) and got.shape == full.shape:
                raise CheckFailed(f"With {label}: s2 has shape {got.shape}, expected {want.shape}: drop the bias "
                                  "column, s2 = s2[:, 1:] (Octave's s2(:, 2:end)) — the bias unit has no incoming "
                                  "weights to update")
            compare_array("s2", got, want, context=f"With {label}", mistakes={
                "the last column was dropped instead of the first (bias) one: use s2[:, 1:]": full[:, :-1],
                "sigmoidGradient was applied to the activation a2 instead of z2":
                    ((s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(sigmoid(z2))))[:, 1:],
                "the factor sigmoidGradient(z2) is missing": (s3 @ Theta2)[:, 1:],
                "the sign is flipped: s3 = a3 − yv already points the right way": -want,
            })
    passed("s2 is right: (s3 · Theta2) .* sigmoidGradient([1 z2]) without the bias column")
