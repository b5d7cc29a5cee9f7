"""Lesson 03's four exercises (nblib.exercises.matrix_shapes): what each check guarantees.

Per exercise: the stub fails "not written yet", the solution and correct alternatives (loops, np.einsum, a list
instead of a tuple) pass, every named mistake gets its own message naming the step of the derivation, the nblib
helper that is the answer is refused, and a result hard-coded from a fixed case fails on the random cases.
"""

import re

import numpy as np
import pytest

import nblib
from nblib import two_layer
from nblib.exercises import CheckFailed
from nblib.exercises.matrix_shapes import (
    cases,
    check_backward,
    check_bias_gradient,
    check_hidden_gradients,
    check_output_gradients,
    reference,
)

# --- the solutions, and correct alternatives ----------------------------------------------------------------


def output_gradients(h1, O, Y):
    delta2 = (O - Y) * O * (1 - O)
    return delta2, h1 @ delta2.T


def bias_gradient(delta):
    return delta.sum(axis=1, keepdims=True)


def hidden_gradients(X, W_ho, h1, delta2):
    delta1 = (W_ho @ delta2) * h1 * (1 - h1)
    return delta1, X @ delta1.T


def backward(X, Y, params, cache):
    delta2, dW_ho = output_gradients(cache["h1"], cache["O"], Y)
    delta1, dW_ih = hidden_gradients(X, params["W_ho"], cache["h1"], delta2)
    return {"W_ih": dW_ih, "b_ih": bias_gradient(delta1), "W_ho": dW_ho, "b_ho": bias_gradient(delta2)}


def output_gradients_loops(h1, O, Y):
    n_hidden, m = h1.shape
    delta2 = np.zeros(O.shape)
    dW_ho = np.zeros((n_hidden, O.shape[0]))
    for k in range(O.shape[0]):
        for n in range(m):
            delta2[k, n] = (O[k, n] - Y[k, n]) * O[k, n] * (1 - O[k, n])
            for j in range(n_hidden):
                dW_ho[j, k] += h1[j, n] * delta2[k, n]
    return [delta2, dW_ho]  # a list: only unpacking matters


def bias_gradient_loops(delta):
    out = np.zeros((delta.shape[0], 1))
    for n in range(delta.shape[1]):
        out[:, 0] += delta[:, n]
    return out


def hidden_gradients_einsum(X, W_ho, h1, delta2):
    delta1 = np.einsum("jk,kn->jn", W_ho, delta2) * nblib.sigmoid_gradient(np.log(h1 / (1 - h1)))
    return [delta1, np.einsum("in,jn->ij", X, delta1)]


def backward_dot(X, Y, params, cache):
    O, h1 = cache["O"], cache["h1"]
    d2 = (O - Y) * O * (1 - O)
    d1 = np.dot(params["W_ho"], d2) * h1 * (1 - h1)
    return {"b_ho": np.dot(d2, np.ones((d2.shape[1], 1))), "W_ho": np.dot(h1, d2.T), "W_ih": np.dot(X, d1.T),
            "b_ih": np.dot(d1, np.ones((d1.shape[1], 1)))}


CHECKS = {"output_gradients": (check_output_gradients, output_gradients, output_gradients_loops),
          "bias_gradient": (check_bias_gradient, bias_gradient, bias_gradient_loops),
          "hidden_gradients": (check_hidden_gradients, hidden_gradients, hidden_gradients_einsum),
          "backward": (check_backward, backward, backward_dot)}


def stub(*args):
    raise NotImplementedError("Write the body of f() (see the text above), then run the check cell below.")


@pytest.mark.parametrize("name", CHECKS)
def test_the_stub_is_not_written_yet(name):
    with pytest.raises(CheckFailed, match=rf"^{name} is not written yet"):
        CHECKS[name][0](stub)


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_solution_and_alternative_pass(name, seed, capsys):
    check, solution, alternative = CHECKS[name]
    check(solution, seed=seed)
    check(alternative, seed=seed)
    assert capsys.readouterr().out.count("✔") == 2


def test_the_solution_passes_without_a_seed(capsys):
    for check, solution, _ in CHECKS.values():
        check(solution)
    assert capsys.readouterr().out.count("✔") == 4


def test_the_cases_cover_the_shape_coincidences():
    sizes = [(X.shape[0], p["W_ih"].shape[1], Y.shape[0], X.shape[1]) for _, X, Y, p in cases(7)]
    assert any(m == n_hidden for n_in, n_hidden, n_out, m in sizes)
    assert any(m not in (n_hidden, 1) for n_in, n_hidden, n_out, m in sizes)
    assert any(m == n_in != n_hidden for n_in, n_hidden, n_out, m in sizes)
    assert any(m == 1 for *_, m in sizes)
    assert any(n_out >= 2 and m == 1 for n_in, n_hidden, n_out, m in sizes)
    assert any(n_out >= 2 and m == n_hidden for n_in, n_hidden, n_out, m in sizes)
    assert len(sizes) == len(cases()) + 2  # two random nets


