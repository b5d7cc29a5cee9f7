"""Lesson 07's checks, one per line of the derivation the lesson numbers (DERIVATION below): ``check_yv``,
``check_s3``, ``check_s2``, ``check_s2_tanh`` (a tanh hidden layer, derived by the learner), ``check_theta_grad``
(the bias column left out of the regularisation),
``check_unroll``, ``check_nn_cost_function`` (against a cost computed by real GNU Octave) and ``check_predict``.
Each names the Octave-to-NumPy slips (0-based labels, the bias column, * versus .*, row-major unrolling) and the
step of the derivation the slip breaks."""

from __future__ import annotations

import dis

import numpy as np

from nblib import octave
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, new_seed, passed, reporting_seed
from nblib.progress import recorded

# The derivation as lesson 07 numbers it; a check's message names the step a mistake breaks.
DERIVATION = {
    1: "yv: one row per example, a 1 in the column of its 1-based label",
    2: "the forward pass a1 = [1 X], z2 = a1·Theta1ᵀ, a2 = [1 σ(z2)], z3 = a2·Theta2ᵀ, a3 = σ(z3)",
    3: "J = (1/m)·Σ over examples and labels of −yv·log(a3) − (1 − yv)·log(1 − a3)",
    4: "s3 = m·∂J/∂z3, the output error (the σ′(z3) of the chain rule cancels against the cross-entropy)",
    5: "s2: s3 sent back through Theta2's weights, the bias column dropped, times σ′ at z2",
    6: "Theta_grad: every example's outer product of its error s and its input a, averaged over the m examples",
    7: "regularisation: J += λ/(2m)·Σ Theta² and its derivative added to Theta_grad, over every column but the "
       "bias column (Octave's column 1, NumPy's column 0), which is never regularised",
    8: "nn_params: Theta1 read column by column, then Theta2 read column by column",
    9: "prediction: the position of the largest a3 in each row, as a 1-based label",
}


def step(n: int) -> str:
    """'step n of the derivation (…)' for a message."""
    return f"step {n} of the derivation ({DERIVATION[n]})"

YV_CASES = [("y = [3, 1, 7, 2, 7] with 7 labels", np.array([3, 1, 7, 2, 7]), 7),
            ("y = [[10], [1], [4]] (a column) with 10 labels", np.array([[10], [1], [4]]), 10),
            ("y = [2, 1, 2] with 5 labels (4 and 5 do not occur)", np.array([2, 1, 2]), 5),
            ("one example, y = [[4]] (m = 1, a column) with 4 labels", np.array([[4]]), 4)]


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


