"""Lesson 00's warm-up check: ``check_central_difference(your_function)``."""

from __future__ import annotations

import numpy as np

from nblib.exercises.feedback import check_function


def _reference(f, z, eps):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


CASES = [
    ("f = sin at z = [0, 1, 2]", (np.sin, np.array([0.0, 1.0, 2.0]), 1e-5)),
    ("f = z³ at z = [[1, 2], [3, 4]]", (lambda z: z**3, np.array([[1.0, 2.0], [3.0, 4.0]]), 1e-4)),
    ("f = exp at z = 0.5", (np.exp, 0.5, 1e-3)),
]

MISTAKES = {
    "a one-sided difference (f(z + ε) − f(z)) / ε": lambda f, z, eps: (f(z + eps) - f(z)) / eps,
    "the difference was not divided by 2ε": lambda f, z, eps: f(z + eps) - f(z - eps),
    "divided by ε instead of 2ε": lambda f, z, eps: (f(z + eps) - f(z - eps)) / eps,
    "the two terms are swapped (wrong sign)": lambda f, z, eps: (f(z - eps) - f(z + eps)) / (2 * eps),
}


def check_central_difference(student) -> None:
    """Check a student's ``central_difference(f, z, eps)`` on three functions."""
    check_function(student, "central_difference", _reference, CASES, mistakes=MISTAKES, rtol=1e-12, atol=1e-14)
