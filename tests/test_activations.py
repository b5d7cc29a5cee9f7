"""nblib.activations: values, stability, derivatives against central differences."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nblib.activations import relu, relu_gradient, sigmoid, sigmoid_gradient
from nblib.gradcheck import numerical_gradient, relative_error

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


def test_sigmoid_known_values():
    assert sigmoid(0.0) == 0.5
    np.testing.assert_allclose(sigmoid(np.array([-1.0, 1.0])), [0.2689414213699951, 0.7310585786300049], rtol=1e-15)


def test_sigmoid_gradient_reproduces_octave_ex4_values():
    # Ng's Machine Learning ex4 prints these for sigmoidGradient([-1 -0.5 0 0.5 1]).
    published = [0.196612, 0.235004, 0.250000, 0.235004, 0.196612]
    got = sigmoid_gradient(np.array([-1.0, -0.5, 0.0, 0.5, 1.0]))
    assert np.all(np.abs(got - published) < 5e-7)
    assert sigmoid_gradient(0.0) == 0.25


@pytest.mark.filterwarnings("error")
def test_sigmoid_is_stable_over_the_whole_range():
    z = np.linspace(-1e4, 1e4, 200001)
    s = sigmoid(z)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert sigmoid(-1e4) == 0.0 and sigmoid(1e4) == 1.0
    assert np.all(np.isfinite(sigmoid_gradient(z)))


@pytest.mark.filterwarnings("error")
@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4), elements=finite))
def test_sigmoid_any_shape_float64_and_symmetric(z):
    s = sigmoid(z)
    assert np.shape(s) == z.shape and np.asarray(s).dtype == np.float64
    np.testing.assert_allclose(s + sigmoid(-z), 1.0, rtol=0, atol=1e-15)


def test_scalar_in_scalar_out():
    assert np.ndim(sigmoid(2.0)) == 0 and np.ndim(relu(-2)) == 0
    assert isinstance(float(sigmoid_gradient(3)), float)


def test_sigmoid_gradient_matches_central_differences_on_a_grid():
    z = np.linspace(-8.0, 8.0, 161)
    eps = 1e-5
    numerical = (sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps)
    assert relative_error(sigmoid_gradient(z), numerical) <= 1e-7


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-6, 6)))
def test_sigmoid_gradient_via_numerical_gradient(z):
    z = z.copy()
    numerical = numerical_gradient(lambda x: float(np.sum(sigmoid(x))), z)
    # absolute agreement: the summed loss adds round-off of order 1e-11
    np.testing.assert_allclose(sigmoid_gradient(z), numerical, rtol=1e-7, atol=1e-10)


def test_relu_and_its_gradient_with_convention_at_zero():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(relu(z), [0, 0, 0, 0.5, 2])
    np.testing.assert_array_equal(relu_gradient(z), [0, 0, 0, 1, 1])  # 0 at the kink, documented


def test_relu_gradient_matches_central_differences_away_from_zero():
    z = np.sin(np.arange(1.0, 13.0)).reshape(3, 4)  # no entry near 0
    assert np.min(np.abs(z)) > 0.1
    numerical = numerical_gradient(lambda x: float(np.sum(relu(x))), z)
    assert relative_error(relu_gradient(z), numerical) <= 1e-7


@pytest.mark.parametrize("fn", [sigmoid, sigmoid_gradient, relu, relu_gradient])
@pytest.mark.parametrize("bad, error", [("3", TypeError), (None, TypeError), (np.array([1.0, np.nan]), ValueError),
                                        (np.array([np.inf]), ValueError), ([1 + 2j], TypeError)])
def test_bad_inputs_name_the_argument(fn, bad, error):
    with pytest.raises(error, match=r"\bz\b"):
        fn(bad)
