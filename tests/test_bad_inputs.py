"""Issue 14's named cases: each was a silent wrong result or a message that blamed the wrong thing."""

import numpy as np
import pytest

from nblib import deep, losses, octave, training, two_layer
from nblib.house_prices import load_house_prices
from nblib.shapes import ShapeError

M = np.array([[0.2, 0.4, 0.6]])
Y3 = np.array([[0.0, 1.0, 1.0]])


def sum_of_squares(t):
    return float((t ** 2).sum())


# --- silent wrong results -------------------------------------------------------------------------------


@pytest.mark.parametrize("theta", [np.array([[1.0], [2.0], [3.0]]), np.array([[1.0, 2.0, 3.0]]),
                                   np.array([1.0, 2.0, 3.0]), np.array([[1.0, 2.0], [3.0, 4.0]])])
def test_compute_numerical_gradient_of_any_shape(theta):
    numgrad = octave.compute_numerical_gradient(sum_of_squares, theta)
    assert numgrad.shape == theta.shape
    np.testing.assert_allclose(numgrad, 2 * theta, rtol=1e-8)


def test_compute_numerical_gradient_refuses_e_and_J_by_name():
    with pytest.raises(ValueError, match=r"e must lie in \(0.0, 1.0\), got 0"):
        octave.compute_numerical_gradient(sum_of_squares, np.ones(3), e=0)
    with pytest.raises(TypeError, match="J must be a function"):
        octave.compute_numerical_gradient(None, np.ones(3))


def test_accuracy_labels():
    AL = np.eye(10)[:, [9, 0, 3, 0, 4]]          # predicts the digits 9 0 3 0 4
    assert training.accuracy(AL, np.array([9, 0, 3, 0, 4])) == 1.0
    assert training.accuracy(AL, np.array([[9], [0], [3], [0], [4]])) == 1.0   # an (m, 1) column
    with pytest.raises(ValueError, match=r"labels must lie in 0 … 9.*1-based.*labels % 10"):
        training.accuracy(AL, np.array([10, 1, 4, 1, 5]))                     # digits.npz's 1-based labels
    with pytest.raises(TypeError, match="labels is None"):
        training.accuracy(AL, None)
    with pytest.raises(ValueError, match=r"labels has 3 entries but AL has 5 columns"):
        training.accuracy(AL, np.array([9, 0, 3]))


def test_load_house_prices_m():
    for m in (1, True, 241, 2.0):
        with pytest.raises((TypeError, ValueError), match="m must"):
            load_house_prices(m)
    np.testing.assert_array_equal(load_house_prices(np.int64(10)).X, load_house_prices(10).X)
    with pytest.raises(ValueError, match="m = 2 rows give bedrooms a single value"):
        load_house_prices(2)                     # both rows have the same number of bedrooms
    assert np.all(np.isfinite(load_house_prices(5).X))


@pytest.mark.parametrize("bad, error", [(None, TypeError), ("0.5", TypeError), (np.ones((2, 2)) + 1j, TypeError),
                                        (np.array([[np.nan]]), ValueError)])
def test_unroll_refuses_what_is_not_a_real_matrix(bad, error):
    with pytest.raises(error, match="Theta1"):
        octave.unroll(bad, np.ones((2, 2)))


@pytest.mark.parametrize("eps", [0.6, 0.01, 0.0, -1e-15, float("nan"), None, "1e-15"])
def test_binary_cross_entropy_eps_is_a_guard_only(eps):
    with pytest.raises((TypeError, ValueError), match="eps must"):
        losses.binary_cross_entropy(M, Y3, eps=eps)
    true = -np.mean(Y3 * np.log(M) + (1 - Y3) * np.log(1 - M))
    assert losses.binary_cross_entropy(M, Y3) == pytest.approx(true, rel=1e-12)


def test_empty_batches_are_refused_by_name():
    with pytest.raises(ValueError, match=r"A has shape \(1, 0\): no observations"):
        losses.binary_cross_entropy(M[:, :0], Y3[:, :0])
    with pytest.raises(ValueError, match=r"Y has shape \(1, 0\): no observations"):
        losses.half_squared_error(Y3[:, :0], M[:, :0], "mean")
    assert losses.half_squared_error(Y3[:, :0], M[:, :0], "sum") == 0.0     # an empty sum is 0
    params = two_layer.init_params(4, 5, 1)
    with pytest.raises(ValueError, match=r"X has shape \(4, 0\): no observations"):
        two_layer.train(np.zeros((4, 0)), np.zeros((1, 0)), params, 0.5, 1, report=lambda s: None)


def network():
    X = np.sin(np.arange(12.0)).reshape(4, 3)
    Y = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    params = deep.initialize_parameters([4, 3, 2], seed=1)
    AL, caches = deep.model_forward(X, params, ["relu", "sigmoid"])
    return X, Y, params, AL, caches


def test_model_backward_refuses_the_labels_compute_cost_refuses():
    _, Y, _, AL, caches = network()
    with pytest.raises(ValueError, match=r"Y must hold labels in \[0, 1\]"):
        deep.compute_cost(AL, 2 * Y)
    with pytest.raises(ValueError, match=r"Y must hold labels in \[0, 1\]"):
        deep.model_backward(AL, 2 * Y, caches, ["relu", "sigmoid"])


