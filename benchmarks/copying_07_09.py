"""Issue 25's copying measure for lessons 07–09: each exercise solved strictly by copying — first only what the
learner's page shows above it (formulas, worked code, the exercise's text, transliterated symbol by symbol), then
with the hints' text added — and its check run (seed 1). ``None``: nothing on the page, or in the hints, to
transliterate. Run from the repository root: ``.venv/bin/python benchmarks/copying_07_09.py`` (the issue 25 closing
note reports its table)."""

from __future__ import annotations

import contextlib
import io
import types

import numpy as np

from nblib import deep, octave
from nblib.activations import sigmoid_gradient
from nblib.exercises import CheckFailed
from nblib.exercises import capstone as cap
from nblib.exercises import octave as oc
from nblib.exercises import softmax as sm
from nblib.training import accuracy


def _bias(z):
    return np.hstack([np.ones((z.shape[0], 1)), z])


# --- lesson 07 ---------------------------------------------------------------------------------------------------
def yv_page(y, num_labels):  # Octave's yv = [1:num_labels] == y
    return np.arange(1, num_labels + 1) == y


def yv_hint(y, num_labels):  # + hint 2's (m, 1) column against a (1, K) row
    return np.arange(1, num_labels + 1)[None, :] == np.ravel(y)[:, None]


def s3_page(a3, yv):  # "what is left is output minus target"
    return a3 - yv


def s2_page(s3, Theta2, z2):  # the article's Octave line, translated with the recap table
    s2 = (s3 @ Theta2) * sigmoid_gradient(_bias(z2))
    return s2[:, 1:]


def tg_page(s, a, Theta, lambda_):  # the ex4 recipe on the page: Δ += one outer product per example, / m
    delta = np.zeros(Theta.shape)
    for i in range(a.shape[0]):
        delta += np.outer(s[i], a[i])
    reg = Theta.copy()
    reg[:, 0] = 0
    return delta / a.shape[0] + lambda_ / a.shape[0] * reg


def unroll_page(Theta1, Theta2):  # the page's down_the_columns comprehension
    return np.array([T[r, c] for T in (Theta1, Theta2) for c in range(T.shape[1]) for r in range(T.shape[0])])


def nnc_page(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda_):  # steps 3, 7 + ex 1–5
    T1, T2 = octave.reshape_params(nn_params, input_layer_size, hidden_layer_size, num_labels)
    f = octave.forward(T1, T2, X)
    m, yv = X.shape[0], octave.one_hot(y, num_labels)
    J = np.sum(-yv * np.log(f["a3"]) - (1 - yv) * np.log(1 - f["a3"])) / m
    J += lambda_ / (2 * m) * (np.sum(T1[:, 1:] ** 2) + np.sum(T2[:, 1:] ** 2))
    s3 = f["a3"] - yv
    s2 = ((s3 @ T2) * sigmoid_gradient(_bias(f["z2"])))[:, 1:]
    r1, r2 = T1.copy(), T2.copy()
    r1[:, 0] = r2[:, 0] = 0
    g1, g2 = s2.T @ f["a1"] / m + lambda_ / m * r1, s3.T @ f["a2"] / m + lambda_ / m * r2
    return float(J), np.concatenate([g1.ravel(order="F"), g2.ravel(order="F")])


def predict_page(Theta1, Theta2, X):  # step 9
    return np.argmax(octave.forward(Theta1, Theta2, X)["a3"], axis=1) + 1


def tanh_page(s3, Theta2, z2):  # the only s2 on the page: the sigmoid's
    return s2_page(s3, Theta2, z2)


# --- lesson 08 ---------------------------------------------------------------------------------------------------
def l2_page(AL, Y, caches, activations, lambd):  # lesson 05's backward pass, as the step list words it
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = deep.linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def epoch_page(X, Y, parameters, activations, learning_rate, batch_size, order, lambd):  # steps 1–3 as worded
    for start in range(0, X.shape[1], batch_size):
        batch = order[start:start + batch_size]
        AL, caches = deep.model_forward(X[:, batch], parameters, activations)
        grads = model_backward_l2(AL, Y[:, batch], caches, activations, lambd)  # noqa: F821 — the notebook's
        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
    return parameters


