"""Lesson 05's eleven exercises (issue 15): every check refuses the stub, float32, in-place changes, the nblib helper
that is the answer and hard-coded answers; accepts the solution and correct alternatives; names at least three
mistakes, each with the derivation step it breaks; runs m = n[l], m ≠ n[l], m = 1 and several outputs. Every
derivative the exercises ask for is checked against central differences (nblib.check_gradients) in float64."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

import nblib
from nblib import deep, mistakes
from nblib.exercises import CheckFailed
from nblib.exercises import deep as ex

_spec = importlib.util.spec_from_file_location("measure_checks", Path(__file__).parents[1] / "tools" /
                                               "measure_checks.py")
M = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(M)


def sig(Z):
    return 1.0 / (1.0 + np.exp(-Z))


# --- the solutions, as a student would write them --------------------------------------------------------------


def linear_forward(A_prev, W, b):
    return W @ A_prev + b, (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, cache = linear_forward(A_prev, W, b)
    return (np.maximum(Z, 0.0) if activation == "relu" else sig(Z)), (cache, Z)


def model_forward(X, parameters, activations):
    A, caches = X, []
    for l in range(1, len(activations) + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activations[l - 1])
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / AL.shape[1])


def relu_backward(dA, Z):
    return dA * (Z > 0)


def sigmoid_backward(dA, Z):
    return dA * sig(Z) * (1 - sig(Z))


def linear_backward(dZ, cache):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    return linear_backward((relu_backward if activation == "relu" else sigmoid_backward)(dA, Z), linear_cache)


def model_backward(AL, Y, caches, activations):
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def leaky_relu_backward(dA, Z, slope):
    return np.where(Z > 0, dA, slope * dA)


def tanh_squared_error_start(AL, Y):
    dAL = AL - Y
    return dAL, dAL * (1 - AL ** 2)


def repaired_backward(AL, Y, caches, activations):
    return model_backward(AL, Y, caches, activations)


def clinic(bugs):
    """The question's backward pass with ``bugs`` left in, written out (not nblib's, which the check refuses)."""
    def backward(AL, Y, caches, activations):
        m, grads = AL.shape[1], {}
        dA = AL - Y if "dAL_is_Yhat_minus_Y" in bugs else -(Y / AL - (1 - Y) / (1 - AL))
        for l in range(3, 0, -1):
            (A_prev, W, _), Z = caches[l - 1]
            act = activations[l - 1]
            if "dZ_is_g_of_dA" in bugs:
                dZ = np.maximum(dA, 0) if act == "relu" else sig(dA)
            else:
                dZ = relu_backward(dA, Z) if act == "relu" else sigmoid_backward(dA, Z)
            grads[f"dW{l}"] = dZ @ (dA if "dW_uses_dA" in bugs else A_prev).T / m
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            dA = dZ @ dA.T / m if "dA_prev_without_W" in bugs and l < 3 else W.T @ dZ
            grads[f"dA{l - 1}"] = dA
        return grads
    return backward


# --- the table: check, solution, named mistakes (function, words of the message), correct alternatives ---------

STEP = "step "
EXERCISES = {
    "linear_forward": (ex.check_linear_forward, linear_forward, {
        "no b": (lambda A, W, b: (W @ A, (A, W, b)), r"b is missing.*forward step F1"),
        "W.T (square)": (lambda A, W, b: (W.T @ A + b, (A, W, b)), r"it ran only because W is square.*F1"),
        "b.T (m = n)": (lambda A, W, b: (W @ A + b.T, (A, W, b)), r"bᵀ adds one bias per example"),
        "A_prev @ W": (lambda A, W, b: (A @ W + b, (A, W, b)), r"Z has the right shape but wrong values.*F1"),
        "cache of 2": (lambda A, W, b: (W @ A + b, (A, W)), r"cache must be the tuple \(A_prev, W, b\).*F1"),
        "cache holds Z": (lambda A, W, b: (W @ A + b, (W @ A + b, W, b)),
                          r"cache\[0\] \(A_prev\).*it looks like Z: the cache keeps the inputs of F1"),
    }, {
        "einsum": lambda A, W, b: (np.einsum("nk,km->nm", W, A) + b, [A, W, b]),
        "loops": lambda A, W, b: (np.array([[sum(W[i, k] * A[k, j] for k in range(A.shape[0])) + b[i, 0]
                                             for j in range(A.shape[1])] for i in range(W.shape[0])]), (A, W, b)),
    }),
    "linear_activation_forward": (ex.check_linear_activation_forward, linear_activation_forward, {
        "A = Z": (lambda A, W, b, act: (W @ A + b, ((A, W, b), W @ A + b)), r"Z: g was not applied.*F2"),
        "always relu": (lambda A, W, b, act: (np.maximum(W @ A + b, 0), ((A, W, b), W @ A + b)),
                        r"activation = 'sigmoid'.*relu\(Z\): the other activation"),
        "cache holds A": (lambda A, W, b, act: (linear_activation_forward(A, W, b, act)[0],
                                                ((A, W, b), linear_activation_forward(A, W, b, act)[0])),
                          r"cache\[1\] \(Z\).*the cache keeps Z, the pre-activation.*F2"),
        "cache order": (lambda A, W, b, act: (linear_activation_forward(A, W, b, act)[0],
                                              (W @ A + b, (A, W, b))), r"the linear cache first.*F2"),
    }, {
        "tanh-free sigmoid via exp": lambda A, W, b, act: linear_activation_forward(A, W, b, act),
        "lists": lambda A, W, b, act: (linear_activation_forward(A, W, b, act)[0], [[A, W, b], W @ A + b]),
    }),
    "model_forward": (ex.check_model_forward, model_forward, {
        "all relu": (lambda X, p, acts: model_forward(X, p, ["relu"] * len(acts)),
                     r"AL .*every layer used relu: layer l uses activations\[l−1\].*F3"),
        "no last g": (lambda X, p, acts: (model_forward(X, p, acts)[1][-1][1], model_forward(X, p, acts)[1]),
                      r"the last layer's activation was not applied"),
        "a cache short": (lambda X, p, acts: (model_forward(X, p, acts)[0], model_forward(X, p, acts)[1][:-1]),
                          r"caches must be a list of 3 caches.*F3"),
        "caches hold A": (lambda X, p, acts: (model_forward(X, p, acts)[0],
                                              [(c[0], np.maximum(c[1], 0) if a == "relu" else sig(c[1]))
                                               for (c, a) in zip(model_forward(X, p, acts)[1], acts)]),
                          r"caches\[0\] \(layer 1\).*the cache keeps Z"),
        "wrong layer's parameters": (lambda X, p, acts: model_forward(X, {**p, "b1": p["b1"] + 0.5}, acts),
                                     r"AL has the right shape but wrong values.*forward step F3"),
    }, {
        "tuple of caches": lambda X, p, acts: (model_forward(X, p, acts)[0], tuple(model_forward(X, p, acts)[1])),
    }),
    "compute_cost": (ex.check_compute_cost, compute_cost, {
        "no minus": (lambda AL, Y: -compute_cost(AL, Y), r"wrong sign.*step F4"),
        "sum": (lambda AL, Y: compute_cost(AL, Y) * AL.shape[1], r"3× too large: the 1/m is missing.*F4"),
        "one term": (lambda AL, Y: float(-np.sum(Y * np.log(AL)) / AL.shape[1]),
                     r"the \(1 − Y\) log\(1 − A\[L\]\) term is missing"),
        "np.mean": (lambda AL, Y: float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))),
                    r"two outputs.*np.mean over every entry: that divides by n\[L\]·m = 8"),
        "log10": (lambda AL, Y: float(-np.sum(Y * np.log10(AL) + (1 - Y) * np.log10(1 - AL)) / AL.shape[1]),
                  r"a log base 10"),
        "(1, 1) array": (lambda AL, Y: np.array([[compute_cost(AL, Y)]]), r"must return one number.*shape \(1, 1\)"),
    }, {
        "np.float64": lambda AL, Y: np.float64(compute_cost(AL, Y)),
        "0-d array via dot": lambda AL, Y: -(np.sum(Y * np.log(AL)) + np.sum((1 - Y) * np.log(1 - AL))) / Y.shape[1],
        "loops": lambda AL, Y: -sum(Y[i, j] * np.log(AL[i, j]) + (1 - Y[i, j]) * np.log(1 - AL[i, j])
                                    for i in range(Y.shape[0]) for j in range(Y.shape[1])) / Y.shape[1],
    }),
    "relu_backward": (ex.check_relu_backward, relu_backward, {
        "relu of dA": (lambda dA, Z: np.maximum(dA, 0.0), r"relu′ evaluated at Z, not at dA.*step 1 of the derivation"),
        "Z >= 0": (lambda dA, Z: dA * (Z >= 0), r"relu′\(0\) is 0 in this course"),
        "relu′ alone": (lambda dA, Z: (Z > 0).astype(float), r"relu′\(Z\) alone: step 1 multiplies it by dA"),
        "dA * relu(Z)": (lambda dA, Z: dA * np.maximum(Z, 0), r"the derivative, not relu\(Z\)"),
    }, {
        "np.where": lambda dA, Z: np.where(Z > 0, dA, 0.0),
        "copy then zero": lambda dA, Z: _zeroed(dA, Z),
        "loops": lambda dA, Z: np.array([[dA[i, j] if Z[i, j] > 0 else 0.0 for j in range(Z.shape[1])]
                                         for i in range(Z.shape[0])]),
    }),
    "sigmoid_backward": (ex.check_sigmoid_backward, sigmoid_backward, {
        "σ′ at A": (lambda dA, Z: dA * sig(sig(Z)) * (1 - sig(sig(Z))), r"σ′ evaluated at A = σ\(Z\).*step 1"),
        "Z(1 − Z)": (lambda dA, Z: dA * Z * (1 - Z), r"needs σ\(Z\), not Z itself"),
        "σ(dA)": (lambda dA, Z: sig(dA), r"it does not apply σ to dA"),
        "missing (1 − σ)": (lambda dA, Z: dA * sig(Z), r"σ′ is not σ — a factor of lesson 01.s σ′ is missing"),
        "2σ′": (lambda dA, Z: 2 * dA * sig(Z) * (1 - sig(Z)), r"your σ′ is twice lesson 01.s"),
    }, {
        "stable σ": lambda dA, Z: dA * nblib.sigmoid(Z) * (1 - nblib.sigmoid(Z)),
        "via e^-z": lambda dA, Z: dA * np.exp(-Z) / (1 + np.exp(-Z)) ** 2,
    }),
    "linear_backward": (ex.check_linear_backward, linear_backward, {
        "no 1/m": (lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T, dZ.sum(axis=1, keepdims=True) / c[0].shape[1]),
                   r"dW .*the 1/m is missing.*step 2 of the derivation"),
        "m = shape[0]": (lambda dZ, c: (c[1].T @ dZ, dZ @ c[0].T / c[0].shape[0],
                                        dZ.sum(axis=1, keepdims=True) / c[0].shape[0]), r"A_prev\.shape\[0\] = 3"),
        "dA with 1/m": (lambda dZ, c: (c[1].T @ dZ / dZ.shape[1], *linear_backward(dZ, c)[1:]),
                        r"dA_prev.*an extra 1/m.*step 4 of the derivation"),
        "transpose": (lambda dZ, c: (c[1].T @ dZ, c[0] @ dZ.T / dZ.shape[1], linear_backward(dZ, c)[2]),
                      r"dW has shape \(4, 3\), expected \(3, 4\)|dW has shape \(3, 4\), expected \(4, 3\).*dW\.T"),
        "db axis 0": (lambda dZ, c: (*linear_backward(dZ, c)[:2], dZ.sum(axis=0, keepdims=True) / dZ.shape[1]),
                      r"db has shape \(1, \d\), expected \(\d, 1\).*step 3"),
        "sign of dW": (lambda dZ, c: (c[1].T @ dZ, -(dZ @ c[0].T) / dZ.shape[1], linear_backward(dZ, c)[2]),
                       r"the sign is flipped"),
    }, {
        "list": lambda *a: list(linear_backward(*a)),
        "einsum": lambda dZ, c: (np.einsum("nk,nm->km", c[1], dZ), np.einsum("nm,km->nk", dZ, c[0]) / dZ.shape[1],
                                 np.einsum("nm->n", dZ)[:, None] / dZ.shape[1]),
    }),
    "linear_activation_backward": (ex.check_linear_activation_backward, linear_activation_backward, {
        "g(dA)": (lambda dA, c, act: linear_backward(np.maximum(dA, 0) if act == "relu" else sig(dA), c[0]),
                  r"dZ = g\(dA\) instead of dA ∗ g′\(Z\) — step 1 of the derivation"),
        "g′ at A": (lambda dA, c, act: linear_backward(
            relu_backward(dA, np.maximum(c[1], 0)) if act == "relu" else sigmoid_backward(dA, sig(c[1])), c[0]),
            r"g′ was evaluated at A = g\(Z\)"),
        "no g′": (lambda dA, c, act: linear_backward(dA, c[0]), r"g′\(Z\) was not applied"),
        "other g′": (lambda dA, c, act: linear_backward(sigmoid_backward(dA, c[1]), c[0]),
                     r"the sigmoid derivative was used for a relu layer"),
        "2σ′": (lambda dA, c, act: linear_backward(relu_backward(dA, c[1]) if act == "relu"
                                                   else 2 * sigmoid_backward(dA, c[1]), c[0]),
                r"your σ′ is twice lesson 01.s"),
    }, {
        "list": lambda *a: list(linear_activation_backward(*a)),
    }),
    "model_backward": (ex.check_model_backward, model_backward, {
        "dA with 1/m": (lambda AL, Y, caches, acts: {**model_backward(AL, Y, caches, acts), **{
            k: v / AL.shape[1] for k, v in model_backward(AL, Y, caches, acts).items() if k.startswith("dA")}},
            r"grads\['dA2'\].*an extra 1/m.*central differences of J give [-\d.e]+, yours"),
        "σ′ at A": (lambda *a: mistakes.sigma_prime_of_A(*a),
                    r"grads\['dW3'\].*σ′ applied to A instead of Z \(step 1 of the derivation"),
        "no 1/m": (lambda *a: mistakes.missing_1_over_m(*a), r"grads\['dW3'\].*missing 1/m \(step 2"),
        "start A − Y": (lambda *a: mistakes.sigma_prime_twice_at_output(*a), r"step 0 of the derivation"),
        "relu′ of dA": (lambda *a: mistakes.relu_prime_of_wrong_tensor(*a), r"grads\['dW2'\].*step 1"),
        "wrong layer's cache": (lambda AL, Y, caches, acts: _shifted_caches(AL, Y, caches, acts),
                                r"IndexError.*caches\[l−1\].*step 5 of the derivation"),
        "one dW off": (lambda *a: {**model_backward(*a), "dW2": model_backward(*a)["dW2"] + 1e-3},
                       r"grads\['dW2'\].*central differences of J give [-\d.e]+, yours [-\d.e]+\) — "
                       r"step 2 of the derivation"),
    }, {
        "with dZ": lambda AL, Y, caches, acts: {**model_backward(AL, Y, caches, acts), **ex._dZ(AL, Y, caches, acts)},
    }),
    "update_parameters": (ex.check_update_parameters, update_parameters, {
        "uphill": (lambda p, g, lr: {k: v + lr * g["d" + k] for k, v in p.items()}, r"goes uphill.*step 6"),
        "no α": (lambda p, g, lr: {k: v - g["d" + k] for k, v in p.items()}, r"the learning rate α is missing"),
        "b unchanged": (lambda p, g, lr: {k: (v - lr * g["d" + k] if k[0] == "W" else v) for k, v in p.items()},
                        r"\['b1'\].*the parameter unchanged"),
        "1/m again": (lambda p, g, lr: {k: v - lr * g["d" + k] / 6 for k, v in p.items()},
                      r"grads already hold the 1/m"),
        "in place": (lambda p, g, lr: _in_place_update(p, g, lr), r"changed its input parameters in place"),
        "grads in": (lambda p, g, lr: {**update_parameters(p, g, lr), **g}, r"unexpected key"),
    }, {
        "loop": lambda p, g, lr: {f"{n}{l}": p[f"{n}{l}"] - lr * g[f"d{n}{l}"]
                                  for l in range(1, len(p) // 2 + 1) for n in "Wb"},
        "copy then -=": lambda p, g, lr: _copy_update(p, g, lr),
    }),
    "leaky_relu_backward": (ex.check_leaky_relu_backward, leaky_relu_backward, {
        "relu′": (lambda dA, Z, s: dA * (Z > 0), r"relu′: the slope of the z ≤ 0 piece.*step 1 of the derivation"),
        "swapped": (lambda dA, Z, s: dA * np.where(Z > 0, s, 1.0), r"the two slopes swapped"),
        "no dA left": (lambda dA, Z, s: np.where(Z > 0, dA, s), r"alone on the z ≤ 0 side"),
        "g′ alone": (lambda dA, Z, s: np.where(Z > 0, 1.0, s), r"leaky′\(Z\) alone: step 1 multiplies it by dA"),
        "leaky(Z)": (lambda dA, Z, s: dA * np.where(Z > 0, Z, s * Z), r"not by leaky\(Z\)"),
        "at dA": (lambda dA, Z, s: np.where(dA > 0, dA, s * dA), r"g′ evaluated at dA"),
        "−slope": (lambda dA, Z, s: np.where(Z > 0, dA, -s * dA), r"the derivative of slope·z is \+slope"),
        "Z ≥ 0": (lambda dA, Z, s: dA * np.where(Z >= 0, 1.0, s), r"takes the left slope"),
    }, {
        "mask": lambda dA, Z, s: dA * (Z > 0) + s * dA * (Z <= 0),
        "copy and scale": lambda dA, Z, s: _scaled_copy(dA, Z, s),
        "where on the factor": lambda dA, Z, s: dA * np.where(Z > 0, 1.0, s),
    }),
    "tanh_squared_error_start": (ex.check_tanh_squared_error_start, tanh_squared_error_start, {
        "no g′": (lambda AL, Y: (AL - Y, AL - Y), r"dZL.*the output's g′ was not applied.*step 1"),
        "σ′": (lambda AL, Y: (AL - Y, (AL - Y) * AL * (1 - AL)), r"that is σ′.*this output is tanh"),
        "tanh′ at A": (lambda AL, Y: (AL - Y, (AL - Y) * (1 - np.tanh(AL) ** 2)), r"tanh applied twice"),
        "no square": (lambda AL, Y: (AL - Y, (AL - Y) * (1 - AL)), r"the square is missing"),
        "sign": (lambda AL, Y: (Y - AL, (Y - AL) * (1 - AL ** 2)), r"dAL.*the sign is flipped.*step 0 for this cost"),
        "1/m": (lambda AL, Y: ((AL - Y) / AL.shape[1], (AL - Y) * (1 - AL ** 2) / AL.shape[1]),
                r"dAL.*an extra 1/m"),
        "no ½": (lambda AL, Y: (2 * (AL - Y), 2 * (AL - Y) * (1 - AL ** 2)), r"the ½ of the cost is missing"),
        "dZL with 1/m": (lambda AL, Y: (AL - Y, (AL - Y) * (1 - AL ** 2) / AL.shape[1]), r"dZL has an extra 1/m"),
        "swapped": (lambda AL, Y: tanh_squared_error_start(AL, Y)[::-1], r"dAL has the right shape but wrong values"),
    }, {
        "expanded": lambda AL, Y: (AL - Y, (AL - Y) * (1 - AL) * (1 + AL)),
        "list": lambda AL, Y: [AL - Y, (AL - Y) - (AL - Y) * AL * AL],
    }),
    "clinic_repair": (ex.check_clinic_repair, repaired_backward, {
        **{bug: (clinic({bug}), r"1 of the question's 4 mistakes remain — " + re.escape(text[:25]))
           for bug, text in mistakes.CLINIC_BUGS.items() if bug != "dA_prev_without_W"},
        "dA_prev_without_W": (clinic({"dA_prev_without_W"}), r"no W\[l\]ᵀ.*step 4 of the derivation"),
        "all four": (clinic(set(mistakes.CLINIC_BUGS)), r"4 of the question's 4 mistakes remain"),
        "two": (clinic({"dZ_is_g_of_dA", "dAL_is_Yhat_minus_Y"}),
                r"2 of the question's 4 mistakes remain.*step 0.*step 1.*\(fixed: dW_uses_dA, dA_prev_without_W\)"),
        "another bug": (lambda *a: mistakes.missing_1_over_m(*a), r"no subset of the question's mistakes.*missing 1/m"),
    }, {
        "loop form": lambda *a: {k: v for k, v in model_backward(*a).items()},
    }),
}

HELPERS = {
    "linear_forward": [lambda A, W, b: deep.linear_forward(A, W, b)],
    "linear_activation_forward": [lambda A, W, b, act: deep.linear_activation_forward(A, W, b, act),
                                  lambda A, W, b, act: (lambda Z, c: (deep._g(Z, act), (c, Z)))(
                                      *deep.linear_forward(A, W, b))],
    "model_forward": [lambda X, p, acts: deep.model_forward(X, p, acts)],
    "compute_cost": [lambda AL, Y: deep.compute_cost(AL, Y), lambda AL, Y: nblib.binary_cross_entropy(AL, Y)],
    "relu_backward": [lambda dA, Z: dA * nblib.relu_gradient(Z)],
    "sigmoid_backward": [lambda dA, Z: dA * nblib.sigmoid_gradient(Z)],
    "linear_backward": [lambda dZ, c: deep.linear_backward(dZ, c)],
    "linear_activation_backward": [lambda dA, c, act: deep.linear_activation_backward(dA, c, act)],
    "model_backward": [lambda *a: deep.model_backward(*a)],
    "update_parameters": [lambda p, g, lr: deep.update_parameters(p, g, lr)],
    "clinic_repair": [lambda *a: mistakes.clinic_backward(*a, bugs=set()), lambda *a: deep.model_backward(*a)],
    "leaky_relu_backward": [],  # no nblib helper is its answer
    "tanh_squared_error_start": [],
}


def _scaled_copy(dA, Z, s):
    dZ = dA.copy()
    dZ[Z <= 0] *= s
    return dZ


def _zeroed(dA, Z):
    dZ = dA.copy()
    dZ[Z <= 0] = 0.0
    return dZ


def _shifted_caches(AL, Y, caches, activations):
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def _in_place_update(p, g, lr):
    for k in p:
        p[k] -= lr * g["d" + k]
    return p


def _copy_update(p, g, lr):
    out = {k: v.copy() for k, v in p.items()}
    for k in out:
        out[k] -= lr * g["d" + k]
    return out


def stub(*args):
    raise NotImplementedError("Write the body of f() (see the text above), then run the check cell below.")


def fails(check, fn, pattern, **kw):
    with pytest.raises(CheckFailed) as info:
        check(fn, **kw)
    assert re.search(pattern, str(info.value), re.S), str(info.value)
    return str(info.value)


NAMES = list(EXERCISES)


def test_thirteen_exercises():
    """Lesson 05's eleven (ten of article 003's algorithm and leaky_relu_backward) and lesson 06's two."""
    assert len(EXERCISES) == 13


