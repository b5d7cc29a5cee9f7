"""Lesson 04's checks: the delta rule for a network with several linear outputs (2-3-2), one step at a time.

* ``check_output_deltas(fn)``  — ``fn(x, d, W1, W2)`` → δ_out = d − y, shape (K,)              steps 1–2
* ``check_hidden_deltas(fn)``  — ``fn(h, W2, delta_out)`` → δ_hidden = σ′(z) ∗ (W2 · δ_out)   step 3
* ``check_delta_W2(fn)``       — ``fn(x, h, delta_hidden, delta_out, eta)`` → ΔW2 (n_hidden, K)   step 4
* ``check_delta_W1(fn)``       — ``fn(x, h, delta_hidden, delta_out, eta)`` → ΔW1 (n_in, n_hidden) step 5

Layout (lesson 04, article 002): one example x (n_in,), W1 (n_in, n_hidden) with W1[i, j] joining input i to
hidden unit j, W2 (n_hidden, K), linear outputs y = W2ᵀ σ(W1ᵀ x), E = ½ Σ_k (d_k − y_k)², and this lesson's sign
convention δ = −∂E/∂z, so that W ← W + ΔW with ΔW = η δ (input).

Exercises 2–4 ask for every unit at once, in one expression: a Python loop or comprehension in the learner's
function is refused by name (the worked case does one unit at a time; turning it into a matrix or outer product,
in the arrangement the shapes require, is the exercise's step). Exercise 1 is the warm-up and accepts loops.

The data sets, in this order: a 2-3-3 net (K = n_hidden, where W2 @ h and an outer product turned round still
run), a 3-3-2 net (n_in = n_hidden), a 2-3-2 net, article 002's 2-3-1 net, and two random nets drawn from a seed
chosen per call.
"""

from __future__ import annotations

import numpy as np

from nblib.exercises.feedback import (
    RTOL,
    CheckFailed,
    call_student,
    compare_array,
    default_atol,
    new_seed,
    passed,
    reporting_seed,
)
from nblib.exercises.octave import python_loops
from nblib.progress import recorded

REFUSE = ("nblib.delta_rule.deltas", "nblib.delta_rule.weight_changes")

STEP1 = ("step 1 of the derivation: the forward pass — σ in the hidden layer, a linear output, each product summing "
         "over the units that feed it")
STEP2 = "step 2 of the derivation: the output's δ_k = −∂E/∂y_k"
STEP3 = "step 3 of the derivation: the hidden δ_j — σ′ of unit j times the sum over its paths through every output"
STEP4 = "step 4 of the derivation: ΔW2, one entry per pair (hidden unit j, output k)"
STEP5 = "step 5 of the derivation: ΔW1, one entry per pair (input i, hidden unit j)"


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _net(n_in, n_hidden, K, offset, eta):
    x = np.cos(np.arange(1.0, n_in + 1) + offset)
    d = np.linspace(1.0, 0.0, K) if K > 1 else np.array([0.8])
    W1 = np.sin(np.arange(1.0, n_in * n_hidden + 1) + offset).reshape(n_in, n_hidden)
    W2 = np.cos(np.arange(1.0, n_hidden * K + 1) + 2 * offset).reshape(n_hidden, K) / 2
    return x, d, W1, W2, eta


def cases(seed: int | None = None) -> list[tuple[str, tuple]]:
    """(label, (x, d, W1, W2, eta)), the shape coincidences first (see the module docstring)."""
    found = [
        ("a 2-3-3 network (K = n_hidden = 3)", _net(2, 3, 3, 0.4, 0.5)),
        ("a 3-3-2 network (n_in = n_hidden = 3)", _net(3, 3, 2, 1.3, 0.2)),
        ("a 2-3-2 network", _net(2, 3, 2, 2.1, 0.3)),
        ("article 002's 2-3-1 network (one output)", _net(2, 3, 1, 0.0, 0.1)),
    ]
    if seed is not None:
        rng = np.random.default_rng(seed)
        for i in range(2):
            n_in, n_hidden, K = (int(v) for v in rng.integers([2, 2, 1], [6, 7, 5]))
            found.append((f"random case {i + 1} (seed {seed}: n_in = {n_in}, n_hidden = {n_hidden}, K = {K})",
                          (rng.normal(0, 1, n_in), rng.uniform(-1, 1, K), rng.normal(0, 1, (n_in, n_hidden)),
                           rng.normal(0, 1, (n_hidden, K)), float(rng.uniform(0.05, 0.9)))))
    return found