# --- every derivative against central differences (float64) -------------------------------------------------


@pytest.mark.parametrize("index", range(7))
def test_every_derivative_matches_central_differences(index):
    label, X, Y, params = cases(3)[index]
    r = reference(X, Y, params)
    report = nblib.check_gradients(lambda p: two_layer.loss(X, Y, p), params,
                                   {k: r[f"d{k}"] for k in ("W_ih", "b_ih", "W_ho", "b_ho")})
    assert report.verdict.startswith("PASS"), (label, report.verdict)
    # δ2 = dE/dZ2 and δ1 = dE/dZ1: E as a function of the pre-activations themselves
    cache = two_layer.forward(X, params)

    def E_of_Z2(p):
        return nblib.half_squared_error(Y, nblib.sigmoid(p["Z2"]))

    def E_of_Z1(p):
        return nblib.half_squared_error(Y, nblib.sigmoid(params["W_ho"].T @ nblib.sigmoid(p["Z1"]) + params["b_ho"]))

    assert nblib.check_gradients(E_of_Z2, {"Z2": cache["Z2"].copy()}, {"Z2": r["delta2"]}).verdict.startswith("PASS")
    assert nblib.check_gradients(E_of_Z1, {"Z1": cache["Z1"].copy()}, {"Z1": r["delta1"]}).verdict.startswith("PASS")
    # the bias gradient of exercise 2 is the column sum of δ, and δ is nblib's bias gradient of each observation alone
    assert np.allclose(bias_gradient(r["delta1"]), r["db_ih"], rtol=1e-14, atol=0)
    for n in range(X.shape[1]):
        one = reference(X[:, [n]], Y[:, [n]], params)
        assert np.allclose(one["db_ho"][:, 0], r["delta2"][:, n], rtol=1e-12, atol=1e-15)
        assert np.allclose(one["db_ih"][:, 0], r["delta1"][:, n], rtol=1e-12, atol=1e-15)


# --- named mistakes: each gets its own message, naming the step it breaks ------------------------------------


def _d2(O, Y):
    return (O - Y) * O * (1 - O)


def _d1(W_ho, h1, d2):
    return (W_ho @ d2) * h1 * (1 - h1)


def _inplace_O(h1, O, Y):
    O *= 1 - O  # in place: O is the caller's array
    return (O - Y) * O, h1 @ ((O - Y) * O).T


def _inplace_delta(delta):
    delta /= 1.0
    delta[0, 0] += 1.0
    return delta.sum(axis=1, keepdims=True)


def _inplace_h1(X, W_ho, h1, delta2):
    h1 *= 1 - h1
    d1 = (W_ho @ delta2) * h1
    return d1, X @ d1.T


OUTPUT_SLIPS = {
    "h1.T @ delta2.T (shape coincidence)": (
        lambda h1, O, Y: (_d2(O, Y), h1.T @ _d2(O, Y).T),
        r"dW_ho .*h1\.T @ delta2\.T: it runs only because m = n_hidden = 5 .*step 2 of the derivation"),
    "missing σ′": (lambda h1, O, Y: (O - Y, h1 @ (O - Y).T),
                   r"delta2 .*the factor O ∗ \(1 − O\) = σ′\(Z2\) is missing \(step 1 of the derivation"),
    "transpose": (lambda h1, O, Y: (_d2(O, Y), _d2(O, Y) @ h1.T),
                  r"dW_ho has shape \(2, 5\), expected \(5, 2\): it looks like delta2 @ h1\.T, the transpose .*step 2"),
    "1/m": (lambda h1, O, Y: (_d2(O, Y) / O.shape[1], h1 @ _d2(O, Y).T / O.shape[1]),
            r"delta2 .*an extra 1/m \(m = 5\).*step 1"),
    "sign": (lambda h1, O, Y: (-_d2(O, Y), -h1 @ _d2(O, Y).T), r"delta2 .*the sign is flipped.*step 1"),
    "σ(O) for O": (lambda h1, O, Y: ((O - Y) * nblib.sigmoid_gradient(O), None), r"delta2 .*σ′ was applied to O"),
    "float32": (lambda h1, O, Y: (_d2(O, Y).astype(np.float32), None), r"delta2 has dtype float32"),
    "in place": (_inplace_O, r"changed its input O in place"),
    "one array": (lambda h1, O, Y: h1 @ _d2(O, Y).T, r"should return two arrays, `return delta2, dW_ho`"),
    "nblib helper": (lambda h1, O, Y: (None, two_layer.backward(None, Y, {}, {})["W_ho"]),
                     r"calls nblib\.two_layer\.backward: write it yourself"),
}

