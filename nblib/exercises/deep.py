"""Lesson 05's checks, one per exercise, each taking the student's function: ``check_linear_forward``,
``check_linear_activation_forward``, ``check_model_forward``, ``check_compute_cost``, ``check_relu_backward``,
``check_sigmoid_backward``, ``check_linear_backward``, ``check_linear_activation_backward``, ``check_model_backward``,
``check_update_parameters`` and the clinic's ``check_clinic_repair`` (with ``clinic_diagnosis`` for the page). A wrong
value's message ends with the line of the lesson's derivation it breaks (:data:`STEPS`); model_backward's adds the
central difference of J at the first wrong entry.

Cases: a 4-unit layer with 3 inputs at m = 6, at m = n[l] = 4 and at m = 1, plus random layers (seeded per call).
Gradients follow nblib.deep's convention: dA[l] = W[l+1]ᵀ dZ[l+1] is m·∂J/∂A[l] (no 1/m; J is the mean cost),
dW and db carry the 1/m.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Sequence

import numpy as np

from nblib import deep, mistakes
from nblib.exercises.feedback import (
    CheckFailed,
    call_student,
    check_function,
    compare_array,
    compare_dict,
    new_seed,
    passed,
    reporting_seed,
)
from nblib.progress import recorded


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
        "dA_prev": {"an extra 1/m: dA_prev keeps one column per example and has no 1/m": W.T @ dZ / m},
    }
    if n_prev != m:
        wrong_m = (f"m was taken from A_prev.shape[0] = {n_prev} (the units of the previous layer) instead of "
                   f"A_prev.shape[1] = {m} (the examples)")
        slips["dW"][wrong_m] = dZ @ A_prev.T / n_prev
        slips["db"][wrong_m] = dZ.sum(axis=1, keepdims=True) / n_prev
    return slips


def _compare3(name, got, want, slips, context, m, dZ_step=None):
    """Compare (dA_prev, dW, db); with ``dZ_step`` (the exercise computes dZ itself) a message where all three are
    wrong names that step — the one thing the three share is dZ — not the step of the first wrong entry."""
    all_wrong = dZ_step is not None and not any(_right(g, w) for g, w in zip(got, want))
    for key, g, w in zip(("dA_prev", "dW", "db"), got, want):
        with _step(dZ_step if all_wrong else {"dA_prev": "B4", "dW": "B2", "db": "B3"}[key]):
            compare_array(key, g, w, mistakes=slips.get(key), context=context, m=m)


@recorded
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


@recorded
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
                other = "sigmoid" if activation == "relu" else "relu"
                wrong_dZ = {
                    "dZ = g(dA) instead of dA ∗ g′(Z)": deep._g(dA, activation),
                    "g′ was evaluated at A = g(Z) instead of at Z": dA * deep._g_prime(deep._g(Z, activation),
                                                                                        activation),
                    "g′(Z) was not applied: dZ = dA": dA,
                    f"the {other} derivative was used for a {activation} layer: pick g′ by `activation`":
                        dA * deep._g_prime(Z, other),
                }
                if activation == "sigmoid":
                    wrong_dZ["dZ = 2·dA ∗ σ′(Z): your σ′ is twice lesson 01's"] = 2 * dA * deep._g_prime(Z, activation)
                wrong_dZ = {f"{k} — {STEPS['B1']}": v for k, v in wrong_dZ.items()}
                slips = {
                    "dA_prev": {k: W.T @ v for k, v in wrong_dZ.items()},
                    "dW": {k: v @ A_prev.T / m for k, v in wrong_dZ.items()},
                    "db": {k: v.sum(axis=1, keepdims=True) / m for k, v in wrong_dZ.items()},
                }
                _compare3("linear_activation_backward", got, want, slips, context, m, dZ_step="B1")
    passed("linear_activation_backward is right for relu and sigmoid")


def _net_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("a [3, 5, 4, 1] relu/relu/sigmoid net with m = 6", [3, 5, 4, 1], ["relu", "relu", "sigmoid"],
              np.sin(np.arange(18.0)).reshape(3, 6), np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]]), 2),
             ("a [3, 4, 2] relu/sigmoid net with m = 1", [3, 4, 2], ["relu", "sigmoid"],
              np.array([[0.5], [-1.0], [0.8]]), np.array([[1.0], [0.0]]), 5),
             ("a [3, 4, 4, 2] relu/relu/sigmoid net with m = n[1] = n[2] = 4", [3, 4, 4, 2],
              ["relu", "relu", "sigmoid"],
              np.cos(np.arange(12.0) * 0.7).reshape(3, 4), np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]), 3)]
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


ZOO_STEPS = {"missing transpose": "B2", "missing 1/m": "B2", "σ′ applied to A instead of Z": "B1",
             "db summed over the wrong axis": "B3", "db without keepdims": "B3",
             "relu′ taken from the wrong tensor": "B1", "σ′ applied twice at the output": "B0"}
CLINIC_STEPS = {"dAL_is_Yhat_minus_Y": "B0", "dZ_is_g_of_dA": "B1", "dW_uses_dA": "B2", "dA_prev_without_W": "B4"}


def model_mistakes(AL, Y, caches, activations) -> dict:
    """Per key, the arrays the bugs of lesson 06's clinic and zoo give."""
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
            slips[key]["an extra 1/m: in lesson 05's convention dA[l−1] (= m·∂J/∂A) has no 1/m"] = None
    steps = {**{mistakes.CLINIC_BUGS[k]: v for k, v in CLINIC_STEPS.items()}, **ZOO_STEPS}
    slips = {key: {(f"{d} ({STEPS[steps[d]]})" if d in steps else d): v for d, v in found.items()}
             for key, found in slips.items()}
    right = deep.model_backward(AL, Y, caches, activations)
    for key in slips:
        for description in list(slips[key]):
            if slips[key][description] is None:
                slips[key][description] = right[key] / m
            elif np.shape(slips[key][description]) != right[key].shape or np.allclose(slips[key][description],
                                                                                       right[key]):
                del slips[key][description]  # a bug that does not touch this key says nothing about it
    return slips


