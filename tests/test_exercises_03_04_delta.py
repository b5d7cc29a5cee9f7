"""Lesson 04's four exercises (nblib.exercises.delta_rule_232): what each check guarantees.

Per exercise: the stub fails "not written yet", the solution and a correct alternative (loops for exercise 1;
np.einsum, broadcasting for exercises 2–4, which refuse a Python loop by name) pass,
every named mistake gets its own message naming the step of the derivation, the nblib helper that is the answer
is refused, and results hard-coded for every fixed case fail on the random ones. Every quantity is checked
against central differences of E in float64.
"""

import re

import numpy as np
import pytest

import nblib
from nblib import delta_rule
from nblib.exercises import CheckFailed
from nblib.exercises.delta_rule_232 import (
    cases,
    check_delta_W1,
    check_delta_W2,
    check_hidden_deltas,
    check_output_deltas,
    reference,
)


def output_deltas(x, d, W1, W2):
    return d - W2.T @ nblib.sigmoid(W1.T @ x)


def hidden_deltas(h, W2, delta_out):
    return h * (1 - h) * (W2 @ delta_out)


def delta_W2(x, h, delta_hidden, delta_out, eta):
    return eta * np.outer(h, delta_out)


def delta_W1(x, h, delta_hidden, delta_out, eta):
    return eta * np.outer(x, delta_hidden)


def output_deltas_loops(x, d, W1, W2):
    n_in, n_hidden = W1.shape
    h = [1 / (1 + np.exp(-sum(W1[i, j] * x[i] for i in range(n_in)))) for j in range(n_hidden)]
    return np.array([d[k] - sum(W2[j, k] * h[j] for j in range(n_hidden)) for k in range(W2.shape[1])])


def hidden_deltas_einsum(h, W2, delta_out):
    return np.einsum("j,jk,k->j", h * (1 - h), W2, delta_out)


def delta_W2_broadcast(x, h, delta_hidden, delta_out, eta):
    return eta * h[:, None] * delta_out[None, :]


def delta_W1_einsum(x, h, delta_hidden, delta_out, eta):
    return eta * np.einsum("i,j->ij", x, delta_hidden)


CHECKS = {"output_deltas": (check_output_deltas, output_deltas, output_deltas_loops),
          "hidden_deltas": (check_hidden_deltas, hidden_deltas, hidden_deltas_einsum),
          "delta_W2": (check_delta_W2, delta_W2, delta_W2_broadcast),
          "delta_W1": (check_delta_W1, delta_W1, delta_W1_einsum)}


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


def test_the_solutions_pass_without_a_seed(capsys):
    for check, solution, _ in CHECKS.values():
        check(solution)
    assert capsys.readouterr().out.count("✔") == 4


def test_the_cases_cover_the_shape_coincidences():
    sizes = [(W1.shape[0], W1.shape[1], W2.shape[1]) for _, (x, d, W1, W2, eta) in cases(4)]
    assert (2, 3, 2) in sizes and (2, 3, 1) in sizes
    assert any(K == n_hidden for _, n_hidden, K in sizes)
    assert any(n_in == n_hidden != K for n_in, n_hidden, K in sizes)
    assert len(sizes) == len(cases()) + 2
    assert all(eta != 1.0 for _, (*_, eta) in cases(4))


@pytest.mark.parametrize("index", range(6))
def test_every_quantity_matches_central_differences(index):
    label, (x, d, W1, W2, eta) = cases(8)[index]
    r = reference(x, d, W1, W2, eta)

    def E(p):
        return 0.5 * np.sum((d - p["W2"].T @ nblib.sigmoid(p["W1"].T @ x)) ** 2)

    report = nblib.check_gradients(E, {"W1": W1.copy(), "W2": W2.copy()},
                                   {"W1": -r["dW1"] / eta, "W2": -r["dW2"] / eta})
    assert report.verdict.startswith("PASS"), (label, report.verdict)
    # δ_out = −∂E/∂y and δ_hidden = −∂E/∂z, with E written in y and in z themselves
    by_y = nblib.check_gradients(lambda p: 0.5 * np.sum((d - p["y"]) ** 2), {"y": r["y"].copy()},
                                 {"y": -r["delta_out"]})
    by_z = nblib.check_gradients(lambda p: 0.5 * np.sum((d - W2.T @ nblib.sigmoid(p["z"])) ** 2),
                                 {"z": r["z"].copy()}, {"z": -r["delta_hidden"]})
    assert by_y.verdict.startswith("PASS") and by_z.verdict.startswith("PASS")


