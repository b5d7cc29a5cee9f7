"""Gradient checking by central differences (first used in lesson 01, then in every lesson).

* :func:`numerical_gradient` — dF/dx for every entry of x, by (f(x+ε) − f(x−ε)) / 2ε.
* :func:`relative_error` — the CS231n measure max |a − b| / max(1e-8, |a| + |b|), for two arrays.
* :func:`check_gradients` — compares a whole dict of analytic gradients with numerical
  ones and returns a :class:`GradientReport` (text and HTML table, one-line verdict).

How :func:`check_gradients` judges an entry (lesson 01 derives it). A central difference carries two errors:
truncation, about ε²·|f‴|/6, and round-off, about u·|f|/ε (u = 2.2e-16, the float64 spacing at 1: f(x ± ε) are
each rounded, and the rounding is divided by 2ε). The second does not shrink with the entry, so CS231n's pure
relative error |a − n| / (|a| + |n|) blows up for entries near zero and fails correct gradients. Each entry gets

    error = |a − n| / max(|a| + |n|, atol / threshold),   atol = the round-off of this central difference

i.e. |a − n| is compared with ``threshold`` · (|a| + |n|) — relative — or with the round-off of the loss —
absolute —, whichever is larger (PyTorch's gradcheck uses atol + rtol·|n| for the same reason). The worst entry
is the one with the largest ``error``. Status: "ok" (error ≤ threshold), "look closer" (≤ 1e-4: too large for
round-off, small for a formula bug — a bug confined to a few small entries, or ε too large), "wrong" (> 1e-4), and
"kink" when f has a corner within ε of the entry (a relu input near 0): there the central difference averages
two slopes, and the entry is reported, not judged, if the analytic value equals one of the one-sided slopes.

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

#: An entry's error (see the module docstring) at or below this means "the gradient is right".
DEFAULT_THRESHOLD = 1e-7
#: Between the threshold and this: "look closer"; above it: "wrong".
WRONG_ABOVE = 1e-4
#: Round-off of f(x ± ε), in units of u·max(|f|, 1). Measured: ≤ 1.6 over 2,100 correct two-layer, L-layer and
#: Octave cases (tests/test_gradcheck_properties.py); 100 leaves a wide margin and still sees a 1 % error in an
#: entry of 1e-3 of the largest when the gradient is above ~2e-4 of the loss.
ROUND_OFF_FACTOR = 100.0
#: An entry's measured round-off spread (central differences at ε/2, ε, 2ε), times this, is its absolute tolerance
#: (three samples of a round-off rarely agree to within a third of it).
NOISE_FACTOR = 3.0
# Errors within this *fraction* of the largest count as tied with it when picking the "worst index" to show.
ROUND_OFF_TIE = 1e-6
_U = float(np.finfo(np.float64).eps)


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


def _nudged(f: Callable[[], float], x: np.ndarray, eps: float, what: str,
            where: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """f() with each entry of x nudged by +eps and by −eps (in place, then restored): two arrays shaped like x.

    Works on any writable float64 array, also a non-contiguous view (a transposed W): each entry is set through
    its index, so the caller's array — the one f reads — is the one nudged. ``where`` (a boolean mask) limits the
    nudging to some entries; the others are left NaN.
    """
    f_plus, f_minus = np.full_like(x, np.nan), np.full_like(x, np.nan)
    indices = np.ndindex(x.shape) if where is None else (tuple(i) for i in np.argwhere(where))
    for index in indices:
        old = x[index]
        try:
            x[index] = old + eps
            f_plus[index] = _scalar_value(f(), what)
            x[index] = old - eps
            f_minus[index] = _scalar_value(f(), what)
        finally:
            x[index] = old
    return f_plus, f_minus


def _check_nudgeable(name: str, x) -> np.ndarray:
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"{x.dtype} array" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{name} must be a float64 NumPy array (it is nudged in place by eps), got {got}; "
                        f"use np.asarray({name}, dtype=float)")
    if not x.flags.writeable:
        raise ValueError(f"{name} is read-only, but it must be nudged in place by eps; pass a copy ({name}.copy())")
    as_float_array(name, x)  # rejects NaN / inf with a message that names it
    return x


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central-difference estimate of df/dx for **every** entry of ``x``.

    ``f(x)`` must return a real number. ``x`` must be a float64 array; each entry is
    nudged by ±eps *in place* and put back, so ``x`` is unchanged afterwards (also
    if ``f`` raises). Costs 2 · x.size calls of ``f``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x returning the loss, got {type(f).__name__}")
    _check_nudgeable("x", x)
    check_scalar("eps", eps, low=0.0, high=1.0, inclusive=False)
    f_plus, f_minus = _nudged(lambda: f(x), x, eps, "f")
    return (f_plus - f_minus) / (2.0 * eps)


def relative_errors(a, b) -> np.ndarray:
    """Elementwise |a − b| / max(1e-8, |a| + |b|); a and b must have the same shape."""
    a = as_float_array("a", a)
    b = as_float_array("b", b)
    if a.shape != b.shape:
        flipped = a.ndim == b.ndim == 2 and a.shape == b.shape[::-1]
        raise ShapeError(f"a has shape {a.shape} but b has shape {b.shape}; they must match"
                         + ("; one of them is the other's transpose (a.T or b.T?)" if flipped else ""))
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


def relative_error(a, b) -> float:
    """max over entries of |a − b| / max(1e-8, |a| + |b|) (CS231n). Near-zero entries: see check_gradients."""
    errors = relative_errors(a, b)
    return float(errors.max()) if errors.size else 0.0


def _absolute_tolerance(loss: float, spread, eps: float):
    """How far a correct central difference can stray from the true gradient through round-off, entry by entry.

    The larger of ROUND_OFF_FACTOR · u · max(|f|, 1) / ε — the rounding of f itself — and NOISE_FACTOR times the
    entry's measured spread (see ``_spread``).
    """
    return np.maximum(ROUND_OFF_FACTOR * _U * max(abs(loss), 1.0) / eps, NOISE_FACTOR * np.asarray(spread))


def _worst_index(errors: np.ndarray, differences: np.ndarray) -> tuple:
    """Index of the largest error; among entries tied with it up to round-off, the largest |a − n|.

    A bug that scales a whole gradient (a missing 1/m) gives every entry the same error, and which one round-off
    puts on top could change between machines; the absolute difference settles it the same way everywhere.
    """
    if not errors.size:
        return ()
    tied = errors >= errors.max() * (1.0 - ROUND_OFF_TIE)
    flat = int(np.argmax(np.where(tied, differences, -1.0)))
    return tuple(int(i) for i in np.unravel_index(flat, errors.shape))


def _digits(a: float, b: float) -> tuple[str, str]:
    """a and b printed with the fewest significant digits (≥ 6) that tell them apart."""
    for digits in range(6, 18):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            return sa, sb
    return f"{a:.17g}", f"{b:.17g}"


def _kinks(analytic, f0, f_plus, f_minus, eps) -> np.ndarray:
    """Entries where f has a corner within eps: the analytic value is one one-sided slope and far from the other.

    For a smooth f the slopes to the right and to the left are a ± ε·f″/2, symmetric about the true gradient; at a
    corner (a relu input within ε of 0) the slope on x's own side stays the analytic value and the other jumps.
    """
    near = np.minimum(np.abs(analytic - (f_plus - f0) / eps), np.abs(analytic - (f0 - f_minus) / eps))
    far = np.maximum(np.abs(analytic - (f_plus - f0) / eps), np.abs(analytic - (f0 - f_minus) / eps))
    return near <= 0.1 * far


STATUSES = ("ok", "kink", "look closer", "wrong", "missing", "shape", "type", "extra")


@dataclass
class GradientRow:
    """One parameter's line in a :class:`GradientReport`."""

    name: str
    grad_key: str
    status: str  # one of STATUSES
    shape: tuple | None = None
    max_rel_error: float | None = None
    worst_index: tuple | None = None
    numeric: float | None = None
    analytic: float | None = None
    detail: str = ""
    kinks: int = 0

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r:.40}")

    def error_text(self, threshold: float) -> str:
        check_scalar("threshold", threshold, low=0.0, inclusive=False)
        if self.max_rel_error is None:
            return "—"
        if self.max_rel_error <= threshold:
            # Only the order of magnitude: the last digits of a tiny error depend on round-off.
            exponent = max(-12, math.ceil(math.log10(max(self.max_rel_error, 1e-300))))
            return f"< 1e{exponent:+03d}" if self.max_rel_error > 0 else "0"
        return f"{self.max_rel_error:.2e}"


