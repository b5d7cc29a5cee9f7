"""Lesson 02's loop exercises: the four gradients of the house-price net for ONE house, each checked on its own.

``check_dE_dW_ho_loops(fn)``, ``check_dE_db_ho_loops(fn)``, ``check_dE_dW_ih_loops(fn)`` and
``check_dE_db_ih_loops(fn)`` take the student's ``fn(x, y, params, cache)`` — x of shape (n_in, 1), y of shape
(n_out, 1), ``cache = nblib.two_layer.forward(x, params)`` — and compare with :func:`nblib.two_layer.backward` on
fixed nets (a 3-3-3 net where n_in = n_hidden = n_out, so a transpose or the wrong layer's input keeps the right
shape; the article's 4-5-1; a 2-4-2 net) and on random ones. A mistake is named with the step of the page's
derivation that it breaks:

step 1  ∂E/∂O_k = O_k − y_k                 step 4  ∂Z2_k/∂h1_j = W_ho[j, k]  (summed over the outputs k)
step 2  ∂O_k/∂Z2_k = O_k(1 − O_k)           step 5  ∂h1_j/∂Z1_j = h1_j(1 − h1_j)
step 3  ∂Z2_k/∂W_ho[j, k] = h1_j             step 6  ∂Z1_j/∂W_ih[i, j] = x_i
        ∂Z2_k/∂b_ho[k] = 1                           ∂Z1_j/∂b_ih[j] = 1

The page derives steps 1–4 and step 3 for W_ho; the learner derives step 3 for b_ho and steps 5 and 6 (exercises 2–4),
so a message names those steps by the derivative they take, never by its value (issue 25 §7).

(Lesson 02's matrix exercise over m houses is ``nblib.exercises.two_layer.check_dE_dW_ih``, a different function.)
"""

from __future__ import annotations

import numpy as np

from nblib import two_layer
from nblib.exercises.feedback import call_student, compare_array, new_seed, passed, reporting_seed
from nblib.exercises.two_layer import fixed_params
from nblib.progress import recorded

REFUSE = ("nblib.two_layer.backward",)
STEPS = {
    1: "step 1 of the derivation (∂E/∂O = O − Y)",
    2: "step 2 of the derivation (∂O/∂Z2 = O(1 − O))",
    3: "step 3 of the derivation (∂Z2/∂W_ho,j = h1,j; for the bias, ∂Z2/∂b_ho)",
    4: "step 4 of the derivation (∂Z2/∂h1,j = W_ho,j)",
    5: "step 5 of the derivation (∂h1,j/∂Z1,j, the hidden layer's σ′)",
    6: "step 6 of the derivation (∂Z1,j/∂W_ih,ij; for the bias, ∂Z1,j/∂b_ih,j)",
}


def cases(seed: int | None = None):
    """(label, x, y, params): three fixed nets, and with a seed two random ones (n_out ≥ 2 in all but the 4-5-1)."""
    # The 3-3-3 net comes first: there a transpose or the wrong layer's values keep the right shape, so the check
    # can name the mistake instead of stopping at a shape.
    out = [("a 3-3-3 net (n_in = n_hidden = n_out)", np.array([[0.9], [-0.4], [0.6]]),
            np.array([[0.2], [0.9], [0.5]]), fixed_params(3, 3, 3, 0.7)),
           ("the article's 4-5-1 net", np.array([[0.3], [-1.2], [0.8], [0.5]]), np.array([[0.7]]),
            fixed_params(4, 5, 1)),
           ("a 2-4-2 net", np.array([[-0.8], [1.1]]), np.array([[0.1], [0.6]]), fixed_params(2, 4, 2, 1.9))]
    if seed is not None:
        rng = np.random.default_rng(seed)
        for i in range(2):
            n_in, n_hidden, n_out = (int(v) for v in rng.integers([2, 2, 2], [6, 7, 4]))
            p = {"W_ih": rng.normal(0, 1, (n_in, n_hidden)), "b_ih": rng.normal(0, 0.5, (n_hidden, 1)),
                 "W_ho": rng.normal(0, 1, (n_hidden, n_out)), "b_ho": rng.normal(0, 0.5, (n_out, 1))}
            out.append((f"random case {i + 1} (seed {seed}: a {n_in}-{n_hidden}-{n_out} net)",
                        rng.normal(0, 1, (n_in, 1)), rng.uniform(0, 1, (n_out, 1)), p))
    return out


