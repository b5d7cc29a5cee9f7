"""Lesson 08's checks: ``check_model_backward(fn)`` (lesson 05's check, remembered so the capstone trains with the
student's own backward pass once it passed), ``check_one_epoch(fn)`` — one epoch of mini-batch gradient descent in
a given order — and ``check_choose_learning_rate(fn)``, which makes sure the rate is chosen on the validation split.

A wrong epoch is compared with the epochs that classic slips make (the order ignored, the last partial batch
dropped, the update not assigned, W + α·dW, every step from the starting parameters, one full-batch step), so
the message says what differs rather than "20 of 20 entries differ".
"""

from __future__ import annotations

import weakref

import numpy as np

from nblib import deep
from nblib.exercises import deep as deep_checks
from nblib.exercises.feedback import (
    CheckFailed,
    _raising_function,
    call_student,
    compare_dict,
    new_seed,
    passed,
    reporting_seed,
    wrapped,
)
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


# The backward pass with weight decay, as lesson 08's exercise 1 numbers it. A failed check names the step its
# first wrong entry breaks; no message states the finished formula (the learner derives step 3).
BACKWARD_STEPS = {
    1: "the start dA[L]: the derivative of the cross-entropy part per entry of AL, without the 1/m (lesson 05)",
    2: "layer by layer, l = L … 1: layer l's own cache and activation, dA[l−1] passed down",
    3: "the decay: the derivative of the penalty λ/(2m)·Σ‖W[l]‖² with respect to each W[l] (and b[l], which the "
       "penalty does not contain)",
}


def backward_step(n: int) -> str:
    return f" — step {n} of the backward pass ({BACKWARD_STEPS[n]})"


def reference_backward_l2(AL, Y, caches, activations, lambd) -> dict:
    """nblib.deep's backward pass of J = cross-entropy + λ/(2m)·Σ_l ‖W[l]‖²_F: dW[l] gains λ/m·W[l]."""
    grads = deep.model_backward(AL, Y, caches, activations)
    m = np.shape(AL)[1]
    for l, ((_, W, _), _) in enumerate(caches, start=1):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / m * W
    return grads


def decay_mistakes(AL, Y, caches, activations, lambd) -> dict:
    """Per key, the arrays the classic slips of the decay term give (only where they differ from the answer)."""
    plain = deep.model_backward(AL, Y, caches, activations)
    m, L = np.shape(AL)[1], len(caches)
    slips: dict = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        for description, value in (
                ("the decay term is missing from dW: the penalty λ/(2m)·Σ‖W‖² depends on W[l] too",
                 plain[f"dW{l}"]),
                ("the decay term has no 1/m: the penalty is divided by 2m, and its derivative keeps the m",
                 plain[f"dW{l}"] + lambd * W),
                ("the decay term is twice too large: the ½ in λ/(2m) cancels the 2 that the derivative of a "
                 "square brings down", plain[f"dW{l}"] + 2 * lambd / m * W),
                ("the decay term is half what it should be: the derivative of W² is 2W, and that 2 cancels the ½",
                 plain[f"dW{l}"] + lambd / (2 * m) * W),
                ("the decay term is only in the last layer's dW: the penalty sums over every layer",
                 plain[f"dW{l}"] if l < L else None)):
            if value is not None:
                slips.setdefault(f"dW{l}", {})[description + backward_step(3)] = value
        slips.setdefault(f"db{l}", {})["db was decayed too: the penalty holds the weights W[l] only, so b[l]'s "
                                       "gradient is the cross-entropy's alone" + backward_step(3)] = \
            plain[f"db{l}"] + lambd / m * b
    one_activation = deep.model_backward(AL, Y, caches, [activations[-1]] * len(caches))
    for key, value in one_activation.items():
        if key.startswith(("dW1", "db1", "dA0")) and L > 1:
            if key.startswith("dW"):
                value = value + lambd / m * caches[0][0][1]
            slips.setdefault(key, {})["every layer used the last layer's activation (activations[-1]): layer l needs "
                                      "its own activation and its own cache" + backward_step(2)] = value
    for key, by_slip in deep_checks.model_mistakes(AL, Y, caches, activations).items():
        for description, value in by_slip.items():
            if key.startswith("dW"):
                value = value + lambd / m * caches[int(key[2:]) - 1][0][1]
            slips.setdefault(key, {})[_named_only(description)] = value
    return slips


