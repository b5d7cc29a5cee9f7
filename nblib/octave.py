"""The Octave formulation of backpropagation (article 000, Ng's ex4), faithful to Octave's conventions.

Octave conventions kept on purpose, so vectors from Octave can be passed in unchanged:
* X is (m, n): **rows** are examples; labels y are **1-based** (1 … num_labels), a column or a vector.
* Theta1 is (hidden, n + 1) and Theta2 is (num_labels, hidden + 1); column 0 multiplies the bias unit.
* Unrolling is column-major: ``nn_params = [Theta1(:); Theta2(:)]`` ⇔ ``np.concatenate([T1.ravel(order="F"),
  T2.ravel(order="F")])``.

Lesson 07 derives every line::

    yv = [1:num_labels] == y                    one_hot(y, num_labels)      (m, K)
    a1 = [ones(m, 1) X];  z2 = a1 * Theta1';  a2 = [ones(m, 1) sigmoid(z2)];  z3 = a2 * Theta2';  a3 = sigmoid(z3)
    s3 = a3 - yv                                 (m, K)
    s2 = (s3 * Theta2) .* sigmoidGradient([ones(m, 1) z2]);  s2 = s2(:, 2:end)      (m, hidden)
    Theta1_grad = s2' * a1 / m + (lambda / m) * [0, Theta1(:, 2:end)]
    Theta2_grad = s3' * a2 / m + (lambda / m) * [0, Theta2(:, 2:end)]
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid
from nblib.shapes import ShapeError
from nblib.validate import (
    MAX_STEPS,
    MAX_UNITS,
    as_float_array,
    as_label_vector,
    check_2d,
    check_agree,
    check_callable,
    check_finite_result,
    check_not_empty,
    check_scalar,
    check_size,
)


def _labels(y, num_labels: int | None = None) -> np.ndarray:
    labels = as_label_vector("y", y, "labels 1 … num_labels")
    if num_labels is not None and labels.size:
        low, high = int(labels.min()), int(labels.max())
        if low < 1 or high > num_labels:
            bad = low if low < 1 else high
            raise ValueError(
                f"y contains the label {bad}, outside 1 … {num_labels}. Octave labels are 1-based: "
                f"the classes are 1, 2, …, {num_labels}" + (
                    "; a 0 usually means 0-based Python labels — add 1 (y + 1)"
                    + (", or map digit 0 to label 10 as the Octave exercise does" if num_labels == 10 else "")
                    if bad == 0 else "") + (f"; or is num_labels = {num_labels} too small?" if bad > num_labels else "")
            )
    return labels


@exercise_answer
def one_hot(y, num_labels: int) -> np.ndarray:
    """``yv = [1:num_labels] == y``: row i has a 1 in column y[i] − 1 (float64, shape (m, num_labels)).

    Broadcasting does what Octave's automatic broadcasting does: the row 1 … K is compared
    with the column y, giving an (m, K) logical matrix.
    """
    check_size("num_labels", num_labels, MAX_UNITS, "classes")
    labels = _labels(y, num_labels)
    return (np.arange(1, num_labels + 1)[None, :] == labels[:, None]).astype(np.float64)


def add_bias_column(X) -> np.ndarray:
    """``[ones(size(X, 1), 1) X]``: a column of ones in front."""
    X = as_float_array("X", X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (examples × features), got shape {X.shape}")
    return np.hstack([np.ones((X.shape[0], 1)), X])


def rand_initialize_weights(L_in: int, L_out: int, epsilon_init: float = 0.12, rng=None) -> np.ndarray:
    """Uniform in [−ε, ε], shape (L_out, L_in + 1) — breaks the symmetry between hidden units."""
    check_size("L_in", L_in, MAX_UNITS, "units in a layer")
    check_size("L_out", L_out, MAX_UNITS, "units in a layer")
    check_scalar("epsilon_init", epsilon_init, low=0.0, inclusive=False)
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    return rng.uniform(size=(L_out, 1 + L_in)) * 2 * epsilon_init - epsilon_init


def debug_initialize_weights(fan_out: int, fan_in: int) -> np.ndarray:
    """Octave's ``debugInitializeWeights``: reshape(sin(1:numel), size) / 10, filled column by column."""
    check_size("fan_out", fan_out, MAX_UNITS, "units in a layer")
    check_size("fan_in", fan_in, MAX_UNITS, "units in a layer", low=0)
    size = fan_out * (fan_in + 1)
    return np.sin(np.arange(1, size + 1)).reshape((fan_out, fan_in + 1), order="F") / 10


