"""A small reverse-mode automatic differentiation engine over NumPy float64 arrays (lesson 10).

A :class:`Tensor` holds a ``value``, a ``grad`` (∂root/∂value, same shape), its ``parents`` and a ``_backward``
closure that adds the operation's local rule times ``out.grad`` into each parent's ``grad``. ``root.backward()``
sorts the graph topologically (iteratively: a 100,000-node chain works, a cycle is refused by name) and runs the
closures from the root down. Gradients *accumulate* (``+=``): a value used twice receives the sum of both paths (the
multivariable chain rule), and a second ``backward()`` adds to the leaves' gradients again unless :func:`zero_grad`
cleared them. The backward rules in :data:`RULES` are lesson 10's exercises (matmul, broadcasting, exp, log, tanh,
power, division); :func:`your_rules` makes the engine run the learner's own instead. The closures read the
*current* ``value`` of their inputs: change one in place between forward and backward and the gradient is silently
wrong (lesson 10 shows it).
"""

from __future__ import annotations

import contextlib

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid as _sigmoid
from nblib.shapes import ShapeError, expect_same_shape
from nblib.validate import as_float_array, check_scalar


def _arrays(**named) -> list[np.ndarray]:
    """A rule's array arguments as float64 arrays, each refused by its name when it is none (the engine checks
    overflow itself after each rule, so NaN/inf pass through here)."""
    return [as_float_array(name, value, allow_nonfinite=True) for name, value in named.items()]


@exercise_answer
def matmul_backward(A, B, dOut):
    """Out = A @ B with A (n, k), B (k, p): returns (dA, dB) = (dOut Bᵀ, Aᵀ dOut)."""
    A, B, dOut = _arrays(A=A, B=B, dOut=dOut)
    for name, M in (("A", A), ("B", B), ("dOut", dOut)):
        if M.ndim != 2:
            raise ShapeError(f"{name} must be 2-D (a matrix), got shape {M.shape}")
    if A.shape[1] != B.shape[0]:
        raise ShapeError(f"A has shape {A.shape} and B has shape {B.shape}: A @ B needs A's columns to match B's rows")
    if dOut.shape != (A.shape[0], B.shape[1]):
        raise ShapeError(f"dOut has shape {dOut.shape}, expected {(A.shape[0], B.shape[1])}, the shape of A @ B")
    return dOut @ B.T, A.T @ dOut


@exercise_answer
def broadcast_backward(dout, shape):
    """An operand of ``shape`` was broadcast to dout's shape: sum dout over every axis broadcasting stretched."""
    (dout,) = _arrays(dout=dout)
    if not isinstance(shape, (tuple, list)) or not all(isinstance(n, (int, np.integer)) and n >= 0 for n in shape):
        raise TypeError(f"shape must be a tuple of sizes such as (1, 4), got {type(shape).__name__} {shape!r:.40}")
    shape = tuple(int(n) for n in shape)
    try:
        stretched = np.broadcast_shapes(shape, dout.shape) == dout.shape
    except ValueError:
        stretched = False
    if not stretched:
        raise ShapeError(f"shape {shape} cannot be stretched to dout's shape {dout.shape}: expected the shape of the "
                         "operand before NumPy stretched it to dout's (same number of axes or fewer, each 1 or equal)")
    while dout.ndim > len(shape):
        dout = dout.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and dout.shape[axis] != 1:
            dout = dout.sum(axis=axis, keepdims=True)
    return dout


def _elementwise(values: str, gradient: str, **named) -> list[np.ndarray]:
    """An elementwise rule's arrays; the upstream gradient must have the shape of the value it multiplies."""
    arrays = dict(zip(named, _arrays(**named)))
    expect_same_shape(gradient, arrays[gradient], values, arrays[values])
    return list(arrays.values())


@exercise_answer
def exp_backward(x, y, dy):
    """y = exp(x): returns dx = dy ∗ y."""
    y, dy = _elementwise("y", "dy", y=y, dy=dy)
    return dy * y


@exercise_answer
def log_backward(x, y, dy):
    """y = log(x), x > 0: returns dx = dy / x."""
    x, dy = _elementwise("x", "dy", x=x, dy=dy)
    return dy / x


@exercise_answer
def tanh_backward(x, y, dy):
    """y = tanh(x): returns dx = dy ∗ (1 − y²)."""
    y, dy = _elementwise("y", "dy", y=y, dy=dy)
    return dy * (1.0 - y * y)