def choose_page(candidates, train, X_val, y_val, activations):  # steps 1–3 as worded
    best, best_rate = -1.0, None
    for rate in candidates:
        score = accuracy(deep.model_forward(X_val, train(rate), activations)[0], y_val)
        if score > best:
            best, best_rate = score, rate
    return best_rate


# --- lesson 09 ---------------------------------------------------------------------------------------------------
def softmax_page(Z):  # the max-shift formula, written for one column
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e)


def softmax_hint(Z):  # + hint 2's (1, m) rows (keepdims) and its order of operations
    e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def ce_page(A, Y):  # the exercise's own formula
    return -np.sum(Y * np.log(A)) / A.shape[1]


def grad_page(Z, Y, w):  # step 7's boxed result, every column
    return softmax_hint(Z) - Y


def smoothed_page(Z, Y, eps):  # the only gradient on the page: the one-hot one
    return (softmax_hint(Z) - Y) / Z.shape[1]


def backward_page(AL, Y, caches, activations, eps):  # "starts at dZ[L] = A[L] − Y" + the exercise's helpers
    L, grads = len(caches), {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = deep.linear_backward(AL - Y, caches[L - 1][0])
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = deep.linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def _in_notebook(fn, **names):
    """``fn`` as the notebook defines it: a global of a __main__ scope that also holds ``names``."""
    scope = {"__name__": "__main__", **fn.__globals__, **names}
    made = types.FunctionType(fn.__code__, scope, fn.__name__)
    made.__module__ = "__main__"
    return made


def run(check, fn) -> tuple[str, str]:
    if fn is None:
        return "—", ""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(fn, seed=1)
        return "PASS", ""
    except CheckFailed as failure:
        return "fail", str(failure)[:150]


ROWS = [
    ("07", "1 build_yv", oc.check_yv, yv_page, yv_hint),
    ("07", "2 compute_s3", oc.check_s3, s3_page, None),
    ("07", "3 compute_s2", oc.check_s2, s2_page, None),
    ("07", "4 theta_grad", oc.check_theta_grad, tg_page, None),
    ("07", "5 unroll", oc.check_unroll, unroll_page, None),
    ("07", "6 nn_cost_function", oc.check_nn_cost_function, nnc_page, None),
    ("07", "7 predict", oc.check_predict, predict_page, None),
    ("07", "8 compute_s2_tanh (new)", oc.check_s2_tanh, tanh_page, None),
    ("08", "1 model_backward_l2 (new)", cap.check_model_backward_l2, l2_page, None),
    ("08", "2 one_epoch", cap.check_one_epoch,
     _in_notebook(epoch_page, model_backward_l2=cap.reference_backward_l2), None),
    ("08", "3 choose_learning_rate", cap.check_choose_learning_rate, choose_page, None),
    ("09", "1 softmax", sm.check_softmax, softmax_page, softmax_hint),
    ("09", "2 cross_entropy", sm.check_cross_entropy, ce_page, None),
    ("09", "3 softmax_gradient", sm.check_softmax_gradient, grad_page, None),
    ("09", "4 smoothed_gradient (new)", sm.check_smoothed_gradient, smoothed_page, None),
    ("09", "5 softmax_backward", sm.check_softmax_backward, backward_page, None),
]


def main() -> None:
    for lesson, name, check, page, hint in ROWS:
        on_page, page_message = run(check, page)
        with_hints, hint_message = run(check, hint) if on_page != "PASS" else ("(not needed)", "")
        verdict = "page" if on_page == "PASS" else "hints" if with_hints == "PASS" else "own step"
        print(f"{lesson} | {name} | page copy: {on_page} | with hints: {with_hints} | {verdict}")
        if page_message:
            print(f"     page copy's message: {page_message}")
        if hint_message:
            print(f"     hint copy's message: {hint_message}")


if __name__ == "__main__":
    main()
