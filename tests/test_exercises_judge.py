"""Every exercise check is a judge (issue 13 §2–3): it refuses the stub, float32, in-place changes, the nblib helper
that is the answer and hard-coded answers; it accepts the reference and correct alternatives; it names mistakes.

The catalogue of right and wrong solutions is tools/measure_checks.py (also a measuring tool)."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from nblib.exercises import CheckFailed
from nblib.exercises.feedback import show_pair
from nblib.shapes import shape_hint

_spec = importlib.util.spec_from_file_location("measure_checks", Path(__file__).parents[1] / "tools" /
                                               "measure_checks.py")
M = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(M)
CHECKS = list(M.CATALOGUE)


def fails(check, fn, pattern):
    with pytest.raises(CheckFailed) as info:
        check(fn)
    assert re.search(pattern, str(info.value)), str(info.value)
    return str(info.value)


def stub(*args):
    raise NotImplementedError("write it")


@pytest.mark.parametrize("name", CHECKS)
def test_judge(name, capsys):
    check, good, wrong, right = M.CATALOGUE[name]
    check(good)
    for fn in right.values():
        check(fn)
    assert capsys.readouterr().out.count("✔") == 1 + len(right)
    fails(check, stub, "not written yet")
    # float32 is refused by its dtype, or by its overflow where a case lies beyond float32's range (exp(700))
    fails(check, wrong["float32"], "dtype float32, expected float64|overflow encountered in cast")
    if "nblib helper" in wrong:
        fails(check, wrong["nblib helper"], r"write it yourself — this exercise is what nblib\.[\w.]+ does")
    for key in [k for k in wrong if k.startswith("in place")]:
        fails(check, wrong[key], "in place")
    message = fails(check, M.hard_coded(check, good), "random case")
    seed = int(re.search(r"seed=(\d+)", message).group(1))
    with pytest.raises(CheckFailed) as again:  # the seed in the message repeats the same cases
        check(M.hard_coded(check, good), seed=seed)
    assert f"seed {seed}" in str(again.value)


NAMED = {
    "matmul_backward": {"no B.T": "transpose of B is missing", "order dA": "wrong order: dA = Bᵀ · dOut",
                        "no A.T": "transpose of A is missing", "swapped": "dA and dB are swapped"},
    "exp_backward": {"dy x": "dx = dy ∗ x", "no dy": "dy is missing", "power rule": "power rule"},
    "log_backward": {"dy y": "dx = dy ∗ y", "dy x": "dx = dy ∗ x", "no dy": "dy is missing", "sign": "sign is flipped"},
    "tanh_backward": {"1 - x²": "input x, not of the output y", "sigmoid's": "sigmoid's derivative",
                      "no square": "square is missing", "no dy": "dy is missing"},
    "power_backward": {"no p": "p is missing", "not lowered": "not lowered", "no dy": "dy is missing"},
    "divide_backward": {"b*b unparenthesised": "put the square of b in parentheses", "no a": "a is missing",
                        "sign": "wrong sign", "no sum": "dout's shape", "swapped": "swapped",
                        "product rule": "product rule"},
    "broadcast_backward": {"no sum": "dout's shape", "mean": "a mean instead of a sum", "no keepdims": "keepdims=True"},
    "central_difference": {"one-sided": "one-sided", "no /2ε": "not divided by 2ε", "swapped": "swapped"},
    "sigmoid_gradient": {"σ": "σ\\(z\\) itself", "2σ′": "a stray factor 2", "-σ′": "sign is flipped"},
    "swish_gradient": {"σ alone": "σ\\(z\\) alone: step 1", "σ + σ′": "factor u = z is missing", "u′v′": "not u′v′"},
    "dE_dZ2_huber": {"squared error": "squared error's signal", "no σ′": "∂E/∂O alone", "pieces swapped": "swapped"},
    "rows_backward": {"bias over axis 1": "sum over axis=1, the units", "W2 not transposed": "without its transpose",
                      "no hidden σ′": "without σ′ of the hidden layer"},
    "two_hidden_deltas": {"σ′ in layer 1": "σ′ in the first layer", "layer 2 skipped": "second layer was skipped",
                          "swapped": "two δ's are swapped"},
    "dE_dW_ih": {"mean (1/m)": r"an extra 1/m \(m = 6\)", "sign": "sign is flipped",
                 "W_ho * d2": r"p\[\"W_ho\"\] \* .*: shapes \(5, 2\) and \(2, 5\) do not broadcast.*Which product of "
                              r"W_ho and the output's signal"},
    "backward": {"b_ho np.sum keepdims": r"b_ho'\] has shape \(1, 1\), expected \(2, 1\)",
                 "W_ho via sum": r"do not broadcast", "mean": "an extra 1/m"},
    "hidden_delta": {"times eta": "learning rate η", "sign": "sign is flipped", "no W2": "W2\\[j\\] is missing"},
    "linear_backward": {"m = shape[0]": r"A_prev\.shape\[0\] = 3", "no 1/m": "1/m is missing",
                        "db axis 0 T": r"db has shape \(6, 1\)"},
    "linear_activation_backward": {"2σ′": "σ′ is twice lesson 01.s", "g′ of A": "evaluated at A"},
    "model_backward": {"dA with 1/m": r"grads\['dA2'\].*extra 1/m", "no 1/m": r"grads\['dW3'\].*missing 1/m",
                       "σ′ at A": r"grads\['dW3'\].*σ′ applied to A"},
    "build_yv": {"y.max()": "even when the largest label does not occur", "0-based": "0-based labels",
                 "bool": "boolean matrix.*would crash"},
    "compute_s2": {"no bias drop": "drop the bias column", "a2 not z2": "activation a2"},
    "softmax": {"axis 1": "over the examples \\(axis=1\\)", "all entries": "every entry at once",
                "no sum": "without dividing", "sigmoid": "a sigmoid per class", "naive": "warns on scores of ±1e4"},
    "cross_entropy": {"binary": "binary cross-entropy of each class", "mean all": "classes × m",
                      "sum": "1/m .*missing", "per example": r"shape \(4,\), expected a single number"},
    "softmax_gradient": {"no weights": "weights were left out", "sign": "wrong sign",
                         "σ′ kept": "diagonal of the softmax", "sigmoid": "sigmoid per entry"},
    "softmax_backward": {"1/m twice": "1/m taken twice", "sign": "sign is flipped", "σ′ kept": "σ′ kept",
                         "no smoothing": "smoothing was left out"},
    "one_epoch": {"ignore order": "order was ignored", "drop last": "last, partial batch",
                  "no assign": "updated θ was not kept", "W + a dW": "uphill"},
}


@pytest.mark.parametrize("name", CHECKS)
def test_named_mistakes(name):
    check, good, wrong, right = M.CATALOGUE[name]
    assert len(NAMED[name]) >= 2
    for key, pattern in NAMED[name].items():
        fails(check, wrong[key], pattern)


def test_matmul_errors_name_the_product():
    from nblib.exercises.deep import check_linear_backward
    from nblib.exercises.two_layer import check_dE_dW_ih

    def X_T_delta1(X, Y, params, cache):
        O, h1 = cache["O"], cache["h1"]
        delta1 = (params["W_ho"] @ ((O - Y) * O * (1 - O))) * h1 * (1 - h1)
        return X.T @ delta1

    # issue 25 §7: lesson 02's check offers no code (it used to offer "delta1 @ X.T", the wrong arrangement, too)
    fails(check_dE_dW_ih, X_T_delta1, r"X\.T @ delta1: \(1, 4\) @ \(5, 1\) — the inner sizes 4 and 5 differ; "
                                      r"the shapes here: X \(4, 1\).*with the houses as its inner index\?$")

    def W1_x(X, Y, params, cache):
        W1 = params["W_ih"]
        return W1 @ X

    assert "did you mean" not in fails(check_dE_dW_ih, W1_x, r"W1 @ X: \(4, 5\) @ \(4, 1\) — the inner sizes 5 and 4 "
                                                          r"differ; the shapes here.*no forward product is needed")

    def W_dZ(dZ, cache):
        A_prev, W, b = cache
        return W @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

    fails(check_linear_backward, W_dZ, r"W @ dZ: \(4, 3\) @ \(4, 6\).*did you mean W\.T @ dZ")

    def dZ_A_prev(dZ, cache):
        A_prev, W, b = cache
        return W.T @ dZ, dZ @ A_prev, dZ.sum(axis=1, keepdims=True)

    fails(check_linear_backward, dZ_A_prev, r"dZ @ A_prev: \(4, 6\) @ \(3, 6\).*did you mean dZ @ A_prev\.T")


def test_broadcast_error_names_the_operands():
    from nblib.exercises.octave import check_s2

    def s3_times_Theta2(s3, Theta2, z2):
        return (s3 * Theta2)[:, 1:]

    fails(check_s2, s3_times_Theta2, r"s3 \* Theta2: shapes \(6, 3\) and \(3, 5\) do not broadcast.*Octave's \.\*"
                                     r".*s3 @ Theta2")


def test_shape_hint_and_digits():
    assert shape_hint("b", (1, 5), (5, 1)).startswith("that is the transpose")
    a, b = show_pair(3.0, 3.0 + 4e-15)
    assert a != b
    assert show_pair(0.1234567, 0.1234568) == ("0.1234567", "0.1234568")


def test_guard_does_not_leak_out_of_the_check():
    from nblib import two_layer
    from nblib.exercises.two_layer import check_dE_dW_ih
    with pytest.raises(CheckFailed):
        check_dE_dW_ih(lambda X, Y, p, c: two_layer.backward(X, Y, p, c)["W_ih"])
    params = two_layer.init_params()
    X = np.ones((4, 2))
    two_layer.backward(X, np.ones((1, 2)), params, two_layer.forward(X, params))  # outside a check: allowed
