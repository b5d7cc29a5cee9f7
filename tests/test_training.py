"""nblib.training and lesson 08's check and explorer."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib import deep  # noqa: E402
from nblib._exercise_guard import refusing  # noqa: E402
from nblib.exercises import CheckFailed  # noqa: E402
from nblib.exercises.capstone import check_one_epoch, reference_epoch  # noqa: E402
from nblib.training import accuracy, one_hot_columns, per_example_gradients, train_minibatch  # noqa: E402
from nblib.widgets import capstone  # noqa: E402

X = np.sin(np.arange(60.0) * 0.7).reshape(4, 15)
labels = np.arange(15) % 3
Y = one_hot_columns(labels, 3)
ACTS = ["relu", "sigmoid"]


def test_one_hot_columns_and_errors():
    np.testing.assert_array_equal(one_hot_columns(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match="0 … 2"):
        one_hot_columns(np.array([3]), 3)
    with pytest.raises(ValueError, match="whole-number"):
        one_hot_columns(np.array([0.5]), 3)


def test_per_example_loop_equals_vectorised():
    params = deep.initialize_parameters([4, 5, 3], seed=2)
    AL, caches = deep.model_forward(X, params, ACTS)
    vectorised = deep.model_backward(AL, Y, caches, ACTS)
    looped = per_example_gradients(X, Y, params, ACTS)
    for key, value in looped.items():
        np.testing.assert_allclose(value, vectorised[key], rtol=1e-12, atol=1e-15)


def test_need_dA0_false_gives_the_same_weight_gradients():
    params = deep.initialize_parameters([4, 5, 3], seed=2)
    AL, caches = deep.model_forward(X, params, ACTS)
    full = deep.model_backward(AL, Y, caches, ACTS)
    lean = deep.model_backward(AL, Y, caches, ACTS, need_dA0=False)
    assert "dA0" not in lean and set(full) - set(lean) == {"dA0"}
    for key in lean:
        np.testing.assert_array_equal(lean[key], full[key])


def test_training_learns_and_is_seeded():
    params = deep.initialize_parameters([4, 8, 3], seed=1)
    a = train_minibatch(X, Y, params, ACTS, 0.5, 200, 4, seed=3)
    b = train_minibatch(X, Y, params, ACTS, 0.5, 200, 4, seed=3)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert accuracy(deep.model_forward(X, a, ACTS)[0], labels) > accuracy(deep.model_forward(X, params, ACTS)[0],
                                                                           labels)
    with pytest.raises(ValueError, match="Y has 2"):
        train_minibatch(X, Y[:, :2], params, ACTS, 0.5, 1, 4)


def test_check_one_epoch():
    with pytest.raises(CheckFailed, match="one_epoch calls nblib.deep.model_forward: write it yourself"):
        check_one_epoch(reference_epoch)  # nblib's whole-network helpers refuse: the learner writes the epoch
    with pytest.raises(CheckFailed, match="not written yet"):
        check_one_epoch(lambda *a: (_ for _ in ()).throw(NotImplementedError()))

    def full_batch(X, Y, parameters, activations, learning_rate, batch_size, order, lambd):
        with refusing(()):  # the test lets nblib compute the slip
            return reference_epoch(X, Y, parameters, activations, learning_rate, X.shape[1], np.arange(X.shape[1]),
                                   lambd)

    with pytest.raises(CheckFailed, match="single full-batch step"):
        check_one_epoch(full_batch)
    with pytest.raises(CheckFailed, match="missing key"):
        check_one_epoch(lambda *a: {})


def test_digit_probe_and_explorer():
    Xd = np.abs(np.sin(np.arange(640.0))).reshape(64, 10)
    p = deep.initialize_parameters([64, 5, 10], seed=0)
    v = capstone.digit_probe(3, p, ACTS, Xd, np.arange(10))
    assert v["outputs"].shape == (10,) and v["label"] == 3 and 0 <= v["prediction"] <= 9
    with pytest.raises(ValueError, match="index must be"):
        capstone.digit_probe(10, p, ACTS, Xd, np.arange(10))
    w = capstone.digit_probe_explorer(p, ACTS, Xd, np.arange(10))
    w.children[0].value = 4
    assert w.kwargs["index"] == 4
    plt.close("all")


def test_decay_scales_each_epochs_step_size():
    params = deep.initialize_parameters([4, 8, 3], seed=1)
    # decay 0 is plain SGD; with decay d, epoch e takes steps of learning_rate / (1 + d·e)
    plain = train_minibatch(X, Y, params, ACTS, 0.5, 3, 4, seed=3)
    assert all(np.array_equal(plain[k], train_minibatch(X, Y, params, ACTS, 0.5, 3, 4, seed=3, decay=0.0)[k])
               for k in plain)
    rng = np.random.default_rng(3)
    expected = params
    for epoch in range(3):
        expected = reference_epoch(X, Y, expected, ACTS, 0.5 / (1 + 0.7 * epoch), 4, rng.permutation(15))
    decayed = train_minibatch(X, Y, params, ACTS, 0.5, 3, 4, seed=3, decay=0.7)
    for key in expected:
        np.testing.assert_allclose(decayed[key], expected[key], rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="decay"):
        train_minibatch(X, Y, params, ACTS, 0.5, 1, 4, decay=-0.1)
