"""nblib.gradcheck: central differences, relative error, and the gradient report."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nblib.gradcheck import check_gradients, numerical_gradient, relative_error, relative_errors
from nblib.shapes import ShapeError


def test_numerical_gradient_every_entry_and_restores_x():
    x = np.sin(np.arange(1.0, 13.0)).reshape(3, 4)
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        return float(np.sum(v**3))

    g = numerical_gradient(f, x)
    assert len(calls) == 2 * x.size
    np.testing.assert_array_equal(x, before)
    assert relative_error(g, 3 * x**2) <= 1e-9


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_numerical_gradient_input_errors():
    with pytest.raises(TypeError, match="x must be a float64 NumPy array.*int64"):
        numerical_gradient(lambda v: 0.0, np.arange(3))
    with pytest.raises(TypeError, match="f must"):
        numerical_gradient(None, np.zeros(2))
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: 0.0, np.zeros(2), eps=0)
    with pytest.raises(TypeError, match="f must return a single real number"):
        numerical_gradient(lambda v: v, np.zeros(2))
    with pytest.raises(ValueError, match="x contains"):
        numerical_gradient(lambda v: 0.0, np.array([np.nan]))


def test_relative_error_cs231n_form():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert relative_error([0.0], [1e-10]) == pytest.approx(1e-2)  # floor 1e-8 in the denominator
    with pytest.raises(ShapeError, match="transpose"):
        relative_errors(np.zeros((2, 3)), np.zeros((3, 2)))


# Random smooth functions: f(W, b) = sum(c * tanh(W @ x + b)^2) with a fan-out through z.
@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 4), k=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_random_functions_analytic_equals_numerical(n, k, seed):
    rng = np.random.default_rng(seed)
    params = {"W": rng.normal(size=(k, n)), "b": rng.normal(size=(k, 1))}
    x = rng.normal(size=(n, 1))
    c = rng.normal(size=(k, 1))

    def f(p):
        z = p["W"] @ x + p["b"]
        return float(np.sum(c * np.tanh(z) ** 2) + 0.5 * np.sum(z**2))  # z feeds two terms (fan-out)

    z = params["W"] @ x + params["b"]
    dz = c * 2 * np.tanh(z) * (1 - np.tanh(z) ** 2) + z  # both paths accumulate
    grads = {"W": dz @ x.T, "b": dz}
    # Round-off in a central difference is about 1e-11·|f|; entries far below that scale cannot be checked to 1e-7.
    assume(min(np.min(np.abs(g)) for g in grads.values()) > 1e-3 * max(abs(f(params)), 1.0))
    report = check_gradients(f, params, grads)
    assert report.ok, str(report)

    overwritten = {"W": (z) @ x.T, "b": z}  # second path overwrote the first
    if np.max(np.abs(c * np.tanh(z) * (1 - np.tanh(z) ** 2))) > 1e-3:
        assert not check_gradients(f, params, overwritten).ok


def _problem():
    params = {"W1": np.sin(np.arange(6.0)).reshape(2, 3), "b1": np.cos(np.arange(2.0)).reshape(2, 1)}

    def f(p):
        return float(np.sum(p["W1"] ** 2) + np.sum(np.exp(p["b1"])))

    good = {"dW1": 2 * params["W1"], "db1": np.exp(params["b1"])}
    return f, params, good


def test_report_pass_text_and_html():
    f, params, good = _problem()
    report = check_gradients(f, params, good)
    assert report.ok and report.wrong == []
    assert report.verdict.startswith("PASS: all 2 gradients")
    text = str(report)
    assert "dW1" in text and "db1" in text and "< 1e-" in text
    html = report._repr_html_()
    assert html.startswith("<table>") and "PASS" in html


def test_report_orders_structure_before_values_and_names_every_wrong_gradient():
    f, params, good = _problem()
    bad = {"dW1": good["dW1"] * 2, "db1": good["db1"].ravel(), "dA0": np.zeros(1)}
    report = check_gradients(f, params, bad)
    assert not report.ok
    assert [r.status for r in report.rows] == ["extra", "shape", "wrong"]
    assert report.verdict == "FAIL: unexpected key: dA0; wrong shape: db1; wrong values: dW1"
    assert "keepdims" in report["db1"].detail
    assert report["dW1"].worst_index is not None and report["dW1"].max_rel_error == pytest.approx(1 / 3)
    ignored = check_gradients(f, params, {**good, "dA0": np.zeros(1)}, ignore=["dA0"])
    assert ignored.ok


def test_worst_index_of_a_scaled_gradient_is_its_largest_difference():
    """A missing 1/m scales every entry, so every relative error is the same up to round-off; the report must
    still name one entry the same way on every machine: the one where analytic and numerical differ most."""
    c = np.array([[0.3, -2.0, 0.7], [1.1, 0.05, -0.9]])
    params = {"W": np.ones((2, 3))}

    def f(p):
        return float(np.sum(c * p["W"]))

    for scale, nudge in ((1 / 6, 1 - 1e-7), (6.0, 1 + 1e-7)):
        g = c * scale
        g[1, 2] *= nudge  # round-off-sized: (1, 2) now has the largest relative error, by ~1e-8
        report = check_gradients(f, params, {"dW": g})
        assert report["dW"].max_rel_error == pytest.approx(5 / 7)
        assert report["dW"].worst_index == (0, 1), scale  # |analytic − numerical| is largest where |c| is


def test_report_missing_and_empty():
    f, params, good = _problem()
    report = check_gradients(f, params, {})
    assert report.verdict == "FAIL: missing: dW1, db1"
    report = check_gradients(f, params, {"dW1": good["dW1"]})
    assert report.wrong == ["db1"]


def test_report_restores_params_and_rejects_bad_arguments():
    f, params, good = _problem()
    before = {k: v.copy() for k, v in params.items()}
    check_gradients(f, params, good)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    with pytest.raises(TypeError, match="params must be a non-empty dict"):
        check_gradients(f, {}, good)
    with pytest.raises(TypeError, match=r"params\['W'\] must be a float64"):
        check_gradients(f, {"W": np.arange(3)}, {})
    with pytest.raises(TypeError, match="grads must be a dict"):
        check_gradients(f, params, [1])
    report = check_gradients(f, params, {"dW1": good["dW1"], "db1": np.array([[np.nan], [0.0]])})
    assert report["db1"].status == "type" and "NaN" in report["db1"].detail


def test_entries_near_zero_are_judged_against_round_off_not_relatively():
    # Lesson 03's reproducer: an entry of 0.0226657 whose last digits round-off decides, once marked FAIL.
    W = np.array([[0.3, -1e-9], [2.0, 0.5]])

    def f(p):
        return float(np.sum(np.sin(p["W"]) * 1e3))  # |f| ~ 1e3: round-off ~1e-13·1e3 / 1e-5 = 1e-5 per entry

    report = check_gradients(f, {"W": W}, {"dW": 1e3 * np.cos(W)})
    assert report.ok, str(report)
    assert not check_gradients(f, {"W": W}, {"dW": 1e3 * np.cos(W) * 1.001}).ok


def test_a_relu_kink_within_eps_is_reported_as_a_kink_not_a_wrong_gradient():
    W = np.array([[2e-6, 1.0]])
    x = np.array([[1.0], [0.5]])

    def f(p):
        return float(np.sum(np.maximum(p["W"] @ x, 0.0) ** 1) + np.sum(np.maximum(p["W"], 0.0)))

    # d/dW of relu(W x) + Σ relu(W): W[0,0] = 2e-6 sits within ε = 1e-5 of relu's corner.
    analytic = {"dW": (1.0 * x.T) + (W > 0)}
    report = check_gradients(f, {"W": W}, analytic)
    assert report.ok and report["dW"].status == "kink" and report["dW"].kinks == 1, str(report)
    assert "kink" in report.verdict and report.verdict.startswith("PASS")
    # a wrong value at the same entry is still wrong
    assert not check_gradients(f, {"W": W}, {"dW": analytic["dW"] * np.array([[1.0, 1.5]])}).ok


def test_a_small_error_above_round_off_is_look_closer_and_fails():
    W = np.array([[1.0, 2.0]])
    report = check_gradients(lambda p: float(np.sum(p["W"] ** 2)), {"W": W}, {"dW": 2 * W * (1 + 1e-6)})
    assert report["dW"].status == "look closer" and not report.ok
    assert "look closer" in report.verdict and report.verdict.startswith("FAIL")


def test_values_are_printed_with_the_digits_that_tell_them_apart():
    W = np.array([[0.0226657]])
    report = check_gradients(lambda p: float(np.sum(p["W"] ** 2)), {"W": W}, {"dW": 2 * W * (1 + 2e-6)})
    analytic, numerical = report["dW"].detail.split("analytic ")[1].split(", numerical ")
    assert analytic != numerical


def test_a_transposed_view_a_nan_parameter_and_ignore_none():
    base = np.arange(1.0, 7.0).reshape(2, 3)
    view = base.T  # not contiguous: nudged through its own indices, so f (which reads base) sees every nudge
    report = check_gradients(lambda p: float(np.sum(base ** 2)), {"W": view}, {"dW": 2 * view}, ignore=None)
    assert report.ok, str(report)
    with pytest.raises(ValueError, match=r"params\['W'\] contains 1 non-finite"):
        check_gradients(lambda p: 0.0, {"W": np.array([np.nan, 1.0])}, {"dW": np.zeros(2)})
    with pytest.raises(TypeError, match="ignore must be a list"):
        check_gradients(lambda p: 0.0, {"W": np.zeros(2)}, {"dW": np.zeros(2)}, ignore=3)
