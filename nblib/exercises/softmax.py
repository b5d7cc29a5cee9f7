"""Lesson 09's checks: ``check_softmax``, ``check_cross_entropy``, ``check_softmax_gradient``,
``check_smoothed_gradient`` (label smoothing, derived by the learner) and ``check_softmax_backward`` — each takes the
student's function.

Layout (classes, m): one column per example, one row per class, Y one-hot. Cases: fixed arrays (m = 4, m = 1,
m = classes, scores of ±1e4), plus random ones from a seed chosen per call (the message names it).
"""

from __future__ import annotations

import warnings

import numpy as np

from nblib import deep
from nblib.activations import sigmoid
from nblib.activations import softmax as _guarded_softmax
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

_softmax = _guarded_softmax.__wrapped__  # the helper itself refuses while check_softmax runs the student's code


def _one_hot(labels, classes):
    return np.eye(classes)[:, labels]


def _scores(classes, m, offset=0.0):
    return 2.5 * np.sin(np.arange(1.0, classes * m + 1) * 0.73 + offset).reshape(classes, m)


# --- exercise 1: softmax --------------------------------------------------------------------------------------

SOFTMAX_CASES = [
    ("Z of shape (3, 4) (3 classes, m = 4)", (_scores(3, 4),)),
    ("one example, Z of shape (4, 1)", (_scores(4, 1, 0.4),)),
    ("Z of shape (3, 3) (m = classes)", (_scores(3, 3, 1.1),)),
    ("scores of ±1e4, Z = [[1e4, -1e4], [0, -1e4], [-1e4, -9999]]",
     (np.array([[1e4, -1e4], [0.0, -1e4], [-1e4, -9999.0]]),)),
]


def _stable_exp(Z, axis):
    return np.exp(Z - np.max(Z, axis=axis, keepdims=True))


SOFTMAX_MISTAKES = {
    "the scores were normalised over the examples (axis=1) instead of over the classes (axis=0): each *column* "
    "must sum to 1": lambda Z: _stable_exp(Z, 1) / _stable_exp(Z, 1).sum(axis=1, keepdims=True),
    "the scores were normalised over every entry at once (a sum without axis=0): each column must sum to 1 by "
    "itself": lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(),
    "e^(z − max z) without dividing by the column's sum": lambda Z: _stable_exp(Z, 0),
    "σ(z) entry by entry: a sigmoid per class, not a softmax over the classes": sigmoid,
    "exp was dropped: (z − max z) / Σ (z − max z) is not a probability": lambda Z: (Z - Z.max(axis=0)) / np.where(
        (Z - Z.max(axis=0)).sum(axis=0) == 0, 1.0, (Z - Z.max(axis=0)).sum(axis=0)),
}


def softmax_random_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(2):
        classes, m = (int(v) for v in rng.integers([2, 1], [7, 7]))
        cases.append((f"random case {i + 1} (seed {seed}: Z of shape ({classes}, {m}))",
                      (rng.normal(0, 4, (classes, m)),)))
    return cases


@recorded
def check_softmax(student, *, seed: int | None = None) -> None:
    """Check ``student(Z)`` → softmax over the classes (axis 0) of a (classes, m) array, stable at |z| = 1e4."""
    seed = new_seed(seed)
    check_function(student, "softmax", _softmax, SOFTMAX_CASES + softmax_random_cases(seed),
                   mistakes=SOFTMAX_MISTAKES, refuse=("nblib.activations.softmax",), check_name="check_softmax",
                   seed=seed, names=("Z",))


# --- exercise 2: cross-entropy from probabilities --------------------------------------------------------------


def _ce(A, Y):
    return -float(np.sum(Y * np.log(A))) / A.shape[1]