@pytest.mark.parametrize("name", NAMES)
def test_stub_fails_not_written_yet(name):
    message = fails(EXERCISES[name][0], stub, "not written yet")
    assert "\n" not in message and "step" not in message


@pytest.mark.parametrize("name", NAMES)
def test_solution_and_alternatives_pass(name, capsys):
    check, good, _, right = EXERCISES[name]
    check(good)
    for fn in right.values():
        check(fn)
    assert capsys.readouterr().out.count("✔") == 1 + len(right)


@pytest.mark.parametrize("name", NAMES)
def test_named_mistakes(name):
    check, _, wrong, _ = EXERCISES[name]
    assert len(wrong) >= 3
    messages = set()
    for fn, pattern in wrong.values():
        messages.add(fails(check, fn, pattern, seed=11))
    assert len(messages) == len(wrong)  # each mistake has its own message


@pytest.mark.parametrize("name", NAMES)
def test_wrong_values_name_the_derivation_step(name):
    check, _, wrong, _ = EXERCISES[name]
    for fn, _ in wrong.values():
        message = fails(check, fn, ".", seed=3)
        if "has the right shape but wrong values" in message or "mistakes remain" in message:
            assert re.search(r"step [0-6F]", message), message


@pytest.mark.parametrize("name", [n for n in NAMES if HELPERS[n]])
def test_the_nblib_answer_is_refused(name):
    for fn in HELPERS[name]:
        fails(EXERCISES[name][0], fn, r"write it yourself — this exercise is what nblib\.[\w.]+ does")