@recorded
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
            try:
                got = call_student(student, "model_backward", (AL, Y, caches, list(activations)), label,
                                   names=("AL", "Y", "caches", "activations"),
                                   refuse=("nblib.deep.model_backward",))
            except CheckFailed as failure:
                text = str(failure)
                if "IndexError" in text or "KeyError" in text:
                    text += (" — layer l's cache is caches[l−1] and its activation activations[l−1] (lists start at "
                             f"0), and the grads keys are dA{{l−1}}, dW{{l}}, db{{l}}: {STEPS['B5']}")
                raise CheckFailed(text) from None
            want = deep.model_backward(AL, Y, caches, activations)
            try:
                compare_dict("grads", got, want, mistakes=model_mistakes(AL, Y, caches, activations),
                             context=f"With {label}", m=X.shape[1], optional=_dZ(AL, Y, caches, activations))
            except CheckFailed as failure:
                raise _ninja(failure, got, want, X, Y, parameters, activations) from None
    passed("model_backward returns every dA, dW and db, all right")


# --- The whole L-layer set (issue 15): forward, cost, backward, update, and the clinic's repair -------------------
#
# Every message of a value that is wrong ends with the line of lesson 05's derivation that the mistake breaks.

STEPS = {
    "F1": "forward step F1: Z[l] = W[l] A[l−1] + b[l]",
    "F2": "forward step F2: A[l] = g(Z[l]), cache = ((A[l−1], W[l], b[l]), Z[l])",
    "F3": "forward step F3: A[0] = X, then F1–F2 for l = 1 … L with activations[l−1], one cache per layer",
    "F4": "step F4 of the derivation: J is the mean over the m examples of their losses (an example with several "
          "outputs: exercise 4's own step)",
    "B0": "step 0 of the derivation: the start dA[L] is one example's ∂L/∂a at a = A[L], entry by entry, without 1/m",
    "B1": "step 1 of the derivation: dZ[l] = dA[l] ∗ g′(Z[l]), g′ evaluated at Z[l]",
    "B2": "step 2 of the derivation: dW[l] has W[l]'s shape, is made from dZ[l] and the layer below's A[l−1], and "
          "averages the m examples' contributions",
    "B3": "step 3 of the derivation: db[l] averages the m examples' contributions, one number per unit, a column "
          "(n[l], 1)",
    "B4": "step 4 of the derivation: dA[l−1] has A[l−1]'s shape, is made from W[l] and dZ[l], one column per example, "
          "without 1/m",
    "B5": "step 5 of the derivation: for l = L … 1, steps 1–4 with caches[l−1] and activations[l−1]",
    "B6": "step 6 of the derivation: every W[l], b[l] moves against its gradient, by α, as new arrays",
}


def _has_step(text: str) -> bool:
    return bool(re.search(r"step \d of the derivation|step F\d|step 6 of", text))


@contextlib.contextmanager
def _step(key: str):
    """Append the derivation line ``STEPS[key]`` to a failed comparison that does not name a step yet."""
    try:
        yield
    except CheckFailed as failure:
        text = str(failure)
        about_the_call = re.search(r"not written yet|write it yourself|in place|raised \w+ on|warns on|failed on", text)
        raise CheckFailed(text if _has_step(text) or about_the_call else f"{text} — {STEPS[key]}") from None


def _key_step(key: str) -> str:
    return {"dA": "B4", "dW": "B2", "db": "B3", "dZ": "B1"}[key.rstrip("0123456789")]


def _unpack(got, name, label, what):
    if not isinstance(got, (tuple, list)) or len(got) != len(what):
        raise CheckFailed(f"{name} must return the {len(what)} values ({', '.join(what)}) on {label}, got "
                          f"{type(got).__name__}" + (f" of length {len(got)}" if isinstance(got, (tuple, list))
                                                      else ""))
    return got


def _square_case():
    # n[l] = n[l−1] = m = 3: W.T fits where W does and b.T broadcasts — the shape coincidences of article 003.
    return ("a 3-unit layer with 3 inputs and m = 3 (every shape equal)", *_layer(3, 3, 3, offset=2.0))


def _compare_linear_cache(name, cache, A_prev, W, b, Z, context, step="F1"):
    if not isinstance(cache, (tuple, list)) or len(cache) != 3:
        raise CheckFailed(f"{context}: {name} must be the tuple (A_prev, W, b), got {type(cache).__name__}"
                          + (f" of length {len(cache)}" if isinstance(cache, (tuple, list)) else "")
                          + f" — {STEPS[step]}; steps 2 and 4 backward read A_prev and W from it")
    with _step(step):
        for i, (part, want) in enumerate((("A_prev", A_prev), ("W", W), ("b", b))):
            compare_array(f"{name}[{i}] ({part})", cache[i], want, context=context,
                          mistakes={"Z: the cache keeps the inputs of F1 (A_prev, W, b), not its output": Z}
                          if Z.shape == want.shape else None)


