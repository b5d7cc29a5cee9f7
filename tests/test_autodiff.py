"""nblib.autodiff: random expressions against central differences (hypothesis), fan-out, accumulation, zero_grad,
input checks, the graph view's frames, and (optional) PyTorch parity."""

import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nblib import autodiff, check_gradients  # noqa: E402
from nblib.autodiff import Tensor, broadcast_backward, topological_order, your_rules, zero_grad  # noqa: E402
from nblib.shapes import ShapeError  # noqa: E402

UNARY = ("sigmoid", "relu", "square", "log", "sum0", "mean1", "neg", "T2", "exp", "tanh", "pow1.5", "cube")
BINARY = ("add", "sub", "mul", "truediv")


def _apply_unary(op, t):
    if op == "sigmoid":
        return t.sigmoid()
    if op == "relu":
        return t.relu()
    if op == "square":
        return t ** 2
    if op == "log":
        return (t * t + 0.5).log()
    if op == "sum0":
        return t.sum(axis=0, keepdims=True)
    if op == "mean1":
        return t.mean(axis=1, keepdims=True) if t.value.ndim == 2 else t.mean()
    if op == "neg":
        return -t
    if op == "exp":
        return (-(t * t)).exp()  # bounded by 1: a chain of ops cannot overflow it
    if op == "tanh":
        return t.tanh()
    if op == "pow1.5":
        return (t * t + 0.5) ** 1.5
    if op == "cube":
        return t ** 3
    return t.T.T


def _expression(seed):
    """A random expression over three leaves with broadcasting shapes, a matmul and fan-out; returns (f, leaves)."""
    rng = np.random.default_rng(seed)
    n, k = (int(v) for v in rng.integers(1, 5, 2))
    shapes = {"A": (n, k), "b": (1, k) if rng.uniform() < 0.5 else (k,), "C": (k, int(rng.integers(1, 4)))}
    leaves = {}
    for name, shape in shapes.items():
        x = rng.normal(0, 1, shape)
        x[np.abs(x) < 0.1] += 0.3  # away from relu's kink
        leaves[name] = x
    plan = [(rng.choice(BINARY), rng.choice(UNARY)) for _ in range(int(rng.integers(1, 4)))]

    def f(values):
        A, b, C = (Tensor(values[k], k) for k in ("A", "b", "C"))
        H = A
        for binary, unary in plan:
            other = b if H.value.shape[-1:] == b.value.shape[-1:] else H
            if binary == "truediv":
                other = other * other + 0.5  # a divisor away from 0
            H = getattr(H, f"__{binary}__")(other)
            H = _apply_unary(unary, H) if unary not in ("relu",) else (H * H + 0.2).relu()
        out = (H @ C).sigmoid() if H.value.ndim == 2 and H.value.shape[1] == C.value.shape[0] else H.sigmoid()
        return (out * out).sum() + (A * b).sum(), (A, b, C)
    return f, leaves


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_random_expressions_match_central_differences(seed):
    f, leaves = _expression(seed)
    E, tensors = f(leaves)
    E.backward()
    report = check_gradients(lambda p: float(f(p)[0].value), leaves, {t.name: t.grad for t in tensors})
    assert report.ok, str(report)


@pytest.mark.parametrize("shape,out", [((1, 4), (3, 4)), ((3, 1), (3, 4)), ((4,), (2, 3, 4)), ((), (3, 4)),
                                       ((2, 1, 4), (2, 3, 4))])
def test_broadcasting_sums_back_to_the_operand(shape, out):
    a = Tensor(np.linspace(0.1, 0.9, int(np.prod(shape, dtype=int))).reshape(shape), "a")
    x = np.arange(1.0, np.prod(out) + 1).reshape(out)
    E = (a * x + a).sum()
    E.backward()
    assert a.grad.shape == a.shape
    np.testing.assert_allclose(a.grad, broadcast_backward(x + 1.0, shape))


def test_fan_out_accumulates():
    x = Tensor(3.0, "x")
    E = x * x + x          # dE/dx = 2x + 1
    E.backward()
    assert float(x.grad) == 7.0
    assert len(topological_order(E)) == 3


