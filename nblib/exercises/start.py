"""Lesson 00's warm-up check: ``check_central_difference(your_function)``."""

from __future__ import annotations

import numpy as np

from nblib.exercises.feedback import check_function, new_seed
from nblib.progress import recorded


def _reference(f, z, eps):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


CASES = [
    ("f = sin at z = [0, 1, 2]", (np.sin, np.array([0.0, 1.0, 2.0]), 1e-5)),
    ("f = z³ at z = [[1, 2], [3, 4]]", (lambda z: z**3, np.array([[1.0, 2.0], [3.0, 4.0]]), 1e-4)),
    ("f = exp at z = 0.5", (np.exp, 0.5, 1e-3)),
    ("f = exp at the integer array z = [-1, 0, 2] (an array of any dtype)", (np.exp, np.array([-1, 0, 2]), 1e-4)),
]

FUNCTIONS = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "tanh": np.tanh, "z³ − 2z": lambda z: z**3 - 2 * z}

MISTAKES = {
    "a one-sided difference (f(z + ε) − f(z)) / ε": lambda f, z, eps: (f(z + eps) - f(z)) / eps,
    "the difference was not divided by 2ε": lambda f, z, eps: f(z + eps) - f(z - eps),
    "divided by ε instead of 2ε": lambda f, z, eps: (f(z + eps) - f(z - eps)) / eps,
    "the two terms are swapped (wrong sign)": lambda f, z, eps: (f(z - eps) - f(z + eps)) / (2 * eps),
}


def random_cases(seed: int, count: int = 3):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(count):
        name = list(FUNCTIONS)[int(rng.integers(len(FUNCTIONS)))]
        shape = [(), (3,), (2, 2)][int(rng.integers(3))]
        z = rng.uniform(-2, 2, size=shape)
        z = float(z) if shape == () else z
        eps = float(10 ** rng.uniform(-5, -3))
        cases.append((f"random case {i + 1} (seed {seed}): f = {name} at z of shape {np.shape(z)}, ε = {eps:.2g}",
                      (FUNCTIONS[name], z, eps)))
    return cases


def _atol(f, z, eps):
    # f(z ± ε) are rounded to ~1.1e-16·|f| each, and dividing by 2ε magnifies that: a correct formula (also the
    # split f(z+ε)/(2ε) − f(z−ε)/(2ε)) lands within a few units of 1.1e-16·max|f|/ε of the reference. 100× that
    # is still ~10³ below the O(ε) error of a one-sided difference for these f, z and ε.
    scale = max(float(np.max(np.abs(f(z + eps)))), float(np.max(np.abs(f(z - eps)))), 1e-300)
    reference = np.abs(_reference(f, z, eps))
    return 100 * np.finfo(float).eps * scale / eps + 1e-9 * float(np.max(reference))


@recorded
def check_central_difference(student, *, seed: int | None = None) -> None:
    """Check a student's ``central_difference(f, z, eps)`` on three fixed functions and three random ones."""
    seed = new_seed(seed)
    check_function(student, "central_difference", _reference, CASES + random_cases(seed), mistakes=MISTAKES,
                   atol=_atol, check_name="check_central_difference", seed=seed,
                   names=("f", "z", "eps"))