_PASSING = ("ok", "kink")


@dataclass
class GradientReport:
    """What :func:`check_gradients` found: one row per parameter and a verdict."""

    rows: list[GradientRow]
    threshold: float
    structure_first: list[str] = field(default_factory=list)

    def __post_init__(self):
        if not isinstance(self.rows, (list, tuple)) or not all(isinstance(r, GradientRow) for r in self.rows):
            raise TypeError(f"rows must be a list of GradientRow, got {self.rows!r:.60}")
        self.threshold = check_scalar("threshold", self.threshold, low=0.0, inclusive=False)

    @property
    def ok(self) -> bool:
        return all(r.status in _PASSING for r in self.rows)

    @property
    def wrong(self) -> list[str]:
        """Names of the gradients that are missing, misshapen, wrong or to look at more closely."""
        return [r.grad_key for r in self.rows if r.status not in _PASSING]

    def __getitem__(self, key: str) -> GradientRow:
        for r in self.rows:
            if key in (r.name, r.grad_key):
                return r
        raise KeyError(f"key {key!r} is no parameter or gradient of this report: expected one of "
                       f"{', '.join(repr(r.grad_key) for r in self.rows)}")

    @property
    def verdict(self) -> str:
        kinks = [f"{r.grad_key} ({r.kinks} at a kink)" for r in self.rows if r.kinks]
        note = f"; entries not judged — f has a corner within ε there: {', '.join(kinks)}" if kinks else ""
        if self.ok:
            n = len(self.rows)
            return f"PASS: all {n} gradients match the numerical ones (error ≤ {self.threshold:.0e}){note}"
        parts = []
        for status, label in (("missing", "missing"), ("extra", "unexpected key"), ("type", "not an array"),
                              ("shape", "wrong shape"), ("wrong", "wrong values"),
                              ("look closer", "look closer (above round-off, below a formula's error)")):
            names = [r.grad_key for r in self.rows if r.status == status]
            if names:
                parts.append(f"{label}: {', '.join(names)}")
        return "FAIL: " + "; ".join(parts) + note

    def _table(self) -> list[list[str]]:
        body = []
        for r in self.rows:
            shape = "—" if r.shape is None else str(r.shape)
            where = str(r.worst_index) if r.status in ("wrong", "look closer") else "—"
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
        colour = {"ok": "#009E73", "kink": "#0072B2", "look closer": "#E69F00"}
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


