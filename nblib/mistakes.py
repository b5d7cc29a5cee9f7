"""Buggy backward passes for lesson 05's mistake clinic and mistake zoo, next to the right one.

Every function here has the signature of :func:`nblib.deep.model_backward` (or says otherwise), so a
lesson or a test can hand it to :func:`nblib.gradcheck.check_gradients` and watch the report name the
wrong gradients. The bugs are deliberate; read them as "what not to write".
"""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.activations import relu, relu_gradient, sigmoid, sigmoid_gradient

# --- The clinic: article 004's question, equation by equation ------------------------------------------

# Each entry: the question's own equation (its words in quotes where it gives them) and what it breaks. Its
# dA[2] = W[3]ᵀ · dZ[3] is right and is kept; its "instead of this" formula −(Y/A − (1 − Y)/A) is the one it
# rejects, so it is not a bug of the question.
CLINIC_BUGS = {
    "dAL_is_Yhat_minus_Y": "dA[L] = Ŷ − Y (the question's \"this should be done\"): that is dZ[L], not dA[L]",
    "dZ_is_g_of_dA": "dZ[l] = g(dA[l]) (\"σ(∂AL)\", \"relu(∂A[2])\") instead of dA[l] ∗ g′(Z[l])",
    "dW_uses_dA": "dW[l] = (1/m) dZ[l] · dA[l]ᵀ (dW[3] with ∂ALᵀ) instead of (1/m) dZ[l] · A[l−1]ᵀ",
    "dA_prev_without_W": "dA[l−1] = (1/m) dZ[l] · dA[l]ᵀ below the top layer (the question's dA[1], dA[0]): "
                         "no W[l]ᵀ, instead of W[l]ᵀ · dZ[l]",
}


def clinic_backward(AL, Y, caches, activations, bugs=frozenset(CLINIC_BUGS)) -> dict:
    """model_backward with any subset of the question's four mistakes switched on, each where the question puts it.

    With ``dA_prev_without_W`` the layers below get square (n[l], n[l]) arrays, as the question's equations do;
    a step that then cannot run raises a ValueError that says which equation broke.
    """
    unknown = set(bugs) - set(CLINIC_BUGS)
    if unknown:
        raise ValueError(f"unknown bugs {sorted(unknown)}; choose from {sorted(CLINIC_BUGS)}")
    m = AL.shape[1]
    L = len(caches)
    grads = {}
    dA = AL - Y if "dAL_is_Yhat_minus_Y" in bugs else -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        (A_prev, W, _), Z = caches[l - 1]
        activation = activations[l - 1]
        if "dZ_is_g_of_dA" in bugs:
            dZ = deep._g(dA, activation)
        elif dA.shape != Z.shape:
            raise ValueError(f"dZ{l} = dA{l} ∗ g′(Z{l}) cannot run: dA{l} is {dA.shape} (from the question's "
                             f"dA[{l}] without W), Z{l} is {Z.shape}")
        else:
            dZ = dA * deep._g_prime(Z, activation)
        grads[f"dW{l}"] = (dZ @ (dA if "dW_uses_dA" in bugs else A_prev).T) / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
        dA_prev = (dZ @ dA.T) / m if "dA_prev_without_W" in bugs and l < L else W.T @ dZ
        grads[f"dA{l - 1}"] = dA = dA_prev
    return grads


# --- The zoo: classic bugs, each one function -----------------------------------------------------------


