"""Lesson 07 checks: fail on stubs and named mistakes, pass on solutions."""

import re

import numpy as np
import pytest

from nblib import octave
from nblib.activations import sigmoid, sigmoid_gradient
from nblib.exercises import CheckFailed
from nblib.exercises.octave import check_s2, check_yv


def good_yv(y, K):
    return (np.arange(1, K + 1)[None, :] == np.ravel(y)[:, None]).astype(float)


def good_s2(s3, Theta2, z2):
    return ((s3 @ Theta2) * sigmoid_gradient(octave.add_bias_column(z2)))[:, 1:]


def test_solutions_pass(capsys):
    check_yv(good_yv)
    check_s2(good_s2)
    assert capsys.readouterr().out.count("✔") == 2


def test_stubs_fail_short():
    def stub(*a):
        raise NotImplementedError

    for check in (check_yv, check_s2):
        with pytest.raises(CheckFailed, match="not written yet"):
            check(stub)


def test_a_boolean_yv_is_refused_by_name_an_integer_one_accepted(capsys):
    with pytest.raises(CheckFailed, match=r"boolean matrix.*exercise 6 would crash"):
        check_yv(lambda y, K: good_yv(y, K) > 0)
    check_yv(lambda y, K: good_yv(y, K).astype(int))
    assert "✔" in capsys.readouterr().out


def test_yv_mistakes():
    with pytest.raises(CheckFailed, match="0-based labels"):
        check_yv(lambda y, K: (np.arange(K)[None, :] == np.ravel(y)[:, None]).astype(float))
    with pytest.raises(CheckFailed, match=r"transpose.*yv.T"):
        check_yv(lambda y, K: good_yv(y, K).T.astype(float))


@pytest.mark.parametrize("slip, words", [
    (lambda s3, T2, z2: (s3 @ T2) * sigmoid_gradient(octave.add_bias_column(z2)), "drop the bias column"),
    (lambda s3, T2, z2: ((s3 @ T2) * sigmoid_gradient(octave.add_bias_column(z2)))[:, :-1], "the last column"),
    (lambda s3, T2, z2: ((s3 @ T2) @ sigmoid_gradient(octave.add_bias_column(z2)))[:, 1:],
     r"\(s3 @ T2\) @ .*: \(6, 5\) @ \(6, 5\)"),
    (lambda s3, T2, z2: ((s3 @ T2) * sigmoid_gradient(octave.add_bias_column(sigmoid(z2))))[:, 1:], "activation a2"),
    (lambda s3, T2, z2: (s3 @ T2)[:, 1:], "sigmoidGradient(z2) is missing"),
])
def test_s2_mistakes_are_named(slip, words):
    with pytest.raises(CheckFailed) as info:
        check_s2(slip)
    assert words in str(info.value) or re.search(words, str(info.value))
