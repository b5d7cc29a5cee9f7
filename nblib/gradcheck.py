"""Gradient checking by central differences (first used in lesson 01, then in every lesson).

* :func:`numerical_gradient` — dF/dx for every entry of x, by (f(x+ε) − f(x−ε)) / 2ε.
* :func:`relative_error` — the CS231n measure max |a − b| / max(1e-8, |a| + |b|).
* :func:`check_gradients` — compares a whole dict of analytic gradients with numerical
  ones and returns a :class:`GradientReport` (text and HTML table, one-line verdict).

Always work in float64: with float32 the round-off in f(x ± ε) swamps the difference.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from nblib.shapes import ShapeError, shape_hint
from nblib.validate import as_float_array, check_scalar

#: A relative error at or below this means "the gradient is right" (CS231n's rule of thumb).
DEFAULT_THRESHOLD = 1e-7
# Relative errors closer than this to the largest count as tied with it when picking the "worst index" to show.
ROUND_OFF_TIE = 1e-4


def _scalar_value(value, what: str) -> float:
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must return a single real number (the loss), got {type(value).__name__}"
                        + (f" of shape {value.shape}" if hasattr(value, "shape") else ""))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} returned {value}; the loss must be finite to be differentiated")
    return value


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central-difference estimate of df/dx for **every** entry of ``x``.

    ``f(x)`` must return a real number. ``x`` must be a float64 array; each entry is
    nudged by ±eps *in place* and put back, so ``x`` is unchanged afterwards (also
    if ``f`` raises). Costs 2 · x.size calls of ``f``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning the loss, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"{x.dtype} array" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float64 NumPy array (it is nudged in place by eps), got {got}; "
                        "use np.asarray(x, dtype=float)")
    as_float_array("x", x)  # rejects NaN / inf with a clear message
    check_scalar("eps", eps, low=0.0, high=1.0, inclusive=False)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so it can be nudged in place; pass np.ascontiguousarray(x)")
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + eps
            f_plus = _scalar_value(f(x), "f")
            flat[i] = old - eps
            f_minus = _scalar_value(f(x), "f")
        finally:
            flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_errors(a, b) -> np.ndarray:
    """Elementwise |a − b| / max(1e-8, |a| + |b|); a and b must have the same shape."""
    a = as_float_array("a", a)
    b = as_float_array("b", b)
    if a.shape != b.shape:
        hint = shape_hint("b", b.shape, a.shape)
        raise ShapeError(f"b has shape {b.shape} but a has shape {a.shape}" + (f"; {hint}" if hint else ""))
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


def _worst_index(errors: np.ndarray, differences: np.ndarray) -> tuple:
    """Index of the largest relative error; among entries tied with it up to round-off, the largest |a − b|.

    A bug that scales a whole gradient (a missing 1/m) gives every entry the same relative error, and which one
    round-off puts on top could change between machines; the absolute difference settles it the same way everywhere.
    """
    if not errors.size:
        return ()
    tied = errors >= errors.max() - ROUND_OFF_TIE
    flat = int(np.argmax(np.where(tied, differences, -1.0)))
    return tuple(int(i) for i in np.unravel_index(flat, errors.shape))


def relative_error(a, b) -> float:
    """max over entries of |a − b| / max(1e-8, |a| + |b|) (CS231n). ≤ 1e-7: right; > 1e-2: wrong."""
    errors = relative_errors(a, b)
    return float(errors.max()) if errors.size else 0.0


@dataclass
class GradientRow:
    """One parameter's line in a :class:`GradientReport`."""

    name: str
    grad_key: str
    status: str  # "ok", "wrong", "missing", "shape", "type", "extra"
    shape: tuple | None = None
    max_rel_error: float | None = None
    worst_index: tuple | None = None
    numeric: float | None = None
    analytic: float | None = None
    detail: str = ""

    def error_text(self, threshold: float) -> str:
        if self.max_rel_error is None:
            return "—"
        if self.max_rel_error <= threshold:
            # Only the order of magnitude: the last digits of a tiny error depend on round-off.
            exponent = max(-12, math.ceil(math.log10(max(self.max_rel_error, 1e-300))))
            return f"< 1e{exponent:+03d}" if self.max_rel_error > 0 else "0"
        return f"{self.max_rel_error:.2e}"


