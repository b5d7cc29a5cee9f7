"""nblib.shapes and nblib.validate: messages name the argument, expected and actual, with hints."""

import numpy as np
import pytest

from nblib.shapes import ShapeError, expect_shape
from nblib.validate import as_float_array, check_scalar


def test_expect_shape_passes_and_returns_the_array():
    W = np.zeros((5, 1))
    assert expect_shape("W_ho", W, (5, 1)) is W
    assert expect_shape("X", np.zeros((4, 7)), (4, None)) is not None


def test_transpose_hint():
    with pytest.raises(ShapeError) as info:
        expect_shape("W_ho", np.zeros((1, 5)), (5, 1))
    message = str(info.value)
    assert "W_ho" in message and "(1, 5)" in message and "(5, 1)" in message and "W_ho.T" in message
    assert isinstance(info.value, ValueError)


def test_flattened_column_hint_and_keepdims():
    with pytest.raises(ShapeError, match=r"db.*1-D.*reshape\(-1, 1\).*keepdims"):
        expect_shape("db", np.zeros(5), (5, 1))
    with pytest.raises(ShapeError, match=r"ravel"):
        expect_shape("v", np.zeros((5, 1)), (5,))


def test_square_outer_product_hint():
    with pytest.raises(ShapeError, match="square 5 × 5 result where 5 × 1 is expected"):
        expect_shape("dW", np.zeros((5, 5)), (5, 1))


def test_not_an_array():
    with pytest.raises(TypeError, match="W must be a NumPy array"):
        expect_shape("W", [[1, 2]], (1, 2))


def test_as_float_array_errors():
    assert as_float_array("x", [1, 2]).dtype == np.float64
    assert as_float_array("x", True).dtype == np.float64
    with pytest.raises(TypeError, match="x must hold numbers"):
        as_float_array("x", ["a"])
    with pytest.raises(ValueError, match=r"x contains 2 non-finite.*index \(0, 1\)"):
        as_float_array("x", [[1.0, np.nan], [np.inf, 0.0]])
    assert np.isinf(as_float_array("x", [np.inf], allow_nonfinite=True)[0])
    with pytest.raises(ValueError, match="rows of different lengths"):
        as_float_array("x", [[1, 2], [3]])


def test_check_scalar():
    assert check_scalar("eps", 1e-5, low=0, high=1, inclusive=False) == 1e-5
    with pytest.raises(ValueError, match=r"eps must lie in \(0"):
        check_scalar("eps", 0.0, low=0, high=1, inclusive=False)
    with pytest.raises(TypeError, match="seed must be an integer"):
        check_scalar("seed", 1.5, integer=True)
    with pytest.raises(TypeError, match="learning_rate must be a real number"):
        check_scalar("learning_rate", "0.1")


def test_shape_hint_square_rule_skips_1_by_1_and_names_both_shapes():
    from nblib.shapes import shape_hint

    assert "outer size" not in shape_hint("dW3", (1, 1), (1, 4))
    assert "square 4 × 4 result where 5 × 3 is expected" in shape_hint("dW1", (4, 4), (5, 3))
    assert shape_hint("db", (1, 5), (5, 1)).startswith("that is the transpose")
