"""Feedback for the exercises: say *what* is wrong, in the order a student should fix it.

Every check takes the student's function (or result) as an argument and reports, in
order: missing/extra keys, not-an-array, shape, dtype, values — naming the variable
and the first wrong index, with a hint for known mistakes (transposed? off by a
factor such as m? wrong sign? a formula from the list of classic slips?).

A failed check raises :class:`CheckFailed`, which Jupyter shows as one short line
instead of a wall of traceback. A passed check prints one line starting with ✔.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from nblib.shapes import shape_hint


class CheckFailed(AssertionError):
    """An exercise check failed; the message says what to fix."""

    def _render_traceback_(self):  # IPython: show the message, not the traceback
        return [f"\033[1;31m✘ {self}\033[0m"]


def passed(message: str) -> None:
    """Print the one-line success message of a check."""
    print(f"✔ {message}")


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _generic_hint(name: str, got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> str:
    if _close(-got, expected, rtol, atol):
        return f"{name} has the right size but the wrong sign"
    mask = np.abs(expected) > atol
    if mask.any():
        ratios = got[mask] / expected[mask]
        k = float(np.median(ratios))
        if k != 0 and _close(got, k * expected, rtol, atol) and not np.isclose(k, 1.0):
            if np.isclose(k, round(k)) and round(k) > 1:
                return f"{name} is {round(k)}× too large (a missing 1/{round(k)}, e.g. 1/m?)"
            if np.isclose(1 / k, round(1 / k)) and round(1 / k) > 1:
                return f"{name} is {round(1 / k)}× too small (an extra 1/{round(1 / k)}, e.g. 1/m twice?)"
            return f"{name} is off by a constant factor of {k:.4g}"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _close(got.T, expected, rtol, atol):
        return f"{name} is the transpose of the right answer: did you mean {name}.T?"
    return ""


def compare_array(name: str, got, expected, *, rtol: float = 1e-7, atol: float = 1e-12,
                  mistakes: Mapping[str, np.ndarray] | None = None, context: str = "") -> None:
    """Raise :class:`CheckFailed` unless ``got`` equals ``expected`` (shape, dtype, values).

    ``mistakes`` maps a description of a known slip to the array that slip produces;
    when ``got`` matches one, the message names it. ``context`` (e.g. "with m = 6")
    starts the message.
    """
    try:
        _compare_array(name, got, expected, rtol=rtol, atol=atol, mistakes=mistakes)
    except CheckFailed as failure:
        if context:
            raise CheckFailed(f"{context}: {failure}") from None
        raise


def _compare_array(name, got, expected, *, rtol, atol, mistakes):
    expected = np.asarray(expected, dtype=np.float64)
    if got is None:
        raise CheckFailed(f"{name} is None: did you forget to `return` it?")
    if np.isscalar(got) and expected.ndim == 0:
        got = np.asarray(got)
    if not isinstance(got, np.ndarray):
        raise CheckFailed(f"{name} should be a NumPy array of shape {expected.shape}, got {type(got).__name__}")
    if got.shape != expected.shape:
        hint = shape_hint(name, got.shape, expected.shape)
        raise CheckFailed(f"{name} has shape {got.shape}, expected {expected.shape}" + (f"; {hint}" if hint else ""))
    if got.dtype.kind not in "f":
        raise CheckFailed(f"{name} has dtype {got.dtype}, expected float64 "
                          "(an integer array truncates: was it made with np.zeros(..., dtype=int) or from ints?)")
    if not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        raise CheckFailed(f"{name} contains NaN or inf (first at index {bad}): an overflow or a division by zero?")
    if _close(got, expected, rtol, atol):
        return
    for description, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=np.float64)
        if _close(got, wrong, rtol, atol):
            raise CheckFailed(f"{name} has the right shape but wrong values: it looks like {description}")
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()
    message = (f"{name} has the right shape but wrong values: {int(bad.sum())} of {got.size} entries differ; "
               f"first at index {first}: got {got[first]:.6g}, expected {expected[first]:.6g}")
    hint = _generic_hint(name, got, expected, rtol, atol)
    raise CheckFailed(message + (f"; {hint}" if hint else ""))


def compare_dict(name: str, got, expected: Mapping[str, np.ndarray], *, rtol: float = 1e-7, atol: float = 1e-12,
                 mistakes: Mapping[str, Mapping[str, np.ndarray]] | None = None, context: str = "") -> None:
    """Compare a dict of arrays key by key: missing/extra keys first, then each entry with :func:`compare_array`.

    The reference dict ``expected`` drives the loop, so an empty or partial dict fails.
    ``mistakes`` maps a key to that entry's known slips.
    """
    prefix = f"{context}: " if context else ""
    if not isinstance(got, Mapping):
        raise CheckFailed(f"{prefix}{name} should be a dict with keys {sorted(expected)}, got {type(got).__name__}")
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing key(s) {missing}")
        if extra:
            parts.append(f"unexpected key(s) {extra}")
        raise CheckFailed(f"{prefix}{name}: " + " and ".join(parts) + f"; expected exactly {list(expected)}")
    for key, value in expected.items():
        compare_array(f"{name}[{key!r}]", got[key], value, rtol=rtol, atol=atol,
                      mistakes=(mistakes or {}).get(key), context=context)


def call_student(student, name: str, args: tuple, label: str):
    """Call the student's function; turn any failure into a one-line :class:`CheckFailed`.

    A missing body (NotImplementedError), a matrix-product shape error (often ``@`` where an elementwise ``*``
    was meant) and any other exception each get their own message naming ``name`` and the case ``label``.
    """
    if not callable(student):
        raise CheckFailed(f"pass your function itself, e.g. check({name}), not {type(student).__name__}")
    try:
        return student(*args)
    except NotImplementedError:
        raise CheckFailed(f"{name} is not written yet: replace the `raise NotImplementedError` line") from None
    except RuntimeWarning as warning:  # raised when the caller turns warnings into errors
        raise CheckFailed(f"{name} warns on {label}: {warning} — an overflow here means the formula is not "
                          "numerically stable for these inputs") from None
    except ValueError as exc:
        if "matmul" in str(exc) or "aligned" in str(exc):
            raise CheckFailed(f"{name} failed on {label} with a matrix-product shape error ({exc}); Octave's .* "
                              "is the elementwise product — * in NumPy — and a matrix product is @") from None
        raise CheckFailed(f"{name} raised ValueError on {label}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 — report any student error in one line
        raise CheckFailed(f"{name} raised {type(exc).__name__} on {label}: {exc}") from None


def check_function(student: Callable, fn_name: str, reference: Callable, cases: Sequence[tuple[str, tuple]], *,
                   mistakes: Mapping[str, Callable] | None = None, rtol: float = 1e-7, atol: float = 1e-12) -> None:
    """Run ``student`` and ``reference`` on each case and compare; print ✔ or raise :class:`CheckFailed`.

    ``cases`` is a list of ``(label, args)``; each call gets fresh copies of the args,
    and a RuntimeWarning (overflow, division by zero) counts as a failure.
    ``mistakes`` maps a description of a classic slip to a function computing it.
    """
    if not callable(student):
        raise CheckFailed(f"pass your function itself, e.g. check({fn_name}), not {type(student).__name__}")
    def fresh(args):
        return tuple(np.array(a, dtype=np.float64) if isinstance(a, np.ndarray) else a for a in args)

    outputs = []
    for label, args in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            outputs.append(call_student(student, fn_name, fresh(args), label))
    expected = [reference(*fresh(args)) for _, args in cases]

    def same(a, b):
        try:
            return _close(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), rtol, atol)
        except (TypeError, ValueError):
            return False

    # A known slip is named only when it explains the output on *every* case
    # (2σ′(0) = σ(0) = 0.5, so one case alone can mislead).
    slip = next((desc for desc, wrong in (mistakes or {}).items()
                 if all(same(out, wrong(*fresh(args))) for out, (_, args) in zip(outputs, cases))), None)
    for (label, _), got, want in zip(cases, outputs, expected):
        try:
            compare_array(f"the result of {fn_name}", got, want, rtol=rtol, atol=atol,
                          mistakes={slip: got} if slip else None, context=f"On {label}")
        except CheckFailed as failure:
            raise CheckFailed(str(failure)) from None
    passed(f"{fn_name} is right on all {len(cases)} cases")