BIAS_SLIPS = {
    "no keepdims": (lambda d: d.sum(axis=1),
                    r"shape \(2,\), expected \(2, 1\): .*without keepdims=True.*steps 3 and 6"),
    "axis=0": (lambda d: d.sum(axis=0, keepdims=True),
               r"shape \(1, 5\), expected \(2, 1\): .*a sum over the units \(axis=0\)"),
    "axis=0 as a column (coincidence)": (
        lambda d: d.sum(axis=0, keepdims=True).T if d.shape[0] == d.shape[1] else d.sum(axis=1, keepdims=True),
        r"δ1 of shape \(5, 5\).*a sum over axis=0 turned into a column: it runs only because m = n = 5"),
    "mean (1/m)": (lambda d: d.mean(axis=1, keepdims=True), r"a mean, not a sum: an extra 1/m \(m = 5\)"),
    "row": (lambda d: np.ones((1, d.shape[1])) @ d.T, r"shape \(1, 2\), expected \(2, 1\): .*article's order 1ᵀ · δᵀ"),
    "all entries": (lambda d: np.sum(d), r"shape \(\), expected \(2, 1\): .*the sum of every entry"),
    "float32": (lambda d: d.sum(axis=1, keepdims=True, dtype=np.float32), r"has dtype float32"),
    "in place": (_inplace_delta, r"changed its input delta in place"),
    "nblib helper": (lambda d: two_layer.backward(None, d, {}, {})["b_ho"],
                     r"calls nblib\.two_layer\.backward: write it yourself"),
}

HIDDEN_SLIPS = {
    "missing σ′": (lambda X, W, h1, d2: (W @ d2, X @ (W @ d2).T),
                   r"delta1 .*the factor h1 ∗ \(1 − h1\) = σ′\(Z1\) is missing \(step 4 of the derivation"),
    "X @ delta1 (shape coincidence)": (
        lambda X, W, h1, d2: (_d1(W, h1, d2), X @ _d1(W, h1, d2)),
        r"dW_ih .*X @ delta1: it runs only because m = n_hidden = 5 .*step 5 of the derivation"),
    "X.T @ delta1.T (shape coincidence)": (
        lambda X, W, h1, d2: (_d1(W, h1, d2), X.T @ _d1(W, h1, d2).T if X.shape[1] == X.shape[0] else
                              X @ _d1(W, h1, d2).T),
        r"m = n_in = 4: dW_ih .*X\.T @ delta1\.T: it runs only because m = n_in = 4"),
    "transpose": (lambda X, W, h1, d2: (_d1(W, h1, d2), _d1(W, h1, d2) @ X.T),
                  r"dW_ih has shape \(5, 4\), expected \(4, 5\): .*delta1 @ X\.T, the transpose"),
    "wrong layer's cache": (lambda X, W, h1, d2: (_d1(W, h1, d2), h1 @ _d1(W, h1, d2).T),
                            r"dW_ih has shape \(5, 5\), expected \(4, 5\): .*the wrong layer's input.*step 5"),
    "only output 1": (lambda X, W, h1, d2: (W[:, :1] * d2[:1] * h1 * (1 - h1), None),
                      r"delta1 .*only output 1's path.*step 4"),
    "outputs summed apart": (lambda X, W, h1, d2: (W.sum(axis=1, keepdims=True) * d2.sum(axis=0) * h1 * (1 - h1),
                                                   None), r"delta1 .*summed over the outputs separately"),
    "σ′(h1)": (lambda X, W, h1, d2: ((W @ d2) * nblib.sigmoid_gradient(h1), None), r"σ′ was applied to h1"),
    "1/m": (lambda X, W, h1, d2: (_d1(W, h1, d2) / X.shape[1], None), r"delta1 .*an extra 1/m \(m = 5\)"),
    "in place": (_inplace_h1, r"changed its input h1 in place"),
    "nblib helper": (lambda X, W, h1, d2: (None, two_layer.backward(X, None, {}, {})["W_ih"]),
                     r"calls nblib\.two_layer\.backward: write it yourself"),
    "float32": (lambda X, W, h1, d2: (_d1(W, h1, d2), (X @ _d1(W, h1, d2).T).astype(np.float32)),
                r"dW_ih has dtype float32"),
    "broadcast instead of a product": (lambda X, W, h1, d2: (W * d2 * h1 * (1 - h1), None),
                                       r"hidden_gradients failed on .*W \* d2: shapes \(5, 2\) and \(2, 5\) do not "
                                       r"broadcast"),
}