def _walk(AL, Y, caches, activations, *, dZ_rule=None, dW_rule=None, db_rule=None, dA_rule=None, dAL=None):
    """A model_backward whose steps can be replaced one at a time (the right rule is the default)."""
    m = AL.shape[1]
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL)) if dAL is None else dAL(AL, Y)
    for l in range(len(caches), 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        act = activations[l - 1]
        dZ = dZ_rule(dA, Z, act) if dZ_rule else dA * deep._g_prime(Z, act)
        grads[f"dW{l}"] = dW_rule(dZ, A_prev, m) if dW_rule else dZ @ A_prev.T / m
        grads[f"db{l}"] = db_rule(dZ, m) if db_rule else dZ.sum(axis=1, keepdims=True) / m
        dA = dA_rule(W, dZ) if dA_rule else W.T @ dZ
        grads[f"dA{l - 1}"] = dA
    return grads


def missing_transpose(AL, Y, caches, activations):
    """dW = (1/m) A_prev dZᵀ: the product the wrong way round, so dW comes out transposed."""
    return _walk(AL, Y, caches, activations, dW_rule=lambda dZ, A_prev, m: A_prev @ dZ.T / m)


def missing_1_over_m(AL, Y, caches, activations):
    """dW = dZ A_prevᵀ without the 1/m of the mean cost."""
    return _walk(AL, Y, caches, activations, dW_rule=lambda dZ, A_prev, m: dZ @ A_prev.T)


def sigma_prime_of_A(AL, Y, caches, activations):
    """σ′ evaluated at the activation A = σ(Z) instead of at Z."""
    def rule(dA, Z, act):
        if act == "sigmoid":
            return dA * sigmoid_gradient(sigmoid(Z))
        return dA * deep._g_prime(Z, act)
    return _walk(AL, Y, caches, activations, dZ_rule=rule)


def db_wrong_axis(AL, Y, caches, activations):
    """db summed over units (axis 0) instead of over examples (axis 1)."""
    return _walk(AL, Y, caches, activations, db_rule=lambda dZ, m: dZ.sum(axis=0, keepdims=True) / m)


def db_without_keepdims(AL, Y, caches, activations):
    """db = (1/m) np.sum(dZ, axis=1) without keepdims: shape (n,), which broadcasts in b − α db."""
    return _walk(AL, Y, caches, activations, db_rule=lambda dZ, m: dZ.sum(axis=1) / m)


def relu_prime_of_wrong_tensor(AL, Y, caches, activations):
    """relu′ taken from dA (dA > 0) instead of from Z (Z > 0)."""
    def rule(dA, Z, act):
        if act == "relu":
            return dA * (dA > 0)
        return dA * deep._g_prime(Z, act)
    return _walk(AL, Y, caches, activations, dZ_rule=rule)


def sigma_prime_twice_at_output(AL, Y, caches, activations):
    """dA[L] replaced by the shortcut A − Y (which is already dZ[L]) and then multiplied by σ′(Z[L]) again."""
    return _walk(AL, Y, caches, activations, dAL=lambda AL, Y: AL - Y)


def update_inside_backward(parameters, learning_rate):
    """Returns a backward that updates each W in place *during* the backward pass (the caches hold the
    same arrays), so dA[l−1] = W[l]ᵀ dZ[l] uses an already-updated W[l]."""
    def backward(AL, Y, caches, activations):
        m = AL.shape[1]
        grads = {}
        dA = -(Y / AL - (1 - Y) / (1 - AL))
        for l in range(len(caches), 0, -1):
            (A_prev, W, _), Z = caches[l - 1]
            dZ = dA * deep._g_prime(Z, activations[l - 1])
            grads[f"dW{l}"] = dZ @ A_prev.T / m
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            W -= learning_rate * grads[f"dW{l}"]          # the bug: an in-place update of a cached array
            dA = W.T @ dZ
            grads[f"dA{l - 1}"] = dA
        return grads
    return backward


def update_with_wrong_sign(parameters, grads, learning_rate):
    """W ← W + α dW: the gradients are right, the step goes uphill (a gradient check cannot see it)."""
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}


ZOO = {
    "missing transpose": missing_transpose,
    "missing 1/m": missing_1_over_m,
    "σ′ applied to A instead of Z": sigma_prime_of_A,
    "db summed over the wrong axis": db_wrong_axis,
    "db without keepdims": db_without_keepdims,
    "relu′ taken from the wrong tensor": relu_prime_of_wrong_tensor,
    "σ′ applied twice at the output": sigma_prime_twice_at_output,
}


# --- Fan-out: a value that feeds two places must accumulate its gradient ---------------------------------


def skip_forward(X, p):
    """A1 = relu(W1 X + b1); A2 = relu(W2 A1 + b2) + A1 (a skip connection: A1 feeds two places);
    A3 = σ(W3 A2 + b3). Returns (A3, cache)."""
    Z1 = p["W1"] @ X + p["b1"]
    A1 = relu(Z1)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = relu(Z2) + A1
    Z3 = p["W3"] @ A2 + p["b3"]
    return sigmoid(Z3), (X, Z1, A1, Z2, A2, Z3)


def skip_backward(AL, Y, cache, p, accumulate: bool = True) -> dict:
    """Gradients of the skip network; ``accumulate=False`` overwrites dA1 with one path's share (the bug)."""
    X, Z1, A1, Z2, A2, Z3 = cache
    m = X.shape[1]
    dZ3 = AL - Y
    grads = {"dW3": dZ3 @ A2.T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m}
    dA2 = p["W3"].T @ dZ3
    dZ2 = dA2 * relu_gradient(Z2)
    grads.update({"dW2": dZ2 @ A1.T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m})
    dA1 = p["W2"].T @ dZ2
    if accumulate:
        dA1 = dA1 + dA2          # the skip path's share, added
    dZ1 = dA1 * relu_gradient(Z1)
    grads.update({"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m})
    return grads


def skip_cost(X, Y):
    return lambda p: deep.compute_cost(skip_forward(X, p)[0], Y)


def loss_curve(X, Y, parameters, activations, learning_rate, steps, update=deep.update_parameters):
    """Cost before each of ``steps`` gradient-descent steps and after the last, with a given update rule."""
    costs = []
    p = {k: v.copy() for k, v in parameters.items()}
    for _ in range(steps):
        AL, caches = deep.model_forward(X, p, activations)
        costs.append(deep.compute_cost(AL, Y))
        p = update(p, deep.model_backward(AL, Y, caches, activations), learning_rate)
    costs.append(deep.compute_cost(deep.model_forward(X, p, activations)[0], Y))
    return np.array(costs)