@recorded
def check_linear_forward(student, *, seed: int | None = None) -> None:
    """Check ``student(A_prev, W, b)`` → ``(Z, cache)`` with cache = (A_prev, W, b)."""
    seed = new_seed(seed)
    with reporting_seed("check_linear_forward", seed):
        for label, _, (A_prev, W, b) in [_square_case(), *_linear_cases(seed)]:
            got = _unpack(call_student(student, "linear_forward", (A_prev, W, b), label, names=("A_prev", "W", "b"),
                                       refuse=("nblib.deep.linear_forward",)), "linear_forward", label, ("Z", "cache"))
            Z = W @ A_prev + b
            slips = {"b is missing: F1 adds the bias b[l] to every column": W @ A_prev}
            if W.shape[0] == W.shape[1]:
                slips[f"Wᵀ A_prev + b: it ran only because W is square here ({W.shape}); F1 uses W itself"] = \
                    W.T @ A_prev + b
            if W.shape[0] == A_prev.shape[1]:
                slips["W A_prev + bᵀ: bᵀ adds one bias per example (it broadcasts only because m = n[l] here); "
                      "b is a column (n[l], 1), one bias per unit"] = W @ A_prev + b.T
            with _step("F1"):
                compare_array("Z", got[0], Z, mistakes=slips, context=f"With {label}", m=A_prev.shape[1])
            _compare_linear_cache("cache", got[1], A_prev, W, b, Z, f"With {label}")
    passed("linear_forward returns the right Z and cache")


@recorded
def check_linear_activation_forward(student, *, seed: int | None = None) -> None:
    """Check ``student(A_prev, W, b, activation)`` → ``(A, ((A_prev, W, b), Z))`` for "relu" and "sigmoid"."""
    seed = new_seed(seed)
    with reporting_seed("check_linear_activation_forward", seed):
        for label, _, (A_prev, W, b) in [_square_case(), *_linear_cases(seed)]:
            Z = W @ A_prev + b
            for activation, other in (("relu", "sigmoid"), ("sigmoid", "relu")):
                where = f"activation = {activation!r} and {label}"
                got = _unpack(call_student(student, "linear_activation_forward", (A_prev, W, b, activation), where,
                                           names=("A_prev", "W", "b", "activation"),
                                           refuse=("nblib.deep.linear_activation_forward",
                                                   "nblib.deep.linear_forward")),
                              "linear_activation_forward", where, ("A", "cache"))
                A = deep._g(Z, activation)
                with _step("F2"):
                    compare_array("A", got[0], A, context=f"With {where}", mistakes={
                        "Z: g was not applied": Z,
                        f"{other}(Z): the other activation — use the one named by `activation`": deep._g(Z, other),
                        **({f"{activation}(Wᵀ A_prev + b): it ran only because W is square here; F1 uses W itself":
                            deep._g(W.T @ A_prev + b, activation)} if W.shape[0] == W.shape[1] else {})})
                cache = got[1]
                if not isinstance(cache, (tuple, list)) or len(cache) != 2 or not isinstance(cache[0], (tuple, list)):
                    raise CheckFailed(f"With {where}: the cache must be ((A_prev, W, b), Z) — the linear cache "
                                      f"first, then Z — got {type(cache).__name__}"
                                      + (f" of length {len(cache)}" if isinstance(cache, (tuple, list)) else "")
                                      + f" — {STEPS['F2']}")
                _compare_linear_cache("cache[0]", cache[0], A_prev, W, b, Z, f"With {where}", "F2")
                with _step("F2"):
                    compare_array("cache[1] (Z)", cache[1], Z, context=f"With {where}", mistakes={
                        "A = g(Z): the cache keeps Z, the pre-activation, because step 1 backward evaluates g′(Z)": A})
    passed("linear_activation_forward is right for relu and sigmoid")


def _all_same(activations, name):
    return [name] * len(activations)


def _forward(X, parameters, activations):
    return deep.model_forward(X, parameters, activations)


@recorded
def check_model_forward(student, *, seed: int | None = None) -> None:
    """Check ``student(X, parameters, activations)`` → ``(AL, caches)``, one ((A_prev, W, b), Z) per layer."""
    seed = new_seed(seed)
    with reporting_seed("check_model_forward", seed):
        for label, dims, activations, X, _, init_seed in _net_cases(seed):
            parameters = deep.initialize_parameters(dims, seed=init_seed)
            L = len(dims) - 1
            got = _unpack(call_student(student, "model_forward", (X, parameters, list(activations)), label,
                                       names=("X", "parameters", "activations"),
                                       refuse=("nblib.deep.model_forward", "nblib.deep.linear_activation_forward",
                                               "nblib.deep.linear_forward")), "model_forward", label,
                          ("AL", "caches"))
            AL, caches = _forward(X, parameters, activations)
            slips = {}
            for wrong in ("relu", "sigmoid"):
                if list(activations) != _all_same(activations, wrong):
                    slips[f"every layer used {wrong}: layer l uses activations[l−1]"] = \
                        _forward(X, parameters, _all_same(activations, wrong))[0]
            slips["Z[L]: the last layer's activation was not applied"] = caches[-1][1]
            if L > 1:
                shifted = [activations[0]] + list(activations[:-1])
                if shifted != list(activations):
                    slips["the activations shifted by one layer (activations[l−2] for layer l?)"] = \
                        _forward(X, parameters, shifted)[0]
            with _step("F3"):
                compare_array("AL", got[0], AL, mistakes=slips, context=f"With {label}")
            got_caches = got[1]
            if not isinstance(got_caches, (list, tuple)) or len(got_caches) != L:
                raise CheckFailed(f"With {label}: caches must be a list of {L} caches (one per layer, layer 1 "
                                  f"first), got {type(got_caches).__name__}"
                                  + (f" of length {len(got_caches)}" if isinstance(got_caches, (list, tuple))
                                     else "") + f" — {STEPS['F3']}")
            for l, ((A_prev, W, b), Z) in enumerate(caches):
                cache = got_caches[l]
                where = f"With {label}, caches[{l}] (layer {l + 1})"
                if not isinstance(cache, (tuple, list)) or len(cache) != 2:
                    raise CheckFailed(f"{where}: each cache must be ((A_prev, W, b), Z) from linear_activation_"
                                      f"forward, got {type(cache).__name__} — {STEPS['F2']}")
                _compare_linear_cache("cache[0]", cache[0], A_prev, W, b, Z, where, "F3")
                with _step("F2"):
                    compare_array("cache[1] (Z)", cache[1], Z, context=where, mistakes={
                        "A = g(Z): the cache keeps Z": deep._g(Z, activations[l])})
    passed("model_forward returns the right AL and one right cache per layer")


