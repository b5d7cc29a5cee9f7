"""A small reverse-mode automatic differentiation engine over NumPy float64 arrays (lesson 09).

A :class:`Tensor` holds a ``value``, a ``grad`` (∂root/∂value, same shape), its ``parents`` and a ``_backward``
closure that adds the operation's local rule times ``out.grad`` into each parent's ``grad``. ``root.backward()``
sorts the graph topologically and runs the closures from the root down. Gradients *accumulate* (``+=``): a value
used twice receives the sum of both paths (the multivariable chain rule), and a second ``backward()`` adds to the
leaves' gradients again unless :func:`zero_grad` cleared them. The backward rules of matmul, sigmoid and
broadcasting are lesson 09's exercises (:func:`matmul_backward`, :func:`sigmoid_backward`,
:func:`broadcast_backward`). The closures read the *current* ``value`` of their inputs: change one in place
between forward and backward and the gradient is silently wrong (lesson 09 shows it).
"""

from __future__ import annotations

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.activations import sigmoid as _sigmoid
from nblib.shapes import ShapeError
from nblib.validate import as_float_array, check_scalar


@exercise_answer
def matmul_backward(A, B, dOut):
    """Out = A @ B with A (n, k), B (k, p): returns (dA, dB) = (dOut Bᵀ, Aᵀ dOut)."""
    return dOut @ B.T, A.T @ dOut


@exercise_answer
def sigmoid_backward(z, s, dout):
    """s = σ(z): returns dz = dout ∗ s(1 − s)."""
    return dout * s * (1.0 - s)


@exercise_answer
def broadcast_backward(dout, shape):
    """An operand of ``shape`` was broadcast to dout's shape: sum dout over every axis broadcasting stretched."""
    while dout.ndim > len(shape):
        dout = dout.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and dout.shape[axis] != 1:
            dout = dout.sum(axis=axis, keepdims=True)
    return dout


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
        return Tensor(value, parents=parents, op=op)

    def _binary(self, other, op, forward, rule):
        other = other if isinstance(other, Tensor) else Tensor(as_float_array("other operand", other))
        try:
            value = forward(self.value, other.value)
        except ValueError:
            raise ShapeError(f"{self.name or 'left'} {op} {other.name or 'right'}: shapes {self.shape} and "
                             f"{other.shape} do not {'fit a matrix product' if op == '@' else 'broadcast'}") from None
        out = self._out(value, (self, other), op)

        def backward():
            da, db = rule(self.value, other.value, out.grad)
            self.grad += broadcast_backward(da, self.shape)
            other.grad += broadcast_backward(db, other.shape)
        out._backward = backward
        return out

    def __add__(self, other):
        return self._binary(other, "+", np.add, lambda a, b, g: (g, g))

    def __sub__(self, other):
        return self._binary(other, "−", np.subtract, lambda a, b, g: (g, -g))

    def __mul__(self, other):
        return self._binary(other, "∗", np.multiply, lambda a, b, g: (g * b, g * a))

    def __matmul__(self, other):
        for t, side in ((self, "left"), (other, "right")):
            if isinstance(t, Tensor) and t.value.ndim != 2:
                raise ShapeError(f"the {side} operand of @ must be 2-D, got shape {t.shape}")
        return self._binary(other, "@", np.matmul, matmul_backward)

    def __radd__(self, other):
        return Tensor(other) + self

    def __rsub__(self, other):
        return Tensor(other) - self

    def __rmul__(self, other):
        return Tensor(other) * self

    def __rmatmul__(self, other):
        return Tensor(other) @ self

    def __neg__(self):
        return self * -1.0

    def _unary(self, op, value, rule):
        out = self._out(value, (self,), op)

        def backward():
            self.grad += rule(out)
        out._backward = backward
        return out

    def __pow__(self, p):
        p = check_scalar("exponent", p)
        return self._unary(f"^{p:g}", self.value ** p, lambda out: out.grad * p * self.value ** (p - 1))

    @property
    def T(self):
        return self._unary("ᵀ", self.value.T, lambda out: out.grad.T)

    def sigmoid(self):
        return self._unary("σ", _sigmoid(self.value), lambda out: sigmoid_backward(self.value, out.value, out.grad))

    def relu(self):
        return self._unary("relu", np.maximum(self.value, 0.0), lambda out: out.grad * (self.value > 0))

    def log(self):
        if np.any(self.value <= 0):
            raise ValueError(f"log of {self.name or 'a tensor'} needs positive values, got min {self.value.min():g}")
        return self._unary("log", np.log(self.value), lambda out: out.grad / self.value)

    def sum(self, axis: int | None = None, keepdims: bool = False):
        if axis is not None:
            check_scalar("axis", axis, low=-self.value.ndim, high=self.value.ndim - 1, integer=True)

        def rule(out):
            g = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            return np.broadcast_to(g, self.shape).copy()
        return self._unary("Σ", self.value.sum(axis=axis, keepdims=keepdims), rule)

    def mean(self, axis: int | None = None, keepdims: bool = False):
        n = self.value.size if axis is None else self.value.shape[axis]
        return self.sum(axis, keepdims) * (1.0 / n)

    def backward(self, grad=None):
        """Fill ``grad`` of every node this one depends on (leaves accumulate; interior nodes are recomputed)."""
        for _ in backward_steps(self, grad):
            pass


def topological_order(root: Tensor) -> list:
    """Every node ``root`` depends on, each after all of its parents (depth-first, each node visited once)."""
    if not isinstance(root, Tensor):
        raise TypeError(f"root must be a Tensor, got {type(root).__name__}")
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)
    visit(root)
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


def backward_steps(root: Tensor, grad=None, order=None):
    """Run the backward pass one node at a time, yielding each node after its closure ran (for the graph view).

    ``order`` (default :func:`topological_order`) may be any order of the same nodes in which each comes after its
    parents; the closures run in its reverse. Every such order gives the same gradients (a node's closure runs only
    after all of its consumers' did); the graph view picks one that keeps a collapsed box's nodes together.
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
        node._backward()
        yield node


def zero_grad(tensors) -> None:
    """Set the ``grad`` of each Tensor in ``tensors`` (a Tensor, a list or a dict of them) to zeros."""
    items = tensors.values() if isinstance(tensors, dict) else [tensors] if isinstance(tensors, Tensor) else tensors
    for t in items:
        if not isinstance(t, Tensor):
            raise TypeError(f"tensors must hold Tensors, got {type(t).__name__}")
        t.grad = np.zeros_like(t.value)
