"""Lesson 04's "derive it yourself" check: ``check_two_hidden_deltas(fn)``.

Article 002's network with a second hidden layer, in lesson 04's convention (δ = −∂E/∂z, linear outputs, no
biases):

    z1 = W1ᵀ x,  h1 = tanh(z1)  (n1,)      z2 = W2ᵀ h1,  h2 = σ(z2)  (n2,)      y = W3ᵀ h2  (K,)
    E = ½ Σ_k (d_k − y_k)²,   W1 (n_in, n1), W2 (n1, n2), W3 (n2, K)

The page derives δ for one hidden layer of sigmoids. The learner carries the chain rule through two hidden layers
with two different activations: ``fn(x, d, W1, W2, W3)`` returns ``(delta1, delta2)``, the δ of the first hidden
layer (n1,) and of the second (n2,). A named slip says which step it breaks and never prints the formula.
"""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid
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
from nblib.progress import recorded

S1 = "step 1, the output's δ: d − y, one per output, as on the page"
S2 = "step 2, the second hidden layer's δ: from the outputs' δ, with the derivative of that layer's activation, σ"
S3 = ("step 3, the first hidden layer's δ: from the second hidden layer's δ, with the derivative of that layer's "
      "activation, tanh")


def forward(x, W1, W2, W3) -> dict:
    h1 = np.tanh(W1.T @ x)
    h2 = sigmoid(W2.T @ h1)
    return {"h1": h1, "h2": h2, "y": W3.T @ h2}


def error(x, d, W1, W2, W3) -> float:
    return 0.5 * float(np.sum((d - forward(x, W1, W2, W3)["y"]) ** 2))


def reference(x, d, W1, W2, W3):
    f = forward(x, W1, W2, W3)
    h1, h2 = f["h1"], f["h2"]
    delta_out = d - f["y"]
    delta2 = h2 * (1 - h2) * (W3 @ delta_out)
    delta1 = (1 - h1 * h1) * (W2 @ delta2)
    return delta1, delta2


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def slips(x, d, W1, W2, W3):
    f = forward(x, W1, W2, W3)
    h1, h2 = f["h1"], f["h2"]
    dout = d - f["y"]
    right1, right2 = reference(x, d, W1, W2, W3)
    sp2, tp1 = h2 * (1 - h2), 1 - h1 * h1
    s2 = [(f"σ′ of the second layer is missing ({S2})", W3 @ dout),
          (f"tanh′ in the second layer: its activation is σ, so its derivative is σ′ ({S2})",
           (1 - h2 * h2) * (W3 @ dout)),
          (f"σ′ applied to h2: h2 already is σ(z2), so σ′(z2) is written with h2, not σ(h2) ({S2})",
           _sig(h2) * (1 - _sig(h2)) * (W3 @ dout)),
          (f"the sign is flipped: this lesson's δ is −∂E/∂z ({S1})", -right2)]
    if W3.shape[1] > 1:
        s2.append((f"only output 1's path: the sum runs over every output k ({S2})", sp2 * W3[:, 0] * dout[0]))
    s1 = [(f"tanh′ of the first layer is missing ({S3})", W2 @ right2),
          (f"σ′ in the first layer: its activation is tanh, so its derivative is tanh′ ({S3})",
           h1 * (1 - h1) * (W2 @ right2)),
          (f"tanh′ applied to h1: h1 already is tanh(z1), so tanh′(z1) is written with h1, not tanh(h1) ({S3})",
           (1 - np.tanh(h1) ** 2) * (W2 @ right2)),
          (f"the second layer was skipped: W3·δ_out was carried down without the second layer's σ′ — the first layer "
           f"needs the second layer's δ ({S3})", tp1 * (W2 @ (W3 @ dout))),
          (f"the sign is flipped: this lesson's δ is −∂E/∂z ({S1})", -right1)]
    if W2.shape[0] == W2.shape[1]:
        s1.append((f"W2ᵀ·δ2: it runs only because n1 = n2 = {W2.shape[0]} here; the sum runs over the second "
                   f"layer's units, the second index of W2 ({S3})", tp1 * (W2.T @ right2)))
    return s1, s2