@exercise_answer
def unroll(Theta1, Theta2) -> np.ndarray:
    """``[Theta1(:); Theta2(:)]`` — column-major, as Octave stores matrices."""
    return np.concatenate([as_float_array("Theta1", Theta1).ravel(order="F"),
                           as_float_array("Theta2", Theta2).ravel(order="F")])


def _sizes(input_layer_size, hidden_layer_size, num_labels) -> None:
    check_size("input_layer_size", input_layer_size, MAX_UNITS, "units in a layer")
    check_size("hidden_layer_size", hidden_layer_size, MAX_UNITS, "units in a layer")
    check_size("num_labels", num_labels, MAX_UNITS, "classes")


def reshape_params(nn_params, input_layer_size: int, hidden_layer_size: int, num_labels: int):
    """Inverse of :func:`unroll`: ``(Theta1, Theta2)`` from the column-major vector."""
    _sizes(input_layer_size, hidden_layer_size, num_labels)
    nn_params = as_float_array("nn_params", nn_params)
    if nn_params.ndim > 1 and sorted(nn_params.shape)[-2] != 1:
        raise ValueError(f"nn_params must be a vector (the unrolled [Theta1(:); Theta2(:)]), got shape "
                         f"{nn_params.shape}")
    nn_params = nn_params.ravel()
    n1 = hidden_layer_size * (input_layer_size + 1)
    n2 = num_labels * (hidden_layer_size + 1)
    if nn_params.size != n1 + n2:
        raise ValueError(f"nn_params has {nn_params.size} entries, but input_layer_size={input_layer_size}, "
                         f"hidden_layer_size={hidden_layer_size}, num_labels={num_labels} need {n1} + {n2} = "
                         f"{n1 + n2}")
    Theta1 = nn_params[:n1].reshape((hidden_layer_size, input_layer_size + 1), order="F")
    Theta2 = nn_params[n1:].reshape((num_labels, hidden_layer_size + 1), order="F")
    return Theta1, Theta2


def _thetas(Theta1, Theta2, X):
    """Theta1, Theta2 and X as float64, with shapes that fit; the one that disagrees with the other two is named."""
    Theta1 = check_not_empty("Theta1", check_2d("Theta1", as_float_array("Theta1", Theta1), "(hidden, features + 1)"),
                             "hidden units")
    Theta2 = check_not_empty("Theta2", check_2d("Theta2", as_float_array("Theta2", Theta2), "(num_labels, hidden + 1)"),
                             "labels")
    X = check_not_empty("X", check_2d("X", as_float_array("X", X), "(m, features), one example per row"),
                        "examples (rows)")
    if Theta2.shape[1] != Theta1.shape[0] + 1:
        if Theta1.shape[1] == X.shape[1] + 1:  # Theta1 fits X, so Theta2 is the odd one out
            raise ShapeError(f"Theta2 has shape {Theta2.shape} but Theta1 has shape {Theta1.shape}: Theta2 needs "
                             f"{Theta1.shape[0] + 1} columns, one per hidden unit (row of Theta1) plus the bias")
        raise ShapeError(f"Theta1 has shape {Theta1.shape}, expected ({Theta2.shape[1] - 1}, {X.shape[1] + 1}) from "
                         f"Theta2 {Theta2.shape} and X {X.shape} (hidden units × features + bias)"
                         + ("; did you mean Theta1.T?" if Theta1.shape[0] == X.shape[1] + 1 else ""))
    if Theta1.shape[1] != X.shape[1] + 1:  # Theta1 fits Theta2, so X is the odd one out
        hint = "; did you mean X.T? (examples are rows here)" if X.shape[0] == Theta1.shape[1] - 1 else ""
        raise ShapeError(f"X has shape {X.shape}: {X.shape[1]} features (columns), but Theta1 {Theta1.shape} expects "
                         f"{Theta1.shape[1] - 1} (plus its bias column){hint}")
    return Theta1, Theta2, X


