"""An L-layer network in article 003's notation with the Deep Learning Specialization's conventions
(lesson 05 derives every function here).

Layout: A[0] = X is (n[0], m), columns are examples; W[l] is (n[l], n[l−1]), b[l] is (n[l], 1)::

    Z[l] = W[l] A[l−1] + b[l]          A[l] = g[l](Z[l])
    J    = −(1/m) Σ [Y log A[L] + (1 − Y) log(1 − A[L])]

Backward, layer by layer from l = L down to 1. dW and db are ∂J/∂W and ∂J/∂b; dA and dZ are m·∂J/∂A and m·∂J/∂Z —
gradients of the *summed* loss Σ_i L_i (column i is example i's own), the 1/m applied once where the examples meet,
in dW and db (lesson 05; :func:`cost_from` checks each dA)::

    dA[L]   = −(Y / A[L] − (1 − Y) / (1 − A[L]))
    dZ[l]   = dA[l] ∗ g[l]′(Z[l])
    dW[l]   = (1/m) dZ[l] A[l−1]ᵀ       db[l] = (1/m) Σ_examples dZ[l]   (keepdims)
    dA[l−1] = W[l]ᵀ dZ[l]

A "softmax" output layer (lesson 09) turns the scores of each column into probabilities over the classes; its cost
is the categorical cross-entropy J = −(1/m) Σ Y log A[L] and the backward pass starts at dZ[L] = A[L] − Y (Y one-hot).

Caches: ``linear_forward`` returns ``(A_prev, W, b)``; ``linear_activation_forward`` returns
``((A_prev, W, b), Z)``; grads are keyed ``dA{l-1}``, ``dW{l}``, ``db{l}``.
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import _log_softmax, _softmax, _weighted_log_sum
from nblib.losses import _check_probability_columns, _class_columns, _cross_entropy
from nblib.shapes import ShapeError, expect_shape, shape_hint
from nblib.validate import (
    MAX_LAYERS,
    MAX_UNITS,
    as_float_array,
    check_2d,
    check_agree,
    check_choice,
    check_dict,
    check_finite_result,
    check_not_empty,
    check_scalar,
    check_sequence,
    check_size,
)

ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "softmax")
OUTPUTS = ("sigmoid", "softmax")  # the output activations compute_cost knows a cost for


# _g and _g_prime run inside the forward and backward passes on arrays those passes made themselves, so they skip
# the input checks of nblib.activations (a full pass over Z each); relu and relu_gradient say the same thing.
def _g(Z, activation):
    if activation == "relu":
        return np.maximum(Z, 0.0)
    if activation == "sigmoid":
        e = np.exp(-np.abs(Z))  # nblib.activations.sigmoid's formula, without its input check
        return np.where(Z >= 0, 1.0, e) / (1.0 + e)
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "softmax":
        return _softmax(Z, 0)
    return Z


def _g_prime(Z, activation):
    if activation == "relu":
        return (Z > 0).astype(np.float64)
    if activation == "sigmoid":
        s = _g(Z, "sigmoid")
        return s * (1.0 - s)
    if activation == "tanh":
        return 1.0 - np.tanh(Z) ** 2
    return np.ones_like(Z)


def _softmax_backward(dA, Z):
    """dZ = Jᵀ dA column by column for A = softmax(Z): dZ_j = Σ_i dA_i ŷ_i(δ_ij − ŷ_j) = ŷ_j (dA_j − Σ_i dA_i ŷ_i).

    The softmax couples the classes of a column, so its g′ is a Jacobian, not an elementwise factor (lesson 09).
    """
    A = _softmax(Z, 0)
    return A * (dA - np.sum(dA * A, axis=0, keepdims=True))


def _check_activation(activation, name: str = "activation"):
    check_choice(name, activation, ACTIVATIONS)


def _check_activations(activations, L: int, per: str = "layer") -> list:
    if type(activations) is list and len(activations) == L and all(
            type(a) is str and a in ACTIVATIONS for a in activations):
        return activations  # the usual case, in one pass
    acts = check_sequence("activations", activations, L,
                          what=f"one activation per {per}, e.g. ['relu', 'sigmoid']")
    for l, activation in enumerate(acts):
        _check_activation(activation, f"activations[{l}]")
    return acts


def initialize_parameters(layer_dims, seed: int = 1, scale: str | float = "he") -> dict:
    """``{"W1", "b1", …, "WL", "bL"}`` with W[l] (n[l], n[l−1]) random and b[l] (n[l], 1) zero.

    ``scale="he"`` draws W[l] ~ N(0, 2 / n[l−1]) (He et al. 2015), which keeps relu activations
    from shrinking or exploding layer after layer; a number uses that fixed standard deviation.
    Never all zeros: identical units would stay identical and hide a wrong backward pass.
    """
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"layer_dims must list at least two layer sizes, e.g. [4, 5, 1], got {layer_dims!r:.80}")
    if len(layer_dims) > MAX_LAYERS + 1:
        raise ValueError(f"layer_dims must list at most {MAX_LAYERS + 1:,} layer sizes ({MAX_LAYERS:,} layers; no "
                         f"lesson needs more), got {len(layer_dims):,}")
    for i, n in enumerate(layer_dims):
        check_size(f"layer_dims[{i}]", n, MAX_UNITS, "units in a layer")
    check_scalar("seed", seed, low=0, integer=True)
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        std = np.sqrt(2.0 / n_prev) if scale == "he" else check_scalar("scale", scale, low=0.0, inclusive=False)
        parameters[f"W{l}"] = rng.normal(0.0, std, (n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def _checked_layer(A_prev, W, b, names=("A_prev", "W", "b"), a_fixed: bool = False):
    """W and b as float64 arrays, with shapes that fit each other and A_prev (itself already checked).

    ``names`` are the arguments as the caller wrote them. When shapes disagree, the message names the array
    most likely wrong given the other two; ``a_fixed`` says A_prev is the pass's own output (never the culprit).
    """
    n_A, n_W, n_b = names
    W = check_not_empty(n_W, check_2d(n_W, as_float_array(n_W, W), "(n[l], n[l-1])"), "units")
    b = as_float_array(n_b, b)
    if b.ndim != 2 or b.shape[1] != 1:
        expect_shape(n_b, b, (W.shape[0], 1))
    want = (b.shape[0], A_prev.shape[0])
    if W.shape == want:
        return W, b
    if W.shape[::-1] == want:
        raise ShapeError(f"{n_W} has shape {W.shape}, expected {want} = ({n_b} rows, {n_A} rows); "
                         f"did you mean {n_W}.T?")
    if W.shape[0] == b.shape[0]:  # W agrees with b, so W and A_prev disagree
        if not a_fixed:  # two against one: A_prev is the odd one out
            hint = f"; did you mean {n_A}.T?" if A_prev.shape[1] == W.shape[1] != W.shape[0] else ""
            raise ShapeError(f"{n_A} has shape {A_prev.shape}, expected ({W.shape[1]}, ?) to fit {n_W} {W.shape} "
                             f"(one row per column of {n_W}){hint}")
        raise ShapeError(f"{n_W} has shape {W.shape} but {n_A} has shape {A_prev.shape}: {n_W} needs one "
                         f"column per row of {n_A} ({W.shape[1]} ≠ {A_prev.shape[0]})")
    if W.shape[1] == A_prev.shape[0]:  # W fits A_prev; W and b disagree on n[l]
        raise ShapeError(f"{n_b} has shape {b.shape} but {n_W} has shape {W.shape}: they disagree on the number of "
                         f"units n[l] ({b.shape[0]} ≠ {W.shape[0]})")
    raise ShapeError(f"{n_W} has shape {W.shape}, expected {want} from {n_b} {b.shape} and {n_A} {A_prev.shape}")


def _linear_forward(A_prev, W, b):
    Z = W @ A_prev
    Z += b  # in place: one (n[l], m) array instead of two (a large batch pays for every new array)
    return Z, (A_prev, W, b)


@exercise_answer
def linear_forward(A_prev, W, b):
    """Z = W A_prev + b; returns ``(Z, (A_prev, W, b))``."""
    A_prev = check_2d("A_prev", as_float_array("A_prev", A_prev), "(n[l-1], m)")
    return _linear_forward(A_prev, *_checked_layer(A_prev, W, b))


@exercise_answer
def linear_activation_forward(A_prev, W, b, activation: str):
    """A = g(W A_prev + b); returns ``(A, ((A_prev, W, b), Z))``."""
    _check_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    return _g(Z, activation), (linear_cache, Z)


def _layers(parameters) -> int:
    check_dict("parameters", parameters, example="{'W1', 'b1', …, 'WL', 'bL'}")
    L = len([k for k in parameters if isinstance(k, str) and k.startswith("W")])
    missing = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}") if k not in parameters]
    if L == 0 or missing:
        raise KeyError(f"parameters must hold W1, b1, …, WL, bL; missing {missing or ['W1', 'b1']}, "
                       f"got keys {sorted(map(str, parameters))}")
    return L


def _check_network(parameters, activations, X=None, Y=None) -> int:
    """Check a parameters dict, its activations and (optionally) X and Y against each other; return L.

    Every W[l], b[l] must be finite float arrays of shapes (n[l], n[l−1]) and (n[l], 1) that chain; X must have
    n[0] rows and Y n[L] rows with labels in [0, 1].
    """
    L = _check_parameters(parameters, X)
    _check_activations(activations, L)
    if Y is not None:
        if X is not None:
            check_agree("examples (columns)", ("X", X.shape[1]), ("Y", Y.shape[1]))
        rows = np.shape(parameters[f"W{L}"])[0]
        if Y.shape[0] != rows:
            raise ShapeError(f"Y has {Y.shape[0]} rows but parameters['W{L}'] gives {rows} outputs; "
                             "Y needs one row per output unit")
        _check_labels01(Y, _check_activations(activations, L))
    return L


def _check_parameters(parameters, X=None, converted: dict | None = None) -> int:
    """Every W[l], b[l] finite with shapes (n[l], n[l−1]) and (n[l], 1) that chain (from X's rows, if given).

    The float64 arrays are stored in ``converted`` when a dict is given (so a caller converts each once).
    """
    L = _layers(parameters)
    rows = None if X is None else X.shape[0]
    for l in range(1, L + 1):
        W = check_2d(f"parameters['W{l}']", as_float_array(f"parameters['W{l}']", parameters[f"W{l}"]),
                     "(n[l], n[l-1])")
        check_not_empty(f"parameters['W{l}']", W, "units")
        b = expect_shape(f"parameters['b{l}']", as_float_array(f"parameters['b{l}']", parameters[f"b{l}"]),
                         (W.shape[0], 1))
        if converted is not None:
            converted[f"W{l}"], converted[f"b{l}"] = W, b
        if rows is not None and W.shape[1] != rows:
            if l == 1:
                raise ShapeError(f"X has {rows} rows (features) but parameters['W1'] has shape {W.shape}: "
                                 f"W1 needs one column per feature" + ("; did you mean X.T?" if X.shape[1] == W.shape[1]
                                                                       else ""))
            raise ShapeError(f"parameters['W{l}'] has shape {W.shape} but parameters['W{l - 1}'] has "
                             f"{rows} rows: W{l} needs one column per unit of layer {l - 1}")
        rows = W.shape[0]
    return L


def _check_labels01(Y, activations=None):
    if activations is not None and activations[-1] == "softmax":
        _class_columns("Y", Y, Y)  # one-hot columns: each sums to 1
        return
    if Y.size and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"Y must hold labels in [0, 1] (0 or 1 for binary classification); "
                         f"found values from {Y.min():.4g} to {Y.max():.4g}")


@exercise_answer
def model_forward(X, parameters, activations):
    """Forward through all L layers; returns ``(AL, caches)`` with one cache per layer."""
    L = _layers(parameters)
    activations = _check_activations(activations, L)
    if activations[-1] == "softmax" and np.ndim(parameters[f"W{L}"]) == 2 and np.shape(parameters[f"W{L}"])[0] == 1:
        raise ValueError(f"parameters['W{L}'] has shape {np.shape(parameters[f'W{L}'])}: a softmax output layer of one "
                         "unit, expected at least two (one per class); softmax over one class is always 1 and learns "
                         "nothing — for a yes/no output use one sigmoid unit")
    A = check_2d("X", as_float_array("X", X), "(features, m)")  # checked once; every later A is this pass's own
    caches = []
    for l in range(1, L + 1):
        names = ("X" if l == 1 else f"A{l - 1}", f"parameters['W{l}']", f"parameters['b{l}']")
        Z, linear_cache = _linear_forward(A, *_checked_layer(A, parameters[f"W{l}"], parameters[f"b{l}"], names,
                                                             a_fixed=l > 1))
        caches.append((linear_cache, Z))
        A = _g(Z, activations[l - 1])
    if not np.isfinite(np.add.reduce(A, axis=None)) and not np.all(np.isfinite(A)):  # one pass over the output
        raise ValueError(f"the output AL is not finite: W X overflowed float64; X or parameters hold values too large "
                         f"(largest |X| = {np.abs(caches[0][0][0]).max():.3g})")
    return A, caches


@exercise_answer
def compute_cost(AL, Y, activation: str = "sigmoid") -> float:
    """The cost of the output activation, the mean over the m examples (columns).

    ``"sigmoid"``: binary cross-entropy summed over the outputs (lesson 05). ``"softmax"``: categorical
    cross-entropy −(1/m) Σ Y log AL with one-hot columns Y (lesson 09).
    """
    check_choice("activation", activation, OUTPUTS)
    if activation == "softmax":
        AL, Y = _class_columns("AL", AL, Y)
        _check_probability_columns("AL", AL, "softmax probabilities")
        return -float(np.sum(Y * np.log(np.clip(AL, 1e-15, 1.0)))) / AL.shape[1]
    return _cross_entropy(AL, Y, 1e-15, "AL")


_LINEAR_CACHE = "(A_prev, W, b) as returned by linear_forward"


def _check_linear_cache(cache, name: str = "cache"):
    """Structure and shapes of a linear cache (A_prev, W, b); shapes only, the arrays are the pass's own."""
    if type(cache) is not tuple or len(cache) != 3 or not (
            type(cache[0]) is np.ndarray and type(cache[1]) is np.ndarray and type(cache[2]) is np.ndarray):
        got = f"a {type(cache).__name__}" + (f" of {len(cache)} items" if isinstance(cache, (tuple, list)) else "")
        raise TypeError(f"{name} must be the tuple {_LINEAR_CACHE}, got {got}")
    A_prev, W, b = cache
    if A_prev.ndim != 2 or W.ndim != 2 or W.shape[1] != A_prev.shape[0] or b.shape != (W.shape[0], 1):
        raise ShapeError(f"{name} holds A_prev {A_prev.shape}, W {W.shape}, b {b.shape}, which do not fit "
                         f"Z = W A_prev + b; it must be {_LINEAR_CACHE}")


def _check_activation_cache(cache, name: str = "cache"):
    if not isinstance(cache, tuple) or len(cache) != 2 or not isinstance(cache[1], np.ndarray):
        got = f"a {type(cache).__name__}" + (f" of {len(cache)} items" if isinstance(cache, (tuple, list)) else "")
        raise TypeError(f"{name} must be ((A_prev, W, b), Z) as returned by linear_activation_forward, got {got}")
    _check_linear_cache(cache[0], f"{name}[0]")
    (A_prev, W, _), Z = cache
    if Z.shape != (W.shape[0], A_prev.shape[1]):
        raise ShapeError(f"{name}[1] (Z) has shape {Z.shape}, but {name}[0] gives Z = W A_prev + b the shape "
                         f"{(W.shape[0], A_prev.shape[1])}")


@exercise_answer
def linear_backward(dZ, cache, need_dA_prev: bool = True):
    """From dZ[l] to ``(dA_prev, dW, db)``: dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ dZ, dA_prev = Wᵀ dZ.

    ``need_dA_prev=False`` skips the product Wᵀ dZ (returns None for it): training never needs dA[0], and for
    a wide input layer it is a third of the backward pass (benchmarks/bench_course.py).
    """
    _check_linear_cache(cache)
    A_prev, W, b = cache
    dZ = as_float_array("dZ", dZ)
    expect_shape("dZ", dZ, (W.shape[0], A_prev.shape[1]))
    check_not_empty("dZ", dZ, "examples (columns)")
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
    _check_activation_cache(cache)
    dA = expect_shape("dA", as_float_array("dA", dA), cache[1].shape)
    check_not_empty("dA", dA, "examples (columns)")
    return _activation_backward(dA, cache, activation, need_dA_prev)


def _activation_backward(dA, cache, activation, need_dA_prev):
    linear_cache, Z = cache
    if activation == "softmax":
        return _linear_backward(_softmax_backward(dA, Z), linear_cache, need_dA_prev)
    dZ = _g_prime(Z, activation)
    dZ *= dA  # dZ = dA ∗ g′(Z), written into g′'s fresh array (dA may be kept in grads, so not into dA)
    return _linear_backward(dZ, linear_cache, need_dA_prev)


@exercise_answer
def model_backward(AL, Y, caches, activations, need_dA0: bool = True) -> dict:
    """All gradients, keyed ``dA{l-1}``, ``dW{l}``, ``db{l}`` for l = L … 1.

    ``need_dA0=False`` leaves out dA0 (the gradient with respect to X), which a training step never uses.
    With a "softmax" output the pass starts at dZ[L] = AL − Y (lesson 09) and has no dA{L}.
    """
    AL, Y, caches, activations = _backward_inputs(AL, Y, caches, activations)
    L = len(caches)
    grads = {}
    if activations[-1] == "softmax":
        want = need_dA0 or L > 1
        dA, grads[f"dW{L}"], grads[f"db{L}"] = _linear_backward(AL - Y, caches[L - 1][0], want)
        if want:
            grads[f"dA{L - 1}"] = dA
        L -= 1
    else:
        dA = -(Y / AL - (1.0 - Y) / (1.0 - AL))
    for l in range(L, 0, -1):
        expect_shape(f"dA{l}", dA, caches[l - 1][1].shape)  # a shape check only: dA is this pass's own output
        want = need_dA0 or l > 1
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = _activation_backward(dA, caches[l - 1], activations[l - 1],
                                                                         want)
        if want:
            grads[f"dA{l - 1}"] = dA_prev
        dA = dA_prev
    return grads


def _backward_inputs(AL, Y, caches, activations):
    """The checks every backward pass starts with (model_backward, and lesson 06's buggy ones in nblib.mistakes).

    caches must be one ((A_prev, W, b), Z) per layer, activations one name per cache, AL the shape of the last
    Z with values in (0, 1), Y the shape of AL with labels in [0, 1]. Returns AL, Y as float64 and the lists.
    """
    caches = check_sequence("caches", caches, what="one ((A_prev, W, b), Z) per layer, from model_forward")
    if not caches:
        raise ValueError("caches is empty: expected one ((A_prev, W, b), Z) per layer, from model_forward")
    for l, cache in enumerate(caches):
        _check_activation_cache(cache, f"caches[{l}]")
    if isinstance(activations, (list, tuple)) and len(activations) != len(caches):
        check_agree("entries (one per layer)", ("caches", len(caches)), ("activations", len(activations)))
    activations = _check_activations(activations, len(caches), per="cache")
    AL = as_float_array("AL", AL)
    ZL = caches[-1][1]
    if AL.shape != ZL.shape:
        hint = "; did you mean AL.T?" if AL.shape[::-1] == ZL.shape else ""
        raise ShapeError(f"AL has shape {AL.shape}, expected {ZL.shape} (the Z of the last layer in caches){hint}")
    check_not_empty("AL", AL, "examples (columns)")
    Y = as_float_array("Y", Y)
    if Y.shape != AL.shape:
        hint = "; did you mean Y.T?" if Y.shape[::-1] == AL.shape else ""
        raise ShapeError(f"Y has shape {Y.shape} but AL has shape {AL.shape}; they must match{hint}")
    if activations[-1] == "softmax":  # dZ[L] = AL − Y: no division by AL, so AL may round to 0 or 1
        _check_probability_columns("AL", AL, "softmax probabilities")
        _check_labels01(Y, activations)
        return AL, Y, caches, activations
    if AL.min() <= 0 or AL.max() >= 1:
        raise ValueError("AL must lie strictly between 0 and 1: the cross-entropy gradient −(Y/AL − (1−Y)/(1−AL)) "
                         "is infinite at 0 and 1 (a saturated sigmoid: scale X to order 1, or try a smaller "
                         "learning_rate)")
    _check_labels01(Y)
    return AL, Y, caches, activations


def _checked_update(parameters, grads, learning_rate):
    """Check an update's inputs: ``[(name, W, dW), …]`` as float64 arrays of equal shapes, for every parameter."""
    learning_rate = check_scalar("learning_rate", learning_rate, low=0.0)
    values = {}
    L = _check_parameters(parameters, converted=values)
    check_dict("grads", grads, example="{'dW1', 'db1', …} from model_backward")
    triples = []
    for l in range(1, L + 1):
        for name in (f"W{l}", f"b{l}"):
            if "d" + name not in grads:
                raise KeyError(f"grads is missing 'd{name}' (the gradient of parameters['{name}']); "
                               f"got keys {sorted(map(str, grads))}")
            value = values[name]
            grad = as_float_array(f"grads['d{name}']", grads["d" + name])
            if grad.shape != value.shape:
                hint = shape_hint(f"grads['d{name}']", grad.shape, value.shape)
                raise ShapeError(f"grads['d{name}'] has shape {grad.shape} but parameters['{name}'] has shape "
                                 f"{value.shape}; a gradient has its parameter's shape" + (f"; {hint}" if hint else ""))
            triples.append((name, value, grad))
    return triples


def _fast_update(parameters, grads, learning_rate, sign: float):
    """W ± α dW when every input is already right (float64 arrays of chaining shapes, finite results), else None.

    A training loop calls the update once per batch; this path costs one sum per new array. Anything unusual
    returns None and the caller runs :func:`_checked_update`, which says what is wrong.
    """
    if type(parameters) is not dict or type(grads) is not dict or type(learning_rate) not in (float, np.float64) \
            or not 0.0 <= learning_rate < np.inf:
        return None
    L = sum(1 for k in parameters if type(k) is str and k[:1] == "W")
    updated, rows, step = {}, None, sign * learning_rate
    for l in range(1, L + 1):
        W, b, dW, db = parameters.get(f"W{l}"), parameters.get(f"b{l}"), grads.get(f"dW{l}"), grads.get(f"db{l}")
        for a in (W, b, dW, db):
            if type(a) is not np.ndarray or a.dtype != np.float64:
                return None
        if W.ndim != 2 or not W.size or b.shape != (W.shape[0], 1) or dW.shape != W.shape or db.shape != b.shape \
                or (rows is not None and W.shape[1] != rows):
            return None
        rows = W.shape[0]
        new_W, new_b = W + step * dW, b + step * db
        if not (np.isfinite(np.add.reduce(new_W, axis=None)) and np.isfinite(np.add.reduce(new_b, axis=None))):
            return None  # a NaN/inf in an input or an overflow: let the checks name it
        updated[f"W{l}"], updated[f"b{l}"] = new_W, new_b
    return updated if L else None


@exercise_answer
def update_parameters(parameters, grads, learning_rate: float) -> dict:
    """W[l] ← W[l] − α dW[l], b[l] ← b[l] − α db[l]; returns new arrays (the caches keep the old ones)."""
    fast = _fast_update(parameters, grads, learning_rate, -1.0)
    if fast is not None:
        return fast
    updated = {name: value - learning_rate * grad for name, value, grad in _checked_update(parameters, grads,
                                                                                            learning_rate)}
    for name, value in updated.items():
        check_finite_result(value, f"the updated parameters['{name}']", "learning_rate or grads")
    return updated


def cost_of(X, Y, activations):
    """``f(parameters) → J``, the function a gradient check differentiates.

    With a sigmoid output J is computed from Z[L] as mean(log(1 + e^Z) − Y·Z) — the same function as
    :func:`compute_cost`, by log σ(Z) = −log(1 + e^−Z) and log(1 − σ(Z)) = −log(1 + e^Z) — because log(1 − A) rounds
    badly when A is within ~1e-8 of 1: compute_cost is then off by ~1e-9, and a central difference divides that by
    2ε = 2e-5 (measured: a 4-layer net with one saturated output fails a correct gradient at 3.5e-4).
    """
    X = check_2d("X", as_float_array("X", X), "(features, m)")
    Y = check_2d("Y", as_float_array("Y", Y), "(outputs, m)")
    check_agree("examples (columns)", ("X", X.shape[1]), ("Y", Y.shape[1]))

    def J(parameters):
        AL, caches = model_forward(X, parameters, activations)
        if activations[-1] not in OUTPUTS:
            return compute_cost(AL, Y)
        expect_shape("Y", Y, AL.shape)
        return _cost_from_scores(caches[-1][1], Y, activations[-1])
    return J


def _cost_from_scores(ZL, Y, output):
    """The mean cost from the last layer's Z without rounding A[L]: log σ and log softmax taken from Z directly."""
    if output == "softmax":  # −(1/m) Σ Y log softmax(Z), by log-sum-exp (lesson 09)
        return -_weighted_log_sum(Y, _log_softmax(ZL, 0)) / ZL.shape[1]
    return float(np.sum(np.logaddexp(0.0, ZL) - Y * ZL)) / ZL.shape[1]


def cost_from(l: int, Y, parameters, activations):
    """``f({"A{l}": A}) → J``: the cost computed from layer l's activation through layers l+1 … L.

    Its gradient is ∂J/∂A[l] = dA[l] / m: model_backward's ``dA{l}`` is the gradient of the *summed* loss (column i
    is example i's own ∂L_i/∂A[l]), and the 1/m of the mean is applied once, in dW and db (lesson 05).
    """
    params: dict = {}
    L = _check_parameters(parameters, converted=params)
    _check_activations(activations, L)
    check_scalar("l", l, low=0, high=L - 1, integer=True)
    Y = check_2d("Y", as_float_array("Y", Y), "(outputs, m)")
    _check_network(params, activations, None, Y)

    def J(values):
        values = check_dict("values", values, [f"A{l}"])
        A = check_2d(f"values['A{l}']", as_float_array(f"values['A{l}']", values[f"A{l}"]), "(n[l], m)")
        check_agree("examples (columns)", (f"values['A{l}']", A.shape[1]), ("Y", Y.shape[1]))
        check_agree(f"rows (units of layer {l})", (f"values['A{l}']", A.shape[0]),
                    (f"parameters['W{l + 1}'] (columns)", params[f"W{l + 1}"].shape[1]))
        for k in range(l + 1, L):
            A = _g(_linear_forward(A, params[f"W{k}"], params[f"b{k}"])[0], activations[k - 1])
        Z = _linear_forward(A, params[f"W{L}"], params[f"b{L}"])[0]
        if activations[-1] not in OUTPUTS:
            return compute_cost(_g(Z, activations[-1]), Y)
        return _cost_from_scores(Z, Y, activations[-1])
    return J
