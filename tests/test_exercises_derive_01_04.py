"""The "derive it yourself" exercises of lessons 01–04 (issue 25 §2): swish′ (01), the Huber loss's ∂E/∂Z2 (02),
the backward pass with one example per row (03), δ through two hidden layers, tanh then σ (04).

Both sides of every check: the stub fails "not written yet", the notebook's solution passes on many seeds, correct
alternatives pass (loops, einsum, another form of the formula, a reuse of nblib's column-layout backward), each named
mistake gets its message, an answer hard-coded from the fixed cases fails on a random case, float32 and in-place
changes are refused; and every reference is checked against central differences in float64 (relative error ≤ 1e-7).
"""

import contextlib
import io
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nblib
from nblib import two_layer
from nblib.exercises import CheckFailed
from nblib.exercises import huber as HU
from nblib.exercises import rows_layout as RL
from nblib.exercises import swish as SW
from nblib.exercises import two_hidden as TH

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {"01": "01_sigmoid_gradient", "02": "02_chain_rule_W_ho_W_ih", "03": "03_matrix_shapes",
             "04": "04_delta_rule_2_3_1"}


def solution(lesson: str, name: str):
    namespace = {"np": np, "nblib": nblib, "two_layer": two_layer, "math": math}
    path = ROOT / "notebooks" / f"{NOTEBOOKS[lesson]}.ipynb"
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and f"def {name}(" in cell.source and "### BEGIN SOLUTION" in cell.source:
            exec(cell.source, namespace)  # noqa: S102 — the course's own notebook
            return namespace[name]
    raise LookupError(name)


swish_gradient = solution("01", "swish_gradient")
dE_dZ2_huber = solution("02", "dE_dZ2_huber")
rows_backward = solution("03", "rows_backward")
two_hidden_deltas = solution("04", "two_hidden_deltas")


def fails(check, fn, pattern, **kw):
    with pytest.raises(CheckFailed) as info:
        check(fn, **kw)
    assert re.search(pattern, str(info.value)), str(info.value)
    return str(info.value)


def stub(*args):
    raise NotImplementedError("write it")


def hard_coded(check, good):
    """Replay the right answers of the fixed cases; an unseen (random) input gets the first one."""
    table = []

    def spy(*a):
        table.append((a, good(*a)))
        return table[-1][1]

    with contextlib.redirect_stdout(io.StringIO()):
        check(spy, seed=0)

    def same(a, b):
        if isinstance(a, dict):
            return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)

    return lambda *a: next((out for args, out in table if all(same(x, y) for x, y in zip(args, a))), table[0][1])


def as32(out):
    if isinstance(out, dict):
        return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}
    if isinstance(out, tuple):
        return tuple(np.asarray(v, dtype=np.float32) for v in out)
    return np.asarray(out, dtype=np.float32)


# --- the alternatives and the slips ----------------------------------------------------------------------------

def _s(z):
    return nblib.sigmoid(z)


def swish_loops(z):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for i in np.ndindex(z.shape):
        s = 1 / (1 + math.exp(-z[i])) if z[i] >= 0 else math.exp(z[i]) / (1 + math.exp(z[i]))
        out[i] = s * (1 + z[i] * (1 - s))
    return out[()] if out.ndim == 0 else out


def huber_loops(O, Y, c):
    out = np.zeros(O.shape)
    for i, j in np.ndindex(O.shape):
        r = Y[i, j] - O[i, j]
        slope = r if abs(r) <= c else c * math.copysign(1.0, r)
        out[i, j] = -slope * O[i, j] * (1 - O[i, j])
    return out


def rows_by_columns(X, Y, p, cache):
    """Lesson 02/03's column layout on the transposed data: W's are the same, biases transposed."""
    cols = {"W_ih": p["W1"], "b_ih": p["b1"].T, "W_ho": p["W2"], "b_ho": p["b2"].T}
    g = two_layer.backward(X.T, Y.T, cols, two_layer.forward(X.T, cols))
    return {"W1": g["W_ih"], "b1": g["b_ih"].T, "W2": g["W_ho"], "b2": g["b_ho"].T}


def rows_einsum(X, Y, p, cache):
    H, O = cache["H"], cache["O"]
    D2 = (O - Y) * O * (1 - O)
    D1 = np.einsum("mk,jk->mj", D2, p["W2"]) * H * (1 - H)
    return {"W1": np.einsum("mi,mj->ij", X, D1), "b1": D1.sum(0)[None, :], "W2": np.einsum("mj,mk->jk", H, D2),
            "b2": np.einsum("mk->k", D2).reshape(1, -1)}