def forward(Theta1, Theta2, X) -> dict:
    """``{"a1", "z2", "a2", "z3", "a3"}`` with bias columns, as in the Octave code."""
    Theta1, Theta2, X = _thetas(Theta1, Theta2, X)
    a1 = add_bias_column(X)
    z2 = a1 @ Theta1.T
    a2 = add_bias_column(sigmoid(z2))
    z3 = a2 @ Theta2.T
    return {"a1": a1, "z2": z2, "a2": a2, "z3": z3, "a3": sigmoid(z3)}


@exercise_answer
def nn_cost_function(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):
    """Regularised cost J and its unrolled gradient, exactly as Octave's ``nnCostFunction``."""
    lambda_ = check_scalar("lambda_", lambda_, low=0.0)
    Theta1, Theta2 = reshape_params(nn_params, input_layer_size, hidden_layer_size, num_labels)
    X, yv = _examples(X, y, input_layer_size, num_labels)
    J, Theta1_grad, Theta2_grad = _cost_and_gradients(Theta1, Theta2, add_bias_column(X), yv, lambda_)
    return J, unroll(Theta1_grad, Theta2_grad)


def _cost_and_gradients(Theta1, Theta2, a1, yv, lambda_):
    """The body of nnCostFunction on checked inputs; a1 already has its bias column (training reuses it).

    Two shortcuts, both exact: σ′(z2) is a2 ∗ (1 − a2) with the a2 already computed (no second sigmoid), and
    ``(s3 * Theta2)(:, 2:end)`` is computed as ``s3 * Theta2(:, 2:end)`` (no padded z2, no column to drop).
    """
    m = a1.shape[0]
    a2 = np.empty((m, Theta1.shape[0] + 1))
    a2[:, 0] = 1.0
    a2[:, 1:] = sigmoid(a1 @ Theta1.T)
    a3 = sigmoid(a2 @ Theta2.T)
    a3_safe = np.clip(a3, 1e-15, 1 - 1e-15)
    J = float(np.sum(-yv * np.log(a3_safe) - (1 - yv) * np.log(1 - a3_safe)) / m)
    J += lambda_ / (2 * m) * float(np.sum(Theta1[:, 1:] ** 2) + np.sum(Theta2[:, 1:] ** 2))
    s3 = a3 - yv
    h2 = a2[:, 1:]
    s2 = (s3 @ Theta2[:, 1:]) * (h2 * (1.0 - h2))
    Theta1_grad = s2.T @ a1 / m
    Theta2_grad = s3.T @ a2 / m
    Theta1_grad[:, 1:] += lambda_ / m * Theta1[:, 1:]
    Theta2_grad[:, 1:] += lambda_ / m * Theta2[:, 1:]
    check_finite_result(J, "the cost J", "nn_params (the weights) or lambda_")
    return J, Theta1_grad, Theta2_grad


def _examples(X, y, input_layer_size, num_labels):
    """X (m, input_layer_size) and the one-hot yv (m, num_labels), with one label per row of X."""
    X = check_not_empty("X", check_2d("X", as_float_array("X", X), "(m, features), one example per row"),
                        "examples (rows)")
    if X.shape[1] != input_layer_size:
        hint = "; did you mean X.T? (examples are rows here)" if X.shape[0] == input_layer_size else ""
        raise ShapeError(f"X has shape {X.shape}: {X.shape[1]} features (columns), but input_layer_size is "
                         f"{input_layer_size}{hint}")
    yv = one_hot(y, num_labels)
    check_agree("examples", ("X", X.shape[0]), ("y", yv.shape[0]))
    return X, yv


@exercise_answer
def predict(Theta1, Theta2, X) -> np.ndarray:
    """1-based predicted labels: the column of the largest output, plus one."""
    return np.argmax(forward(Theta1, Theta2, X)["a3"], axis=1) + 1


