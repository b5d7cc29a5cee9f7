"""Lesson 07's checks: ``check_model_backward(fn)`` (lesson 05's check, remembered so the capstone trains with the
student's own backward pass once it passed), ``check_one_epoch(fn)`` — one epoch of mini-batch gradient descent in
a given order — and ``check_choose_learning_rate(fn)``, which makes sure the rate is chosen on the validation split.

A wrong epoch is compared with the epochs that classic slips make (the order ignored, the last partial batch
dropped, the update not assigned, W + α·dW, every step from the starting parameters, one full-batch step), so
the message says what differs rather than "20 of 20 entries differ".
"""

from __future__ import annotations

import contextlib
import io
import re
import weakref

import numpy as np

from nblib import deep
from nblib.exercises import deep as deep_checks
from nblib.exercises.feedback import CheckFailed, call_student, compare_dict, new_seed, passed, reporting_seed
from nblib.progress import recorded

_PASSED: weakref.WeakSet = weakref.WeakSet()


def has_passed(student) -> bool:
    """True once ``student`` (this very function object) passed its check in this kernel; redefining it resets."""
    try:
        return student in _PASSED
    except TypeError:
        return False


def _remember(student) -> None:
    try:
        _PASSED.add(student)
    except TypeError:  # an object that cannot be weakly referenced is simply not remembered
        pass


# The backward pass as lesson 07's exercise 1 numbers it; a failed check names the step its first wrong entry breaks.
BACKWARD_STEPS = {
    1: "dA[L] = −(Y / AL − (1 − Y) / (1 − AL)), the cross-entropy's derivative without the 1/m",
    2: "dZ[l] = dA[l] ∗ g′(Z[l]), with layer l's own cache and activation",
    3: "dW[l] = dZ[l]·A[l−1]ᵀ / m and db[l] = the mean of dZ[l] over the examples",
    4: "dA[l−1] = W[l]ᵀ·dZ[l], no 1/m",
}


def _backward_step(message: str) -> str:
    found = re.search(r"grads\['(dA|dW|db)(\d+)'\]", message)
    if not found:
        return ""
    n = 4 if found[1] == "dA" else 3
    if "g′" in message or "σ′" in message or "activation" in message:
        n = 2
    return f" — step {n} of the backward pass ({BACKWARD_STEPS[n]})"


def _extra_backward_case(student) -> None:
    """m = n_hidden with two outputs, a case lesson 05's check does not hold."""
    label = "a [4, 3, 2] relu/sigmoid net with m = 3 = n_hidden"
    X = np.cos(np.arange(12.0) * 0.7).reshape(4, 3)
    Y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    activations = ["relu", "sigmoid"]
    AL, caches = deep.model_forward(X, deep.initialize_parameters([4, 3, 2], seed=8), activations)
    got = call_student(student, "model_backward", (AL, Y, caches, list(activations)), label,
                       names=("AL", "Y", "caches", "activations"), refuse=("nblib.deep.model_backward",))
    slips = deep_checks.model_mistakes(AL, Y, caches, activations)
    one_activation = deep.model_backward(AL, Y, caches, [activations[-1]] * len(caches))
    for key, value in one_activation.items():
        if key.startswith(("dW1", "db1", "dA0")):
            slips.setdefault(key, {})["every layer used the last layer's activation (activations[-1]): layer l " \
                                      "needs activations[l − 1], with its own cache caches[l − 1]"] = value
    compare_dict("grads", got, deep.model_backward(AL, Y, caches, activations),
                 mistakes=slips, context=f"With {label}", m=3,
                 optional=deep_checks._dZ(AL, Y, caches, activations))


@recorded
def check_model_backward(student, *, seed: int | None = None) -> None:
    """Lesson 05's :func:`nblib.exercises.deep.check_model_backward` plus a case with m = n_hidden; a failure names
    the step of the backward pass it breaks, a pass is remembered (:func:`has_passed`)."""
    try:
        _extra_backward_case(student)
        with contextlib.redirect_stdout(io.StringIO()):
            deep_checks.check_model_backward(student, seed=seed)
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{_backward_step(str(failure))}") from None
    _remember(student)
    passed("model_backward returns every dA, dW and db, all right")


# One epoch and the choice of the rate, as lesson 07's exercises 2 and 3 number them; messages name the step.
EPOCH_STEPS = {
    1: "the batches: start = 0, B, 2B, … < m and batch = the next B entries of order (the last may be shorter)",
    2: "a forward and a backward pass on the batch's columns of X and Y",
    3: "the step θ ← θ − α·∇θ, and the next batch starts from the new θ",
}
RATE_STEPS = {
    1: "train a network with every candidate rate",
    2: "measure each network's accuracy on the validation split — never the test split",
    3: "keep the rate with the highest validation accuracy (the first on a tie) and return that rate",
}