def _spread(f, value, eps, num, where) -> np.ndarray:
    """The round-off of the central differences ``num`` at the entries ``where`` (0 elsewhere).

    It is the largest gap between the central differences at eps/2, eps and 2·eps: changing the step changes a
    central difference's round-off (∝ 1/step) and barely its truncation error (∝ step², ~1e-10 here), so the gap
    measures the round-off of *this* entry — also where the loss rounds far worse than u·|f|.
    """
    spread = np.zeros_like(value)
    if where.any():
        others = []
        for step in (0.5 * eps, 2.0 * eps):
            plus, minus = _nudged(f, value, step, "f", where)
            others.append(((plus - minus) / (2.0 * step))[where])
        n = num[where]
        spread[where] = np.maximum.reduce([np.abs(n - others[0]), np.abs(n - others[1]),
                                           np.abs(others[0] - others[1])])
    return spread


def _errors(g, num, atol, threshold) -> np.ndarray:
    """|a − n| / max(|a| + |n|, atol / threshold): relative, with a floor at the round-off ``atol``."""
    return np.abs(g - num) / np.maximum(np.abs(g) + np.abs(num), atol / threshold)


def _judge(name, key, value, g, f, f0, eps, threshold) -> tuple[GradientRow, np.ndarray]:
    """Compare one analytic gradient g with central differences of f, entry by entry; also return the spreads."""
    f_plus, f_minus = _nudged(f, value, eps, "f")
    num = (f_plus - f_minus) / (2.0 * eps)
    # Entries that pass against the rounding of f itself are done; only the others pay for a measured round-off.
    atol = _absolute_tolerance(f0, 0.0, eps)
    suspect = _errors(g, num, atol, threshold) > threshold
    kinks = suspect & _kinks(g, f0, f_plus, f_minus, eps)
    spread = _spread(f, value, eps, num, suspect & ~kinks)
    errors = _errors(g, num, _absolute_tolerance(f0, spread, eps), threshold)
    judged = np.where(kinks, 0.0, errors)
    worst = _worst_index(judged, np.abs(g - num))
    max_err = float(judged.max()) if judged.size else 0.0
    status = "ok" if max_err <= threshold else "look closer" if max_err <= WRONG_ABOVE else "wrong"
    detail = ""
    if status != "ok":
        a, n = _digits(float(g[worst]), float(num[worst]))
        detail = f"at {worst}: analytic {a}, numerical {n}"
    elif kinks.any():
        status = "kink"
        first = tuple(int(i) for i in np.argwhere(kinks)[0])
        detail = (f"{int(kinks.sum())} entr{'y' if kinks.sum() == 1 else 'ies'} at a kink (first {first}): "
                  "the analytic value is one of the one-sided slopes")
    return GradientRow(name, key, status, shape=value.shape, max_rel_error=max_err, worst_index=worst,
                       numeric=float(num[worst]) if num.size else None,
                       analytic=float(g[worst]) if num.size else None, detail=detail, kinks=int(kinks.sum()))