@dataclass
class GradientReport:
    """What :func:`check_gradients` found: one row per parameter and a verdict."""

    rows: list[GradientRow]
    threshold: float
    structure_first: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.rows)

    @property
    def wrong(self) -> list[str]:
        """Names of the gradients that are missing, misshapen or wrong."""
        return [r.grad_key for r in self.rows if r.status != "ok"]

    def __getitem__(self, key: str) -> GradientRow:
        for r in self.rows:
            if key in (r.name, r.grad_key):
                return r
        raise KeyError(key)

    @property
    def verdict(self) -> str:
        if self.ok:
            n = len(self.rows)
            return f"PASS: all {n} gradients match the numerical ones (relative error ≤ {self.threshold:.0e})"
        parts = []
        for status, label in (("missing", "missing"), ("extra", "unexpected key"), ("type", "not an array"),
                              ("shape", "wrong shape"), ("wrong", "wrong values")):
            names = [r.grad_key for r in self.rows if r.status == status]
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "FAIL: " + "; ".join(parts)

    def _table(self) -> list[list[str]]:
        body = []
        for r in self.rows:
            shape = "—" if r.shape is None else str(r.shape)
            where = "—" if r.status != "wrong" else str(r.worst_index)
            body.append([r.grad_key, shape, r.error_text(self.threshold), where, r.status, r.detail])
        return body

    _HEADER = ["gradient", "shape", "max rel. error", "worst index", "status", "detail"]

    def __str__(self) -> str:
        rows = [self._HEADER] + self._table()
        widths = [max(len(row[i]) for row in rows) for i in range(len(self._HEADER))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        return "\n".join(lines + [self.verdict])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"ok": "#009E73"}
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = ""
        for r, cells in zip(self.rows, self._table()):
            style = f' style="color:{colour.get(r.status, "#D55E00")}"'
            body += "<tr>" + "".join(f"<td{style}>{html.escape(c)}</td>" for c in cells) + "</tr>"
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p><b>{html.escape(self.verdict)}</b></p>")


def _grad_key(name: str, grads: Mapping) -> str:
    if name in grads:
        return name
    return "d" + name


def check_gradients(
    f: Callable[[dict], float],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    eps: float = 1e-5,
    ignore: Iterable[str] = (),
) -> GradientReport:
    """Compare analytic ``grads`` with central differences of ``f`` for every parameter.

    ``f(params)`` returns the loss computed from the (float64) arrays in ``params``;
    each array is nudged in place and restored. The gradient of ``params[name]`` is
    looked up as ``grads[name]`` or, failing that, ``grads["d" + name]`` (so both
    ``{"W_ho": …}`` and ``{"dW1": …}`` styles work). Keys of ``grads`` that match no
    parameter are reported as unexpected unless listed in ``ignore`` (e.g. the
    ``dA{l}`` entries of lesson 05).

    Problems are reported in the order a student should fix them: missing and
    unexpected keys, then non-arrays and shapes, then values.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of params returning the loss, got {type(f).__name__}")
    if not isinstance(params, Mapping) or not params:
        raise TypeError("params must be a non-empty dict of parameter arrays, e.g. {'W_ho': W_ho, ...}")
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict of gradient arrays, got {type(grads).__name__}")
    check_scalar("threshold", threshold, low=0.0, inclusive=False)
    ignore = set(ignore)
    rows: list[GradientRow] = []
    used = set()
    for name, value in params.items():
        key = _grad_key(name, grads)
        used.add(key)
        if not isinstance(value, np.ndarray) or value.dtype != np.float64:
            raise TypeError(f"params[{name!r}] must be a float64 NumPy array, got "
                            f"{getattr(value, 'dtype', type(value).__name__)}")
        if key not in grads:
            rows.append(GradientRow(name, key, "missing", detail=f"no grads[{name!r}] or grads[{'d' + name!r}]"))
            continue
        g = grads[key]
        if not hasattr(g, "shape"):
            rows.append(GradientRow(name, key, "type", detail=f"got {type(g).__name__}, expected an array"))
            continue
        if tuple(g.shape) != value.shape:
            hint = shape_hint(key, tuple(g.shape), value.shape)
            rows.append(GradientRow(name, key, "shape", shape=tuple(g.shape),
                                    detail=f"expected {value.shape}" + (f"; {hint}" if hint else "")))
            continue
        try:
            g = as_float_array(f"grads[{key!r}]", g)
        except (TypeError, ValueError) as exc:
            rows.append(GradientRow(name, key, "type", shape=tuple(g.shape), detail=str(exc)))
            continue
        num = numerical_gradient(lambda _x: f(params), value, eps=eps)
        errors = relative_errors(num, g)
        worst = _worst_index(errors, np.abs(g - num))
        max_err = float(errors.max()) if errors.size else 0.0
        status = "ok" if max_err <= threshold else "wrong"
        detail = ""
        if status == "wrong":
            detail = f"at {worst}: analytic {g[worst]:.6g}, numerical {num[worst]:.6g}"
        rows.append(GradientRow(name, key, status, shape=value.shape, max_rel_error=max_err, worst_index=worst,
                                numeric=float(num[worst]) if errors.size else None,
                                analytic=float(g[worst]) if errors.size else None, detail=detail))
    for key in grads:
        if key not in used and key not in ignore:
            rows.append(GradientRow(key, key, "extra", detail="matches no parameter"))
    order = {"missing": 0, "extra": 0, "type": 1, "shape": 1, "wrong": 2, "ok": 3}
    rows.sort(key=lambda r: order[r.status])
    return GradientReport(rows=rows, threshold=threshold)
