"""Buggy backward passes for lesson 06's mistake clinic and mistake zoo, next to the right one.

Every function here has the signature of :func:`nblib.deep.model_backward` (or says otherwise), so a
lesson or a test can hand it to :func:`nblib.gradcheck.check_gradients` and watch the report name the
wrong gradients. The bugs are deliberate; read them as "what not to write".
"""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib._exercise_guard import exercise_answer
from nblib.activations import relu, relu_gradient, sigmoid, sigmoid_gradient
from nblib.shapes import ShapeError, expect_shape
from nblib.validate import (
    MAX_STEPS,
    as_float_array,
    check_2d,
    check_agree,
    check_callable,
    check_dict,
    check_finite_result,
    check_scalar,
    check_size,
    diverged,
)

# --- The clinic: article 004's question, equation by equation ------------------------------------------

# Each entry: the question's own equation (its words in quotes where it gives them) and what it breaks. Its
# dA[2] = W[3]ᵀ · dZ[3] is right and is kept; its "instead of this" formula −(Y/A − (1 − Y)/A) is the one it
# rejects, so it is not a bug of the question.
CLINIC_BUGS = {
    "dAL_is_Yhat_minus_Y": "dA[L] = Ŷ − Y (the question's \"this should be done\"): that is dZ[L], not dA[L]",
    "dZ_is_g_of_dA": "dZ[l] = g(dA[l]) (\"σ(∂AL)\", \"relu(∂A[2])\"): the activation applied to dA, where the chain "
                     "rule multiplies by a derivative",
    "dW_uses_dA": "dW[l] = (1/m) dZ[l] · dA[l]ᵀ (dW[3] with ∂ALᵀ): this layer's dA, where in F1 W[l] multiplies "
                  "the layer below's activation",
    "dA_prev_without_W": "dA[l−1] = (1/m) dZ[l] · dA[l]ᵀ below the top layer (the question's dA[1], dA[0]): "
                         "no W[l] at all (it repeats the dW line)",
}


@exercise_answer
def clinic_backward(AL, Y, caches, activations, bugs=frozenset(CLINIC_BUGS)) -> dict:
    """model_backward with any subset of the question's four mistakes switched on, each where the question puts it.

    With ``dA_prev_without_W`` the layers below get square (n[l], n[l]) arrays, as the question's equations do;
    a step that then cannot run raises a ValueError that says which equation broke.
    """
    AL, Y, caches, activations = deep._backward_inputs(AL, Y, caches, activations)
    if isinstance(bugs, str) or not hasattr(bugs, "__iter__"):
        raise TypeError(f"bugs must be a set of names from {sorted(CLINIC_BUGS)}, got {bugs!r:.40}")
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
    AL, Y, caches, activations = deep._backward_inputs(AL, Y, caches, activations)
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
    deep._check_parameters(parameters)
    deep._checked_update(parameters, {f"d{k}": v for k, v in parameters.items()}, learning_rate)

    def backward(AL, Y, caches, activations):
        AL, Y, caches, activations = deep._backward_inputs(AL, Y, caches, activations)
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
            check_finite_result(dA, f"dA{l - 1} (from the W{l} updated in place)", "learning_rate")
            grads[f"dA{l - 1}"] = dA
        return grads
    return backward


def update_with_wrong_sign(parameters, grads, learning_rate):
    """W ← W + α dW: the gradients are right, the step goes uphill (a gradient check cannot see it)."""
    return {name: value + learning_rate * grad for name, value, grad in deep._checked_update(parameters, grads,
                                                                                             learning_rate)}


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


_SKIP_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def _skip_params(X, p):
    """X and the skip network's p as float64, shapes checked layer by layer (layer 2 keeps layer 1's size)."""
    check_dict("p", p, _SKIP_KEYS)
    X = check_2d("X", as_float_array("X", X), "(features, m)")
    q, A = {}, X
    for l in (1, 2, 3):
        names = ("X" if l == 1 else f"A{l - 1}", f"p['W{l}']", f"p['b{l}']")
        q[f"W{l}"], q[f"b{l}"] = deep._checked_layer(A, p[f"W{l}"], p[f"b{l}"], names, a_fixed=l > 1)
        A = np.empty((q[f"W{l}"].shape[0], X.shape[1]))  # only its shape is used
    if q["W2"].shape[0] != q["W1"].shape[0]:
        raise ShapeError(f"p['W2'] has shape {q['W2'].shape}, expected {(q['W1'].shape[0],) * 2}: the skip "
                         "connection adds A1 to relu(Z2), so layer 2 keeps layer 1's size")
    return X, q


def skip_forward(X, p):
    """A1 = relu(W1 X + b1); A2 = relu(W2 A1 + b2) + A1 (a skip connection: A1 feeds two places);
    A3 = σ(W3 A2 + b3). Returns (A3, cache)."""
    X, p = _skip_params(X, p)
    Z1 = p["W1"] @ X + p["b1"]
    A1 = relu(Z1)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = relu(Z2) + A1
    Z3 = p["W3"] @ A2 + p["b3"]
    return sigmoid(Z3), (X, Z1, A1, Z2, A2, Z3)


def skip_backward(AL, Y, cache, p, accumulate: bool = True) -> dict:
    """Gradients of the skip network; ``accumulate=False`` overwrites dA1 with one path's share (the bug)."""
    if not isinstance(cache, tuple) or len(cache) != 6 or not all(isinstance(a, np.ndarray) for a in cache):
        raise TypeError("cache must be the tuple (X, Z1, A1, Z2, A2, Z3) returned by skip_forward, got "
                        f"a {type(cache).__name__}")
    X, Z1, A1, Z2, A2, Z3 = cache
    _, p = _skip_params(X, p)
    AL = expect_shape("AL", as_float_array("AL", AL), Z3.shape)
    Y = expect_shape("Y", as_float_array("Y", Y), Z3.shape)
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
    """``f(p) → J`` for the skip network, the function a gradient check differentiates."""
    X = check_2d("X", as_float_array("X", X), "(features, m)")
    Y = check_2d("Y", as_float_array("Y", Y), "(outputs, m)")
    check_agree("examples (columns)", ("X", X.shape[1]), ("Y", Y.shape[1]))
    return lambda p: deep.compute_cost(skip_forward(X, p)[0], Y)


def loss_curve(X, Y, parameters, activations, learning_rate, steps, update=deep.update_parameters):
    """Cost before each of ``steps`` gradient-descent steps and after the last, with a given update rule."""
    X = check_2d("X", as_float_array("X", X), "(features, m)")
    deep._check_network(parameters, activations, X, check_2d("Y", as_float_array("Y", Y), "(outputs, m)"))
    check_scalar("learning_rate", learning_rate, low=0.0)
    check_size("steps", steps, MAX_STEPS, "gradient steps", low=0)
    check_callable("update", update, "a function update(parameters, grads, learning_rate)")
    costs = []
    p = {k: v.copy() for k, v in parameters.items()}
    for step in range(steps):
        try:
            AL, caches = deep.model_forward(X, p, activations)
            costs.append(deep.compute_cost(AL, Y))
            grads = deep.model_backward(AL, Y, caches, activations)
        except ValueError as exc:  # the inputs were checked above: the parameters blew up
            raise diverged(exc, f"at step {step}", learning_rate) from None
        p = update(p, grads, learning_rate)
    costs.append(deep.compute_cost(deep.model_forward(X, p, activations)[0], Y))
    return np.array(costs)
