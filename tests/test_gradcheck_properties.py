"""check_gradients as a judge over random cases: it never fails correct gradients, always fails plausible wrong ones.

Correct cases: nblib.two_layer (sum and mean), nblib.deep (L = 2…4 layers, m = 1…8, relu/…/sigmoid) and nblib.octave
(with and without regularisation), 700 random draws each. Wrong cases, drawn the same way: one entry off by 1 % (an
entry ≥ 1e-3 of the largest), a transposed gradient, a missing 1/m, a missing σ′ factor.
"""

import numpy as np
import pytest

from nblib import deep, octave, two_layer
from nblib.activations import sigmoid
from nblib.gradcheck import check_gradients

N_CORRECT = 700


def two_layer_case(seed):
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = (int(n) for n in rng.integers(1, 6, 3))
    m = int(rng.integers(1, 9))
    params = two_layer.init_params(n_in, n_hidden, n_out, seed=seed, scale=float(rng.uniform(0.2, 2.0)))
    params["b_ih"] = rng.normal(0.0, 0.5, (n_hidden, 1))
    params["b_ho"] = rng.normal(0.0, 0.5, (n_out, 1))
    X, Y = rng.normal(size=(n_in, m)), rng.uniform(0.1, 0.9, (n_out, m))
    reduction = ("sum", "mean")[seed % 2]
    cache = two_layer.forward(X, params)
    grads = two_layer.backward(X, Y, params, cache, reduction)
    # A missing σ′ = O(1 − O) at the output: dZ2 = (O − Y), then the same chain.
    h1, O = cache["h1"], cache["O"]
    dZ2 = (O - Y) / (m if reduction == "mean" else 1)
    dZ1 = (params["W_ho"] @ dZ2) * h1 * (1 - h1)
    no_sigma_prime = {"W_ih": X @ dZ1.T, "b_ih": dZ1.sum(axis=1, keepdims=True), "W_ho": h1 @ dZ2.T,
                      "b_ho": dZ2.sum(axis=1, keepdims=True)}
    return (lambda p: two_layer.loss(X, Y, p, reduction)), params, grads, m, no_sigma_prime, ["W_ho", "b_ho"]


def deep_case(seed):
    rng = np.random.default_rng(seed)
    L = int(rng.integers(2, 5))
    dims = [int(d) for d in rng.integers(1, 6, L)] + [int(rng.integers(1, 3))]
    m = int(rng.integers(1, 9))
    params = deep.initialize_parameters(dims, seed=seed)
    for l in range(1, L + 1):
        params[f"b{l}"] = rng.normal(0.0, 0.3, (dims[l], 1))
    activations = ["relu"] * (L - 1) + ["sigmoid"]
    X = rng.normal(size=(dims[0], m))
    Y = (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float)
    AL, caches = deep.model_forward(X, params, activations)
    grads = {k: v for k, v in deep.model_backward(AL, Y, caches, activations).items() if not k.startswith("dA")}
    # A missing σ′ at the output: dZ[L] = dA[L] instead of dA[L] ∗ σ′(Z[L]).
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    wrong = {}
    dA, wrong[f"dW{L}"], wrong[f"db{L}"] = deep.linear_backward(dA, caches[L - 1][0])
    for l in range(L - 1, 0, -1):
        dA, wrong[f"dW{l}"], wrong[f"db{l}"] = deep.linear_activation_backward(dA, caches[l - 1], "relu")
    return deep.cost_of(X, Y, activations), params, grads, m, wrong, [f"dW{L}", f"db{L}"]


