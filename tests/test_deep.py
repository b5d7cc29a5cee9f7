"""nblib.deep: every gradient of random L-layer nets against central differences; API conventions."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nblib import deep
from nblib.activations import relu, relu_gradient, sigmoid, sigmoid_gradient
from nblib.gradcheck import check_gradients
from nblib.shapes import ShapeError


def net(dims, seed, hidden):
    rng = np.random.default_rng(seed)
    params = deep.initialize_parameters(dims, seed=seed)
    for l in range(1, len(dims)):
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1))
    X = rng.normal(0, 1, (dims[0], 5))
    Y = (rng.uniform(size=(dims[-1], 5)) > 0.5).astype(float)
    acts = [hidden] * (len(dims) - 2) + ["sigmoid"]
    return params, X, Y, acts


@settings(max_examples=40, deadline=None)
@given(dims=st.lists(st.integers(1, 5), min_size=2, max_size=5), seed=st.integers(0, 10_000),
       hidden=st.sampled_from(["relu", "sigmoid", "tanh"]))
def test_model_backward_matches_central_differences(dims, seed, hidden):
    params, X, Y, acts = net(dims, seed, hidden)
    AL, caches = deep.model_forward(X, params, acts)
    # Keep relu inputs away from the kink, where the numerical slope is 0.5 (not a bug).
    assume(all(np.min(np.abs(Z)) > 1e-3 for (_, Z), a in zip(caches, acts) if a == "relu"))
    assume(np.all((AL > 1e-6) & (AL < 1 - 1e-6)))
    grads = deep.model_backward(AL, Y, caches, acts)
    # Central-difference round-off is about 1e-16·J/eps ≈ 1e-11·J in absolute terms, so an entry below about
    # 1e-3·J cannot be checked to 1e-7 relative error; such draws are skipped, not loosened.
    J = deep.compute_cost(AL, Y)
    assume(all(np.min(np.abs(grads[f"d{k}"])) > 1e-3 * max(J, 1.0) or np.max(np.abs(grads[f"d{k}"])) == 0
               for k in params))
    report = check_gradients(deep.cost_of(X, Y, acts), params, grads, ignore=[k for k in grads if k[:2] == "dA"])
    assert report.ok, str(report)


def test_dA0_is_the_gradient_with_respect_to_X():
    params, X, Y, acts = net([3, 4, 2, 1], seed=5, hidden="tanh")
    AL, caches = deep.model_forward(X, params, acts)
    grads = deep.model_backward(AL, Y, caches, acts)
    from nblib.gradcheck import numerical_gradient, relative_error

    numerical = numerical_gradient(lambda x: deep.compute_cost(deep.model_forward(x, params, acts)[0], Y), X.copy())
    # dA0 is per-example (the 1/m is applied in dW and db), so the cost's gradient is dA0 / m.
    assert relative_error(grads["dA0"] / X.shape[1], numerical) <= 1e-7


def test_published_cost_value():
    # Deep Learning Specialization, "Building your Deep Neural Network: Step by Step", compute_cost test.
    cost = deep.compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1.0, 1.0, 0.0]]))
    assert abs(cost - 0.2797765635793422) < 1e-15


def test_conventions_of_the_specialization():
    params = deep.initialize_parameters([4, 3, 1], seed=0)
    assert {k: v.shape for k, v in params.items()} == {"W1": (3, 4), "b1": (3, 1), "W2": (1, 3), "b2": (1, 1)}
    assert np.all(params["b1"] == 0) and np.all(params["W1"] != 0)
    A_prev = np.ones((4, 2))
    Z, cache = deep.linear_forward(A_prev, params["W1"], params["b1"])
    assert Z.shape == (3, 2) and cache[0] is A_prev and cache[1] is params["W1"]
    A, (linear_cache, Z2) = deep.linear_activation_forward(A_prev, params["W1"], params["b1"], "relu")
    np.testing.assert_array_equal(Z2, Z)
    AL, caches = deep.model_forward(A_prev, params, ["relu", "sigmoid"])
    grads = deep.model_backward(AL, np.array([[1.0, 0.0]]), caches, ["relu", "sigmoid"])
    assert set(grads) == {"dA1", "dW2", "db2", "dA0", "dW1", "db1"}
    new = deep.update_parameters(params, grads, 0.1)
    np.testing.assert_allclose(new["W1"], params["W1"] - 0.1 * grads["dW1"])
    assert new["W1"] is not params["W1"]


def test_he_initialisation_scale():
    params = deep.initialize_parameters([400, 300], seed=0)
    assert abs(params["W1"].std() - np.sqrt(2 / 400)) < 0.005


def test_training_a_relu_net_lowers_the_cost():
    params, X, Y, acts = net([3, 6, 4, 1], seed=9, hidden="relu")
    costs = []
    for _ in range(300):
        AL, caches = deep.model_forward(X, params, acts)
        costs.append(deep.compute_cost(AL, Y))
        params = deep.update_parameters(params, deep.model_backward(AL, Y, caches, acts), 0.1)
    assert costs[-1] < 0.5 * costs[0]


def test_errors_name_the_argument():
    params = deep.initialize_parameters([3, 2, 1], seed=0)
    with pytest.raises(ShapeError, match=r"A_prev has shape \(2, 5\), expected \(3, \?\)"):
        deep.linear_forward(np.zeros((2, 5)), params["W1"], params["b1"])
    with pytest.raises(ShapeError, match=r"b has shape \(2,\).*keepdims"):
        deep.linear_forward(np.zeros((3, 5)), params["W1"], np.zeros(2))
    with pytest.raises(ValueError, match="activation must be one of"):
        deep.linear_activation_forward(np.zeros((3, 5)), params["W1"], params["b1"], "softplus")
    with pytest.raises(ValueError, match="one activation per layer"):
        deep.model_forward(np.zeros((3, 5)), params, ["relu"])
    AL1, caches1 = deep.model_forward(np.zeros((3, 1)), params, ["relu", "sigmoid"])
    with pytest.raises(ValueError, match="AL must lie strictly between 0 and 1"):
        deep.model_backward(np.array([[1.0]]), np.array([[1.0]]), caches1, ["relu", "sigmoid"])
    with pytest.raises(ShapeError, match=r"dZ has shape \(5, 2\).*dZ.T"):
        deep.linear_backward(np.zeros((5, 2)), (np.zeros((3, 5)), np.zeros((2, 3)), np.zeros((2, 1))))
    X = np.ones((3, 5))
    with pytest.raises(ValueError, match=r"activations\[1\] must be one of"):
        deep.model_forward(X, params, ["relu", "softplus"])
    with pytest.raises(ShapeError, match=r"parameters\['W2'\] has shape \(1, 2\) but A1 has shape \(4, 5\)"):
        deep.model_forward(X, {**params, "W2": np.ones((1, 2)), "W1": np.ones((4, 3)), "b1": np.ones((4, 1))},
                           ["relu", "sigmoid"])
    AL, caches = deep.model_forward(X, params, ["relu", "sigmoid"])
    with pytest.raises(ValueError, match=r"activations\[1\] must be one of"):
        deep.model_backward(AL, np.ones_like(AL), caches, ["relu", "softplus"])
    with pytest.raises(ShapeError, match=r"AL has shape \(1, 5\), expected \(2, 5\) \(the Z of the last layer"):
        deep.model_backward(AL, np.ones_like(AL), caches[:1], ["relu"])  # caches do not fit the network
    X_nan = X.copy()
    X_nan[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"X contains 1 non-finite value\(s\) \(NaN\) \(first at index \(1, 2\)\)"):
        deep.model_forward(X_nan, params, ["relu", "sigmoid"])
    with pytest.raises(ValueError, match="layer_dims"):
        deep.initialize_parameters([3])
    with pytest.raises(KeyError, match="missing"):
        deep.model_forward(np.zeros((3, 5)), {"W1": params["W1"]}, ["relu"])
    with pytest.raises(KeyError, match="dW1"):
        deep.update_parameters(params, {}, 0.1)


def test_unchecked_activations_inside_the_passes_equal_nblib_activations():
    """deep._g / deep._g_prime skip the input checks of nblib.activations for speed; the numbers must be the same."""
    Z = np.array([[-2.0, -0.0, 0.0, 1e-300, 3.5], [7.0, -1e-12, 0.25, -40.0, 40.0]])
    for activation, g, g_prime in (("relu", relu, relu_gradient), ("sigmoid", sigmoid, sigmoid_gradient)):
        np.testing.assert_array_equal(deep._g(Z, activation), g(Z))
        np.testing.assert_array_equal(deep._g_prime(Z, activation), g_prime(Z))


@pytest.mark.parametrize("seed", range(20))
def test_every_dA_is_m_times_the_gradient_of_J_with_respect_to_that_activation(seed):
    rng = np.random.default_rng(seed)
    dims = [int(d) for d in rng.integers(1, 6, 4)]
    acts = ["relu", "relu", "sigmoid"]
    params = deep.initialize_parameters(dims, seed=seed)
    for l in range(1, len(dims)):  # random biases: with zero ones a dead column puts Z exactly at relu's corner
        params[f"b{l}"] = rng.normal(0.0, 0.3, (dims[l], 1))
    X = rng.normal(size=(dims[0], int(rng.integers(1, 9))))
    Y = (rng.uniform(size=(dims[-1], X.shape[1])) > 0.5).astype(float)
    AL, caches = deep.model_forward(X, params, acts)
    grads = deep.model_backward(AL, Y, caches, acts)
    m = X.shape[1]
    for l in range(len(caches)):
        A_l = caches[l][0][0].copy()
        J_l = deep.cost_from(l, Y, params, acts)
        report = check_gradients(J_l, {f"A{l}": A_l}, {f"dA{l}": grads[f"dA{l}"] / m})
        assert report.ok, str(report)
        assert abs(deep.cost_from(l, Y, params, acts)({f"A{l}": A_l}) - deep.compute_cost(AL, Y)) < 1e-12
