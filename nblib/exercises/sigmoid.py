"""Lesson 01's exercise checks.

* ``check_sigmoid_gradient(fn)`` — σ′(z) = σ(z)(1 − σ(z)) from the chain-rule derivation (steps 1–4), any shape;
* ``check_sigmoid_gradient_quotient(fn)`` — the quotient rule's fraction, with np.exp only, without overflow and
  to float64's relative precision for any z (the learner's own step: making the fraction safe — the page's chain rule
  gives the fraction itself, unsafe for z < −709);
* ``check_tanh_gradient(fn)`` — tanh′(z) = 1 − tanh(z)², without overflow for any z;
* ``check_central_difference_auto(fn)`` — a central difference whose step follows the rule
  ε = u^(1/3)·max(1, |z|) (u = 2⁻⁵², float64's machine epsilon).

Each mistake's description names the step of the page's derivation that it breaks.
"""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises.feedback import CheckFailed, check_function, new_seed
from nblib.progress import recorded

_sigmoid_gradient = sigmoid_gradient.__wrapped__  # the helper itself refuses while the check runs the student's code

CASES = [
    ("z = [-1, -0.5, 0, 0.5, 1]", (np.array([-1.0, -0.5, 0.0, 0.5, 1.0]),)),
    ("a 2×3 matrix z", (np.linspace(-3.0, 3.0, 6).reshape(2, 3),)),
    ("the scalar z = 0", (0.0,)),
    ("z = [-1000, 1000]", (np.array([-1000.0, 1000.0]),)),
    ("the integer array z = [-3, 0, 2] (an array of any dtype: the result is still float64)", (np.array([-3, 0, 2]),)),
    ("the Python int z = 1 (a Python number)", (1,)),
]

MISTAKES = {
    "σ(z) itself, not its derivative": sigmoid,
    "z(1 − z): the a(1 − a) formula applied to z instead of to a = σ(z) (step 4 recognises the factors as σ(z) "
    "and 1 − σ(z))": lambda z: z * (1 - z),
    "1 − σ(z): the factor σ(z) is missing (step 3 splits σ′ into σ(z) · (1 − σ(z)))": lambda z: 1 - sigmoid(z),
    "σ(z)²: (1 − σ) was replaced by σ (step 4: the second factor is 1 − σ(z))": lambda z: sigmoid(z) ** 2,
    "−σ(z)(1 − σ(z)): the sign is flipped (step 2: the two minus signs of the chain rule cancel)":
        lambda z: -_sigmoid_gradient(z),
    "2σ(z)(1 − σ(z)): a stray factor 2 — σ′ = σ(1 − σ) has none (step 2: the power −1 brings a factor −1, "
    "not −2)": lambda z: 2 * _sigmoid_gradient(z),
    "σ(σ(z))(1 − σ(σ(z))): σ′ was applied to a = σ(z) instead of to z": lambda z: _sigmoid_gradient(sigmoid(z)),
}


def random_cases(seed: int, count: int = 3):
    rng = np.random.default_rng(seed)
    shapes = [(4,), (3, 2), (2, 1, 3)]
    return [(f"random case {i + 1} (seed {seed}): z of shape {shapes[i]}", (rng.normal(0, 3, size=shapes[i]),))
            for i in range(count)]


@recorded
def check_sigmoid_gradient(student, *, seed: int | None = None) -> None:
    """Check a student's ``sigmoid_gradient(z)`` on vectors, matrices, a scalar, extreme z and random z."""
    seed = new_seed(seed)
    check_function(student, "sigmoid_gradient", _sigmoid_gradient, CASES + random_cases(seed), mistakes=MISTAKES,
                   refuse=("nblib.activations.sigmoid_gradient",), check_name="check_sigmoid_gradient", seed=seed,
                   names=("z",))


# --- σ′ by the quotient rule ----------------------------------------------------------------------------------


def _quotient_reference(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=np.float64)))  # σ′ is even: σ′(z) = σ′(−z) = σ′(|z|)
    return e / (1.0 + e) ** 2


