"""Lesson 09's maths: softmax, log-softmax, the softmax cross-entropy and its gradient ŷ − y, and a softmax output
in nblib.deep — every derivative against central differences (float64, relative error ≤ 1e-7), properties with
hypothesis, and stability at |z| = 1e4."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nblib import check_gradients, deep
from nblib.activations import log_softmax, softmax
from nblib.losses import categorical_cross_entropy, softmax_cross_entropy, softmax_cross_entropy_gradient
from nblib.shapes import ShapeError

Z = np.sin(np.arange(1.0, 13.0) * 0.7).reshape(3, 4) * 2
Y = np.eye(3)[:, [0, 2, 1, 2]]


def test_softmax_values_and_columns_sum_to_one():
    z = np.array([[1.0], [2.0], [3.0]])
    e = np.exp(z)
    np.testing.assert_allclose(softmax(z), e / e.sum(), rtol=1e-15)
    np.testing.assert_allclose(softmax(Z).sum(axis=0), 1.0, rtol=1e-15)
    np.testing.assert_allclose(log_softmax(Z), np.log(softmax(Z)), rtol=1e-14)
    np.testing.assert_allclose(softmax(Z.T, axis=1), softmax(Z).T, rtol=1e-15)
    np.testing.assert_allclose(softmax(Z.T, axis=-1), softmax(Z).T, rtol=1e-15)


def test_stable_at_1e4():
    z = np.array([[1e4, -1e4], [0.0, -1e4], [-1e4, -9999.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, la = softmax(z), log_softmax(z)
        J = softmax_cross_entropy(z, np.eye(3)[:, [1, 2]])
        dZ = softmax_cross_entropy_gradient(z, np.eye(3)[:, [1, 2]])
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(la)) and np.isfinite(J) and np.all(np.isfinite(dZ))
    np.testing.assert_allclose(a[:, 0], [1.0, 0.0, 0.0])
    assert la[1, 0] == -1e4 and la[2, 1] == pytest.approx(-np.log1p(2 * np.exp(-1.0)), rel=1e-15)
    assert J == pytest.approx((1e4 + np.log1p(2 * np.exp(-1.0))) / 2, rel=1e-15)  # log softmax, never log 0
    with pytest.warns(RuntimeWarning):
        np.exp(z) / np.exp(z).sum(axis=0)  # the naive formula overflows: the reason for the max shift


def test_softmax_jacobian_matches_central_differences():
    z = Z[:, :1].copy()
    a = softmax(z)[:, 0]
    jacobian = np.diag(a) - np.outer(a, a)  # ∂ŷ_i/∂z_j = ŷ_i(δ_ij − ŷ_j)
    for i in range(3):
        report = check_gradients(lambda p, i=i: float(softmax(p["z"])[i, 0]), {"z": z}, {"z": jacobian[i][:, None]})
        assert report.ok, report.verdict


def test_log_softmax_gradient_matches_central_differences():
    z = Z[:, :1].copy()
    a = softmax(z)
    for i in range(3):  # ∂ log ŷ_i / ∂z_j = δ_ij − ŷ_j
        report = check_gradients(lambda p, i=i: float(log_softmax(p["z"])[i, 0]), {"z": z},
                                 {"z": np.eye(3)[:, [i]] - a})
        assert report.ok, report.verdict


def test_softmax_cross_entropy_gradient_matches_central_differences():
    report = check_gradients(lambda p: softmax_cross_entropy(p["Z"], Y), {"Z": Z.copy()},
                             {"Z": softmax_cross_entropy_gradient(Z, Y)})
    assert report.ok, report.verdict
    soft = np.array([[0.2, 0.5, 0.0, 1.0], [0.3, 0.5, 0.25, 0.0], [0.5, 0.0, 0.75, 0.0]])  # soft labels summing to 1
    report = check_gradients(lambda p: softmax_cross_entropy(p["Z"], soft), {"Z": Z.copy()},
                             {"Z": softmax_cross_entropy_gradient(Z, soft)})
    assert report.ok, report.verdict


def test_categorical_cross_entropy_agrees_with_the_one_from_scores():
    assert categorical_cross_entropy(softmax(Z), Y) == pytest.approx(softmax_cross_entropy(Z, Y), rel=1e-14)
    true_class = softmax(Z)[[0, 2, 1, 2], range(4)]
    assert categorical_cross_entropy(softmax(Z), Y) == pytest.approx(-np.mean(np.log(true_class)), rel=1e-14)


@pytest.mark.parametrize("dims, acts", [([3, 5, 3], ["relu", "softmax"]),
                                        ([3, 4, 5, 4], ["tanh", "sigmoid", "softmax"]),
                                        ([3, 4, 3], ["softmax", "softmax"])])  # a softmax hidden layer: a Jacobian
def test_deep_softmax_output_gradients_match_central_differences(dims, acts):
    X = np.sin(np.arange(12.0)).reshape(3, 4)
    Yd = np.eye(dims[-1])[:, [0, 2, 1, 2]]
    params = deep.initialize_parameters(dims, seed=2)
    AL, caches = deep.model_forward(X, params, acts)
    grads = deep.model_backward(AL, Yd, caches, acts)
    report = check_gradients(deep.cost_of(X, Yd, acts), params, grads, ignore=[k for k in grads if k[:2] == "dA"])
    assert report.ok, report.verdict
    report = check_gradients(deep.cost_from(1, Yd, params, acts), {"A1": caches[1][0][0].copy()},
                             {"A1": grads["dA1"] / 4})
    assert report.ok, report.verdict
    assert deep.compute_cost(AL, Yd, "softmax") == pytest.approx(deep.cost_of(X, Yd, acts)(params), rel=1e-12)
    np.testing.assert_allclose(grads[f"dW{len(acts)}"], (AL - Yd) @ caches[-1][0][0].T / 4, rtol=1e-12)


def test_deep_sigmoid_output_is_unchanged():
    X = np.sin(np.arange(12.0)).reshape(3, 4)
    Yb = (np.cos(np.arange(8.0)) > 0).astype(float).reshape(2, 4)
    params = deep.initialize_parameters([3, 4, 2], seed=0)
    AL, caches = deep.model_forward(X, params, ["relu", "sigmoid"])
    grads = deep.model_backward(AL, Yb, caches, ["relu", "sigmoid"])
    dZ2 = AL - Yb  # sigmoid + binary cross-entropy: the same simplification
    np.testing.assert_allclose(grads["dW2"], dZ2 @ caches[1][0][0].T / 4, rtol=1e-12)
    assert deep.compute_cost(AL, Yb) == deep.compute_cost(AL, Yb, "sigmoid")


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="z must have a classes axis"):
        softmax(3.0)
    with pytest.raises(ValueError, match=r"z has shape \(0, 3\): no classes"):
        log_softmax(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="axis must be an integer"):
        softmax(Z, axis=0.5)
    with pytest.raises(ValueError, match="column 0 sums to 2"):
        softmax_cross_entropy(Z, np.ones_like(Z) * 2 / 3)
    with pytest.raises(ShapeError, match="Y"):
        softmax_cross_entropy_gradient(Z, Y.T)
    with pytest.raises(ValueError, match="did you pass Z instead"):
        categorical_cross_entropy(Z, Y)
    with pytest.raises(ValueError, match="activation must be one of"):
        deep.compute_cost(softmax(Z), Y, "relu")
    with pytest.raises(ValueError, match="every column of Y must sum to 1"):
        deep.compute_cost(softmax(Z), np.zeros_like(Z), "softmax")


FINITE = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6), elements=FINITE),
       shift=st.floats(-1e4, 1e4))
def test_softmax_properties(z, shift):
    a = softmax(z)
    assert np.all(a >= 0) and np.all(a <= 1)
    np.testing.assert_allclose(a.sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(softmax(z + shift), a, rtol=1e-9, atol=1e-12)  # a constant per column cancels
    np.testing.assert_allclose(np.exp(log_softmax(z)), a, rtol=1e-9, atol=1e-300)
    assert np.all(a[np.argmax(z, axis=0), np.arange(z.shape[1])] == a.max(axis=0))  # the top score, the top ŷ


@settings(max_examples=60, deadline=None)
@given(data=st.data(), classes=st.integers(1, 6), m=st.integers(1, 6))
def test_gradient_properties(data, classes, m):
    z = data.draw(hnp.arrays(np.float64, (classes, m), elements=FINITE))
    labels = data.draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, classes - 1)))
    y = np.eye(classes)[:, labels]
    dZ = softmax_cross_entropy_gradient(z, y)
    np.testing.assert_allclose(dZ.sum(axis=0), 0.0, atol=1e-15)  # Σ_i (ŷ_i − y_i) = 1 − 1
    assert np.all(dZ[y == 1] <= 0) and np.all(dZ[y == 0] >= 0)  # the true class's score is pushed up, others down
    assert softmax_cross_entropy(z, y) >= 0
