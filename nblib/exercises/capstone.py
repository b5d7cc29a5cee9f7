"""Lesson 07's check: ``check_one_epoch(fn)`` — one epoch of mini-batch gradient descent in a given order.

A wrong epoch is compared with the epochs that classic slips make (the order ignored, the last partial batch
dropped, the update not assigned, W + α·dW, every step from the starting parameters, one full-batch step), so
the message says what differs rather than "20 of 20 entries differ".
"""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.exercises.feedback import CheckFailed, call_student, compare_dict, new_seed, passed, reporting_seed


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
    """Description of a slip → the parameters it returns."""
    m = X.shape[1]
    starts = list(range(0, m, batch_size))
    batches = [order[s:s + batch_size] for s in starts]
    args = (X, Y, parameters, activations, learning_rate, batch_size, order)
    slips = {
        "the order was ignored: the batches were taken as columns 0, 1, 2, … — use batch = order[start:start + "
        "batch_size]": reference_epoch(*args, batches=[np.arange(m)[s:s + batch_size] for s in starts]),
        "the parameters did not change: the update was not assigned (parameters = deep.update_parameters(…))":
            {k: v.copy() for k, v in parameters.items()},
        "each step went uphill: W + α·dW instead of W − α·dW": reference_epoch(*args, sign=-1.0),
        "every batch started from the original parameters, so only the last batch's update survives — feed each "
        "step's result into the next": reference_epoch(*args, keep=False),
        f"a single full-batch step: update once per batch of {batch_size} ({len(batches)} batches here)":
            reference_epoch(*args, batches=[order]),
    }
    if m % batch_size:
        slips[f"the last, partial batch (the final {m % batch_size} examples of order) was dropped: range(0, m, "
              "batch_size) reaches it, and order[start:start + batch_size] stops at the end by itself"] = \
            reference_epoch(*args, batches=batches[:-1])
    for k in range(1, len(batches) - 1):
        slips.setdefault(f"only the first {k} of the {len(batches)} batches were used", reference_epoch(
            *args, batches=batches[:k]))
    return slips


def _cases(seed: int):
    X = np.sin(np.arange(70.0) * 0.61).reshape(5, 14)
    Y = (np.cos(np.arange(28.0)) > 0).astype(float).reshape(2, 14)
    cases = [("a [5, 4, 2] net, 14 examples, batches of 4", X, Y, deep.initialize_parameters([5, 4, 2], seed=4),
              ["relu", "sigmoid"], 0.3, 4, np.array([3, 11, 0, 7, 13, 5, 1, 9, 12, 2, 8, 4, 10, 6]))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n0, n1, n2 = (int(v) for v in rng.integers([2, 2, 1], [6, 6, 4]))
        m, batch_size = int(rng.integers(5, 16)), int(rng.integers(2, 5))
        cases.append((f"random case {i + 1} (seed {seed}: a [{n0}, {n1}, {n2}] net, {m} examples, batches of "
                      f"{batch_size})", rng.normal(0, 1, (n0, m)), (rng.uniform(size=(n2, m)) > 0.5).astype(float),
                      deep.initialize_parameters([n0, n1, n2], seed=int(rng.integers(100))), ["relu", "sigmoid"],
                      float(rng.uniform(0.1, 0.5)), batch_size, rng.permutation(m)))
    return cases


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
    passed("one_epoch makes one gradient step per mini-batch, in the given order")