def reference(x, d, W1, W2, eta) -> dict:
    """Every quantity of the derivation for one example: z, h, y, delta_out, delta_hidden, dW1, dW2."""
    z = W1.T @ x
    h = _sigmoid(z)
    y = W2.T @ h
    delta_out = d - y
    delta_hidden = h * (1 - h) * (W2 @ delta_out)
    return {"z": z, "h": h, "y": y, "delta_out": delta_out, "delta_hidden": delta_hidden,
            "dW2": eta * np.outer(h, delta_out), "dW1": eta * np.outer(x, delta_hidden)}


def _coincidence(product: str, equal: str, size: int, what: str) -> str:
    return f"{product}: it runs only because {equal} = {size} in this case, and it {what}"


# --- the named slips --------------------------------------------------------------------------------------------


def output_slips(x, d, W1, W2, eta) -> list[tuple[str, np.ndarray]]:
    r = reference(x, d, W1, W2, eta)
    h, y = r["h"], r["y"]
    n_in, n_hidden = W1.shape
    K = W2.shape[1]
    slips = [
        (f"the sign is flipped: y − d instead of d − y — this lesson's δ is −∂E/∂y ({STEP2})", y - d),
        (f"a σ on the output: the outputs are linear, with no σ ({STEP1})", d - _sigmoid(y)),
        (f"an extra factor y(1 − y): a linear output's derivative is 1, so δ_k is just d_k − y_k — the y(1 − y) "
         f"belongs to lesson 02's sigmoid output ({STEP2})", (d - y) * y * (1 - y)),
        (f"the hidden layer without σ ({STEP1})", d - W2.T @ (W1.T @ x)),
        (f"2(d − y): the ½ in E = ½ Σ (d − y)² cancels the 2 of the power rule ({STEP2})", 2 * (d - y)),
    ]
    if K == n_hidden:
        slips.append((_coincidence("W2 @ h", "K = n_hidden", K,
                                   f"sums W2[j, k] over the outputs k instead of over the hidden units j "
                                   f"({STEP1})"), d - W2 @ h))
    if n_in == n_hidden:
        slips.append((_coincidence("W1 @ x", "n_in = n_hidden", n_in,
                                   f"sums W1[i, j] over the hidden units j instead of over the inputs i "
                                   f"({STEP1})"), d - W2.T @ _sigmoid(W1 @ x)))
    return slips


def hidden_slips(h, W2, delta_out) -> list[tuple[str, np.ndarray]]:
    n_hidden, K = W2.shape
    sp = h * (1 - h)
    right = sp * (W2 @ delta_out)
    slips = [
        (f"the factor h(1 − h) = σ′(z) is missing ({STEP3})", W2 @ delta_out),
        (f"σ′ was applied to h: h enters as h(1 − h), not σ(h)(1 − σ(h)) ({STEP3})",
         _sigmoid(h) * (1 - _sigmoid(h)) * (W2 @ delta_out)),
        (f"the sign is flipped ({STEP3}: δ_out comes in as it is)", -right),
        (f"the terms W2[j, k] δ_k of every path, not summed: Σ_k makes one number per hidden unit — sum over the "
         f"outputs k ({STEP3})", sp[:, None] * W2 * delta_out),
    ]
    if K > 1:
        slips += [
            (f"only output 1's path: a hidden unit reaches E through every output, Σ_k ({STEP3})",
             sp * W2[:, 0] * delta_out[0]),
            (f"W2 and δ_out summed over the outputs separately (e.g. W2.sum(axis=1) * delta_out.sum()): each output's "
             f"δ_k needs its own weight W2[j, k] ({STEP3})", sp * W2.sum(axis=1) * delta_out.sum()),
        ]
    if K == n_hidden:
        slips += [
            (_coincidence("W2.T @ delta_out", "K = n_hidden", K,
                          f"sums over the hidden units j instead of the outputs k ({STEP3})"),
             sp * (W2.T @ delta_out)),
            (_coincidence("a sum over axis=0", "K = n_hidden", K,
                          f"sums W2[j, k] δ_k over the hidden units j instead of the outputs k ({STEP3})"),
             sp * (W2 * delta_out).sum(axis=0)),
        ]
    else:
        slips.append((f"a sum over axis=0 (the hidden units j): Σ_k runs over the outputs, axis=1 ({STEP3})",
                      (W2 * delta_out).sum(axis=0)))
        slips.append((f"a sum over axis=0 (the hidden units j): Σ_k runs over the outputs, axis=1 ({STEP3})",
                      (sp[:, None] * W2 * delta_out).sum(axis=0)))
    return slips


