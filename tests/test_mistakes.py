"""Every bug of lesson 06's clinic and zoo is detected — by the gradient check, or by what the lesson says."""

import numpy as np
import pytest

from nblib import deep, mistakes
from nblib.gradcheck import check_gradients

DIMS, ACTS = [3, 5, 4, 1], ["relu", "relu", "sigmoid"]
X = np.sin(np.arange(18.0)).reshape(3, 6)
Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])


def setup():
    params = deep.initialize_parameters(DIMS, seed=2)
    AL, caches = deep.model_forward(X, params, ACTS)
    return params, AL, caches


def verdict(params, grads):
    return check_gradients(deep.cost_of(X, Y, ACTS), params, grads, ignore=[k for k in grads if k[:2] == "dA"])


def test_correct_backward_passes():
    params, AL, caches = setup()
    assert verdict(params, mistakes.clinic_backward(AL, Y, caches, ACTS, bugs=set())).ok


@pytest.mark.parametrize("bug", sorted(set(mistakes.CLINIC_BUGS) - {"dA_prev_without_W"}))
def test_each_clinic_bug_alone_is_caught(bug):
    params, AL, caches = setup()
    report = verdict(params, mistakes.clinic_backward(AL, Y, caches, ACTS, bugs={bug}))
    assert not report.ok


def test_the_question_dA_without_W_alone_cannot_even_run():
    params, AL, caches = setup()
    with pytest.raises(ValueError, match=r"dZ1 = dA1 ∗ g′\(Z1\) cannot run: dA1 is \(4, 4\)"):
        mistakes.clinic_backward(AL, Y, caches, ACTS, bugs={"dA_prev_without_W"})


def test_clinic_sequence_of_the_lesson():
    params, AL, caches = setup()
    bugs = set(mistakes.CLINIC_BUGS)
    steps = [("dA_prev_without_W", "FAIL: wrong shape: dW1, db1, dW2, dW3; wrong values: db2, db3"),
             ("dW_uses_dA", "FAIL: wrong shape: dW1, dW2, dW3; wrong values: db1, db2, db3"),
             ("dZ_is_g_of_dA", "FAIL: wrong values: dW1, db1, dW2, db2, dW3, db3"),
             ("dAL_is_Yhat_minus_Y", "FAIL: wrong values: dW1, db1, dW2, db2, dW3, db3"),
             (None, "PASS")]
    for fix, expected in steps:
        assert verdict(params, mistakes.clinic_backward(AL, Y, caches, ACTS, bugs)).verdict.startswith(expected)
        bugs.discard(fix)
    with pytest.raises(ValueError, match="unknown bugs"):
        mistakes.clinic_backward(AL, Y, caches, ACTS, {"nope"})


EXPECTED = {
    "missing transpose": "FAIL: wrong shape: dW1, dW2, dW3",
    "missing 1/m": "FAIL: wrong values: dW1, dW2, dW3",
    "σ′ applied to A instead of Z": "FAIL: wrong values: dW1, db1, dW2, db2, dW3, db3",
    "db summed over the wrong axis": "FAIL: wrong shape: db1, db2, db3",
    "db without keepdims": "FAIL: wrong shape: db1, db2, db3",
    "relu′ taken from the wrong tensor": "FAIL: wrong values: dW1, db1, dW2, db2",
    "σ′ applied twice at the output": "FAIL: wrong values: dW1, db1, dW2, db2, dW3, db3",
}


@pytest.mark.parametrize("name", list(mistakes.ZOO))
def test_each_zoo_bug_is_named(name):
    params, AL, caches = setup()
    assert verdict(params, mistakes.ZOO[name](AL, Y, caches, ACTS)).verdict == EXPECTED[name]


def test_missing_transpose_gets_the_transpose_hint_and_missing_1_over_m_is_a_factor_m():
    params, AL, caches = setup()
    report = verdict(params, mistakes.missing_transpose(AL, Y, caches, ACTS))
    assert "dW1.T" in report["dW1"].detail
    g = mistakes.missing_1_over_m(AL, Y, caches, ACTS)
    right = deep.model_backward(AL, Y, caches, ACTS)
    np.testing.assert_allclose(g["dW2"], 6 * right["dW2"])


def test_db_without_keepdims_broadcasts_the_bias_into_a_matrix():
    params, AL, caches = setup()
    g = mistakes.db_without_keepdims(AL, Y, caches, ACTS)
    assert (params["b1"] - 0.1 * g["db1"]).shape == (5, 5)


def test_in_place_update_during_backward_corrupts_lower_layers():
    params, _, _ = setup()
    copy = {k: v.copy() for k, v in params.items()}
    AL, caches = deep.model_forward(X, copy, ACTS)
    grads = mistakes.update_inside_backward(copy, 0.5)(AL, Y, caches, ACTS)
    assert verdict(params, grads).wrong == ["dW1", "db1", "dW2", "db2"]
    assert not np.array_equal(copy["W3"], params["W3"])  # the cached array itself was changed


def test_fan_out_must_accumulate():
    p = {"W1": np.sin(np.arange(12.0)).reshape(4, 3) / 2 + 0.1, "b1": np.full((4, 1), 0.1),
         "W2": np.cos(np.arange(16.0)).reshape(4, 4) / 2, "b2": np.full((4, 1), 0.05),
         "W3": np.sin(np.arange(1.0, 5.0)).reshape(1, 4), "b3": np.zeros((1, 1))}
    AL, cache = mistakes.skip_forward(X, p)
    assert min(np.abs(cache[1]).min(), np.abs(cache[3]).min()) > 1e-3  # away from relu's kink
    f = mistakes.skip_cost(X, Y)
    assert check_gradients(f, p, mistakes.skip_backward(AL, Y, cache, p)).ok
    assert check_gradients(f, p, mistakes.skip_backward(AL, Y, cache, p, accumulate=False)).wrong == ["dW1", "db1"]


def test_wrong_update_sign_passes_the_check_but_the_cost_rises():
    params, AL, caches = setup()
    assert verdict(params, deep.model_backward(AL, Y, caches, ACTS)).ok  # gradients themselves are right
    right = mistakes.loss_curve(X, Y, params, ACTS, 0.1, 25)
    wrong = mistakes.loss_curve(X, Y, params, ACTS, 0.1, 25, update=mistakes.update_with_wrong_sign)
    assert right[-1] < right[0] and wrong[-1] > wrong[0]
    assert np.all(np.diff(wrong) > 0)
