"""Mini-batch gradient descent for :mod:`nblib.deep` networks (lesson 07).

Layout as in lesson 05: X is (features, m), labels are digits 0–9 and become one column of
one-hot targets per example (10 sigmoid outputs with the cross-entropy of lesson 05).
"""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib._exercise_guard import exercise_answer
from nblib.validate import as_float_array, check_scalar


def one_hot_columns(labels, num_classes: int = 10) -> np.ndarray:
    """(num_classes, m) targets: column i has a 1 in row labels[i] (0-based classes, e.g. digits 0–9)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be a 1-D array of integers, got {labels.dtype} with shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in 0 … {num_classes - 1} (0-based), found {labels.min()} … {labels.max()}")
    Y = np.zeros((num_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def accuracy(AL, labels) -> float:
    """Share of columns whose largest output is the label."""
    AL = as_float_array("AL", AL)
    return float(np.mean(np.argmax(AL, axis=0) == np.asarray(labels)))


@exercise_answer
def train_minibatch(X, Y, parameters, activations, learning_rate: float, epochs: int, batch_size: int,
                    seed: int = 0, callback=None, decay: float = 0.0) -> dict:
    """Shuffle, split into batches, one gradient step per batch; ``callback(epoch, parameters)`` after each epoch.

    ``decay > 0`` lowers the step size epoch by epoch: epoch e (counting from 0) uses
    ``learning_rate / (1 + decay * e)``, so late steps are small and the noise of a mini-batch's gradient no
    longer kicks the cost up at the end of training. Returns the trained parameters (new arrays; the input
    dict is not changed).
    """
    X = as_float_array("X", X)
    Y = as_float_array("Y", Y)
    check_scalar("learning_rate", learning_rate, low=0.0, inclusive=False)
    check_scalar("epochs", epochs, low=1, integer=True)
    check_scalar("batch_size", batch_size, low=1, integer=True)
    check_scalar("decay", decay, low=0.0)
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}; both need one column each")
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    for epoch in range(epochs):
        order = rng.permutation(m)
        step_size = learning_rate / (1.0 + decay * epoch)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            AL, caches = deep.model_forward(X[:, batch], parameters, activations)
            grads = deep.model_backward(AL, Y[:, batch], caches, activations, need_dA0=False)
            parameters = deep.update_parameters(parameters, grads, step_size)
        if callback is not None:
            callback(epoch, parameters)
    return parameters


def per_example_gradients(X, Y, parameters, activations) -> dict:
    """The same dW and db as one vectorised model_backward, computed one example at a time and averaged.

    Deliberately slow: lesson 07 times it against the matrix form.
    """
    m = X.shape[1]
    total = None
    for i in range(m):
        AL, caches = deep.model_forward(X[:, i:i + 1], parameters, activations)
        grads = deep.model_backward(AL, Y[:, i:i + 1], caches, activations)
        grads = {k: v for k, v in grads.items() if not k.startswith("dA")}
        total = grads if total is None else {k: total[k] + grads[k] for k in total}
    return {k: v / m for k, v in total.items()}
