"""How many exercises of lesson 05 pass by copying (issue 25 §1): each of its 11 exercises solved *strictly by copying*
what the learner's edition shows — first the page above the exercise (its text, worked code and formulas, the
exercise's own text), then also its two hints — and run through its check.

    .venv/bin/python benchmarks/copying_05.py

An attempt is written only from text that is on the page (the comment says where); where nothing on the page or in
the hints can be copied, the attempt is None and the exercise "needs the learner's own step". A copied attempt that
fails its check counts as not passing. Lesson 05's exercises call the learner's earlier functions ("call your
linear_forward"); an attempt calls them *as solved* (the ``_done_*`` functions below, the course's solutions), so
each exercise is measured on its own step, never failed by an earlier one. Same style as benchmarks/copying_01_04.py;
``--before`` runs the attempts the page of commit d387242 allowed (its F4 and "Where the 1/m goes" stated steps now
left to exercises 4 and 7).
"""

from __future__ import annotations

import numpy as np
from copying_01_04 import verdict  # the same judge of an attempt: its check, run for real

import nblib
from nblib.exercises import deep as DP


# --- the learner's earlier exercises, solved (what "call your …" calls) ---------------------------------------
def _done_linear_forward(A_prev, W, b):
    return W @ A_prev + b, (A_prev, W, b)


def _done_linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = _done_linear_forward(A_prev, W, b)
    return (np.maximum(Z, 0.0) if activation == "relu" else nblib.sigmoid(Z)), (linear_cache, Z)


def _done_relu_backward(dA, Z):
    return dA * (Z > 0)


def _done_sigmoid_backward(dA, Z):
    s = nblib.sigmoid(Z)
    return dA * s * (1 - s)


def _done_linear_backward(dZ, cache):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def _done_linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    dZ = _done_relu_backward(dA, Z) if activation == "relu" else _done_sigmoid_backward(dA, Z)
    return _done_linear_backward(dZ, linear_cache)


# --- the copy attempts ------------------------------------------------------------------------------------------
def linear_forward_page(A_prev, W, b):  # F1 "Z = W A + b", and the exercise's "cache = (A_prev, W, b)"
    return W @ A_prev + b, (A_prev, W, b)


def linear_activation_forward_page(A_prev, W, b, activation):  # F1 then F2 (relu max(0, z), σ), the text's cache
    Z, linear_cache = _done_linear_forward(A_prev, W, b)
    A = np.maximum(0, Z) if activation == "relu" else 1 / (1 + np.exp(-Z))
    return A, (linear_cache, Z)


def model_forward_page(X, parameters, activations):  # F3: A[0] = X, F1–F2 for l = 1 … L, one cache per layer
    A, caches = X, []
    for l in range(1, len(activations) + 1):
        A, cache = _done_linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activations[l - 1])
        caches.append(cache)
    return A, caches


def compute_cost_page(AL, Y):  # F4: one output's −[y log a + (1 − y) log(1 − a)], J the mean of the examples' losses;
    loss = -(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))  # the page has no rule for several outputs, so each entry is
    return float(np.mean(loss))                          # taken as "one example with one output"


def compute_cost_old_page(AL, Y):  # before: F4 said "an example with several outputs loses the sum of its outputs'
    loss = -(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))  # losses, and the cost J is the mean of the m examples' losses"
    return float(np.mean(np.sum(loss, axis=0)))


def relu_backward_page(dA, Z):  # step 1 "dZ = dA ∗ g′(Z)" with F2's relu, max(0, z): relu′ is on neither the page nor
    return dA * np.maximum(0, Z)  # the hints (hint 2: "read the slope off that piece's formula")


def sigmoid_backward_page(dA, Z):  # step 1 with F2's σ: σ′ is not on the page (lesson 01's, "written yourself")
    return dA * nblib.sigmoid(Z)