def _rows_with(**changes):
    def fn(X, Y, p, cache):
        H, O = cache["H"], cache["O"]
        D2 = (O - Y) * O * (1 - O)
        W2 = p["W2"]
        D1 = changes["D1"](D2, W2, H) if "D1" in changes else (D2 @ W2.T) * H * (1 - H)
        g = {"W2": H.T @ D2, "b2": D2.sum(axis=0, keepdims=True), "W1": X.T @ D1, "b1": D1.sum(axis=0, keepdims=True)}
        for key in ("W1", "b1", "W2", "b2"):
            if key in changes:
                g[key] = changes[key](X, H, D1, D2)
        return g
    return fn


def _huber_inplace(O, Y, c):
    out = dE_dZ2_huber(O, Y, c)
    O *= 1.0 + 1e-3
    return out


def two_hidden_loops(x, d, W1, W2, W3):
    n_in, n1 = W1.shape
    n2, K = W3.shape
    h1 = [math.tanh(sum(W1[i, j] * x[i] for i in range(n_in))) for j in range(n1)]
    h2 = [1 / (1 + math.exp(-sum(W2[j, m] * h1[j] for j in range(n1)))) for m in range(n2)]
    top = [d[k] - sum(W3[m, k] * h2[m] for m in range(n2)) for k in range(K)]
    d2 = np.array([h2[m] * (1 - h2[m]) * sum(W3[m, k] * top[k] for k in range(K)) for m in range(n2)])
    d1 = np.array([(1 - h1[j] ** 2) * sum(W2[j, m] * d2[m] for m in range(n2)) for j in range(n1)])
    return d1, d2


def two_hidden_einsum(x, d, W1, W2, W3):
    h1 = np.tanh(np.einsum("ij,i->j", W1, x))
    h2 = nblib.sigmoid(np.einsum("jm,j->m", W2, h1))
    d2 = h2 * (1 - h2) * np.einsum("mk,k->m", W3, d - np.einsum("mk,m->k", W3, h2))
    return 1 / np.cosh(np.einsum("ij,i->j", W1, x)) ** 2 * np.einsum("jm,m->j", W2, d2), d2


def _hidden_with(layer1=None, layer2=None):
    def fn(x, d, W1, W2, W3):
        h1 = np.tanh(W1.T @ x)
        h2 = nblib.sigmoid(W2.T @ h1)
        top = d - W3.T @ h2
        d2 = layer2(h2, W3, top) if layer2 else h2 * (1 - h2) * (W3 @ top)
        d1 = layer1(h1, W2, d2, W3, top) if layer1 else (1 - h1 ** 2) * (W2 @ d2)
        return d1, d2
    return fn