def dW2_slips(x, h, delta_hidden, delta_out, eta) -> list[tuple[str, np.ndarray]]:
    n_hidden, K = h.size, delta_out.size
    right = eta * np.outer(h, delta_out)
    slips = []
    if K == n_hidden:
        slips.append((_coincidence("np.outer(delta_out, h)", "K = n_hidden", K,
                                   f"is ΔW2 turned round: rows are hidden units j, columns outputs k ({STEP4})"),
                      right.T))
    else:
        slips.append((f"np.outer(delta_out, h), ΔW2 turned round: a weight change has its weight's shape, rows hidden "
                      f"units j, columns outputs k ({STEP4})", right.T))
    slips += [
        (f"the wrong layer's input: W2 is fed by h; x feeds W1 ({STEP4})", eta * np.outer(x, delta_out)),
        (f"the wrong layer's δ: W2 feeds the outputs, so its δ is delta_out; delta_hidden belongs to W1 ({STEP4})",
         eta * np.outer(h, delta_hidden)),
        (f"η is missing ({STEP4})", right / eta),
        (f"−η: with δ = −∂E/∂z the change is +η δ h and the update W ← W + ΔW already goes downhill; −η climbs "
         f"({STEP4})", -right),
    ]
    if K == n_hidden:
        slips.append((f"h * delta_out multiplies entry by entry (it runs only because K = n_hidden = {K}): ΔW2 needs "
                      f"every pair (j, k) — an outer product ({STEP4})", eta * h * delta_out))
    return slips


def dW1_slips(x, h, delta_hidden, delta_out, eta) -> list[tuple[str, np.ndarray]]:
    n_hidden, n_in = h.size, x.size
    right = eta * np.outer(x, delta_hidden)
    slips = []
    if n_in == n_hidden:
        slips.append((_coincidence("np.outer(delta_hidden, x)", "n_in = n_hidden", n_in,
                                   f"is ΔW1 turned round: rows are inputs i, columns hidden units j ({STEP5})"),
                      right.T))
    else:
        slips.append((f"np.outer(delta_hidden, x), ΔW1 turned round: a weight change has its weight's shape, rows "
                      f"inputs i, columns hidden units j ({STEP5})", right.T))
    slips += [
        (f"the wrong layer's input: W1 is fed by x; h is what W1's layer puts out ({STEP5})",
         eta * np.outer(h, delta_hidden)),
        (("it has ΔW1's shape only because K = n_hidden here: " if delta_out.size == n_hidden else "")
         + f"the wrong layer's δ: W1 feeds the hidden units, so its δ is delta_hidden; delta_out belongs to W2 "
         f"({STEP5})", eta * np.outer(x, delta_out)),
        (f"η is missing ({STEP5})", right / eta),
        (f"−η: with δ = −∂E/∂z the change is +η δ x and the update W ← W + ΔW already goes downhill; −η climbs "
         f"({STEP5})", -right),
    ]
    return slips


# --- comparing and running ------------------------------------------------------------------------------------