def _cost_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("the Specialization's published case (AL = [[0.8, 0.9, 0.4]])", np.array([[0.8, 0.9, 0.4]]),
              np.array([[1.0, 1.0, 0.0]])),
             ("one example (m = 1)", np.array([[0.3]]), np.array([[1.0]])),
             ("two outputs and m = 4", np.array([[0.2, 0.7, 0.9, 0.4], [0.6, 0.1, 0.35, 0.8]]),
              np.array([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]])),
             ("saturated outputs (A[L] within 1e-12 of 0 or 1, some confidently wrong)",
              np.array([[1e-12, 1 - 1e-12, 0.999999], [1 - 1e-12, 1e-9, 0.3]]),
              np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))]
    for i in range(2):
        n, m = int(rng.integers(1, 4)), int(rng.integers(2, 9))
        cases.append((f"random case {i + 1} (seed {seed}: n[L] = {n}, m = {m})", rng.uniform(0.05, 0.95, (n, m)),
                      (rng.uniform(size=(n, m)) > 0.5).astype(float)))
    return cases


@recorded
def check_compute_cost(student, *, seed: int | None = None) -> None:
    """Check ``student(AL, Y)`` → the cross-entropy cost J, a number."""
    seed = new_seed(seed)
    with reporting_seed("check_compute_cost", seed):
        for label, AL, Y in _cost_cases(seed):
            got = call_student(student, "compute_cost", (AL, Y), label, names=("AL", "Y"),
                               refuse=("nblib.deep.compute_cost", "nblib.losses.binary_cross_entropy"))
            m = AL.shape[1]
            terms = Y * np.log(AL) + (1 - Y) * np.log(1 - AL)
            J = -float(np.sum(terms)) / m
            if isinstance(got, np.ndarray) and got.ndim > 0:
                raise CheckFailed(f"With {label}: compute_cost must return one number, got an array of shape "
                                  f"{got.shape}" + (" — a sum over one axis only? " if got.size > 1 else
                                                    " (float(…) or np.squeeze turns it into a number) — ")
                                  + STEPS["F4"])
            if isinstance(got, (list, tuple)):
                raise CheckFailed(f"With {label}: compute_cost must return one number, got a {type(got).__name__}")
            slips = {"the (1 − Y) log(1 − A[L]) term is missing": -float(np.sum(Y * np.log(AL))) / m,
                     "a log base 10: F4 uses the natural log, np.log": -float(np.sum(terms / np.log(10))) / m}
            for eps in (1e-7, 1e-8):
                clipped = np.clip(AL, eps, 1 - eps)
                slips[f"a clipped log (np.clip(AL, {eps:g}, 1 − {eps:g}) or similar): F4 is exact for every A[L] in "
                      "(0, 1), and the clip changes J where A[L] is that close to 0 or 1"] = -float(np.sum(
                          Y * np.log(clipped) + (1 - Y) * np.log(1 - clipped))) / m
                slips[f"log(A[L] + {eps:g}): F4 is exact for every A[L] in (0, 1), and the added {eps:g} changes J, "
                      "most where A[L] is close to 0 or 1"] = -float(np.sum(
                          Y * np.log(AL + eps) + (1 - Y) * np.log(1 - AL + eps))) / m
            if AL.shape[0] > 1:
                slips[f"np.mean over every entry: that divides by n[L]·m = {AL.size}, F4 divides by m = {m} "
                      "only"] = J / AL.shape[0]
            with _step("F4"):
                compare_array("the cost", got, J, mistakes=slips, context=f"With {label}", m=m)
    passed("compute_cost is right on the published case and the others")


