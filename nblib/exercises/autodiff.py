"""Lesson 09's checks: ``check_matmul_backward``, ``check_sigmoid_backward``, ``check_broadcast_backward`` and
``check_two_layer_graph`` — each takes the student's function.

The references are the backward rules of :mod:`nblib.autodiff`, which tests/test_autodiff.py checks against
central differences on random expressions; while a check runs the student's function, those helpers refuse.
Cases: fixed ones (non-square, square — where a missing transpose still fits —, a single entry) and random ones
drawn from a seed chosen per call.
"""

from __future__ import annotations

import numpy as np

from nblib import two_layer
from nblib.activations import sigmoid
from nblib.autodiff import Tensor
from nblib.exercises.feedback import CheckFailed, call_student, compare_array, new_seed, passed, reporting_seed
from nblib.progress import recorded

REFUSE = ("nblib.autodiff.matmul_backward", "nblib.autodiff.sigmoid_backward", "nblib.autodiff.broadcast_backward")


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


@recorded
def check_sigmoid_backward(student, *, seed: int | None = None) -> None:
    """Check ``student(z, s, dout)`` → dz for s = σ(z)."""
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    cases = [("z of shape (4, 3)", _fixed((4, 3), 0.0) * 3, _fixed((4, 3), 1.0)),
             ("z of shape (1, 1)", np.array([[-1.5]]), np.array([[0.8]])),
             ("z of shape (2, 5)", _fixed((2, 5), 2.0) * 4, _fixed((2, 5), 3.0))]
    for i in range(2):
        shape = tuple(int(v) for v in rng.integers(1, 6, 2))
        cases.append((f"random case {i + 1} (seed {seed}, shape {shape})", rng.normal(0, 2, shape),
                      rng.normal(0, 1, shape)))
    with reporting_seed("check_sigmoid_backward", seed):
        for label, z, dout in cases:
            s = sigmoid(z)
            got = call_student(student, "sigmoid_backward", (z, s, dout), label, names=("z", "s", "dout"),
                               refuse=REFUSE)
            slips = {"σ′ from the wrong tensor: σ′ was evaluated at s = σ(z) instead of at z":
                     dout * sigmoid(s) * (1 - sigmoid(s)),
                     "σ′ written with z: z(1 − z) instead of s(1 − s)": dout * z * (1 - z),
                     "the upstream gradient dout is missing: dz = σ′(z), not dout ∗ σ′(z)": s * (1 - s),
                     "σ itself, not its derivative: dz = dout ∗ s": dout * s}
            compare_array("dz", got, dout * s * (1 - s), mistakes=slips, context=f"With {label}")
    passed("sigmoid_backward returns dz = dout ∗ s(1 − s) on every case")


def _broadcast_cases(seed):
    cases = [("a bias row: dout (3, 4), operand (1, 4)", (3, 4), (1, 4)),
             ("a bias column: dout (3, 4), operand (3, 1)", (3, 4), (3, 1)),
             ("a leading axis: dout (2, 3, 4), operand (4,)", (2, 3, 4), (4,)),
             ("a scalar: dout (3, 4), operand ()", (3, 4), ()),
             ("no broadcasting: dout (2, 3), operand (2, 3)", (2, 3), (2, 3))]
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
            compare_array("E.value", E.value.reshape(()) if E.value.size == 1 else E.value,
                          two_layer.loss(X, Y, params), context=f"With {label}", m=m)
            E.backward()
            want = two_layer.backward(X, Y, params, two_layer.forward(X, params))
            for k in two_layer.PARAM_KEYS:
                if not np.any(tensors[k].grad):
                    raise CheckFailed(f"With {label}: params['{k}'].grad is all zeros after E.backward(): {k} does "
                                      f"not reach E through Tensor operations — did you use params['{k}'].value "
                                      "(a plain NumPy array) or a NumPy function?")
                compare_array(f"params['{k}'].grad", tensors[k].grad, want[k], context=f"With {label}", m=m)
    passed("your graph of E gives lesson 02's value and all four gradients")