EXERCISES = {
    "swish_gradient": dict(
        check=SW.check_swish_gradient, good=swish_gradient,
        right={"loops with math": swish_loops,
               "σ(z)(1 + z·σ(−z))": lambda z: _s(z) * (1 + np.asarray(z, dtype=float) * _s(-np.asarray(z, float))),
               "swish/z form via e^(−|z|)": lambda z: _s(z) + np.asarray(z, float) * np.exp(
                   -np.abs(np.asarray(z, float))) / (1 + np.exp(-np.abs(np.asarray(z, float)))) ** 2},
        wrong={"σ alone": (_s, r"σ\(z\) alone: step 1's product rule has two terms"),
               "z·σ′ alone": (lambda z: np.asarray(z, float) * _s(z) * (1 - _s(z)), r"the term with u′ = \(z\)′ = 1"),
               "σ + σ′": (lambda z: _s(z) + _s(z) * (1 - _s(z)), r"step 3 — in uv′ the factor u = z is missing"),
               "u′v′": (lambda z: _s(z) * (1 - _s(z)), r"not u′v′"),
               "swish itself": (lambda z: np.asarray(z, float) * _s(z), r"swish itself"),
               "sign": (lambda z: _s(z) - np.asarray(z, float) * _s(z) * (1 - _s(z)), r"step 2 .* a sign is flipped"),
               "naive exp": (lambda z: (1 + np.exp(-z) + z * np.exp(-z)) / (1 + np.exp(-z)) ** 2,
                             r"overflow.*nblib\.sigmoid never overflows"),
               "nan at -1000": (lambda z: np.where(np.asarray(z) < -500, np.nan, swish_gradient(z)), r"NaN")}),
    "dE_dZ2_huber": dict(
        check=HU.check_dE_dZ2_huber, good=dE_dZ2_huber,
        right={"np.clip": lambda O, Y, c: np.clip(O - Y, -c, c) * O * (1 - O), "loops": huber_loops,
               "minimum/maximum": lambda O, Y, c: np.minimum(np.maximum(O - Y, -c), c) * (O - O ** 2)},
        wrong={"squared error's": (lambda O, Y, c: (O - Y) * O * (1 - O), r"squared error's signal: step 1"),
               "no σ′": (lambda O, Y, c: np.clip(O - Y, -c, c), r"∂E/∂O alone: step 2"),
               "sign": (lambda O, Y, c: np.clip(Y - O, -c, c) * O * (1 - O), r"sign is flipped: step 1 — r = Y − O"),
               "pieces swapped": (lambda O, Y, c: np.where(np.abs(O - Y) <= c, c * np.sign(O - Y), O - Y) * O * (1 - O),
                                  r"two pieces are swapped"),
               "±c everywhere": (lambda O, Y, c: c * np.sign(O - Y) * O * (1 - O),
                                 r"straight piece's slope everywhere"),
               "½ kept": (lambda O, Y, c: 0.5 * np.clip(O - Y, -c, c) * O * (1 - O), r"half the right values"),
               "σ′ of O": (lambda O, Y, c: np.clip(O - Y, -c, c) * _s(O) * (1 - _s(O)), r"σ′ applied to O: step 2"),
               "wrong threshold": (lambda O, Y, c: np.clip(O - Y, -c / 2, c / 2) * O * (1 - O),
                                   r"wrong values.*is \|Y − O\| there ≤ c or > c"),
               "in place": (_huber_inplace, r"changed its input O in place")}),
    "rows_backward": dict(
        check=RL.check_rows_backward, good=rows_backward,
        right={"nblib's column layout on Xᵀ": rows_by_columns, "einsum": rows_einsum},
        wrong={"bias as column": (_rows_with(b2=lambda X, H, D1, D2: D2.sum(axis=0)[:, None]),
                                  r"grads\['b2'\] has shape \(3, 1\), expected \(1, 3\): it looks like a column"),
               "bias over units": (_rows_with(b1=lambda X, H, D1, D2: D1.sum(axis=1, keepdims=True)),
                                   r"grads\['b1'\].*a sum over axis=1, the units"),
               "W2 not transposed": (_rows_with(D1=lambda D2, W2, H: (D2 @ W2) * H * (1 - H)),
                                     r"without its transpose: it runs only because n_h = n_out = 3"),
               "column layout's H @ D2ᵀ": (_rows_with(W2=lambda X, H, D1, D2: H @ D2.T),
                                           r"column layout's product carried over"),
               "transposed dW1": (_rows_with(W1=lambda X, H, D1, D2: D1.T @ X), r"the transpose of dE/dW1"),
               "no hidden σ′": (_rows_with(D1=lambda D2, W2, H: D2 @ W2.T), r"without σ′ of the hidden layer"),
               "H for X": (_rows_with(W1=lambda X, H, D1, D2: H.T @ D1), r"the wrong layer's input"),
               "mean": (_rows_with(W2=lambda X, H, D1, D2: H.T @ D2 / X.shape[0]), r"an extra 1/m \(m = 3\)")}),
    "two_hidden_deltas": dict(
        check=TH.check_two_hidden_deltas, good=two_hidden_deltas,
        right={"loops": two_hidden_loops, "einsum and 1/cosh²": two_hidden_einsum},
        wrong={"swapped": (lambda *a: two_hidden_deltas(*a)[::-1], r"two δ's are swapped"),
               "σ′ in layer 1": (_hidden_with(layer1=lambda h1, W2, d2, W3, top: h1 * (1 - h1) * (W2 @ d2)),
                                 r"σ′ in the first layer.*step 3"),
               "no tanh′": (_hidden_with(layer1=lambda h1, W2, d2, W3, top: W2 @ d2),
                            r"tanh′ of the first layer is missing"),
               "layer 2 skipped": (_hidden_with(layer1=lambda h1, W2, d2, W3, top: (1 - h1 ** 2) * (W2 @ (W3 @ top))),
                                   r"the second layer was skipped"),
               "W2ᵀ": (_hidden_with(layer1=lambda h1, W2, d2, W3, top: (1 - h1 ** 2) * (W2.T @ d2)),
                       r"W2ᵀ·δ2: it runs only because n1 = n2 = 3"),
               "tanh′ in layer 2": (_hidden_with(layer2=lambda h2, W3, top: (1 - h2 ** 2) * (W3 @ top)),
                                    r"delta2 .*tanh′ in the second layer"),
               "sign": (lambda *a: tuple(-v for v in two_hidden_deltas(*a)), r"delta2 .*sign is flipped"),
               "one array": (lambda *a: two_hidden_deltas(*a)[0], r"should return two arrays")}),
}