def test_backward_twice_accumulates_and_zero_grad_clears():
    w = Tensor(np.array([[1.0, -2.0]]), "w")
    E = ((w * w).sum() + w.sum()).sigmoid()
    E.backward()
    once = w.grad.copy()
    E.backward()
    np.testing.assert_allclose(w.grad, 2 * once, rtol=1e-15)
    zero_grad([w])
    assert not w.grad.any()
    E.backward()
    np.testing.assert_allclose(w.grad, once, rtol=1e-15)


def test_input_checks_name_the_argument():
    with pytest.raises(TypeError, match="W"):
        Tensor("abc", "W")
    with pytest.raises(ValueError, match="W"):
        Tensor([np.nan], "W")
    with pytest.raises(ShapeError, match=r"\(2, 3\) and \(2, 3\) do not fit a matrix product"):
        _ = Tensor(np.ones((2, 3)), "A") @ Tensor(np.ones((2, 3)), "B")
    with pytest.raises(ShapeError, match="broadcast"):
        _ = Tensor(np.ones((2, 3)), "A") + np.ones((3, 2))
    with pytest.raises(ValueError, match="grad must be given"):
        Tensor(np.ones((2, 2))).backward()
    with pytest.raises(ValueError, match="positive"):
        Tensor([-1.0], "x").log()
    with pytest.raises(TypeError, match="exponent"):
        _ = Tensor(1.0) ** "2"
    with pytest.raises(ValueError, match="axis"):
        Tensor(np.ones((2, 2))).sum(axis=2)
    with pytest.raises(TypeError, match="tensors"):
        zero_grad([np.ones(2)])


def test_graph_frames_fill_gradients_step_by_step():
    from nblib.widgets.graph import backward_frames, draw_graph, graph_explorer

    x, w = Tensor(1.5, "x"), Tensor(-0.8, "w")
    L = (w * x).sigmoid() * x
    order, frames = backward_frames(L)
    assert frames[0][1] == {} and len(frames) == 2 + sum(1 for n in order if n.parents)
    x_grads = [float(g[id(x)]) for _, g in frames if id(x) in g]
    assert len(set(x_grads)) == 2  # x's gradient is filled in twice (fan-out)
    assert x_grads[-1] == pytest.approx(float(x.grad))
    ax = draw_graph(L, 1)
    assert all(t.get_fontsize() >= 12 for t in ax.texts)
    explorer = graph_explorer(L)
    explorer.children[0].value = 2
    assert explorer.kwargs["step"] == 2
    plt.close("all")


def test_torch_parity():
    torch = pytest.importorskip("torch", reason="PyTorch not installed: pip install torch==2.13.0 (optional extra)")
    rng = np.random.default_rng(0)
    W, X, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(3, 1))
    ours = {k: Tensor(v, k) for k, v in (("W", W), ("b", b))}
    E = ((ours["W"] @ X + ours["b"]).sigmoid() * 2.0 + 0.5).relu().sum(axis=0).log().mean()
    E.backward()
    t = {k: torch.tensor(v, requires_grad=True) for k, v in (("W", W), ("b", b))}
    Et = torch.log(torch.relu(torch.sigmoid(t["W"] @ torch.tensor(X) + t["b"]) * 2.0 + 0.5).sum(dim=0)).mean()
    Et.backward()
    for k in ours:
        np.testing.assert_allclose(ours[k].grad, t[k].grad.numpy(), rtol=1e-12, atol=1e-15)


class _Torch:
    """The slice of nblib.autodiff.Tensor's interface the random expressions use, over a torch tensor."""

    def __init__(self, t, name=None):
        self.t, self.name = t, name

    value = property(lambda self: self.t.detach().numpy())
    T = property(lambda self: _Torch(self.t.permute(*reversed(range(self.t.ndim)))))

    def _other(self, other):
        return other.t if isinstance(other, _Torch) else other

    def __add__(self, other):
        return _Torch(self.t + self._other(other))

    def __sub__(self, other):
        return _Torch(self.t - self._other(other))

    def __mul__(self, other):
        return _Torch(self.t * self._other(other))

    def __matmul__(self, other):
        return _Torch(self.t @ self._other(other))

    def __truediv__(self, other):
        return _Torch(self.t / self._other(other))

    def __pow__(self, power):
        return _Torch(self.t ** power)

    def exp(self):
        return _Torch(self.t.exp())

    def tanh(self):
        return _Torch(self.t.tanh())

    def __neg__(self):
        return _Torch(-self.t)

    def sigmoid(self):
        return _Torch(self.t.sigmoid())

    def relu(self):
        return _Torch(self.t.relu())

    def log(self):
        return _Torch(self.t.log())

    def sum(self, axis=None, keepdims=False):
        return _Torch(self.t.sum() if axis is None else self.t.sum(dim=axis, keepdim=keepdims))

    def mean(self, axis=None, keepdims=False):
        return _Torch(self.t.mean() if axis is None else self.t.mean(dim=axis, keepdim=keepdims))