def test_nan_does_not_pass_through_updates_and_backward():
    X, Y, params, AL, caches = network()
    grads = deep.model_backward(AL, Y, caches, ["relu", "sigmoid"])
    with pytest.raises(ValueError, match=r"grads\['dW1'\] contains 1 non-finite value\(s\) \(NaN\)"):
        deep.update_parameters(params, {**grads, "dW1": np.where(grads["dW1"] == grads["dW1"][0, 0], np.nan,
                                                                  grads["dW1"])}, 0.1)
    p = two_layer.init_params(4, 5, 1)
    Xh, Yh = np.sin(np.arange(12.0)).reshape(4, 3), np.array([[0.2, 0.5, 0.8]])
    cache = two_layer.forward(Xh, p)
    g = two_layer.backward(Xh, Yh, p, cache)
    with pytest.raises(ValueError, match=r"grads\['b_ho'\] contains 1 non-finite value\(s\) \(NaN\)"):
        two_layer.gradient_step(p, {**g, "b_ho": np.array([[np.nan]])}, 0.1)
    with pytest.raises(ValueError, match=r"cache\['O'\] contains 3 non-finite value\(s\) \(NaN\)"):
        two_layer.backward(Xh, Yh, p, {**cache, "O": cache["O"] * np.nan})


# --- messages that blamed the wrong thing or crashed raw ------------------------------------------------


def test_a_disagreeing_pair_blames_the_odd_one_out():
    X, Y, params, AL, caches = network()
    W, b = params["W1"], params["b1"]
    with pytest.raises(ShapeError, match=r"^W has shape \(4, 3\), expected \(3, 4\).*did you mean W.T\?"):
        deep.linear_forward(X, W.T, b)
    with pytest.raises(ShapeError, match=r"^AL has shape \(3, 2\), expected \(2, 3\).*did you mean AL.T\?"):
        deep.model_backward(AL.T, Y, caches, ["relu", "sigmoid"])
    T1, T2 = octave.debug_initialize_weights(5, 3), octave.debug_initialize_weights(3, 5)
    with pytest.raises(ShapeError, match=r"^X has shape \(4, 2\): 2 features \(columns\), but Theta1 \(5, 4\)"):
        octave.forward(T1, T2, np.ones((4, 2)))
    with pytest.raises(ShapeError, match=r"^Y has shape \(3, 1\) but O has shape \(1, 3\).*did you mean Y.T\?"):
        losses.half_squared_error(Y3.T, M)


def test_malformed_structures_are_named_with_the_expected_structure():
    X, Y, params, AL, caches = network()
    A, W, b = caches[0][0]
    with pytest.raises(TypeError, match=r"cache must be the tuple \(A_prev, W, b\) as returned by linear_forward, "
                                        r"got a tuple of 2 items"):
        deep.linear_backward(np.ones((3, 3)), (A, W))
    with pytest.raises(TypeError, match=r"activations must be a list of one activation per layer.*got NoneType"):
        deep.model_forward(X, params, None)
    p = two_layer.init_params(4, 5, 1)
    out = two_layer.forward(X, {k: v.tolist() for k, v in p.items()})   # list-valued params are converted
    np.testing.assert_array_equal(out["O"], two_layer.forward(X, p)["O"])
    with pytest.raises(KeyError, match=r"params is missing 'b_ho': expected keys \{'W_ih', 'b_ih', 'W_ho', 'b_ho'\}"):
        two_layer.forward(X, {k: v for k, v in p.items() if k != "b_ho"})
    with pytest.raises(TypeError, match=r"caches\[0\] must be \(\(A_prev, W, b\), Z\)"):
        deep.model_backward(AL, Y, [caches[0][0], caches[1]], ["relu", "sigmoid"])


def test_the_fast_update_path_equals_the_checked_one():
    """update_parameters skips its per-array checks when every input is a finite float64 array of the right
    shape; any other input (an int learning rate, lists) takes the checked path, with the same numbers."""
    _, Y, params, AL, caches = network()
    grads = deep.model_backward(AL, Y, caches, ["relu", "sigmoid"])
    fast = deep.update_parameters(params, grads, 0.5)
    checked = deep.update_parameters({k: v.tolist() for k, v in params.items()}, grads, np.float32(0.5))
    assert fast.keys() == checked.keys()
    for key in fast:
        np.testing.assert_array_equal(fast[key], checked[key])
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(
            ValueError, match=r"the updated parameters\['W1'\] is not finite.*learning_rate or grads"):
        deep.update_parameters(params, {**grads, "dW1": grads["dW1"] * 1e300}, 1e300)


# --- issue 27: the newer modules, the widgets, nblib.redraw, the tools, sizes without a ceiling -----------------

import fuzz_cases_more as more  # noqa: E402

ISSUE_27 = more.issue_rows() + more.size_rows()
OTHER_ROWS = more.tool_rows() + more.function_rows()