@pytest.mark.parametrize("name", NAMES)
def test_float32_in_place_and_hard_coded_fail(name):
    check, good, _, _ = EXERCISES[name]
    fails(check, M.as_float32(good), "dtype float32, expected float64")
    fails(check, M.in_place(good, 0), "in place")
    message = fails(check, M.hard_coded(check, good), "random case")
    seed = int(re.search(r"seed=(\d+)", message).group(1))
    fails(check, M.hard_coded(check, good), f"seed {seed}", seed=seed)


def _spy(check, good):
    seen = []

    def fn(*args):
        seen.append(args)
        return good(*args)

    check(fn, seed=5)
    return seen


@pytest.mark.parametrize("name", ["linear_forward", "linear_activation_forward", "relu_backward",
                                  "sigmoid_backward", "linear_backward", "linear_activation_backward",
                                  "leaky_relu_backward"])
def test_layer_checks_cover_m_equal_to_n_other_m_and_m_1(name, capsys):
    check, good, _, _ = EXERCISES[name]
    shapes = set()
    for args in _spy(check, good):
        first = args[0]
        n, m = (first.shape if name in ("relu_backward", "sigmoid_backward", "linear_backward",
                                        "linear_activation_backward", "leaky_relu_backward")
                else (args[1].shape[0], first.shape[1]))
        shapes.add((n, m))
    assert any(n == m for n, m in shapes) and any(n != m and m > 1 for n, m in shapes)
    assert any(m == 1 for _, m in shapes) and any(n >= 2 for n, _ in shapes)


