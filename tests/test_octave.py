"""nblib.octave: Octave conventions, errors that explain 1-based labels, gradients vs central differences."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nblib import octave
from nblib.gradcheck import numerical_gradient, relative_error
from nblib.shapes import ShapeError


def test_one_hot_is_octave_broadcast_comparison():
    yv = octave.one_hot(np.array([[3], [1], [2]]), 3)
    np.testing.assert_array_equal(yv, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert yv.dtype == np.float64


def test_labels_out_of_range_explain_1_based_labels():
    with pytest.raises(ValueError, match=r"label 0.*1-based.*add 1"):
        octave.one_hot([0, 1, 2], 3)
    with pytest.raises(ValueError, match=r"digit 0 to label 10"):
        octave.one_hot([0, 1], 10)
    with pytest.raises(ValueError, match=r"label 4, outside 1 … 3"):
        octave.one_hot([4], 3)
    with pytest.raises(ValueError, match="whole-number"):
        octave.one_hot([1.5], 3)


def test_debug_weights_are_filled_column_major():
    W = octave.debug_initialize_weights(2, 2)  # (2, 3): sin(1), sin(2) in the first column
    np.testing.assert_allclose(W[:, 0], np.sin([1, 2]) / 10)
    np.testing.assert_allclose(W[0, :], np.sin([1, 3, 5]) / 10)


def test_unroll_is_column_major_and_reshape_inverts_it():
    T1, T2 = np.arange(6.0).reshape(2, 3), np.arange(6.0, 12.0).reshape(2, 3)
    v = octave.unroll(T1, T2)
    np.testing.assert_array_equal(v[:6], [0, 3, 1, 4, 2, 5])
    R1, R2 = octave.reshape_params(v, 2, 2, 2)
    np.testing.assert_array_equal(R1, T1)
    np.testing.assert_array_equal(R2, T2)
    with pytest.raises(ValueError, match="nn_params has 11 entries.*need 6 \\+ 6 = 12"):
        octave.reshape_params(np.zeros(11), 2, 2, 2)


@pytest.mark.parametrize("lambda_", [0.0, 3.0])
def test_check_nn_gradients_below_1e_9(lambda_, capsys):
    assert octave.check_nn_gradients(lambda_) < 1e-9
    assert "< 1e-9" in capsys.readouterr().out


@settings(max_examples=30, deadline=None)
@given(n_in=st.integers(1, 4), hidden=st.integers(1, 5), labels=st.integers(2, 4), m=st.integers(1, 6),
       lambda_=st.sampled_from([0.0, 0.7, 3.0]), seed=st.integers(0, 10_000))
def test_gradient_matches_central_differences(n_in, hidden, labels, m, lambda_, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n_in))
    y = rng.integers(1, labels + 1, size=m)
    params = octave.unroll(octave.rand_initialize_weights(n_in, hidden, 1.0, rng),
                           octave.rand_initialize_weights(hidden, labels, 1.0, rng))
    J, grad = octave.nn_cost_function(params, n_in, hidden, labels, X, y, lambda_)
    # Central-difference round-off is about 1e-16·J/eps; entries below about 1e-3·J cannot be checked to 1e-7.
    assume(np.min(np.abs(grad)) > 1e-3 * max(J, 1.0))
    numerical = numerical_gradient(lambda p: octave.nn_cost_function(p, n_in, hidden, labels, X, y, lambda_)[0],
                                   params.copy())
    assert relative_error(grad, numerical) <= 1e-7


def test_bias_columns_are_not_regularised():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 2)), np.array([1, 2, 1, 2])
    params = octave.unroll(octave.rand_initialize_weights(2, 3, rng=rng), octave.rand_initialize_weights(3, 2, rng=rng))
    _, g0 = octave.nn_cost_function(params, 2, 3, 2, X, y, 0.0)
    _, g5 = octave.nn_cost_function(params, 2, 3, 2, X, y, 5.0)
    T1_0, _ = octave.reshape_params(g0, 2, 3, 2)
    T1_5, _ = octave.reshape_params(g5, 2, 3, 2)
    np.testing.assert_array_equal(T1_0[:, 0], T1_5[:, 0])
    assert not np.allclose(T1_0[:, 1:], T1_5[:, 1:])


def test_predict_returns_1_based_labels_and_training_learns():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-2, 0.5, (20, 2)), rng.normal(2, 0.5, (20, 2))])
    y = np.array([1] * 20 + [2] * 20)
    T1, T2, costs = octave.train(X, y, 2, 3, 2, lambda_=0.1, iterations=200, learning_rate=0.5)
    assert costs[-1] < costs[0]
    assert set(octave.predict(T1, T2, X)) <= {1, 2} and np.mean(octave.predict(T1, T2, X) == y) == 1.0


def test_shape_errors():
    with pytest.raises(ShapeError, match="X has shape"):
        octave.nn_cost_function(np.zeros(6 + 6), 2, 2, 2, np.zeros((3, 3)), [1, 2, 1], 0.0)
    with pytest.raises(ValueError, match="lambda_"):
        octave.nn_cost_function(np.zeros(12), 2, 2, 2, np.zeros((3, 2)), [1, 2, 1], -1.0)
    with pytest.raises(ValueError, match="X must be 2-D"):
        octave.add_bias_column(np.zeros(3))
