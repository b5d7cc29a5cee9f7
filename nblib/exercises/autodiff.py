"""Lesson 10's checks: ``check_matmul_backward``, ``check_broadcast_backward``, the new ops' rules
(``check_exp_backward``, ``check_log_backward``, ``check_tanh_backward``, ``check_power_backward``,
``check_divide_backward``) and ``check_two_layer_graph`` — each takes the student's function.

The references are the backward rules of :mod:`nblib.autodiff`, which tests/test_autodiff.py checks against
central differences on random expressions; while a check runs the student's function, those helpers refuse.
Cases: fixed ones (non-square, square — where a missing transpose still fits —, a single entry, the edges of each
op's domain: log near 0, exp near overflow, saturated tanh, negative divisors, integer and fractional exponents, every
broadcast pattern) and random ones drawn from a seed chosen per call.
"""

from __future__ import annotations

import numpy as np

from nblib import autodiff, two_layer
from nblib.autodiff import Tensor
from nblib.exercises.feedback import (
    CheckFailed,
    call_student,
    check_function,
    compare_array,
    new_seed,
    passed,
    reporting_seed,
)
from nblib.progress import recorded

REFUSE = ("nblib.autodiff.matmul_backward", "nblib.autodiff.broadcast_backward")


def _fixed(shape, offset):
    return np.sin(np.arange(1.0, np.prod(shape, dtype=int) + 1) * 0.7 + offset).reshape(shape)