@pytest.mark.parametrize("name", list(EXERCISES))
def test_stub_fails_and_solution_and_alternatives_pass(name, capsys):
    ex = EXERCISES[name]
    fails(ex["check"], stub, "not written yet")
    for seed in range(12):
        ex["check"](ex["good"], seed=seed)
    for fn in ex["right"].values():
        for seed in range(6):
            ex["check"](fn, seed=seed)
    assert capsys.readouterr().out.count("✔") == 12 + 6 * len(ex["right"])


@pytest.mark.parametrize("name, slip", [(n, s) for n, ex in EXERCISES.items() for s in ex["wrong"]])
def test_each_named_mistake_gets_its_message(name, slip):
    fn, pattern = EXERCISES[name]["wrong"][slip]
    fails(EXERCISES[name]["check"], fn, pattern, seed=5)


@pytest.mark.parametrize("name", list(EXERCISES))
def test_hard_coded_answers_and_float32_fail(name):
    ex = EXERCISES[name]
    fails(ex["check"], hard_coded(ex["check"], ex["good"]), "random case")
    fails(ex["check"], lambda *a: as32(ex["good"](*a)), "dtype float32")


@pytest.mark.parametrize("name", list(EXERCISES))
def test_no_message_prints_a_right_formula(name):
    """A message names the slip and its step; it never quotes the answer's formula or code."""
    answers = {"swish_gradient": ["σ(z) + z", "s + z * s", "u′v + uv′ ="],
               "dE_dZ2_huber": ["np.clip", "clip(O − Y", "∗ O ∗ (1 − O)"],
               "rows_backward": ["H.T @ D2", "X.T @ D1", "Hᵀ", "Xᵀ", "axis=0, keepdims", "D2 @ W2.T", "W2ᵀ)"],
               "two_hidden_deltas": ["(1 − h1²)", "1 - h1", "W2 @ delta2", "W3 @", "h2(1 − h2)"]}[name]
    ex = EXERCISES[name]
    for fn, _ in ex["wrong"].values():
        with pytest.raises(CheckFailed) as info:
            ex["check"](fn, seed=5)
        for text in answers:
            assert text not in str(info.value), (text, str(info.value))


# --- the references against central differences, float64 ------------------------------------------------------

def test_swish_gradient_matches_central_differences():
    z = np.concatenate([np.linspace(-8.0, -1.5, 14), np.linspace(-1.0, 8.0, 19)])  # swish′ = 0 near z = −1.28
    numerical = nblib.numerical_gradient(lambda v: float(np.sum(SW.swish(v))), z.copy())
    assert nblib.relative_error(swish_gradient(z), numerical) <= 1e-7
    assert nblib.relative_error(SW._reference(z), numerical) <= 1e-7
    assert float(swish_gradient(0.0)) == 0.5 and float(swish_gradient(1000.0)) == 1.0
    assert float(swish_gradient(-1000.0)) == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_huber_signal_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    Z2 = rng.normal(0, 1.5, size=(2, 7))
    Y = rng.uniform(0, 1, size=(2, 7))
    c = 0.2
    r = Y - nblib.sigmoid(Z2)
    keep = np.abs(np.abs(r) - c) > 1e-3  # H_c″ jumps at |r| = c: a central difference across it is off by O(ε)
    numerical = nblib.numerical_gradient(lambda z: HU.huber_loss(Y, nblib.sigmoid(z), c), Z2.copy())
    analytic = dE_dZ2_huber(nblib.sigmoid(Z2), Y, c)
    assert nblib.relative_error(analytic[keep], numerical[keep]) <= 1e-7
    assert nblib.relative_error(HU._reference(nblib.sigmoid(Z2), Y, c)[keep], numerical[keep]) <= 1e-7