@pytest.mark.parametrize("name", ["model_forward", "model_backward", "clinic_repair"])
def test_net_checks_cover_m_equal_to_n_hidden_m_1_and_several_outputs(name, capsys):
    check, good, _, _ = EXERCISES[name]
    sizes = []
    for args in _spy(check, good):
        if name == "model_forward":
            X, p = args[0], args[1]
            hidden = [p[f"W{l}"].shape[0] for l in range(1, len(p) // 2)]
            sizes.append((X.shape[1], hidden, p[f"W{len(p) // 2}"].shape[0]))
        else:
            AL, caches = args[0], args[2]
            sizes.append((AL.shape[1], [c[1].shape[0] for c in caches[:-1]], AL.shape[0]))
    assert any(m in hidden for m, hidden, _ in sizes) and any(m not in hidden and m > 1 for m, hidden, _ in sizes)
    assert any(m == 1 for m, _, _ in sizes) and any(out >= 2 for _, _, out in sizes)


def test_compute_cost_covers_several_outputs_and_m_1(capsys):
    seen = _spy(ex.check_compute_cost, compute_cost)
    assert any(AL.shape[1] == 1 for AL, _ in seen) and any(AL.shape[0] >= 2 for AL, _ in seen)


def test_update_covers_several_outputs(capsys):
    seen = _spy(ex.check_update_parameters, update_parameters)
    assert any(p[f"W{len(p) // 2}"].shape[0] >= 2 for p, _, _ in seen)


def test_clinic_diagnosis_names_every_mistake_of_the_asker():
    text = ex.clinic_diagnosis(clinic(set(mistakes.CLINIC_BUGS)))
    assert text.startswith("4 of the question's 4 mistakes present")
    assert ex.clinic_diagnosis(repaired_backward).startswith("0 of") or "present" not in \
        ex.clinic_diagnosis(lambda *a: {})


def test_clinic_subsets_are_told_apart():
    """Every subset of the four mistakes that runs gives gradients no other subset gives (on the lesson's net)."""
    case = ex._clinic_cases(0)[0]
    _, dims, X, Y, init_seed = case
    parameters = deep.initialize_parameters(dims, seed=init_seed)
    AL, caches = deep.model_forward(X, parameters, ex.CLINIC_ACTIVATIONS)
    for bugs in ex._SUBSETS:
        try:
            grads = mistakes.clinic_backward(AL, Y, caches, ex.CLINIC_ACTIVATIONS, bugs=bugs)
        except ValueError:
            continue
        assert ex.clinic_remaining([(case, grads)]) == [bugs]


# --- every derivative the exercises ask for, against central differences in float64 -----------------------------


def _net(dims, m, seed):
    rng = np.random.default_rng(seed)
    parameters = deep.initialize_parameters(dims, seed=seed)
    for l in range(1, len(dims)):
        parameters[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    X = rng.normal(0, 1, (dims[0], m))
    Y = (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float)
    return parameters, X, Y


@pytest.mark.parametrize("dims, m", [([3, 5, 4, 1], 6), ([3, 4, 4, 2], 4), ([3, 5, 4, 1], 1), ([2, 3, 3], 3)])
def test_model_backward_dW_db_against_central_differences(dims, m):
    parameters, X, Y = _net(dims, m, 7)
    acts = ["relu"] * (len(dims) - 2) + ["sigmoid"]
    AL, caches = model_forward(X, parameters, acts)
    grads = model_backward(AL, Y, caches, acts)
    report = nblib.check_gradients(deep.cost_of(X, Y, acts), parameters, grads,
                                   ignore=[k for k in grads if k.startswith("dA")])
    assert report.ok, report


@pytest.mark.parametrize("dims, m", [([3, 5, 4, 1], 6), ([3, 4, 4, 2], 4), ([3, 5, 4, 1], 1)])
def test_every_dA_and_dZ_against_central_differences(dims, m):
    """Ninja style: dA[l] / m is ∂J/∂A[l] (deep.cost_from), dZ[l] / m is ∂J/∂Z[l] — each layer on its own."""
    parameters, X, Y = _net(dims, m, 8)
    acts = ["relu"] * (len(dims) - 2) + ["sigmoid"]
    AL, caches = model_forward(X, parameters, acts)
    grads = model_backward(AL, Y, caches, acts)
    dZ = ex._dZ(AL, Y, caches, acts)
    L = len(caches)
    for l in range(L):
        A_l = caches[l][0][0].copy()
        report = nblib.check_gradients(deep.cost_from(l, Y, parameters, acts), {f"A{l}": A_l},
                                       {f"dA{l}": grads[f"dA{l}"] / m})
        assert report.ok, report
    for l in range(1, L):
        f = deep.cost_from(l, Y, parameters, acts)
        report = nblib.check_gradients(lambda v, f=f, l=l: f({f"A{l}": deep._g(v[f"Z{l}"], acts[l - 1])}),
                                       {f"Z{l}": caches[l - 1][1].copy()}, {f"dZ{l}": dZ[f"dZ{l}"] / m})
        assert report.ok, report
    ZL = caches[-1][1].copy()
    report = nblib.check_gradients(lambda v: float(np.sum(np.logaddexp(0, v["ZL"]) - Y * v["ZL"])) / m,
                                   {"ZL": ZL}, {"dZL": dZ[f"dZ{L}"] / m})
    assert report.ok, report


def test_ninja_numbers_match_the_reference_entry_by_entry():
    parameters, X, Y = _net([3, 4, 4, 2], 4, 9)
    acts = ["relu", "relu", "sigmoid"]
    AL, caches = deep.model_forward(X, parameters, acts)
    grads = {**deep.model_backward(AL, Y, caches, acts), **ex._dZ(AL, Y, caches, acts)}
    for key, value in grads.items():
        numerical = ex._numerical_entry(key, (1, 0), X, Y, parameters, acts)
        assert np.isclose(numerical, value[1, 0], rtol=1e-6, atol=1e-8), key


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_one_layer_backward_against_central_differences(activation):
    rng = np.random.default_rng(4)
    A_prev, W, b = rng.normal(0, 1, (3, 5)), rng.normal(0, 1, (4, 3)), rng.normal(0, 1, (4, 1))
    G = rng.normal(0, 1, (4, 5))  # J = Σ G ∗ A / m, so dA = G in step 4's convention

    def J(p):
        A, _ = linear_activation_forward(p["A_prev"], p["W"], p["b"], activation)
        return float(np.sum(G * A)) / 5

    _, cache = linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = linear_activation_backward(G, cache, activation)
    report = nblib.check_gradients(J, {"A_prev": A_prev, "W": W, "b": b},
                                   {"A_prev": dA_prev / 5, "W": dW, "b": db})
    assert report.ok, report
    Z = cache[1]
    dZ = (relu_backward if activation == "relu" else sigmoid_backward)(G, Z)
    report = nblib.check_gradients(lambda v: float(np.sum(G * deep._g(v["Z"], activation))), {"Z": Z.copy()},
                                   {"Z": dZ})
    assert report.ok, report


def test_cost_gradient_is_step_0():
    """dA[L] of step 0 is m·∂J/∂A[L] for the cost of compute_cost."""
    rng = np.random.default_rng(2)
    AL, Y = rng.uniform(0.1, 0.9, (2, 5)), (rng.uniform(size=(2, 5)) > 0.5).astype(float)
    report = nblib.check_gradients(lambda v: compute_cost(v["AL"], Y), {"AL": AL},
                                   {"AL": -(Y / AL - (1 - Y) / (1 - AL)) / 5})
    assert report.ok, report
    assert compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]])) == pytest.approx(
        0.2797765635793422, abs=1e-15)


