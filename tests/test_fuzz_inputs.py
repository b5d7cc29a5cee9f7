"""Bad-input fuzz over the public functions of nblib's core: every error names the argument.

Each entry: a function, a dict of valid keyword arguments, and the arguments to corrupt.
Hypothesis picks an argument and a bad value; the call must raise TypeError or ValueError
(ShapeError is a ValueError) whose message names that argument — never a bare NumPy error.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib import activations, gradcheck, losses, shapes

M = np.array([[0.2, 0.4, 0.6]])
P = {"W": np.array([[0.1, -0.2]])}

CALLS = {
    "sigmoid": (activations.sigmoid, {"z": M}, ["z"]),
    "sigmoid_gradient": (activations.sigmoid_gradient, {"z": M}, ["z"]),
    "relu": (activations.relu, {"z": M}, ["z"]),
    "relu_gradient": (activations.relu_gradient, {"z": M}, ["z"]),
    "half_squared_error": (losses.half_squared_error, {"Y": M, "O": M}, ["Y", "O"]),
    "half_squared_error_gradient": (losses.half_squared_error_gradient, {"Y": M, "O": M}, ["Y", "O"]),
    "binary_cross_entropy": (losses.binary_cross_entropy, {"A": M, "Y": M.round()}, ["A", "Y"]),
    "numerical_gradient": (gradcheck.numerical_gradient, {"f": lambda x: float(np.sum(x)), "x": M.copy()},
                           ["f", "x", "eps"]),
    "relative_error": (gradcheck.relative_error, {"a": M, "b": M}, ["a", "b"]),
    "check_gradients": (gradcheck.check_gradients,
                        {"f": lambda p: float(np.sum(p["W"])), "params": P, "grads": {"W": np.ones((1, 2))}},
                        ["f", "params", "grads", "threshold"]),
}

BAD = {
    "None": None,
    "a string": "0.5",
    "a NaN array": np.array([[np.nan, 0.0, 0.0]]),
    "an inf array": np.array([[np.inf, 0.0, 0.0]]),
    "a complex array": np.array([[1j, 0, 0]]),
    "an object array": np.array([[object(), 1, 2]], dtype=object),
    "a wrong shape": np.zeros((3, 1)),
    "a dict": {"x": 1},
}


def expected_ok(name, arg, bad_label):
    """A few corruptions are legitimately accepted (e.g. any shape for elementwise functions)."""
    any_shape = name in {"sigmoid", "sigmoid_gradient", "relu", "relu_gradient"} or (name, arg) == (
        "numerical_gradient", "x")
    return bad_label == "a wrong shape" and any_shape


def test_every_public_core_function_is_fuzzed():
    public = {n for mod in (activations, gradcheck, losses) for n in dir(mod)
              if not n.startswith("_") and callable(getattr(mod, n)) and getattr(mod, n).__module__ == mod.__name__
              and n[0].islower()}
    assert public - {"relative_errors"} <= set(CALLS), f"not fuzzed: {sorted(public - set(CALLS))}"


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(CALLS)), data=st.data(), bad_label=st.sampled_from(sorted(BAD)))
def test_bad_inputs_raise_errors_naming_the_argument(name, data, bad_label):
    fn, valid, corruptible = CALLS[name]
    arg = data.draw(st.sampled_from(corruptible))
    if expected_ok(name, arg, bad_label):
        return
    kwargs = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in valid.items()}
    kwargs[arg] = BAD[bad_label]
    if (name, arg, bad_label) == ("check_gradients", "grads", "a dict"):
        assert not fn(**kwargs).ok  # a dict of the wrong things is reported, not raised
        return
    with pytest.raises((TypeError, ValueError)) as info:
        fn(**kwargs)
    assert arg in str(info.value), f"{name}({arg}={bad_label}) raised {info.value!r}, which does not name {arg}"


def test_expect_shape_names_the_array():
    with pytest.raises(TypeError, match="W_ih"):
        shapes.expect_shape("W_ih", None, (4, 5))
    with pytest.raises(shapes.ShapeError, match="W_ih"):
        shapes.expect_shape("W_ih", np.zeros((4,)), (4, 5))