def check_gradients(
    f: Callable[[dict], float],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    eps: float = 1e-5,
    ignore: Iterable[str] | None = (),
) -> GradientReport:
    """Compare analytic ``grads`` with central differences of ``f`` for every parameter.

    ``f(params)`` returns the loss computed from the (float64) arrays in ``params``;
    each array is nudged in place and restored. The gradient of ``params[name]`` is
    looked up as ``grads[name]`` or, failing that, ``grads["d" + name]`` (so both
    ``{"W_ho": …}`` and ``{"dW1": …}`` styles work). Keys of ``grads`` that match no
    parameter are reported as unexpected unless listed in ``ignore``.

    Problems are reported in the order a student should fix them: missing and
    unexpected keys, then non-arrays and shapes, then values. How values are judged:
    see the module docstring (an error relative to |a| + |n|, with a floor at the
    round-off of the loss).
    """
    if not callable(f):
        raise TypeError(f"f must be a function of params returning the loss, got {type(f).__name__}")
    if not isinstance(params, Mapping) or not params:
        raise TypeError("params must be a non-empty dict of parameter arrays, e.g. {'W_ho': W_ho, ...}")
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict of gradient arrays, got {type(grads).__name__}")
    check_scalar("threshold", threshold, low=0.0, high=WRONG_ABOVE, inclusive=False)
    check_scalar("eps", eps, low=0.0, high=1.0, inclusive=False)
    if ignore is None:
        ignore = ()
    if isinstance(ignore, str) or not isinstance(ignore, Iterable):
        raise TypeError(f"ignore must be a list of gradient keys, e.g. ['dA0'], got {ignore!r}")
    ignore = set(ignore)
    for name, value in params.items():
        _check_nudgeable(f"params[{name!r}]", value)
    f0 = _scalar_value(f(params), "f")
    rows: list[GradientRow] = []
    used = set()
    for name, value in params.items():
        key = _grad_key(name, grads)
        used.add(key)
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
        rows.append(_judge(name, key, value, g, lambda: f(params), f0, eps, threshold))
    for key in grads:
        if key not in used and key not in ignore:
            rows.append(GradientRow(key, key, "extra", detail="matches no parameter"))
    order = {"missing": 0, "extra": 0, "type": 1, "shape": 1, "wrong": 2, "look closer": 2, "kink": 3, "ok": 3}
    rows.sort(key=lambda r: order[r.status])
    return GradientReport(rows=rows, threshold=threshold)
