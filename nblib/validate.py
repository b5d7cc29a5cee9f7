"""Argument checking shared by every public function of :mod:`nblib`.

A student who passes the wrong thing should read *which* argument was wrong and
*what* was expected, never a bare NumPy broadcasting error. Every public function
in ``nblib`` converts its array arguments with :func:`as_float_array` first.
"""

from __future__ import annotations

import numbers

import numpy as np


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    """The first index (in C order) where ``mask`` is true, as a tuple of ints."""
    flat = int(np.flatnonzero(mask)[0])
    return tuple(int(i) for i in np.unravel_index(flat, mask.shape))


def as_float_array(name: str, x, *, allow_nonfinite: bool = False) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise an error that names ``name``.

    Accepts Python numbers, lists and arrays of bools, ints or floats. Rejects
    strings, objects, complex numbers and ``None`` with a ``TypeError``, and NaN
    or ±inf with a ``ValueError`` (unless ``allow_nonfinite``). A 0-d array is
    returned for a scalar.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:  # the common case: skip the conversions
        arr = x
        if not allow_nonfinite and not _all_finite(arr):
            _check_finite(name, arr)
        return arr
    if x is None:
        raise TypeError(f"{name} is None: expected a number or a NumPy array (did you forget a `return`?)")
    if isinstance(x, dict):
        raise TypeError(f"{name} is a dict: expected a number or a NumPy array")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} could not be made into an array ({exc}); "
                         "are its rows of different lengths?") from None
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise TypeError(f"{name} must hold numbers, but has dtype {arr.dtype} ({type(x).__name__})")
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} is complex ({arr.dtype}); backprop here works with real float64 numbers")
    arr = arr.astype(np.float64, copy=False)
    if not allow_nonfinite and not _all_finite(arr):
        _check_finite(name, arr)
    return arr


def _all_finite(arr: np.ndarray) -> bool:
    """True when every entry of ``arr`` is finite (an empty array's are). np.isfinite never overflows, so finite
    entries near 1e308 raise no warning; on a 5 × 8 array it takes half the time of an overflow-guarded sum (1.4 µs
    against 2.9 µs: np.errstate's context manager is most of it), on 10⁶ entries about as long (150 µs)."""
    return bool(np.isfinite(arr).all())


def _check_finite(name: str, arr: np.ndarray) -> None:
    """Raise naming the first NaN/inf of ``arr`` (called only when one is there)."""
    if not np.all(np.isfinite(arr)):
        bad = ~np.isfinite(arr)
        kind = "NaN" if np.isnan(arr[bad]).any() else "inf"
        where = f" (first at index {_first_index(bad)})" if arr.ndim else ""
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) ({kind}){where}; "
            "a NaN or inf usually means an earlier step overflowed or training diverged "
            "(try a smaller learning rate)"
        )


def check_scalar(name: str, value, *, low=None, high=None, integer: bool = False, inclusive: bool = True):
    """Check a scalar option such as ``eps``, ``learning_rate`` or ``seed`` and return it."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an integer" if integer else "a real number"
        raise TypeError(f"{name} must be {expected}, got {value!r} ({type(value).__name__})")
    try:
        finite = integer or bool(np.isfinite(value))
    except OverflowError:  # a Python int beyond float64 (10**400)
        finite = False
    if not finite:
        raise ValueError(f"{name} must be finite, got {value!r:.40}")
    if inclusive:
        too_low = low is not None and value < low
        too_high = high is not None and value > high
    else:
        too_low = low is not None and value <= low
        too_high = high is not None and value >= high
    if too_low or too_high:
        lo = "-inf" if low is None else repr(low)
        hi = "inf" if high is None else repr(high)
        brackets = "[]" if inclusive else "()"
        raise ValueError(f"{name} must lie in {brackets[0]}{lo}, {hi}{brackets[1]}, got {value!r}")
    return int(value) if integer else float(value)  # a float32 or 0-d array must not leak its dtype into the maths


# Ceilings on sizes no lesson comes near, so a slip (10**9 instead of 10**3) is refused by name instead of trying
# to allocate gigabytes or to run for days. The lessons' largest: 64 inputs and 10 classes (digits), 32 hidden units,
# 2,000 epochs, 400 iterations, 8 layers; the ceilings are more than 100× above.
MAX_UNITS = 10_000  # units in one layer (inputs, hidden units, outputs), classes
MAX_STEPS = 1_000_000  # epochs, iterations, gradient steps
MAX_LAYERS = 1_000  # layers of a deep network


def check_size(name: str, value, high: int, what: str, *, low: int = 1) -> int:
    """A whole-number size (units, classes, epochs…) in ``low … high``: above ``high``, an error that says it is a
    ceiling no lesson needs (``what`` names the quantity, e.g. "hidden units")."""
    value = check_scalar(name, value, low=low, integer=True)
    if value > high:
        raise ValueError(f"{name} must be at most {high:,} ({what}; no lesson needs more), got {value:,}: a size this "
                         f"large would take gigabytes of memory or hours. Hint: check for an extra zero or a "
                         f"power written as ** by mistake")
    return value


def check_dict(name: str, value, keys=None, *, example: str = "") -> dict:
    """``value`` must be a dict holding every key in ``keys``; the error shows the expected structure."""
    want = example or ("{" + ", ".join(repr(k) for k in keys) + "}" if keys else "a dict")
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict {want}, got {type(value).__name__}")
    missing = [k for k in (keys or ()) if k not in value]
    if missing:
        raise KeyError(f"{name} is missing {', '.join(map(repr, missing))}: expected keys {want}, "
                       f"got {sorted(value) if value else 'an empty dict'}")
    return value


def check_choice(name: str, value, choices) -> str:
    """``value`` must be one of ``choices`` (e.g. an activation or reduction name)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_callable(name: str, value, what: str = "a function") -> None:
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r:.40}")