@exercise_answer
def power_backward(x, p, dy):
    """y = x ** p for a number p: returns dx = dy ∗ p x^(p − 1)."""
    p = check_scalar("p", p)
    x, dy = _elementwise("x", "dy", x=x, dy=dy)
    return dy * p * x ** (p - 1.0)


@exercise_answer
def divide_backward(a, b, dout):
    """out = a / b (broadcast): returns (da, db) = (dout / b, −dout a / b²), each summed back to its operand's shape."""
    a, b, dout = _arrays(a=a, b=b, dout=dout)
    try:
        expected = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ShapeError(f"a has shape {a.shape} and b has shape {b.shape}: no elementwise a / b has them") from None
    if dout.shape != expected:
        raise ShapeError(f"dout has shape {dout.shape}, expected {expected}, the shape of a / b")
    return (broadcast_backward.__wrapped__(dout / b, np.shape(a)),
            broadcast_backward.__wrapped__(-dout * a / (b * b), np.shape(b)))


RULES = {"matmul": matmul_backward, "broadcast": broadcast_backward, "exp": exp_backward, "log": log_backward,
         "tanh": tanh_backward, "power": power_backward, "divide": divide_backward}


@contextlib.contextmanager
def your_rules(**rules):
    """Within the block the engine runs the given backward rules (e.g. ``exp=exp_backward``) instead of nblib's.

    Keys are those of :data:`RULES`; each value is a function with the same arguments as nblib's rule.
    """
    for key, fn in rules.items():
        if key not in RULES:
            raise KeyError(f"your_rules got an unknown rule {key!r}: expected keys of nblib.autodiff.RULES "
                           f"({len(RULES)} rules: the exercises' names without _backward, e.g. exp, log, divide)")
        if not callable(fn):
            raise TypeError(f"your_rules: {key} must be a function, got {type(fn).__name__}")
    saved = dict(RULES)
    RULES.update(rules)
    try:
        yield
    finally:
        RULES.clear()
        RULES.update(saved)


def _sigmoid_rule(s, ds):
    """s = σ(z): dz = ds ∗ s(1 − s) (lesson 01's σ′, from the output)."""
    return ds * s * (1.0 - s)


def _name(t) -> str:
    return t.name or t.op or "a leaf"