@recorded
def check_yv(student, *, seed: int | None = None) -> None:
    """Check ``student(y, num_labels)`` → the (m, num_labels) one-hot matrix of 1-based labels.

    A float or integer 0/1 matrix is accepted — exercise 6 can use either in s3 = a3 − yv and −yv·log(a3) −
    (1 − yv)·log(1 − a3). A bool matrix (Octave's own yv is logical) is refused by name: NumPy refuses −yv for a
    boolean array, so exercise 6 would crash on it.
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
                raise CheckFailed(f"With {label}: yv has shape {got.shape}, expected {want.shape}: {step(1)} — one "
                                  f"column per "
                                  f"class — num_labels = {K} of them, even when the largest label does not occur "
                                  f"in y (here y.max() = {int(flat.max())})")
            if isinstance(got, np.ndarray) and got.dtype == bool:
                raise CheckFailed(f"With {label}: yv is a boolean matrix (Octave's logical): NumPy refuses the "
                                  "minus sign on a boolean array, so step 3's −yv·log(a3) in exercise 6 would crash "
                                  "on it — return 0/1 numbers (floats, or integers), not True/False — " + step(1))
            zero_based = (np.arange(K)[None, :] == flat[:, None]).astype(float)
            compare_array("yv", got, want, context=f"With {label}", allow_int=True, mistakes={
                "0-based labels: compare with 1 … num_labels, not 0 … num_labels − 1 — " + step(1):
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


@recorded
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
                                  "column (Octave's s2(:, 2:end)) — the bias unit has no incoming weights to update; "
                                  + step(5))
            compare_array("s2", got, want, context=f"With {label}", mistakes={
                "the last column was dropped instead of the first (bias) one — " + step(5): full[:, :-1],
                "sigmoidGradient was applied to the activation a2 instead of z2 — " + step(5):
                    ((s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(sigmoid(z2))))[:, 1:],
                "the factor sigmoidGradient(z2) is missing — " + step(5): (s3 @ Theta2)[:, 1:],
                "the sign is flipped: s3 = a3 − yv already points the right way — " + step(4): -want,
            })
    passed("s2 is right: (s3 · Theta2) .* sigmoidGradient([1 z2]) without the bias column")


# --- s2 of a tanh hidden layer (derived by the learner) --------------------------------------------------------


def _tanh_case(m, hidden, K, rng, scale=1.0):
    z2 = scale * rng.normal(size=(m, hidden))
    Theta2 = rng.normal(size=(K, hidden + 1))
    a3 = sigmoid(octave.add_bias_column(np.tanh(z2)) @ Theta2.T)
    s3 = a3 - octave.one_hot(rng.integers(1, K + 1, size=m), K)
    return s3, Theta2, z2


def _tanh_cases(seed: int):
    """m ≠ K ≠ hidden + 1, m = hidden, m = 1, z2 = 0 and saturated units (|z2| up to 40), then random ones."""
    cases = [(f"m = {m}, {h} hidden units, {K} labels", *_tanh_case(m, h, K, np.random.default_rng(70 + i)))
             for i, (m, h, K) in enumerate([(6, 4, 3), (4, 4, 2), (1, 3, 5)])]
    s3, Theta2, _ = _tanh_case(3, 4, 3, np.random.default_rng(75))
    cases.append(("z2 with zeros and saturated units: z2 = [[0, 40, −40, 0.5], [−3, 0, 20, −20], [1, −1, 0, 8]]", s3,
                  Theta2, np.array([[0.0, 40.0, -40.0, 0.5], [-3.0, 0.0, 20.0, -20.0], [1.0, -1.0, 0.0, 8.0]])))
    rng = np.random.default_rng(seed)
    for i in range(2):
        m, h, K = (int(v) for v in rng.integers([1, 2, 2], [8, 7, 6]))
        cases.append((f"random case {i + 1} (seed {seed}): m = {m}, {h} hidden units, {K} labels",
                      *_tanh_case(m, h, K, rng, scale=2.0)))
    return cases


def tanh_s2_reference(s3, Theta2, z2):
    return (s3 @ Theta2[:, 1:]) * (1.0 - np.tanh(z2) ** 2)


def tanh_s2_mistakes(s3, Theta2, z2) -> dict:
    back = s3 @ Theta2[:, 1:]
    t = np.tanh(z2)
    return {
        "the sigmoid's derivative σ′(z2) was used: this hidden layer is tanh, so its own derivative belongs here":
            back * sigmoid_gradient(z2),
        "1 − z2²: the derivative was written in terms of z2 itself, not of tanh(z2)": back * (1 - z2 ** 2),
        "tanh(z2)·(1 − tanh(z2)): that is the sigmoid's a(1 − a) pattern, which holds for σ, not for tanh":
            back * t * (1 - t),
        "1 − tanh(z2), without the square: differentiate tanh = sinh/cosh with the quotient rule": back * (1 - t),
        "the derivative factor is missing: s3 sent back through Theta2 alone": back,
        "the last column of s3·Theta2 was dropped instead of the first (bias) one":
            (s3 @ Theta2)[:, :-1] * (1 - t ** 2),
        "the derivative was taken at a2 = tanh(z2) instead of at z2": back * (1 - np.tanh(t) ** 2),
    }


@recorded
def check_s2_tanh(student, *, seed: int | None = None) -> None:
    """Check ``student(s3, Theta2, z2)`` → s2 (m, hidden) of a network whose hidden layer is a2 = [1 tanh(z2)]."""
    seed = new_seed(seed)
    with reporting_seed("check_s2_tanh", seed):
        for label, s3, Theta2, z2 in _tanh_cases(seed):
            got = call_student(student, "compute_s2_tanh", (s3, Theta2, z2), label, names=("s3", "Theta2", "z2"))
            want = tanh_s2_reference(s3, Theta2, z2)
            if isinstance(got, np.ndarray) and got.shape == (z2.shape[0], z2.shape[1] + 1):
                raise CheckFailed(f"With {label}: s2 has shape {got.shape}, expected {want.shape}: the bias column "
                                  "of s3·Theta2 is still there — nothing feeds the bias unit, whatever the "
                                  "activation")
            slips = {d: v for d, v in tanh_s2_mistakes(s3, Theta2, z2).items()
                     if not np.allclose(v, want, rtol=1e-7, atol=1e-12)}
            compare_array("s2", got, want, context=f"With {label}", mistakes=slips)
    passed("s2 of the tanh hidden layer is right, saturated units included")


# --- s3 ---------------------------------------------------------------------------------------------------------


def _s3_cases(seed: int):
    """(label, a3, yv): m ≠ K, m = K, m = 1, then random shapes."""
    def case(m, K, rng):
        a3 = sigmoid(rng.normal(size=(m, K)))
        return a3, octave.one_hot(rng.integers(1, K + 1, size=m), K)

    cases = [(f"m = {m} examples and {K} labels", *case(m, K, np.random.default_rng(30 + i)))
             for i, (m, K) in enumerate([(6, 3), (4, 4), (1, 5)])]
    rng = np.random.default_rng(seed)
    for i in range(2):
        m, K = int(rng.integers(1, 9)), int(rng.integers(2, 7))
        cases.append((f"random case {i + 1} (seed {seed}): m = {m}, {K} labels", *case(m, K, rng)))
    return cases


@recorded
def check_s3(student, *, seed: int | None = None) -> None:
    """Check ``student(a3, yv)`` → s3 of shape (m, num_labels), the output error signal."""
    seed = new_seed(seed)
    with reporting_seed("check_s3", seed):
        for label, a3, yv in _s3_cases(seed):
            got = call_student(student, "compute_s3", (a3, yv), label, names=("a3", "yv"))
            m = a3.shape[0]
            want = a3 - yv
            slips = {
                "the sign is flipped (yv − a3): s3 points from the target to the output — " + step(4): yv - a3,
                "the σ′(z3) = a3·(1 − a3) factor was kept: with the cross-entropy it cancels (a3·(1 − a3) is the "
                "squared-error δ) — " + step(4): want * a3 * (1 - a3),
            }
            if m > 1:
                slips["an extra 1/m: s3 carries none, the 1/m comes once, in Theta_grad — " + step(4)] = want / m
            compare_array("s3", got, want, context=f"With {label}", mistakes=slips, m=m)
    passed("s3 is right: the output error signal a3 − yv, one row per example")


# --- Theta_grad: the bias column is not regularised --------------------------------------------------------------


def _grad_cases(seed: int):
    """(label, s, a, Theta, lambda_) for one layer: units ≠ m, units = m, m = 1, then random."""
    def case(m, units, n_prev, lambda_, rng):
        s = rng.normal(size=(m, units))
        a = octave.add_bias_column(rng.uniform(size=(m, n_prev)))
        return s, a, rng.normal(size=(units, n_prev + 1)), lambda_

    cases = [(f"m = {m}, {u} units fed by {n} inputs + bias, lambda_ = {lam:g}",
              *case(m, u, n, lam, np.random.default_rng(40 + i)))
             for i, (m, u, n, lam) in enumerate([(6, 4, 3, 1.5), (4, 4, 2, 0.7), (1, 3, 5, 3.0)])]
    rng = np.random.default_rng(seed)
    for i in range(2):
        m, u, n = (int(v) for v in rng.integers([1, 1, 1], [9, 6, 6]))
        lam = float(rng.uniform(0.2, 4.0))
        cases.append((f"random case {i + 1} (seed {seed}): m = {m}, {u} units, {n} inputs + bias, "
                      f"lambda_ = {lam:.4g}", *case(m, u, n, lam, rng)))
    return cases


def theta_grad_reference(s, a, Theta, lambda_):
    """Theta_grad = sᵀa/m + (λ/m)·[0, Theta(:, 2:end)]."""
    m = a.shape[0]
    reg = Theta.copy()
    reg[:, 0] = 0.0
    return s.T @ a / m + lambda_ / m * reg


@recorded
def check_theta_grad(student, *, seed: int | None = None) -> None:
    """Check ``student(s, a, Theta, lambda_)`` → Theta_grad of Theta's shape (units, inputs + 1), computed for all
    examples at once: a Python loop (over the examples or anything else) is refused by name."""
    loops = python_loops(student)
    if loops:
        raise CheckFailed(f"theta_grad uses a Python {loops}: the exercise asks for all m examples at once, without "
                          "one — the sum of the m outer products is a single matrix product; " + step(6))
    seed = new_seed(seed)
    with reporting_seed("check_theta_grad", seed):
        for label, s, a, Theta, lambda_ in _grad_cases(seed):
            got = call_student(student, "theta_grad", (s, a, Theta, lambda_), label,
                               names=("s", "a", "Theta", "lambda_"))
            m = a.shape[0]
            want = theta_grad_reference(s, a, Theta, lambda_)
            if isinstance(got, np.ndarray) and got.shape == (Theta.shape[0], Theta.shape[1] - 1):
                raise CheckFailed(f"With {label}: Theta_grad has shape {got.shape}, expected {want.shape}: keep the "
                                  "bias column in Theta_grad (the bias weights learn too); leave it out of the "
                                  "regularisation only — " + step(7))
            product = s.T @ a
            reg = want - product / m
            slips = {
                "the bias column (column 0) was regularised too: add (λ/m)·Theta to columns 1: only — " + step(7):
                    product / m + lambda_ / m * Theta,
                "the regularisation is missing: add (λ/m)·Theta to every column but the bias column — " + step(7):
                    product / m,
                "the regularisation lacks its 1/m: (λ/m)·Theta, not λ·Theta — " + step(7): product / m + m * reg,
                "the regularisation is half what it should be: the cost's λ/(2m) gives the gradient λ/m (the 2 of "
                "the square cancels the 1/2) — " + step(7): product / m + reg / 2,
            }
            if m > 1:
                slips["the 1/m of sᵀa is missing — " + step(6)] = product + reg
                slips["the 1/m was applied to the regularisation twice — " + step(7)] = product / m + reg / m
            compare_array("Theta_grad", got, want, context=f"With {label}", mistakes=slips, m=m)
    passed("Theta_grad is right: sᵀa/m plus (λ/m)·Theta on every column but the bias column")


# --- unroll ------------------------------------------------------------------------------------------------------


def _unroll_cases(seed: int):
    def case(shape1, shape2, rng):
        return rng.normal(size=shape1), rng.normal(size=shape2)

    cases = [(f"Theta1 {s1} and Theta2 {s2}", *case(s1, s2, np.random.default_rng(50 + i)))
             for i, (s1, s2) in enumerate([((3, 4), (2, 4)), ((4, 4), (3, 5)), ((1, 3), (2, 2))])]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n, h, K = (int(v) for v in rng.integers([1, 1, 2], [6, 6, 6]))
        cases.append((f"random case {i + 1} (seed {seed}): Theta1 ({h}, {n + 1}) and Theta2 ({K}, {h + 1})",
                      *case((h, n + 1), (K, h + 1), rng)))
    return cases


def python_loops(student) -> str:
    """'for loop', 'while loop' or 'comprehension' if the student's function (or a function or comprehension nested
    in it) runs a Python loop, read from its bytecode (no source needed); '' otherwise."""
    code = getattr(student, "__code__", None)
    if code is None:
        return ""
    found = ""
    for instruction in dis.get_instructions(code):
        if instruction.opname == "FOR_ITER":
            return "comprehension" if code.co_name.startswith("<") and code.co_name != "<lambda>" else "for loop"
        if "JUMP_BACKWARD" in instruction.opname and not found:
            found = "while loop"
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            inner = python_loops(_Code(const))
            if inner:
                return inner
    return found


class _Code:
    """A stand-in with a ``__code__`` attribute, so :func:`python_loops` can walk nested code objects."""

    def __init__(self, code):
        self.__code__ = code


@recorded
def check_unroll(student, *, seed: int | None = None) -> None:
    """Check ``student(Theta1, Theta2)`` → the 1-D vector [Theta1(:); Theta2(:)], column-major."""
    loops = python_loops(student)
    if loops:
        raise CheckFailed(f"unroll uses a Python {loops}: the exercise asks for none (not even over the two "
                          "matrices) — NumPy reads a whole matrix in either order itself; " + step(8))
    seed = new_seed(seed)
    with reporting_seed("check_unroll", seed):
        for label, Theta1, Theta2 in _unroll_cases(seed):
            got = call_student(student, "unroll", (Theta1, Theta2), label, refuse=("nblib.octave.unroll",),
                               names=("Theta1", "Theta2"))
            want = octave.unroll(Theta1, Theta2)
            if isinstance(got, (tuple, list)):
                raise CheckFailed(f"With {label}: unroll returned a {type(got).__name__} of {len(got)} items: join "
                                  "the two unrolled matrices into one vector — " + step(8))
            if isinstance(got, np.ndarray) and got.shape in ((want.size, 1), (1, want.size)):
                raise CheckFailed(f"With {label}: nn_params has shape {got.shape}, expected {want.shape}: a 1-D "
                                  "vector (Octave's column vector is a plain 1-D array in NumPy)")
            if isinstance(got, np.ndarray) and got.size == Theta1.size and got.size != want.size:
                raise CheckFailed(f"With {label}: nn_params has {got.size} entries, only Theta1's: Theta2's "
                                  f"{Theta2.size} must follow — " + step(8))
            compare_array("nn_params", got, want, context=f"With {label}", mistakes={
                "the entries were read row by row (NumPy's default order); Octave's Theta(:) reads column by column, "
                "down the first column, then the second … — " + step(8):
                    np.concatenate([Theta1.ravel(), Theta2.ravel()]),
                "Theta2 came first: [Theta1(:); Theta2(:)] puts Theta1's entries first — " + step(8):
                    np.concatenate([Theta2.ravel(order="F"), Theta1.ravel(order="F")]),
                "Theta2 came first and both were read row by row — " + step(8):
                    np.concatenate([Theta2.ravel(), Theta1.ravel()]),
            })
    passed("unroll is right: Theta1 then Theta2, each column by column, as Octave's [Theta1(:); Theta2(:)]")


# --- nnCostFunction ----------------------------------------------------------------------------------------------

# J of Octave's nnCostFunction (tests/octave/parity.m, GNU Octave) on OCTAVE_CASE, printed with 17 digits;
# tests/test_exercises_06_07_octave.py runs Octave again and proves this constant equals its output.
OCTAVE_J = 2.1463598150243581


def octave_case():
    """ex4's debug case with λ = 3: 3 inputs, 5 hidden units, 3 labels, m = 5 examples (m = hidden units)."""
    X = octave.debug_initialize_weights(5, 2)
    y = 1 + np.mod(np.arange(1, 6), 3)
    params = octave.unroll(octave.debug_initialize_weights(5, 3), octave.debug_initialize_weights(3, 5))
    return params, 3, 5, 3, X, y, 3.0


