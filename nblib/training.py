"""Mini-batch gradient descent for :mod:`nblib.deep` networks (lesson 08).

Layout as in lesson 05: X is (features, m), labels are digits 0–9 and become one column of
one-hot targets per example (10 sigmoid outputs with the cross-entropy of lesson 05).
"""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib._exercise_guard import exercise_answer
from nblib.validate import (
    MAX_STEPS,
    MAX_UNITS,
    as_float_array,
    as_label_vector,
    check_2d,
    check_not_empty,
    check_scalar,
    check_size,
    diverged,
)


def _label_vector(labels) -> np.ndarray:
    return as_label_vector("labels", labels, "class labels")


def _check_classes(labels: np.ndarray, num_classes: int, source: str) -> np.ndarray:
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        low, high = int(labels.min()), int(labels.max())
        hint = (f"; 1-based labels 1 … {num_classes}? subtract 1 (digits.npz stores digit 0 as 10: use labels % 10)"
                if high == num_classes and low >= 1 else "")
        raise ValueError(f"labels must lie in 0 … {num_classes - 1} ({source}), found {low} … {high}{hint}")
    return labels


def one_hot_columns(labels, num_classes: int = 10) -> np.ndarray:
    """(num_classes, m) targets: column i has a 1 in row labels[i] (0-based classes, e.g. digits 0–9)."""
    check_size("num_classes", num_classes, MAX_UNITS, "classes")
    labels = _check_classes(_label_vector(labels), num_classes, "0-based, num_classes = " + str(num_classes))
    Y = np.zeros((num_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def accuracy(AL, labels) -> float:
    """Share of columns whose largest output is the label (0-based labels, one per column of AL)."""
    AL = check_not_empty("AL", check_2d("AL", as_float_array("AL", AL), "(classes, m)"))
    labels = _label_vector(labels)
    if labels.size != AL.shape[1]:
        hint = "; did you mean AL.T?" if labels.size == AL.shape[0] != AL.shape[1] else ""
        raise ValueError(f"labels has {labels.size} entries but AL has {AL.shape[1]} columns (examples); "
                         f"they must match{hint}")
    labels = _check_classes(labels, AL.shape[0], f"0-based, one class per row of AL {AL.shape}")
    return float(np.mean(np.argmax(AL, axis=0) == labels))


def _data(X, Y, parameters, activations):
    """X and Y checked as (features, m) and (outputs, m) with the same m; parameters and activations by deep."""
    X = check_not_empty("X", check_2d("X", as_float_array("X", X), "(features, m)"))
    Y = check_2d("Y", as_float_array("Y", Y), "(outputs, m)")
    if Y.shape[1] != X.shape[1]:
        hint = " (did you mean Y.T?)" if Y.shape[0] == X.shape[1] else ""
        raise ValueError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}{hint}; "
                         "both need one column per example")
    deep._check_network(parameters, activations, X, Y)
    return X, Y


@exercise_answer
def train_minibatch(X, Y, parameters, activations, learning_rate: float, epochs: int, batch_size: int,
                    seed: int = 0, callback=None, decay: float = 0.0, backward=None) -> dict:
    """Shuffle, split into batches, one gradient step per batch; ``callback(epoch, parameters)`` after each epoch.

    ``decay > 0`` lowers the step size epoch by epoch: epoch e (counting from 0) uses
    ``learning_rate / (1 + decay * e)``, so late steps are small and the noise of a mini-batch's gradient no
    longer kicks the cost up at the end of training. ``backward(AL, Y, caches, activations)`` replaces
    :func:`nblib.deep.model_backward` (lesson 08 trains with the student's own, once its check has passed).
    Returns the trained parameters (new arrays; the input dict is not changed).
    """
    X, Y = _data(X, Y, parameters, activations)
    check_scalar("learning_rate", learning_rate, low=0.0, inclusive=False)
    check_size("epochs", epochs, MAX_STEPS, "epochs")
    check_size("batch_size", batch_size, MAX_STEPS, "examples in a batch")
    check_scalar("decay", decay, low=0.0)
    if backward is not None and not callable(backward):
        raise TypeError(f"backward must be a function backward(AL, Y, caches, activations) or None, got "
                        f"{backward!r:.40}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(epoch, parameters) or None, got {callback!r:.40}")
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    for epoch in range(epochs):
        order = rng.permutation(m)
        step_size = learning_rate / (1.0 + decay * epoch)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            try:
                AL, caches = deep.model_forward(X[:, batch], parameters, activations)
                if backward is None:
                    grads = deep.model_backward(AL, Y[:, batch], caches, activations, need_dA0=False)
                else:
                    grads = backward(AL, Y[:, batch], caches, list(activations))
            except ValueError as exc:  # the inputs were checked above: the parameters blew up
                raise diverged(exc, f"in epoch {epoch}", learning_rate) from None
            parameters = deep.update_parameters(parameters, grads, step_size)
        if callback is not None:
            callback(epoch, parameters)
    return parameters


def per_example_gradients(X, Y, parameters, activations) -> dict:
    """The same dW and db as one vectorised model_backward, computed one example at a time and averaged.

    Deliberately slow: lesson 08 times it against the matrix form.
    """
    X, Y = _data(X, Y, parameters, activations)
    m = X.shape[1]
    total = None
    for i in range(m):
        AL, caches = deep.model_forward(X[:, i:i + 1], parameters, activations)
        grads = deep.model_backward(AL, Y[:, i:i + 1], caches, activations)
        grads = {k: v for k, v in grads.items() if not k.startswith("dA")}
        total = grads if total is None else {k: total[k] + grads[k] for k in total}
    return {k: v / m for k, v in total.items()}