def _weights(n_in, n1, n2, K, phase, scale=1.0):
    k = np.arange(1.0, n_in * n1 + n1 * n2 + n2 * K + 1.0)
    w = np.sin(k * phase) * scale
    a, b = n_in * n1, n_in * n1 + n1 * n2
    return w[:a].reshape(n_in, n1), w[a:b].reshape(n1, n2), w[b:].reshape(n2, K)


def cases(seed: int | None = None):
    found = [
        ("a 2-3-3-1 net (n1 = n2: W2 and W2ᵀ both fit)", np.array([0.8, -0.4]), np.array([1.0]),
         *_weights(2, 3, 3, 1, 0.9)),
        ("a 2-3-4-1 net", np.array([1.0, 0.5]), np.array([0.3]), *_weights(2, 3, 4, 1, 1.7)),
        ("a 3-4-2-2 net (two outputs)", np.array([0.2, -0.7, 1.1]), np.array([1.0, 0.0]), *_weights(3, 4, 2, 2, 0.6)),
        ("x = 0, so z1 = 0 and z2 = 0 (tanh′ = 1, σ′ = ¼), a 2-4-3-2 net", np.zeros(2), np.array([0.5, -1.0]),
         *_weights(2, 4, 3, 2, 1.1)),
        ("large weights: z1 = 14, 33 and 34, tanh saturated (tanh′ below 1e-11), a 2-3-2-1 net",
         np.array([3.0, -2.0]), np.array([2.0]), *_weights(2, 3, 2, 1, 0.75, scale=8.0)),
    ]
    if seed is not None:
        rng = np.random.default_rng(seed + 41)
        for i in range(2):
            n_in, n1, n2, K = (int(v) for v in rng.integers(1, 6, size=4))
            found.append((f"random case {i + 1} (seed {seed}): a {n_in}-{n1}-{n2}-{K} net", rng.normal(0, 1, n_in),
                          rng.normal(0, 1, K), rng.normal(0, 1, (n_in, n1)), rng.normal(0, 1, (n1, n2)),
                          rng.normal(0, 1, (n2, K))))
    return found


def _close(a, b) -> bool:
    try:
        a = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=default_atol(b)))


@recorded
def check_two_hidden_deltas(student, *, seed: int | None = None) -> None:
    """Check ``student(x, d, W1, W2, W3)`` → ``(delta1, delta2)``: δ = −∂E/∂z of both hidden layers."""
    seed = new_seed(seed)
    with reporting_seed("check_two_hidden_deltas", seed):
        for label, x, d, W1, W2, W3 in cases(seed):
            args = (x, d, W1, W2, W3)
            got = call_student(student, "two_hidden_deltas", args, label, names=("x", "d", "W1", "W2", "W3"))
            if got is None:
                raise CheckFailed("two_hidden_deltas returned None: did you forget to `return delta1, delta2`?")
            if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)) or len(got) != 2:
                raise CheckFailed(f"two_hidden_deltas should return two arrays, `return delta1, delta2`; on {label} "
                                  f"it returned {type(got).__name__}")
            right1, right2 = reference(*args)
            if _close(got[0], right2) and _close(got[1], right1) and not _close(got[0], right1):
                raise CheckFailed(f"On {label}: the two δ's are swapped — the exercise returns (delta1, delta2), the "
                                  "first hidden layer's δ first, although the backward pass finds delta2 first")
            s1, s2 = slips(*args)
            compare_array("delta2", got[1], right2, mistakes=dict((desc, w) for desc, w in s2), context=f"On {label}")
            # 1 − h1² of a saturated unit (tanh(z1) rounds near ±1) is exact only to ~2u; 1/cosh(z1)² is right too:
            # entries are compared to within 8u × |the sum it multiplies| besides the usual tolerance.
            back = np.abs(W2 @ right2)
            atol = max(default_atol(right1), 8 * np.finfo(np.float64).eps * float(np.max(back, initial=0.0)))
            compare_array("delta1", got[0], right1, mistakes=dict((desc, w) for desc, w in s1), context=f"On {label}",
                          atol=atol)
    passed("delta1 and delta2 are right on all 5 nets: n1 = n2, two outputs, z = 0 and saturated tanh units")
