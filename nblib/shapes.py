"""Shape checks that explain themselves (lesson 03 derives every shape rule they enforce).

``expect_shape("W_ho", W_ho, (5, 1))`` passes silently or raises :class:`ShapeError`
naming the argument, the expected and the actual shape, and a hint for the usual
slips: a transposed matrix, a column vector flattened to 1-D, a sum without
``keepdims``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ShapeError(ValueError):
    """An array argument has the wrong shape. The message says which and why."""


def _fmt(shape: Sequence) -> str:
    parts = ["?" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _matches(actual: tuple, expected: tuple) -> bool:
    return len(actual) == len(expected) and all(e is None or a == e for a, e in zip(actual, expected))


def _shape(name: str, value) -> tuple:
    """A shape argument: a tuple or list of sizes (None for "any size" where allowed)."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be a shape, a tuple of sizes such as (4, 5), got {type(value).__name__} "
                        f"{value!r:.40}")
    return tuple(value)


def shape_hint(name: str, actual: tuple, expected: tuple) -> str:
    """A one-sentence guess at the mistake behind a shape mismatch ('' when there is none)."""
    actual, expected = _shape("actual", actual), _shape("expected", expected)
    if len(actual) == 2 and len(expected) == 2 and _matches(actual[::-1], expected):
        return f"that is the transpose of the expected shape: did you mean {name}.T?"
    if len(actual) == 1 and len(expected) == 2 and 1 in expected:
        n = next((e for e in expected if e != 1), 1)
        if n is None or actual[0] == n:
            want = "column" if expected[1] == 1 else "row"
            how = "reshape(-1, 1)" if want == "column" else "reshape(1, -1)"
            return (f"{name} is 1-D but a 2-D {want} vector is expected: use {name}.{how}, "
                    "or keepdims=True if it came from a sum")
    if len(actual) == 2 and len(expected) == 1 and 1 in actual and (expected[0] is None or expected[0] in actual):
        return f"{name} is 2-D but a 1-D vector is expected: use {name}.ravel()"
    if len(actual) == 2 and len(expected) == 2 and actual[0] == actual[1] > 1 and None not in expected:
        return (f"a square {actual[0]} × {actual[1]} result where {expected[0]} × {expected[1]} is expected: "
                f"the product paired two factors with the same outer size {actual[0]} — check that each factor is "
                "the one the formula names (e.g. the previous layer's activation, not this layer's gradient)")
    return ""


def expect_shape(name: str, array, expected: Sequence) -> np.ndarray:
    """Raise :class:`ShapeError` unless ``array`` has shape ``expected``.

    ``expected`` is a tuple of ints; ``None`` in a position accepts any size there,
    e.g. ``(4, None)`` for "4 features, any number of observations". Returns the
    array so the call can be used inline.
    """
    if not hasattr(array, "shape"):
        raise TypeError(f"{name} must be a NumPy array with shape {_fmt(expected)}, got {type(array).__name__}")
    expected = _shape("expected", expected)
    actual = tuple(array.shape)
    if not _matches(actual, expected):
        msg = f"{name} has shape {_fmt(actual)}, expected {_fmt(expected)}"
        hint = shape_hint(name, actual, expected)
        raise ShapeError(msg + (f"; {hint}" if hint else ""))
    return array


def _culprit(name_a: str, shape_a: tuple, name_b: str, shape_b: tuple) -> tuple[str, str]:
    """Which of two arrays that must share a shape is most likely wrong, and a hint ('' when unsure).

    Observations are columns in this course, so of a pair that are transposes of each other the one with
    more rows than columns is the transposed one; of a 1-D and a 2-D array, the 1-D one lost an axis.
    """
    if len(shape_a) == len(shape_b) == 2 and shape_a == shape_b[::-1]:
        name = name_a if shape_a[0] > shape_a[1] else name_b
        return name, f"did you mean {name}.T? (observations are columns)"
    if len(shape_a) != len(shape_b):
        name, other = (name_a, shape_b) if len(shape_a) < len(shape_b) else (name_b, shape_a)
        return name, f"{name} has {min(len(shape_a), len(shape_b))} axes where {len(other)} are expected"
    return "", ""


def expect_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise :class:`ShapeError` naming both arrays, the likely culprit first, unless ``a`` and ``b`` match."""
    for name, value in ((name_a, a), (name_b, b)):
        if not hasattr(value, "shape"):
            raise TypeError(f"{name} must be a NumPy array, got {type(value).__name__} {value!r:.40}")
    if a.shape == b.shape:
        return
    culprit, hint = _culprit(name_a, a.shape, name_b, b.shape)
    first, other = (b, a) if culprit == name_b else (a, b)
    n_first, n_other = (name_b, name_a) if culprit == name_b else (name_a, name_b)
    raise ShapeError(f"{n_first} has shape {_fmt(first.shape)} but {n_other} has shape {_fmt(other.shape)}; "
                     "they must match" + (f": {hint}" if hint else ""))
