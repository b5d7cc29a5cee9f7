"""PyTorch as an independent oracle: nblib.two_layer and nblib.deep gradients equal autograd's in float64.

Optional extra: skipped, with the reason, unless `pip install torch==2.13.0` has been run.
"""

import numpy as np
import pytest

from nblib import deep, two_layer
from nblib.gradcheck import relative_error

torch = pytest.importorskip("torch", reason="PyTorch not installed: pip install torch==2.13.0 (optional extra)")


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_two_layer_matches_autograd(seed, reduction):
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out, m = rng.integers(1, 6, size=4)
    params = two_layer.init_params(int(n_in), int(n_hidden), int(n_out), seed=seed, scale=1.0)
    X, Y = rng.normal(size=(n_in, m)), rng.uniform(size=(n_out, m))
    ours = two_layer.backward(X, Y, params, two_layer.forward(X, params), reduction)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    h1 = torch.sigmoid(t["W_ih"].T @ torch.tensor(X) + t["b_ih"])
    O = torch.sigmoid(t["W_ho"].T @ h1 + t["b_ho"])
    E = 0.5 * ((torch.tensor(Y) - O) ** 2).sum()
    (E / m if reduction == "mean" else E).backward()
    for k in params:
        assert relative_error(ours[k], t[k].grad.numpy()) <= 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_deep_matches_autograd(seed):
    rng = np.random.default_rng(100 + seed)
    dims = [int(n) for n in rng.integers(1, 7, size=rng.integers(3, 6))]
    acts = [str(a) for a in rng.choice(["relu", "sigmoid", "tanh"], size=len(dims) - 2)] + ["sigmoid"]
    params = deep.initialize_parameters(dims, seed=seed)
    X = rng.normal(size=(dims[0], 7))
    Y = (rng.uniform(size=(dims[-1], 7)) > 0.5).astype(float)
    AL, caches = deep.model_forward(X, params, acts)
    ours = deep.model_backward(AL, Y, caches, acts)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    A = torch.tensor(X)
    for l, act in enumerate(acts, start=1):
        Z = t[f"W{l}"] @ A + t[f"b{l}"]
        A = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[act](Z)
    J = -(torch.tensor(Y) * torch.log(A) + (1 - torch.tensor(Y)) * torch.log(1 - A)).sum() / 7
    J.backward()
    for k in params:
        assert relative_error(ours[f"d{k}"], t[k].grad.numpy()) <= 1e-9, k


@pytest.mark.parametrize("seed", range(5))
def test_softmax_cross_entropy_gradient_matches_autograd(seed):
    from nblib.losses import softmax_cross_entropy, softmax_cross_entropy_gradient

    rng = np.random.default_rng(200 + seed)
    classes, m = (int(n) for n in rng.integers(2, 8, size=2))
    Z = rng.normal(0, 3, size=(classes, m))
    labels = rng.integers(0, classes, size=m)
    Y = np.eye(classes)[:, labels]
    t = torch.tensor(Z, requires_grad=True)
    J = torch.nn.functional.cross_entropy(t.T, torch.tensor(labels), reduction="mean")  # torch: (m, classes)
    J.backward()
    assert abs(softmax_cross_entropy(Z, Y) - J.item()) <= 1e-12 * max(1.0, abs(J.item()))
    assert relative_error(softmax_cross_entropy_gradient(Z, Y), t.grad.numpy()) <= 1e-9