def _named_only(description: str) -> str:
    """A lesson-05 slip's description without the formula it quotes (lesson 05's step list states the right
    result), followed by the step of this exercise's backward pass it breaks: 1 for the start, 2 for the layers."""
    if description.startswith("an extra 1/m"):
        return "an extra 1/m in dA: in nblib.deep's convention dA carries none" + backward_step(2)
    named = description.split(" (step ")[0]
    if named.startswith("dA[L] = Ŷ − Y"):
        named = "the start was AL − Y: that is dZ[L] of the sigmoid output (σ′ already applied), not dA[L]"
    if named.startswith("dZ[l] = g(dA[l])"):
        named = named.split(" instead of")[0] + ": the activation applied to dA instead of its derivative at Z"
    start = named.startswith("dA[L]") or "at the output" in named
    return named + backward_step(1 if start else 2)


def _l2_cases(seed: int):
    """(label, AL, Y, caches, activations, λ): m = n_hidden, three layers, λ = 0, m = 1, then random nets."""
    def case(label, dims, acts, m, lambd, s, rng=None):
        if rng is None:
            X = np.cos(np.arange(dims[0] * m) * 0.7 + s).reshape(dims[0], m)
            Y = (np.sin(np.arange(dims[-1] * m) * 1.3 + s) > 0).astype(float).reshape(dims[-1], m)
            params = deep.initialize_parameters(dims, seed=s)
        else:
            X = rng.normal(0, 1, (dims[0], m))
            Y = (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float)
            params = deep.initialize_parameters(dims, seed=int(rng.integers(1000)))
        for l in range(1, len(dims)):  # biases away from 0, so a decayed db differs from the right one
            params[f"b{l}"] = 0.3 * np.sin(np.arange(1.0, dims[l] + 1) * (s + l + 1.7))[:, None]
        AL, caches = deep.model_forward(X, params, acts)
        return label, AL, Y, caches, list(acts), lambd

    cases = [case("a [4, 3, 2] relu/sigmoid net, m = 3 = n_hidden, λ = 0.7", [4, 3, 2], ["relu", "sigmoid"], 3,
                  0.7, 8),
             case("a [5, 4, 3, 2] relu/relu/sigmoid net, m = 6, λ = 2", [5, 4, 3, 2], ["relu", "relu", "sigmoid"], 6,
                  2.0, 9),
             case("λ = 0 (no decay), a [3, 5, 1] net, m = 4", [3, 5, 1], ["relu", "sigmoid"], 4, 0.0, 10),
             case("one example (m = 1), a [3, 2, 2] net, λ = 0.5", [3, 2, 2], ["relu", "sigmoid"], 1, 0.5, 11)]
    rng = np.random.default_rng(seed)
    for i in range(2):
        L = int(rng.integers(2, 4))
        dims = [int(v) for v in rng.integers(1, 6, size=L + 1)]
        m, lambd = int(rng.integers(2, 9)), round(float(rng.uniform(0.05, 3.0)), 3)
        acts = ["relu"] * (L - 1) + ["sigmoid"]
        cases.append(case(f"random case {i + 1} (seed {seed}: a {dims} net, m = {m}, λ = {lambd:g})", dims, acts, m,
                          lambd, 0, rng))
    return cases


