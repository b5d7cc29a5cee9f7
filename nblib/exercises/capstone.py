"""Lesson 07's check: ``check_one_epoch(fn)`` — one epoch of mini-batch gradient descent in a given order."""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.exercises.feedback import call_student, compare_dict, passed


def reference_epoch(X, Y, parameters, activations, learning_rate, batch_size, order):
    for start in range(0, X.shape[1], batch_size):
        batch = order[start:start + batch_size]
        AL, caches = deep.model_forward(X[:, batch], parameters, activations)
        parameters = deep.update_parameters(parameters, deep.model_backward(AL, Y[:, batch], caches, activations),
                                            learning_rate)
    return parameters


def check_one_epoch(student) -> None:
    """Check ``student(X, Y, parameters, activations, learning_rate, batch_size, order)`` → new parameters."""
    X = np.sin(np.arange(70.0) * 0.61).reshape(5, 14)
    Y = (np.cos(np.arange(28.0)) > 0).astype(float).reshape(2, 14)
    parameters = deep.initialize_parameters([5, 4, 2], seed=4)
    activations = ["relu", "sigmoid"]
    order = np.array([3, 11, 0, 7, 13, 5, 1, 9, 12, 2, 8, 4, 10, 6])
    args = (X, Y, {k: v.copy() for k, v in parameters.items()}, activations, 0.3, 4, order)
    got = call_student(student, "one_epoch", args, "a [5, 4, 2] net, 14 examples, batches of 4")
    want = reference_epoch(X, Y, parameters, activations, 0.3, 4, order)
    one_full_batch = deep.update_parameters(parameters, deep.model_backward(
        *deep.model_forward(X, parameters, activations)[:1], Y, deep.model_forward(X, parameters, activations)[1],
        activations), 0.3)
    compare_dict("parameters", got, want, mistakes={
        k: {"a single full-batch step: update once per batch of 4 (4 batches here, the last has 2)": one_full_batch[k]}
        for k in want})
    passed("one_epoch makes one gradient step per mini-batch, in the given order")