def check_sequence(name: str, value, length: int | None = None, *, what: str = "") -> list:
    """``value`` must be a list or tuple (of ``length`` entries, when given); returns it as a list."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list{' of ' + what if what else ''}, got {type(value).__name__} "
                        f"{value!r:.40}")
    if length is not None and len(value) != length:
        raise ValueError(f"{name} must have {length} entries{' (' + what + ')' if what else ''}, "
                         f"got {len(value)}: {list(value)!r:.80}")
    return list(value)


def check_not_empty(name: str, arr: np.ndarray, what: str = "observations (columns)") -> np.ndarray:
    """An array with no entries has no mean and no gradient: refuse it by name."""
    if arr.size == 0:
        raise ValueError(f"{name} has shape {arr.shape}: no {what}; expected at least one")
    return arr


def check_2d(name: str, arr: np.ndarray, layout: str) -> np.ndarray:
    """``arr`` must be 2-D, e.g. ``layout="(features, m)"``; a 1-D vector gets a reshape hint."""
    if arr.ndim != 2:
        hint = f"; use {name}.reshape(-1, 1) for one column or {name}.reshape(1, -1) for one row" \
            if arr.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D {layout}, got shape {arr.shape}{hint}")
    return arr


def check_finite_result(value, what: str, blame: str) -> None:
    """A result that overflowed: name the inputs to blame instead of returning inf or NaN."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} is not finite ({np.ravel(value)[~np.isfinite(np.ravel(value))][0]}): "
                         f"{blame} must be smaller (float64 overflows near 1e308)")


def check_agree(what: str, *named_counts: tuple[str, int]) -> None:
    """Arrays that must agree on a count (e.g. observations): blame the odd one out, or name every pair on a tie.

    ``check_agree("observations (columns)", ("X", 4), ("Y", 3), ("cache['O']", 3))`` raises
    "X has 4 observations (columns) but Y and cache['O'] have 3; they must match".
    """
    counts = [c for _, c in named_counts]
    if len(set(counts)) <= 1:
        return
    majority = max(set(counts), key=lambda c: (counts.count(c), -counts.index(c)))
    odd = [(n, c) for n, c in named_counts if c != majority]
    agree = [n for n, c in named_counts if c == majority]
    lhs = " and ".join(f"{n} has {c}" for n, c in odd)
    verb = "has" if len(agree) == 1 else "have"
    raise ValueError(f"{lhs} {what} but {' and '.join(agree)} {verb} {majority}; they must match")


def diverged(exc: Exception, where: str, learning_rate, params: str = "parameters") -> ValueError:
    """The error to raise when a training loop's step fails on numbers the loop made itself: it diverged."""
    return ValueError(f"training diverged {where} (learning_rate = {learning_rate:g}): {exc}. "
                      f"Try a smaller learning_rate, or X and {params} of order 1")


def as_label_vector(name: str, labels, expected: str) -> np.ndarray:
    """Whole-number class labels as a 1-D int64 array; an (m, 1) or (1, m) array is flattened.

    ``expected`` describes the labels in the message, e.g. "labels 1 … num_labels".
    """
    arr = as_float_array(name, labels)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a vector of {expected}, (m,) or (m, 1), got shape {arr.shape}")
    fractional = arr != np.round(arr)
    if np.any(fractional):
        raise ValueError(f"{name} must hold whole-number {expected}, found {arr[fractional][0]:g}")
    return arr.astype(np.int64)