@recorded
def check_model_backward_l2(student, *, seed: int | None = None) -> None:
    """Check ``student(AL, Y, caches, activations, lambd)`` → every dA{l-1}, dW{l}, db{l} of the cross-entropy
    plus λ/(2m)·Σ‖W[l]‖² (nblib.deep's convention: dA without 1/m, dW and db with it). A pass is remembered."""
    seed = new_seed(seed)
    with reporting_seed("check_model_backward_l2", seed):
        for label, AL, Y, caches, activations, lambd in _l2_cases(seed):
            got = call_student(student, "model_backward_l2", (AL, Y, caches, list(activations), lambd), label,
                               names=("AL", "Y", "caches", "activations", "lambd"),
                               refuse=("nblib.deep.model_backward",))
            want = reference_backward_l2(AL, Y, caches, activations, lambd)
            try:
                compare_dict("grads", got, want, mistakes=decay_mistakes(AL, Y, caches, activations, lambd),
                             context=f"With {label}", m=AL.shape[1],
                             optional=deep_checks._dZ(AL, Y, caches, activations))
            except CheckFailed as failure:  # a slip it does not recognise names no step: it might be any of them
                raise failure from None
    _remember(student)
    passed("model_backward_l2 returns every dA, dW and db of the decayed cost, all right")


def unchecked_helpers(student) -> list[str]:
    """The notebook functions ``student`` calls (globals of its module) that have not passed their check here."""
    code = getattr(student, "__code__", None)
    scope = getattr(student, "__globals__", {})
    if code is None:
        return []
    used = [scope[n] for n in sorted(_code_names(code)) if callable(scope.get(n))]
    return sorted({f.__name__ for f in used if getattr(f, "__module__", "") == "__main__"
                   and getattr(f, "__name__", "") in CHECKED and not has_passed(f)})


CHECKED = {"model_backward_l2", "one_epoch", "choose_learning_rate"}