def ce_cases(seed: int):
    cases = [("A of shape (3, 4) (3 classes, m = 4)", _softmax(_scores(3, 4)), _one_hot([0, 2, 1, 2], 3)),
             ("one example, A of shape (4, 1)", _softmax(_scores(4, 1, 0.4)), _one_hot([3], 4)),
             ("A of shape (5, 5) (m = classes)", _softmax(_scores(5, 5, 1.1)), _one_hot([4, 0, 0, 2, 1], 5)),
             ("saturated probabilities (1e-12 and 1 − 2e-12: one example confidently wrong, one confidently right)",
              np.array([[1e-12, 1 - 2e-12], [1 - 2e-12, 1e-12], [1e-12, 1e-12]]), _one_hot([0, 0], 3))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        classes, m = (int(v) for v in rng.integers([2, 2], [7, 8]))
        cases.append((f"random case {i + 1} (seed {seed}: A of shape ({classes}, {m}))",
                      _softmax(rng.normal(0, 2, (classes, m))), _one_hot(rng.integers(0, classes, m), classes)))
    return cases


def ce_mistakes(A, Y) -> dict:
    m = A.shape[1]
    return {
        "the binary cross-entropy of each class, −(1/m) Σ [Y log A + (1 − Y) log(1 − A)]: with a softmax the other "
        "classes' probabilities already shrink when the true one grows, so only Y log A is summed":
            -float(np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))) / m,
        "the mean over every entry (divided by classes × m): J is summed over the classes and averaged over the m "
        "examples only": -float(np.mean(Y * np.log(A))),
        "the sum over the examples: the 1/m of the mean is missing": -float(np.sum(Y * np.log(A))),
        "Σ log A over every class: Y must pick the true class's probability (Y log A)": -float(np.sum(np.log(A))) / m,
        **{f"a clipped log (np.clip(A, {eps:g}, 1)): J = −(1/m) Σ Y log A is exact for every probability, and the "
           f"clip changes it where the true class's probability is below {eps:g}":
           -float(np.sum(Y * np.log(np.clip(A, eps, 1.0)))) / m for eps in (1e-7, 1e-8)},
        **{f"log(A + {eps:g}): J = −(1/m) Σ Y log A is exact for every probability, and the added {eps:g} changes it, "
           "most where the true class's probability is close to 0": -float(np.sum(Y * np.log(A + eps))) / m
           for eps in (1e-7, 1e-8)},
    }


@recorded
def check_cross_entropy(student, *, seed: int | None = None) -> None:
    """Check ``student(A, Y)`` → J = −(1/m) Σ Y log A, a number, for (classes, m) probabilities A and one-hot Y."""
    seed = new_seed(seed)
    with reporting_seed("check_cross_entropy", seed):
        for label, A, Y in ce_cases(seed):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                got = call_student(student, "cross_entropy", (A, Y), label, names=("A", "Y"),
                                   refuse=("nblib.losses.categorical_cross_entropy",))
            if isinstance(got, np.ndarray) and got.shape != ():
                raise CheckFailed(f"On {label}: the result of cross_entropy has shape {got.shape}, expected a single "
                                  "number: sum over the classes *and* average over the m examples")
            compare_array("the result of cross_entropy", got, _ce(A, Y), mistakes=ce_mistakes(A, Y),
                          context=f"On {label}", m=A.shape[1])
    passed(f"cross_entropy is right on all {len(ce_cases(0)) - 2} cases")


# --- exercise 3: the gradient ŷ − y -----------------------------------------------------------------------------


def _grad(Z, Y, w):
    return (_softmax(Z) - Y) * (w / np.sum(w))


