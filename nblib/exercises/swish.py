"""Lesson 01's "derive it yourself" check: ``check_swish_gradient(fn)``.

swish(z) = z·σ(z). The page derives σ′ and softplus′, never swish′: the learner applies the product rule (step 1:
u = z, v = σ(z)), the derivatives of the factors (step 2: u′ = 1, v′ = σ′(z), this lesson's boxed result) and puts
them together (step 3: u′v + uv′). Each named slip says which step it breaks; none prints the formula.
"""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid
from nblib.exercises.feedback import CheckFailed, check_function, new_seed
from nblib.progress import recorded


def _z(z):
    return np.asarray(z, dtype=np.float64)


def swish(z):
    """swish(z) = z·σ(z), elementwise (the function whose derivative the exercise asks for)."""
    return _z(z) * sigmoid(z)


def _reference(z):
    s = sigmoid(z)
    return s + _z(z) * s * (1.0 - s)


CASES = [
    ("z = [-3, -1, 0.5, 2, 4]", (np.array([-3.0, -1.0, 0.5, 2.0, 4.0]),)),
    ("a 2×3 matrix z", (np.array([[-2.5, -0.4, 1.5], [0.25, 3.0, -6.0]]),)),
    ("the scalar z = 0 (where swish′ = ½)", (0.0,)),
    ("z = [-1000, -40, 40, 1000] (e^(−z) overflows beyond |z| ≈ 709)", (np.array([-1000.0, -40.0, 40.0, 1000.0]),)),
    ("the integer array z = [[-900, 0], [2, 50]] (any array: the result is still float64)",
     (np.array([[-900, 0], [2, 50]]),)),
]


MISTAKES = {
    "σ(z) alone: step 1's product rule has two terms, u′v + uv′ — the term with v′ = σ′(z) is missing": sigmoid,
    "z·σ′(z) alone: step 1's product rule has two terms, u′v + uv′ — the term with u′ = (z)′ = 1 is missing":
        lambda z: _z(z) * sigmoid(z) * (1.0 - sigmoid(z)),
    "σ(z) + σ′(z): step 3 — in uv′ the factor u = z is missing": lambda z: sigmoid(z) + sigmoid(z) * (1 - sigmoid(z)),
    "σ′(z), the product of the factors' derivatives u′·v′: step 1 — the product rule is u′v + uv′, not u′v′":
        lambda z: sigmoid(z) * (1.0 - sigmoid(z)),
    "z·σ(z), swish itself: the function, not its derivative": swish,
    "σ(z) − z·σ′(z): step 2 — v′ = σ′(z) = σ(z)(1 − σ(z)) is positive; a sign is flipped":
        lambda z: sigmoid(z) - _z(z) * sigmoid(z) * (1.0 - sigmoid(z)),
    "σ(z) + z·σ(z)²: step 2 — σ′ = σ(1 − σ); (1 − σ) was replaced by σ":
        lambda z: sigmoid(z) + _z(z) * sigmoid(z) ** 2,
}


def random_cases(seed: int, count: int = 3):
    rng = np.random.default_rng(seed + 11)
    shapes = [(6,), (3, 2), (2, 2, 2)]
    return [(f"random case {i + 1} (seed {seed}): z of shape {shapes[i]}", (rng.normal(0, 4, size=shapes[i]),))
            for i in range(count)]


@recorded
def check_swish_gradient(student, *, seed: int | None = None) -> None:
    """Check ``swish_gradient(z)``, the derivative of swish(z) = z·σ(z), elementwise, any shape, any z."""
    seed = new_seed(seed)
    try:
        check_function(student, "swish_gradient", _reference, CASES + random_cases(seed), mistakes=MISTAKES,
                       check_name="check_swish_gradient", seed=seed, names=("z",))
    except CheckFailed as failure:
        text = str(failure)
        if "overflow" in text:
            raise CheckFailed(text + ". Write the derivative with σ(z) (nblib.sigmoid never overflows) instead of "
                              "e^(−z), which overflows for z < −709") from None
        raise