def _pair(got, name, label):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise CheckFailed(f"{name} must return the two arrays (dA, dB) on {label}, got {type(got).__name__}"
                          + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
    return got


def _try(fn):
    try:
        return fn()
    except ValueError:
        return None


def matmul_mistakes(A, B, dOut) -> dict:
    slips = {"dA": {"the transpose of B is missing: dA = dOut · B": lambda: dOut @ B,
                    "the factors are in the wrong order: dA = Bᵀ · dOut (dOut first, then Bᵀ)": lambda: B.T @ dOut,
                    "dA and dB are swapped (return dA first, then dB)": lambda: A.T @ dOut},
             "dB": {"the transpose of A is missing: dB = A · dOut": lambda: A @ dOut,
                    "the factors are in the wrong order: dB = dOut · Aᵀ (Aᵀ first, then dOut)": lambda: dOut @ A.T,
                    "dA and dB are swapped (return dA first, then dB)": lambda: dOut @ B.T}}
    return {k: {d: v for d, f in s.items() if (v := _try(f)) is not None} for k, s in slips.items()}


@recorded
def check_matmul_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(A, B, dOut)`` → (dA, dB) for Out = A @ B."""
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    cases = [("square A (3, 3) @ B (3, 3)", (3, 3, 3), None), ("A (3, 4) @ B (4, 2)", (3, 4, 2), None),
             ("A (1, 3) @ B (3, 1)", (1, 3, 1), None)]
    cases += [(f"random case {i + 1} (seed {seed})", tuple(int(v) for v in rng.integers(1, 6, 3)), rng)
              for i in range(2)]
    with reporting_seed("check_matmul_backward", seed):
        for label, (n, k, p), r in cases:
            A, B, dOut = ((_fixed(s, o) if r is None else r.normal(0, 1, s))
                          for s, o in (((n, k), 0.0), ((k, p), 1.0), ((n, p), 2.0)))
            label += f" (n, k, p = {n}, {k}, {p})" if r is not None else ""
            got = _pair(call_student(student, "matmul_backward", (A, B, dOut), label, names=("A", "B", "dOut"),
                                     refuse=REFUSE), "matmul_backward", label)
            slips = matmul_mistakes(A, B, dOut)
            for key, g, w in zip(("dA", "dB"), got, (dOut @ B.T, A.T @ dOut)):
                compare_array(key, g, w, mistakes=slips[key], context=f"With {label}")
    passed("matmul_backward returns dA = dOut Bᵀ and dB = Aᵀ dOut on every case")


def _broadcast_cases(seed):
    cases = [("a bias row: dout (3, 4), operand (1, 4)", (3, 4), (1, 4)),
             ("a bias column: dout (3, 4), operand (3, 1)", (3, 4), (3, 1)),
             ("a leading axis: dout (2, 3, 4), operand (4,)", (2, 3, 4), (4,)),
             ("a scalar: dout (3, 4), operand ()", (3, 4), ()),
             ("no broadcasting: dout (2, 3), operand (2, 3)", (2, 3), (2, 3)),
             ("both axes stretched: dout (3, 4), operand (1, 1)", (3, 4), (1, 1)),
             ("a leading axis added and a size-1 axis stretched: dout (2, 3, 4), operand (3, 1)", (2, 3, 4), (3, 1)),
             ("a middle axis stretched: dout (2, 3, 4), operand (2, 1, 4)", (2, 3, 4), (2, 1, 4))]
    rng = np.random.default_rng(seed)
    for i in range(2):
        out = tuple(int(v) for v in rng.integers(2, 5, int(rng.integers(2, 4))))
        kept = out[int(rng.integers(0, len(out))):]
        shape = tuple(1 if rng.uniform() < 0.5 else s for s in kept)
        cases.append((f"random case {i + 1} (seed {seed}: dout {out}, operand {shape})", out, shape))
    return [(label, _fixed(out, 0.3 * i) if "random" not in label else rng.normal(0, 1, out), shape)
            for i, (label, out, shape) in enumerate(cases)]


@recorded
def check_broadcast_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(dout, shape)`` → the gradient of an operand of ``shape`` broadcast to dout.shape."""
    seed = new_seed(seed)
    with reporting_seed("check_broadcast_backward", seed):
        for label, dout, shape in _broadcast_cases(seed):
            got = call_student(student, "broadcast_backward", (dout, shape), label, names=("dout", "shape"),
                               refuse=REFUSE)
            lead = dout.ndim - len(shape)
            axes = tuple(range(lead)) + tuple(lead + a for a, s in enumerate(shape)
                                              if s == 1 and dout.shape[lead + a] != 1)
            want = dout.sum(axis=axes).reshape(shape) if axes else dout
            if isinstance(got, np.ndarray) and got.shape != want.shape and axes:
                if got.shape == dout.shape:
                    raise CheckFailed(f"With {label}: the gradient has dout's shape {dout.shape}, expected {shape}: "
                                      f"the operand was copied along axes {axes} of dout, so sum over them")
                if got.shape == tuple(s for s in want.shape if s != 1) or got.shape == dout.sum(axis=axes).shape:
                    raise CheckFailed(f"With {label}: the gradient has shape {got.shape}, expected {shape}: the "
                                      "summed size-1 axes were dropped — sum them with keepdims=True (or reshape)")
            counts = np.prod([dout.shape[a] for a in axes]) if axes else 1
            slips = {"a mean instead of a sum: every copy adds its own gradient, so sum them": want / counts,
                     "only the first copy was kept (dout[0]): every copy reached the loss, so add them all":
                     dout[(0,) * lead][tuple(slice(0, 1) if a + lead in axes else slice(None)
                                             for a in range(len(shape)))]}
            compare_array("the gradient", got, want, mistakes=slips if axes else None, context=f"With {label}")
    passed("broadcast_backward sums dout over every broadcast axis, on every case")


def _quiet(fn):
    """A named slip computed without NumPy warnings (a slip may divide by zero where the right rule does not)."""
    def slip(*args):
        with np.errstate(all="ignore"):
            return fn(*args)
    return slip


def _named_first(student, name, reference, case, mistakes, names):
    """Judge the first (well-inside-the-domain) case alone first, without turning warnings into errors, so a named
    slip is reported as itself and not as the warning it also raises at an edge of the domain (log x = 0, x = 0)."""
    label, args = case
    with np.errstate(all="ignore"):
        got = call_student(student, name, args, label, names=names, refuse=(f"nblib.autodiff.{name}",))
    compare_array(f"the result of {name}", got, reference(*args), context=f"On {label}",
                  mistakes={k: _quiet(f)(*args) for k, f in mistakes.items()})


def _unary(student, name, forward, reference, fixed, random_x, mistakes, seed):
    """Judge ``student(x, y, dy)`` → dx for y = forward(x) with :func:`check_function` on fixed and random cases."""
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    cases = [(label, (x, forward(x), dy)) for label, x, dy in fixed]
    for i in range(2):
        shape = tuple(int(v) for v in rng.integers(1, 6, 2))
        x = random_x(rng, shape)
        cases.append((f"random case {i + 1} (seed {seed}, shape {shape})", (x, forward(x), rng.normal(0, 1, shape))))
    _named_first(student, name, reference, cases[0], mistakes, ("x", "y", "dy"))
    check_function(student, name, reference, cases, mistakes={k: _quiet(f) for k, f in mistakes.items()},
                   refuse=(f"nblib.autodiff.{name}",), check_name=f"check_{name}", seed=seed,
                   names=("x", "y", "dy"))


@recorded
def check_exp_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(x, y, dy)`` → dx for y = exp(x)."""
    fixed = [("x of shape (3, 4)", _fixed((3, 4), 0.0) * 3, _fixed((3, 4), 1.0)),
             ("x = 0, 1, −1", np.array([[0.0, 1.0, -1.0]]), np.array([[0.5, -2.0, 3.0]])),
             ("x near overflow: 700, 699", np.array([[700.0], [699.0]]), np.array([[1.0], [-2.0]])),
             ("x very negative: −30, −25", np.array([[-30.0, -25.0]]), np.array([[2.0, -0.5]]))]
    mistakes = {"dx = dy ∗ x: x stands where the derivative of exp should": lambda x, y, dy: dy * x,
                "the upstream gradient dy is missing": lambda x, y, dy: y,
                "exp was applied to the output y, not to x": lambda x, y, dy: dy * np.exp(y),
                "the power rule was used (x ∗ e^(x − 1)): e is a constant base, x is the exponent":
                    lambda x, y, dy: dy * x * np.exp(x - 1)}
    _unary(student, "exp_backward", np.exp, autodiff.exp_backward.__wrapped__, fixed,
           lambda rng, s: rng.normal(0, 2, s), mistakes, seed)


@recorded
def check_log_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(x, y, dy)`` → dx for y = log(x), x > 0."""
    fixed = [("x of shape (3, 4)", 0.2 + 3 * np.abs(_fixed((3, 4), 0.0)), _fixed((3, 4), 1.0)),
             ("x = 1 (where log x = 0)", np.array([[1.0]]), np.array([[-1.5]])),
             ("x near 0: 1e-12, 3e-11, 1e-10", np.array([[1e-12, 3e-11, 1e-10]]), np.array([[0.5, -1.0, 2.0]])),
             ("x = 1e-300", np.array([[1e-300], [2e-300]]), np.array([[1e-3], [-2e-3]])),
             ("x large: 1e6, 1e8", np.array([[1e6, 1e8]]), np.array([[2.0, 3.0]]))]
    mistakes = {"dx = dy ∗ y: the forward value log x in place of its derivative": lambda x, y, dy: dy * y,
                "dx = dy ∗ x: x multiplies where the derivative of log divides": lambda x, y, dy: dy * x,
                "the upstream gradient dy is missing": lambda x, y, dy: 1 / x,
                "dx = dy / y: divided by the output log x, not by the input x": lambda x, y, dy: dy / y,
                "the sign is flipped (log is increasing)": lambda x, y, dy: -dy / x}
    _unary(student, "log_backward", np.log, autodiff.log_backward.__wrapped__, fixed,
           lambda rng, s: rng.uniform(0.1, 5.0, s), mistakes, seed)


@recorded
def check_tanh_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(x, y, dy)`` → dx for y = tanh(x)."""
    fixed = [("x of shape (3, 4)", _fixed((3, 4), 0.0) * 2, _fixed((3, 4), 1.0)),
             ("x = 0.5", np.array([[0.5]]), np.array([[2.0]])),
             ("saturated x = −20, 0, 20", np.array([[-20.0, 0.0, 20.0]]), np.array([[1.0, -0.5, 2.0]]))]
    mistakes = {"1 − x²: the square of the input x, not of the output y": lambda x, y, dy: dy * (1 - x * x),
                "y(1 − y): that is sigmoid's derivative, not tanh's": lambda x, y, dy: dy * y * (1 - y),
                "the upstream gradient dy is missing": lambda x, y, dy: 1 - y * y,
                "dy ∗ (1 − y): the square is missing": lambda x, y, dy: dy * (1 - y),
                "dy ∗ (1 + y²): the sign inside is flipped": lambda x, y, dy: dy * (1 + y * y)}
    _unary(student, "tanh_backward", np.tanh, autodiff.tanh_backward.__wrapped__, fixed,
           lambda rng, s: rng.normal(0, 2, s), mistakes, seed)


@recorded
def check_power_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(x, p, dy)`` → dx for y = x ** p with a number p (a Python float)."""
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    cases = [("x of shape (3, 4) > 0, p = 2.5", (0.5 + 2 * np.abs(_fixed((3, 4), 0.0)), 2.5, _fixed((3, 4), 1.0))),
             ("negative x, integer p = 3", (np.array([[-2.0, -0.5, 1.5]]), 3.0, np.array([[1.0, 2.0, -1.0]]))),
             ("x = 0 among the entries, p = 2", (np.array([[0.0, -1.5], [2.0, 0.25]]), 2.0,
                                                   np.array([[3.0, 1.0], [-2.0, 0.5]]))),
             ("p = 1", (_fixed((2, 3), 0.5) * 2, 1.0, _fixed((2, 3), 1.5))),
             ("p = 0.5, small x", (np.array([[1e-4, 0.01, 4.0]]), 0.5, np.array([[1.0, -1.0, 2.0]]))),
             ("p = −2, x of both signs", (np.array([[-1.5, 0.5], [2.0, -0.25]]), -2.0,
                                          np.array([[1.0, -1.0], [0.5, 2.0]]))),
             ("p = 0 (y = 1 everywhere)", (np.array([[-1.5, 0.5, 2.0]]), 0.0, np.array([[1.0, -1.0, 0.5]])))]
    for i in range(2):
        shape = tuple(int(v) for v in rng.integers(1, 6, 2))
        p = float(rng.choice([-3.0, -1.0, 2.0, 3.0, 4.0])) if i == 0 else float(np.round(rng.uniform(-2, 3), 2))
        x = rng.normal(0, 1.5, shape) if i == 0 else rng.uniform(0.2, 3.0, shape)
        x[np.abs(x) < 0.1] = 0.5
        cases.append((f"random case {i + 1} (seed {seed}, shape {shape}, p = {p:g})", (x, p, rng.normal(0, 1, shape))))
    mistakes = {"p is missing as a factor: dy ∗ x^(p − 1)": lambda x, p, dy: dy * x ** (p - 1),
                "the exponent was not lowered: dy ∗ p ∗ x^p": lambda x, p, dy: dy * p * x ** p,
                "the upstream gradient dy is missing": lambda x, p, dy: p * x ** (p - 1),
                "the exponent went up instead of down: dy ∗ p ∗ x^(p + 1)": lambda x, p, dy: dy * p * x ** (p + 1),
                "the rule for a variable exponent (x^p ln x): here p is fixed, x varies":
                    lambda x, p, dy: dy * x ** p * np.log(np.abs(x))}
    _named_first(student, "power_backward", autodiff.power_backward.__wrapped__, cases[0], mistakes, ("x", "p", "dy"))
    check_function(student, "power_backward", autodiff.power_backward.__wrapped__, cases,
                   mistakes={k: _quiet(f) for k, f in mistakes.items()}, refuse=("nblib.autodiff.power_backward",),
                   check_name="check_power_backward", seed=seed, names=("x", "p", "dy"))


def _sum_to(g, shape):
    return autodiff.broadcast_backward.__wrapped__(np.asarray(g, dtype=np.float64), tuple(shape))


def _divide_cases(seed):
    cases = [("a (3, 4) / b (3, 4), b < 0 everywhere", (3, 4), (3, 4), "negative"),
             ("a (3, 4) / b (1, 4): b a row", (3, 4), (1, 4), "mixed"),
             ("a (3, 4) / b (3, 1): b a column", (3, 4), (3, 1), "mixed"),
             ("a (3, 4) / b (): b a scalar", (3, 4), (), "mixed"),
             ("a () / b (2, 3): a scalar over an array", (), (2, 3), "mixed"),
             ("a (1, 4) / b (3, 1): both broadcast", (1, 4), (3, 1), "mixed"),
             ("a (2, 3, 4) / b (3, 1): a leading axis", (2, 3, 4), (3, 1), "mixed"),
             ("a (2, 2) / b (2, 2) near 0 (±1e-3)", (2, 2), (2, 2), "small")]
    rng = np.random.default_rng(seed)
    out = []
    for i, (label, sa, sb, kind) in enumerate(cases):
        a = _fixed(sa, 0.4 * i) * 2
        b = 0.5 + np.abs(_fixed(sb, 1.0 + 0.4 * i)) * 2
        b = -b if kind == "negative" else b * 1e-3 if kind == "small" else b
        if kind in ("mixed", "small"):
            b = b * np.where(np.arange(b.size).reshape(b.shape) % 2 == 0, 1.0, -1.0)
        full = np.broadcast_shapes(sa, sb)
        out.append((label, a, b, _fixed(full, 2.0 + 0.4 * i)))
    for i in range(2):
        full = tuple(int(v) for v in rng.integers(2, 5, 2))
        sa, sb = (tuple(1 if rng.uniform() < 0.4 else s for s in full) for _ in range(2))
        b = rng.uniform(0.3, 2.0, sb) * rng.choice([-1.0, 1.0], sb)
        out.append((f"random case {i + 1} (seed {seed}: a {sa} / b {sb})", rng.normal(0, 1, sa), b,
                    rng.normal(0, 1, full)))
    return out


@recorded
def check_divide_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(a, b, dout)`` → (da, db) for out = a / b (broadcast), each in its operand's shape."""
    seed = new_seed(seed)
    with reporting_seed("check_divide_backward", seed):
        for label, a, b, dout in _divide_cases(seed):
            got = _pair(call_student(student, "divide_backward", (a, b, dout), label, names=("a", "b", "dout"),
                                     refuse=("nblib.autodiff.divide_backward",)), "divide_backward", label)
            with np.errstate(all="ignore"):
                want = (_sum_to(dout / b, a.shape), _sum_to(-dout * a / (b * b), b.shape))
                slips = {"da": {"da = dout ∗ b: the product rule's (for a ∗ b), not the quotient's": dout * b,
                                "da = dout / b²: b is squared in da": dout / (b * b)},
                         "db": {"db = −dout / b²: a is missing": -dout / (b * b),
                                "db = −dout ∗ a / b: b is not squared": -dout * a / b,
                                "db = −dout ∗ a / b ∗ b, which Python reads as ((−dout ∗ a) / b) ∗ b: put the "
                                "square of b in parentheses": -dout * a / b * b,
                                "db = dout ∗ a: the product rule's (for a ∗ b), not the quotient's": dout * a,
                                "db has the wrong sign: how does 1/b change when b grows?": dout * a / (b * b)}}
            for key, g, shape, operand in zip(("da", "db"), got, (a.shape, b.shape), ("a", "b")):
                if isinstance(g, np.ndarray) and g.shape != shape and g.shape == dout.shape:
                    raise CheckFailed(f"With {label}: {key} has dout's shape {dout.shape}, expected {operand}'s shape "
                                      f"{shape}: {operand} was broadcast, so its copies' gradients must be added "
                                      "back into one (your broadcast_backward of exercise 2 does it)")
            if all(isinstance(g, np.ndarray) or np.isscalar(g) for g in got):
                shapes_ok = np.shape(got[0]) == np.shape(want[1]) and np.shape(got[1]) == np.shape(want[0])
                if shapes_ok and np.allclose(got[0], want[1]) and np.allclose(got[1], want[0]) \
                        and not np.allclose(want[0], want[1]):
                    raise CheckFailed(f"With {label}: da and db are swapped (return da first, then db)")
            for key, g, w, shape in zip(("da", "db"), got, want, (a.shape, b.shape)):
                compare_array(key, g, w, context=f"With {label}",
                              mistakes={d: _sum_to(v, shape) for d, v in slips[key].items()})
    passed("divide_backward gives da and db, summed back to a's and b's shapes, on every case")


def _net_cases(seed):
    cases = [("lesson 02's [4, 5, 1] network, 6 houses", 4, 5, 1, 6, 1),
             ("a [4, 5, 1] network with m = 1", 4, 5, 1, 1, 2)]
    rng = np.random.default_rng(seed)
    for i in range(2):
        n_in, n_hidden, n_out, m = (int(v) for v in rng.integers(1, 6, 4))
        cases.append((f"random case {i + 1} (seed {seed}: [{n_in}, {n_hidden}, {n_out}], m = {m})", n_in, n_hidden,
                      n_out, m, int(rng.integers(100))))
    return cases


@recorded
def check_two_layer_graph(student, *, seed: int | None = None) -> None:
    """Check ``student(X, Y, params)`` → the Tensor E = ½ Σ (Y − O)² of lesson 02's network, built with the engine.

    ``params`` maps "W_ih", "b_ih", "W_ho", "b_ho" to Tensors; after ``E.backward()`` each one's grad must equal
    lesson 02's hand-derived gradient (nblib.two_layer.backward).
    """
    seed = new_seed(seed)
    with reporting_seed("check_two_layer_graph", seed):
        for label, n_in, n_hidden, n_out, m, init in _net_cases(seed):
            params = two_layer.init_params(n_in, n_hidden, n_out, seed=init, scale=1.0)
            params["b_ih"] = _fixed((n_hidden, 1), 0.5) / 2
            params["b_ho"] = _fixed((n_out, 1), 1.5) / 2
            X, Y = _fixed((n_in, m), init), (_fixed((n_out, m), 2.0 + init) + 1) / 2
            tensors = {k: Tensor(v.copy(), k) for k, v in params.items()}
            E = call_student(student, "two_layer_graph", (X, Y, tensors), label, names=("X", "Y", "params"),
                             refuse=("nblib.widgets.graph.house_graph",))
            for k, v in params.items():
                if not np.array_equal(tensors[k].value, v):
                    raise CheckFailed(f"two_layer_graph changed params['{k}'].value in place on {label}: build new "
                                      "Tensors with the operations instead")
            if not isinstance(E, Tensor):
                raise CheckFailed(f"two_layer_graph returned {type(E).__name__} on {label}, not a Tensor: build E "
                                  "from the Tensors in params with the engine's operations, so E.backward() can "
                                  "reach them")
            value, want_E = E.value.reshape(()) if E.value.size == 1 else E.value, two_layer.loss(X, Y, params)
            if np.shape(value) == () and np.isclose(float(value), 2 * want_E, rtol=1e-9):
                raise CheckFailed(f"With {label}: E.value is twice lesson 02's error: the factor ½ of article 001's "
                                  "(Y − O)²/2 is missing")
            compare_array("E.value", value, want_E, context=f"With {label}", m=m)
            E.backward()
            want = two_layer.backward(X, Y, params, two_layer.forward(X, params))
            for k in two_layer.PARAM_KEYS:
                if not np.any(tensors[k].grad):
                    raise CheckFailed(f"With {label}: params['{k}'].grad is all zeros after E.backward(): {k} does "
                                      f"not reach E through Tensor operations — did you use params['{k}'].value "
                                      "(a plain NumPy array) or a NumPy function?")
                compare_array(f"params['{k}'].grad", tensors[k].grad, want[k], context=f"With {label}", m=m)
    passed("your graph of E gives lesson 02's value and all four gradients")