class Tensor:
    """A node of the graph: ``value`` (float64 array), ``grad`` (same shape), ``parents``, ``op``, ``name``."""

    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__, not NumPy's elementwise loop

    def __init__(self, value, name: str = "", *, parents: tuple = (), op: str = ""):
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        self.value = as_float_array(name or "value", value)
        self.grad = np.zeros_like(self.value)
        self.parents, self.op, self.name = tuple(parents), op, name
        self._backward = lambda: None

    def __repr__(self):
        return f"Tensor({self.name or self.op or 'leaf'}, shape={self.value.shape})"

    @property
    def shape(self):
        return self.value.shape

    def _out(self, value, parents, op):
        value = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(value)):
            bad = np.argwhere(~np.isfinite(value))
            where = f" (first at index {tuple(int(i) for i in bad[0])})" if value.ndim else ""
            kind = "NaN" if np.isnan(value).any() else "inf"
            raise ValueError(f"{op} of {' and '.join(_name(p) for p in parents)} gives {kind}{where}: expected a "
                             "finite result (|value| ≤ 1.8e308, float64's range) — scale the inputs down")
        return Tensor(value, parents=parents, op=op)

    def _binary(self, other, op, forward, rule):
        other = other if isinstance(other, Tensor) else Tensor(as_float_array("other operand", other))
        try:
            with np.errstate(all="ignore"):
                value = forward(self.value, other.value)
        except ValueError:
            raise ShapeError(f"{self.name or 'left'} {op} {other.name or 'right'}: shapes {self.shape} and "
                             f"{other.shape} do not {'fit a matrix product' if op == '@' else 'broadcast'}") from None
        out = self._out(value, (self, other), op)

        def backward():
            da, db = rule()(self.value, other.value, out.grad)
            self.grad += RULES["broadcast"](da, self.shape)
            other.grad += RULES["broadcast"](db, other.shape)
        out._backward = backward
        return out

    def __add__(self, other):
        return self._binary(other, "+", np.add, lambda: lambda a, b, g: (g, g))

    def __sub__(self, other):
        return self._binary(other, "−", np.subtract, lambda: lambda a, b, g: (g, -g))

    def __mul__(self, other):
        return self._binary(other, "∗", np.multiply, lambda: lambda a, b, g: (g * b, g * a))

    def __truediv__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(as_float_array("divisor", other))
        if np.any(other.value == 0):
            where = tuple(int(i) for i in np.argwhere(other.value == 0)[0]) if other.value.ndim else ()
            raise ValueError(f"the divisor {_name(other)} is 0 at index {where}: expected non-zero entries")
        return self._binary(other, "/", np.divide, lambda: RULES["divide"])

    def __matmul__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(as_float_array("right operand of @", other))
        for t, side in ((self, "left"), (other, "right")):
            if t.value.ndim != 2:
                raise ShapeError(f"the {side} operand of @ must be 2-D (a matrix), got shape {t.shape}"
                                 + (" — a 1-D vector: make it a column with .reshape(-1, 1)" if t.value.ndim == 1
                                    else ""))
        return self._binary(other, "@", np.matmul, lambda: RULES["matmul"])

    def __radd__(self, other):
        return Tensor(other) + self

    def __rsub__(self, other):
        return Tensor(other) - self

    def __rmul__(self, other):
        return Tensor(other) * self

    def __rtruediv__(self, other):
        return Tensor(as_float_array("dividend", other)) / self

    def __rmatmul__(self, other):
        return Tensor(as_float_array("left operand of @", other)) @ self

    def __neg__(self):
        return self * -1.0

    def _unary(self, op, value, rule):
        with np.errstate(all="ignore"):
            value = value() if callable(value) else value
        out = self._out(value, (self,), op)

        def backward():
            self.grad += rule(out)
        out._backward = backward
        return out

    def __pow__(self, p):
        if isinstance(p, Tensor):
            raise TypeError("the exponent of ** must be a number, got a Tensor (the engine's power has a fixed "
                            "exponent; write exp(p ∗ log(x)) for a variable one)")
        p = check_scalar("exponent", p)
        if p != int(p) and np.any(self.value < 0):
            raise ValueError(f"{_name(self)} ** {p:g}: a fractional exponent needs values ≥ 0, got min "
                             f"{self.value.min():g}")
        if p < 0 and np.any(self.value == 0):
            raise ValueError(f"{_name(self)} ** {p:g}: a negative exponent needs non-zero values, got a 0")
        return self._unary(f"^{p:g}", lambda: self.value ** p,
                           lambda out: RULES["power"](self.value, p, out.grad))

    @property
    def T(self):
        return self._unary("ᵀ", self.value.T, lambda out: out.grad.T)

    def sigmoid(self):
        return self._unary("σ", lambda: _sigmoid(self.value), lambda out: _sigmoid_rule(out.value, out.grad))

    def relu(self):
        return self._unary("relu", np.maximum(self.value, 0.0), lambda out: out.grad * (self.value > 0))

    def exp(self):
        return self._unary("exp", lambda: np.exp(self.value), lambda out: RULES["exp"](self.value, out.value, out.grad))

    def log(self):
        if np.any(self.value <= 0):
            raise ValueError(f"log of {self.name or 'a tensor'} needs positive values, got min {self.value.min():g}")
        return self._unary("log", lambda: np.log(self.value),
                           lambda out: RULES["log"](self.value, out.value, out.grad))

    def tanh(self):
        return self._unary("tanh", lambda: np.tanh(self.value),
                           lambda out: RULES["tanh"](self.value, out.value, out.grad))

    def _axis(self, axis):
        if axis is not None:
            axis = check_scalar("axis", axis, low=-self.value.ndim, high=self.value.ndim - 1, integer=True) \
                if self.value.ndim else check_scalar("axis", axis, low=0, high=-1, integer=True)
        return axis

    def sum(self, axis: int | None = None, keepdims: bool = False):
        axis = self._axis(axis)
        if not isinstance(keepdims, (bool, np.bool_)):
            raise TypeError(f"keepdims must be True or False, got {type(keepdims).__name__} {keepdims!r:.40}")
        keepdims = bool(keepdims)

        def rule(out):
            g = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            return np.broadcast_to(g, self.shape).copy()
        return self._unary("Σ", self.value.sum(axis=axis, keepdims=keepdims), rule)

    def mean(self, axis: int | None = None, keepdims: bool = False):
        axis = self._axis(axis)
        n = self.value.size if axis is None else self.value.shape[axis]
        if n == 0:
            raise ValueError(f"mean of {_name(self)}: shape {self.shape} has no entries "
                             + ("" if axis is None else f"along axis {axis} ") + "to average: expected at least 1")
        return self.sum(axis, keepdims) * (1.0 / n)

    def backward(self, grad=None):
        """Fill ``grad`` of every node this one depends on (leaves accumulate; interior nodes are recomputed)."""
        for _ in backward_steps(self, grad):
            pass


