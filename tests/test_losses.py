"""nblib.losses: definitions, reductions, gradients and bad inputs."""

import numpy as np
import pytest

from nblib.gradcheck import numerical_gradient, relative_error
from nblib.losses import binary_cross_entropy, half_squared_error, half_squared_error_gradient
from nblib.shapes import ShapeError

Y = np.array([[0.2, 0.9, 0.4, 0.7]])
O = np.array([[0.25, 0.6, 0.5, 0.65]])


def test_half_squared_error_sum_and_mean():
    expected = 0.5 * (0.05**2 + 0.3**2 + 0.1**2 + 0.05**2)
    assert half_squared_error(Y, O) == pytest.approx(expected, rel=1e-15)
    assert half_squared_error(Y, O, reduction="mean") == pytest.approx(expected / 4, rel=1e-15)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_half_squared_error_gradient_matches_central_differences(reduction):
    o = O.copy()
    numerical = numerical_gradient(lambda x: half_squared_error(Y, x, reduction), o)
    assert relative_error(half_squared_error_gradient(Y, o, reduction), numerical) <= 1e-7


def test_binary_cross_entropy_value_and_gradient():
    A = np.array([[0.8, 0.1, 0.6]])
    Yb = np.array([[1.0, 0.0, 1.0]])
    expected = -np.mean([np.log(0.8), np.log(0.9), np.log(0.6)])
    assert binary_cross_entropy(A, Yb) == pytest.approx(expected, rel=1e-14)
    numerical = numerical_gradient(lambda a: binary_cross_entropy(a, Yb), A.copy())
    analytic = -(Yb / A - (1 - Yb) / (1 - A)) / A.shape[1]
    assert relative_error(analytic, numerical) <= 1e-7


def test_binary_cross_entropy_is_finite_at_zero_and_one():
    A = np.array([[0.0, 1.0, 0.0, 1.0]])
    Yb = np.array([[1.0, 0.0, 0.0, 1.0]])
    cost = binary_cross_entropy(A, Yb)
    assert np.isfinite(cost) and cost > 10


def test_errors_name_arguments():
    with pytest.raises(ShapeError, match=r"O has shape \(4, 1\) but Y has shape \(1, 4\).*did you mean O.T"):
        half_squared_error(Y, O.T)
    with pytest.raises(ValueError, match="reduction"):
        half_squared_error(Y, O, reduction="avg")
    with pytest.raises(ValueError, match=r"A must hold probabilities.*Z instead of A"):
        binary_cross_entropy(np.array([[2.0]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match="Y must hold labels"):
        binary_cross_entropy(np.array([[0.5]]), np.array([[3.0]]))
    with pytest.raises(ValueError, match=r"\bO\b.*NaN"):
        half_squared_error(Y, np.array([[np.nan, 0, 0, 0]]))