def _sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def _parts(x, y, params):
    c = two_layer.forward(x, params)
    O, h1, Z1, Z2 = c["O"], c["h1"], c["Z1"], c["Z2"]
    d2 = (O - y) * O * (1 - O)
    return c, O, h1, Z1, Z2, d2


def mistakes(key: str, x, y, params) -> dict:
    """The arrays that named slips produce for gradient ``key`` ("W_ho", "b_ho", "W_ih" or "b_ih") of one house."""
    c, O, h1, Z1, Z2, d2 = _parts(x, y, params)
    W_ho, W_ih = params["W_ho"], params["W_ih"]
    if key in ("W_ho", "b_ho"):
        inp = h1 if key == "W_ho" else np.ones((1, 1))

        def grad(signal):
            return inp @ signal.T if key == "W_ho" else signal

        out = {
            f"{STEPS[1]}: the sign is flipped — (Y − O) instead of (O − Y)": -grad(d2),
            f"{STEPS[2]}: the factor O(1 − O) is missing": grad(O - y),
            f"{STEPS[2]}: O is already σ(Z2), so ∂O/∂Z2 is O(1 − O) — you wrote σ(O)(1 − σ(O))":
                grad((O - y) * _sig(O) * (1 - _sig(O))),
            f"{STEPS[2]}: σ′ needs the activation O — you used the pre-activation Z2, Z2(1 − Z2)":
                grad((O - y) * Z2 * (1 - Z2)),
        }
        if key == "W_ho":
            out[f"{STEPS[3]}: the factor h1,j is missing (each W_ho,j is multiplied by its own h1,j)"] = \
                np.ones_like(h1) @ d2.T
            out[f"{STEPS[3]}: W_ho multiplies the hidden activation h1 — you used x, the input layer's values "
                f"(the wrong layer)"] = x @ d2.T if x.shape == h1.shape else None
            out[f"{STEPS[3]}: W_ho multiplies h1 = σ(Z1) — you used the pre-activation Z1"] = Z1 @ d2.T
            out["the transpose of the right answer: entry [j, k] belongs to hidden unit j and output k "
                f"({STEPS[3]})"] = (d2 @ h1.T) if d2.shape == h1.shape else None
        else:
            out[f"{STEPS[3]}: you multiplied by h1, the factor a weight W_ho,j gets — which factor multiplies b_ho "
                "in Z2?"] = \
                d2 * h1.sum()
        return {k: v for k, v in out.items() if v is not None}
    d_h1 = W_ho @ d2
    d1 = d_h1 * h1 * (1 - h1)

    def grad(signal):
        return x @ signal.T if key == "W_ih" else signal

    out = {
        f"{STEPS[1]}: the sign is flipped — (Y − O) instead of (O − Y)": -grad(d1),
        f"{STEPS[2]}: the factor O(1 − O) is missing": grad((W_ho @ (O - y)) * h1 * (1 - h1)),
        f"{STEPS[4]}: the factor W_ho,j is missing": grad(d2.sum(axis=0) * h1 * (1 - h1)),
        f"{STEPS[4]}: with several outputs, h1,j reaches E through every output k — sum W_ho[j, k]·δ2_k over k; "
        "you summed W_ho and δ2 separately": grad(W_ho.sum(axis=1, keepdims=True) * d2.sum(axis=0) * h1 * (1 - h1)),
        f"{STEPS[4]}: ∂Z2/∂h1 is W_ho, the weights after h1 — you used W_ih (the wrong layer's weights)":
            grad((W_ih @ d2) * h1 * (1 - h1)) if W_ih.shape == W_ho.shape else None,
        f"{STEPS[5]}: the hidden layer's σ′ is missing": grad(d_h1),
        f"{STEPS[5]}: h1 is already σ(Z1) — you applied σ once more, σ(h1)(1 − σ(h1)); σ′ can be written with h1 "
        "itself": grad(d_h1 * _sig(h1) * (1 - _sig(h1))),
        f"{STEPS[5]}: σ′ of the hidden layer was taken at the output, O(1 − O) (the wrong layer's cache)":
            grad(d_h1 * (O * (1 - O)).sum(axis=0)),
        f"{STEPS[5]}: σ′ is written with the activation h1 — you used the pre-activation Z1, Z1(1 − Z1)":
            grad(d_h1 * Z1 * (1 - Z1)),
        f"{STEPS[5]}: the hidden σ′ has two factors and you kept only h1": grad(d_h1 * h1),
        f"{STEPS[5]}: the hidden σ′ has two factors and you kept only (1 − h1)": grad(d_h1 * (1 - h1)),
    }
    if key == "W_ih":
        out[f"{STEPS[6]}: you used h1 (the wrong layer's values) — which values does W_ih multiply in Z1?"] = \
            h1 @ d1.T if x.shape == h1.shape else None
        out[f"{STEPS[6]}: you multiplied by the weight W_ih[i, j] itself — step 6 differentiates with respect to "
            "it: which factor multiplies W_ih[i, j] in Z1,j?"] = W_ih * d1.T
        out[f"the transpose of the right answer: entry [i, j] belongs to input i and hidden unit j ({STEPS[6]})"] = \
            d1 @ x.T if x.shape == h1.shape else None
    else:
        out[f"{STEPS[6]}: you multiplied by x, the factor a weight W_ih[i, j] gets — which factor multiplies b_ih,j "
            "in Z1?"] = \
            d1 * x.sum()
    return {k: v for k, v in out.items() if v is not None}