def compute_numerical_gradient(J, theta, e: float = 1e-4) -> np.ndarray:
    """Octave's ``computeNumericalGradient``: central differences with e = 1e-4 over every entry.

    ``theta`` may have any shape (a vector, a column, a matrix); ``J`` receives it in that shape, one entry
    nudged, and the result has that shape too.
    """
    check_callable("J", J, "a function J(theta) returning the cost")
    e = check_scalar("e", e, low=0.0, high=1.0, inclusive=False)
    theta = as_float_array("theta", theta).copy()
    numgrad = np.zeros_like(theta)
    flat, gflat = theta.reshape(-1), numgrad.reshape(-1)  # views: nudging flat[p] nudges theta
    for p in range(flat.size):
        old = flat[p]
        flat[p] = old - e
        loss1 = _cost_value(J(theta))
        flat[p] = old + e
        loss2 = _cost_value(J(theta))
        flat[p] = old
        gflat[p] = (loss2 - loss1) / (2 * e)
    return numgrad


def _cost_value(value) -> float:
    try:
        value = float(as_float_array("J(theta)", value).reshape(-1)[0]) if np.size(value) == 1 else None
    except (TypeError, ValueError) as exc:
        raise TypeError(f"J must return one finite real number (the cost): {exc}") from None
    if value is None:
        raise TypeError("J must return one real number (the cost), got an array of several entries")
    return value


def check_nn_gradients(lambda_: float = 0.0, verbose: bool = True) -> float:
    """The ex4 check: a 3-5-3 net with debug weights, m = 5; returns ‖num − grad‖ / ‖num + grad‖ (< 1e-9)."""
    lambda_ = check_scalar("lambda_", lambda_, low=0.0)
    input_layer_size, hidden_layer_size, num_labels, m = 3, 5, 3, 5
    Theta1 = debug_initialize_weights(hidden_layer_size, input_layer_size)
    Theta2 = debug_initialize_weights(num_labels, hidden_layer_size)
    X = debug_initialize_weights(m, input_layer_size - 1)
    y = 1 + np.mod(np.arange(1, m + 1), num_labels)
    nn_params = unroll(Theta1, Theta2)

    def cost(p):
        return nn_cost_function(p, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_)[0]

    _, grad = nn_cost_function(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_)
    numgrad = compute_numerical_gradient(cost, nn_params)
    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    check_finite_result(diff, "the relative difference", "lambda_")
    if verbose:
        print(f"check_nn_gradients(lambda_={lambda_:g}): relative difference {'< 1e-9' if diff < 1e-9 else diff}")
    return diff


def train(X, y, input_layer_size, hidden_layer_size, num_labels, lambda_=1.0, iterations=400, learning_rate=1.0,
          momentum=0.9, seed=0, callback=None):
    """Gradient descent with momentum on nn_cost_function; returns (Theta1, Theta2, costs).

    ``callback(i, J)`` is called every iteration (lesson 07 uses it for a live loss curve).
    """
    check_size("iterations", iterations, MAX_STEPS, "iterations")
    check_scalar("learning_rate", learning_rate, low=0.0, inclusive=False)
    check_scalar("momentum", momentum, low=0.0, high=1.0, inclusive=True)
    lambda_ = check_scalar("lambda_", lambda_, low=0.0)
    learning_rate, momentum = float(learning_rate), float(momentum)
    _sizes(input_layer_size, hidden_layer_size, num_labels)
    if callback is not None:
        check_callable("callback", callback, "a function callback(i, J) or None")
    X, yv = _examples(X, y, input_layer_size, num_labels)
    rng = np.random.default_rng(seed)
    params = unroll(rand_initialize_weights(input_layer_size, hidden_layer_size, rng=rng),
                    rand_initialize_weights(hidden_layer_size, num_labels, rng=rng))
    a1 = add_bias_column(X)  # once, not once per iteration
    velocity = np.zeros_like(params)
    costs = np.empty(iterations)
    for i in range(iterations):
        Theta1, Theta2 = reshape_params(params, input_layer_size, hidden_layer_size, num_labels)
        J, Theta1_grad, Theta2_grad = _cost_and_gradients(Theta1, Theta2, a1, yv, lambda_)
        costs[i] = J
        if callback is not None:
            callback(i, J)
        velocity = momentum * velocity - learning_rate * unroll(Theta1_grad, Theta2_grad)
        params = params + velocity
    Theta1, Theta2 = reshape_params(params, input_layer_size, hidden_layer_size, num_labels)
    return Theta1, Theta2, costs
