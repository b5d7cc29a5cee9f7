"""Lesson 03's "derive it yourself" check: ``check_rows_backward(fn)``.

The same two-layer sigmoid network, E = ½ Σ (Y − O)², in the layout of article 000's Octave code and of most
libraries: **one example per row**.

    X (m, n_in),  H = σ(X·W1 + b1) (m, n_h),  O = σ(H·W2 + b2) (m, n_out),  Y (m, n_out)
    W1 (n_in, n_h), b1 (1, n_h), W2 (n_h, n_out), b2 (1, n_out)

The page derives the matrix form with one example per *column*; the learner redoes steps 1–6 with the examples as
rows and lets the shapes choose every product. ``fn(X, Y, params, cache)`` returns ``{"W1", "b1", "W2", "b2"}``,
each of its parameter's shape. A named slip says which step it breaks and never prints the right product.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nblib.activations import sigmoid
from nblib.exercises.feedback import CheckFailed, call_student, new_seed, passed, reporting_seed
from nblib.exercises.matrix_shapes import compare_named, shapes_only
from nblib.progress import recorded

ORDER = ("W2", "b2", "W1", "b1")  # the order of the derivation: output layer first

R1 = "step 1, the output's error signal: elementwise, one row per example, (m, n_out)"
R2 = "step 2, dE/dW2: a product of H and the output's error signal, shape (n_h, n_out), the m examples inside"
R3 = "steps 3 and 6, the biases: one term per example, and the bias's shape, a row (1, n)"
R4 = "step 4, the hidden error signal: a product with W2 that sums over the outputs, (m, n_h), then σ′ elementwise"
R5 = "step 5, dE/dW1: step 2's pattern with X, shape (n_in, n_h), the m examples inside"


def forward(X, params) -> dict:
    """H and O for one example per row."""
    H = sigmoid(X @ params["W1"] + params["b1"])
    return {"H": H, "O": sigmoid(H @ params["W2"] + params["b2"])}


def loss(X, Y, params) -> float:
    return 0.5 * float(np.sum((Y - forward(X, params)["O"]) ** 2))


def reference(X, Y, params, cache) -> dict:
    H, O = cache["H"], cache["O"]
    D2 = (O - Y) * O * (1 - O)
    D1 = (D2 @ params["W2"].T) * H * (1 - H)
    return {"D2": D2, "D1": D1, "W2": H.T @ D2, "b2": D2.sum(axis=0, keepdims=True), "W1": X.T @ D1,
            "b1": D1.sum(axis=0, keepdims=True)}


def _params(n_in, n_h, n_out, phase):
    k = np.arange(1.0, n_in * n_h + n_h + n_h * n_out + n_out + 1.0)
    w = np.sin(k * phase) * 0.9
    a, b, c = n_in * n_h, n_in * n_h + n_h, n_in * n_h + n_h + n_h * n_out
    return {"W1": w[:a].reshape(n_in, n_h), "b1": w[a:b].reshape(1, n_h), "W2": w[b:c].reshape(n_h, n_out),
            "b2": w[c:].reshape(1, n_out)}


def _data(m, n_in, n_out, phase):
    X = np.cos(np.arange(1.0, m * n_in + 1.0) * phase).reshape(m, n_in)
    Y = (0.5 + 0.4 * np.sin(np.arange(1.0, m * n_out + 1.0) * (phase + 0.3))).reshape(m, n_out)
    return X, Y


def cases(seed: int | None = None):
    found = [("m = n_in = n_h = n_out = 3 (every transpose runs)", *_data(3, 3, 3, 0.8), _params(3, 3, 3, 0.8)),
             ("article 001's 4-5-1 net and m = 6 houses as rows", *_data(6, 4, 1, 0.7), _params(4, 5, 1, 0.7)),
             ("a 2-3-2 net and m = 5", *_data(5, 2, 2, 1.3), _params(2, 3, 2, 1.3)),
             ("a 3-4-2 net and m = 1 (one example, one row)", *_data(1, 3, 2, 0.4), _params(3, 4, 2, 0.4))]
    if seed is not None:
        rng = np.random.default_rng(seed + 31)
        for i in range(2):
            n_in, n_h, n_out, m = (int(v) for v in rng.integers(1, 7, size=4))
            X = rng.normal(0, 1, size=(m, n_in))
            Y = rng.uniform(0.05, 0.95, size=(m, n_out))
            params = {"W1": rng.normal(0, 1, (n_in, n_h)), "b1": rng.normal(0, 1, (1, n_h)),
                      "W2": rng.normal(0, 1, (n_h, n_out)), "b2": rng.normal(0, 1, (1, n_out))}
            found.append((f"random case {i + 1} (seed {seed}): a {n_in}-{n_h}-{n_out} net and m = {m}", X, Y, params))
    return found


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def _bias_slips(D):
    m, n = D.shape
    slips = [(f"a sum over axis=1, the units, not over the examples ({R3})", D.sum(axis=1, keepdims=True)),
             (f"a flat ({n},) array: without keepdims=True the sum loses the row shape (1, n) ({R3})", D.sum(axis=0)),
             (f"a column (n, 1): in this layout each bias is a row (1, n), like one example's activations ({R3})",
              D.sum(axis=0)[:, None]),
             (f"the sum of every entry, units and examples together ({R3})", np.asarray(D.sum()))]
    if m > 1:
        slips.append((f"a mean, not a sum: an extra 1/m (m = {m}) — this E sums over the examples ({R3})",
                      D.mean(axis=0, keepdims=True)))
    return slips


def slips(X, Y, params, cache) -> dict:
    H, O, W2 = cache["H"], cache["O"], params["W2"]
    r = reference(X, Y, params, cache)
    D2, D1 = r["D2"], r["D1"]
    m = X.shape[0]
    found = {
        "W2": [(f"the transpose of dE/dW2 (n_out, n_h): a gradient has its parameter's shape ({R2})", D2.T @ H),
               (f"the output's error signal without O ∗ (1 − O) = σ′ of the output ({R1})", H.T @ (O - Y)),
               (f"the sign is flipped: ½(Y − O)² has slope O − Y with respect to O ({R1})", -r["W2"])],
        "b2": _bias_slips(D2),
        "W1": [(f"the transpose of dE/dW1 (n_h, n_in): a gradient has its parameter's shape ({R5})", D1.T @ X),
               (f"the hidden error signal without σ′ of the hidden layer, H ∗ (1 − H) ({R4})",
                X.T @ (D2 @ W2.T)),
               (f"σ′ applied to H: H already is σ of the hidden pre-activation, so σ′ is H ∗ (1 − H) ({R4})",
                X.T @ ((D2 @ W2.T) * _sig(H) * (1 - _sig(H)))),
               (f"the wrong layer's input: W1 multiplies X, not H ({R5})", H.T @ D1),
               (f"the sign is flipped ({R1}, carried down by step 4)", -r["W1"])],
        "b1": _bias_slips(D1),
    }
    n_in, n_h, n_out = X.shape[1], H.shape[1], O.shape[1]
    if n_h == n_out and m == n_h:
        found["W2"].append((f"H @ D2ᵀ, the column layout's product carried over: it runs only because n_h = n_out = "
                            f"m = {m} here, and it sums over the units, not the examples ({R2})", H @ D2.T))
    if n_in == n_h and m == n_in:
        found["W1"].append((f"X @ D1ᵀ, the column layout's product carried over: it runs only because n_in = n_h = "
                            f"m = {m} here, and it sums over the units, not the examples ({R5})", X @ D1.T))
    if W2.shape[0] == W2.shape[1]:
        found["W1"].append((f"the output's error signal times W2 without its transpose: it runs only because n_h = "
                            f"n_out = {W2.shape[0]} here, and it pairs each hidden unit with the wrong weights ({R4})",
                            X.T @ ((D2 @ W2) * H * (1 - H))))
    if m > 1:
        found["W2"].append((f"an extra 1/m (m = {m}): the product already sums over the examples and this E is a sum "
                            f"({R2})", r["W2"] / m))
        found["W1"].append((f"an extra 1/m (m = {m}) ({R5})", r["W1"] / m))
    return found


@recorded
def check_rows_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, params, cache)`` → ``{"W1", "b1", "W2", "b2"}`` with one example per row."""
    seed = new_seed(seed)
    with reporting_seed("check_rows_backward", seed):
        for label, X, Y, params in cases(seed):
            cache = forward(X, params)
            try:
                got = call_student(student, "rows_backward", (X, Y, params, cache), label,
                                   names=("X", "Y", "params", "cache"))
            except CheckFailed as failure:
                raise CheckFailed(shapes_only(str(failure), "the examples (rows)")) from None
            if got is None:
                raise CheckFailed("rows_backward returned None: did you forget to `return` the dict of gradients?")
            if not isinstance(got, Mapping):
                raise CheckFailed(f"rows_backward should return a dict with keys {list(ORDER)}, got "
                                  f"{type(got).__name__}")
            missing = [k for k in ORDER if k not in got]
            extra = [k for k in got if k not in ORDER]
            if missing or extra:
                parts = ([f"missing key(s) {missing}"] if missing else []) + (
                    [f"unexpected key(s) {extra}"] if extra else [])
                raise CheckFailed(f"With {label}: grads: " + " and ".join(parts) + f"; expected exactly {list(ORDER)}")
            r, named = reference(X, Y, params, cache), slips(X, Y, params, cache)
            for key in ORDER:
                compare_named(f"grads[{key!r}]", got[key], r[key], named[key], f"With {label}", X.shape[0])
    passed("all four gradients are right with one example per row: m = n_in = n_h = n_out, the article's 4-5-1 "
           "net with m = 6, a 2-3-2 net and m = 1")
