"""Lesson 01's exercise check: ``check_sigmoid_gradient(your_function)``."""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises.feedback import check_function, new_seed

_sigmoid_gradient = sigmoid_gradient.__wrapped__  # the helper itself refuses while the check runs the student's code

CASES = [
    ("z = [-1, -0.5, 0, 0.5, 1]", (np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),)),
    ("a 2×3 matrix z", (np.linspace(-3.0, 3.0, 6).reshape(2, 3),)),
    ("the scalar z = 0", (0.0,)),
    ("z = [-1000, 1000]", (np.array([-1000.0, 1000.0]),)),
]

MISTAKES = {
    "σ(z) itself, not its derivative": sigmoid,
    "z(1 − z): the a(1 − a) formula applied to z instead of to a = σ(z)": lambda z: z * (1 - z),
    "1 − σ(z): the factor σ(z) is missing": lambda z: 1 - sigmoid(z),
    "σ(z)²: (1 − σ) was replaced by σ": lambda z: sigmoid(z) ** 2,
    "−σ(z)(1 − σ(z)): the sign is flipped": lambda z: -_sigmoid_gradient(z),
    "2σ(z)(1 − σ(z)): a stray factor 2 — σ′ = σ(1 − σ) has none": lambda z: 2 * _sigmoid_gradient(z),
    "σ(σ(z))(1 − σ(σ(z))): σ′ was applied to a = σ(z) instead of to z": lambda z: _sigmoid_gradient(sigmoid(z)),
}


def random_cases(seed: int, count: int = 3):
    rng = np.random.default_rng(seed)
    shapes = [(4,), (3, 2), (2, 1, 3)]
    return [(f"random case {i + 1} (seed {seed}): z of shape {shapes[i]}", (rng.normal(0, 3, size=shapes[i]),))
            for i in range(count)]


def check_sigmoid_gradient(student, *, seed: int | None = None) -> None:
    """Check a student's ``sigmoid_gradient(z)`` on vectors, matrices, a scalar, extreme z and random z."""
    seed = new_seed(seed)
    check_function(student, "sigmoid_gradient", _sigmoid_gradient, CASES + random_cases(seed), mistakes=MISTAKES,
                   refuse=("nblib.activations.sigmoid_gradient",), check_name="check_sigmoid_gradient", seed=seed,
                   names=("z",))
