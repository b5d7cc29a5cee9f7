"""Lesson 09's exercise checks: fail on stubs and on each named mistake, pass on the solutions and correct
alternatives, refuse the nblib helper that is the answer (the full judge is tests/test_exercises_judge.py)."""

import numpy as np
import pytest

from nblib import deep
from nblib.activations import softmax as nb_softmax
from nblib.exercises import CheckFailed
from nblib.exercises.softmax import check_cross_entropy, check_softmax, check_softmax_backward, check_softmax_gradient


def own_softmax(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def own_cross_entropy(A, Y):
    return -np.sum(Y * np.log(A)) / A.shape[1]


def own_gradient(Z, Y, w):
    return (own_softmax(Z) - Y) * (w / w.sum())


def own_backward(AL, Y, caches, activations, eps=0.0):
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = deep.linear_backward(AL - ((1 - eps) * Y + eps / Y.shape[0]), caches[-1][0])
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = deep.linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        grads[f"dA{l - 1}"] = dA
    return grads


def stub(*args):
    raise NotImplementedError


CHECKS = [(check_softmax, own_softmax), (check_cross_entropy, own_cross_entropy),
          (check_softmax_gradient, own_gradient), (check_softmax_backward, own_backward)]


def test_solutions_pass(capsys):
    for check, own in CHECKS:
        check(own)
    assert capsys.readouterr().out.count("✔") == len(CHECKS)


@pytest.mark.parametrize("check", [c for c, _ in CHECKS])
def test_stub_is_not_written_yet(check):
    with pytest.raises(CheckFailed, match="not written yet"):
        check(stub)


def test_naive_softmax_overflow_is_named():
    with pytest.raises(CheckFailed, match=r"warns on scores of ±1e4.*overflow encountered in exp.*numerically stable"):
        check_softmax(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True))


def test_the_helper_that_is_the_answer_refuses_but_the_earlier_one_may_be_used(capsys):
    with pytest.raises(CheckFailed, match=r"write it yourself — this exercise is what nblib\.activations\.softmax"):
        check_softmax(lambda Z: nb_softmax(Z))
    check_softmax_gradient(lambda Z, Y, w: (nb_softmax(Z) - Y) * w / np.sum(w))  # exercise 1's helper is allowed
    assert "✔" in capsys.readouterr().out


def test_cross_entropy_accepts_a_python_float(capsys):
    check_cross_entropy(lambda A, Y: float(own_cross_entropy(A, Y)))
    assert "✔" in capsys.readouterr().out


def test_backward_with_an_extra_1_over_m_on_dA_is_named():
    def extra(AL, Y, caches, activations, eps):
        grads = own_backward(AL, Y, caches, activations, eps)
        return {k: v / AL.shape[1] if k.startswith("dA") else v for k, v in grads.items()}
    with pytest.raises(CheckFailed, match=r"grads\['dA1'\].*an extra 1/m"):
        check_softmax_backward(extra)


def test_backward_may_return_dZL(capsys):
    check_softmax_backward(lambda AL, Y, caches, acts, eps: {**own_backward(AL, Y, caches, acts, eps),
                                                            f"dZ{len(caches)}": AL - smoothed_targets(Y, eps)})
    assert "✔" in capsys.readouterr().out


# --- exercise 4, derived by the learner: label-smoothed cross-entropy ----------------------------------------------

from nblib import check_gradients  # noqa: E402
from nblib.exercises.softmax import check_smoothed_gradient, smoothed_cases, smoothed_targets  # noqa: E402


def own_smoothed(Z, Y, eps):
    return (own_softmax(Z) - ((1 - eps) * Y + eps / Z.shape[0])) / Z.shape[1]


def smoothed_via_step_6(Z, Y, eps):
    """A correct alternative: step 6 with general targets t, −t + ŷ Σ t, column by column."""
    t = (1 - eps) * Y + eps / Z.shape[0]
    out = np.empty_like(Z, dtype=float)
    for j in range(Z.shape[1]):
        out[:, j] = -t[:, j] + own_softmax(Z[:, [j]])[:, 0] * t[:, j].sum()
    return out / Z.shape[1]


def smoothed_via_jacobian(Z, Y, eps):
    """A correct alternative: the Jacobian of step 3 times ∂L/∂ŷ of step 4, with the smoothed targets."""
    t, A = (1 - eps) * Y + eps / Z.shape[0], own_softmax(Z)
    out = np.empty_like(A)
    for j in range(Z.shape[1]):
        a = A[:, j]
        jac = np.diag(a) - np.outer(a, a)
        out[:, j] = jac.T @ (-t[:, j] / a)
    return out / Z.shape[1]


def test_smoothed_gradient_solution_and_alternatives_pass(capsys):
    for fn in (own_smoothed, smoothed_via_step_6, lambda Z, Y, eps: (nb_softmax(Z) - smoothed_targets(Y, eps)) /
               Z.shape[1]):
        check_smoothed_gradient(fn, seed=5)
    assert capsys.readouterr().out.count("✔") == 3


def test_smoothed_gradient_via_the_jacobian_is_refused_only_by_the_stated_warning_case(capsys):
    """The Jacobian route divides by ŷ, which underflows to 0 at scores of ±1e4: the check's warning case catches it
    with a message, never a wrong verdict on the finite cases."""
    with pytest.raises(CheckFailed, match=r"warns on scores of ±1e4"):
        check_smoothed_gradient(smoothed_via_jacobian, seed=5)