QUOTIENT_CASES = [
    ("z = [-2, -1, 0, 1, 2]", (np.linspace(-2.0, 2.0, 5),)),
    ("a 2×2 matrix z", (np.array([[-4.0, 0.5], [3.0, -0.25]]),)),
    ("the scalar z = 1.5", (1.5,)),
    ("z = [-1000, -710, 710, 1000] (e^(−z) alone overflows at z = −710)",
     (np.array([-1000.0, -710.0, 710.0, 1000.0]),)),
    ("z = [-50, -30, 30, 40, 50] (1 − σ(z) loses its digits from z ≈ 20 and rounds to 0 beyond z ≈ 37)",
     (np.array([-50.0, -30.0, 30.0, 40.0, 50.0]),)),
    ("the integer array z = [[-800, 0], [3, 45]] (any array: the result is still float64)",
     (np.array([[-800, 0], [3, 45]]),)),
]

def _e_abs(z):
    return np.exp(-np.abs(np.asarray(z, dtype=np.float64)))


# An unstable fraction (e^(−z) itself) overflows on the fourth case, and the overflow is reported before any value,
# so the slips are named in the stable form, at |z|.
QUOTIENT_MISTAKES = {
    "e^(−|z|)/(1 + e^(−|z|)), which is 1 − σ(|z|): step 3 of the quotient rule divides by v², the denominator "
    "squared — the square is missing": lambda z: _e_abs(z) / (1.0 + _e_abs(z)),
    "−e^(−|z|)/(1 + e^(−|z|))²: the sign is flipped — step 2: v′ = d(1 + e^(−z))/dz = −e^(−z), and the quotient "
    "rule subtracts u·v′, so the two minus signs cancel": lambda z: -_quotient_reference(z),
    "e^(−2|z|)/(1 + e^(−|z|))²: step 3's numerator is −u·v′ = e^(−z) (u = 1), not its square":
        lambda z: _e_abs(z) ** 2 / (1.0 + _e_abs(z)) ** 2,
    "1/(1 + e^(−|z|)) = σ(|z|): the function itself, not its derivative (step 1 names u = 1 and v = 1 + e^(−z); "
    "σ = u/v is what is differentiated)": lambda z: 1.0 / (1.0 + _e_abs(z)),
    "σ(z)(1 − σ(z)) (or σ − σ²) with the stable σ: right in exact arithmetic, but for large z σ(z) rounds towards 1 "
    "and 1 − σ(z) loses its digits (0 beyond z ≈ 37) — this exercise codes the quotient rule's fraction, made safe "
    "in step 4, which subtracts nothing": lambda z: _stable_sigma(z) * (1.0 - _stable_sigma(z)),
}


def _stable_sigma(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z >= 0, 1.0 / (1.0 + _e_abs(z)), _e_abs(z) / (1.0 + _e_abs(z)))


def _quotient_random_cases(seed: int, count: int = 2):
    rng = np.random.default_rng(seed + 1)
    shapes = [(5,), (2, 3)]
    return [(f"random case {i + 1} (seed {seed}): z of shape {shapes[i]}", (rng.normal(0, 4, size=shapes[i]),))
            for i in range(count)]


@recorded
def check_sigmoid_gradient_quotient(student, *, seed: int | None = None) -> None:
    """Check ``sigmoid_gradient_quotient(z)``: the quotient rule's e^(−z)/(1 + e^(−z))², overflow-free, np.exp only.

    The helpers nblib.sigmoid and nblib.sigmoid_gradient are refused: this exercise writes the fraction itself.
    """
    seed = new_seed(seed)
    try:
        check_function(student, "sigmoid_gradient_quotient", _quotient_reference,
                       QUOTIENT_CASES + _quotient_random_cases(seed), mistakes=QUOTIENT_MISTAKES,
                       refuse=("nblib.activations.sigmoid_gradient", "nblib.activations.sigmoid"),
                       check_name="check_sigmoid_gradient_quotient", seed=seed, names=("z",))
    except CheckFailed as failure:
        text = str(failure)
        if "calls nblib.activations.sigmoid:" in text:
            raise CheckFailed("sigmoid_gradient_quotient calls nblib.sigmoid: write it yourself — this exercise "
                              "codes the quotient rule's result with np.exp only (the σ(1 − σ) form is the "
                              "exercise before)") from None
        if "overflow" in text:
            raise CheckFailed(text + ". Step 4 of the exercise (make the fraction safe for every z) is not done: "
                              "which z make your fraction exponentiate a large positive number?") from None
        raise


# --- tanh′ ------------------------------------------------------------------------------------------------------