def _check(student, name: str, key: str, check_name: str, seed: int | None) -> None:
    seed = new_seed(seed)
    with reporting_seed(check_name, seed):
        for label, x, y, params in cases(seed):
            cache = two_layer.forward(x, params)
            got = call_student(student, name, (x, y, params, cache), label, refuse=REFUSE,
                               names=("x", "y", "params", "cache"))
            want = two_layer.backward(x, y, params, two_layer.forward(x, params))[key]
            compare_array(name, got, want, mistakes=mistakes(key, x, y, params), context=f"With {label}")
    passed(f"{name} is right for one house on all 3 nets (one and several outputs)")


@recorded
def check_dE_dW_ho_loops(student, *, seed: int | None = None) -> None:
    """Check ``dE_dW_ho_loops(x, y, params, cache)`` → ∂E/∂W_ho of shape (n_hidden, n_out) for one house."""
    _check(student, "dE_dW_ho_loops", "W_ho", "check_dE_dW_ho_loops", seed)


@recorded
def check_dE_db_ho_loops(student, *, seed: int | None = None) -> None:
    """Check ``dE_db_ho_loops(x, y, params, cache)`` → ∂E/∂b_ho of shape (n_out, 1) for one house."""
    _check(student, "dE_db_ho_loops", "b_ho", "check_dE_db_ho_loops", seed)


@recorded
def check_dE_dW_ih_loops(student, *, seed: int | None = None) -> None:
    """Check ``dE_dW_ih_loops(x, y, params, cache)`` → ∂E/∂W_ih of shape (n_in, n_hidden) for one house."""
    _check(student, "dE_dW_ih_loops", "W_ih", "check_dE_dW_ih_loops", seed)


@recorded
def check_dE_db_ih_loops(student, *, seed: int | None = None) -> None:
    """Check ``dE_db_ih_loops(x, y, params, cache)`` → ∂E/∂b_ih of shape (n_hidden, 1) for one house."""
    _check(student, "dE_db_ih_loops", "b_ih", "check_dE_db_ih_loops", seed)