def test_with_one_output_the_reference_is_nblib_delta_rule():
    _, (x, d, W1, W2, eta) = cases()[3]
    r = reference(x, d, W1, W2, eta)
    changes = delta_rule.weight_changes(x, d[0], W1, W2[:, 0], eta)
    assert np.allclose(r["dW1"], changes["dW1"], rtol=1e-13, atol=0)
    assert np.allclose(r["dW2"][:, 0], changes["dW2"], rtol=1e-13, atol=0)


def _y(x, W1, W2):
    return W2.T @ nblib.sigmoid(W1.T @ x)


def _inplace_x(x, d, W1, W2):
    x *= 1.0
    x[0] += 0.5
    return d - _y(x, W1, W2)


def _inplace_h(h, W2, delta_out):
    h *= 1 - h
    return h * (W2 @ delta_out)


def _inplace_delta(x, h, delta_hidden, delta_out, eta):
    delta_out *= eta
    return np.outer(h, delta_out)


def _inplace_dh(x, h, delta_hidden, delta_out, eta):
    delta_hidden *= eta
    return np.outer(x, delta_hidden)


OUTPUT_SLIPS = {
    "W2 @ h (K = n_hidden)": (lambda x, d, W1, W2: d - W2 @ nblib.sigmoid(W1.T @ x),
                              r"W2 @ h: it runs only because K = n_hidden = 3 .*step 1 of the derivation"),
    "W1 @ x (n_in = n_hidden)": (
        lambda x, d, W1, W2: d - W2.T @ nblib.sigmoid(W1 @ x) if W1.shape[0] == W1.shape[1] else d - _y(x, W1, W2),
        r"3-3-2 network .*W1 @ x: it runs only because n_in = n_hidden = 3"),
    "sign": (lambda x, d, W1, W2: _y(x, W1, W2) - d, r"the sign is flipped: y − d .*step 2 of the derivation"),
    "σ at the output": (lambda x, d, W1, W2: d - nblib.sigmoid(_y(x, W1, W2)), r"a σ on the output.*step 1"),
    "σ′ of the output": (lambda x, d, W1, W2: (d - _y(x, W1, W2)) * _y(x, W1, W2) * (1 - _y(x, W1, W2)),
                         r"an extra factor y\(1 − y\).*step 2"),
    "hidden without σ": (lambda x, d, W1, W2: d - W2.T @ (W1.T @ x), r"the hidden layer without σ.*step 1"),
    "factor 2": (lambda x, d, W1, W2: 2 * (d - _y(x, W1, W2)), r"2\(d − y\): the ½ .*step 2"),
    "float32": (lambda x, d, W1, W2: (d - _y(x, W1, W2)).astype(np.float32), r"delta_out has dtype float32"),
    "in place": (_inplace_x, r"changed its input x in place"),
    "a matrix product that does not fit": (lambda x, d, W1, W2: d - W2.T @ nblib.sigmoid(W1 @ x),
                                           r"output_deltas failed on .*W1 @ x: \(2, 3\) @ \(2,\)"),
    "nblib helper": (lambda x, d, W1, W2: delta_rule.deltas(x, d, W1, W2)["delta_out"],
                     r"calls nblib\.delta_rule\.deltas: write it yourself"),
}

