"""How many exercises of lessons 01–04 pass by copying (issue 25 §1): each exercise solved *strictly by copying* what
the learner's edition shows — first the page above the exercise (its text, worked code and formulas, the exercise's
own text), then also its two hints — and run through its check.

    .venv/bin/python benchmarks/copying_01_04.py

An attempt is written only from text that is on the page (the comment says where); where nothing on the page or in
the hints can be copied, the attempt is None and the exercise "needs the learner's own step". A copied attempt that
fails its check counts as not passing. The verdict table is what the issue 25 closing note reports.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

import nblib
from nblib.exercises import chain_rule as CR
from nblib.exercises import delta_rule_232 as D
from nblib.exercises import huber as HU
from nblib.exercises import matrix_shapes as MS
from nblib.exercises import rows_layout as RL
from nblib.exercises import sigmoid as S
from nblib.exercises import swish as SW
from nblib.exercises import two_hidden as TH
from nblib.exercises import two_layer as TL
from nblib.exercises.feedback import CheckFailed


# --- lesson 01 -------------------------------------------------------------------------------------------------
def sg_page(z):  # the boxed result and "the derivative costs one multiplication: a(1 − a)"
    a = nblib.sigmoid(z)
    return a * (1 - a)


def quotient_page(z):  # step 4 (make it safe) is the learner's now: the page's step-2 fraction e^(−z)/(1 + e^(−z))²
    z = np.asarray(z, dtype=float)  # as it stands overflows at z = −710; the page's stable σ (cell "The stable form")
    e = np.exp(-np.abs(z))          # in exercise 1's boxed σ(1 − σ) does not overflow — the strongest copy, tried here
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)


def cda_page(f, z):  # the exercise's steps 1–3, verbatim
    z = np.asarray(z, dtype=float)
    eps = np.finfo(np.float64).eps ** (1 / 3) * np.maximum(1, np.abs(z))
    return (f(z + eps) - f(z - eps)) / (2 * eps)


# --- lesson 02 -------------------------------------------------------------------------------------------------
def w_ho_page(x, y, params, cache):  # the worked cell's three factors, j and k looped as the text says
    n_hidden, n_out = params["W_ho"].shape
    g = np.zeros((n_hidden, n_out))
    for k in range(n_out):
        for j in range(n_hidden):
            g[j, k] = (cache["O"][k, 0] - y[k, 0]) * cache["O"][k, 0] * (1 - cache["O"][k, 0]) * cache["h1"][j, 0]
    return g


def chain_to_step_4(y, params, cache):  # the page's chain as far as it goes: δ2 (steps 1–2) and the exercise text's
    O = cache["O"]                         # step 4 for several outputs, Σ_k W_ho[j, k] δ2,k — one number per unit j
    d2 = (O - y) * O * (1 - O)
    return np.array([[sum(params["W_ho"][j, k] * d2[k, 0] for k in range(O.shape[0]))]
                     for j in range(params["W_ho"].shape[0])])


def w_ih_page(x, y, params, cache):  # steps 5 and 6 are on neither the page nor the hints (they name the derivatives
    back = chain_to_step_4(y, params, cache)  # to take, not their values): the copier has the chain to step 4 only,
    return np.ones_like(x) @ back.T           # the same for every input i


def b_ih_page(x, y, params, cache):  # the same chain to step 4, one number per hidden unit; step 5 is not on the page
    return chain_to_step_4(y, params, cache)


# --- lesson 03 -------------------------------------------------------------------------------------------------
# The recap gives lesson 02's gradients for ONE observation and ONE output; the Derive list gives each step's inputs
# and result shape, not the operation; the hints ask the shape question with the operands in the order δ2, h1 (and
# δ2, W_ho; δ1, X) without answering it. A copier takes those words literally, in the order written.
def output_page(h1, O, Y):  # the recap: δ2 = (O − Y) O(1 − O) and ∂E/∂W_ho,j = δ2 h1,j (one observation, one output)
    delta2 = (O - Y) * O * (1 - O)
    return delta2, delta2 * h1


def output_hints(h1, O, Y):  # hint 2: "which product of δ2 (n_out, m) and h1 (n_h, m)…" — the product, as named
    delta2 = (O - Y) * O * (1 - O)
    return delta2, delta2 @ h1


def bias_page(delta):  # the recap's ∂E/∂b_ho = δ2 (one observation), and the Code section's "its column of δ2"
    return delta


# bias hints: None — hint 2 gives the shapes only (which axis goes, keep a column); which operation combines the m
# entries is hint 1's chain-rule question, and nothing above exercise 2 states it for the bias.


def hidden_page(X, W_ho, h1, delta2):  # the recap: δ1,j = δ2 W_ho,j h1,j(1 − h1,j) and ∂E/∂W_ih,ij = δ1,j x_i
    delta1 = delta2 * W_ho * h1 * (1 - h1)
    return delta1, delta1 * X


def hidden_hints(X, W_ho, h1, delta2):  # hint 2: "a product of δ2 (n_out, m) and W_ho (n_h, n_out)", σ′ from h1
    delta1 = (delta2 @ W_ho) * h1 * (1 - h1)  # entry by entry; "which product of δ1 (n_h, m) and X (n_in, m)"
    return delta1, delta1 @ X


def backward_page(X, Y, params, cache):  # the exercise's "use your three functions above": the copier's own attempts
    delta2, dW_ho = output_page(cache["h1"], cache["O"], Y)
    delta1, dW_ih = hidden_page(X, params["W_ho"], cache["h1"], delta2)
    return {"W_ih": dW_ih, "b_ih": bias_page(delta1), "W_ho": dW_ho, "b_ho": bias_page(delta2)}


def backward_hints(X, Y, params, cache):  # hint 2: exercise 1, then 3, then 2 once per δ — the copier's attempts
    delta2, dW_ho = output_hints(cache["h1"], cache["O"], Y)
    delta1, dW_ih = hidden_hints(X, params["W_ho"], cache["h1"], delta2)
    return {"W_ih": dW_ih, "b_ih": bias_page(delta1), "W_ho": dW_ho, "b_ho": bias_page(delta2)}


def rows_page(X, Y, params, cache):  # the page's column-layout products, copied with the row layout's arrays
    H, O = cache["H"], cache["O"]
    D2 = (O - Y) * O * (1 - O)
    try:
        D1 = (params["W2"] @ D2) * H * (1 - H)
    except ValueError:
        D1 = (D2 @ params["W2"]) * H * (1 - H)
    return {"W2": H @ D2.T, "b2": D2.sum(axis=1, keepdims=True), "W1": X @ D1.T, "b1": D1.sum(axis=1, keepdims=True)}


# --- lesson 04 -------------------------------------------------------------------------------------------------
# The worked 2-3-2 cell above the exercises now stops at the output δ's (hidden unit 1 comes after exercise 4);
# step 3 stops at the chain rule's sum of symbols; exercises 2–4 refuse a Python loop.
def output_deltas_page(x, d, W1, W2):  # the worked 2-3-2 cell's loops (h, y, delta_k), its ranges from the shapes
    n_in, n_hidden = W1.shape
    K = W2.shape[1]
    h = [1 / (1 + np.exp(-sum(W1[i, j] * x[i] for i in range(n_in)))) for j in range(n_hidden)]
    y = [sum(W2[j, k] * h[j] for j in range(n_hidden)) for k in range(K)]
    return np.array([d[k] - y[k] for k in range(K)])


def hidden_deltas_page(h, W2, delta_out):  # the single-output δ_j = δ_out W_2,j h_j(1 − h_j), as written
    return delta_out * W2 * h * (1 - h)


def hidden_deltas_hints(h, W2, delta_out):  # hint 2: "a product of delta_out (K,) and W2 (n_h, K)", σ′ from h
    return h * (1 - h) * (delta_out @ W2)


def dW2_page(x, h, delta_hidden, delta_out, eta):  # the delta rule (η × δ of the unit fed × input value), per pair
    out = np.zeros((h.size, delta_out.size))      # (j, k) as step 4 says — a loop, which the exercise refuses
    for j in range(h.size):
        for k in range(delta_out.size):
            out[j, k] = eta * delta_out[k] * h[j]
    return out


def dW2_hints(x, h, delta_hidden, delta_out, eta):  # hint 2: "which outer product of delta_out (K,) and …h (n_h,)"
    return eta * np.outer(delta_out, h)


def dW1_page(x, h, delta_hidden, delta_out, eta):  # the page's ΔW1,ij = η δ_j x_i, per pair (i, j) — a loop
    out = np.zeros((x.size, h.size))
    for i in range(x.size):
        for j in range(h.size):
            out[i, j] = eta * delta_hidden[j] * x[i]
    return out


def dW1_hints(x, h, delta_hidden, delta_out, eta):  # hint 2: "which outer product of the δ (n_h,) and … x (n_in,)"
    return eta * np.outer(delta_hidden, x)


def two_hidden_page(x, d, W1, W2, W3):  # the page's one-layer δ, used for both layers (σ′ is all the page has)
    h1 = np.tanh(W1.T @ x)
    h2 = nblib.sigmoid(W2.T @ h1)
    delta2 = h2 * (1 - h2) * (W3 @ (d - W3.T @ h2))
    return h1 * (1 - h1) * (W2 @ delta2), delta2


#: lesson → [(exercise, check, attempt from the page, attempt from page + hints)]; None: nothing to copy
ATTEMPTS = {
    "01": [("sigmoid_gradient", S.check_sigmoid_gradient, sg_page, None),
           ("sigmoid_gradient_quotient", S.check_sigmoid_gradient_quotient, quotient_page, None),
           ("tanh_gradient", S.check_tanh_gradient, None, None),
           ("central_difference_auto", S.check_central_difference_auto, cda_page, None),
           ("swish_gradient", SW.check_swish_gradient, None, None)],
    # dE_db_ho_loops: the page gives δ2 = ∂E/∂Z2 and ∂E/∂W_ho; ∂Z2/∂b_ho (hint 2 names it, by linearity) is nowhere
    # on the page or in the hints, so nothing is ∂E/∂b_ho to copy (the learner's own step is ∂Z2/∂b_ho = 1).
    "02": [("dE_dW_ho_loops", CR.check_dE_dW_ho_loops, w_ho_page, None),
           ("dE_db_ho_loops", CR.check_dE_db_ho_loops, None, None),
           ("dE_dW_ih_loops", CR.check_dE_dW_ih_loops, w_ih_page, None),
           ("dE_db_ih_loops", CR.check_dE_db_ih_loops, b_ih_page, None),
           # dE_dW_ih: no W_ih formula above it (the recap follows its check), and its hint 2 asks how two houses'
           # contributions combine without saying: nothing to transcribe, even with a correct exercise 3 in hand.
           ("dE_dW_ih", TL.check_dE_dW_ih, None, None),
           ("dE_dZ2_huber", HU.check_dE_dZ2_huber, None, None)],
    "03": [("output_gradients", MS.check_output_gradients, output_page, output_hints),
           ("bias_gradient", MS.check_bias_gradient, bias_page, None),
           ("hidden_gradients", MS.check_hidden_gradients, hidden_page, hidden_hints),
           ("backward", MS.check_backward, backward_page, backward_hints),
           ("rows_backward", RL.check_rows_backward, rows_page, None)],
    "04": [("output_deltas", D.check_output_deltas, output_deltas_page, None),
           ("hidden_deltas", D.check_hidden_deltas, hidden_deltas_page, hidden_deltas_hints),
           ("delta_W2", D.check_delta_W2, dW2_page, dW2_hints),
           ("delta_W1", D.check_delta_W1, dW1_page, dW1_hints),
           ("two_hidden_deltas", TH.check_two_hidden_deltas, two_hidden_page, None)],
}


def passes(check, fn) -> tuple[bool, str]:
    if fn is None:
        return False, "nothing to copy"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(fn, seed=0)
    except CheckFailed as failure:
        return False, str(failure)
    return True, "✔"


def verdict(check, page, hints) -> tuple[str, str]:
    """("page" | "hints" | "own", why the page's attempt failed or ""): the page's attempt first, then the hints'."""
    ok_page, why_page = passes(check, page)
    if ok_page:
        return "page", ""
    return ("hints" if passes(check, hints)[0] else "own"), why_page


def main() -> None:
    total = {"page": 0, "hints": 0, "own": 0}
    for lesson, rows in ATTEMPTS.items():
        count = {"page": 0, "hints": 0, "own": 0}
        for name, check, page, hints in rows:
            found, why = verdict(check, page, hints)
            count[found] += 1
            print(f"{lesson} {name:<26} {found:<6} {why}"[:200])
        print(f"lesson {lesson}: {len(rows)} exercises — {count['page']} by copying the page, {count['hints']} more "
              f"with the hints, {count['own']} need the learner's own step\n")
        for k in total:
            total[k] += count[k]
    print(f"lessons 01–04: {sum(total.values())} exercises — {total['page']} page, {total['hints']} hints, "
          f"{total['own']} own step")


if __name__ == "__main__":
    main()