@pytest.mark.parametrize("index", range(6))
def test_rows_backward_matches_central_differences(index):
    _, X, Y, params = RL.cases(seed=3)[index]
    grads = rows_backward(X, Y, params, RL.forward(X, params))
    for key in params:
        numerical = nblib.numerical_gradient(lambda w, k=key: RL.loss(X, Y, {**params, k: w}), params[key].copy())
        assert nblib.relative_error(grads[key], numerical) <= 1e-7, key


@pytest.mark.parametrize("index", range(7))
def test_two_hidden_deltas_match_central_differences(index):
    _, x, d, W1, W2, W3 = TH.cases(seed=4)[index]
    delta1, delta2 = two_hidden_deltas(x, d, W1, W2, W3)

    def E_of_z1(z1):
        return 0.5 * float(np.sum((d - W3.T @ nblib.sigmoid(W2.T @ np.tanh(z1))) ** 2))

    def E_of_z2(z2):
        return 0.5 * float(np.sum((d - W3.T @ nblib.sigmoid(z2)) ** 2))

    z1 = W1.T @ x
    z2 = W2.T @ np.tanh(z1)
    num1 = -nblib.numerical_gradient(E_of_z1, z1.copy())
    num2 = -nblib.numerical_gradient(E_of_z2, z2.copy())
    assert nblib.relative_error(delta2, num2) <= 1e-7
    # saturated tanh units (case 5) have δ1 ≈ 1e-12: judged against the central difference's own round-off
    scale = max(1.0, float(np.max(np.abs(num1))))
    assert np.all(np.abs(delta1 - num1) <= np.maximum(1e-7 * (np.abs(delta1) + np.abs(num1)), 1e-9 * scale))


def test_the_fixed_cases_hold_the_domain_edges_and_the_size_coincidences():
    assert any(np.asarray(args[0]).ndim == 0 and float(args[0]) == 0.0 for _, args in SW.CASES)
    assert any(np.max(np.abs(args[0])) >= 1000 for _, args in SW.CASES)
    fixed = HU._fixed()
    r = np.abs(fixed[1][1][1] - fixed[1][1][0])
    assert np.any(r == 0.25) and np.any(r > 0.25) and np.any(r < 0.25)  # at, above and below c
    assert any(np.any(Y == O) for _, (O, Y, c) in fixed)
    shapes = [(X.shape[0], X.shape[1], p["W1"].shape[1], Y.shape[1]) for _, X, Y, p in RL.cases()]
    assert (3, 3, 3, 3) in shapes and (6, 4, 5, 1) in shapes and any(s[0] == 1 for s in shapes)
    nets = TH.cases()
    assert any(W2.shape[0] == W2.shape[1] for *_, W2, _ in nets) and any(W3.shape[1] == 2 for *_, W3 in nets)
    assert any(not np.any(x) for _, x, *_ in nets)
    assert any(np.max(np.abs(W1.T @ x)) > 30 for _, x, _, W1, *_ in nets)


# --- messages of lessons 01–04's other checks (issue 25 §7) -----------------------------------------------------

def test_a_single_number_gets_no_constant_factor_hint():
    from nblib.exercises.feedback import compare_array

    text = fails(lambda fn: compare_array("E", fn, np.array(1.0)), np.array(1.37), r"got 1\.37, expected 1")
    assert "constant factor" not in text
    fails(lambda fn: compare_array("E", fn, np.array([1.0, 2.0])), np.array([1.37, 2.74]), "constant factor of 1.37")


def _output_gradients(h1, O, Y):
    delta2 = (O - Y) * O * (1 - O)
    return delta2, h1 @ delta2.T


def test_lesson_03_names_a_swapped_return_order():
    from nblib.exercises import matrix_shapes as MS

    fails(MS.check_output_gradients, lambda *a: _output_gradients(*a)[::-1], r"wrong order .* `delta2, dW_ho`")

    def hidden(X, W_ho, h1, delta2):
        delta1 = (W_ho @ delta2) * h1 * (1 - h1)
        return X @ delta1.T, delta1

    fails(MS.check_hidden_gradients, hidden, r"wrong order .* `delta1, dW_ih`")