# One epoch and the choice of the rate, as lesson 08's exercises 2 and 3 number them; messages name the step.
EPOCH_STEPS = {
    1: "the batches: start = 0, B, 2B, … < m, each batch the next B entries of order (the last may be shorter)",
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


def _step(parameters, X, Y, activations, learning_rate, batch, lambd, sign=1.0):
    AL, caches = deep.model_forward(X[:, batch], parameters, activations)
    grads = reference_backward_l2(AL, Y[:, batch], caches, activations, lambd)
    return {k: v - sign * learning_rate * grads["d" + k] for k, v in parameters.items()}


def reference_epoch(X, Y, parameters, activations, learning_rate, batch_size, order, lambd=0.0, *, sign=1.0,
                    keep=True, batches=None):
    """The epoch, or (with the keyword arguments) a slip of it: ``sign=-1`` steps uphill, ``keep=False`` starts every
    step from the given parameters, ``batches`` lists the batches to use."""
    if batches is None:
        batches = [order[start:start + batch_size] for start in range(0, X.shape[1], batch_size)]
    current = parameters
    for batch in batches:
        new = _step(parameters if not keep else current, X, Y, activations, learning_rate, batch, lambd, sign)
        current = new
    return current


def epoch_slips(X, Y, parameters, activations, learning_rate, batch_size, order, lambd=0.0) -> dict:
    """Description of a slip → the parameters it returns. A slip that cannot run on this case (uphill steps can
    saturate the sigmoid, and then the cross-entropy's gradient is undefined) is left out: it cannot be what the
    student's code returned."""
    m = X.shape[1]
    starts = list(range(0, m, batch_size))
    batches = [order[s:s + batch_size] for s in starts]
    args = (X, Y, parameters, activations, learning_rate, batch_size, order, lambd)
    slips = {
        "the order was ignored: the batches were taken as columns 0, 1, 2, … — a batch's columns are entries of "
        "order" + epoch_step(1):
            lambda: reference_epoch(*args, batches=[np.arange(m)[s:s + batch_size] for s in starts]),
        "the parameters did not change: the updated θ was not kept (assign it, and return the new parameters)"
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
    if lambd:
        slips["the weight decay was left out: lambd never reached the backward pass (pass it to your "
              "model_backward_l2)" + epoch_step(2)] = \
            lambda: reference_epoch(*args[:-1], 0.0)
    if m % batch_size:
        slips[f"the last, partial batch (the final {m % batch_size} examples of order) was dropped: it is a batch "
              "too, only shorter" + epoch_step(1)] = \
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
    cases = [("a [5, 4, 2] net, 14 examples, batches of 4, λ = 0.4", X, Y,
              deep.initialize_parameters([5, 4, 2], seed=4), ["relu", "sigmoid"], 0.3, 4,
              np.array([3, 11, 0, 7, 13, 5, 1, 9, 12, 2, 8, 4, 10, 6]), 0.4)]
    # Size coincidences a matrix slip can hide behind: a batch of m = n_hidden examples, and m = 1.
    X4 = np.cos(np.arange(12.0) * 0.37).reshape(3, 4)
    cases.append(("a [3, 4, 2] net, 4 examples in one batch (m = n_hidden = 4), λ = 0", X4,
                  (np.sin(np.arange(8.0)) > 0).astype(float).reshape(2, 4),
                  deep.initialize_parameters([3, 4, 2], seed=5), ["relu", "sigmoid"], 0.2, 4, np.array([2, 0, 3, 1]),
                  0.0))
    cases.append(("a [3, 4, 1] net, one example (m = 1), λ = 0.3", X4[:, :1].copy(), np.array([[1.0]]),
                  deep.initialize_parameters([3, 4, 1], seed=6), ["relu", "sigmoid"], 0.2, 1, np.array([0]), 0.3))
    rng = np.random.default_rng(seed)
    for i in range(2):
        n0, n1, n2 = (int(v) for v in rng.integers([2, 2, 1], [6, 6, 4]))
        m, batch_size = int(rng.integers(5, 16)), int(rng.integers(2, 5))
        X, Y = rng.normal(0, 1, (n0, m)), (rng.uniform(size=(n2, m)) > 0.5).astype(float)
        parameters = deep.initialize_parameters([n0, n1, n2], seed=int(rng.integers(100)))
        rate, order, lambd = float(rng.uniform(0.1, 0.5)), rng.permutation(m), round(float(rng.uniform(0.05, 2.0)), 3)
        cases.append((f"random case {i + 1} (seed {seed}: a [{n0}, {n1}, {n2}] net, {m} examples, batches of "
                      f"{batch_size}, λ = {lambd:g})", X, Y, parameters, ["relu", "sigmoid"], rate, batch_size, order,
                      lambd))
    return cases


EPOCH_REFUSED = ("nblib.training.train_minibatch", "nblib.deep.model_forward", "nblib.deep.model_backward",
                 "nblib.deep.update_parameters")


@recorded
def check_one_epoch(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, parameters, activations, learning_rate, batch_size, order, lambd)`` → new parameters,
    computed with the learner's own forward loop, their model_backward_l2 and their own update (nblib's whole-network
    helpers refuse). A failure names the notebook function it calls that has not passed its check yet."""
    seed = new_seed(seed)
    waiting = unchecked_helpers(student)
    note = (f" (one_epoch calls your {', '.join(waiting)}, which has not passed its check yet: make that pass first)"
            if waiting else "")
    with reporting_seed("check_one_epoch", seed):
        for label, X, Y, parameters, activations, learning_rate, batch_size, order, lambd in _cases(seed):
            args = (X, Y, parameters, activations, learning_rate, batch_size, order, lambd)
            got = want = None
            try:
                got = call_student(student, "one_epoch", args, label, refuse=EPOCH_REFUSED,
                                   names=("X", "Y", "parameters", "activations", "learning_rate", "batch_size",
                                          "order", "lambd"))
                want = reference_epoch(*args)
                compare_dict("parameters", got, want, context=f"With {label}")
            except CheckFailed as failure:
                if getattr(failure, "not_written", False):
                    raise
                if isinstance(got, dict) and set(got) == set(want):
                    for description, slip in epoch_slips(*args).items():
                        if all(np.shape(got[k]) == slip[k].shape and np.allclose(got[k], slip[k], rtol=1e-7,
                                                                                 atol=1e-12) for k in want):
                            raise CheckFailed(f"With {label}: the parameters are wrong: it looks like "
                                              f"{description}{note}") from None
                raise CheckFailed(f"{failure}{note}") from None
    _remember(student)
    passed("one_epoch makes one gradient step per mini-batch, in the given order, with your own forward pass, "
           "backward pass and update")


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


# --- the capstone: training with the learner's own code -----------------------------------------------------------


class CapstoneStopped(Exception):
    """The capstone cannot run the learner's code yet; IPython shows the message alone, no traceback."""

    def _render_traceback_(self):
        return [f"\033[1;31m{wrapped(f'■ {self}')}\033[0m"]


EXERCISE_OF = {"model_backward_l2": 1, "one_epoch": 2, "choose_learning_rate": 3}


def stopped_by_stub(exc: NotImplementedError, called: str) -> CapstoneStopped:
    stub = _raising_function(exc) or called
    where = f" (exercise {EXERCISE_OF[stub]})" if stub in EXERCISE_OF else ""
    via = f", which {called} calls," if stub != called else ""
    return CapstoneStopped(f"{stub}{via} is still a stub{where}: write it and run its check — this cell trains "
                           "only with your code, so it stops here")


def not_yet_passed(*functions) -> list[str]:
    """The names of the given learner functions that have not passed their check in this kernel."""
    return [getattr(f, "__name__", repr(f)) for f in functions if not has_passed(f)]


def train_with(one_epoch, X, Y, parameters, activations, learning_rate, epochs, batch_size, seed=0, callback=None,
               lambd=0.0) -> dict:
    """Train with the learner's ``one_epoch`` (their forward, backward and update inside it): each epoch draws a
    shuffled order from ``default_rng(seed)`` — the orders nblib.training.train_minibatch draws — and calls
    ``one_epoch(X, Y, parameters, activations, learning_rate, batch_size, order, lambd)``; ``callback(epoch,
    parameters)`` after each. A stub stops with :class:`CapstoneStopped` naming it."""
    if not callable(one_epoch):
        raise CapstoneStopped(f"one_epoch must be your function, got {type(one_epoch).__name__}")
    if learning_rate is None:
        raise CapstoneStopped("no learning rate has been chosen yet: the cell that runs your choose_learning_rate "
                              "stopped (its message says why)")
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    for epoch in range(epochs):
        order = rng.permutation(m)
        try:
            new = one_epoch(X, Y, parameters, list(activations), learning_rate, batch_size, order, lambd)
        except NotImplementedError as exc:
            raise stopped_by_stub(exc, "one_epoch") from None
        except ValueError as exc:
            raise CapstoneStopped(f"your one_epoch stopped in epoch {epoch} with α = {learning_rate:g}: {exc} — "
                                  "a learning rate too large, or a slip its check names") from None
        if not isinstance(new, dict) or set(new) != set(parameters):
            raise CapstoneStopped(f"your one_epoch returned {type(new).__name__} in epoch {epoch}, not the dict of "
                                  f"parameters {sorted(parameters)}: run its check (exercise 2)")
        parameters = new
        if callback is not None:
            callback(epoch, parameters)
    return parameters


def choose_with(choose_learning_rate, candidates, train, X_val, y_val, activations):
    """Run the learner's ``choose_learning_rate``; a stub stops with :class:`CapstoneStopped` naming it."""
    try:
        return choose_learning_rate(list(candidates), train, X_val, y_val, list(activations))
    except NotImplementedError as exc:
        raise stopped_by_stub(exc, "choose_learning_rate") from None


def trained(parameters):
    """``parameters`` once the training cell has produced them; else stop with one line saying why."""
    if parameters is None:
        raise CapstoneStopped("the network has not been trained: the training cell above stopped (its message says "
                              "why), and this cell shows what your trained network does")
    return parameters
