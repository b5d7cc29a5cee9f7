"""Lesson 05's checks: ``check_linear_backward``, ``check_linear_activation_backward`` and
``check_model_backward`` — each takes the student's function.

Cases: a 4-unit layer with 3 inputs at m = 6, at m = n[l] = 4 and at m = 1, plus random layers (seeded per call).
Gradients follow nblib.deep's convention: dA[l] = W[l+1]ᵀ dZ[l+1] is m·∂J/∂A[l] (no 1/m; J is the mean cost),
dW and db carry the 1/m.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nblib import deep, mistakes
from nblib.exercises.feedback import (
    CheckFailed,
    call_student,
    compare_array,
    compare_dict,
    new_seed,
    passed,
    reporting_seed,
)


def _layer(n, n_prev, m, rng=None, offset=0.0):
    if rng is None:
        A_prev = np.sin(np.arange(1.0, n_prev * m + 1) + offset).reshape(n_prev, m)
        W = np.cos(np.arange(1.0, n * n_prev + 1) + offset).reshape(n, n_prev)
        b = np.linspace(0.1, -0.2, n).reshape(n, 1)
        dZ = np.sin(np.arange(n * m) * 0.37 + offset).reshape(n, m)
    else:
        A_prev, W, b, dZ = (rng.normal(0, 1, s) for s in ((n_prev, m), (n, n_prev), (n, 1), (n, m)))
    return dZ, (A_prev, W, b)


def _linear_cases(seed: int):
    cases = [("a 4-unit layer with 3 inputs and m = 6", *_layer(4, 3, 6)),
             ("a 4-unit layer with 3 inputs and m = n[l] = 4", *_layer(4, 3, 4, offset=0.5)),
             ("a 4-unit layer with 3 inputs and m = 1", *_layer(4, 3, 1, offset=1.0))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n, n_prev, m = (int(v) for v in rng.integers([1, 2, 2], [6, 6, 9]))
        cases.append((f"random case {i + 1} (seed {seed}: n[l] = {n}, n[l-1] = {n_prev}, m = {m})",
                      *_layer(n, n_prev, m, rng)))
    return cases


def _unpack3(got, name, label):
    # Only unpacking matters (dA_prev, dW, db = ...), so a tuple or a list of three is right.
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise CheckFailed(f"{name} must return the three arrays (dA_prev, dW, db) on {label}, got "
                          f"{type(got).__name__}" + (f" of length {len(got)}" if isinstance(got, (tuple, list))
                                                      else ""))
    return got


def linear_mistakes(dZ, cache) -> dict:
    A_prev, W, _ = cache
    n_prev, m = A_prev.shape
    slips = {
        "dW": {"the 1/m is missing": dZ @ A_prev.T, "the sign is flipped": -(dZ @ A_prev.T) / m},
        "db": {"the 1/m is missing (a sum instead of a mean)": dZ.sum(axis=1, keepdims=True)},
        "dA_prev": {"an extra 1/m: dA_prev = Wᵀ dZ has no 1/m": W.T @ dZ / m},
    }
    if n_prev != m:
        wrong_m = (f"m was taken from A_prev.shape[0] = {n_prev} (the units of the previous layer) instead of "
                   f"A_prev.shape[1] = {m} (the examples)")
        slips["dW"][wrong_m] = dZ @ A_prev.T / n_prev
        slips["db"][wrong_m] = dZ.sum(axis=1, keepdims=True) / n_prev
    return slips


def _compare3(name, got, want, slips, context, m):
    for key, g, w in zip(("dA_prev", "dW", "db"), got, want):
        compare_array(key, g, w, mistakes=slips.get(key), context=context, m=m)


def check_linear_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dZ, cache)`` → (dA_prev, dW, db) against :func:`nblib.deep.linear_backward`."""
    seed = new_seed(seed)
    with reporting_seed("check_linear_backward", seed):
        for label, dZ, cache in _linear_cases(seed):
            got = _unpack3(call_student(student, "linear_backward", (dZ, cache), label, names=("dZ", "cache"),
                                        refuse=("nblib.deep.linear_backward",)), "linear_backward", label)
            want = deep.linear_backward(dZ, cache)
            _compare3("linear_backward", got, want, linear_mistakes(dZ, cache), f"With {label}", cache[0].shape[1])
    passed("linear_backward returns the right dA_prev, dW and db")


