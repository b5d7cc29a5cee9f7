"""Feedback for the exercises: say *what* is wrong, in the order a student should fix it.

Every check takes the student's function (or result) as an argument and reports, in
order: an error raised inside it (a matrix product or a broadcast whose shapes do not fit
is named with both operands), an input changed in place, missing/extra keys,
not-an-array, shape, dtype, values — naming the variable and the first wrong index, with
a hint for known mistakes (transposed? off by a factor such as m? wrong sign? a formula
from the list of classic slips?).

While a check runs the student's function, the nblib helper that is the exercise's answer
refuses (:mod:`nblib._exercise_guard`). Checks run fixed cases and random ones drawn from a
seed chosen per call; the message of a failed random case names the seed, and passing
``seed=`` to the check repeats the same cases.

A failed check raises :class:`CheckFailed`, which Jupyter shows as one short line
instead of a wall of traceback. A passed check prints one line starting with ✔.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import linecache
import os
import secrets
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from nblib._exercise_guard import HelperRefused, refusing
from nblib.shapes import shape_hint

# Tolerances. Every reference here is a float64 formula of a few dozen operations, so a correct alternative
# (another order of the sums, np.einsum, Python loops, a split fraction) differs from it by round-off: a few units
# of 2.2e-16 relative to the largest terms involved. RTOL = 1e-7 and an absolute floor of ATOL_SCALE × the largest
# |expected| entry sit ~10⁶ above that round-off (entries near zero are compared against the array's scale, not
# their own), and ~10³ below the smallest change a plausible slip makes (a factor, a sign, a missing term, an
# O(ε) one-sided difference). A check whose formula cancels large terms (a difference quotient) passes its own,
# larger atol.
RTOL = 1e-7
ATOL_SCALE = 1e-9


#: Check messages are wrapped at this many characters, between words: JupyterLab's output area breaks a line
#: that reaches its edge anywhere (``word-break: break-all``), even mid-word.
WRAP = 88


def wrapped(text: str, width: int = WRAP) -> str:
    """``text`` with each line broken between words at ``width`` characters; continuation lines are indented
    two spaces. Words longer than a line (a path, a long array) are kept whole."""
    import textwrap

    return "\n".join(textwrap.fill(line, width, subsequent_indent="  ", break_long_words=False,
                                    break_on_hyphens=False) if len(line) > width else line
                     for line in text.split("\n"))


class CheckFailed(AssertionError):
    """An exercise check failed; the message says what to fix. ``mistake``: the known slip it named (the description
    a check's ``mistakes`` gave it), or None — machine-readable for tools/grade.py's class report."""

    def __init__(self, *args, mistake: str | None = None):
        super().__init__(*args)
        self._mistake = mistake

    @property
    def mistake(self) -> str | None:
        """The named slip; a CheckFailed raised while handling another (a check adding a step's hint) keeps its."""
        own = self._mistake
        cause = self.__context__
        if own is None and isinstance(cause, CheckFailed):
            return cause.mistake
        return own

    def _render_traceback_(self):  # IPython: show the message, not the traceback
        return [f"\033[1;31m{wrapped(f'✘ {self}')}\033[0m"]


def passed(message: str) -> None:
    """Print the success message of a check: one line, wrapped between words if it is long."""
    print(wrapped(f"✔ {message}"))


def new_seed(seed: int | None = None) -> int:
    """The seed of a check's random cases: ``seed`` if given (a whole number ≥ 0, as NumPy's generators take), else a
    fresh one (so a hard-coded answer fails)."""
    from nblib.validate import check_scalar

    return int(secrets.randbelow(1_000_000)) if seed is None else check_scalar("seed", seed, low=0, integer=True)


def repeat_hint(check_name: str, seed: int) -> str:
    return f" [random cases of seed {seed}: {check_name}(your_function, seed={seed}) repeats them]"


@contextlib.contextmanager
def reporting_seed(check_name: str, seed: int):
    """Append how to repeat the run to a failure on a random case (its label contains 'random')."""
    try:
        yield
    except CheckFailed as failure:
        text = str(failure)
        if "random" in text.split(":")[0]:
            raise CheckFailed(text + repeat_hint(check_name, seed)) from None
        raise


def default_atol(expected) -> float:
    """The absolute tolerance for one array: ATOL_SCALE × its largest entry (see the comment on RTOL)."""
    expected = np.asarray(expected, dtype=np.float64)
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    return max(ATOL_SCALE * scale, 1e-300)


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def show_pair(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` printed with the fewest significant digits (at least 6) that tell them apart."""
    a, b = float(a), float(b)
    for digits in range(6, 18):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            return sa, sb
    return repr(a), repr(b)


def _factor_hint(name: str, k: float, m: int | None, single: bool = False) -> str:
    """Name a constant factor k = got / expected, using m (the number of examples) when it explains it. For a
    ``single`` number every wrong value is some factor off, so only a factor m explains is named."""
    def near(x, y):
        return bool(np.isclose(x, y, rtol=1e-6))

    if m and m > 1:
        if near(k, m):
            return f"{name} is {m}× too large: the 1/m is missing (m = {m})"
        if near(k, 1 / m):
            return f"{name} is {m}× too small: an extra 1/m (m = {m})"
        if near(k, 1 / m ** 2):
            return f"{name} is {m * m}× too small: 1/m twice (m = {m})"
        if near(k, m * m):
            return f"{name} is {m * m}× too large: m² too large (m = {m})"
    if single:
        return ""
    if k > 1 and near(k, round(k)):
        return f"{name} is {round(k)}× too large (a stray factor {round(k)}?)"
    if 0 < k < 1 and near(1 / k, round(1 / k)):
        return f"{name} is {round(1 / k)}× too small (an extra factor 1/{round(1 / k)}?)"
    return f"{name} is off by a constant factor of {k:.6g}"


def _generic_hint(name: str, got: np.ndarray, expected: np.ndarray, rtol: float, atol: float,
                  m: int | None = None) -> str:
    if _close(-got, expected, rtol, atol):
        return f"{name} has the right size but the wrong sign"
    mask = np.abs(expected) > max(atol, 1e-12 * float(np.max(np.abs(expected), initial=0.0)))
    if mask.any():
        ratios = got[mask] / expected[mask]
        k = float(np.median(ratios))
        if k != 0 and _close(got, k * expected, rtol, atol) and not np.isclose(k, 1.0):
            return _factor_hint(name, k, m, single=expected.size == 1)
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _close(got.T, expected, rtol, atol):
        return f"{name} is the transpose of the right answer: did you mean {name}.T?"
    return ""


def compare_array(name: str, got, expected, *, rtol: float = RTOL, atol: float | None = None,
                  mistakes: Mapping[str, np.ndarray] | None = None, context: str = "", m: int | None = None,
                  allow_int: bool = False) -> None:
    """Raise :class:`CheckFailed` unless ``got`` equals ``expected`` (shape, dtype float64, values).

    ``mistakes`` maps a description of a known slip to the array that slip produces;
    when ``got`` matches one, the message names it. ``context`` (e.g. "With m = 6")
    starts the message. ``atol`` defaults to :func:`default_atol` of ``expected``; ``m``
    (the number of examples) lets a constant factor be named as 1/m; ``allow_int``
    accepts an integer or bool array whose values are exact.
    """
    try:
        _compare_array(name, got, expected, rtol=rtol, atol=default_atol(expected) if atol is None else atol,
                       mistakes=mistakes, m=m, allow_int=allow_int)
    except CheckFailed as failure:
        if context:
            raise CheckFailed(f"{context}: {failure}") from None
        raise


def _compare_array(name, got, expected, *, rtol, atol, mistakes, m, allow_int):
    expected = np.asarray(expected, dtype=np.float64)
    if got is None:
        raise CheckFailed(f"{name} is None: did you forget to `return` it?")
    if isinstance(got, (float, int, np.number, np.bool_)) and not isinstance(got, bool) and expected.ndim == 0:
        got = np.asarray(got)
    if not isinstance(got, np.ndarray):
        raise CheckFailed(f"{name} should be a NumPy array of shape {expected.shape}, got {type(got).__name__}")
    if got.shape != expected.shape:
        hint = shape_hint(name, got.shape, expected.shape)
        raise CheckFailed(f"{name} has shape {got.shape}, expected {expected.shape}" + (f"; {hint}" if hint else ""))
    if allow_int and got.dtype.kind in "biu":
        got = got.astype(np.float64)
    if got.dtype.kind != "f":
        raise CheckFailed(f"{name} has dtype {got.dtype}, expected float64 "
                          "(an integer array truncates: was it made with np.zeros(..., dtype=int) or from ints?)")
    if got.dtype != np.float64:
        raise CheckFailed(f"{name} has dtype {got.dtype}, expected float64: {got.dtype} keeps fewer digits, so "
                          "every later step loses precision (an astype, np.float32(...) or a dtype= argument?)")
    if not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        raise CheckFailed(f"{name} contains NaN or inf (first at index {bad}): an overflow or a division by zero?")
    if _close(got, expected, rtol, atol):
        return
    for description, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=np.float64)
        if _close(got, wrong, rtol, atol):
            raise CheckFailed(f"{name} has the right shape but wrong values: it looks like {description}",
                              mistake=description)
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()
    shown_got, shown_expected = show_pair(got[first], expected[first])
    message = (f"{name} has the right shape but wrong values: {int(bad.sum())} of {got.size} entries differ; "
               f"first at index {first}: got {shown_got}, expected {shown_expected}")
    hint = _generic_hint(name, got, expected, rtol, atol, m)
    raise CheckFailed(message + (f"; {hint}" if hint else ""))


def compare_dict(name: str, got, expected: Mapping[str, np.ndarray], *, rtol: float = RTOL,
                 atol: float | None = None, mistakes: Mapping[str, Mapping[str, np.ndarray]] | None = None,
                 context: str = "", m: int | None = None, optional: Mapping[str, np.ndarray] | None = None) -> None:
    """Compare a dict of arrays key by key: missing/extra keys first, then each entry with :func:`compare_array`.

    The reference dict ``expected`` drives the loop, so an empty or partial dict fails.
    ``mistakes`` maps a key to that entry's known slips. ``optional`` holds entries the
    student may return or leave out (e.g. dZ{l}); returned ones are compared too.
    """
    prefix = f"{context}: " if context else ""
    if not isinstance(got, Mapping):
        raise CheckFailed(f"{prefix}{name} should be a dict with keys {sorted(expected)}, got {type(got).__name__}")
    optional = optional or {}
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected and k not in optional]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing key(s) {missing}")
        if extra:
            parts.append(f"unexpected key(s) {extra}")
        raise CheckFailed(f"{prefix}{name}: " + " and ".join(parts) + f"; expected exactly {list(expected)}")
    for key, value in {**expected, **{k: v for k, v in optional.items() if k in got}}.items():
        compare_array(f"{name}[{key!r}]", got[key], value, rtol=rtol, atol=atol,
                      mistakes=(mistakes or {}).get(key), context=context, m=m)


# --- calling the student's function -------------------------------------------------------------------------


def _snapshot(value):
    """A deep copy of the arrays (and the containers holding them) in ``value``; other objects are kept as is."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_snapshot(v) for v in value)
    return value


def _changed(before, after, path: str):
    """The first place where ``after`` (what the student was given) no longer equals ``before``, or None."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape:
            return f"{path} was replaced"
        if after.dtype != before.dtype or not np.array_equal(after, before, equal_nan=True):
            diff = np.argwhere(~((after == before) | (np.isnan(after) & np.isnan(before)))) \
                if after.dtype == before.dtype else np.zeros((1, before.ndim), int)
            idx = tuple(int(i) for i in diff[0]) if diff.size else ()
            was, now = show_pair(before[idx], after[idx]) if before.ndim or idx == () else ("?", "?")
            where = f"{path}[{', '.join(map(str, idx))}]" if before.ndim else path
            return f"{where} was {was}, now {now}"
        return None
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(after) != set(before):
            return f"the keys of {path} changed"
        for k in before:
            found = _changed(before[k], after[k], f"{path}[{k!r}]")
            if found:
                return found
        return None
    if isinstance(before, (tuple, list)):
        if len(after) != len(before):
            return f"{path} changed length"
        for i, (b, a) in enumerate(zip(before, after)):
            found = _changed(b, a, f"{path}[{i}]")
            if found:
                return found
    return None


_NUMPY_DIR = os.path.dirname(np.__file__)
_OPS = {ast.MatMult: "@", ast.Mult: "*", ast.Add: "+", ast.Sub: "-", ast.Div: "/"}


def _t(expr: str) -> str:
    """The source of ``expr``'s transpose: strip a trailing .T, else add one (in brackets when needed)."""
    if expr.endswith(".T"):
        return expr[:-2]
    simple = expr.replace("_", "a").replace(".", "a").replace("[", "a").replace("]", "a").replace('"', "a")
    simple = simple.replace("'", "a")
    return f"{expr}.T" if simple.isalnum() else f"({expr}).T"


def _product_hint(left: str, right: str, a: tuple, b: tuple) -> str:
    if len(a) != 2 or len(b) != 2:
        return f"{left} @ {right}: {a} @ {b} — the inner sizes differ"
    (p, q), (r, s) = a, b
    options = []
    if p == r:
        options.append(f"{_t(left)} @ {right}")
    if q == s:
        options.append(f"{left} @ {_t(right)}")
    if s == p:
        options.append(f"{right} @ {left}")
    if p == s:
        options.append(f"{_t(left)} @ {_t(right)}")
    text = f"{left} @ {right}: {a} @ {b} — the inner sizes {q} and {r} differ"
    return text + (f"; did you mean {' or '.join(options)}?" if options else "")


def _broadcast_hint(left: str, op: str, right: str, a: tuple, b: tuple) -> str:
    text = (f"{left} {op} {right}: shapes {a} and {b} do not broadcast — {op} works entry by entry"
            + (" (Octave's .*)" if op == "*" else ""))
    if op == "*" and len(a) == 2 and len(b) == 2:
        if a[1] == b[0]:
            return text + f"; for the matrix product (Octave's *) write {left} @ {right}"
        hint = _product_hint(left, right, a, b)
        if "did you mean" in hint:
            return text + "; for a matrix product use @: did you mean " + hint.split("did you mean ")[1]
    return text


def _source(segment: str, node) -> str:
    text = ast.get_source_segment(segment, node)
    return f"({text})" if isinstance(node, (ast.BinOp, ast.UnaryOp)) else text


def _operands(node, segment: str):
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _source(segment, node.left), _OPS[type(node.op)], _source(segment, node.right), node.left, node.right
    if isinstance(node, ast.Call) and len(node.args) == 2 and getattr(node.func, "attr", "") in ("dot", "matmul"):
        return _source(segment, node.args[0]), "@", _source(segment, node.args[1]), node.args[0], node.args[1]
    return None


def explain_shape_error(exc: BaseException) -> str:
    """For a matmul/dot/broadcast ValueError raised in the student's code: the product, both shapes, a fix ('' if
    the failing expression cannot be found)."""
    tb = exc.__traceback__
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    user = [t for t in frames if not t.tb_frame.f_code.co_filename.startswith(_NUMPY_DIR)]
    if not user:
        return ""
    tb = user[-1]
    if os.path.dirname(tb.tb_frame.f_code.co_filename) == os.path.dirname(__file__):
        return ""
    summary = traceback.extract_tb(tb, limit=1)[0]
    lines = linecache.getlines(summary.filename)
    if not lines or summary.lineno is None:
        return ""
    end_line = summary.end_lineno or summary.lineno
    text = "".join(lines[summary.lineno - 1:end_line])
    if summary.colno is not None and summary.end_colno is not None:
        offset_end = len("".join(lines[summary.lineno - 1:end_line - 1])) + summary.end_colno
        segment = text.encode()[summary.colno:offset_end].decode(errors="replace")
    else:
        segment = text.strip()
    try:
        tree = ast.parse(segment.strip(), mode="eval")
    except SyntaxError:
        return ""
    segment = segment.strip()
    found = _operands(tree.body, segment)
    if found is None:
        return ""
    left, op, right, lnode, rnode = found
    scope = {**tb.tb_frame.f_globals, **tb.tb_frame.f_locals}
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = np.shape(eval(compile(ast.Expression(lnode), "<operand>", "eval"), scope))  # noqa: S307
            b = np.shape(eval(compile(ast.Expression(rnode), "<operand>", "eval"), scope))  # noqa: S307
    except Exception:  # noqa: BLE001 — no operand shapes, no hint
        return ""
    return _product_hint(left, right, a, b) if op == "@" else _broadcast_hint(left, op, right, a, b)


def _argument_names(student, count: int) -> list[str]:
    try:
        names = [p.name for p in inspect.signature(student).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(count)]


def _raising_function(exc: BaseException) -> str | None:
    """The name of the function whose body raised ``exc`` (the innermost frame of its traceback)."""
    tb = exc.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name


def call_student(student, name: str, args: tuple, label: str, *, refuse: Sequence[str] = (),
                 names: Sequence[str] | None = None):
    """Call the student's function; turn any failure into a one-line :class:`CheckFailed`.

    The student gets copies of ``args`` (so the check's own arrays stay intact); after the call the copies
    are compared with ``args`` and a change is named as an in-place modification. ``refuse`` lists the
    nblib helpers (``"nblib.two_layer.backward"``) that refuse inside the call; ``names`` names the arguments
    in that message (default: the student's parameter names). A missing body
    (NotImplementedError), a product or broadcast whose shapes do not fit, and any other exception each get
    their own message naming ``name`` and the case ``label``.
    """
    if not callable(student):
        raise CheckFailed(f"pass your function itself, e.g. check({name}), not {type(student).__name__}")
    given = _snapshot(args)
    try:
        with refusing(refuse):
            result = student(*given)
    except NotImplementedError as exc:
        stub = _raising_function(exc)
        own = getattr(student, "__name__", name)
        if stub and stub not in (own, name, "<lambda>"):
            failure = CheckFailed(f"{name} calls your {stub}, which is not written yet: write {stub} (its exercise "
                                  f"comes first) and run its check, then run this one again")
        else:
            failure = CheckFailed(f"{name} is not written yet: replace the `raise NotImplementedError` line")
        failure.not_written = True  # a run of the stub, not an attempt (nblib.progress)
        raise failure from None
    except HelperRefused as refused:
        raise CheckFailed(f"{name} calls {refused.helper}: {refused}") from None
    except RuntimeWarning as warning:  # raised when the caller turns warnings into errors
        why = ("an overflow here means the formula is not numerically stable for these inputs" if "overflow" in
               str(warning) else "a division by zero (or 0/0) here: these inputs lie inside the exercise's domain, "
               "so the formula must not divide by a value that can be 0 there")
        raise CheckFailed(f"{name} warns on {label}: {warning} — {why}") from None
    except ValueError as exc:
        text = str(exc)
        if "matmul" in text or "aligned" in text or "broadcast" in text:
            hint = explain_shape_error(exc)
            kind = "a broadcast" if "broadcast" in text and "matmul" not in text else "a matrix product"
            raise CheckFailed(f"{name} failed on {label}: {hint or f'{kind} whose shapes do not fit ({exc})'}") \
                from None
        raise CheckFailed(f"{name} raised ValueError on {label}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 — report any student error in one line
        raise CheckFailed(f"{name} raised {type(exc).__name__} on {label}: {exc}") from None
    for arg_name, before, after in zip(names or _argument_names(student, len(args)), args, given):
        where = _changed(before, after, arg_name)
        if where:
            raise CheckFailed(f"{name} changed its input {arg_name} in place on {label} ({where}): the caller's "
                              "arrays must stay as they were — an in-place -=, +=, *= or a slice assignment on an "
                              "input writes into them; compute a new array (x = x - …) or work on x.copy()")
    return result


def check_function(student: Callable, fn_name: str, reference: Callable, cases: Sequence[tuple[str, tuple]], *,
                   mistakes: Mapping[str, Callable] | None = None, rtol: float = RTOL,
                   atol: float | Callable | None = None, refuse: Sequence[str] = (),
                   check_name: str = "", seed: int | None = None, names: Sequence[str] | None = None) -> None:
    """Run ``student`` and ``reference`` on each case and compare; print ✔ or raise :class:`CheckFailed`.

    ``cases`` is a list of ``(label, args)`` (put the random ones in it, with "random" in their label);
    the student gets copies of the args, a RuntimeWarning (overflow, division by zero) counts as a
    failure. ``mistakes`` maps a description of a classic slip to a function computing it; ``atol`` is a
    number, or a function of a case's args giving its tolerance, or None for :func:`default_atol`.
    """
    if not callable(student):
        raise CheckFailed(f"pass your function itself, e.g. check({fn_name}), not {type(student).__name__}")

    outputs = []
    with reporting_seed(check_name or f"check_{fn_name}", seed if seed is not None else -1):
        for label, args in cases:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                outputs.append(call_student(student, fn_name, args, label, refuse=refuse, names=names))
        expected = [reference(*_snapshot(args)) for _, args in cases]
        tolerances = [atol(*args) if callable(atol) else atol for _, args in cases]

        def same(a, b, tol):
            try:
                b = np.asarray(b, dtype=np.float64)
                return _close(np.asarray(a, dtype=np.float64), b, rtol, default_atol(b) if tol is None else tol)
            except (TypeError, ValueError):
                return False

        # A known slip is named only when it explains the output on *every* case
        # (2σ′(0) = σ(0) = 0.5, so one case alone can mislead).
        slip = next((desc for desc, wrong in (mistakes or {}).items()
                     if all(same(out, wrong(*_snapshot(args)), tol)
                            for out, (_, args), tol in zip(outputs, cases, tolerances))), None)
        for (label, _), got, want, tol in zip(cases, outputs, expected, tolerances):
            compare_array(f"the result of {fn_name}", got, want, rtol=rtol, atol=tol,
                          mistakes={slip: got} if slip else None, context=f"On {label}")
    # The ✔ line counts the named cases (the notebooks print it under strict nbval); random ones are extra.
    named = [label for label, _ in cases if not label.startswith("random")]
    passed(f"{fn_name} is right on all {len(named)} cases")