@recorded
def check_relu_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dA, Z)`` → dZ = dA ∗ relu′(Z) (relu′(0) = 0, as nblib.relu_gradient)."""
    seed = new_seed(seed)
    cases = []
    for label, dZ, (A_prev, W, b) in [_square_case(), *_linear_cases(seed)]:
        Z = W @ A_prev + b
        Z.flat[::3] = 0.0  # relu's corner: relu′(0) = 0 in this course
        dA = dZ + np.where(dZ >= 0, 0.1, -0.1)
        cases.append((label.replace("a ", "dA and Z of a ", 1) if not label.startswith("random") else label, (dA, Z)))
    with _step("B1"):
        check_function(student, "relu_backward", lambda dA, Z: dA * (Z > 0), cases, mistakes={
            "relu(dA) or dA ∗ (dA > 0): step 1 multiplies dA by relu′ evaluated at Z, not at dA":
                lambda dA, Z: np.maximum(dA, 0.0),
            "dA ∗ (Z ≥ 0): relu′(0) is 0 in this course (Z > 0), as nblib.relu_gradient":
                lambda dA, Z: dA * (Z >= 0),
            "relu′(Z) alone: step 1 multiplies it by dA": lambda dA, Z: (Z > 0).astype(float),
            "dA ∗ relu(Z): step 1 multiplies by relu′(Z), the derivative, not relu(Z)":
                lambda dA, Z: dA * np.maximum(Z, 0.0),
        }, refuse=("nblib.activations.relu_gradient",), check_name="check_relu_backward",
            seed=seed, names=("dA", "Z"))


@recorded
def check_sigmoid_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dA, Z)`` → dZ = dA ∗ σ(Z)(1 − σ(Z))."""
    seed = new_seed(seed)
    cases = []
    for label, dZ, (A_prev, W, b) in [_square_case(), *_linear_cases(seed)]:
        Z = 2.0 * (W @ A_prev + b)
        cases.append((label.replace("a ", "dA and Z of a ", 1) if not label.startswith("random") else label,
                      (dZ, Z)))
    s = deep._g
    with _step("B1"):
        check_function(student, "sigmoid_backward", lambda dA, Z: dA * s(Z, "sigmoid") * (1 - s(Z, "sigmoid")),
                       cases, mistakes={
            "σ′ evaluated at A = σ(Z): step 1 evaluates g′ at Z[l]":
                lambda dA, Z: dA * s(s(Z, "sigmoid"), "sigmoid") * (1 - s(s(Z, "sigmoid"), "sigmoid")),
            "dA ∗ Z(1 − Z): σ′ written with σ needs σ(Z), not Z itself":
                lambda dA, Z: dA * Z * (1 - Z),
            "σ(dA): step 1 multiplies dA by σ′(Z); it does not apply σ to dA": lambda dA, Z: s(dA, "sigmoid"),
            "dA ∗ σ(Z): σ′ is not σ — a factor of lesson 01's σ′ is missing": lambda dA, Z: dA * s(Z, "sigmoid"),
            "σ′(Z) alone: step 1 multiplies it by dA": lambda dA, Z: s(Z, "sigmoid") * (1 - s(Z, "sigmoid")),
            "2·dA ∗ σ′(Z): your σ′ is twice lesson 01's":
                lambda dA, Z: 2 * dA * s(Z, "sigmoid") * (1 - s(Z, "sigmoid")),
        }, refuse=("nblib.activations.sigmoid_gradient",),
            check_name="check_sigmoid_backward", seed=seed, names=("dA", "Z"))


def _update_cases(seed: int):
    out = []
    for label, dims, _, X, _, init_seed in _net_cases(seed):
        rng = np.random.default_rng(seed + 1 if "random" in label else init_seed)
        parameters = deep.initialize_parameters(dims, seed=init_seed)
        for l in range(1, len(dims)):
            parameters[f"b{l}"] = np.linspace(0.2, -0.1, dims[l]).reshape(-1, 1)
        grads = {f"d{k}": rng.normal(0, 1, v.shape) for k, v in parameters.items()}
        lr = 0.1 if "random" not in label else float(rng.choice([0.05, 0.3, 0.75]))
        out.append((label + f", α = {lr}", parameters, grads, lr, X.shape[1]))
    return out


@recorded
def check_update_parameters(student, *, seed: int | None = None) -> None:
    """Check ``student(parameters, grads, learning_rate)`` → a new dict W1, b1, …, WL, bL, one step downhill."""
    seed = new_seed(seed)
    with reporting_seed("check_update_parameters", seed):
        for label, parameters, grads, lr, m in _update_cases(seed):
            got = call_student(student, "update_parameters", (parameters, grads, lr), label,
                               names=("parameters", "grads", "learning_rate"),
                               refuse=("nblib.deep.update_parameters",))
            want = {k: v - lr * grads["d" + k] for k, v in parameters.items()}
            slips = {k: {"W + α dW: the step goes uphill; step 6 subtracts": v + lr * grads["d" + k],
                         "W − dW: the learning rate α is missing": v - grads["d" + k],
                         "the parameter unchanged: was it updated at all (or only W)?": v,
                         f"W − α dW / m: grads already hold the 1/m (steps 2–3); step 6 adds none (m = {m})":
                             v - lr * grads["d" + k] / m}
                     for k, v in parameters.items()}
            try:
                compare_dict("the updated parameters", got, want, mistakes=slips, context=f"With {label}")
            except CheckFailed as failure:
                raise CheckFailed(f"{failure}" if _has_step(str(failure)) else f"{failure} — {STEPS['B6']}") from None
    passed("update_parameters takes one step downhill and leaves its inputs alone")


# --- model_backward, judged against central differences ("ninja style") ----------------------------------------


def _numerical_entry(key, index, X, Y, parameters, activations, eps=1e-6):
    """The central difference of J with respect to one entry of the array behind ``key``, in the check's units
    (dA, dZ: m·∂J/∂·, as nblib.deep's convention; dW, db: ∂J/∂·)."""
    m = X.shape[1]
    name, l = key.rstrip("0123456789"), int(key.lstrip("dAZWb"))
    _, caches = deep.model_forward(X, parameters, activations)
    if name in ("dW", "db"):
        J, base, scale = deep.cost_of(X, Y, activations), {k: v.copy() for k, v in parameters.items()}, 1.0
        target = key[1:]

        def at(delta):
            p = {k: v.copy() for k, v in base.items()}
            p[target][index] += delta
            return J(p)
    else:
        L = len(caches)
        if name == "dA":
            A = caches[l][0][0] if l < L else None
            f = deep.cost_from(l, Y, parameters, activations)

            def at(delta):
                B = A.copy()
                B[index] += delta
                return f({f"A{l}": B})
        else:  # dZ{l}: the cost from Z[l] is the cost from A[l] = g(Z[l])
            Z = caches[l - 1][1]
            if l == L:
                def at(delta):
                    W = Z.copy()
                    W[index] += delta
                    return float(np.sum(np.logaddexp(0.0, W) - Y * W)) / m
            else:
                f = deep.cost_from(l, Y, parameters, activations)

                def at(delta):
                    W = Z.copy()
                    W[index] += delta
                    return f({f"A{l}": deep._g(W, activations[l - 1])})
        scale = m
    return scale * (at(eps) - at(-eps)) / (2 * eps)


def _dZ_from(want, X, Y, parameters, activations) -> dict:
    AL, caches = deep.model_forward(X, parameters, activations)
    return _dZ(AL, Y, caches, activations)


