"""An L-layer network in article 003's notation with the Deep Learning Specialization's conventions
(lesson 05 derives every function here).

Layout: A[0] = X is (n[0], m), columns are examples; W[l] is (n[l], n[l−1]), b[l] is (n[l], 1)::

    Z[l] = W[l] A[l−1] + b[l]          A[l] = g[l](Z[l])
    J    = −(1/m) Σ [Y log A[L] + (1 − Y) log(1 − A[L])]

Backward, layer by layer from l = L down to 1 (dX means ∂J/∂X)::

    dA[L]   = −(Y / A[L] − (1 − Y) / (1 − A[L]))
    dZ[l]   = dA[l] ∗ g[l]′(Z[l])
    dW[l]   = (1/m) dZ[l] A[l−1]ᵀ       db[l] = (1/m) Σ_examples dZ[l]   (keepdims)
    dA[l−1] = W[l]ᵀ dZ[l]

Caches: ``linear_forward`` returns ``(A_prev, W, b)``; ``linear_activation_forward`` returns
``((A_prev, W, b), Z)``; grads are keyed ``dA{l-1}``, ``dW{l}``, ``db{l}``.
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.losses import binary_cross_entropy
from nblib.shapes import expect_shape
from nblib.validate import as_float_array, check_scalar

ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear")


# _g and _g_prime run inside the forward and backward passes on arrays those passes made themselves, so they skip
# the input checks of nblib.activations (a full pass over Z each); relu and relu_gradient say the same thing.
def _g(Z, activation):
    if activation == "relu":
        return np.maximum(Z, 0.0)
    if activation == "sigmoid":
        return sigmoid(Z)
    if activation == "tanh":
        return np.tanh(Z)
    return Z


def _g_prime(Z, activation):
    if activation == "relu":
        return (Z > 0).astype(np.float64)
    if activation == "sigmoid":
        return sigmoid_gradient(Z)
    if activation == "tanh":
        return 1.0 - np.tanh(Z) ** 2
    return np.ones_like(Z)


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def initialize_parameters(layer_dims, seed: int = 1, scale: str | float = "he") -> dict:
    """``{"W1", "b1", …, "WL", "bL"}`` with W[l] (n[l], n[l−1]) random and b[l] (n[l], 1) zero.

    ``scale="he"`` draws W[l] ~ N(0, 2 / n[l−1]) (He et al. 2015), which keeps relu activations
    from shrinking or exploding layer after layer; a number uses that fixed standard deviation.
    Never all zeros: identical units would stay identical and hide a wrong backward pass.
    """
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims must list at least two layer sizes, e.g. [4, 5, 1], got {layer_dims!r}")
    for i, n in enumerate(layer_dims):
        check_scalar(f"layer_dims[{i}]", n, low=1, integer=True)
    check_scalar("seed", seed, low=0, integer=True)
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        std = np.sqrt(2.0 / n_prev) if scale == "he" else check_scalar("scale", scale, low=0.0, inclusive=False)
        parameters[f"W{l}"] = rng.normal(0.0, std, (n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def _checked_layer(A_prev, W, b):
    """W and b as float64 arrays, with shapes that fit each other and A_prev (itself already checked)."""
    W = as_float_array("W", W)
    b = as_float_array("b", b)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D (n[l], n[l-1]), got shape {W.shape}")
    expect_shape("A_prev", A_prev, (W.shape[1], None))
    expect_shape("b", b, (W.shape[0], 1))
    return W, b


def _linear_forward(A_prev, W, b):
    Z = W @ A_prev
    Z += b  # in place: one (n[l], m) array instead of two (a large batch pays for every new array)
    return Z, (A_prev, W, b)


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b; returns ``(Z, (A_prev, W, b))``."""
    A_prev = as_float_array("A_prev", A_prev)
    return _linear_forward(A_prev, *_checked_layer(A_prev, W, b))


def linear_activation_forward(A_prev, W, b, activation: str):
    """A = g(W A_prev + b); returns ``(A, ((A_prev, W, b), Z))``."""
    _check_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return _g(Z, activation), (linear_cache, Z)


def _layers(parameters) -> int:
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict {{'W1', 'b1', …}}, got {type(parameters).__name__}")
    L = len([k for k in parameters if k.startswith("W")])
    missing = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}") if k not in parameters]
    if L == 0 or missing:
        raise KeyError(f"parameters must hold W1, b1, …, WL, bL; missing {missing or ['W1', 'b1']}")
    return L


def model_forward(X, parameters, activations):
    """Forward through all L layers; returns ``(AL, caches)`` with one cache per layer."""
    L = _layers(parameters)
    if len(activations) != L:
        raise ValueError(f"activations must name one activation per layer ({L}), got {len(activations)}: "
                         f"{list(activations)}")
    A = as_float_array("X", X)  # checked once here; every later A is this pass's own output
    caches = []
    for l in range(1, L + 1):
        _check_activation(activations[l - 1])
        Z, linear_cache = _linear_forward(A, *_checked_layer(A, parameters[f"W{l}"], parameters[f"b{l}"]))
        caches.append((linear_cache, Z))
        A = _g(Z, activations[l - 1])
    return A, caches


def compute_cost(AL, Y) -> float:
    """Binary cross-entropy, the mean over the m examples (columns)."""
    return binary_cross_entropy(AL, Y)