def _cost_case(n_in, hidden, K, m, lambda_, rng):
    X = rng.normal(size=(m, n_in))
    y = rng.integers(1, K + 1, size=m)
    params = octave.unroll(rng.normal(0, 0.8, (hidden, n_in + 1)), rng.normal(0, 0.8, (K, hidden + 1)))
    return params, n_in, hidden, K, X, y, lambda_


def _cost_cases(seed: int):
    cases = [("ex4's debug net run in GNU Octave (3-5-3, m = 5 = hidden units, lambda_ = 3)", *octave_case()),
             ("a 4-3-2 net with m = 7, lambda_ = 1.5", *_cost_case(4, 3, 2, 7, 1.5, np.random.default_rng(61))),
             ("a 2-4-3 net with m = 1, lambda_ = 0.8", *_cost_case(2, 4, 3, 1, 0.8, np.random.default_rng(62)))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n_in, hidden, K, m = (int(v) for v in rng.integers([1, 1, 2, 1], [5, 6, 5, 9]))
        lam = float(rng.uniform(0.3, 3.0))
        cases.append((f"random case {i + 1} (seed {seed}): a {n_in}-{hidden}-{K} net, m = {m}, lambda_ = {lam:.4g}",
                      *_cost_case(n_in, hidden, K, m, lam, rng)))
    return cases


def cost_slips(nn_params, n_in, hidden, K, X, y, lambda_):
    """{'J': {description: value}, 'grad': {description: vector}} — the classic slips of nnCostFunction."""
    Theta1, Theta2 = octave.reshape_params(nn_params, n_in, hidden, K)
    m = X.shape[0]
    f = octave.forward(Theta1, Theta2, X)
    a3, yv = f["a3"], octave.one_hot(y, K)
    first = float(np.sum(-yv * np.log(a3))) / m
    data = first + float(np.sum(-(1 - yv) * np.log(1 - a3))) / m
    no_bias = float(np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    every = float(np.sum(Theta1 ** 2) + np.sum(Theta2 ** 2))
    J = {
        "the bias column was regularised: the penalty sums Theta1(:, 2:end).^2 and Theta2(:, 2:end).^2 only. A "
        "gradient check cannot see this (your cost and your gradient agree with each other), but it is not "
        "Octave's nnCostFunction — " + step(7): data + lambda_ / (2 * m) * every,
        "the regularisation is missing (lambda_ > 0 here) — " + step(7): data,
        "the penalty is λ/m·Σθ² instead of λ/(2m)·Σθ² — " + step(7): data + lambda_ / m * no_bias,
        "the (1 − yv)·log(1 − a3) term is missing — " + step(3): first + lambda_ / (2 * m) * no_bias,
    }
    if m > 1:
        J["the cross-entropy lacks its 1/m — " + step(3)] = m * data + lambda_ / (2 * m) * no_bias
    s3 = f["a3"] - yv
    s2 = (s3 @ Theta2[:, 1:]) * f["a2"][:, 1:] * (1 - f["a2"][:, 1:])
    g1, g2 = s2.T @ f["a1"] / m, s3.T @ f["a2"] / m

    def reg(T, bias=False):
        R = T.copy()
        if not bias:
            R[:, 0] = 0.0
        return lambda_ / m * R

    right1, right2 = g1 + reg(Theta1), g2 + reg(Theta2)
    grad = {
        "the gradient was unrolled row by row; Octave's [Theta1_grad(:); Theta2_grad(:)] reads column by column — "
        + step(8): np.concatenate([right1.ravel(), right2.ravel()]),
        "the bias column of the gradient was regularised — " + step(7):
            octave.unroll(g1 + reg(Theta1, True), g2 + reg(Theta2, True)),
        "the gradient is not regularised — " + step(7): octave.unroll(g1, g2),
        "Theta2_grad came first — " + step(8): np.concatenate([right2.ravel(order="F"), right1.ravel(order="F")]),
    }
    if m > 1:
        grad["the 1/m of sᵀa is missing — " + step(6)] = octave.unroll(m * g1 + reg(Theta1), m * g2 + reg(Theta2))
    return {"J": J, "grad": grad}


@recorded
def check_nn_cost_function(student, *, seed: int | None = None) -> None:
    """Check ``student(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_)`` → (J, grad).

    The first case is ex4's debug net with λ = 3, whose J is compared with :data:`OCTAVE_J` — the value real GNU
    Octave computes — so a cost that regularises the bias column fails even though its gradient agrees with it.
    """
    seed = new_seed(seed)
    names = ("nn_params", "input_layer_size", "hidden_layer_size", "num_labels", "X", "y", "lambda_")
    with reporting_seed("check_nn_cost_function", seed):
        for index, (label, *args) in enumerate(_cost_cases(seed)):
            got = call_student(student, "nn_cost_function", tuple(args), label,
                               refuse=("nblib.octave.nn_cost_function",), names=names)
            J_want, grad_want = octave.nn_cost_function(*args)
            if index == 0:
                J_want = OCTAVE_J  # GNU Octave's own value (equal to nblib's to 1e-15, see the tests)
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                raise CheckFailed(f"With {label}: nn_cost_function must return the pair (J, grad), got "
                                  f"{type(got).__name__}" + (f" of length {len(got)}" if isinstance(got, (tuple, list))
                                                             else ""))
            J, grad = got
            if np.size(J) != 1:
                raise CheckFailed(f"With {label}: J should be one number (the cost), got an array of shape "
                                  f"{np.shape(J)} — did you forget a sum? " + step(3))
            J = np.asarray(J, dtype=np.float64).reshape(()) if isinstance(J, (np.ndarray, float, int, np.number)) \
                else J
            slips = cost_slips(*args)
            m = args[4].shape[0]
            compare_array("J", J, J_want, context=f"With {label}", mistakes=slips["J"], m=m)
            if isinstance(grad, np.ndarray) and grad.ndim == 2 and grad.size == grad_want.size and 1 in grad.shape:
                raise CheckFailed(f"With {label}: grad has shape {grad.shape}, expected {grad_want.shape}: return "
                                  "the unrolled gradient as a 1-D vector — " + step(8))
            compare_array("grad", grad, grad_want, context=f"With {label}", mistakes=slips["grad"], m=m)
    passed(f"nn_cost_function is right: J and the unrolled gradient, regularised without the bias columns "
           f"(J = {OCTAVE_J:.10f} on ex4's debug net, as GNU Octave computes it)")


# --- predict -----------------------------------------------------------------------------------------------------


def _predict_cases(seed: int):
    def case(n_in, hidden, K, m, rng):
        return rng.normal(0, 1.5, (hidden, n_in + 1)), rng.normal(0, 1.5, (K, hidden + 1)), rng.normal(size=(m, n_in))

    cases = [(f"a {n}-{h}-{K} net with m = {m}", *case(n, h, K, m, np.random.default_rng(70 + i)))
             for i, (n, h, K, m) in enumerate([(3, 5, 3, 5), (2, 3, 4, 7), (4, 2, 2, 1)])]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n, h, K, m = (int(v) for v in rng.integers([1, 1, 2, 1], [6, 6, 7, 10]))
        cases.append((f"random case {i + 1} (seed {seed}): a {n}-{h}-{K} net with m = {m}", *case(n, h, K, m, rng)))
    return cases


@recorded
def check_predict(student, *, seed: int | None = None) -> None:
    """Check ``student(Theta1, Theta2, X)`` → the (m,) vector of 1-based predicted labels."""
    seed = new_seed(seed)
    with reporting_seed("check_predict", seed):
        for label, Theta1, Theta2, X in _predict_cases(seed):
            got = call_student(student, "predict", (Theta1, Theta2, X), label, refuse=("nblib.octave.predict",),
                               names=("Theta1", "Theta2", "X"))
            a3 = octave.forward(Theta1, Theta2, X)["a3"]
            want = (np.argmax(a3, axis=1) + 1).astype(np.float64)
            m, K = a3.shape
            if isinstance(got, np.ndarray) and got.shape == (K,) and K != m:
                raise CheckFailed(f"With {label}: the predictions have shape {got.shape}, one per label: the argmax "
                                  "ran down the columns (axis=0); take it along each row (axis=1), one prediction "
                                  "per example — " + step(9))
            if isinstance(got, np.ndarray) and got.shape in ((m, 1), (1, m)) and m > 1:
                raise CheckFailed(f"With {label}: the predictions have shape {got.shape}, expected ({m},): a 1-D "
                                  "vector of labels")
            slips = {"0-based labels: add one to the column index — " + step(9): want - 1,
                     "the largest output itself, not its column: use the position of the maximum (argmax) — "
                     + step(9): np.max(a3, axis=1)}
            if K == m:
                slips["the argmax ran down the columns (axis=0) — " + step(9)] = np.argmax(a3, axis=0) + 1.0
            compare_array("the predictions", got, want, context=f"With {label}", mistakes=slips, allow_int=True)
    passed("predict is right: the 1-based label of the largest output in every row")