def _ninja(failure: CheckFailed, got, want, X, Y, parameters, activations) -> CheckFailed:
    """Add to a failed key the central difference of J at its first wrong entry, and the derivation step it breaks."""
    text = str(failure)
    step = re.search(r"grads\['(d[AZWb]\d+)'\]", text)
    extra = ""
    if step and isinstance(got, dict):
        key = step.group(1)
        mine, right = got.get(key), {**want, **_dZ_from(want, X, Y, parameters, activations)}.get(key)
        if isinstance(mine, np.ndarray) and right is not None and mine.shape == right.shape:
            with np.errstate(all="ignore"):
                bad = np.argwhere(~np.isclose(np.asarray(mine, dtype=np.float64), right, rtol=1e-7, atol=1e-12))
            if bad.size:
                index = tuple(int(i) for i in bad[0])
                try:
                    numerical = _numerical_entry(key, index, X, Y, parameters, activations)
                    extra = (f" (at index {index} central differences of J give {numerical:.6g}, yours "
                             f"{float(mine[index]):.6g}"
                             + ("; nblib.deep's dA, dZ are m·∂J/∂A, m·∂J/∂Z" if key[:2] in ("dA", "dZ") else "")
                             + ")")
                except Exception:  # noqa: BLE001 — no numerical value, the message stands
                    extra = ""
    if step and not _has_step(text):
        extra += f" — {_located_step(got, want, len(parameters) // 2) or STEPS[_key_step(step.group(1))]}"
    return CheckFailed(text + extra)


def _right(got, want) -> bool:
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return g.shape == want.shape and bool(np.allclose(g, want, rtol=1e-7, atol=1e-9 * scale))


def _located_step(got, want, L: int) -> str | None:
    """The derivation step that is wrong, located by layers (issue 25): the first layer l (from L down) with a wrong
    entry; if its dW[l], db[l] and dA[l−1] are all wrong, the one thing they share, dZ[l], is — step 1 (or, at the
    top, step 0's start); otherwise the step of the first wrong entry. The dA[l] a hidden layer starts from was judged
    right one layer up, so a wrong dZ[l] there is step 1's."""
    if not isinstance(got, dict):
        return None
    for l in range(L, 0, -1):
        keys = [k for k in (f"dW{l}", f"db{l}", f"dA{l - 1}") if k in want]
        wrong = [k for k in keys if not _right(got.get(k), want[k])]
        if not wrong:
            continue
        if len(wrong) == len(keys) == 3:
            shared = (f"dW{l}, db{l} and dA{l - 1} are all wrong, and the one thing the three are made from is "
                      f"dZ[{l}], so the mistake comes before steps 2–4")
            if l == L:
                return (f"{shared}: {STEPS['B0']} (the start), or {STEPS['B1']}")
            return f"{shared} (dA{l} from the layer above is right): {STEPS['B1']}"
        return STEPS[_key_step(wrong[0])]
    return None



# --- The mistake clinic as an exercise: repair the question's equations one at a time ---------------------------


def _clinic_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("the lesson's [3, 5, 4, 1] net with m = 6", [3, 5, 4, 1], np.sin(np.arange(18.0)).reshape(3, 6),
              np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]]), 2),
             ("a [3, 4, 4, 2] net with m = n[1] = n[2] = 4", [3, 4, 4, 2], np.cos(np.arange(12.0) * 0.7).reshape(3, 4),
              np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]), 3),
             ("a [3, 5, 4, 1] net with m = 1", [3, 5, 4, 1], np.array([[0.5], [-1.0], [0.8]]), np.array([[1.0]]), 4)]
    dims = [int(v) for v in rng.integers(2, 7, size=4)]
    m = int(rng.integers(2, 8))
    cases.append((f"random case 1 (seed {seed}: a {dims} net, m = {m})", dims, rng.normal(0, 1, (dims[0], m)),
                  (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float), int(rng.integers(100))))
    return cases


CLINIC_ACTIVATIONS = ["relu", "relu", "sigmoid"]
_SUBSETS = [frozenset(c) for r in range(5) for c in itertools.combinations(mistakes.CLINIC_BUGS, r)]


def _same_grads(got, want) -> bool:
    if not isinstance(got, dict) or set(want) - set(got):
        return False
    for key, value in want.items():
        g = got[key]
        if not isinstance(g, np.ndarray) or g.shape != value.shape or not np.allclose(
                g, value, rtol=1e-7, atol=1e-9 * max(1.0, float(np.max(np.abs(value), initial=0.0)))):
            return False
    return True


def clinic_remaining(grads_by_case) -> list[frozenset]:
    """The subsets of the question's four mistakes whose backward pass gives exactly ``grads_by_case`` on every case
    of :func:`_clinic_cases` (a list of (case, grads) pairs)."""
    left = list(_SUBSETS)
    for (_, dims, X, Y, init_seed), got in grads_by_case:
        parameters = deep.initialize_parameters(dims, seed=init_seed)
        AL, caches = deep.model_forward(X, parameters, CLINIC_ACTIVATIONS)
        keep = []
        for bugs in left:
            try:
                want = mistakes.clinic_backward(AL, Y, caches, CLINIC_ACTIVATIONS, bugs=bugs)
            except ValueError:
                continue
            if _same_grads(got, want):
                keep.append(bugs)
        left = keep
    return left


def clinic_diagnosis(student) -> str:
    """Which of the question's four mistakes ``student(AL, Y, caches, activations)`` still makes, as one line
    (on the lesson's net; no exception — for the page)."""
    case = _clinic_cases(0)[0]
    label, dims, X, Y, init_seed = case
    parameters = deep.initialize_parameters(dims, seed=init_seed)
    AL, caches = deep.model_forward(X, parameters, CLINIC_ACTIVATIONS)
    left = clinic_remaining([(case, student(AL, Y, caches, list(CLINIC_ACTIVATIONS)))])
    if not left:
        return "no subset of the question's four mistakes gives these gradients"
    return f"{len(left[0])} of the question's 4 mistakes present: " + ", ".join(sorted(left[0]))