def _tanh_reference(z):
    # 4e^(−2|z|)/(1 + e^(−2|z|))² = 1 − tanh(z)², exact also where tanh(z) rounds to ±1 (then 1 − tanh² is 0, within
    # the check's absolute tolerance TANH_ATOL of the true 4e^(−2|z|) ≤ 1.7e-17 for |z| ≥ 20).
    e = np.exp(-2.0 * np.abs(np.asarray(z, dtype=np.float64)))
    return 4.0 * e / (1.0 + e) ** 2


TANH_ATOL = 1e-14  # tanh′ ≤ 1, and 1 − tanh² rounds to within a few u of it


TANH_CASES = [
    ("z = [-2, -1, 0, 1, 2]", (np.linspace(-2.0, 2.0, 5),)),
    ("a 3×2 matrix z", (np.array([[-0.3, 0.7], [1.5, -2.5], [0.05, 4.0]]),)),
    ("the scalar z = 0.5", (0.5,)),
    ("z = [-1000, -400, -20, 20, 400, 1000] (cosh and e^(2z) overflow beyond |z| ≈ 355–710)",
     (np.array([-1000.0, -400.0, -20.0, 20.0, 400.0, 1000.0]),)),
    ("the integer array z = [-500, 0, 1, 30] (any array: the result is still float64)", (np.array([-500, 0, 1, 30]),)),
]

TANH_MISTAKES = {
    "tanh(z) itself, not its derivative": lambda z: np.tanh(z),
    "1 − tanh(z): step 3 — in (v² − u²)/v², written with u/v, the ratio u/v appears squared; the square is missing":
        lambda z: 1.0 - np.tanh(z),
    "tanh(z)²: step 3 — (v² − u²)/v² splits into two fractions, and one of them is missing":
        lambda z: np.tanh(z) ** 2,
    "tanh(z)² − 1: the sign is flipped — step 2 of the quotient rule is (u′v − u·v′)/v², u′v first":
        lambda z: np.tanh(z) ** 2 - 1.0,
    "1 − z²: the right shape of formula, applied to z instead of to a = tanh(z) (step 3: u/v is tanh(z), not z)":
        lambda z: 1.0 - np.asarray(z, dtype=np.float64) ** 2,
    "σ(z)(1 − σ(z)): that is the sigmoid's derivative, not tanh′ (step 3 writes tanh′ with u/v = tanh(z) only)":
        _sigmoid_gradient,
}


def _tanh_random_cases(seed: int, count: int = 2):
    rng = np.random.default_rng(seed + 2)
    shapes = [(4,), (2, 2)]
    return [(f"random case {i + 1} (seed {seed}): z of shape {shapes[i]}", (rng.normal(0, 2, size=shapes[i]),))
            for i in range(count)]


@recorded
def check_tanh_gradient(student, *, seed: int | None = None) -> None:
    """Check ``tanh_gradient(z)`` = 1 − tanh(z)², elementwise, for any shape and any z (no overflow)."""
    seed = new_seed(seed)
    try:
        check_function(student, "tanh_gradient", _tanh_reference, TANH_CASES + _tanh_random_cases(seed),
                       mistakes=TANH_MISTAKES, atol=TANH_ATOL, check_name="check_tanh_gradient", seed=seed,
                       names=("z",))
    except CheckFailed as failure:
        text = str(failure)
        if "overflow" in text:
            raise CheckFailed(text + ". Step 3 of the derivation writes the result with u/v = tanh(z) only: "
                              "np.tanh never overflows (it is ±1 for large |z|), while 1/cosh(z)² or e^(2z) do")\
                from None
        raise


# --- a central difference that chooses its own step --------------------------------------------------------------

U = float(np.finfo(np.float64).eps)  # 2⁻⁵² ≈ 2.2e-16


def _step(z):
    return U ** (1 / 3) * np.maximum(1.0, np.abs(np.asarray(z, dtype=np.float64)))


def _auto_reference(f, z):
    z = np.asarray(z, dtype=np.float64)
    h = _step(z)
    return (f(z + h) - f(z - h)) / (2 * h)


def _cube(z):
    return z ** 3


def _inverse(z):
    return 1.0 / z