SMOOTHED_MISTAKES = [
    (lambda Z, Y, eps: (own_softmax(Z) - Y) / Z.shape[1], r"smoothing was left out"),
    (lambda Z, Y, eps: own_softmax(Z) - smoothed_targets(Y, eps), r"1/m of the mean over the examples is missing"),
    (lambda Z, Y, eps: (own_softmax(Z) - (1 - eps) * Y) / Z.shape[1], r"\(1 − ε\)·Y alone"),
    (lambda Z, Y, eps: (1 - eps) * (own_softmax(Z) - Y) / Z.shape[1], r"still sum to 1"),
    (lambda Z, Y, eps: (own_softmax(Z) - ((1 - eps) * Y + eps)) / Z.shape[1], r"without dividing by K"),
    (lambda Z, Y, eps: (own_softmax(Z) - ((1 - eps) * Y + eps / (Z.shape[0] - 1) * (1 - Y))) / Z.shape[1],
     r"ε/\(K − 1\) on the wrong classes"),
    (lambda Z, Y, eps: (own_softmax(Z) - smoothed_targets(Y, eps)) / Z.shape[0], r"number of classes"),
    (lambda Z, Y, eps: (np.exp(Z) / np.exp(Z).sum(axis=0) - smoothed_targets(Y, eps)) / Z.shape[1],
     r"warns on scores of ±1e4"),
    (lambda Z, Y, eps: -own_smoothed(Z, Y, eps), r"wrong sign"),
]


@pytest.mark.parametrize("wrong, pattern", SMOOTHED_MISTAKES)
def test_smoothed_gradient_names_each_mistake(wrong, pattern):
    with pytest.raises(CheckFailed, match=pattern):
        check_smoothed_gradient(wrong, seed=11)


def test_smoothed_gradient_stub_and_hard_coded_values_fail():
    with pytest.raises(CheckFailed, match="smoothed_gradient is not written yet"):
        check_smoothed_gradient(stub)
    fixed = {c[1].tobytes(): own_smoothed(*c[1:]) for c in smoothed_cases(0)[:7]}
    with pytest.raises(CheckFailed, match=r"random case 1 \(seed 3"):
        check_smoothed_gradient(lambda Z, Y, eps: fixed.get(Z.tobytes(), np.zeros_like(Z)), seed=3)


@pytest.mark.parametrize("classes, m, eps", [(3, 4, 0.1), (2, 1, 0.0), (5, 5, 1.0), (4, 3, 0.37)])
def test_smoothed_gradient_matches_central_differences(classes, m, eps):
    rng = np.random.default_rng(classes * 10 + m)
    Z = rng.normal(0, 2, (classes, m))
    Y = np.eye(classes)[:, rng.integers(0, classes, m)]

    def J(p):
        logs = p["Z"] - p["Z"].max(axis=0) - np.log(np.exp(p["Z"] - p["Z"].max(axis=0)).sum(axis=0))
        return -float(np.sum(smoothed_targets(Y, eps) * logs)) / m

    report = check_gradients(J, {"Z": Z}, {"Z": own_smoothed(Z, Y, eps)}, threshold=1e-7)
    assert report.ok, report.verdict


def test_backward_without_the_smoothing_is_named():
    with pytest.raises(CheckFailed, match=r"smoothing was left out: dZ\[L\] was built from the one-hot Y"):
        check_softmax_backward(lambda AL, Y, caches, acts, eps: own_backward(AL, Y, caches, acts, 0.0))


WEIGHTED_MISTAKES = [
    (lambda Z, Y, w: (own_softmax(Z) - Y) / Z.shape[1], r"weights were left out"),
    (lambda Z, Y, w: (own_softmax(Z) - Y) * w, r"nothing divided by the total weight"),
    (lambda Z, Y, w: (own_softmax(Z) - Y) * w / Z.shape[1], r"divided by m instead of by the total weight"),
    (lambda Z, Y, w: (own_softmax(Z) - Y) * (w / w.sum())[:, None], r"rows \(classes\) instead of the columns|"
                                                                    r"do not broadcast|shapes"),
]


@pytest.mark.parametrize("wrong, pattern", WEIGHTED_MISTAKES)
def test_weighted_gradient_names_each_mistake(wrong, pattern):
    with pytest.raises(CheckFailed, match=pattern):
        check_softmax_gradient(wrong, seed=2)


def test_weighted_gradient_accepts_the_per_column_chain_rule(capsys):
    def per_column(Z, Y, w):
        out = np.empty(Z.shape)
        for j in range(Z.shape[1]):
            out[:, j] = (own_softmax(Z[:, [j]])[:, 0] - Y[:, j]) * w[j] / np.sum(w)
        return out
    check_softmax_gradient(per_column, seed=4)
    assert "✔" in capsys.readouterr().out


@pytest.mark.parametrize("classes, m", [(3, 4), (2, 1), (4, 4)])
def test_weighted_gradient_matches_central_differences(classes, m):
    rng = np.random.default_rng(classes + 10 * m)
    Z, w = rng.normal(0, 2, (classes, m)), rng.uniform(0.1, 3.0, m)
    if m > 1:
        w[0] = 0.0
    Y = np.eye(classes)[:, rng.integers(0, classes, m)]

    def J(p):
        logs = p["Z"] - p["Z"].max(axis=0) - np.log(np.exp(p["Z"] - p["Z"].max(axis=0)).sum(axis=0))
        return -float(np.sum((Y * logs).sum(axis=0) * w) / w.sum())

    report = check_gradients(J, {"Z": Z}, {"Z": own_gradient(Z, Y, w)}, threshold=1e-7)
    assert report.ok, report.verdict