@recorded
def check_clinic_repair(student, *, seed: int | None = None) -> None:
    """Check ``student(AL, Y, caches, activations)``, a repair of the question's backward pass (relu, relu, sigmoid).

    Its gradients are compared with :func:`nblib.mistakes.clinic_backward` for every subset of the four mistakes of
    :data:`nblib.mistakes.CLINIC_BUGS`; the message lists the ones still present. With none left, every dA{l−1},
    dW{l}, db{l} must equal nblib.deep's.
    """
    seed = new_seed(seed)
    results = []
    with reporting_seed("check_clinic_repair", seed):
        for case in _clinic_cases(seed):
            label, dims, X, Y, init_seed = case
            parameters = deep.initialize_parameters(dims, seed=init_seed)
            AL, caches = deep.model_forward(X, parameters, CLINIC_ACTIVATIONS)
            try:
                got = call_student(student, "repaired_backward", (AL, Y, caches, list(CLINIC_ACTIVATIONS)), label,
                                   names=("AL", "Y", "caches", "activations"),
                                   refuse=("nblib.deep.model_backward", "nblib.deep.linear_activation_backward",
                                           "nblib.deep.linear_backward", "nblib.mistakes.clinic_backward"))
            except CheckFailed as failure:
                text = str(failure)
                if "do not" in text or "differ" in text or "shapes" in text:
                    text += (" — a shape that does not fit is the mark of the question's dA[l−1] = (1/m) dZ[l]·dA[l]ᵀ "
                             "(no W[l]ᵀ): its array is (n[l], n[l]), the wrong size for the layer below; "
                             + STEPS["B4"])
                raise CheckFailed(text) from None
            if not isinstance(got, dict):
                raise CheckFailed(f"repaired_backward must return the dict of gradients (dA2, dW3, db3, …, dA0, dW1, "
                                  f"db1), got {type(got).__name__} on {label}")
            results.append((case, got))
            left = clinic_remaining(results)
            if left and frozenset() not in left:
                bugs = min(left, key=len)
                fixed = [k for k in mistakes.CLINIC_BUGS if k not in bugs]
                raise CheckFailed(f"With {label}: {len(bugs)} of the question's 4 mistakes remain — "
                                  + "; ".join(f"{mistakes.CLINIC_BUGS[k]} ({STEPS[CLINIC_STEPS[k]]})"
                                              for k in mistakes.CLINIC_BUGS if k in bugs)
                                  + (f" (fixed: {', '.join(fixed)})" if fixed else ""))
            if not left or frozenset() in left:  # repaired, or unexplained: every entry, dtype first
                want = deep.model_backward(AL, Y, caches, CLINIC_ACTIVATIONS)
                try:
                    compare_dict("grads", got, want, mistakes=model_mistakes(AL, Y, caches, CLINIC_ACTIVATIONS),
                                 context=f"With {label}" + ("" if left else
                                                            " (no subset of the question's mistakes explains it)"),
                                 m=X.shape[1], optional=_dZ(AL, Y, caches, CLINIC_ACTIVATIONS))
                except CheckFailed as failure:
                    raise _ninja(failure, got, want, X, Y, parameters, CLINIC_ACTIVATIONS) from None
    passed("repaired_backward: all four of the question's mistakes are repaired")


# --- Derive it yourself (issue 25): gradients the pages do not derive ---------------------------------------------


def leaky_relu_backward_reference(dA, Z, slope):
    """dZ = dA ∗ leaky′(Z) with leaky(z) = z for z > 0, slope·z for z ≤ 0 (the left slope at exactly 0)."""
    return np.where(Z > 0, dA, slope * dA)


def _leaky_cases(seed: int):
    cases = []
    fixed = [(0.01, "slope = 0.01"), (0.2, "slope = 0.2"), (0.0, "slope = 0 (the lower edge: relu itself)"),
             (0.99, "slope = 0.99 (near the upper edge 1)")]
    layers = [_square_case(), *_linear_cases(seed)]
    for i, (label, dZ, (A_prev, W, b)) in enumerate(layers):
        Z = W @ A_prev + b
        Z.flat[::3] = 0.0  # exactly 0: the left slope, as relu′(0) = 0
        dA = dZ + np.where(dZ >= 0, 0.1, -0.1)
        if label.startswith("random"):
            slope = float(np.random.default_rng(seed + i).uniform(0.0, 1.0))
            cases.append((f"{label}, slope = {slope:.3f}", (dA, Z, slope)))
        else:
            slope, words = fixed[i % len(fixed)]
            cases.append((f"{label.replace('a ', 'dA and Z of a ', 1)}, {words}", (dA, Z, slope)))
    return cases