@pytest.mark.parametrize("seed", range(40))
def test_random_expressions_match_torch_autograd(seed, monkeypatch):
    """The same random expressions as against central differences, run by PyTorch's autograd (optional)."""
    torch = pytest.importorskip("torch", reason="PyTorch not installed: pip install torch==2.13.0 (optional extra)")
    f, leaves = _expression(seed)
    E, tensors = f(leaves)
    E.backward()
    ours = {t.name: t.grad for t in tensors}
    theirs = {k: torch.tensor(v, requires_grad=True) for k, v in leaves.items()}
    monkeypatch.setattr(sys.modules[__name__], "Tensor", lambda value, name: _Torch(theirs[name], name))
    E_torch, _ = f(leaves)
    E_torch.t.backward()
    assert abs(float(E.value) - E_torch.t.item()) <= 1e-12 * max(1.0, abs(E_torch.t.item()))
    for name, grad in ours.items():
        torch_grad = theirs[name].grad  # None for a leaf the expression never used; the engine holds zeros
        expected = np.zeros_like(leaves[name]) if torch_grad is None else torch_grad.numpy()
        np.testing.assert_allclose(grad, expected, rtol=1e-11, atol=1e-14, err_msg=name)


def test_new_ops_match_central_differences_at_the_edges_of_their_domain():
    """exp, log near 0, tanh saturated, division by negatives with broadcasting, integer and fractional powers."""
    cases = {
        "exp": ({"x": np.array([[-30.0, 0.0, 2.5]])}, lambda x: x.exp()),
        "log near 0": ({"x": np.array([[1e-4, 3e-3, 2.0]])}, lambda x: x.log() * 1e-4),
        "tanh": ({"x": np.array([[-4.0, 0.0, 0.3, 4.0]])}, lambda x: x.tanh()),
        "a / b, b < 0, b a row": ({"a": np.sin(np.arange(1.0, 13.0)).reshape(3, 4),
                                   "b": -np.array([[0.5, 1.5, 2.0, 0.7]])}, lambda a, b: a / b),
        "a / b, b a column, a a row": ({"a": np.array([[0.3, -1.2, 2.0]]), "b": np.array([[-0.8], [1.3]])},
                                       lambda a, b: a / b),
        "2 / b, b a scalar": ({"b": np.array(-1.7)}, lambda b: 2.0 / b),
        "x ** 3, x < 0": ({"x": np.array([[-2.0, -0.5, 1.5]])}, lambda x: x ** 3),
        "x ** 0.5": ({"x": np.array([[1e-3, 0.5, 4.0]])}, lambda x: x ** 0.5 * 1e-2),
        "x ** -2": ({"x": np.array([[-1.5, 0.5, 2.0]])}, lambda x: x ** -2),
    }
    for label, (leaves, op) in cases.items():
        def f(p, op=op):
            ts = {k: Tensor(v, k) for k, v in p.items()}
            out = op(*ts.values())
            w = np.cos(np.arange(out.value.size, dtype=float).reshape(out.shape) + 1.0)  # no symmetric sum
            return (out * w).sum(), ts

        E, ts = f(leaves)
        E.backward()
        report = check_gradients(lambda p: float(f(p)[0].value), leaves, {k: t.grad for k, t in ts.items()},
                                 threshold=1e-7)
        assert report.ok, f"{label}: {report}"


