"""nblib.two_layer: article 001's network — gradients, shapes, training."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nblib import two_layer
from nblib.gradcheck import check_gradients
from nblib.shapes import ShapeError


def problem(n_in, n_hidden, n_out, m, seed):
    rng = np.random.default_rng(seed)
    params = two_layer.init_params(n_in, n_hidden, n_out, seed=seed, scale=1.0)
    params["b_ih"] = rng.normal(0, 0.5, (n_hidden, 1))
    params["b_ho"] = rng.normal(0, 0.5, (n_out, 1))
    X = rng.normal(0, 1, (n_in, m))
    Y = rng.uniform(0.05, 0.95, (n_out, m))
    return params, X, Y


@settings(max_examples=40, deadline=None)
@given(n_in=st.integers(1, 5), n_hidden=st.integers(1, 6), n_out=st.integers(1, 3), m=st.integers(1, 7),
       seed=st.integers(0, 10_000), reduction=st.sampled_from(["sum", "mean"]))
def test_backward_matches_central_differences(n_in, n_hidden, n_out, m, seed, reduction):
    params, X, Y = problem(n_in, n_hidden, n_out, m, seed)
    grads = two_layer.backward(X, Y, params, two_layer.forward(X, params), reduction)
    # Central differences carry round-off of about 1e-16·E/eps ≈ 1e-11·E in absolute terms, so an entry
    # below about 1e-3·E cannot be checked to 1e-7 relative error; such draws are skipped, not loosened.
    E = two_layer.loss(X, Y, params, reduction)
    assume(min(np.min(np.abs(g)) for g in grads.values()) > 1e-3 * max(E, 1e-2))
    report = check_gradients(lambda p: two_layer.loss(X, Y, p, reduction), params, grads)
    assert report.ok, str(report)


def test_mean_is_sum_divided_by_m():
    params, X, Y = problem(4, 5, 1, 6, seed=3)
    cache = two_layer.forward(X, params)
    total = two_layer.backward(X, Y, params, cache, "sum")
    mean = two_layer.backward(X, Y, params, cache, "mean")
    for key in total:
        np.testing.assert_allclose(mean[key], total[key] / 6, rtol=1e-14)
    assert two_layer.loss(X, Y, params, "mean") == pytest.approx(two_layer.loss(X, Y, params) / 6, rel=1e-14)


def test_article_shapes_4_5_1():
    params = two_layer.init_params(4, 5, 1, seed=0)
    assert {k: v.shape for k, v in params.items()} == {"W_ih": (4, 5), "b_ih": (5, 1), "W_ho": (5, 1), "b_ho": (1, 1)}
    X = np.sin(np.arange(24.0)).reshape(4, 6)
    cache = two_layer.forward(X, params)
    assert {k: v.shape for k, v in cache.items()} == {"Z1": (5, 6), "h1": (5, 6), "Z2": (1, 6), "O": (1, 6)}
    grads = two_layer.backward(X, np.full((1, 6), 0.5), params, cache)
    assert {k: v.shape for k, v in grads.items()} == {k: v.shape for k, v in params.items()}


def test_init_is_seeded():
    a, b = two_layer.init_params(seed=7), two_layer.init_params(seed=7)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W_ih"], two_layer.init_params(seed=8)["W_ih"])


def test_shape_errors_name_the_argument_and_hint():
    params = two_layer.init_params(4, 5, 1, seed=0)
    X = np.zeros((4, 6))
    with pytest.raises(ShapeError, match=r"W_ho has shape \(1, 5\), expected \(5, 1\).*W_ho.T"):
        two_layer.forward(X, {**params, "W_ho": params["W_ho"].T})
    with pytest.raises(ValueError, match=r"X has shape \(6, 4\).*X.T"):
        two_layer.forward(X.T, params)
    with pytest.raises(ShapeError, match=r"b_ih has shape \(5,\).*keepdims"):
        two_layer.forward(X, {**params, "b_ih": np.zeros(5)})
    with pytest.raises(ShapeError, match=r"Y has shape \(6, 1\), expected \(1, 6\).*Y.T"):
        two_layer.backward(X, np.zeros((6, 1)), params, two_layer.forward(X, params))
    with pytest.raises(KeyError, match="missing"):
        two_layer.forward(X, {"W_ih": params["W_ih"]})
    with pytest.raises(TypeError, match="cache must be a dict.*returned by forward"):
        two_layer.backward(X, np.zeros((1, 6)), params, None)
    with pytest.raises(ValueError, match="X contains"):
        two_layer.forward(np.full((4, 6), np.nan), params)
    with pytest.raises(ValueError, match="learning_rate"):
        two_layer.gradient_step(params, params, -1.0)


def test_one_step_lowers_the_loss_and_training_converges():
    params, X, Y = problem(4, 5, 1, 6, seed=11)
    grads = two_layer.backward(X, Y, params, two_layer.forward(X, params))
    stepped = two_layer.gradient_step(params, grads, 0.1)
    assert two_layer.loss(X, Y, stepped) < two_layer.loss(X, Y, params)
    lines = []
    trained, losses = two_layer.train(X, Y, params, 1.0, 300, "mean", every=100, report=lines.append)
    assert losses[-1] < 0.5 * losses[0] and len(losses) == 301
    assert lines[0].startswith("epoch     0") and len(lines) == 4
    assert params["W_ih"] is not trained["W_ih"]  # params not modified in place


@pytest.mark.parametrize("reduction, rate", [("mean", 3.0), ("sum", 0.05), ("mean", 150.0)])
def test_train_equals_the_checked_step_by_step_loop_bit_for_bit(reduction, rate):
    """train's later epochs skip the input checks; the numbers are those of forward/backward/gradient_step."""
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(4, 9)), rng.uniform(0.1, 0.9, size=(1, 9))
    params = two_layer.init_params(4, 5, 1, seed=2)
    trained, losses = two_layer.train(X, Y, params, rate, 30, reduction=reduction)
    p, expected = params, []
    for _ in range(30):
        cache = two_layer.forward(X, p)
        expected.append(two_layer.loss(X, Y, p, reduction))
        p = two_layer.gradient_step(p, two_layer.backward(X, Y, p, cache, reduction), rate)
    expected.append(two_layer.loss(X, Y, p, reduction))
    assert np.array_equal(losses, np.array(expected))
    assert all(np.array_equal(trained[k], p[k]) for k in two_layer.PARAM_KEYS)


def test_train_still_refuses_while_backwards_exercise_is_checked_and_names_a_divergence():
    from nblib._exercise_guard import HelperRefused, refusing

    X, Y = np.ones((4, 3)), np.full((1, 3), 0.5)
    params = two_layer.init_params(4, 5, 1, seed=0)
    with refusing({"nblib.two_layer.backward"}), pytest.raises(HelperRefused):
        two_layer.train(X, Y, params, 0.1, 5)
    # A step of 1e308 × a gradient of order 100 overflows to inf: the next epoch's checks name it.
    X, Y = np.full((4, 1000), 0.1), np.zeros((1, 1000))
    with pytest.raises(ValueError, match="training diverged at epoch 1"), np.errstate(all="ignore"):
        two_layer.train(X, Y, params, 1e308, 5, reduction="sum")