HIDDEN_SLIPS = {
    "W2.T @ delta_out (K = n_hidden)": (lambda h, W2, do: h * (1 - h) * (W2.T @ do),
                                        r"W2\.T @ delta_out: it runs only because K = n_hidden = 3 .*step 3"),
    "missing σ′": (lambda h, W2, do: W2 @ do, r"the factor h\(1 − h\) = σ′\(z\) is missing \(step 3"),
    "σ′(h)": (lambda h, W2, do: nblib.sigmoid_gradient(h) * (W2 @ do), r"σ′ was applied to h"),
    "only output 1": (lambda h, W2, do: h * (1 - h) * W2[:, 0] * do[0], r"only output 1's path.*Σ_k"),
    "not summed": (lambda h, W2, do: (h * (1 - h))[:, None] * W2 * do,
                   r"shape \(3, 3\), expected \(3,\): .*not summed"),
    "sum over axis 0 (K = n_hidden)": (lambda h, W2, do: h * (1 - h) * (W2 * do).sum(axis=0),
                                       r"a sum over axis=0: it runs only because K = n_hidden = 3"),
    "summed apart": (lambda h, W2, do: h * (1 - h) * W2.sum(axis=1) * do.sum(), r"summed over the outputs separately"),
    "sign": (lambda h, W2, do: -h * (1 - h) * (W2 @ do), r"delta_hidden .*the sign is flipped"),
    "in place": (_inplace_h, r"changed its input h in place"),
    "float32": (lambda h, W2, do: (h * (1 - h) * (W2 @ do)).astype(np.float32), r"dtype float32"),
    "nblib helper": (lambda h, W2, do: delta_rule.deltas(np.ones(2), 1.0, np.ones((2, 3)), W2[:, 0])["delta_hidden"],
                     r"calls nblib\.delta_rule\.deltas: write it yourself"),
}

W2_SLIPS = {
    "turned round (K = n_hidden)": (lambda x, h, dh, do, eta: eta * np.outer(do, h),
                                    r"np\.outer\(delta_out, h\): it runs only because K = n_hidden = 3 .*step 4"),
    "wrong layer's input": (lambda x, h, dh, do, eta: eta * np.outer(x, do),
                            r"ΔW2 has shape \(2, 3\), expected \(3, 3\): .*the wrong layer's input.*step 4"),
    "wrong layer's δ": (lambda x, h, dh, do, eta: eta * np.outer(h, dh), r"ΔW2 .*the wrong layer's δ.*step 4"),
    "missing η": (lambda x, h, dh, do, eta: np.outer(h, do), r"η is missing \(step 4"),
    "−η": (lambda x, h, dh, do, eta: -eta * np.outer(h, do), r"−η: .*climbs \(step 4"),
    "elementwise": (lambda x, h, dh, do, eta: eta * h * do,
                    r"shape \(3,\), expected \(3, 3\): .*h \* delta_out multiplies entry by entry"),
    "in place": (_inplace_delta, r"changed its input delta_out in place"),
    "float32": (lambda x, h, dh, do, eta: np.outer(h, do).astype(np.float32) * np.float32(eta), r"dtype float32"),
    "nblib helper": (lambda x, h, dh, do, eta: delta_rule.weight_changes(x, 1.0, np.ones((2, 3)), h, eta)["dW2"],
                     r"calls nblib\.delta_rule\.weight_changes: write it yourself"),
}

W1_SLIPS = {
    "wrong layer's δ (K = n_hidden)": (lambda x, h, dh, do, eta: eta * np.outer(x, do),
                                       r"ΔW1 .*only because K = n_hidden here: the wrong layer's δ.*step 5"),
    "turned round": (lambda x, h, dh, do, eta: eta * np.outer(dh, x),
                     r"ΔW1 has shape \(3, 2\), expected \(2, 3\): .*turned round.*step 5"),
    "turned round (n_in = n_hidden)": (
        lambda x, h, dh, do, eta: eta * (np.outer(dh, x) if x.size == h.size else np.outer(x, dh)),
        r"3-3-2 network .*np\.outer\(delta_hidden, x\): it runs only because n_in = n_hidden = 3"),
    "wrong layer's input": (lambda x, h, dh, do, eta: eta * np.outer(h, dh),
                            r"ΔW1 has shape \(3, 3\), expected \(2, 3\): .*the wrong layer's input.*step 5"),
    "missing η": (lambda x, h, dh, do, eta: np.outer(x, dh), r"η is missing \(step 5"),
    "−η": (lambda x, h, dh, do, eta: -eta * np.outer(x, dh), r"−η: .*\(step 5"),
    "in place": (_inplace_dh, r"changed its input delta_hidden in place"),
    "float32": (lambda x, h, dh, do, eta: (eta * np.outer(x, dh)).astype(np.float32), r"ΔW1 has dtype float32"),
    "nblib helper": (lambda x, h, dh, do, eta: delta_rule.weight_changes(x, 1.0, np.ones((2, 3)), h, eta)["dW1"],
                     r"calls nblib\.delta_rule\.weight_changes: write it yourself"),
}

