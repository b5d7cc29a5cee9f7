"""Lesson 02's "derive it yourself" check: ``check_dE_dZ2_huber(fn)``.

The [4, 5, 1] network of article 001 with the Huber loss instead of ½(Y − O)²:

    E = Σ_n H_c(Y_n − O_n),   H_c(r) = ½ r²           if |r| ≤ c,
                              H_c(r) = c (|r| − ½ c)   if |r| > c        (c > 0).

The page derives ∂E/∂Z2 for the squared error only. The learner differentiates H_c piece by piece (step 1: ∂E/∂O,
the chain rule through r = Y − O), multiplies by ∂O/∂Z2 (step 2: the sigmoid's O(1 − O)) and returns the
(n_out, m) error signal. Each named slip says which step it breaks; none prints the formula.
"""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid
from nblib.exercises.feedback import CheckFailed, check_function, new_seed
from nblib.progress import recorded


def huber(r, c):
    """H_c(r), elementwise: ½r² for |r| ≤ c, c(|r| − ½c) beyond."""
    r = np.asarray(r, dtype=np.float64)
    return np.where(np.abs(r) <= c, 0.5 * r * r, c * (np.abs(r) - 0.5 * c))


def huber_loss(Y, O, c):
    """E = Σ H_c(Y − O) over every entry."""
    return float(np.sum(huber(np.asarray(Y, dtype=np.float64) - np.asarray(O, dtype=np.float64), c)))


def _reference(O, Y, c):
    O = np.asarray(O, dtype=np.float64)
    return np.clip(O - np.asarray(Y, dtype=np.float64), -c, c) * O * (1.0 - O)


def _slope(O, Y, c):  # ∂E/∂O, right
    return np.clip(np.asarray(O, dtype=np.float64) - Y, -c, c)


def _sp(O):  # ∂O/∂Z2 = O(1 − O)
    return np.asarray(O, dtype=np.float64) * (1.0 - np.asarray(O, dtype=np.float64))


def _case(n_out, m, c, seed, spread=0.6):
    rng = np.random.default_rng(seed)
    O = sigmoid(rng.normal(0, 1.5, size=(n_out, m)))
    Y = np.clip(O + rng.uniform(-spread, spread, size=(n_out, m)), 0.0, 1.0)
    return O, Y, c


def _fixed():
    O = np.array([[0.2, 0.9, 0.5, 0.7, 0.35, 0.6]])
    Y = np.array([[0.1, 0.2, 0.5, 0.25, 0.9, 0.6]])   # |r| = 0.1, 0.7, 0, 0.45, 0.55, 0
    O2 = np.array([[0.75, 0.5, 0.1], [0.25, 0.875, 0.5]])
    Y2 = O2 + np.array([[-0.25, 0.25, 0.625], [0.125, -0.375, 0.25]])  # |r| = c = 0.25 exactly in four entries
    return [
        ("one output, m = 6 houses, c = 0.3 (|Y − O| on both sides of c, and 0)", (O, Y, 0.3)),
        ("two outputs, m = 3, c = 0.25 (|Y − O| = c exactly in three entries: both pieces meet there)", (O2, Y2, 0.25)),
        ("m = 1, O = 0.999999 (saturated), Y = 0, c = 0.1", (np.array([[0.999999]]), np.array([[0.0]]), 0.1)),
        ("three outputs, m = 4, c = 0.001 (almost every |Y − O| > c)", _case(3, 4, 0.001, 7)),
        ("one output, m = 5, c = 2 (every |Y − O| ≤ c: the squared error's region only)", _case(1, 5, 2.0, 8)),
    ]


def _random(seed: int, count: int = 3):
    rng = np.random.default_rng(seed + 21)
    out = []
    for i in range(count):
        n_out, m = int(rng.integers(1, 4)), int(rng.integers(1, 8))
        c = float(rng.choice([0.05, 0.1, 0.2, 0.4]))
        out.append((f"random case {i + 1} (seed {seed}): O, Y of shape ({n_out}, {m}), c = {c}",
                    _case(n_out, m, c, int(rng.integers(0, 2**31)))))
    return out


MISTAKES = {
    "the squared error's signal: step 1 — where |Y − O| > c the loss is the straight piece c(|r| − ½c), whose slope is "
    "not O − Y": lambda O, Y, c: (np.asarray(O) - Y) * _sp(O),
    "∂E/∂O alone: step 2 — the factor ∂O/∂Z2 of the output sigmoid is missing":
        lambda O, Y, c: _slope(O, Y, c),
    "the sign is flipped: step 1 — r = Y − O, and ∂r/∂O = −1": lambda O, Y, c: -_reference(O, Y, c),
    "the two pieces are swapped: step 1 — inside |Y − O| ≤ c the loss is ½r², outside it is the straight piece":
        lambda O, Y, c: np.where(np.abs(np.asarray(O) - Y) <= c, c * np.sign(np.asarray(O) - Y),
                                 np.asarray(O) - Y) * _sp(O),
    "the straight piece's slope everywhere: step 1 — inside |Y − O| ≤ c the loss is ½r², whose slope is not ±c":
        lambda O, Y, c: c * np.sign(np.asarray(O) - Y) * _sp(O),
    "half the right values: step 1 — the power rule's 2 cancels the ½ of ½r² (and c(|r| − ½c) has slope ±c)":
        lambda O, Y, c: 0.5 * _reference(O, Y, c),
    "σ′ applied to O: step 2 — O(1 − O) already is σ′(Z2); σ(O)(1 − σ(O)) differentiates the sigmoid twice":
        lambda O, Y, c: _slope(O, Y, c) * sigmoid(O) * (1.0 - sigmoid(O)),
}


@recorded
def check_dE_dZ2_huber(student, *, seed: int | None = None) -> None:
    """Check ``dE_dZ2_huber(O, Y, c)``: ∂E/∂Z2 (n_out, m) for E = Σ H_c(Y − O), O = σ(Z2)."""
    seed = new_seed(seed)
    try:
        check_function(student, "dE_dZ2_huber", _reference, _fixed() + _random(seed), mistakes=MISTAKES,
                       check_name="check_dE_dZ2_huber", seed=seed, names=("O", "Y", "c"))
    except CheckFailed as failure:
        text = str(failure)
        if "wrong values" in text and "looks like" not in text and "index" in text:
            raise CheckFailed(text + " — check each piece of H_c at that entry: is |Y − O| there ≤ c or > c?") \
                from None
        raise