def test_lesson_03_product_hints_offer_no_arrangement_and_steps_no_formula():
    from nblib.exercises import matrix_shapes as MS

    def slip(h1, O, Y):
        delta2 = (O - Y) * O * (1 - O)
        return delta2, h1 @ delta2

    text = fails(MS.check_output_gradients, slip, r"inner sizes .* a gradient sums over the observations")
    assert "did you mean" not in text and "h1.T @ delta2.T" not in text

    def elementwise(h1, O, Y):
        delta2 = (O - Y) * O * (1 - O)
        return delta2, h1 * delta2

    text = fails(MS.check_output_gradients, elementwise, r"do not broadcast .*use @ — a gradient sums over the obs")
    assert "did you mean" not in text and "h1.T @ delta2.T" not in text
    text = fails(MS.check_output_gradients, lambda h1, O, Y: tuple(-v for v in _output_gradients(h1, O, Y)),
                 r"sign is flipped")
    for formula in ("h1 · δ2ᵀ", "(O − Y) ∗ O ∗ (1 − O)", "X · δ1ᵀ", "W_ho · δ2"):
        assert formula not in text and formula not in MS.STEP1 + MS.STEP2 + MS.STEP3_6 + MS.STEP4 + MS.STEP5


def test_lesson_03_a_broadcast_or_turned_round_result_gets_no_arrangement_to_paste():
    """The hints ask "which product of δ2 and h1…": the message for a literal `delta2 * h1` (a broadcast) or
    `delta2 @ h1` (runs when m = n_hidden, W_ho's shape turned round) must not offer an arrangement — nblib's
    generic advice would say `write delta2 @ h1` or `did you mean dW_ho.T` (= h1.T @ delta2.T, the lesson's slip)."""
    from nblib.exercises import matrix_shapes as MS

    def literal(h1, O, Y):
        delta2 = (O - Y) * O * (1 - O)
        return delta2, delta2 * h1

    def as_named(h1, O, Y):
        delta2 = (O - Y) * O * (1 - O)
        return delta2, delta2 @ h1

    def hidden_as_named(X, W_ho, h1, delta2):
        delta1 = (delta2 @ W_ho) * h1 * (1 - h1)
        return delta1, delta1 @ X

    def hidden_transposed(X, W_ho, h1, delta2):
        delta1 = (W_ho.T @ delta2) * h1 * (1 - h1)
        return delta1, X @ delta1.T

    for check, fn, pattern in (
            (MS.check_output_gradients, literal, r"do not broadcast .*use @ — a gradient sums over the observations"),
            (MS.check_output_gradients, as_named, r"delta2 @ h1: it runs only because m = n_hidden = 5 .*turned round"),
            (MS.check_hidden_gradients, hidden_as_named,
             r"\(delta2 @ W_ho\) \* h1: .*do not broadcast .*step 4 .*summing over the outputs"),
            (MS.check_hidden_gradients, hidden_transposed, r"inner sizes .* — δ1 sums over the outputs")):
        text = fails(check, fn, pattern)
        assert "write delta2 @" not in text and "did you mean" not in text and ".T?" not in text, text


def test_lesson_03_a_result_turned_round_is_not_told_to_add_a_transpose():
    from nblib.exercises import matrix_shapes as MS

    def summed_over_units(h1, O, Y):  # (n_out, n_h) only when m = n_h, but its transpose is not dE/dW_ho
        delta2 = (O - Y) * O * (1 - O)
        return delta2, (h1.T @ delta2.T).T + 0 * delta2 @ h1.T + 1e-3

    text = fails(MS.check_output_gradients, summed_over_units, r"turned round, and its transpose has the wrong values")
    assert "did you mean" not in text

    def right_but_turned(h1, O, Y):  # the right numbers, transposed: naming the transpose is exact
        delta2, dW_ho = _output_gradients(h1, O, Y)
        return delta2, dW_ho.T

    fails(MS.check_output_gradients, right_but_turned, r"transpose of dE/dW_ho")