def _per_example(dZ, cache):  # the worked example's loops (steps 2–4 for m = 1), run on each example's column
    A_prev, W, _ = cache
    n, n_prev = W.shape
    out = []
    for e in range(A_prev.shape[1]):
        dz, a_prev = dZ[:, e], A_prev[:, e]
        dWt = np.array([[dz[i] * a_prev[j] for j in range(n_prev)] for i in range(n)])
        dbt = np.array([[dz[i]] for i in range(n)])
        da_prev = np.array([sum(W[i, j] * dz[i] for i in range(n)) for j in range(n_prev)])
        out.append((dWt, dbt, da_prev))
    return out


def linear_backward_page(dZ, cache):  # the worked example's loops; the page no longer says how the m examples'
    parts = _per_example(dZ, cache)     # contributions combine (exercise 7's step), so the copy stops at the one
    return np.stack([p[2] for p in parts], axis=1), parts[0][0], parts[0][1]  # example the loops were written for


def linear_backward_old_page(dZ, cache):  # before: "Where the 1/m goes" said "each example adds its own contribution
    parts = _per_example(dZ, cache)         # (the one the worked example computes for m = 1) … those m contributions
    m = len(parts)                          # are averaged there, once"
    return np.stack([p[2] for p in parts], axis=1), sum(p[0] for p in parts) / m, sum(p[1] for p in parts) / m


def linear_activation_backward_page(dA, cache, activation):  # "call your relu_backward / sigmoid_backward and your
    linear_cache, Z = cache                                    # linear_backward", the cache as the text splits it
    dZ = _done_relu_backward(dA, Z) if activation == "relu" else _done_sigmoid_backward(dA, Z)
    return _done_linear_backward(dZ, linear_cache)


def update_parameters_page(parameters, grads, learning_rate):  # step 6, "as new arrays"
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


#: [(exercise, check, attempt from the page, attempt from page + hints)]; None: nothing to copy. Hints that add nothing
#: copyable: 4 (hint 2 asks what the log makes of hint 1's probability), 5 (read relu′ off each piece), 6 (σ′ is "s
#: times one more factor made of s"), 7 (differentiate J = (1/m) Σ L_i by linearity: the combination is not given),
#: 9 (differentiate L — "each log gives one fraction" — not the fractions), 11 (one value where Z > 0, another where
#: Z ≤ 0, not which).
ATTEMPTS = [
    ("linear_forward", DP.check_linear_forward, linear_forward_page, None),
    ("linear_activation_forward", DP.check_linear_activation_forward, linear_activation_forward_page, None),
    ("model_forward", DP.check_model_forward, model_forward_page, None),
    ("compute_cost", DP.check_compute_cost, compute_cost_page, None),
    ("relu_backward", DP.check_relu_backward, relu_backward_page, None),
    ("sigmoid_backward", DP.check_sigmoid_backward, sigmoid_backward_page, None),
    ("linear_backward", DP.check_linear_backward, linear_backward_page, None),
    ("linear_activation_backward", DP.check_linear_activation_backward, linear_activation_backward_page, None),
    ("model_backward", DP.check_model_backward, None, None),
    ("update_parameters", DP.check_update_parameters, update_parameters_page, None),
    ("leaky_relu_backward", DP.check_leaky_relu_backward, None, None),
]

#: ``--before``: the page of commit d387242 (before issue 25's lesson 05 hint/page change) allowed these instead; its
#: hints 4 ("add all its entries … divide by the number of columns") and 7 ("dW and db average the m contributions")
#: gave the same steps again, so they add nothing the old page's attempts lack.
BEFORE = {"compute_cost": (compute_cost_old_page, None), "linear_backward": (linear_backward_old_page, None)}


def main() -> None:
    import sys

    before = "--before" in sys.argv[1:]
    count = {"page": 0, "hints": 0, "own": 0}
    for name, check, page, hints in ATTEMPTS:
        if before and name in BEFORE:
            page, hints = BEFORE[name]
        found, why = verdict(check, page, hints)
        count[found] += 1
        print(f"05 {name:<27} {found:<6} {why}"[:200])
    print(f"lesson 05{' (before, page of d387242)' if before else ''}: {len(ATTEMPTS)} exercises — {count['page']} by "
          f"copying the page, {count['hints']} more with the hints, {count['own']} need the learner's own step")


if __name__ == "__main__":
    main()
