"""nblib.octave against the article's formulation run in real GNU Octave (tests/octave/parity.m).

Skipped, with the reason, when octave-cli is not installed; .ci/install-octave.sh installs it in CI.
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nblib import octave
from nblib.data import load_csv, load_npz

HERE = Path(__file__).resolve().parent
OCTAVE = shutil.which("octave-cli")
pytestmark = pytest.mark.skipif(OCTAVE is None, reason="octave-cli not installed (apt-get install octave)")


def debug_case(lambda_):
    X = octave.debug_initialize_weights(5, 2)
    y = 1 + np.mod(np.arange(1, 6), 3)
    params = octave.unroll(octave.debug_initialize_weights(5, 3), octave.debug_initialize_weights(3, 5))
    return (3, 5, 3, lambda_), X, y, params


def random_case(n_in, hidden, labels, m, lambda_, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n_in))
    y = rng.integers(1, labels + 1, size=m)
    params = octave.unroll(octave.rand_initialize_weights(n_in, hidden, 0.5, rng),
                           octave.rand_initialize_weights(hidden, labels, 0.5, rng))
    return (n_in, hidden, labels, lambda_), X, y, params


def customers_case(lambda_):
    _, values = load_csv("customers.csv")
    X = values[:50, :6]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    rng = np.random.default_rng(7)
    params = octave.unroll(octave.rand_initialize_weights(6, 12, rng=rng), octave.rand_initialize_weights(12, 7,
                                                                                                          rng=rng))
    return (6, 12, 7, lambda_), X, values[:50, 6].astype(int), params


def digits_case(lambda_):
    digits = load_npz("digits.npz")
    X = digits["images"][:40].reshape(40, 64) / 16.0
    rng = np.random.default_rng(11)
    params = octave.unroll(octave.rand_initialize_weights(64, 25, rng=rng), octave.rand_initialize_weights(25, 10,
                                                                                                           rng=rng))
    return (64, 25, 10, lambda_), X, digits["labels"][:40], params


CASES = {
    "debug 3-5-3, λ=0": debug_case(0.0),
    "debug 3-5-3, λ=3": debug_case(3.0),
    "random 4-6-7, λ=0": random_case(4, 6, 7, 10, 0.0, 1),
    "random 2-3-4, λ=1.5": random_case(2, 3, 4, 9, 1.5, 2),
    "customers 6-12-7, λ=0.5": customers_case(0.5),
    "digits 64-25-10, λ=1": digits_case(1.0),
}


@pytest.fixture(scope="module")
def octave_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("octave")
    dirs = []
    for i, (config, X, y, params) in enumerate(CASES.values()):
        d = root / f"case{i}"
        d.mkdir()
        np.savetxt(d / "config.txt", np.array(config)[None], fmt="%.17g")
        np.savetxt(d / "X.txt", X, fmt="%.17g")
        np.savetxt(d / "y.txt", np.asarray(y).reshape(-1, 1), fmt="%d")
        np.savetxt(d / "nn_params.txt", params, fmt="%.17g")
        dirs.append(d)
    run = subprocess.run([OCTAVE, "--norc", "--quiet", str(HERE / "octave" / "parity.m"), *map(str, dirs)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(zip(CASES, dirs))


@pytest.mark.parametrize("name", list(CASES))
def test_cost_and_unrolled_gradient_match_octave(name, octave_results):
    (n_in, hidden, labels, lambda_), X, y, params = CASES[name]
    d = octave_results[name]
    J, grad = octave.nn_cost_function(params, n_in, hidden, labels, X, y, lambda_)
    J_octave = float(np.loadtxt(d / "J.txt"))
    grad_octave = np.loadtxt(d / "grad.txt")
    assert abs(J - J_octave) <= 1e-9 * max(1.0, abs(J_octave))
    assert grad.shape == grad_octave.shape
    np.testing.assert_allclose(grad, grad_octave, rtol=1e-9, atol=1e-12)
    yv_octave = np.loadtxt(d / "yv.txt").reshape((len(y), labels), order="F")
    np.testing.assert_array_equal(octave.one_hot(y, labels), yv_octave)


def test_sigmoid_gradient_and_debug_weights_match_octave(octave_results):
    d = next(iter(octave_results.values()))
    from nblib.activations import sigmoid_gradient

    np.testing.assert_allclose(sigmoid_gradient(np.array([-1, -0.5, 0, 0.5, 1.0])), np.loadtxt(d / "sg.txt"),
                               rtol=1e-12)
    np.testing.assert_allclose(octave.debug_initialize_weights(5, 3),
                               np.loadtxt(d / "debug.txt").reshape((5, 4), order="F"), rtol=1e-12)