AUTO_CASES = [
    ("f = exp at z = [-1, 0.5, 2]", (np.exp, np.array([-1.0, 0.5, 2.0]))),
    ("f = exp at 40 points from z = 1 to 3", (np.exp, np.linspace(1.0, 3.0, 40))),
    ("f = sin at the scalar z = 0.3", (np.sin, 0.3)),
    ("f(z) = z³ at z = [[1e4, 2e4], [-3e4, 1.5e4]]", (_cube, np.array([[1e4, 2e4], [-3e4, 1.5e4]]))),
    ("f(z) = 1/z at z = [2e5, 7e5]", (_inverse, np.array([2e5, 7e5]))),
    ("f = tanh at z = [0.2, -0.7]", (np.tanh, np.array([0.2, -0.7]))),
    ("f = sin at the integer array z = [-2, 0, 3] (any array: ε and the result are float64)",
     (np.sin, np.array([-2, 0, 3]))),
]

AUTO_MISTAKES = {
    "a fixed ε = 1e-5: step 2 of the rule scales ε with max(1, |z|) — near z = 1e4 the floats are 1.8e-12 apart, "
    "so z ± 1e-5 is rounded and the estimate loses digits": lambda f, z: (f(np.asarray(z) + 1e-5)
                                                                         - f(np.asarray(z) - 1e-5)) / 2e-5,
    "ε = u^(1/3) without the factor max(1, |z|): step 2 of the rule — the spacing of floats near z is u·|z|, so "
    "the step must grow with |z|": lambda f, z: (f(np.asarray(z) + U ** (1 / 3))
                                                 - f(np.asarray(z) - U ** (1 / 3))) / (2 * U ** (1 / 3)),
    "ε = u^(1/2)·max(1, |z|), the rule for a one-sided difference: step 1 of the rule balances ε² truncation "
    "against u/ε round-off, which gives u^(1/3) for a central difference":
        lambda f, z: (f(np.asarray(z) + U ** 0.5 * np.maximum(1, np.abs(z)))
                      - f(np.asarray(z) - U ** 0.5 * np.maximum(1, np.abs(z))))
        / (2 * U ** 0.5 * np.maximum(1, np.abs(z))),
    "a one-sided difference (f(z + ε) − f(z))/ε: step 3 uses f(z + ε) and f(z − ε)":
        lambda f, z: (f(np.asarray(z) + _step(z)) - f(np.asarray(z))) / _step(z),
    "divided by ε instead of 2ε (step 3: the two points are 2ε apart)":
        lambda f, z: (f(np.asarray(z) + _step(z)) - f(np.asarray(z) - _step(z))) / _step(z),
}


def _auto_atol(f, z):
    # Two correct codes of the rule (u ** (1/3) or np.cbrt(u); dividing by 2ε, by (z + ε) − (z − ε), or each term
    # by 2ε; a loop over the entries) evaluate f at points up to one float spacing u·|z| apart and round f(z ± ε)
    # differently. Measured over 3000 random cases (exp, sin, tanh, z³, 1/z, log; |z| up to 5e5) they stay within
    # 0.44 × u·(|f| + |z·f′|)/ε of the reference, entry by entry; 5× that bound leaves a margin of 11, and every named
    # slip exceeds it on at least one fixed case (tests/test_exercises_01_02.py).
    z = np.asarray(z, dtype=np.float64)
    ref = _auto_reference(f, z)
    return float(np.max(5 * U * (np.abs(f(z)) + np.abs(z * ref)) / _step(z))) + 1e-300


def _auto_random_cases(seed: int, count: int = 2):
    rng = np.random.default_rng(seed + 3)
    cases = []
    for i in range(count):
        power = int(rng.integers(0, 5))
        z = rng.uniform(1.0, 5.0, size=20) * 10.0 ** power * rng.choice([-1.0, 1.0], size=20)
        cases.append((f"random case {i + 1} (seed {seed}): f(z) = z³ at z of size ~1e{power}", (_cube, z)))
    return cases


@recorded
def check_central_difference_auto(student, *, seed: int | None = None) -> None:
    """Check ``central_difference_auto(f, z)`` = (f(z + ε) − f(z − ε))/(2ε) with ε = u^(1/3)·max(1, |z|)."""
    seed = new_seed(seed)
    check_function(student, "central_difference_auto", _auto_reference, AUTO_CASES + _auto_random_cases(seed),
                   mistakes=AUTO_MISTAKES, rtol=0.0, atol=_auto_atol, check_name="check_central_difference_auto",
                   seed=seed, names=("f", "z"))
