"""Lesson 03's checks: the matrix form of backprop for m observations, one derivation step at a time.

* ``check_output_gradients(fn)``  — ``fn(h1, O, Y)`` → ``(delta2, dW_ho)``      steps 1–2 of the derivation
* ``check_bias_gradient(fn)``     — ``fn(delta)`` → the bias gradient (n, 1)    steps 3 and 6
* ``check_hidden_gradients(fn)``  — ``fn(X, W_ho, h1, delta2)`` → ``(delta1, dW_ih)``  steps 4–5
* ``check_backward(fn)``          — ``fn(X, Y, params, cache)`` → all four gradients (article 001's layout)

Every check runs the same data sets, in this order: two outputs with m = n_hidden = 5 (where a product such as
``h1.T @ delta2.T`` runs and even has the right shape), two outputs with m = n_in = 4, the article's 4-5-1 net with
m = 6 and m = 1, a 3-4-3 net with m = 1, and two random nets drawn from a seed chosen per call. A slip that
explains the result is named, with the step of the derivation it breaks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nblib import two_layer
from nblib.exercises.feedback import (
    RTOL,
    CheckFailed,
    compare_array,
    default_atol,
    new_seed,
    passed,
    reporting_seed,
)
from nblib.exercises.feedback import call_student as _call_student
from nblib.exercises.two_layer import fixed_params, random_cases
from nblib.progress import recorded

REFUSE = ("nblib.two_layer.backward",)


def call_student(*args, **kwargs):
    """feedback.call_student, with a product hint that offers no arrangement (see :func:`shapes_only`)."""
    try:
        return _call_student(*args, **kwargs)
    except CheckFailed as failure:
        raise CheckFailed(shapes_only(str(failure))) from None

STEP1 = "step 1 of the derivation: δ2 = ∂E/∂Z2, lesson 02's two output factors entry by entry, (n_out, m)"
STEP2 = ("step 2 of the derivation: dE/dW_ho has the shape of W_ho, (n_hidden, n_out), and the m observations are "
         "the inner size of the product")
STEP3_6 = "steps 3 and 6 of the derivation: one term per observation, and the bias's shape, a column (n, 1)"
STEP4 = ("step 4 of the derivation: δ1 = ∂E/∂Z1, (n_hidden, m) — a product with W_ho that sums over the outputs, "
         "then σ′ of the hidden layer entry by entry")
STEP5 = ("step 5 of the derivation: dE/dW_ih has the shape of W_ih, (n_in, n_hidden), and the m observations are "
         "the inner size of the product")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def cases(seed: int | None = None) -> list[tuple[str, np.ndarray, np.ndarray, dict]]:
    """(label, X, Y, params), the shape coincidences first (see the module docstring)."""
    found = [
        ("two outputs and m = n_hidden = 5", np.sin(np.arange(20.0) * 0.9).reshape(4, 5),
         np.linspace(0.1, 0.9, 10).reshape(2, 5), fixed_params(4, 5, 2, 0.3)),
        ("two outputs and m = n_in = 4", np.cos(np.arange(16.0) * 1.3).reshape(4, 4),
         np.linspace(0.8, 0.2, 8).reshape(2, 4), fixed_params(4, 5, 2, 0.7)),
        ("the article's 4-5-1 net and m = 6", np.cos(np.arange(24.0) * 0.7).reshape(4, 6),
         np.linspace(0.2, 0.8, 6).reshape(1, 6), fixed_params(4, 5, 1)),
        ("the article's 4-5-1 net and m = 1", np.cos(np.arange(4.0) * 0.7).reshape(4, 1), np.array([[0.2]]),
         fixed_params(4, 5, 1)),
        ("three outputs and m = 1", np.array([[0.3], [-0.6], [0.9]]), np.array([[0.2], [0.7], [0.4]]),
         fixed_params(3, 4, 3, 1.1)),
    ]
    if seed is not None:
        found += random_cases(seed)
    return found


def reference(X, Y, params) -> dict:
    """Every quantity of the derivation, for one data set: h1, O, delta2, delta1 and the four gradients."""
    cache = two_layer.forward(X, params)
    O, h1 = cache["O"], cache["h1"]
    delta2 = (O - Y) * O * (1 - O)
    delta1 = (params["W_ho"] @ delta2) * h1 * (1 - h1)
    g = two_layer.backward.__wrapped__(X, Y, params, cache)  # unguarded: the tests run slips built on it as students
    return {"h1": h1, "O": O, "delta2": delta2, "delta1": delta1, **{f"d{k}": v for k, v in g.items()}}


# --- the named slips, per quantity and per data set -----------------------------------------------------------


def _coincidence(product: str, equal: str, size: int, what: str) -> str:
    return f"{product}: it runs only because {equal} = {size} in this case, and it {what}"


def delta2_slips(h1, O, Y) -> list[tuple[str, np.ndarray]]:
    m = O.shape[1]
    right = (O - Y) * O * (1 - O)
    slips = [
        (f"the factor O ∗ (1 − O) = σ′(Z2) is missing ({STEP1})", O - Y),
        (f"the sign is flipped: (Y − O) instead of (O − Y) ({STEP1}; dE/dO of ½ Σ (Y − O)² is O − Y)", -right),
        (f"σ′ was applied to O: O enters as O ∗ (1 − O), not σ(O)(1 − σ(O)) ({STEP1})",
         (O - Y) * _sigmoid(O) * (1 - _sigmoid(O))),
    ]
    if m > 1:
        slips.append((f"an extra 1/m (m = {m}): this E sums over the observations, so no 1/m ({STEP1})", right / m))
    return slips


def dW_ho_slips(h1, O, Y) -> list[tuple[str, np.ndarray]]:
    n_hidden, m = h1.shape
    n_out = O.shape[0]
    d2 = (O - Y) * O * (1 - O)
    slips = []
    if m == n_hidden:
        slips.append((_coincidence("h1.T @ delta2.T", "m = n_hidden", m,
                                   f"sums over the hidden units, not the observations ({STEP2})"), h1.T @ d2.T))
    if m == n_hidden:
        slips.append((_coincidence("delta2 @ h1", "m = n_hidden", m,
                                   f"pairs each output with a hidden unit's row of h1, not with the observations, and "
                                   f"has W_ho's shape turned round ({STEP2})"), d2 @ h1))
    if m == n_out:
        slips.append((_coincidence("h1 @ delta2", "m = n_out", m,
                                   f"pairs each hidden unit with the wrong index ({STEP2})"), h1 @ d2))
    slips += [
        (f"delta2 @ h1.T, the transpose of dE/dW_ho: a gradient has its parameter's shape ({STEP2})", d2 @ h1.T),
        (f"δ2 without its factor O ∗ (1 − O) ({STEP1}, which step 2 multiplies by h1)", h1 @ (O - Y).T),
        (f"the sign is flipped ({STEP1}: O − Y, not Y − O)", -(h1 @ d2.T)),
    ]
    if m > 1:
        slips.append((f"an extra 1/m (m = {m}): the product already sums over the observations and this E is a sum, "
                      f"not a mean ({STEP2})", h1 @ d2.T / m))
    return slips


def bias_slips(delta) -> list[tuple[str, np.ndarray]]:
    n, m = delta.shape
    slips = [
        (f"delta.sum(axis=1) without keepdims=True: a flat ({n},) array, but a bias is a column (n, 1) ({STEP3_6})",
         delta.sum(axis=1)),
        (f"the article's order 1ᵀ · δᵀ: the right numbers as a row (1, n), but the bias is a column (n, 1) — a row "
         f"would broadcast b − α·db into an (n, n) matrix ({STEP3_6})", delta.sum(axis=1)[None, :]),
        (f"a sum over the units (axis=0), not over the observations (axis=1) ({STEP3_6})",
         delta.sum(axis=0, keepdims=True)),
        (f"a sum over the units (axis=0), not over the observations (axis=1) ({STEP3_6})", delta.sum(axis=0)),
        (f"the sum of every entry, units and observations together: the units must stay apart ({STEP3_6})",
         np.asarray(delta.sum())),
    ]
    slips.append((_coincidence("a sum over axis=0 turned into a column", "m = n", m,
                               f"sums over the units, not the observations ({STEP3_6})") if m == n else
                  f"a sum over the units (axis=0) turned into a column (m, 1): the observations are the columns "
                  f"({STEP3_6})", delta.sum(axis=0, keepdims=True).T))
    if m > 1:
        slips.append((f"a mean, not a sum: an extra 1/m (m = {m}) — this E sums over the observations ({STEP3_6})",
                      delta.mean(axis=1, keepdims=True)))
    return slips


def delta1_slips(X, W_ho, h1, delta2) -> list[tuple[str, np.ndarray]]:
    n_hidden, m = h1.shape
    n_out = delta2.shape[0]
    sp = h1 * (1 - h1)
    right = (W_ho @ delta2) * sp
    slips = [
        (f"the factor h1 ∗ (1 − h1) = σ′(Z1) is missing ({STEP4})", W_ho @ delta2),
        (f"σ′ was applied to h1: h1 enters as h1 ∗ (1 − h1), not σ(h1)(1 − σ(h1)) ({STEP4})",
         (W_ho @ delta2) * _sigmoid(h1) * (1 - _sigmoid(h1))),
        (f"the sign is flipped ({STEP4}: δ2 comes in as it is)", -right),
    ]
    if m == n_hidden:
        slips.append((_coincidence("delta2.T @ W_ho.T", "m = n_hidden", m,
                                   f"gives the transpose of δ1, observations as rows ({STEP4})"),
                      (delta2.T @ W_ho.T) * sp))
    if n_out > 1:
        slips += [
            (f"only output 1's path: W_ho · δ2 sums over every output k, each with its own W_ho[j, k] ({STEP4})",
             W_ho[:, :1] * delta2[:1] * sp),
            (f"W_ho and δ2 summed over the outputs separately (e.g. W_ho.sum(axis=1) or delta2.sum(axis=0)): each "
             f"output's δ needs its own column of W_ho ({STEP4})",
             W_ho.sum(axis=1, keepdims=True) * delta2.sum(axis=0) * sp),
        ]
    if m > 1:
        slips.append((f"an extra 1/m (m = {m}): this E sums over the observations ({STEP4})", right / m))
    return slips


def dW_ih_slips(X, W_ho, h1, delta2) -> list[tuple[str, np.ndarray]]:
    n_in, m = X.shape
    n_hidden = h1.shape[0]
    d1 = (W_ho @ delta2) * h1 * (1 - h1)
    slips = []
    if m == n_hidden:
        slips.append((_coincidence("X @ delta1", "m = n_hidden", m,
                                   f"pairs each input with a hidden unit's row, not with the observations "
                                   f"({STEP5})"), X @ d1))
    if m == n_in:
        slips.append((_coincidence("X.T @ delta1.T", "m = n_in", m,
                                   f"sums over the inputs, not the observations ({STEP5})"), X.T @ d1.T))
    slips += [
        (f"delta1 @ X.T, the transpose of dE/dW_ih: a gradient has its parameter's shape ({STEP5})", d1 @ X.T),
        (f"the wrong layer's input: h1 is what layer 1 puts out; what W_ih multiplies is X ({STEP5})", h1 @ d1.T),
        (f"δ1 without its factor h1 ∗ (1 − h1) ({STEP4}, which step 5 multiplies by X)", X @ (W_ho @ delta2).T),
    ]
    if m > 1:
        slips.append((f"an extra 1/m (m = {m}): the product already sums over the observations and this E is a sum "
                      f"({STEP5})", X @ d1.T / m))
    return slips


# --- comparing ---------------------------------------------------------------------------------------------


def shapes_only(text: str, inner: str | None = None) -> str:
    """A failure message whose product hint lists no arrangement: "did you mean A.T @ B or …?" (or a broadcast's "for
    the matrix product write A @ B") offers an arrangement that *runs*, possibly with the wrong values
    (h1.T @ delta2.T); say what must be inside instead — the
    outputs for step 4's product of W_ho and delta2 (δ1 adds one path per output), else the observations."""
    offer = next((marker for marker in ("did you mean", "; for the matrix product (Octave's *) write")
                  if marker in text), None)
    if offer is None:
        parts = text.split(" failed on ")[-1].split(":")
        if "do not broadcast" in text and len(parts) > 1 and "W_ho" in parts[1]:
            return text + f" — {STEP4}: the product must already be (n_hidden, m), summing over the outputs"
        return text
    head = text.split(offer)[0].rstrip(" :;")
    if "do not broadcast" in head and "@" not in head.split("do not broadcast")[1]:
        head += "; for a matrix product use @"
    product = head.split(" failed on ")[-1]
    if inner is not None:
        inner = f"a gradient sums over {inner}"
    elif "W_ho" in product and "delta2" in product:
        inner = "δ1 sums over the outputs (one path per output)"
    else:
        inner = "a gradient sums over the observations"
    return head + f" — {inner}, so that index must be the inner size of the product: write both shapes down and " \
        "transpose until it is"


def compare_named(name: str, got, expected: np.ndarray, slips, context: str, m: int) -> None:
    """compare_array, but a slip is named even when it has another shape than the answer."""
    shown = np.asarray(got) if isinstance(got, (float, np.floating)) else got
    if isinstance(shown, np.ndarray) and shown.dtype == np.float64 and shown.shape != expected.shape:
        for description, wrong in slips:
            wrong = np.asarray(wrong, dtype=np.float64)
            if wrong.shape == shown.shape and np.allclose(shown, wrong, rtol=RTOL, atol=default_atol(wrong)):
                raise CheckFailed(f"{context}: {name} has shape {shown.shape}, expected {expected.shape}: it looks "
                                  f"like {description}")
        if shown.ndim == 2 and shown.T.shape == expected.shape and shown.shape != shown.T.shape and not np.allclose(
                shown.T, expected, rtol=RTOL, atol=default_atol(expected)):
            # nblib.shapes would suggest `.T`; that gives the right values only if the product was right
            raise CheckFailed(f"{context}: {name} has shape {shown.shape}, expected {expected.shape} — turned round, "
                              "and its transpose has the wrong values too, so a `.T` would not fix it: which index "
                              "does your product sum over, and which must it sum over?")
    same_shape = {d: w for d, w in slips if np.shape(w) == expected.shape}
    compare_array(name, got, expected, mistakes=same_shape, context=context, m=m)


def _pair(result, fn_name: str, names: tuple[str, str], label: str):
    if result is None:
        raise CheckFailed(f"{fn_name} returned None on {label}: did you forget to `return {names[0]}, {names[1]}`?")
    if isinstance(result, np.ndarray) or not isinstance(result, (tuple, list)) or len(result) != 2:
        what = f"one array of shape {result.shape}" if isinstance(result, np.ndarray) else \
            f"{type(result).__name__}" + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
        raise CheckFailed(f"{fn_name} should return two arrays, `return {names[0]}, {names[1]}`; on {label} it "
                          f"returned {what}")
    return result


def _not_swapped(first, second, want_first, want_second, fn_name: str, names: tuple[str, str], label: str) -> None:
    """Name a swapped return order as such (instead of a shape or value error on the first array)."""
    def same(a, b):
        try:
            a = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=default_atol(b)))

    if same(first, want_second) and same(second, want_first) and not same(first, want_first):
        raise CheckFailed(f"With {label}: {fn_name} returned its two arrays in the wrong order — the values are right, "
                          f"but the exercise returns `{names[0]}, {names[1]}`, {names[0]} first")