def _backward_with(key, value):
    def slip(X, Y, params, cache):
        grads = backward(X, Y, params, cache)
        grads[key] = value(X, Y, params, cache, grads)
        return grads
    return slip


BACKWARD_SLIPS = {
    "h1.T @ delta2.T": (_backward_with("W_ho", lambda X, Y, p, c, g: c["h1"].T @ _d2(c["O"], Y).T),
                        r"grads\['W_ho'\] .*h1\.T @ delta2\.T: it runs only because m = n_hidden = 5"),
    "b_ih mean": (_backward_with("b_ih", lambda X, Y, p, c, g: g["b_ih"] / X.shape[1]),
                  r"grads\['b_ih'\] .*a mean, not a sum: an extra 1/m \(m = 5\)"),
    "b_ho flat": (_backward_with("b_ho", lambda X, Y, p, c, g: g["b_ho"].ravel()),
                  r"grads\['b_ho'\] has shape \(2,\), expected \(2, 1\): .*without keepdims"),
    "W_ih missing σ′": (_backward_with("W_ih", lambda X, Y, p, c, g: X @ (p["W_ho"] @ _d2(c["O"], Y)).T),
                        r"grads\['W_ih'\] .*δ1 without its factor h1 ∗ \(1 − h1\) \(step 4"),
    "missing key": (lambda X, Y, p, c: {k: v for k, v in backward(X, Y, p, c).items() if k != "b_ho"},
                    r"missing key\(s\) \['b_ho'\]"),
    "nblib": (lambda X, Y, p, c: two_layer.backward(X, Y, p, c),
              r"calls nblib\.two_layer\.backward: write it yourself"),
}


def _expect(check, slip, pattern):
    with pytest.raises(CheckFailed) as failure:
        check(slip, seed=5)
    assert re.search(pattern, str(failure.value)), str(failure.value)
    return str(failure.value)


@pytest.mark.parametrize("name", OUTPUT_SLIPS)
def test_output_gradients_names_each_mistake(name):
    slip, pattern = OUTPUT_SLIPS[name]
    _expect(check_output_gradients, slip, pattern)


@pytest.mark.parametrize("name", BIAS_SLIPS)
def test_bias_gradient_names_each_mistake(name):
    slip, pattern = BIAS_SLIPS[name]
    _expect(check_bias_gradient, slip, pattern)


@pytest.mark.parametrize("name", HIDDEN_SLIPS)
def test_hidden_gradients_names_each_mistake(name):
    slip, pattern = HIDDEN_SLIPS[name]
    _expect(check_hidden_gradients, slip, pattern)


@pytest.mark.parametrize("name", BACKWARD_SLIPS)
def test_backward_names_each_mistake(name):
    slip, pattern = BACKWARD_SLIPS[name]
    _expect(check_backward, slip, pattern)


def test_the_messages_differ():
    for table, check in ((OUTPUT_SLIPS, check_output_gradients), (BIAS_SLIPS, check_bias_gradient),
                         (HIDDEN_SLIPS, check_hidden_gradients), (BACKWARD_SLIPS, check_backward)):
        messages = [_expect(check, slip, pattern) for slip, pattern in table.values()]
        assert len(set(messages)) == len(messages)


def test_a_shape_coincidence_that_fails_to_run_names_the_product():
    # at m = 6 ≠ n_hidden the same slip does not run: the message names both shapes and the fix
    def slip(h1, O, Y):
        delta2 = _d2(O, Y)
        return delta2, h1.T @ delta2.T

    text = _expect(check_output_gradients, slip, r"")
    assert "runs only because m = n_hidden = 5" in text


@pytest.mark.parametrize("name", CHECKS)
def test_results_hard_coded_for_every_fixed_case_fail_on_the_random_ones(name):
    check, solution, _ = CHECKS[name]
    table = {}

    def key(args):
        return tuple(np.asarray(a).tobytes() for a in args if isinstance(a, np.ndarray))

    def memorise(*args):
        table[key(args)] = solution(*args)
        return table[key(args)]

    def hard_coded(*args):  # knows the answer of every fixed case, nothing else
        return table.get(key(args), table[next(iter(table))])

    check(memorise, seed=9)
    fixed = {k for k in table}
    table.clear()
    check(memorise, seed=10)  # the fixed cases again: only the random ones are new
    table = {k: v for k, v in table.items() if k in fixed}
    with pytest.raises(CheckFailed, match=r"random case 1 \(seed 11.*repeats them"):
        check(hard_coded, seed=11)