# --- issue 25: derive-it-yourself references against central differences; messages that name the right step ------


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.3, 0.99])
def test_leaky_relu_backward_against_central_differences(slope):
    rng = np.random.default_rng(12)
    Z = rng.normal(0, 1, (4, 5))
    Z[np.abs(Z) < 0.05] += 0.2  # away from the kink, where the derivative is one-sided
    G = rng.normal(0, 1, (4, 5))
    report = nblib.check_gradients(lambda v: float(np.sum(G * np.where(v["Z"] > 0, v["Z"], slope * v["Z"]))),
                                   {"Z": Z.copy()},
                                   {"Z": ex.leaky_relu_backward_reference(G, Z, slope)}, threshold=1e-7)
    assert report.ok, report


@pytest.mark.parametrize("n, m", [(1, 6), (2, 2), (3, 1)])
def test_tanh_squared_error_start_against_central_differences(n, m):
    """dAL / m = ∂J/∂A[L] and dZL / m = ∂J/∂Z[L] for J = (1/2m) Σ (tanh(Z[L]) − Y)²."""
    rng = np.random.default_rng(n * 10 + m)
    Z, Y = rng.normal(0, 1, (n, m)), rng.uniform(-1, 1, (n, m))
    dAL, dZL = ex.tanh_squared_error_start_reference(np.tanh(Z), Y)
    report = nblib.check_gradients(lambda v: float(np.sum((v["A"] - Y) ** 2)) / (2 * m), {"A": np.tanh(Z)},
                                   {"A": dAL / m}, threshold=1e-7)
    assert report.ok, report
    report = nblib.check_gradients(lambda v: float(np.sum((np.tanh(v["Z"]) - Y) ** 2)) / (2 * m), {"Z": Z.copy()},
                                   {"Z": dZL / m}, threshold=1e-7)
    assert report.ok, report