def epoch_step(n: int) -> str:
    return f" — step {n} of the epoch ({EPOCH_STEPS[n]})"


def rate_step(n: int) -> str:
    return f" — step {n} of the choice ({RATE_STEPS[n]})"


def _step(parameters, X, Y, activations, learning_rate, batch, sign=1.0):
    AL, caches = deep.model_forward(X[:, batch], parameters, activations)
    grads = deep.model_backward(AL, Y[:, batch], caches, activations, need_dA0=False)
    return {k: v - sign * learning_rate * grads["d" + k] for k, v in parameters.items()}


def reference_epoch(X, Y, parameters, activations, learning_rate, batch_size, order, *, sign=1.0, keep=True,
                    batches=None):
    """The epoch, or (with the keyword arguments) a slip of it: ``sign=-1`` steps uphill, ``keep=False`` starts every
    step from the given parameters, ``batches`` lists the batches to use."""
    if batches is None:
        batches = [order[start:start + batch_size] for start in range(0, X.shape[1], batch_size)]
    current = parameters
    for batch in batches:
        new = _step(parameters if not keep else current, X, Y, activations, learning_rate, batch, sign)
        current = new
    return current


def epoch_slips(X, Y, parameters, activations, learning_rate, batch_size, order) -> dict:
    """Description of a slip → the parameters it returns. A slip that cannot run on this case (uphill steps can
    saturate the sigmoid, and then the cross-entropy's gradient is undefined) is left out: it cannot be what the
    student's code returned."""
    m = X.shape[1]
    starts = list(range(0, m, batch_size))
    batches = [order[s:s + batch_size] for s in starts]
    args = (X, Y, parameters, activations, learning_rate, batch_size, order)
    slips = {
        "the order was ignored: the batches were taken as columns 0, 1, 2, … — use batch = order[start:start + "
        "batch_size]" + epoch_step(1):
            lambda: reference_epoch(*args, batches=[np.arange(m)[s:s + batch_size] for s in starts]),
        "the parameters did not change: the update was not assigned (parameters = deep.update_parameters(…))"
        + epoch_step(3):
            lambda: {k: v.copy() for k, v in parameters.items()},
        "each step went uphill: W + α·dW instead of W − α·dW" + epoch_step(3):
            lambda: reference_epoch(*args, sign=-1.0),
        "every batch started from the original parameters, so only the last batch's update survives — feed each "
        "step's result into the next" + epoch_step(3): lambda: reference_epoch(*args, keep=False),
        f"a single full-batch step: update once per batch of {batch_size} ({len(batches)} batches here)"
        + epoch_step(1):
            lambda: reference_epoch(*args, batches=[order]),
    }
    if m % batch_size:
        slips[f"the last, partial batch (the final {m % batch_size} examples of order) was dropped: range(0, m, "
              "batch_size) reaches it, and order[start:start + batch_size] stops at the end by itself"
              + epoch_step(1)] = \
            lambda: reference_epoch(*args, batches=batches[:-1])
    for k in range(1, len(batches) - 1):
        slips.setdefault(f"only the first {k} of the {len(batches)} batches were used" + epoch_step(1),
                         lambda k=k: reference_epoch(*args, batches=batches[:k]))
    computed = {}
    for description, slip in slips.items():
        try:
            computed[description] = slip()
        except ValueError:
            continue
    return computed