def _run(check_name: str, seed: int | None, body) -> None:
    seed = new_seed(seed)
    with reporting_seed(check_name, seed):
        for label, X, Y, params in cases(seed):
            body(label, X, Y, params, reference(X, Y, params))


@recorded
def check_output_gradients(student, *, seed: int | None = None) -> None:
    """Check ``student(h1, O, Y)`` → ``(delta2, dW_ho)``: δ2 (n_out, m) and dE/dW_ho (n_hidden, n_out)."""
    def body(label, X, Y, params, r):
        got = call_student(student, "output_gradients", (r["h1"], r["O"], Y), label, refuse=REFUSE,
                           names=("h1", "O", "Y"))
        delta2, dW_ho = _pair(got, "output_gradients", ("delta2", "dW_ho"), label)
        _not_swapped(delta2, dW_ho, r["delta2"], r["dW_ho"], "output_gradients", ("delta2", "dW_ho"), label)
        m = X.shape[1]
        compare_named("delta2", delta2, r["delta2"], delta2_slips(r["h1"], r["O"], Y), f"With {label}", m)
        compare_named("dW_ho", dW_ho, r["dW_ho"], dW_ho_slips(r["h1"], r["O"], Y), f"With {label}", m)

    _run("check_output_gradients", seed, body)
    passed("delta2 and dW_ho are right for m = n_hidden, m = n_in, m = 6, m = 1 and two or three outputs")