def octave_case(seed):
    rng = np.random.default_rng(seed)
    n_in, n_hidden, K = int(rng.integers(1, 6)), int(rng.integers(1, 6)), int(rng.integers(2, 5))
    m = int(rng.integers(1, 9))
    lambda_ = 0.0 if seed % 2 else float(rng.uniform(0.0, 3.0))
    Theta1, Theta2 = rng.uniform(-1, 1, (n_hidden, n_in + 1)), rng.uniform(-1, 1, (K, n_hidden + 1))
    X, y = rng.normal(size=(m, n_in)), rng.integers(1, K + 1, m)

    def J(p):
        nn_params = octave.unroll(p["Theta1"], p["Theta2"])
        return octave.nn_cost_function(nn_params, n_in, n_hidden, K, X, y, lambda_)[0]

    _, grad = octave.nn_cost_function(octave.unroll(Theta1, Theta2), n_in, n_hidden, K, X, y, lambda_)
    G1, G2 = octave.reshape_params(grad, n_in, n_hidden, K)
    # A missing sigmoidGradient(z2) in s2.
    a1 = octave.add_bias_column(X)
    a2 = octave.add_bias_column(sigmoid(a1 @ Theta1.T))
    s3 = sigmoid(a2 @ Theta2.T) - octave.one_hot(y, K)
    s2 = s3 @ Theta2[:, 1:]
    wrong_G1 = s2.T @ a1 / m
    wrong_G1[:, 1:] += lambda_ / m * Theta1[:, 1:]
    return J, {"Theta1": Theta1, "Theta2": Theta2}, {"Theta1": G1, "Theta2": G2}, m, \
        {"Theta1": wrong_G1, "Theta2": G2}, ["Theta1"]


FAMILIES = {"two_layer": two_layer_case, "deep": deep_case, "octave": octave_case}


@pytest.mark.parametrize("family", FAMILIES)
def test_no_false_alarm_on_correct_gradients(family):
    failures = []
    for seed in range(N_CORRECT):
        f, params, grads, *_ = FAMILIES[family](seed)
        report = check_gradients(f, params, grads)
        if not report.ok:
            failures.append(f"seed {seed}:\n{report}")
    assert not failures, f"{len(failures)} of {N_CORRECT} correct cases failed; first: {failures[0]}"


def _named(report, keys):
    verdict = report.verdict
    return verdict.startswith("FAIL") and all(report[k].status not in ("ok", "kink") and k in verdict for k in keys)


@pytest.mark.parametrize("family", FAMILIES)
def test_one_entry_off_by_one_percent_always_fails(family):
    checked = 0
    for seed in range(1000, 1150):
        f, params, grads, *_ = FAMILIES[family](seed)
        if check_gradients(f, params, grads).verdict.count("kink"):
            continue  # a corner within ε: those entries are not judged, so no entry of this case is planted
        rng = np.random.default_rng(seed)
        largest = max(np.abs(g).max() for g in grads.values())
        candidates = [(k, tuple(i)) for k, g in grads.items() for i in np.argwhere(np.abs(g) >= 1e-3 * largest)]
        key, index = candidates[int(rng.integers(len(candidates)))]
        wrong = {k: v.copy() for k, v in grads.items()}
        wrong[key][index] *= 1.01
        report = check_gradients(f, params, wrong)
        assert _named(report, [key]), f"seed {seed}: {key}{index} off by 1 % passed:\n{report}"
        assert report[key].worst_index == index
        checked += 1
    assert checked >= 100


@pytest.mark.parametrize("family", FAMILIES)
def test_transpose_missing_one_over_m_and_missing_sigma_prime_always_fail(family):
    for seed in range(2000, 2150):
        f, params, grads, m, no_sigma_prime, _ = FAMILIES[family](seed)
        # a transposed gradient (a wrong shape when not square, wrong values when square)
        key = next((k for k, g in grads.items()
                    if g.ndim == 2 and (g.shape[0] != g.shape[1] or not np.allclose(g, g.T))), None)
        if key is not None:
            report = check_gradients(f, params, {**grads, key: grads[key].T.copy()})
            assert _named(report, [key]), f"seed {seed}: {key}.T passed:\n{report}"
        # a missing 1/m: every gradient m times too large (one that is exactly 0 — a dead relu layer — stays 0)
        if m > 1:
            report = check_gradients(f, params, {k: g * m for k, g in grads.items()})
            nonzero = [k for k, g in grads.items() if np.abs(g).max() > 0]
            assert _named(report, nonzero), f"seed {seed}: missing 1/m passed:\n{report}"
        # a missing σ′ factor; it changes the output layer's gradients, and the rest where anything flows back
        named = [k for k in grads if not np.allclose(no_sigma_prime[k], grads[k], rtol=1e-3, atol=0)]
        assert named
        report = check_gradients(f, params, no_sigma_prime)
        assert _named(report, named), f"seed {seed}: missing σ′ passed:\n{report}"