def _cases(seed: int):
    X = np.sin(np.arange(70.0) * 0.61).reshape(5, 14)
    Y = (np.cos(np.arange(28.0)) > 0).astype(float).reshape(2, 14)
    cases = [("a [5, 4, 2] net, 14 examples, batches of 4", X, Y, deep.initialize_parameters([5, 4, 2], seed=4),
              ["relu", "sigmoid"], 0.3, 4, np.array([3, 11, 0, 7, 13, 5, 1, 9, 12, 2, 8, 4, 10, 6]))]
    # Size coincidences a matrix slip can hide behind: a batch of m = n_hidden examples, and m = 1.
    X4 = np.cos(np.arange(12.0) * 0.37).reshape(3, 4)
    cases.append(("a [3, 4, 2] net, 4 examples in one batch (m = n_hidden = 4)", X4,
                  (np.sin(np.arange(8.0)) > 0).astype(float).reshape(2, 4),
                  deep.initialize_parameters([3, 4, 2], seed=5), ["relu", "sigmoid"], 0.2, 4, np.array([2, 0, 3, 1])))
    cases.append(("a [3, 4, 1] net, one example (m = 1)", X4[:, :1].copy(), np.array([[1.0]]),
                  deep.initialize_parameters([3, 4, 1], seed=6), ["relu", "sigmoid"], 0.2, 1, np.array([0])))
    rng = np.random.default_rng(seed)
    for i in range(2):
        n0, n1, n2 = (int(v) for v in rng.integers([2, 2, 1], [6, 6, 4]))
        m, batch_size = int(rng.integers(5, 16)), int(rng.integers(2, 5))
        cases.append((f"random case {i + 1} (seed {seed}: a [{n0}, {n1}, {n2}] net, {m} examples, batches of "
                      f"{batch_size})", rng.normal(0, 1, (n0, m)), (rng.uniform(size=(n2, m)) > 0.5).astype(float),
                      deep.initialize_parameters([n0, n1, n2], seed=int(rng.integers(100))), ["relu", "sigmoid"],
                      float(rng.uniform(0.1, 0.5)), batch_size, rng.permutation(m)))
    return cases


@recorded
def check_one_epoch(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, parameters, activations, learning_rate, batch_size, order)`` → new parameters."""
    seed = new_seed(seed)
    with reporting_seed("check_one_epoch", seed):
        for label, X, Y, parameters, activations, learning_rate, batch_size, order in _cases(seed):
            args = (X, Y, parameters, activations, learning_rate, batch_size, order)
            got = call_student(student, "one_epoch", args, label, refuse=("nblib.training.train_minibatch",),
                               names=("X", "Y", "parameters", "activations", "learning_rate", "batch_size",
                                      "order"))
            want = reference_epoch(*args)
            try:
                compare_dict("parameters", got, want, context=f"With {label}")
            except CheckFailed as failure:
                if isinstance(got, dict) and set(got) == set(want):
                    for description, slip in epoch_slips(*args).items():
                        if all(np.shape(got[k]) == slip[k].shape and np.allclose(got[k], slip[k], rtol=1e-7,
                                                                                 atol=1e-12) for k in want):
                            raise CheckFailed(f"With {label}: the parameters are wrong: it looks like "
                                              f"{description}") from None
                raise failure from None
    _remember(student)
    passed("one_epoch makes one gradient step per mini-batch, in the given order")


# --- choosing the learning rate on the validation split ---------------------------------------------------------


def _code_names(code) -> set:
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _code_names(const)
    return names


def arrays_read(student) -> list[str]:
    """The notebook-level arrays (globals holding a NumPy array) the student's function reads."""
    code = getattr(student, "__code__", None)
    scope = getattr(student, "__globals__", {})
    if code is None:
        return []
    return sorted(n for n in _code_names(code) if isinstance(scope.get(n), np.ndarray))


class _FakeTraining:
    """``train(rate)`` for the check: a one-layer sigmoid net whose validation predictions are set per rate.

    X_val is the identity (example i is the unit vector e_i), so column i of W is example i's output: the check
    decides which examples each rate gets right, hence its validation accuracy.
    """

    def __init__(self, candidates, correct, K, m, rng):
        self.labels = rng.integers(0, K, size=m)
        self.params = {}
        for rate, n_right in zip(candidates, correct):
            right = np.zeros(m, bool)
            right[rng.permutation(m)[:n_right]] = True
            predicted = np.where(right, self.labels, (self.labels + 1 + rng.integers(0, K - 1, size=m)) % K)
            W = np.full((K, m), -3.0)
            W[predicted, np.arange(m)] = 3.0
            self.params[rate] = {"W1": W, "b1": np.zeros((K, 1))}
        self.calls = []

    def __call__(self, learning_rate):
        self.calls.append(learning_rate)
        if learning_rate not in self.params:
            raise ValueError(f"train was called with {learning_rate!r}, which is not one of the candidates")
        return {k: v.copy() for k, v in self.params[learning_rate].items()}