@recorded
def check_bias_gradient(student, *, seed: int | None = None) -> None:
    """Check ``student(delta)`` → the bias gradient, shape (n, 1), on δ2 (n_out, m) and δ1 (n_hidden, m)."""
    def body(label, X, Y, params, r):
        for which, key in (("δ2", "db_ho"), ("δ1", "db_ih")):
            delta = r["delta2" if which == "δ2" else "delta1"]
            case = f"{label}, {which} of shape {delta.shape}"
            got = call_student(student, "bias_gradient", (delta,), case, refuse=REFUSE, names=("delta",))
            compare_named("the bias gradient", got, r[key], bias_slips(delta), f"With {case}", X.shape[1])

    _run("check_bias_gradient", seed, body)
    passed("bias_gradient is right for δ2 and δ1, with m = n, m ≠ n and m = 1")


@recorded
def check_hidden_gradients(student, *, seed: int | None = None) -> None:
    """Check ``student(X, W_ho, h1, delta2)`` → ``(delta1, dW_ih)``: δ1 (n_hidden, m), dE/dW_ih (n_in, n_hidden)."""
    def body(label, X, Y, params, r):
        args = (X, params["W_ho"], r["h1"], r["delta2"])
        got = call_student(student, "hidden_gradients", args, label, refuse=REFUSE,
                           names=("X", "W_ho", "h1", "delta2"))
        delta1, dW_ih = _pair(got, "hidden_gradients", ("delta1", "dW_ih"), label)
        _not_swapped(delta1, dW_ih, r["delta1"], r["dW_ih"], "hidden_gradients", ("delta1", "dW_ih"), label)
        m = X.shape[1]
        compare_named("delta1", delta1, r["delta1"], delta1_slips(*args), f"With {label}", m)
        compare_named("dW_ih", dW_ih, r["dW_ih"], dW_ih_slips(*args), f"With {label}", m)

    _run("check_hidden_gradients", seed, body)
    passed("delta1 and dW_ih are right for m = n_hidden, m = n_in, m = 6, m = 1 and two or three outputs")