def check_linear_activation_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dA, cache, activation)`` for "relu" and "sigmoid"."""
    seed = new_seed(seed)
    with reporting_seed("check_linear_activation_backward", seed):
        for case, (label, dA, linear_cache) in enumerate(_linear_cases(seed)):
            Z = np.cos(np.arange(dA.size) * 0.53 + case).reshape(dA.shape)
            Z[np.abs(Z) < 0.05] += 0.1  # no entry at relu's kink
            A_prev, W, _ = linear_cache
            m = A_prev.shape[1]
            for activation in ("relu", "sigmoid"):
                context = f"With activation = {activation!r} and {label}"
                cache = (linear_cache, Z)
                got = _unpack3(call_student(student, "linear_activation_backward", (dA, cache, activation),
                                            context[5:], names=("dA", "cache", "activation"),
                                            refuse=("nblib.deep.linear_activation_backward",)),
                               "linear_activation_backward", context[5:])
                want = deep.linear_activation_backward(dA, cache, activation)
                wrong_dZ = {
                    "dZ = g(dA) instead of dA ∗ g′(Z)": deep._g(dA, activation),
                    "g′ was evaluated at A = g(Z) instead of at Z": dA * deep._g_prime(deep._g(Z, activation),
                                                                                        activation),
                    "g′(Z) was not applied: dZ = dA": dA,
                }
                if activation == "sigmoid":
                    wrong_dZ["dZ = 2·dA ∗ σ′(Z): is your σ′ twice σ(1 − σ)?"] = 2 * dA * deep._g_prime(Z, activation)
                slips = {
                    "dA_prev": {k: W.T @ v for k, v in wrong_dZ.items()},
                    "dW": {k: v @ A_prev.T / m for k, v in wrong_dZ.items()},
                    "db": {k: v.sum(axis=1, keepdims=True) / m for k, v in wrong_dZ.items()},
                }
                _compare3("linear_activation_backward", got, want, slips, context, m)
    passed("linear_activation_backward is right for relu and sigmoid")


def _net_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("a [3, 5, 4, 1] relu/relu/sigmoid net with m = 6", [3, 5, 4, 1], ["relu", "relu", "sigmoid"],
              np.sin(np.arange(18.0)).reshape(3, 6), np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]]), 2),
             ("a [3, 4, 2] relu/sigmoid net with m = 1", [3, 4, 2], ["relu", "sigmoid"],
              np.array([[0.5], [-1.0], [0.8]]), np.array([[1.0], [0.0]]), 5)]
    for i in range(2):
        dims = [int(v) for v in rng.integers(2, 6, size=int(rng.integers(3, 5)))]
        m = int(rng.integers(1, 8))
        acts = ["relu"] * (len(dims) - 2) + ["sigmoid"]
        cases.append((f"random case {i + 1} (seed {seed}: a {dims} net, m = {m})", dims, acts,
                      rng.normal(0, 1, (dims[0], m)), (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float),
                      int(rng.integers(100))))
    return cases


def _dZ(AL, Y, caches, activations) -> dict:
    """Every dZ{l} of nblib.deep's backward pass (a student may return them too)."""
    out = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        (A_prev, W, _), Z = caches[l - 1]
        out[f"dZ{l}"] = dA * deep._g_prime(Z, activations[l - 1])
        dA = W.T @ out[f"dZ{l}"]
    return out


def model_mistakes(AL, Y, caches, activations) -> dict:
    """Per key, the arrays the bugs of lesson 05's clinic and zoo give."""
    slips: dict = {}
    buggy = {**{description: (lambda *a, bug=bug: mistakes.clinic_backward(*a, bugs={bug}))
                for bug, description in mistakes.CLINIC_BUGS.items()},
             **{name: fn for name, fn in mistakes.ZOO.items()}}
    for description, fn in buggy.items():
        try:
            grads = fn(AL, Y, caches, activations)
        except Exception:  # noqa: BLE001 — a bug that cannot run on this net names nothing
            continue
        for key, value in grads.items():
            slips.setdefault(key, {})[description] = value
    m = AL.shape[1]
    for key in list(slips):
        if key.startswith("dA"):
            slips[key]["an extra 1/m: in nblib.deep's convention dA[l−1] = W[l]ᵀ dZ[l] (= m·∂J/∂A) has no 1/m"] = None
    right = deep.model_backward(AL, Y, caches, activations)
    for key in slips:
        for description in list(slips[key]):
            if slips[key][description] is None:
                slips[key][description] = right[key] / m
            elif np.shape(slips[key][description]) != right[key].shape or np.allclose(slips[key][description],
                                                                                       right[key]):
                del slips[key][description]  # a bug that does not touch this key says nothing about it
    return slips


def check_model_backward(student, *, seed: int | None = None, activations_used: Sequence[str] | None = None) -> None:
    """Check ``student(AL, Y, caches, activations)`` → grads with every dA{l-1}, dW{l}, db{l} (dA0 included).

    Every entry is compared with nblib.deep's own (dA{l} is m·∂J/∂A[l], see the module docstring), in the
    order the backward pass makes them, and named when wrong; dZ{l} entries are compared when returned.
    """
    seed = new_seed(seed)
    with reporting_seed("check_model_backward", seed):
        for label, dims, activations, X, Y, init_seed in _net_cases(seed):
            parameters = deep.initialize_parameters(dims, seed=init_seed)
            AL, caches = deep.model_forward(X, parameters, activations)
            got = call_student(student, "model_backward", (AL, Y, caches, list(activations)), label,
                               names=("AL", "Y", "caches", "activations"),
                               refuse=("nblib.deep.model_backward",))
            want = deep.model_backward(AL, Y, caches, activations)
            compare_dict("grads", got, want, mistakes=model_mistakes(AL, Y, caches, activations),
                         context=f"With {label}", m=X.shape[1], optional=_dZ(AL, Y, caches, activations))
    passed("model_backward returns every dA, dW and db, all right")