def _compare(name: str, got, expected: np.ndarray, slips, context: str) -> None:
    """compare_array, but a slip is named even when it has another shape than the answer."""
    shown = np.asarray(got) if isinstance(got, (float, np.floating)) else got
    if isinstance(shown, np.ndarray) and shown.dtype == np.float64 and shown.shape != expected.shape:
        for description, wrong in slips:
            wrong = np.asarray(wrong, dtype=np.float64)
            if wrong.shape == shown.shape and np.allclose(shown, wrong, rtol=RTOL, atol=default_atol(wrong)):
                raise CheckFailed(f"{context}: {name} has shape {shown.shape}, expected {expected.shape}: it looks "
                                  f"like {description}")
    compare_array(name, got, expected, mistakes={d: w for d, w in slips if np.shape(w) == expected.shape},
                  context=context)


def _no_loop(student, fn_name: str, step: str) -> None:
    """Refuse a Python loop or comprehension: the exercise asks for every unit at once, in one expression."""
    loops = python_loops(student)
    if loops:
        raise CheckFailed(f"{fn_name} uses a Python {loops}: the exercise asks for every unit at once, in one "
                          f"expression without a loop — {step}; write down the shapes of the arrays it combines and "
                          "let them choose the matrix or outer product")


def _run(check_name, fn_name, student, seed, args_of, names, result_name, expected_of, slips_of, what,
         step: str | None = None) -> None:
    if step is not None and callable(student):
        _no_loop(student, fn_name, step)
    seed = new_seed(seed)
    with reporting_seed(check_name, seed):
        for label, net in cases(seed):
            r = reference(*net)
            args = args_of(net, r)
            got = call_student(student, fn_name, args, label, refuse=REFUSE, names=names)
            _compare(result_name, got, expected_of(r), slips_of(*args), f"On {label}")
    passed(f"{fn_name} is right {what}")


WHERE = "for K = n_hidden, n_in = n_hidden, the 2-3-2 and the 2-3-1 networks"


@recorded
def check_output_deltas(student, *, seed: int | None = None) -> None:
    """Check ``student(x, d, W1, W2)`` → δ_out = d − y, shape (K,)."""
    _run("check_output_deltas", "output_deltas", student, seed, lambda net, r: net[:4], ("x", "d", "W1", "W2"),
         "delta_out", lambda r: r["delta_out"], lambda x, d, W1, W2: output_slips(x, d, W1, W2, 1.0), WHERE)


@recorded
def check_hidden_deltas(student, *, seed: int | None = None) -> None:
    """Check ``student(h, W2, delta_out)`` → δ_hidden, shape (n_hidden,)."""
    _run("check_hidden_deltas", "hidden_deltas", student, seed, lambda net, r: (r["h"], net[3], r["delta_out"]),
         ("h", "W2", "delta_out"), "delta_hidden", lambda r: r["delta_hidden"], hidden_slips, WHERE, STEP3)


def _changes_args(net, r):
    return net[0], r["h"], r["delta_hidden"], r["delta_out"], net[4]


CHANGE_NAMES = ("x", "h", "delta_hidden", "delta_out", "eta")


@recorded
def check_delta_W2(student, *, seed: int | None = None) -> None:
    """Check ``student(x, h, delta_hidden, delta_out, eta)`` → ΔW2 = η h δ_outᵀ, shape (n_hidden, K)."""
    _run("check_delta_W2", "delta_W2", student, seed, _changes_args, CHANGE_NAMES, "ΔW2", lambda r: r["dW2"],
         dW2_slips, WHERE, STEP4)


@recorded
def check_delta_W1(student, *, seed: int | None = None) -> None:
    """Check ``student(x, h, delta_hidden, delta_out, eta)`` → ΔW1 = η x δ_hiddenᵀ, shape (n_in, n_hidden)."""
    _run("check_delta_W1", "delta_W1", student, seed, _changes_args, CHANGE_NAMES, "ΔW1", lambda r: r["dW1"],
         dW1_slips, WHERE, STEP5)