@pytest.mark.parametrize("row", ISSUE_27, ids=[row.label for row in ISSUE_27])
def test_issue_27s_adversarial_inputs_are_handled(row):
    """Each is refused by an error naming the argument (expected and actual) or gives the right result; no overflow
    warning leaks (RuntimeWarnings are errors here); the tools refuse with a usage line and exit status ≠ 0."""
    category, detail = row.run()
    assert category in more.HANDLED, f"{row.label}: {category}: {detail}"


@pytest.mark.parametrize("row", OTHER_ROWS, ids=[row.label for row in OTHER_ROWS])
def test_every_widget_redraw_plots_data_function_and_tool_refuses_a_bad_argument(row):
    category, detail = row.run()
    assert category in more.HANDLED, f"{row.label}: {category}: {detail}"


def test_every_public_function_of_the_widgets_redraw_plots_and_data_has_a_row():
    rows = {row.label.split("(")[0] for row in OTHER_ROWS}
    for module in more.COVERED_MODULES:
        for name in more.public_functions(module):
            assert name in rows or name in more.NO_ARGUMENT, f"{name} has no bad-input row (tests/fuzz_cases_more.py)"


def test_every_tool_has_a_command_line_row():
    tools = {p.name for p in more.TOOLS.glob("*.py")} - set(more.TOOLS_WITHOUT_A_COMMAND_LINE)
    assert tools == set(more.TOOLS_WITH_A_COMMAND_LINE), tools ^ set(more.TOOLS_WITH_A_COMMAND_LINE)
    labelled = " ".join(row.label for row in ISSUE_27 + OTHER_ROWS)
    assert all(tool in labelled for tool in tools), [t for t in tools if t not in labelled]


def test_sizes_a_lesson_uses_stay_allowed():
    """The ceilings are far above every lesson's sizes: the largest each lesson uses still works."""
    two_layer.init_params(64, 32, 10)
    octave.rand_initialize_weights(64, 25)
    assert octave.one_hot([10], 10).shape == (1, 10)
    assert training.one_hot_columns([9], 10).shape == (10, 1)
    deep.initialize_parameters([64, 32, 10])
    with pytest.raises(ValueError, match=r"epochs must be at most 1,000,000 \(epochs; no lesson needs more\), got "
                                         r"1,000,001"):
        two_layer.train(M.repeat(4, axis=0), Y3, two_layer.init_params(), 0.1, 10 ** 6 + 1)
    with pytest.raises(ValueError, match=r"n_hidden must be at most 10,000"):
        two_layer.init_params(4, 10_001)


def test_finite_inputs_near_the_float64_limit_leak_no_overflow_warning():
    import warnings

    from nblib import activations
    from nblib.validate import as_float_array

    big = np.array([[1e308, 1e308], [-1e308, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert as_float_array("x", big) is big
        np.testing.assert_array_equal(activations.softmax(big), [[1.0, 0.5], [0.0, 0.5]])
        np.testing.assert_array_equal(activations.relu(big), np.maximum(big, 0))
    with pytest.raises(ValueError, match="x contains 1 non-finite value"):
        as_float_array("x", np.array([1e308, np.inf]))


# --- every other public name of nblib (tests/fuzz_cases_public.py) ---------------------------------------------------

import fuzz_cases_public as public  # noqa: E402

PUBLIC_ROWS = public.rows()


@pytest.mark.parametrize("row", PUBLIC_ROWS, ids=[row.label for row in PUBLIC_ROWS])
def test_every_other_public_name_of_nblib_refuses_a_bad_argument(row):
    """progress, progress_report, quiz, questionnaires, solutions, gradcheck's report classes, shapes, the house-price
    split, autodiff's backward rules and every exercise check: a named error or the right result."""
    category, detail = row.run()
    assert category in more.HANDLED, f"{row.label}: {category}: {detail}"


def test_every_public_name_of_nblib_has_a_fuzz_row_or_a_reasoned_exemption():
    names = public.public_names()
    assert {"nblib.quiz.judge", "nblib.progress.load", "nblib.autodiff.matmul_backward",
            "nblib.widgets.graph.draw_graph", "nblib.exercises.sigmoid.check_sigmoid_gradient"} <= set(names)
    have = public.covered()
    missing = sorted(n for n in names if n not in have and public.exemption(n) is None)
    assert not missing, f"public names of nblib without a bad-input row (add one to tests/fuzz_cases_public.py, or " \
                        f"an exemption with its reason): {missing}"
    stale = [n for n in public.EXEMPT if n not in names and not any(k.startswith(n + ".") for k in names)]
    assert not stale, f"exemptions of names nblib no longer has: {stale}"


def test_the_coverage_test_sees_a_function_without_a_row(monkeypatch):
    """The listing is not vacuous: a new public function of a module without rows is reported."""
    from nblib import progress

    def brand_new(x):
        return x

    brand_new.__module__ = "nblib.progress"
    monkeypatch.setattr(progress, "brand_new", brand_new, raising=False)
    names = public.public_names()
    assert "nblib.progress.brand_new" in names
    assert "nblib.progress.brand_new" not in public.covered() and public.exemption("nblib.progress.brand_new") is None