def grad_cases(seed: int):
    """(label, Z, Y, w): unequal weights, one example, equal weights (the plain mean), a zero weight, m = classes,
    scores of ±1e4, then random cases."""
    cases = [("Z of shape (3, 4) (3 classes, m = 4), w = [1, 2, 0.5, 4]", _scores(3, 4), _one_hot([0, 2, 1, 2], 3),
              np.array([1.0, 2.0, 0.5, 4.0])),
             ("one example, Z of shape (4, 1), w = [3]", _scores(4, 1, 0.4), _one_hot([3], 4), np.array([3.0])),
             ("Z of shape (3, 3) (m = classes), w = [1, 1, 1] (the plain mean)", _scores(3, 3, 1.1),
              _one_hot([1, 1, 0], 3), np.ones(3)),
             ("a zero weight: Z of shape (4, 4), w = [0, 1, 2, 1]", _scores(4, 4, 0.6), _one_hot([3, 0, 2, 1], 4),
              np.array([0.0, 1.0, 2.0, 1.0])),
             ("Z of shape (3, 3) (m = classes), w = [0.2, 3, 1]", _scores(3, 3, 2.3), _one_hot([2, 0, 0], 3),
              np.array([0.2, 3.0, 1.0])),
             ("scores of ±1e4, w = [2, 0.5]", np.array([[1e4, -1e4], [0.0, -1e4], [-1e4, -9999.0]]),
              _one_hot([1, 2], 3), np.array([2.0, 0.5]))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        classes, m = (int(v) for v in rng.integers([2, 2], [7, 8]))
        cases.append((f"random case {i + 1} (seed {seed}: Z of shape ({classes}, {m}), random weights)",
                      rng.normal(0, 3, (classes, m)), _one_hot(rng.integers(0, classes, m), classes),
                      np.round(rng.uniform(0.1, 3.0, m), 3)))
    return cases


def grad_mistakes(Z, Y, w) -> dict:
    A, m = _softmax(Z), Z.shape[1]
    share = w / np.sum(w)
    slips = {
        "the weights were left out: that is the plain mean over the m examples": (A - Y) / m,
        "each column was multiplied by its weight, but nothing divided by the total weight Σw": (A - Y) * w,
        "divided by m instead of by the total weight Σw": (A - Y) * w / m,
        "ŷ(1 − ŷ)(ŷ − y): a σ′-like factor kept — that is only the diagonal of the softmax Jacobian; its "
        "off-diagonal terms −ŷ_i ŷ_j count too (step 5 sums over every i)": A * (1 - A) * (A - Y) * share,
        "σ(Z) − Y: a sigmoid per entry instead of the softmax over the classes": (sigmoid(Z) - Y) * share,
        "−Y/ŷ: that is ∂J/∂ŷ, the gradient with respect to the probabilities, not the scores Z":
            -Y / np.maximum(A, 1e-300) * share,
        "the softmax was normalised over the examples (axis=1) instead of the classes (axis=0)":
            (SOFTMAX_MISTAKES[next(iter(SOFTMAX_MISTAKES))](Z) - Y) * share,
    }
    if Z.shape[0] == m:
        slips["the weights scaled the rows (classes) instead of the columns (examples): weight j belongs to example "
              "j, column j"] = (A - Y) * share[:, None]
    return slips


@recorded
def check_softmax_gradient(student, *, seed: int | None = None) -> None:
    """Check ``student(Z, Y, w)`` → ∂J/∂Z for J = Σ_j w_j L_j / Σ_j w_j, L_j the cross-entropy of column j's softmax."""
    seed = new_seed(seed)
    with reporting_seed("check_softmax_gradient", seed):
        for label, Z, Y, w in grad_cases(seed):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                got = call_student(student, "softmax_gradient", (Z, Y, w), label, names=("Z", "Y", "w"),
                                   refuse=("nblib.losses.softmax_cross_entropy_gradient",))
            want = _grad(Z, Y, w)
            slips = {d: v for d, v in grad_mistakes(Z, Y, w).items()
                     if not np.allclose(v, want, rtol=1e-7, atol=1e-12)}
            compare_array("dZ", got, want, mistakes=slips, context=f"On {label}")
    passed(f"softmax_gradient is right on all {len(grad_cases(0)) - 2} fixed cases and 2 random ones")


# --- exercise 4 (derive it yourself): the gradient of label-smoothed cross-entropy -------------------------------


def smoothed_targets(Y, eps):
    """(1 − ε)·Y + ε/K: every class gets ε/K, the true class 1 − ε + ε/K."""
    return (1.0 - eps) * Y + eps / Y.shape[0]


def _smoothed_grad(Z, Y, eps):
    return (_softmax(Z) - smoothed_targets(Y, eps)) / Z.shape[1]


def smoothed_cases(seed: int):
    cases = [("Z of shape (3, 4) (3 classes, m = 4), ε = 0.1", _scores(3, 4), _one_hot([0, 2, 1, 2], 3), 0.1),
             ("one example, Z of shape (4, 1), ε = 0.3", _scores(4, 1, 0.4), _one_hot([3], 4), 0.3),
             ("Z of shape (3, 3) (m = classes), ε = 0.2", _scores(3, 3, 1.1), _one_hot([1, 1, 0], 3), 0.2),
             ("two classes, Z of shape (2, 5), ε = 0.25", _scores(2, 5, 0.9), _one_hot([0, 1, 1, 0, 1], 2), 0.25),
             ("ε = 0 (no smoothing), Z of shape (4, 3)", _scores(4, 3, 2.0), _one_hot([2, 0, 3], 4), 0.0),
             ("ε = 1 (uniform targets), Z of shape (5, 2)", _scores(5, 2, 0.2), _one_hot([4, 1], 5), 1.0),
             ("scores of ±1e4, ε = 0.1", np.array([[1e4, -1e4], [0.0, -1e4], [-1e4, -9999.0]]), _one_hot([1, 2], 3),
              0.1)]
    rng = np.random.default_rng(seed)
    for i in range(2):
        classes, m = (int(v) for v in rng.integers([2, 1], [8, 8]))
        eps = round(float(rng.uniform(0.01, 0.6)), 3)
        cases.append((f"random case {i + 1} (seed {seed}: Z of shape ({classes}, {m}), ε = {eps:g})",
                       rng.normal(0, 3, (classes, m)), _one_hot(rng.integers(0, classes, m), classes), eps))
    return cases


def smoothed_mistakes(Z, Y, eps) -> dict:
    A, m, K = _softmax(Z), Z.shape[1], Z.shape[0]
    return {
        "the smoothing was left out: that is the gradient for the one-hot Y, not for the smoothed targets (step 6 "
        "holds for any targets; redo it with the smoothed ones)": (A - Y) / m,
        "the 1/m of the mean over the examples is missing": (A - smoothed_targets(Y, eps)),
        "(1 − ε)·Y alone was used as the target: every class, the true one included, also gets ε/K":
            (A - (1 - eps) * Y) / m,
        "(1 − ε)(ŷ − y)/m: the targets' sum was taken as 1 − ε — the smoothed targets still sum to 1 (step 7)":
            (1 - eps) * (A - Y) / m,
        "ε was added to every class without dividing by K: the smoothed targets must sum to 1":
            (A - ((1 - eps) * Y + eps)) / m,
        "ε/(K − 1) on the wrong classes only: this exercise spreads ε over all K classes, ε/K each, the true one "
        "included": (A - ((1 - eps) * Y + eps / max(K - 1, 1) * (1 - Y))) / m,
        "σ(Z) per entry instead of the softmax over the classes": (sigmoid(Z) - smoothed_targets(Y, eps)) / m,
        "divided by the number of classes (Z.shape[0]) instead of the number of examples m (Z.shape[1])":
            (A - smoothed_targets(Y, eps)) / K,
    }


@recorded
def check_smoothed_gradient(student, *, seed: int | None = None) -> None:
    """Check ``student(Z, Y, eps)`` → ∂J_ε/∂Z for J_ε = −(1/m) Σ [(1 − ε)Y + ε/K] log softmax(Z), Y one-hot
    (classes, m), 0 ≤ ε ≤ 1; scores of ±1e4 must give no warning."""
    seed = new_seed(seed)
    with reporting_seed("check_smoothed_gradient", seed):
        for label, Z, Y, eps in smoothed_cases(seed):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                got = call_student(student, "smoothed_gradient", (Z, Y, eps), label, names=("Z", "Y", "eps"))
            slips = {d: v for d, v in smoothed_mistakes(Z, Y, eps).items()
                     if not np.allclose(v, _smoothed_grad(Z, Y, eps), rtol=1e-7, atol=1e-12)}
            compare_array("dZ", got, _smoothed_grad(Z, Y, eps), mistakes=slips, context=f"On {label}",
                          m=Z.shape[1])
    passed(f"smoothed_gradient is right on all {len(smoothed_cases(0)) - 2} fixed cases and 2 random ones")


# --- exercise 4: the backward pass of a network with a softmax output --------------------------------------------


def net_cases(seed: int):
    rng = np.random.default_rng(seed)
    cases = [("a [4, 5, 3] relu/softmax net with m = 6, ε = 0.1", [4, 5, 3], ["relu", "softmax"],
              np.sin(np.arange(24.0)).reshape(4, 6), _one_hot([0, 2, 1, 2, 0, 1], 3), 2, 0.1),
             ("a [3, 4, 4, 10] relu/relu/softmax net with m = 1, ε = 0.3", [3, 4, 4, 10], ["relu", "relu", "softmax"],
              np.array([[0.5], [-1.0], [0.8]]), _one_hot([7], 10), 5, 0.3),
             ("ε = 0 (no smoothing): a [3, 4, 3] relu/softmax net with m = 3 = classes", [3, 4, 3],
              ["relu", "softmax"], np.cos(np.arange(9.0)).reshape(3, 3), _one_hot([2, 0, 1], 3), 7, 0.0)]
    for i in range(2):
        dims = [int(v) for v in rng.integers(2, 6, size=int(rng.integers(3, 5)))]
        m = int(rng.integers(1, 8))
        acts = [str(a) for a in rng.choice(["relu", "tanh", "sigmoid"], size=len(dims) - 2)] + ["softmax"]
        eps = round(float(rng.uniform(0.02, 0.5)), 3)
        cases.append((f"random case {i + 1} (seed {seed}: a {dims} {'/'.join(acts)} net, m = {m}, ε = {eps:g})", dims,
                      acts, rng.normal(0, 1, (dims[0], m)), _one_hot(rng.integers(0, dims[-1], m), dims[-1]),
                      int(rng.integers(100)), eps))
    return cases


def _backward_from(dZL, caches, activations):
    """nblib.deep's backward pass started from a given dZ[L] (so a wrong dZ[L] gives the grads it would)."""
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = deep._linear_backward(dZL, caches[-1][0], True)
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = deep._activation_backward(dA, caches[l - 1], activations[l - 1], True)
        grads[f"dA{l - 1}"] = dA
    return grads


def backward_mistakes(AL, Y, caches, activations, eps=0.0) -> dict:
    """Per key, the grads each slip gives; Y is the one-hot target, the pass uses exercise 4's smoothed targets."""
    m = AL.shape[1]
    one_hot, Y = Y, smoothed_targets(Y, eps)
    slips = {
        "dZ[L] = (AL − Y)/m: the 1/m taken twice — linear_backward's dW and db already divide by m": (AL - Y) / m,
        "dZ[L] = Y − AL: the sign is flipped": Y - AL,
        "dZ[L] = (AL − Y) ∗ AL(1 − AL): a sigmoid's σ′ kept at the output — cross-entropy and softmax cancel it":
            (AL - Y) * AL * (1 - AL),
        "AL − Y was sent through the softmax's Jacobian once more: AL − Y already is dZ[L], not dA[L]":
            deep._softmax_backward(AL - Y, caches[-1][1]),
    }
    if eps:
        slips["the smoothing was left out: dZ[L] was built from the one-hot Y, not from exercise 4's targets"] = \
            AL - one_hot
        slips["(1 − ε)·Y alone was used as the target: every class also gets ε/K"] = AL - (1 - eps) * one_hot
    right = deep.model_backward(AL, Y, caches, activations)
    out: dict = {key: {"an extra 1/m: in nblib.deep's convention dA[l−1] = W[l]ᵀ dZ[l] has no 1/m": right[key] / m}
                 for key in right if key.startswith("dA")}
    for description, dZL in slips.items():
        for key, value in _backward_from(dZL, caches, activations).items():
            if not np.allclose(value, right[key]):
                out.setdefault(key, {})[description] = value
    return out


@recorded
def check_softmax_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(AL, Y, caches, activations, eps)`` → grads (dA{l-1}, dW{l}, db{l}) of a net with a softmax
    output and exercise 4's label-smoothed cross-entropy (Y one-hot, 0 ≤ eps ≤ 1; eps = 0 is the plain one)."""
    seed = new_seed(seed)
    with reporting_seed("check_softmax_backward", seed):
        for label, dims, activations, X, Y, init_seed, eps in net_cases(seed):
            parameters = deep.initialize_parameters(dims, seed=init_seed)
            AL, caches = deep.model_forward(X, parameters, activations)
            got = call_student(student, "softmax_backward", (AL, Y, caches, list(activations), eps), label,
                               names=("AL", "Y", "caches", "activations", "eps"),
                               refuse=("nblib.deep.model_backward",))
            want = deep.model_backward(AL, smoothed_targets(Y, eps), caches, activations)
            optional = {f"dZ{len(caches)}": AL - smoothed_targets(Y, eps)}
            compare_dict("grads", got, want, mistakes=backward_mistakes(AL, Y, caches, activations, eps),
                         context=f"With {label}", m=X.shape[1], optional=optional)
    passed("softmax_backward returns every dA, dW and db of a softmax-output network with label smoothing, all right")