TABLES = {"output_deltas": OUTPUT_SLIPS, "hidden_deltas": HIDDEN_SLIPS, "delta_W2": W2_SLIPS, "delta_W1": W1_SLIPS}


def _failure(check, slip):
    with pytest.raises(CheckFailed) as failure:
        check(slip, seed=5)
    return str(failure.value)


@pytest.mark.parametrize(("name", "slip"), [(n, s) for n, table in TABLES.items() for s in table])
def test_each_named_mistake_gets_its_message(name, slip):
    function, pattern = TABLES[name][slip]
    text = _failure(CHECKS[name][0], function)
    assert re.search(pattern, text), text


@pytest.mark.parametrize("name", TABLES)
def test_the_messages_differ(name):
    messages = [_failure(CHECKS[name][0], function) for function, _ in TABLES[name].values()]
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize("name", CHECKS)
def test_results_hard_coded_for_every_fixed_case_fail_on_the_random_ones(name):
    check, solution, _ = CHECKS[name]
    table = {}

    def key(args):
        return tuple(np.asarray(a).tobytes() for a in args)

    def memorise(*args):
        table[key(args)] = solution(*args)
        return table[key(args)]

    check(memorise, seed=9)
    fixed = {k: v for k, v in table.items()}
    table.clear()
    check(memorise, seed=10)
    known = {k: v for k, v in table.items() if k in fixed}
    assert len(known) == len(cases())

    def hard_coded(*args):
        return known.get(key(args), next(iter(known.values())))

    with pytest.raises(CheckFailed, match=r"random case 1 \(seed 11.*repeats them"):
        check(hard_coded, seed=11)


def delta_W2_loops(x, h, delta_hidden, delta_out, eta):
    out = np.zeros((h.size, delta_out.size))
    for j in range(h.size):
        for k in range(delta_out.size):
            out[j, k] = eta * delta_out[k] * h[j]
    return out


def delta_W1_comprehension(x, h, delta_hidden, delta_out, eta):
    return np.array([[eta * delta_hidden[j] * x[i] for j in range(h.size)] for i in range(x.size)])


def hidden_deltas_while(h, W2, delta_out):
    out, j = np.zeros(h.size), 0
    while j < h.size:
        out[j] = h[j] * (1 - h[j]) * (W2[j] @ delta_out)
        j += 1
    return out


@pytest.mark.parametrize(("name", "looped", "kind"), [("delta_W2", delta_W2_loops, "for loop"),
                                                      ("delta_W1", delta_W1_comprehension, "(for loop|comprehension)"),
                                                      ("hidden_deltas", hidden_deltas_while, "while loop")])
def test_exercises_2_to_4_refuse_a_python_loop_by_name(name, looped, kind):
    """The exercise asks for every unit at once: the right values computed in a loop are refused, naming the loop and
    the step — and the same values without a loop pass (the loop is what is refused, not the numbers)."""
    check, solution, _ = CHECKS[name]
    step = {"hidden_deltas": "step 3", "delta_W2": "step 4", "delta_W1": "step 5"}[name]
    text = _failure(check, looped)
    assert re.search(rf"^{name} uses a Python {kind}: .*without a loop — {step} of the derivation", text), text
    assert "np.outer(" not in text and "@" not in text


def test_exercise_1_the_warm_up_still_accepts_loops(capsys):
    check_output_deltas(output_deltas_loops, seed=3)
    assert "✔" in capsys.readouterr().out
