"""Exercise 6 of lesson 07 (nnCostFunction) against real GNU Octave: the reference J the check holds
(nblib.exercises.octave.OCTAVE_J) is what Octave's nnCostFunction (tests/octave/parity.m) computes with λ > 0, and
a student cost that regularises the bias column — which a gradient check cannot catch — is refused.

Skipped, with the reason, when octave-cli is not installed; .ci/install-octave.sh installs it in CI.
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import nblib
from nblib import octave
from nblib.exercises import CheckFailed
from nblib.exercises.octave import OCTAVE_J, check_nn_cost_function, octave_case

HERE = Path(__file__).resolve().parent
OCTAVE = shutil.which("octave-cli")


@pytest.fixture(scope="module")
def octave_J(tmp_path_factory):
    if OCTAVE is None:
        pytest.skip("octave-cli not installed (apt-get install octave)")
    params, n_in, hidden, K, X, y, lambda_ = octave_case()
    assert lambda_ > 0
    d = tmp_path_factory.mktemp("octave_j")
    np.savetxt(d / "config.txt", np.array([n_in, hidden, K, lambda_])[None], fmt="%.17g")
    np.savetxt(d / "X.txt", X, fmt="%.17g")
    np.savetxt(d / "y.txt", np.asarray(y).reshape(-1, 1), fmt="%d")
    np.savetxt(d / "nn_params.txt", params, fmt="%.17g")
    run = subprocess.run([OCTAVE, "--norc", "--quiet", str(HERE / "octave" / "parity.m"), str(d)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return float(np.loadtxt(d / "J.txt"))


def test_the_checks_reference_J_is_octaves(octave_J):
    # parity.m prints 17 significant digits, so the constant is Octave's double exactly (up to one ulp).
    assert abs(OCTAVE_J - octave_J) <= 2e-16 * abs(octave_J), (OCTAVE_J, octave_J)
    assert abs(octave.nn_cost_function(*octave_case())[0] - octave_J) <= 1e-12 * abs(octave_J)


def _bias_regularised(nn_params, n_in, hidden, K, X, y, lambda_):
    """Regularises every column, biases included — in the cost *and* the gradient, so they agree."""
    T1, T2 = octave.reshape_params(nn_params, n_in, hidden, K)
    m = X.shape[0]
    # the unregularised part from nblib's body (the public nn_cost_function refuses inside the check)
    J, G1, G2 = octave._cost_and_gradients(T1, T2, octave.add_bias_column(X), octave.one_hot(y, K), 0.0)
    J += lambda_ / (2 * m) * (np.sum(T1 ** 2) + np.sum(T2 ** 2))
    return J, octave.unroll(G1 + lambda_ / m * T1, G2 + lambda_ / m * T2)


def test_a_bias_regularised_cost_passes_a_gradient_check_but_not_octave(octave_J):
    params, n_in, hidden, K, X, y, lambda_ = octave_case()
    J_bias, grad = _bias_regularised(params, n_in, hidden, K, X, y, lambda_)
    T1, T2 = octave.reshape_params(params, n_in, hidden, K)

    def cost(p):
        return _bias_regularised(octave.unroll(p["Theta1"], p["Theta2"]), n_in, hidden, K, X, y, lambda_)[0]

    G1, G2 = octave.reshape_params(grad, n_in, hidden, K)
    assert nblib.check_gradients(cost, {"Theta1": T1.copy(), "Theta2": T2.copy()},
                                 {"Theta1": G1, "Theta2": G2}).ok  # self-consistent …
    assert abs(J_bias - octave_J) > 1e-3  # … but not Octave's nnCostFunction
    with pytest.raises(CheckFailed, match=r"^With ex4's debug net run in GNU Octave.*J has the right shape but wrong "
                                          r"values: it looks like the bias column was regularised"):
        check_nn_cost_function(_bias_regularised)
