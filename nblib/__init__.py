"""Backprop by Hand — the small helpers the lessons import after deriving them.

The maths modules (activations, losses, gradcheck, shapes, data, validate and the
network modules) import only NumPy, so ``import nblib`` is fast and they can be
tested without a display. Plots and widgets live in ``nblib.plots`` and
``nblib.widgets`` and import matplotlib / ipywidgets when you import them.
"""

from nblib.activations import relu, relu_gradient, sigmoid, sigmoid_gradient
from nblib.gradcheck import check_gradients, numerical_gradient, relative_error
from nblib.losses import binary_cross_entropy, half_squared_error
from nblib.shapes import ShapeError, expect_shape

__all__ = [
    "ShapeError",
    "binary_cross_entropy",
    "check_gradients",
    "expect_shape",
    "half_squared_error",
    "numerical_gradient",
    "relative_error",
    "relu",
    "relu_gradient",
    "sigmoid",
    "sigmoid_gradient",
]

__version__ = "0.1.0"