@exercise_answer
def linear_backward(dZ, cache, need_dA_prev: bool = True):
    """From dZ[l] to ``(dA_prev, dW, db)``: dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ dZ, dA_prev = Wᵀ dZ.

    ``need_dA_prev=False`` skips the product Wᵀ dZ (returns None for it): training never needs dA[0], and for
    a wide input layer it is a third of the backward pass (benchmarks/bench_course.py).
    """
    A_prev, W, b = cache
    dZ = as_float_array("dZ", dZ)
    expect_shape("dZ", dZ, (W.shape[0], A_prev.shape[1]))
    return _linear_backward(dZ, cache, need_dA_prev)


def _linear_backward(dZ, cache, need_dA_prev):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T
    dW /= m  # in place: no second (n[l], n[l-1]) array
    db = dZ.sum(axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


@exercise_answer
def linear_activation_backward(dA, cache, activation: str, need_dA_prev: bool = True):
    """dZ = dA ∗ g′(Z), then :func:`linear_backward`; returns ``(dA_prev, dW, db)``."""
    _check_activation(activation)
    dA = expect_shape("dA", as_float_array("dA", dA), cache[1].shape)
    return _activation_backward(dA, cache, activation, need_dA_prev)


def _activation_backward(dA, cache, activation, need_dA_prev):
    linear_cache, Z = cache
    dZ = _g_prime(Z, activation)
    dZ *= dA  # dZ = dA ∗ g′(Z), written into g′'s fresh array (dA may be kept in grads, so not into dA)
    return _linear_backward(dZ, linear_cache, need_dA_prev)


@exercise_answer
def model_backward(AL, Y, caches, activations, need_dA0: bool = True) -> dict:
    """All gradients, keyed ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = L … 1.

    ``need_dA0=False`` leaves out dA0 (the gradient with respect to X), which a training step never uses.
    """
    AL = as_float_array("AL", AL)
    Y = expect_shape("Y", as_float_array("Y", Y), AL.shape)
    if np.any((AL <= 0) | (AL >= 1)):
        raise ValueError("AL must lie strictly between 0 and 1: the cross-entropy gradient −(Y/AL − (1−Y)/(1−AL)) "
                         "is infinite at 0 and 1 (a saturated sigmoid; try a smaller learning rate)")
    L = len(caches)
    if len(activations) != L:
        raise ValueError(f"activations must have one entry per cache ({L}), got {len(activations)}")
    grads = {}
    dA = -(Y / AL - (1.0 - Y) / (1.0 - AL))
    for l in range(L, 0, -1):
        _check_activation(activations[l - 1])
        expect_shape(f"dA{l}", dA, caches[l - 1][1].shape)  # a shape check only: dA is this pass's own output
        want = need_dA0 or l > 1
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = _activation_backward(dA, caches[l - 1], activations[l - 1],
                                                                         want)
        if want:
            grads[f"dA{l - 1}"] = dA_prev
        dA = dA_prev
    return grads


def update_parameters(parameters, grads, learning_rate: float) -> dict:
    """W[l] ← W[l] − α dW[l], b[l] ← b[l] − α db[l]; returns new arrays (the caches keep the old ones)."""
    check_scalar("learning_rate", learning_rate, low=0.0)
    L = _layers(parameters)
    updated = {}
    for l in range(1, L + 1):
        for name in (f"W{l}", f"b{l}"):
            if "d" + name not in grads:
                raise KeyError(f"grads is missing 'd{name}'")
            expect_shape("d" + name, grads["d" + name], parameters[name].shape)
            updated[name] = parameters[name] - learning_rate * grads["d" + name]
    return updated


def cost_of(X, Y, activations):
    """``f(parameters) → J``, the function a gradient check differentiates.

    With a sigmoid output J is computed from Z[L] as mean(log(1 + e^Z) − Y·Z) — the same function as
    :func:`compute_cost`, by log σ(Z) = −log(1 + e^−Z) and log(1 − σ(Z)) = −log(1 + e^Z) — because log(1 − A) rounds
    badly when A is within ~1e-8 of 1: compute_cost is then off by ~1e-9, and a central difference divides that by
    2ε = 2e-5 (measured: a 4-layer net with one saturated output fails a correct gradient at 3.5e-4).
    """
    def J(parameters):
        AL, caches = model_forward(X, parameters, activations)
        if activations[-1] != "sigmoid":
            return compute_cost(AL, Y)
        Y_ = expect_shape("Y", as_float_array("Y", Y), AL.shape)
        ZL = caches[-1][1]
        return float(np.sum(np.logaddexp(0.0, ZL) - Y_ * ZL)) / ZL.shape[1]
    return J


def cost_from(l: int, Y, parameters, activations):
    """``f({"A{l}": A}) → J``: the cost computed from layer l's activation through layers l+1 … L.

    Its gradient is ∂J/∂A[l] = dA[l] / m: model_backward's ``dA{l}`` is the gradient of the *summed* loss (column i
    is example i's own ∂L_i/∂A[l]), and the 1/m of the mean is applied once, in dW and db (lesson 05).
    """
    L = _layers(parameters)
    check_scalar("l", l, low=0, high=L - 1, integer=True)

    def J(values):
        A = values[f"A{l}"]
        for k in range(l + 1, L):
            A = linear_activation_forward(A, parameters[f"W{k}"], parameters[f"b{k}"], activations[k - 1])[0]
        Z = linear_forward(A, parameters[f"W{L}"], parameters[f"b{L}"])[0]
        if activations[-1] != "sigmoid":
            return compute_cost(_g(Z, activations[-1]), Y)
        return float(np.sum(np.logaddexp(0.0, Z) - Y * Z)) / Z.shape[1]
    return J