def _rate_cases(seed: int):
    """(label, candidates, correct answers per candidate out of m, K, m): the best is neither first, last, the
    largest nor the smallest rate; one case has a tie (the first of the tied rates is the answer)."""
    cases = [("5 candidates, 20 validation examples", [0.01, 0.05, 0.25, 1.0, 4.0], [9, 14, 18, 16, 4], 4, 20),
             ("4 candidates in no particular order, 12 validation examples", [0.3, 3.0, 0.03, 1.0], [7, 2, 9, 5], 3,
              12),
             ("a tie: 0.1 and 0.5 both reach the best accuracy (keep the first)", [0.02, 0.1, 0.5, 2.0],
              [6, 13, 13, 3], 5, 15)]
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 7))
    candidates = sorted({round(float(v), 4) for v in 10 ** rng.uniform(-2.5, 0.7, size=n)})
    m = int(rng.integers(10, 30))
    correct = list(rng.permutation(np.linspace(1, m - 1, len(candidates)).astype(int)))
    cases.append((f"random case (seed {seed}): {len(candidates)} candidates, {m} validation examples", candidates,
                  correct, int(rng.integers(2, 6)), m))
    return cases


@recorded
def check_choose_learning_rate(student, *, seed: int | None = None) -> None:
    """Check ``student(candidates, train, X_val, y_val, activations)`` → the candidate with the best validation
    accuracy (the first of tied ones), where ``train(rate)`` returns trained parameters.

    The check passes its own validation split; a function that reads the notebook's arrays (the held-out X_test,
    y_test, or X_train) instead of its arguments fails, whatever it returns.
    """
    read = arrays_read(student)
    held_out = [n for n in read if "test" in n.lower()]
    if held_out:
        raise CheckFailed(f"choose_learning_rate reads {', '.join(held_out)} — the held-out test split: a rate "
                          "chosen by looking at it makes the test accuracy an optimistic, no longer honest, "
                          "measure. Choose with the validation split passed in (X_val, y_val)" + rate_step(2))
    if read:
        raise CheckFailed(f"choose_learning_rate reads the notebook's {', '.join(read)}: use only its arguments "
                          "(candidates, train, X_val, y_val, activations) — the validation split is passed in"
                          + rate_step(2))
    seed = new_seed(seed)
    with reporting_seed("check_choose_learning_rate", seed):
        rng = np.random.default_rng(seed + 1)
        for label, candidates, correct, K, m in _rate_cases(seed):
            train = _FakeTraining(candidates, correct, K, m, rng)
            X_val = np.eye(m)
            got = call_student(student, "choose_learning_rate", (list(candidates), train, X_val, train.labels,
                                                                 ["sigmoid"]), label,
                               names=("candidates", "train", "X_val", "y_val", "activations"))
            best = int(np.argmax(correct))
            want = candidates[best]
            accuracies = [c / m for c in correct]
            shown = ", ".join(f"{r:g} → {a:.3f}" for r, a in zip(candidates, accuracies))
            if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
                raise CheckFailed(f"On {label}: choose_learning_rate should return one of the candidates (a "
                                  f"number), got {type(got).__name__}")
            if float(got) == want:
                continue
            if float(got) in (float(a) for a in accuracies) and float(got) not in candidates:
                raise CheckFailed(f"On {label}: it returned {float(got):g}, a validation accuracy — return the "
                                  f"learning rate that reached the best one (validation accuracies: {shown})"
                                  + rate_step(3))
            if isinstance(got, (int, np.integer)) and 0 <= int(got) < len(candidates) and float(got) not in \
                    candidates:
                raise CheckFailed(f"On {label}: it returned {int(got)}, a position in candidates — return the rate "
                                  f"itself, candidates[{int(got)}] (validation accuracies: {shown})" + rate_step(3))
            if float(got) not in candidates:
                raise CheckFailed(f"On {label}: it returned {float(got):g}, which is not one of the candidates "
                                  f"{candidates}")
            i = candidates.index(float(got))
            if correct[i] == min(correct):
                reason = "the rate with the lowest validation accuracy: keep the largest (max, not min)"
            elif correct[i] == correct[best]:
                reason = ("the last of the tied rates: on a tie keep the first one in candidates (a strict > "
                          "when comparing, as np.argmax does)")
            elif i == len(candidates) - 1:
                reason = "the last candidate: did the loop keep the best accuracy seen so far and its rate?"
            elif len(set(train.calls)) < len(candidates):
                reason = (f"a rate chosen without training every candidate (train was called with "
                          f"{sorted(set(train.calls))})")
            else:
                reason = "not the rate with the best validation accuracy"
            raise CheckFailed(f"On {label}: it returned {float(got):g}, {reason}; expected {want:g} "
                              f"(validation accuracies: {shown})" + rate_step(1 if "without training" in reason else 3))
    _remember(student)
    passed("choose_learning_rate picks the rate with the best validation accuracy, on the validation split only")
