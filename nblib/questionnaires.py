"""The questions of every lesson's questionnaire (:mod:`nblib.quiz` checks, records and shows them).

Each question is about what its lesson taught — a shape, a factor, where the 1/m goes, what a check's message means —
and never gives away an exercise's formula. Question texts are Markdown and may hold $…$ LaTeX; options and
explanations are plain text (Unicode symbols, no LaTeX), so they read the same printed, in a widget and on a slide.
Every number was computed with the lesson's own code (tests/test_quiz.py recomputes them with nblib).
"""

from __future__ import annotations

import random
import zlib

from nblib.quiz import Option, Question


def choice(qid: str, text: str, answer: str, *options: tuple[str, str]) -> Question:
    """A choice question: ``options`` are (text, why) pairs, ``answer`` the right one's letter as written here.

    The options are shown in an order of their own, fixed per question (seeded by its text, so the same on every
    machine and run): written with the right answer first, they would otherwise teach "always a"."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{qid}: text must be a non-empty str, got {text!r:.60}")
    if not all(isinstance(o, tuple) and len(o) == 2 for o in options) or not 3 <= len(options) <= 4:
        raise ValueError(f"{qid}: options must be 3–4 (text, why) pairs, got {options!r:.80}")
    if not isinstance(answer, str) or len(answer) != 1 or answer not in "abcd"[:len(options)]:
        raise ValueError(f"{qid}: answer must be the letter of an option as written, one of "
                         f"{', '.join('abcd'[:len(options)])}, got {answer!r:.40}")
    written = [Option(t, why) for t, why in options]
    right = written["abcd".index(answer)]
    shown = list(written)
    random.Random(zlib.crc32(text.encode("utf-8"))).shuffle(shown)
    return Question(qid, text, "choice", "abcd"[shown.index(right)], options=tuple(shown))


def number(qid: str, text: str, answer: float, why: str, *, tolerance: float, wrong=(), otherwise: str) -> Question:
    """A number question: ``wrong`` pairs plausible wrong values with what each means."""
    return Question(qid, text, "number", answer, why=why, tolerance=tolerance, wrong=tuple(wrong),
                    otherwise=otherwise)


L00 = (
    choice(
        "q1", "Article 001 stores $W_{ih}$ as 4 × 5 (inputs × outputs) and writes $W^{\\mathsf T}X$. Articles "
        "003/004 store the same weights as (outputs × inputs). What is the shape of that matrix there?", "a",
        ("5 × 4", "outputs × inputs is 5 × 4 — the same numbers as article 001's matrix, transposed, so the "
                  "forward pass becomes W X with no transpose (lesson 03)."),
        ("4 × 5", "That is article 001's own layout, inputs × outputs. Articles 003/004 store outputs × inputs: "
                  "the transpose."),
        ("20 × 1", "Neither article unrolls the weights into a column; the layouts differ only by a transpose. "
                   "(Unrolling is Octave's business, lesson 07.)"),
        ("5 × 5", "A square matrix would need as many inputs as hidden units; there are 4 inputs and 5 hidden "
                  "units."),
    ),
    number(
        "q2", "In the demonstration of a failed gradient check, the row of `b` reads `analytic 0.725827, numerical "
        "2.17748` at (0, 0). By what factor is the analytic value too small?", 3.0,
        "2.17748 / 0.725827 = 3.000 — the deliberate slip divided b's gradient by 3. A clean ratio like this "
        "points at a dropped or extra factor.",
        tolerance=0.01,
        wrong=[(1 / 3, "That is analytic ÷ numerical: the analytic value is a third of the numerical one, so it is "
                       "too small by a factor of 3."),
               (0.5, "0.5 is the report's max rel. error, |a − n| / (|a| + |n|) = (3 − 1) / (3 + 1): how wrong, "
                     "not by what factor.")],
        otherwise="Divide the numerical value by the analytic one: 2.17748 / 0.725827 ≈ 3.",
    ),
    choice(
        "q3", "That report ends with `FAIL: wrong values: b`, and `w`'s row says `ok`. What does it tell you?", "a",
        ("b's gradient has the right shape but values that disagree with central differences, worst at (0, 0)",
         "keys and shapes are judged before values, so \"wrong values\" means they passed; the index is "
         "where the analytic and numerical numbers differ most."),
        ("b's gradient has the wrong shape",
         "A wrong shape is reported as \"wrong shape\" (status shape) before any value is compared; b's row shows "
         "(2, 1), the expected shape."),
        ("the loss function is wrong",
         "The check trusts the loss you give it and compares your gradient with its central differences; lesson "
         "05 shows that a bug in the cost itself is what a gradient check cannot see."),
        ("w is wrong too, since it is listed",
         "Every gradient gets a row, problems first; w's says ok."),
    ),
    choice(
        "q4", "An exercise check runs your function and gets an output whose shape is wrong and whose values would "
        "be wrong too. What does its message report?", "a",
        ("only the shape problem",
         "an exercise check stops at the first problem, in the order None returned → shape → dtype → "
         "values. Fix the shape, run it again, and it tells you about the values."),
        ("only the wrong values",
         "Values come last: they cannot be compared entry by entry while the shape is wrong."),
        ("both, the values first",
         "It reports one problem, the first in the order None returned → shape → dtype → values."),
        ("nothing: a check only fails on wrong values",
         "Shape and dtype are checked too, before the values."),
    ),
    number(
        "q5", "Lesson 04 defines δ at a unit as $-\\partial E/\\partial z$ (the delta rule's convention). At a unit "
        "where $\\partial E/\\partial z = 0.3$, what is δ?", -0.3,
        "lesson 04's δ is the negative gradient, so it is −0.3 — which is why its update adds "
        "ΔW = η·δ·x instead of subtracting.",
        tolerance=1e-9,
        wrong=[(0.3, "0.3 is +∂E/∂z, the signal lessons 02, 03 and 05 carry backwards. Lesson 04's δ carries the "
                     "opposite sign.")],
        otherwise="δ = −∂E/∂z: the same number with its sign flipped, −0.3.",
    ),
    choice(
        "q6", "Lessons 02, 03 and 05 carry $+\\partial E/\\partial z$ backwards (lesson 02's δ₂ is "
        "$(O - Y)\\,O(1 - O)$). How must their update use the gradient?", "a",
        ("subtract it: W ← W − α·∂E/∂W",
         "+∂E/∂W points uphill, so the step goes against it. Lesson 04's δ has the opposite sign, so its update "
         "adds — both are right, mixing them is not."),
        ("add it: W ← W + α·∂E/∂W",
         "That climbs the error. Adding is right only with lesson 04's δ = −∂E/∂z."),
        ("either: the sign does not matter",
         "It does: the conventions differ by a sign, and a δ of one with the update of the other climbs uphill "
         "(lesson 04)."),
    ),
)

L01 = (
    number(
        "q1", "What is $\\sigma'(0)$?", 0.25,
        "σ(0) = ½, both factors of the boxed result are ½ at z = 0, so σ′(0) = ¼ — the largest value σ′ "
        "ever takes (and the published check value 0.250000).",
        tolerance=1e-9,
        wrong=[(0.5, "0.5 is σ(0), the activation itself, not its slope."),
               (1.0, "1 is the slope of an active relu unit; σ′ is never above 0.25.")],
        otherwise="σ(0) = ½ and both factors of the boxed result are ½ there: σ′(0) = ¼.",
    ),
    number(
        "q2", "Each sigmoid layer multiplies the gradient by a factor $\\sigma'(z) \\le 0.25$. Through $L = 5$ "
        "sigmoid layers, by at most how much do these factors alone scale the gradient reaching the first layer?",
        0.25 ** 5,
        "one factor of at most 0.25 per layer, multiplied: 0.25⁵ ≈ 9.8e-4 — and 0.25¹⁰ ≈ 1e-6. That is "
        "the vanishing gradient.",
        tolerance=5e-6,
        wrong=[(1.25, "That adds the five factors; the chain rule multiplies them: 0.25⁵."),
               (0.25, "That is one layer's factor; five layers multiply five of them."),
               (1.0, "1 per layer is an active relu unit; each sigmoid layer contributes at most 0.25.")],
        otherwise="The chain rule multiplies one σ′ ≤ 0.25 per layer: 0.25⁵ = 0.0009765625.",
    ),
    choice(
        "q3", "Why does the course check derivatives with a *central* difference rather than a one-sided one?", "a",
        ("its truncation error shrinks like ε², the one-sided one's only like ε",
         "the even Taylor terms cancel, leaving about ε²·f‴/6; at ε = 1e-5 that is ~1e-11, against ~1e-5 "
         "for a one-sided difference."),
        ("it needs fewer evaluations of f",
         "It needs two evaluations per entry, one more than a one-sided difference that reuses f(z): accuracy, "
         "not cost, is the reason."),
        ("it has no round-off error",
         "Both suffer round-off of about u·|f|/ε — that is why ε cannot be made as small as you like (the "
         "truncation-against-round-off plot)."),
        ("it is exact for the sigmoid",
         "No finite difference is exact for σ; the central one is just far more accurate."),
    ),
    number(
        "q4", "A central difference with ε = 1e-5 taken exactly at relu's kink, $z = 0$: what does it return?", 0.5,
        "(relu(ε) − relu(−ε)) / 2ε = ε / 2ε = 0.5, the average of the slopes on either side — which is why "
        "gradient checks keep relu inputs away from 0.",
        tolerance=1e-6,
        wrong=[(0.0, "0 is what nblib.relu_gradient returns at exactly 0, a convention; the central difference "
                     "averages the two sides' slopes, 0 and 1."),
               (1.0, "1 is the slope on the right only; a central difference looks at both sides.")],
        otherwise="The difference straddles the kink: (ε − 0) / 2ε = 0.5.",
    ),
    choice(
        "q5", "`1 / (1 + np.exp(-z))` overflows at $z = -1000$. What does the course's stable σ do instead?", "a",
        ("it only ever exponentiates −|z| ≤ 0, picking one of two equal forms by the sign of z",
         "e^(−|z|) ≤ 1 cannot overflow; for z < 0 the fraction is multiplied top and bottom by e^z."),
        ("it clips z to [−709, 709] first",
         "No clipping: the formula is rewritten so that no exponent is ever positive, and σ stays exact."),
        ("it catches the overflow warning and returns 0",
         "The naive formula returns 0 at −1000 only by luck, after a warning; the stable form never overflows."),
        ("it computes in float32",
         "float32 overflows even sooner (above e^88); the course computes in float64."),
    ),
    choice(
        "q6", "An entry of about 2e-3 of a loss of size $|f| \\approx 10^3$: its relative error alone is above "
        "1e-7, yet `check_gradients` says PASS. Why?", "a",
        ("the estimate's round-off, about u·|f|/ε, is large next to such a small entry, so the check also "
         "accepts a difference within that round-off",
         "the round-off does not shrink with the derivative; judging tiny entries by relative error "
         "alone would fail correct gradients."),
        ("check_gradients uses a looser relative threshold, 1e-3",
         "Its relative threshold is still 1e-7; what it adds is an absolute floor, the round-off of the numerical "
         "estimate itself."),
        ("the analytic gradient is wrong and the check misses it",
         "The analytic value is exact; the numerical 0.0020000016 carries the round-off. Failing here would fail "
         "correct work."),
        ("the relative error is computed in float32",
         "Everything is float64; the issue is a small derivative of a large function."),
    ),
)

L02 = (
    number(
        "q1", "How many partial derivatives does `check_gradients` compare for the [4, 5, 1] network (all four "
        "parameters)?", 31,
        "W_ih 4 × 5 = 20, b_ih 5, W_ho 5 × 1 = 5, b_ho 1 — 31 parameters, each nudged by ±ε.",
        tolerance=1e-9,
        wrong=[(25, "25 = 20 + 5 counts only the weights W_ih and W_ho; the biases are parameters too."),
               (26, "26 leaves out b_ih, one bias per hidden unit (5)."),
               (30, "30 leaves out b_ho, the single output bias.")],
        otherwise="Count every entry: 20 (W_ih) + 5 (b_ih) + 5 (W_ho) + 1 (b_ho) = 31.",
    ),
    number(
        "q2", "For the worked house, $\\partial E/\\partial O = -0.010794$, $\\partial O/\\partial Z_2 = 0.247061$ "
        "and $h_{1,2} = 0.387460$. What is $\\partial E/\\partial b_{ho}$ for that house? (Five significant "
        "digits are enough.)", -0.00266684,
        "∂Z₂/∂b_ho = 1, so only the first two factors remain: −0.010794 × 0.247061 ≈ −0.0026668 — the "
        "error signal δ₂ of that house.",
        tolerance=5e-7,
        wrong=[(-0.00103329, "That is ∂E/∂W_ho[2, 0]: it keeps step 3's factor h₁,₂. For the bias that factor is "
                             "∂Z₂/∂b_ho = 1."),
               (0.00266684, "Sign: O < Y here, so ∂E/∂O is negative and so is the gradient.")],
        otherwise="Multiply the factors on the path from E to b_ho: ∂E/∂O · ∂O/∂Z₂ · 1 ≈ −0.0026668.",
    ),
    choice(
        "q3", "Which parameters does $\\delta_2$ reach only through $h_1$?", "a",
        ("W_ih and b_ih",
         "E depends on the first layer's parameters only through Z₁ → h₁ → Z₂, which is why their "
         "gradients carry two more factors and the backward pass reaches them last."),
        ("W_ho and b_ho", "These feed Z₂ directly: no path through h₁."),
        ("all four", "Only the first layer sits behind h₁; W_ho and b_ho enter Z₂ directly."),
        ("b_ho only", "b_ho enters Z₂ directly, with ∂Z₂/∂b_ho = 1."),
    ),
    choice(
        "q4", "The training uses the mean loss $E/m$ instead of the sum $E$. How do the four gradients change?", "a",
        ("each is multiplied by 1/m, nothing else changes",
         "a constant factor stays outside the derivative, so the step size need not change with the number "
         "of houses."),
        ("only the weight gradients get 1/m",
         "The bias gradients are sums over the houses too; every gradient of E/m is 1/m times that of E."),
        ("δ₂ loses its O(1 − O) factor",
         "Averaging changes nothing inside the chain rule; O(1 − O) is σ′ at the output either way (cross-entropy, "
         "lesson 09, is what cancels it)."),
        ("they do not change", "They do: E/m is E scaled by 1/m, and so is every derivative of it."),
    ),
    choice(
        "q5", "Article 001 says to change the weights of the layer closest to the output first. What does one step "
        "of the course's `gradient_step` do?", "a",
        ("computes all four gradients from the current weights in one backward pass, then updates every "
         "parameter together",
         "no layer goes first; the order of the updates changes nothing because every gradient was computed "
         "before any weight moved."),
        ("updates W_ho and b_ho, then recomputes W_ih's gradient with the new W_ho",
         "That is the article's reading; it would mix gradients of two different networks."),
        ("updates the first layer first, the way forward propagation goes",
         "Forward propagation is not a training method; and no layer is updated before the others."),
    ),
    choice(
        "q6", "A bug drops the factor $h_1(1-h_1)$ from the backward pass. Which gradients come out wrong?", "a",
        ("those of W_ih and b_ih",
         "h₁(1 − h₁) is σ′ of the hidden layer, a factor of δ₁, which both first-layer gradients use; "
         "the output layer's gradients never do."),
        ("only W_ih's", "b_ih's gradient is δ₁ itself (times 1): it loses the same factor."),
        ("all four", "The output layer's gradients use δ₂ and h₁, not h₁(1 − h₁): they stay right."),
        ("those of W_ho and b_ho", "Those use δ₂ and h₁ only; the hidden σ′ appears below them."),
    ),
)

L03 = (
    choice(
        "q1", "With 4 inputs, 5 hidden units and $m = 6$ houses, what is the shape of $\\partial E/\\partial W_{ih}$?",
        "a",
        ("(4, 5)", "a gradient has its parameter's shape, and W_ih is (4, 5) in article 001's layout; the 6 "
                   "houses are the summed inner index."),
        ("(5, 4)", "That is the transpose — the shape of article 003's W[1] and its dW1. In article 001's layout "
                   "W_ih is inputs × hidden."),
        ("(4, 6)", "That is X's shape, features × houses. The houses are summed away in the product."),
        ("(5, 6)", "That is the shape of δ₁ and h₁, one column per house; the gradient sums over the houses."),
    ),
    number(
        "q2", "In the matrix product that gives $\\partial E/\\partial W_{ho}$ for $m = 6$ houses, how long is the "
        "summed (inner) index?", 6,
        "every gradient is a sum over observations, so the 6 observations are the inner index; the outer "
        "sizes, 5 hidden units and 1 output, are the gradient's shape.",
        tolerance=1e-9,
        wrong=[(5, "5 is the number of hidden units, an outer size: it survives as the rows of the (5, 1) "
                   "gradient."),
               (1, "1 is the number of outputs, the other outer size.")],
        otherwise="The observations are summed: the inner index has length m = 6.",
    ),
    choice(
        "q3", "Article 001 writes $\\partial E/\\partial b_{ih} = \\partial Z_1/\\partial b_{ih} \\cdot "
        "[\\ldots]^{\\mathsf T}$; with this lesson's shapes that is $(1, m)\\cdot(m, 5)$, a (1, 5) row, while "
        "$b_{ih}$ is (5, 1). What does `b_ih - alpha * row` give?", "a",
        ("a (5, 5) matrix, silently, by broadcasting",
         "NumPy stretches the column and the row against each other; nothing fails, the bias just turns "
         "into a matrix. Step 6 wants a (5, 1) column."),
        ("a ValueError about the shapes",
         "Broadcasting accepts (5, 1) against (1, 5): no error — which is what makes the slip dangerous."),
        ("the right (5, 1) update", "The numbers are right but lie in a row; column minus row broadcasts to (5, 5)."),
        ("a (1, 5) row", "Broadcasting takes the larger size along each axis: (5, 5)."),
    ),
    choice(
        "q4", "Why do the course's data and checks use $m = 6$ observations with 4 inputs and 5 hidden units, all "
        "different?", "a",
        ("so that a wrong product cannot run by coincidence",
         "with m = 5 = n_h, h₁ᵀ·δ₂ᵀ runs and even has W_ho's shape; with sizes that all differ every "
         "wrong transpose is a shape error."),
        ("because article 001 says it has six observations",
         "It says six but writes the input as 4*5; the course picks m = 6 so that a wrong product fails loudly."),
        ("so that the matrices are square and easy to multiply",
         "The opposite: equal sizes are what hide a forgotten transpose."),
        ("because it is faster", "Any m would be fast; the point is that distinct sizes expose wrong products."),
    ),
    choice(
        "q5", "`two_layer.forward` stops with `W_ho has shape (1, 5), expected (5, 1); that is the transpose of the "
        "expected shape: did you mean W_ho.T?`. What happened?", "a",
        ("W_ho was passed in article 003's layout (outputs × inputs) where article 001's (hidden × outputs) "
         "belongs",
         "the same numbers, transposed; pass W_ho.T — or keep one layout throughout."),
        ("the network has 1 hidden unit and 5 outputs",
         "The expected shape comes from the other arguments (5 hidden units, 1 output); a (1, 5) array is that "
         "matrix transposed."),
        ("X has its observations as rows",
         "That gives another message: \"X has shape (6, 4), expected (4, m) with observations as columns\"."),
        ("the gradient of W_ho is wrong", "forward computes no gradient; it checks its arguments' shapes on entry."),
    ),
    number(
        "q6", "In article 003's layout $W^{[1]}$ of this network is $n^{[1]} \\times n^{[0]}$. How many columns "
        "does it have?", 4,
        "W[1] is 5 × 4 — one row per unit of layer 1, one column per input.",
        tolerance=1e-9,
        wrong=[(5, "5 = n[1] is the number of rows. (Article 001's W_ih, the transpose, has 5 columns.)"),
               (6, "6 is m; a weight matrix never depends on the number of observations.")],
        otherwise="n[1] × n[0] = 5 × 4: 4 columns, one per input.",
    ),
)

L04 = (
    choice(
        "q1", "In this lesson, what is δ of a unit?", "a",
        ("one number per unit: −∂E/∂z at that unit's pre-activation",
         "δ is defined at every unit as the negative gradient at its pre-activation; a weight's gradient is "
         "then −δ times that weight's input."),
        ("one number per weight: the derivative of the output with respect to that weight",
         "That is article 002's sentence read literally (∂y/∂W); the target d plays no part in it, and the "
         "update ΔW = η·δ·x needs one number per unit."),
        ("+∂E/∂z, like lesson 02's δ₂",
         "Lessons 02–03 and 05 use +∂E/∂z and subtract; this lesson's δ has the opposite sign, so its update adds."),
        ("the error E itself", "E is one number for the whole network; δ is one per unit."),
    ),
    number(
        "q2", "At the output of this lesson's network $\\partial E/\\partial y = 0.2$. What is "
        "$\\delta_{\\text{out}}$ in this lesson's convention?", -0.2,
        "δ is the negative gradient, −0.2 — and the update W ← W + ΔW then moves downhill.",
        tolerance=1e-9,
        wrong=[(0.2, "0.2 is ∂E/∂y itself, the sign lessons 02–03 carry; here δ is its negative.")],
        otherwise="δ_out = −∂E/∂y: flip the sign, −0.2.",
    ),
    choice(
        "q3", "You take δ from this lesson (the $d - y$ convention) but update with lessons 02–03's "
        "$W \\leftarrow W - \\eta\\,\\delta\\,x$. What happens?", "a",
        ("every step climbs the error",
         "δ is already the negative gradient; subtracting η·δ·x moves uphill. One convention's δ needs "
         "its own update."),
        ("nothing: the sign of δ does not matter", "It does: the two conventions differ exactly by a sign."),
        ("the step is right but twice too small", "The size is right; the direction is reversed."),
    ),
    number(
        "q4", "In the worked 2-3-1 example, suppose $W_2[0]$ (hidden unit 1's outgoing weight) were 0. What would δ "
        "of hidden unit 1 be?", 0.0,
        "unit 1 reaches E only through its outgoing weight, which is a factor of its δ: with the weight 0, "
        "δ₁ = 0 — the curve in the figure crosses zero there.",
        tolerance=1e-9,
        wrong=[(0.036790, "That is δ₁ with W₂[0] = 0.2, the worked value; δ₁ has W₂[0] as a factor.")],
        otherwise="δ₁ carries W₂[0] as a factor: with it 0, δ₁ = 0.",
    ),
    number(
        "q5", "In the 2-3-2 network, along how many paths does one hidden unit reach $E$?", 2,
        "one path through every output, K = 2 — hence the sum over k in the hidden δ.",
        tolerance=1e-9,
        wrong=[(3, "3 is the number of hidden units; the paths from one hidden unit run through the outputs."),
               (1, "That is the 2-3-1 case; with two outputs there are two paths."),
               (6, "6 = 2 × 3 counts the weights W₁ into the hidden layer, not the paths out of one unit.")],
        otherwise="One path per output: K = 2.",
    ),
    choice(
        "q6", "Why has $\\delta_{\\text{out}}$ no σ′ factor in this lesson, while lesson 02's δ₂ has $O(1-O)$?", "a",
        ("article 002's output is linear, y = W₂·h, whose activation has derivative 1",
         "the factor for the output's activation is 1; at the hidden units σ′ appears as usual."),
        ("the sign convention removes it", "A convention flips a sign; it cannot remove a factor."),
        ("because E is divided by 2", "The ½ only cancels the 2 of the power rule; both lessons have it."),
        ("cross-entropy cancels it",
         "This lesson uses the squared error ½(d − y)²; cross-entropy's cancellation is lesson 09's story."),
    ),
)

L05 = (
    choice(
        "q1", "Where does the mean's $1/m$ go in the backward pass of `nblib.deep`?", "a",
        ("only into dW and db, where the examples meet",
         "dA and dZ are gradients of the summed loss (column i is example i's own), so dA[l] = "
         "m·∂J/∂A[l]; the m columns are added up only where a parameter is shared, and there 1/m is applied, "
         "once."),
        ("into dA[L] at the start, and nowhere else",
         "Applied once there it would give the same dW, but it is not nblib.deep's convention: its dA starts "
         "from the per-example derivative, and adding 1/m there too would divide dW by m twice."),
        ("into every dA, dZ, dW and db",
         "Applied at more than one place along the chain it divides by m more than once."),
        ("into the update: W ← W − (α/m)·dW",
         "dW already includes the 1/m; dividing again would shrink every step by m."),
    ),
    choice(
        "q2", "Layer sizes [3, 5, 4, 1] and $m = 6$: what is the shape of `dW2`?", "a",
        ("(4, 5)", "dW2 has W[2]'s shape, n[2] × n[1] = 4 × 5."),
        ("(5, 4)", "That is the transpose, what a missing transpose gives; the check would ask \"did you mean "
                   "dW.T?\"."),
        ("(4, 4)", "A square n[2] × n[2]: what the question's dW gives when it uses this layer's dA instead of the "
                   "layer below's activation."),
        ("(4, 6)", "That is dZ2's shape, one column per example; the examples are summed away in dW."),
    ),
    choice(
        "q3", "Why does the forward pass keep $Z^{[l]}$ in the cache, and not only $A^{[l]}$?", "a",
        ("step 1 backward evaluates g′ at Z[l]",
         "dZ[l] = dA[l] ∗ g′(Z[l]): the derivative of the activation is taken at its input, which the cache keeps so "
         "the backward pass never recomputes the forward one."),
        ("dW[l] is made from Z[l]", "dW[l] is made from dZ[l] and the layer below's A[l−1], which the linear cache "
                                    "keeps."),
        ("the update needs Z[l]", "The update needs only W, b and their gradients."),
        ("A[l] cannot be recomputed", "It can — but so can everything; the cache is there so that nothing is."),
    ),
    number(
        "q4", "Layer sizes [3, 5, 4, 1] and $m = 6$: how many numbers does layer 2's cache "
        "$((A^{[1]}, W^{[2]}, b^{[2]}), Z^{[2]})$ hold?", 78,
        "A[1] is 5 × 6 = 30, W[2] is 4 × 5 = 20, b[2] is 4 × 1 = 4 and Z[2] is 4 × 6 = 24: 78 numbers.",
        tolerance=1e-9,
        wrong=[(48, "That leaves out A[1], the input of F1 that step 2 needs: 5 × 6 = 30 more."),
               (54, "That leaves out Z[2] (4 × 6 = 24), which step 1 needs.")],
        otherwise="Count A[1] (5 × 6), W[2] (4 × 5), b[2] (4 × 1) and Z[2] (4 × 6).",
    ),
    number(
        "q5", "A relu layer has dA = [[0.4, −1.2, 0.7]] and Z = [[1.5, −0.3, 0.0]]. What is the sum of the entries of "
        "its dZ?", 0.4,
        "relu′ is 1 only where Z > 0 (the first entry) and 0 at Z ≤ 0, the kink included: dZ = [[0.4, 0, 0]].",
        tolerance=1e-9,
        wrong=[(1.1, "That takes relu′(0) = 1 (Z ≥ 0): this course takes 0 at the kink, so the last entry is 0."),
               (-0.8, "That keeps the negative-Z entry: relu′ is 0 there."),
               (-0.1, "That sums dA itself: step 1 multiplies it by relu′(Z) entry by entry.")],
        otherwise="Multiply dA by relu′(Z) = [[1, 0, 0]] entry by entry and add.",
    ),
)

L06 = (
    number(
        "q1", "The zoo's bug *missing 1/m*, on this lesson's network with $m = 6$: by what factor is each of its "
        "dW entries off?", 6,
        "without 1/m a dW is the sum over the 6 examples instead of their mean — exactly m = 6 times too "
        "large, which the report's analytic and numerical numbers show.",
        tolerance=1e-6,
        wrong=[(1 / 6, "That is the numerical value divided by the analytic one; the buggy dW is 6 times too large, "
                       "a sum instead of a mean.")],
        otherwise="A sum over m = 6 examples instead of a mean: off by a factor of 6.",
    ),
    choice(
        "q2", "`check_gradients` reports `FAIL: wrong shape: db1, db2, db3` and every dW is fine. Which bug of the "
        "zoo fits?", "a",
        ("db summed over the wrong axis, or without keepdims",
         "both break only db's shape — and without keepdims b − α·db would silently broadcast the bias "
         "into an (n, n) matrix."),
        ("missing 1/m", "That keeps every shape and makes the dW values wrong by a factor m."),
        ("missing transpose", "That gives every dW the transposed shape; db is untouched."),
        ("relu′ taken from the wrong tensor", "Shapes stay right; values go wrong in the relu layers."),
    ),
    number(
        "q3", "With a sigmoid output and cross-entropy, one example has $A^{[L]} = 0.8$ and $Y = 1$. What is its "
        "entry of $dZ^{[L]}$ (`nblib.deep`'s convention, no 1/m)?", -0.2,
        "σ′ cancels against the cross-entropy's denominators and dZ[L] = A − Y = 0.8 − 1 = −0.2.",
        tolerance=1e-9,
        wrong=[(-1.25, "That is dA[L], the loss's derivative with respect to A, before the sigmoid's step: dZ[L] "
                       "multiplies it by A(1 − A) = 0.16."),
               (-0.032, "σ′ applied twice: feeding A − Y in as dA[L] multiplies by A(1 − A) once more (the "
                        "question's ∂AL = Ŷ − Y)."),
               (0.2, "Sign: the output is below its target, so raising Z[L] lowers the loss — the gradient is "
                     "negative.")],
        otherwise="With a sigmoid output and cross-entropy dZ[L] = A − Y: −0.2.",
    ),
    choice(
        "q4", "Every gradient passes `check_gradients`, yet the cost climbs from 0.6873 to 4.4139 in 25 steps. "
        "What is the likely bug?", "a",
        ("the update's sign: W ← W + α·dW",
         "the gradients are right, so the check passes; only a rising cost shows that each step goes "
         "uphill."),
        ("a missing 1/m in dW", "The check catches that: dW off by a factor m."),
        ("relu′ taken from the wrong tensor", "The check names that one: wrong values in dW1, db1, dW2, db2."),
        ("a cache mutated in place by an update inside the backward pass",
         "The check catches that too: the layers below the top come out wrong."),
    ),
    choice(
        "q5", "The question writes $\\partial Z^{[3]} = \\sigma(\\partial AL)$. Which step of lesson 05's derivation "
        "does that line break, and how?", "a",
        ("step 1: it applies the activation to dA where the chain rule multiplies dA by its derivative",
         "dZ = dA ∗ g′(Z): a product with the derivative evaluated at the cached Z, not g of the incoming gradient."),
        ("step 0: the start is wrong", "The start is another of the question's lines (Ŷ − Y); this one is the "
                                       "activation's step."),
        ("step 2: dW uses the wrong factor", "That is the question's dW line (this layer's dA instead of the layer "
                                             "below's A)."),
        ("none: σ(∂AL) is right for a sigmoid output", "The gradient check says otherwise: every value is wrong while "
                                                        "that line is in."),
    ),
)

L07 = (
    number(
        "q1", "A customer has label 7 of $K = 7$. In which NumPy column (counting from 0) is the 1 of its `yv` "
        "row?", 6,
        "labels run 1 … K and NumPy's columns 0 … K − 1, so label 7 is column 6 (Octave's column 7).",
        tolerance=1e-9,
        wrong=[(7, "7 is Octave's 1-based column; NumPy counts from 0."),
               (0, "Column 0 holds label 1.")],
        otherwise="Label k sits in NumPy column k − 1: column 6.",
    ),
    number(
        "q2", "For the 6-12-7 customer network, how many columns has `Theta2`?", 13,
        "one column per entry of a2 = [1 σ(z2)], the bias column first: 12 + 1 = 13, so Theta2 is 7 × 13.",
        tolerance=1e-9,
        wrong=[(12, "12 hidden units, plus the bias column Octave puts in front: 13."),
               (7, "7 is the number of rows, one per output.")],
        otherwise="Theta2 is (outputs × (hidden + 1)) = 7 × 13: 13 columns.",
    ),
    choice(
        "q3", "Why does the Octave code drop the first column of `s2` (`s2 = s2(:, 2:end)`)?", "a",
        ("it belongs to a2's bias unit, a constant 1 that no weight feeds",
         "Theta1 has no row for the bias unit, so no gradient uses its error; keeping the column would "
         "give Theta1_grad a wrong shape."),
        ("it holds σ′ of the padding and is numerically unstable",
         "σ′ of the padding is a harmless placeholder; the reason is that nothing feeds a constant unit."),
        ("Octave indexes from 1 and that column is empty",
         "It is not empty: s3·Theta2 puts real numbers there; they just belong to no weight of Theta1."),
        ("to leave the bias out of the regularisation",
         "Regularisation is step 7, on the gradient's bias column; dropping s2's column is about which weights "
         "exist."),
    ),
    number(
        "q4", "Octave's `A(:)` for `A = [1 2 3; 4 5 6]`: what is its second entry?", 4,
        "Octave unrolls down the columns: 1, 4, 2, 5, 3, 6.",
        tolerance=1e-9,
        wrong=[(2, "2 is NumPy's default ravel(), which reads row by row; Octave reads column by column.")],
        otherwise="Down column 1 first: 1, then 4.",
    ),
    choice(
        "q5", "A cost that regularises the bias column *and* a gradient that does the same: which check catches "
        "it?", "a",
        ("comparing J with the value real GNU Octave computes for ex4's debug network",
         "cost and gradient agree with each other, so every gradient check passes; only a reference value "
         "of the cost shows the penalty is wrong."),
        ("check_nn_gradients' relative difference below 1e-9",
         "It compares the gradient with central differences of the same wrong cost: they agree."),
        ("nblib.check_gradients on the customers",
         "Same reason: both sides carry the same extra term."),
        ("the held-out accuracy",
         "A small penalty on the biases barely moves the accuracy; it tests nothing about correctness."),
    ),
    number(
        "q6", "The digits data follow the Octave exercise's labels. Which label does the digit 0 get?", 10,
        "digits 1–9 keep their labels and 0 becomes label 10, so that labels run 1 … 10.",
        tolerance=1e-9,
        wrong=[(0, "Octave's labels are 1-based; one_hot refuses a 0 and says it looks like a 0-based label."),
               (1, "Label 1 is the digit 1.")],
        otherwise="Labels run 1 … 10, and the digit 0 takes label 10.",
    ),
)

L08 = (
    number(
        "q1", "1,347 training digits in mini-batches of 32: how many gradient steps make one epoch?", 43,
        "42 full batches of 32 and one last batch of the 3 digits left over — one step per batch.",
        tolerance=1e-9,
        wrong=[(42, "1347 / 32 = 42.1: the 3 digits left over make a 43rd, shorter batch."),
               (1347, "That is one step per digit, a batch size of 1."),
               (1, "One step per epoch is full-batch descent; mini-batches take one step per batch.")],
        otherwise="⌈1347 / 32⌉ = 43 steps.",
    ),
    number(
        "q2", "How many parameters does the gradient check's [64, 6, 10] network have?", 460,
        "64 × 6 + 6 for the first layer, 6 × 10 + 10 for the second: 390 + 70 = 460, each costing two "
        "forward passes — hence the small network.",
        tolerance=1e-9,
        wrong=[(444, "444 = 64 × 6 + 6 × 10 counts the weights only; add the 6 + 10 biases."),
               (16, "16 counts the biases only.")],
        otherwise="Weights and biases of both layers: 390 + 70 = 460.",
    ),
    choice(
        "q3", "Why is the learning rate chosen on a validation split carved from the training digits, not on the "
        "450 held-out digits?", "a",
        ("a setting chosen by looking at the held-out digits makes their accuracy an optimistic measurement",
         "the held-out digits must play no part in any choice, so that their accuracy says how the network "
         "does on digits it never saw."),
        ("450 digits are too few to choose with",
         "450 are plenty; the problem is choosing and measuring on the same digits."),
        ("the validation digits are easier", "They come from the same shuffled data; nothing makes them easier."),
        ("it trains faster", "Training costs the same; what changes is whether the final measurement is honest."),
    ),
    choice(
        "q4", "Why does the gradient check use the *uncentred* pixels?", "a",
        ("a centred pixel that is almost always blank is tiny, its gradients are round-off-sized, and a relative "
         "error between round-off-sized numbers says nothing about the code",
         "the check judges the code through exactly the function that trains, on inputs where every "
         "gradient is well above round-off."),
        ("centring changes the gradient's formula",
         "The formulas are the same for any input; what differs is the size of some entries."),
        ("the network would not train on centred pixels",
         "The check trains nothing, and the real network trains better on centred pixels."),
        ("uncentred pixels make the check faster", "It costs the same two forward passes per parameter."),
    ),
    choice(
        "q5", "Why are the pixels centred (the mean training image subtracted) for training?", "a",
        ("uncentred pixels are all ≥ 0, so all weights of a hidden unit move the same way at once and a step "
         "along that steep direction overshoots",
         "centring removes that shared direction; the cost stopped jumping between epochs and the spread "
         "over seeds shrank."),
        ("to scale the pixels into [0, 1]", "Dividing by 16 does that; centring makes each pixel average 0."),
        ("because relu needs negative inputs", "relu takes any input; the point is the direction all weights share."),
        ("to hide the test digits' mean from the network",
         "The training mean is subtracted from both splits; nothing about the test digits is used."),
    ),
    choice(
        "q6", "One run reaches 98.7% on the held-out digits. What should be reported?", "a",
        ("the mean ± standard deviation over several seeds, like 98.6 ± 0.4% over 20",
         "one run is one draw; the spread says how much was luck."),
        ("98.7%: it is measured on digits the network never saw",
         "It is still one draw: the old settings once showed 98.7% on a lucky seed and 95.3 ± 7.4% over 20 "
         "seeds."),
        ("the best of 20 seeds", "Reporting the best draw is as optimistic as choosing on the test digits."),
    ),
)

L09 = (
    number(
        "q1", "For the worked scores $z = (2, -1, 0.5)$, $\\hat y = (0.785597, 0.039113, 0.175290)$. What is the "
        "Jacobian entry $\\partial \\hat y_1/\\partial z_3$?", -0.137708,
        "off the diagonal the entry is −ŷ₁·ŷ₃ = −0.785597 × 0.175290 ≈ −0.137708: raising z₃ raises the "
        "sum S and pulls ŷ₁ down.",
        tolerance=5e-6,
        wrong=[(0.168434, "That is the diagonal entry ∂ŷ₁/∂z₁ = ŷ₁(1 − ŷ₁); off the diagonal it is −ŷ₁·ŷ₃."),
               (0.137708, "Sign: raising z₃ makes ŷ₁ smaller."),
               (0.0, "Every ŷᵢ depends on every zⱼ through S: the softmax's Jacobian is full, not diagonal like "
                     "the sigmoid's.")],
        otherwise="∂ŷᵢ/∂zⱼ = ŷᵢ(δᵢⱼ − ŷⱼ); for i = 1, j = 3 that is −ŷ₁·ŷ₃ ≈ −0.137708.",
    ),
    number(
        "q2", "Same example, true class 3, $y = (0, 0, 1)$: what is $\\partial L/\\partial z_3$ for one example?",
        -0.824710,
        "the Jacobian and the log's 1/ŷ cancel; for the true class what is left is its probability minus "
        "1: 0.175290 − 1 ≈ −0.824710, as the worked cell printed.",
        tolerance=5e-6,
        wrong=[(0.175290, "That is ŷ₃ alone; the target y₃ = 1 is subtracted."),
               (0.824710, "Sign: raising the true class's score lowers the loss, so the gradient is negative."),
               (-0.119223, "That keeps a ŷ₃(1 − ŷ₃) factor, which the cross-entropy's 1/ŷ cancels.")],
        otherwise="After the cancellation the true class is left with 0.175290 − 1 ≈ −0.824710.",
    ),
    choice(
        "q3", "Why does article 000's `s3 = a3 - yv` have no `sigmoidGradient` factor?", "a",
        ("with a binary cross-entropy per output, the sigmoid's σ′ cancels the denominators of the log's "
         "derivative",
         "what is left is output minus target; under a squared error the factor would stay."),
        ("the article forgot it, and squared error would need it too",
         "The Octave exercise's cost is cross-entropy, for which the line is right; only a squared error would "
         "need the factor."),
        ("sigmoidGradient is applied later, in s2",
         "s2 multiplies by σ′ of the hidden layer; the output's σ′ is gone by cancellation."),
        ("because Octave's labels are 1-based", "Labels decide yv, not which factors the chain rule leaves."),
    ),
    choice(
        "q4", "A sigmoid output is confidently wrong, $O \\approx 0$ while $Y = 1$. What is $\\partial E/\\partial "
        "Z_2$ under article 001's squared error, and under cross-entropy?", "a",
        ("nearly 0 under squared error, about −1 under cross-entropy",
         "squared error keeps O(1 − O) ≈ 0 at a saturated output; cross-entropy cancels it and leaves "
         "O − Y ≈ −1, so the largest error gets the largest step."),
        ("about −1 under both", "Squared error keeps the factor O(1 − O), nearly 0 here."),
        ("nearly 0 under both", "Cross-entropy cancels σ′ and leaves O − Y ≈ −1."),
        ("largest under squared error",
         "O(1 − O) ≤ ¼ and ≈ 0 here: squared error gives almost no gradient exactly when the error is largest."),
    ),
    number(
        "q5", "`log_softmax` of the scores $(10^4, 0, -10^4)$: what is $\\log \\hat y$ of the middle class?", -1e4,
        "with the shift c = max z = 10⁴, log ŷ₂ = (0 − 10⁴) − log(1 + e^(−10⁴) + e^(−2·10⁴)) = −10⁴: no "
        "probability is rounded to 0 first.",
        tolerance=1e-6,
        wrong=[(float("-inf"), "That is log 0: what you get by rounding ŷ₂ ≈ e^(−10⁴) to 0 before taking its log. "
                               "Log-sum-exp never forms ŷ₂."),
               (0.0, "0 is log ŷ of the best class, whose ŷ is 1."),
               (-2e4, "That is the last class, 2·10⁴ below the best.")],
        otherwise="log ŷ = (z − max z) − log Σ e^(z − max z), and the sum is 1 to double precision: −10000.",
    ),
    choice(
        "q6", "Why does `nblib.losses.softmax_cross_entropy` take the scores $Z$ rather than the probabilities "
        "$\\hat Y$?", "a",
        ("from the scores it computes log ŷ by log-sum-exp, without rounding a tiny probability to 0 first",
         "a class 10⁴ below the best gets log ŷ = −10⁴, not log 0 = −∞."),
        ("from Ŷ the gradient would need the full Jacobian",
         "The gradient is ŷ − y either way; the point is the loss's value for tiny probabilities."),
        ("it is faster", "Speed is not the point: from Ŷ a probability rounded to 0 makes log ŷ = −∞."),
        ("the scores sum to 1", "The probabilities sum to 1; scores are any real numbers."),
    ),
)

L10 = (
    number(
        "q1", "With the miniature engine, $E = a \\ast b + a$ for $a = 3$, $b = 4$. What is "
        "$\\partial E/\\partial a$ after `E.backward()`?", 5,
        "a feeds two nodes, so its gradient adds both paths: 4 through the product and 1 through the sum.",
        tolerance=1e-9,
        wrong=[(4, "4 is only the path through the product. Overwriting grad instead of adding keeps one path "
                   "and loses the other."),
               (1, "1 is only the path through the addition; the product adds b = 4."),
               (3, "3 is ∂E/∂b = a, the other leaf's gradient.")],
        otherwise="Both paths add up: 4 + 1 = 5.",
    ),
    number(
        "q2", "`loss.backward()` is called three times on the same graph, with no `zero_grad` in between. What "
        "multiple of the true gradient does the leaf's `grad` hold?", 3,
        "leaves accumulate; nothing resets their grad between calls, so each call adds the gradient once "
        "more.",
        tolerance=1e-9,
        wrong=[(1, "Leaves accumulate: a second and a third call add to what is there."),
               (2, "Two calls give twice the gradient (the lesson's example); three give three times.")],
        otherwise="One gradient per call, added up: 3 ×.",
    ),
    number(
        "q3", "$s = \\sigma(w x + b)$, $L = s \\ast x$ with $x = 1.5$, $w = -0.8$, $b = 0.4$. What is "
        "$\\partial L/\\partial x$? ($x$ is used twice.)", 0.0533339,
        "the direct path gives s ≈ 0.310026, the path through s gives x·w·σ′(wx + b) ≈ −0.256692; x's "
        "gradient is their sum.",
        tolerance=5e-6,
        wrong=[(0.310026, "That is the direct path only (∂L/∂x holding s fixed); x also reaches L through s."),
               (-0.256692, "That is the path through s only; add the direct path, s.")],
        otherwise="Add the two paths: 0.310026 − 0.256692 ≈ 0.053334.",
    ),
    choice(
        "q4", "Between the forward and the backward pass, `W.value *= 3.0` changes a value in place. What does "
        "`backward()` give?", "a",
        ("a wrong gradient, silently: the closures read value when backward runs",
         "the lesson's engine returned [6, 12] where ∂E/∂W at the W that made E is [2, 4]. PyTorch counts "
         "versions and refuses instead."),
        ("an error about an in-place change",
         "nblib.autodiff checks nothing here; PyTorch is the one that refuses."),
        ("the right gradient, since E was already computed",
         "E's value was stored, but the closures read their inputs' current value at backward time."),
    ),
    choice(
        "q5", "In `Z + b` a bias of shape (5, 1) is broadcast over $m$ columns. What shape must the gradient that "
        "reaches `b` have?", "a",
        ("(5, 1), like b", "a gradient has the shape of what it is the gradient of; the engine must bring "
                           "the (5, m) upstream gradient back to (5, 1)."),
        ("(5, m), like Z + b", "That is the upstream gradient's shape; left so, b − α·grad would broadcast b into "
                               "a (5, m) matrix."),
        ("(5,)", "Dropping the axis of size 1 gives a vector that broadcasts wrongly against (5, 1) later (lesson "
                 "05's db without keepdims)."),
        ("(1, m)", "That would be one number per column; b has one entry per row."),
    ),
    choice(
        "q6", "For lesson 05's network, the engine's `grad` of $A^{[l]}$ is compared with `dA[l]` after multiplying "
        "it by $m$. Why?", "a",
        ("the engine gives exactly ∂J/∂A[l] of the mean cost, while lesson 05's dA[l] is m·∂J/∂A[l]",
         "nblib.deep carries dA as gradients of the summed loss and applies 1/m once, in dW and db; the "
         "engine differentiates the J it was given."),
        ("the engine forgets the 1/m", "It differentiates the mean exactly; it is lesson 05's dA that leaves 1/m "
                                       "out by convention."),
        ("the engine's grad accumulates over the m examples",
         "It accumulates over backward() calls and paths, not examples; one call was made."),
    ),
)

QUESTIONS = {"00": L00, "01": L01, "02": L02, "03": L03, "04": L04, "05": L05, "06": L06, "07": L07,
             "08": L08, "09": L09, "10": L10}