ORDER = ("W_ho", "b_ho", "W_ih", "b_ih")  # the order of the derivation: output layer first


def backward_slips(X, Y, params, r) -> dict:
    args = (X, params["W_ho"], r["h1"], r["delta2"])
    return {"W_ho": dW_ho_slips(r["h1"], r["O"], Y), "b_ho": bias_slips(r["delta2"]),
            "W_ih": dW_ih_slips(*args), "b_ih": bias_slips(r["delta1"])}


@recorded
def check_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, params, cache)`` → ``{"W_ih", "b_ih", "W_ho", "b_ho"}``, each its parameter's shape."""
    def body(label, X, Y, params, r):
        cache = two_layer.forward(X, params)
        got = call_student(student, "backward", (X, Y, params, cache), label, refuse=REFUSE,
                           names=("X", "Y", "params", "cache"))
        if got is None:
            raise CheckFailed("backward returned None: did you forget to `return` the dict of gradients?")
        if not isinstance(got, Mapping):
            raise CheckFailed(f"backward should return a dict with keys {list(ORDER)}, got {type(got).__name__}")
        missing = [k for k in ORDER if k not in got]
        extra = [k for k in got if k not in ORDER]
        if missing or extra:
            parts = ([f"missing key(s) {missing}"] if missing else []) + ([f"unexpected key(s) {extra}"] if extra
                                                                          else [])
            raise CheckFailed(f"With {label}: grads: " + " and ".join(parts) + f"; expected exactly {list(ORDER)}")
        slips = backward_slips(X, Y, params, r)
        for key in ORDER:
            compare_named(f"grads[{key!r}]", got[key], r[f"d{key}"], slips[key], f"With {label}", X.shape[1])

    _run("check_backward", seed, body)
    passed("all four gradients are right for m = n_hidden, m = n_in, m = 6, m = 1 and two or three outputs")