@recorded
def check_leaky_relu_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dA, Z, slope)`` → dZ = dA ∗ leaky′(Z), leaky(z) = z (z > 0), slope·z (z ≤ 0), 0 ≤ slope < 1."""
    seed = new_seed(seed)

    def where(Z, right, left):
        return np.where(Z > 0, right, left)

    with _step("B1"):
        check_function(student, "leaky_relu_backward", leaky_relu_backward_reference, _leaky_cases(seed), mistakes={
            "relu′: the slope of the z ≤ 0 piece is not 0 any more — differentiate slope·z":
                lambda dA, Z, slope: dA * (Z > 0),
            "the two slopes swapped: for z > 0 leaky(z) = z, for z ≤ 0 it is slope·z":
                lambda dA, Z, slope: dA * where(Z, slope, 1.0),
            "leaky′(Z) alone on the z ≤ 0 side: step 1 multiplies dA by g′(Z) on both sides":
                lambda dA, Z, slope: where(Z, dA, slope),
            "leaky′(Z) alone: step 1 multiplies it by dA": lambda dA, Z, slope: where(Z, 1.0, slope),
            "dA ∗ leaky(Z): step 1 multiplies by the derivative leaky′(Z), not by leaky(Z)":
                lambda dA, Z, slope: dA * where(Z, Z, slope * Z),
            "leaky(dA) — g′ evaluated at dA: step 1 evaluates g′ at Z, the pre-activation the cache kept":
                lambda dA, Z, slope: where(dA, dA, slope * dA),
            "−slope on the z ≤ 0 side: the derivative of slope·z is +slope":
                lambda dA, Z, slope: where(Z, dA, -slope * dA),
            "Z ≥ 0 at the kink: at exactly z = 0 this exercise takes the left slope (as relu′(0) = 0 does), so the "
            "test is Z > 0": lambda dA, Z, slope: dA * np.where(Z >= 0, 1.0, slope),
        }, refuse=("nblib.activations.relu_gradient",), check_name="check_leaky_relu_backward", seed=seed,
            names=("dA", "Z", "slope"))


def tanh_squared_error_start_reference(AL, Y):
    """(dA[L], dZ[L]) for J = (1/2m) Σ (A[L] − Y)² with a tanh output, in the course's convention (no 1/m)."""
    dAL = AL - Y
    return dAL, dAL * (1.0 - AL ** 2)


def _tanh_start_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("one output and m = 6", np.tanh(np.linspace(-1.5, 2.0, 6)).reshape(1, 6),
              np.array([[1.0, -1.0, 0.5, 0.0, -0.3, 1.0]])),
             ("two outputs and m = 2 (n[L] = m)", np.array([[0.3, -0.8], [0.95, -0.1]]),
              np.array([[-1.0, 0.2], [1.0, 0.7]])),
             ("three outputs and m = 1", np.array([[0.0], [0.6], [-0.45]]), np.array([[-0.5], [1.0], [-1.0]])),
             ("the edges: A[L] = 0 and A[L] near ±1, Y = ±1", np.array([[0.0, 1 - 1e-9, -(1 - 1e-9), 0.999]]),
              np.array([[1.0, -1.0, 1.0, -1.0]]))]
    for i in range(2):
        n, m = int(rng.integers(1, 4)), int(rng.integers(2, 9))
        cases.append((f"random case {i + 1} (seed {seed}: n[L] = {n}, m = {m})",
                      np.tanh(rng.normal(0, 1.5, (n, m))), rng.uniform(-1, 1, (n, m))))
    return cases


@recorded
def check_tanh_squared_error_start(student, *, seed: int | None = None) -> None:
    """Check ``student(AL, Y)`` → (dAL, dZL) for J = (1/2m) Σ (A[L] − Y)², A[L] = tanh(Z[L]), in the course's
    convention (gradients of the summed loss: no 1/m). AL in (−1, 1), Y in [−1, 1]."""
    seed = new_seed(seed)
    start = "the start dA[L] = m·∂J/∂A[L]"
    with reporting_seed("check_tanh_squared_error_start", seed):
        for label, AL, Y in _tanh_start_cases(seed):
            got = _unpack(call_student(student, "tanh_squared_error_start", (AL, Y), label, names=("AL", "Y")),
                          "tanh_squared_error_start", label, ("dAL", "dZL"))
            m = AL.shape[1]
            dAL, dZL = tanh_squared_error_start_reference(AL, Y)
            context = f"With {label}"
            with np.errstate(all="ignore"):
                cross_entropy = -(Y / AL - (1 - Y) / (1 - AL))
            try:
                compare_array("dAL", got[0], dAL, context=context, m=m, mistakes={
                    f"Y − A[L]: the sign is flipped — {start} is the derivative of ½(a − y)² with respect to a, "
                    "not to y": Y - AL,
                    f"an extra 1/m: {start} is the gradient of the summed loss; the 1/m comes in steps 2–3":
                        dAL / m,
                    "2(A[L] − Y): the ½ of the cost is missing — differentiate ½(a − y)², not (a − y)²": 2 * dAL,
                    "cross-entropy's start: this exercise's cost is the squared error, not −[y log a + …]":
                        cross_entropy,
                })
            except CheckFailed as failure:
                raise CheckFailed(f"{failure} — step 0 for this cost: dA[L] is one example's ∂/∂a of ½(a − y)², "
                                  "entry by entry (the 1/m is left to steps 2–3)") from None
            with _step("B1"):
                compare_array("dZL", got[1], dZL, context=context, m=m, mistakes={
                    "dZL = dA[L]: the output's g′ was not applied — the asker's ŷ − y shortcut belongs to a sigmoid "
                    "output with cross-entropy, whose 1/a and 1/(1 − a) cancel σ′; here nothing cancels": dAL,
                    "dA[L] ∗ A(1 − A): that is σ′, the sigmoid's derivative — this output is tanh":
                        dAL * AL * (1 - AL),
                    "dA[L] ∗ (1 − tanh²(A[L])): tanh′ evaluated at A[L] = tanh(Z[L]), i.e. tanh applied twice — "
                    "write tanh′(Z) with tanh(Z) itself, which is A[L]": dAL * (1 - np.tanh(AL) ** 2),
                    "dA[L] ∗ (1 − A[L]): tanh′ is 1 − tanh², the square is missing": dAL * (1 - AL),
                    "dZL has an extra 1/m (step 1 has none; the 1/m comes in steps 2–3)": dZL / m,
                })
    passed("tanh_squared_error_start returns the right dA[L] and dZ[L]")
