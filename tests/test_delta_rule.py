"""nblib.delta_rule: article 002's 2-3-1 network; ΔW = −η ∂E/∂W everywhere."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nblib import delta_rule
from nblib.gradcheck import numerical_gradient, relative_error
from nblib.shapes import ShapeError

x = np.array([1.0, 0.5])
W1 = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
W2 = np.array([0.2, -0.1, 0.3])


def test_worked_example_numbers():
    f = delta_rule.forward(x, W1, W2)
    np.testing.assert_allclose(f["z"], [0.3, 0.45, 0.6])
    assert f["y"] == pytest.approx(0.247521, abs=1e-6)
    dl = delta_rule.deltas(x, 1.0, W1, W2)
    np.testing.assert_allclose(dl["delta_hidden"], [0.036790, -0.017891, 0.051647], atol=1e-6)


weights = st.floats(-2, 2)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, 2, elements=weights), st.floats(-1, 1), arrays(np.float64, (2, 3), elements=weights),
       arrays(np.float64, 3, elements=weights), st.floats(0.01, 1.0))
def test_weight_changes_are_minus_eta_times_the_gradient(x, d, W1, W2, eta):
    changes = delta_rule.weight_changes(x, d, W1, W2, eta)
    num1 = numerical_gradient(lambda w: delta_rule.error(x, d, w, W2), W1.copy())
    num2 = numerical_gradient(lambda w: delta_rule.error(x, d, W1, w), W2.copy())
    np.testing.assert_allclose(changes["dW1"], -eta * num1, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(changes["dW2"], -eta * num2, rtol=1e-7, atol=1e-10)


def test_relative_error_on_the_worked_example():
    changes = delta_rule.weight_changes(x, 1.0, W1, W2, 0.5)
    num1 = numerical_gradient(lambda w: delta_rule.error(x, 1.0, w, W2), W1.copy())
    assert relative_error(changes["dW1"], -0.5 * num1) <= 1e-7


def test_update_lowers_the_error():
    c = delta_rule.weight_changes(x, 1.0, W1, W2, 0.5)
    assert delta_rule.error(x, 1.0, W1 + c["dW1"], W2 + c["dW2"]) < delta_rule.error(x, 1.0, W1, W2)


def test_errors():
    with pytest.raises(ShapeError, match=r"W1 has shape \(3, 2\).*W1.T"):
        delta_rule.forward(x, W1.T, W2)
    with pytest.raises(ShapeError, match="x has shape"):
        delta_rule.forward(np.ones(3), W1, W2)
    with pytest.raises(ValueError, match="eta"):
        delta_rule.weight_changes(x, 1.0, W1, W2, -1.0)