def topological_order(root: Tensor) -> list:
    """Every node ``root`` depends on, each after all of its parents (depth-first with an explicit stack, each node
    visited once, so a graph of any depth works); a cycle raises ValueError naming a node on it."""
    if not isinstance(root, Tensor):
        raise TypeError(f"root must be a Tensor, got {type(root).__name__}")
    order, state = [], {id(root): "open"}  # "open": on the current path; "done": in order
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if not isinstance(parent, Tensor):
                raise TypeError(f"the parents of {node!r} must be Tensors, got {type(parent).__name__}")
            seen = state.get(id(parent))
            if seen is None:
                state[id(parent)] = "open"
                stack.append((parent, iter(parent.parents)))
                break
            if seen == "open":
                path = [n for n, _ in stack]
                loop = path[next(i for i, n in enumerate(path) if n is parent):] + [parent]
                raise ValueError(f"the graph has a cycle through {parent!r}: "
                                 f"{' → '.join(_name(n) for n in loop)} (each node a parent of the one before); "
                                 "expected an acyclic graph — was a node's parents changed by hand?")
        else:
            stack.pop()
            state[id(node)] = "done"
            order.append(node)
    return order


def _check_order(root: Tensor, order) -> list:
    """``order`` as a list, if it holds exactly the nodes ``root`` depends on, each after all of its parents."""
    order = list(order)
    position = {id(node): i for i, node in enumerate(order)}
    wanted = {id(node) for node in topological_order(root)}
    if len(position) != len(order) or set(position) != wanted:
        raise ValueError(f"order must hold each of the {len(wanted)} nodes root depends on exactly once, got "
                         f"{len(order)} entries ({len(set(position) - wanted)} not in the graph)")
    for node in order:
        for parent in node.parents:
            if position[id(parent)] > position[id(node)]:
                raise ValueError(f"order is not topological: {parent!r} comes after {node!r}, which uses it")
    return order


def _check_grads(node: Tensor) -> None:
    """After ``node``'s closure ran: its parents' gradients are finite, or a ValueError names where they overflowed."""
    for parent in node.parents:
        if not np.all(np.isfinite(parent.grad)):
            kind = "NaN" if np.isnan(parent.grad).any() else "inf"
            raise ValueError(f"the gradient of {parent!r} became {kind} in the backward step of {node!r} "
                             f"({node.op}): expected finite values (|grad| ≤ 1.8e308) — the loss is too steep "
                             "here; scale the inputs or the loss down")


def backward_steps(root: Tensor, grad=None, order=None):
    """Run the backward pass one node at a time, yielding each node after its closure ran (for the graph view).

    ``order`` (default :func:`topological_order`) may be any order of the same nodes in which each comes after its
    parents; the closures run in its reverse. Every such order gives the same gradients (a node's closure runs only
    after all of its consumers' did); the graph view picks one that keeps a collapsed box's nodes together.
    A gradient that overflows raises ValueError naming the node (no NumPy warning leaks).
    """
    order = topological_order(root) if order is None else _check_order(root, order)
    if grad is None and root.value.size != 1:
        raise ValueError(f"grad must be given for a root of shape {root.shape} (backward() without it needs a "
                         "scalar, e.g. a loss; call .sum() first)")
    seed = np.ones_like(root.value) if grad is None else as_float_array("grad", grad)
    if seed.shape != root.shape:
        raise ShapeError(f"grad has shape {seed.shape} but the root has shape {root.shape}")
    for node in order:
        if node.parents:
            node.grad = np.zeros_like(node.value)
    root.grad = root.grad + seed
    for node in reversed(order):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            node._backward()
        _check_grads(node)
        yield node


def zero_grad(tensors) -> None:
    """Set the ``grad`` of each Tensor in ``tensors`` (a Tensor, a list or a dict of them) to zeros."""
    if isinstance(tensors, Tensor):
        items = [tensors]
    elif isinstance(tensors, dict):
        items = list(tensors.values())
    elif isinstance(tensors, (list, tuple)):
        items = list(tensors)
    else:
        raise TypeError(f"tensors must be a Tensor, a list or a dict of Tensors, got {type(tensors).__name__}")
    for t in items:
        if not isinstance(t, Tensor):
            raise TypeError(f"tensors must hold Tensors, got {type(t).__name__}")
        t.grad = np.zeros_like(t.value)