def test_lessons_03_and_04_copying_their_page_or_hints_fails_the_check():
    """issue 25 §1, measured by benchmarks/copying_01_04.py: every copy attempt of lessons 03–04's converted
    exercises is run through its check for real and fails it; 04's warm-up still passes from its page."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import copying_01_04 as copying

    converted = {"03": {"output_gradients", "bias_gradient", "hidden_gradients", "backward", "rows_backward"},
                 "04": {"hidden_deltas", "delta_W2", "delta_W1", "two_hidden_deltas"}}
    for lesson, names in converted.items():
        rows = {name: (check, page, hints) for name, check, page, hints in copying.ATTEMPTS[lesson]}
        assert names <= rows.keys()
        for name in names:
            check, page, hints = rows[name]
            for attempt in (page, hints):
                ok, why = copying.passes(check, attempt)
                assert not ok, (lesson, name, attempt)
                assert why, (lesson, name)
    check, page, _ = {n: (c, p, h) for n, c, p, h in copying.ATTEMPTS["04"]}["output_deltas"]
    assert copying.passes(check, page) == (True, "✔")


ABOVE = {  # exercise → code or formula that is (part of) its answer and must not appear above it, hints included
    ("03", "output_gradients"): ["h1 @ delta2.T", "delta2.T", "\\cdot\\delta_2^{\\mathsf T}", "Σ_obs",
                                 "\\sum_{\\text{obs}}"],
    ("03", "bias_gradient"): ["axis=1", "keepdims", "\\sum_{\\text{obs}}", "added up over the observations"],
    ("03", "hidden_gradients"): ["W_ho @ delta2", "X @ delta1", "delta1.T", "backward_by_loop"],
    ("04", "hidden_deltas"): ["W2 @ delta_out", "path = [", "sum(path)"],
    ("04", "delta_W2"): ["np.outer(h", "ΔW2[1, k]", "rows follow"],
    ("04", "delta_W1"): ["np.outer(x", "ΔW1[i, 1]", "rows follow"],
}


@pytest.mark.parametrize(("lesson", "name"), list(ABOVE))
def test_the_learners_edition_shows_no_answer_above_a_converted_exercise(lesson, name):
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from student_edition import learner_notebook

    nb = learner_notebook(nbformat.read(ROOT / "notebooks" / f"{NOTEBOOKS[lesson]}.ipynb", as_version=4), lesson)
    above = []
    for cell in nb.cells:
        if f"def {name}(" in cell.source:
            break
        above.append(cell.source)
    else:
        raise AssertionError(f"no exercise {name} in lesson {lesson}")
    text = "\n".join(above)
    assert re.search(rf"write\s+`{name}\(", text, re.I)
    for needle in ABOVE[(lesson, name)]:
        assert needle not in text, (lesson, name, needle)


# Issue 25 §1's verdicts for lessons 01–05 (benchmarks/copying_01_04.py, benchmarks/copying_05.py): an exercise that
# becomes copyable again from its page or hints fails this test.
VERDICTS = {
    "01": {"sigmoid_gradient": "page", "sigmoid_gradient_quotient": "own", "tanh_gradient": "own",
           "central_difference_auto": "page", "swish_gradient": "own"},
    "02": {"dE_dW_ho_loops": "page", "dE_db_ho_loops": "own", "dE_dW_ih_loops": "own", "dE_db_ih_loops": "own",
           "dE_dW_ih": "own", "dE_dZ2_huber": "own"},
    "03": dict.fromkeys(["output_gradients", "bias_gradient", "hidden_gradients", "backward", "rows_backward"], "own"),
    "04": {"output_deltas": "page", "hidden_deltas": "own", "delta_W2": "own", "delta_W1": "own",
           "two_hidden_deltas": "own"},
    "05": {"linear_forward": "page", "linear_activation_forward": "page", "model_forward": "page",
           "compute_cost": "own", "relu_backward": "own", "sigmoid_backward": "own", "linear_backward": "own",
           "linear_activation_backward": "page", "model_backward": "own", "update_parameters": "page",
           "leaky_relu_backward": "own"},
}


def test_copying_verdicts_of_lessons_01_to_05():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import copying_01_04
    import copying_05

    rows = {**copying_01_04.ATTEMPTS, "05": copying_05.ATTEMPTS}
    for lesson, expected in VERDICTS.items():
        got = {name: copying_01_04.verdict(check, page, hints)[0] for name, check, page, hints in rows[lesson]}
        assert got == expected, lesson
    own = sum(v == "own" for verdicts in VERDICTS.values() for v in verdicts.values())
    assert own == 23  # lessons 01–05 (3 + 5 + 5 + 4 + 6); with 06–10's 14, 37 of the course's 59
