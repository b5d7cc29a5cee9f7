"""nblib.exercises: generic feedback and the checks of lessons 00 and 01."""

import numpy as np
import pytest

from nblib.activations import sigmoid
from nblib.exercises import CheckFailed, compare_array, compare_dict
from nblib.exercises.sigmoid import MISTAKES as SIGMOID_MISTAKES
from nblib.exercises.sigmoid import check_sigmoid_gradient
from nblib.exercises.start import MISTAKES as CD_MISTAKES
from nblib.exercises.start import check_central_difference

E = np.arange(6.0).reshape(2, 3) + 1


def test_compare_array_order_of_problems():
    with pytest.raises(CheckFailed, match="forget to `return`"):
        compare_array("dW", None, E)
    with pytest.raises(CheckFailed, match="should be a NumPy array"):
        compare_array("dW", [[1, 2, 3]], E)
    with pytest.raises(CheckFailed, match=r"dW has shape \(3, 2\), expected \(2, 3\).*dW.T"):
        compare_array("dW", E.T.copy(), E)
    with pytest.raises(CheckFailed, match="dtype int64"):
        compare_array("dW", E.astype(np.int64), E)
    with pytest.raises(CheckFailed, match="NaN or inf"):
        compare_array("dW", E * np.nan, E)
    with pytest.raises(CheckFailed, match=r"first at index \(0, 0\).*4× too large"):
        compare_array("dW", 4 * E, E)
    with pytest.raises(CheckFailed, match="wrong sign"):
        compare_array("dW", -E, E)
    with pytest.raises(CheckFailed, match=r"4× too small"):
        compare_array("dW", E / 4, E)
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(CheckFailed, match="transpose of the right answer"):
        compare_array("dW", square.T.copy(), square)
    with pytest.raises(CheckFailed, match="looks like forgot h1"):
        compare_array("dW", E + 1, E, mistakes={"forgot h1": E + 1})
    compare_array("dW", E.copy(), E)


def test_compare_dict_keys_first_and_empty_dict_fails():
    expected = {"dW1": E, "db1": np.ones((2, 1))}
    with pytest.raises(CheckFailed, match=r"missing key\(s\) \['dW1', 'db1'\]"):
        compare_dict("grads", {}, expected)
    with pytest.raises(CheckFailed, match=r"unexpected key\(s\) \['dw1'\]"):
        compare_dict("grads", {"dw1": E, "dW1": E, "db1": np.ones((2, 1))}, expected)
    with pytest.raises(CheckFailed, match=r"grads\['db1'\] has shape \(2,\)"):
        compare_dict("grads", {"dW1": E, "db1": np.ones(2)}, expected)
    compare_dict("grads", {"dW1": E.copy(), "db1": np.ones((2, 1))}, expected)


def test_check_failed_renders_as_one_short_line():
    lines = CheckFailed("dW has shape (3, 2)")._render_traceback_()
    assert len(lines) == 1 and "dW has shape (3, 2)" in lines[0]


def test_sigmoid_check_passes_solution_and_fails_stub(capsys):
    check_sigmoid_gradient(lambda z: sigmoid(z) * (1 - sigmoid(z)))
    assert capsys.readouterr().out.startswith("✔ sigmoid_gradient is right")

    def stub(z):
        raise NotImplementedError("write sigmoid_gradient")

    with pytest.raises(CheckFailed, match="not written yet"):
        check_sigmoid_gradient(stub)


@pytest.mark.parametrize("description", list(SIGMOID_MISTAKES))
def test_sigmoid_check_names_each_classic_mistake(description):
    with pytest.raises(CheckFailed) as info:
        check_sigmoid_gradient(SIGMOID_MISTAKES[description])
    assert description in str(info.value)


def test_sigmoid_check_other_failures():
    with pytest.raises(CheckFailed, match=r"overflow"):
        check_sigmoid_gradient(lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)
    with pytest.raises(CheckFailed, match=r"shape \(6,\), expected \(2, 3\)"):
        check_sigmoid_gradient(lambda z: np.ravel(sigmoid(z) * (1 - sigmoid(z))))
    with pytest.raises(CheckFailed, match="pass your function itself"):
        check_sigmoid_gradient(0.25)
    with pytest.raises(CheckFailed, match="raised ZeroDivisionError"):
        check_sigmoid_gradient(lambda z: 1 / 0)


def test_central_difference_check():
    check_central_difference(lambda f, z, eps: (f(z + eps) - f(z - eps)) / (2 * eps))
    for description, wrong in CD_MISTAKES.items():
        with pytest.raises(CheckFailed) as info:
            check_central_difference(wrong)
        assert description in str(info.value)


def test_long_messages_wrap_between_words_so_jupyterlab_never_breaks_a_word(capsys):
    """JupyterLab's output area breaks a line that reaches its edge anywhere (word-break: break-all); the
    checks' messages are wrapped at WRAP characters between words, continuation lines indented."""
    from nblib.exercises.feedback import WRAP, passed, wrapped

    words = "the gradient dW_ho = h1 @ delta2.T sums over the observations, not the hidden units " * 3
    text = wrapped("✘ " + words.strip())
    lines = text.split("\n")
    assert len(lines) > 1 and all(len(line) <= WRAP for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == ("✘ " + words.strip())  # no word cut, none lost
    assert wrapped("short: (3, 2)") == "short: (3, 2)"
    assert wrapped("x" * 120) == "x" * 120  # a word longer than a line stays whole
    passed(words)
    assert all(len(line) <= WRAP for line in capsys.readouterr().out.splitlines())
    rendered = CheckFailed(words)._render_traceback_()
    assert len(rendered) == 1 and all(len(line) <= WRAP + 20 for line in rendered[0].split("\n"))  # + ANSI codes
