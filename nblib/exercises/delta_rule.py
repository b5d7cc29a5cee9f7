"""Lesson 04's check: ``check_hidden_delta(fn)`` for the 2-3-1 network of article 002."""

from __future__ import annotations

import numpy as np

from nblib import delta_rule
from nblib.activations import sigmoid_gradient
from nblib.exercises.feedback import check_function, new_seed
from nblib.progress import recorded

CASES = [
    ("the worked example", (np.array([1.0, 0.5]), 1.0, np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]),
                            np.array([0.2, -0.1, 0.3]))),
    ("a second example", (np.array([-0.7, 1.2]), 0.25, np.array([[0.5, -0.4, 0.9], [-0.3, 0.8, 0.1]]),
                          np.array([-0.6, 0.4, 1.1]))),
]


def _reference(x, d, W1, W2):
    # .__wrapped__: the helper itself refuses while the check runs the student's code (or a slip built on it)
    return delta_rule.deltas.__wrapped__(x, d, W1, W2)["delta_hidden"]


def _parts(x, d, W1, W2):
    f = delta_rule.forward(x, W1, W2)
    return f, d - f["y"]


MISTAKES = {
    "the factor h(1 − h) = σ′(z) is missing": lambda x, d, W1, W2: _parts(x, d, W1, W2)[1] * W2,
    "the weight W2[j] is missing": lambda x, d, W1, W2: (
        _parts(x, d, W1, W2)[1] * _parts(x, d, W1, W2)[0]["h"] * (1 - _parts(x, d, W1, W2)[0]["h"])),
    "the sign is flipped: (y − d) instead of this lesson's (d − y)": lambda x, d, W1, W2: -_reference(x, d, W1, W2),
    "σ′ was applied to h instead of z: σ′(h) is not h(1 − h)": lambda x, d, W1, W2: (
        _parts(x, d, W1, W2)[1] * W2 * sigmoid_gradient.__wrapped__(_parts(x, d, W1, W2)[0]["h"])),
    "δ was multiplied by the learning rate η = 0.5: δ has no η — η enters only in the weight change ΔW = η δ x":
        lambda x, d, W1, W2: 0.5 * _reference(x, d, W1, W2),
}


def random_cases(seed: int, count: int = 3):
    rng = np.random.default_rng(seed)
    return [(f"random case {i + 1} (seed {seed})", (rng.normal(0, 1, 2), float(rng.uniform(-1, 1)),
                                                   rng.normal(0, 1, (2, 3)), rng.normal(0, 1, 3)))
            for i in range(count)]


@recorded
def check_hidden_delta(student, *, seed: int | None = None) -> None:
    """Check ``student(x, d, W1, W2)`` → δ_hidden, shape (3,)."""
    seed = new_seed(seed)
    check_function(student, "hidden_delta", _reference, CASES + random_cases(seed), mistakes=MISTAKES,
                   refuse=("nblib.delta_rule.deltas",), check_name="check_hidden_delta", seed=seed,
                   names=("x", "d", "W1", "W2"))
