"""Lessons 02–03 exercise checks: fail on the stub and on each classic slip, pass on the solution."""

import pytest

from nblib.exercises import CheckFailed
from nblib.exercises.two_layer import _cases, backward_mistakes, check_backward, check_dE_dW_ih, dW_ih_mistakes


def solution_backward(X, Y, params, cache):
    O, h1 = cache["O"], cache["h1"]
    d2 = (O - Y) * O * (1 - O)
    d1 = (params["W_ho"] @ d2) * h1 * (1 - h1)
    return {"W_ih": X @ d1.T, "b_ih": d1.sum(axis=1, keepdims=True), "W_ho": h1 @ d2.T,
            "b_ho": d2.sum(axis=1, keepdims=True)}


def solution_dW_ih(X, Y, params, cache):
    return solution_backward(X, Y, params, cache)["W_ih"]


def stub(*args):
    raise NotImplementedError("write it")


def test_solutions_pass(capsys):
    check_dE_dW_ih(solution_dW_ih)
    check_backward(solution_backward)
    assert capsys.readouterr().out.count("✔") == 2


def test_stubs_fail_with_a_short_message():
    for check in (check_dE_dW_ih, check_backward):
        with pytest.raises(CheckFailed, match="not written yet"):
            check(stub)


@pytest.mark.parametrize("description", list(dW_ih_mistakes(*_cases()[1][1:])))
def test_each_dW_ih_mistake_is_named(description):
    def slip(X, Y, params, cache):
        return dW_ih_mistakes(X, Y, params)[description]

    with pytest.raises(CheckFailed) as info:
        check_dE_dW_ih(slip)
    assert description in str(info.value)


def test_transposed_dW_ih_gets_a_question_not_code():
    with pytest.raises(CheckFailed, match=r"shape \(5, 4\), expected \(n_in, n_hidden\) = \(4, 5\); its transpose has "
                       r"the right values.*which operand must come first") as info:
        check_dE_dW_ih(lambda *a: solution_dW_ih(*a).T)
    assert ".T" not in str(info.value)


def _d1(X, Y, params, cache):
    O, h1 = cache["O"], cache["h1"]
    return (params["W_ho"] @ ((O - Y) * O * (1 - O))) * h1 * (1 - h1)


@pytest.mark.parametrize("slip", [
    lambda X, Y, p, c: X.T @ _d1(X, Y, p, c),          # used to be offered "d1 @ X.T", the wrong arrangement
    lambda X, Y, p, c: X @ _d1(X, Y, p, c),
    lambda X, Y, p, c: (p["W_ho"] * ((c["O"] - Y) * c["O"] * (1 - c["O"]))) @ X.T,   # * for a product
], ids=["X.T @ d1", "X @ d1", "W_ho * d2"])
def test_a_product_that_does_not_fit_gets_the_shapes_and_a_question_no_code(slip):
    """Issue 25 §7: a shape hint offers only the arrangement with the right values, as a question."""
    with pytest.raises(CheckFailed) as info:
        check_dE_dW_ih(slip, seed=0)
    text = str(info.value)
    assert "the shapes here: X (" in text and "with the houses as its inner index?" in text
    assert "did you mean" not in text and "write " not in text and "@ d1.T" not in text and "d1 @" not in text[
        text.index("the shapes here"):]


def test_a_result_of_another_shape_with_wrong_values_gets_the_question():
    with pytest.raises(CheckFailed, match=r"has shape \(4, 1\), expected \(n_in, n_hidden\) = \(4, 5\); the shapes "
                       r"here.*which product of X and the hidden signal"):
        check_dE_dW_ih(lambda X, Y, p, c: X @ ((c["O"] - Y) * c["O"] * (1 - c["O"])).T, seed=0)


def test_a_square_net_names_the_transpose_as_a_question():
    X, Y, params = _cases()[2][1:]
    params = {**params, "W_ih": params["W_ih"][:, :4], "b_ih": params["b_ih"][:4], "W_ho": params["W_ho"][:4]}
    slips = dW_ih_mistakes(X, Y, params)
    found = [d for d in slips if d.startswith("the transpose of the right answer")]
    assert found and ".T" not in found[0]
    assert all("h1(1 − h1)" not in d for d in slips)  # step 5 is the learner's: no message gives its factor


def test_backward_check_order_keys_shapes_values():
    with pytest.raises(CheckFailed, match=r"missing key\(s\) \['b_ho'\]"):
        check_backward(lambda *a: {k: v for k, v in solution_backward(*a).items() if k != "b_ho"})
    with pytest.raises(CheckFailed, match=r"missing key"):
        check_backward(lambda *a: {})
    with pytest.raises(CheckFailed, match=r"grads\['b_ih'\] has shape \(5,\).*keepdims"):
        check_backward(lambda *a: {**solution_backward(*a), "b_ih": solution_backward(*a)["b_ih"].ravel()})
    with pytest.raises(CheckFailed, match=r"grads\['W_ho'\] has shape \(1, 5\).*\.T"):
        check_backward(lambda *a: {**solution_backward(*a), "W_ho": solution_backward(*a)["W_ho"].T})


@pytest.mark.parametrize("key", ["W_ih", "W_ho", "b_ho", "b_ih"])
def test_backward_mistakes_are_named(key):
    X, Y, params = _cases()[1][1:]
    for description in backward_mistakes(X, Y, params)[key]:
        def slip(X, Y, params, cache, key=key, description=description):
            grads = solution_backward(X, Y, params, cache)
            mistakes = backward_mistakes(X, Y, params)[key]
            return {**grads, key: mistakes[description]}

        with pytest.raises(CheckFailed) as info:
            check_backward(slip)
        # Slips such as "an extra 1/m" coincide with the right answer when m = 1; the m = 6 case names them.
        assert description in str(info.value)