def test_a_stub_an_exercise_calls_is_named():
    def linear_forward_stub(A_prev, W, b):
        raise NotImplementedError

    def mine(A_prev, W, b, activation):
        Z, cache = linear_forward_stub(A_prev, W, b)
        return np.maximum(Z, 0), (cache, Z)

    linear_forward_stub.__code__ = linear_forward_stub.__code__.replace(co_name="linear_forward")
    message = fails(ex.check_linear_activation_forward, mine, "calls your linear_forward, which is not written yet")
    assert "linear_activation_forward is not written" not in message


def _with_start(start):
    def backward(AL, Y, caches, activations):
        grads, dA = {}, start(AL, Y)
        for l in range(len(caches), 0, -1):
            dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activations[l - 1])
            grads[f"dA{l - 1}"] = dA
        return grads
    return backward


def _with_hidden_prime(factor):
    def backward(AL, Y, caches, activations):
        grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
        for l in range(len(caches), 0, -1):
            (A_prev, W, _), Z = caches[l - 1]
            dZ = sigmoid_backward(dA, Z) if activations[l - 1] == "sigmoid" else dA * (Z > 0) * factor
            dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, (A_prev, W, _))
            grads[f"dA{l - 1}"] = dA
        return grads
    return backward


@pytest.mark.parametrize("check", [ex.check_model_backward, ex.check_clinic_repair])
def test_a_wrong_start_is_not_blamed_on_step_2(check):
    """Issue 25 §7: the step named is the wrong one, not the step of the first wrong key (dW[L])."""
    message = fails(check, _with_start(lambda AL, Y: -(Y / AL)), r"all wrong.*step 0 of the derivation")
    assert "step 2 of" not in message


@pytest.mark.parametrize("check", [ex.check_model_backward, ex.check_clinic_repair])
def test_a_wrong_hidden_derivative_is_blamed_on_step_1(check):
    message = fails(check, _with_hidden_prime(0.5), r"dA2 from the layer above is right.*step 1 of the derivation")
    assert "step 2 of" not in message and "step 4 of" not in message


def test_linear_activation_backward_blames_step_1_for_a_wrong_g_prime():
    def mine(dA, cache, activation):
        linear_cache, Z = cache
        return linear_backward(dA * (Z > 0) * 0.5 if activation == "relu" else sigmoid_backward(dA, Z), linear_cache)

    message = fails(ex.check_linear_activation_backward, mine, r"step 1 of the derivation")
    assert "step 4 of" not in message