def test_article_001_error_with_a_division_works():
    """Article 001's E = (Y − O)²/2 (the division, not a product with ½) matches lesson 02's loss and gradients."""
    from nblib import two_layer

    X, Y = np.sin(np.arange(12.0)).reshape(4, 3), np.array([[0.2, 0.7, 0.4]])
    params = two_layer.init_params(4, 5, 1, seed=3)
    p = {k: Tensor(v, k) for k, v in params.items()}
    O = (p["W_ho"].T @ (p["W_ih"].T @ X + p["b_ih"]).sigmoid() + p["b_ho"]).sigmoid()
    E = ((Y - O) ** 2 / 2).sum()
    E.backward()
    assert np.isclose(float(E.value), two_layer.loss(X, Y, params), rtol=1e-14)
    want = two_layer.backward(X, Y, params, two_layer.forward(X, params))
    for k in want:
        np.testing.assert_allclose(p[k].grad, want[k], rtol=1e-12, atol=1e-15)


def test_a_100000_node_chain_needs_no_recursion():
    x = Tensor(np.array([0.5, -2.0]), "x")
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])
    assert len(topological_order(y)) == 200_001  # x, the 100,000 constants and the 100,000 products


def test_a_cycle_is_refused_by_name():
    a = Tensor(1.0, "a")
    b = a * 2.0
    b.name = "b"
    c = b + 1.0
    a.parents = (c,)  # by hand: a now depends on c, which depends on a
    with pytest.raises(ValueError, match=r"cycle through Tensor\(\+, shape=\(\)\): \+ → b → a → \+ "):
        c.backward()
    with pytest.raises(ValueError, match="cycle"):
        topological_order(c)


def test_topological_order_is_the_depth_first_order():
    x, w = Tensor(1.5, "x"), Tensor(-0.8, "w")
    s = (w * x + 0.4).sigmoid()
    L = s * x
    names = [t.name or t.op for t in topological_order(L)]
    assert names == ["w", "x", "∗", "", "+", "σ", "∗"]  # parents first, left to right, each once (x twice used)


def test_bad_inputs_of_issue_27_get_named_errors():
    with pytest.raises(TypeError, match="tensors must be a Tensor, a list or a dict of Tensors, got NoneType"):
        zero_grad(None)
    with pytest.raises(ValueError, match=r"mean of x: shape \(0, 3\) has no entries"):
        Tensor(np.zeros((0, 3)), "x").mean()
    with pytest.raises(ValueError, match=r"axis must lie in \[-2, 1\], got 5"):
        Tensor(np.ones((2, 3)), "x").mean(axis=5)
    with pytest.raises(ShapeError, match=r"right operand of @ must be 2-D.*\(3,\)"):
        _ = Tensor(np.ones((2, 3)), "A") @ np.ones(3)
    with pytest.raises(ShapeError, match=r"left operand of @ must be 2-D"):
        _ = np.ones(2) @ Tensor(np.ones((2, 3)), "A")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy overflow warning leaks
        x = Tensor(np.array([1e-200]), "x")
        E = (x.log() * 1e200).sum()
        with pytest.raises(ValueError, match=r"gradient of Tensor\(x.*became inf"):
            E.backward()
        with pytest.raises(ValueError, match=r"exp of x gives inf"):
            Tensor(np.array([1000.0]), "x").exp()
        with pytest.raises(ValueError, match=r"the divisor b is 0 at index \(1,\)"):
            _ = Tensor(np.ones(2), "a") / Tensor(np.array([1.0, 0.0]), "b")
        with pytest.raises(ValueError, match="fractional exponent needs values ≥ 0"):
            _ = Tensor(np.array([-1.0]), "x") ** 0.5
        with pytest.raises(TypeError, match="exponent of \\*\\* must be a number"):
            _ = Tensor(2.0) ** Tensor(3.0)


def test_your_rules_runs_the_learners_rules_and_restores_nblibs():
    calls = []

    def my_exp(x, y, dy):
        calls.append("exp")
        return dy * y

    x = Tensor(np.array([0.5, 1.0]), "x")
    with your_rules(exp=my_exp):
        x.exp().sum().backward()
    assert calls == ["exp"] and np.allclose(x.grad, np.exp([0.5, 1.0]))
    assert autodiff.RULES["exp"] is autodiff.exp_backward
    with pytest.raises(KeyError, match="unknown rule 'sigmoid'"):
        with your_rules(sigmoid=my_exp):
            pass
    with pytest.raises(TypeError, match="exp must be a function"):
        with your_rules(exp=3):
            pass
