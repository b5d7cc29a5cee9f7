"""`make bench`: the course's code against its peers and the hardware, as ratios measured in one run.

Rows (medians of repeated runs; nothing here asserts on time):
1. nblib.deep train step (forward + backward + update) vs PyTorch CPU autograd, same net, batch, float64.
2. Achieved FLOP rate of that step vs NumPy's own matmul FLOP rate on the same shapes.
3. Vectorised gradients vs a per-example loop.
4. The capstone digits network vs scikit-learn's MLPClassifier: accuracy and training time.
5. Strict nbval over every notebook vs N × a bare kernel start.
6. `import nblib` time.
Optional extras: `pip install torch==2.13.0` (row 1), `pip install scikit-learn` (row 4).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nblib import data, deep
from nblib.training import accuracy, one_hot_columns, per_example_gradients, train_minibatch

ROOT = Path(__file__).resolve().parent.parent
ROWS = []


def row(name, ours, theirs, ratio, goal):
    ROWS.append((name, ours, theirs, ratio, goal))
    print(f"  measured: {name}: {ours} | {theirs} | {ratio}", flush=True)


def timings(fn, n):
    """Wall times of n calls of fn, one per call."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def median_time(fn, repeats=7):
    fn()
    return statistics.median(timings(fn, repeats))


def step_numpy(X, Y, params, acts, lr=0.1):
    AL, caches = deep.model_forward(X, params, acts)
    return deep.update_parameters(params, deep.model_backward(AL, Y, caches, acts, need_dA0=False), lr)


def problem(dims, batch, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(dims[0], batch))
    Y = one_hot_columns(rng.integers(0, dims[-1], size=batch), dims[-1])
    return X, Y, deep.initialize_parameters(dims, seed=seed), ["relu", "sigmoid"]


def bench_torch(cases):
    try:
        import torch
    except ImportError:
        for dims, batch in cases:
            row(f"1. train step {dims} batch {batch}", "—", "skipped: torch not installed (pip install torch==2.13.0)",
                "—", "≤ 1.0×")
        return
    for dims, batch in cases:
        torch_case(torch, dims, batch)


def interleaved_medians(ours_fn, theirs_fn, repeats=5, block=1, warm=1):
    """Median times of two functions timed in alternating phases, and the median of the per-phase ratios.

    Each phase runs one function `warm` times untimed, then `block` times timed. Alternating keeps a noisy
    machine's slow spells from landing on one side only. The warm-up matters when the two sides use different
    thread pools (NumPy's OpenBLAS, PyTorch's OpenMP): right after one side runs, its threads still spin for a
    while and slow the other down; timing single calls back to back made both sides several times slower.
    """
    ours, theirs, ratios = [], [], []
    for _ in range(repeats):
        medians = []
        for fn, times in ((ours_fn, ours), (theirs_fn, theirs)):
            for _ in range(warm):
                fn()
            phase = timings(fn, block)
            times.extend(phase)
            medians.append(statistics.median(phase))
        ratios.append(medians[0] / medians[1])
    return statistics.median(ours), statistics.median(theirs), statistics.median(ratios)


def torch_case(torch, dims, batch):
    X, Y, params, acts = problem(dims, batch)
    tX, tY = torch.tensor(X.T), torch.tensor(Y.T)
    model = torch.nn.Sequential(torch.nn.Linear(dims[0], dims[1]), torch.nn.ReLU(),
                                torch.nn.Linear(dims[1], dims[2]), torch.nn.Sigmoid()).double()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)

    def step_torch():
        optimiser.zero_grad()
        out = model(tX)
        loss = torch.nn.functional.binary_cross_entropy(out, tY, reduction="sum") / batch
        loss.backward()
        optimiser.step()

    ours, theirs, ratio = interleaved_medians(lambda: step_numpy(X, Y, params, acts), step_torch, repeats=7,
                                              block=15, warm=3)
    row(f"1. train step {dims} batch {batch} (float64)", f"{ours * 1e3:.2f} ms", f"torch {theirs * 1e3:.2f} ms",
        f"{ratio:.2f}×", "≤ 1.0×")


def bench_flops(dims, batch):
    X, Y, params, acts = problem(dims, batch)
    layer_flops = [2 * dims[i + 1] * dims[i] * batch for i in range(len(dims) - 1)]
    forward_flops = sum(layer_flops)
    # forward products, every dW product, and every dA product except dA0 (a training step skips it)
    step_flops = 2 * forward_flops + (forward_flops - layer_flops[0])
    A = [np.random.default_rng(1).uniform(size=(dims[i + 1], dims[i])) for i in range(len(dims) - 1)]
    B = [np.random.default_rng(2).uniform(size=(dims[i], batch)) for i in range(len(dims) - 1)]
    # alternating phases, so that the machine's speed of the moment divides out of the ratio
    t_step, t_mm, time_ratio = interleaved_medians(lambda: step_numpy(X, Y, params, acts),
                                                   lambda: [a @ b for a, b in zip(A, B)], repeats=9, block=5, warm=2)
    ours, peak = step_flops / t_step / 1e9, forward_flops / t_mm / 1e9
    share = (step_flops / forward_flops) / time_ratio
    row(f"2. FLOP rate of a step {dims} batch {batch}", f"{ours:.1f} GFLOP/s", f"numpy matmul {peak:.1f} GFLOP/s",
        f"{100 * share:.0f}%", "≥ 70%")


def bench_loop():
    X, Y, params, acts = problem([64, 32, 10], 1797)
    t_loop = median_time(lambda: per_example_gradients(X, Y, params, acts), repeats=3)
    def vectorised():
        AL, caches = deep.model_forward(X, params, acts)
        return deep.model_backward(AL, Y, caches, acts)

    t_vec = median_time(vectorised)
    row("3. gradients of 1,797 digits: vectorised vs loop", f"{t_vec * 1e3:.2f} ms", f"loop {t_loop * 1e3:.0f} ms",
        f"{t_loop / t_vec:.0f}× faster", "≥ 100×")


def digits_split():
    """Lesson 08's split (nblib.data.digits_split)."""
    return data.digits_split()


def bench_sklearn():
    """Lesson 08's network and settings (chosen by cross-validation on the training digits: capstone_cv.py)."""
    X, y, train, test = digits_split()
    X = X - X[:, train].mean(axis=1, keepdims=True)   # centred pixels, as in lesson 08
    params = {}

    def fit_ours():
        params["ours"] = train_minibatch(X[:, train], one_hot_columns(y[train]),
                                         deep.initialize_parameters([64, 32, 10], seed=1), ["relu", "sigmoid"],
                                         learning_rate=0.25, epochs=100, batch_size=32, seed=0)

    def score_ours():
        return accuracy(deep.model_forward(X[:, test], params["ours"], ["relu", "sigmoid"])[0], y[test])

    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        t_ours = median_time(fit_ours, repeats=3)
        row("4. digits: capstone net vs MLPClassifier", f"{100 * score_ours():.1f}% in {t_ours:.2f} s",
            "skipped: scikit-learn not installed (pip install scikit-learn)", "—", "acc ≥, time ≤")
        return
    import warnings

    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=0)

    def fit_theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a ConvergenceWarning if it stops at max_iter
            clf.fit(X[:, train].T, y[train])

    t_ours, t_theirs, ratio = interleaved_medians(fit_ours, fit_theirs, repeats=5, block=1, warm=1)
    acc_ours, acc_theirs = score_ours(), clf.score(X[:, test].T, y[test])
    row("4. digits: capstone net vs MLPClassifier(32)", f"{100 * acc_ours:.1f}% in {t_ours:.2f} s",
        f"sklearn {100 * acc_theirs:.1f}% in {t_theirs:.2f} s",
        f"acc {100 * (acc_ours - acc_theirs):+.1f} pt, time {ratio:.2f}×", "acc ≥, time ≤ 1×")


def strict_nbval(notebooks, workers=()):
    """Wall time of `make test`'s strict nbval options over `notebooks` (sequential unless `workers` says otherwise),
    and whether it passed."""
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers, "--nbval",
                             "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests/nbval_sanitize.cfg"),
                             *map(str, notebooks)], cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t0, "passed" if result.returncode == 0 else "FAILED"


def floor_notebooks(folder, n, source):
    """n copies of a one-cell notebook: what strict nbval costs before a lesson does any work."""
    import nbformat

    paths = []
    for i in range(n):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        paths.append(Path(folder) / f"floor_{i}.ipynb")
        nbformat.write(nb, paths[-1])
    return paths


def bench_nbval():
    import tempfile

    from jupyter_client.manager import start_new_kernel

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    n = len(notebooks)

    def kernel_start():
        km, kc = start_new_kernel(kernel_name="python3")
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    budget = n * median_time(kernel_start, repeats=3)
    t_nbval, status = strict_nbval(notebooks)
    row(f"5. strict nbval, {n} notebooks, sequential ({status})", f"{t_nbval:.1f} s",
        f"{n} × kernel start {budget:.1f} s", f"{t_nbval / budget:.2f}×", "≤ 3×")
    t_par, status = strict_nbval(notebooks, workers=("-n", "2", "--dist", "loadfile"))
    row(f"5c. the same on 2 workers, as make test runs it ({status})", f"{t_par:.1f} s",
        f"{n} × kernel start {budget:.1f} s", f"{t_par / budget:.2f}×", "— (information)")
    # Floors for the row above: the same run over notebooks that do nothing, then over notebooks that only make the
    # imports every lesson makes. No lesson can be cheaper than the second.
    floors = [("5a. floor: one empty cell", "x = 1"),
              ("5b. floor: the lessons' imports only", "import matplotlib.pyplot as plt\nimport numpy as np\n"
               "import nblib\nfrom nblib.plots import use_course_style\nuse_course_style()")]
    with tempfile.TemporaryDirectory() as folder:
        for name, source in floors:
            t, status = strict_nbval(floor_notebooks(folder, n, source))
            row(f"{name}, {n} notebooks ({status})", f"{t:.1f} s", f"{n} × kernel start {budget:.1f} s",
                f"{t / budget:.2f}×", "—")


def bench_import():
    def once():
        subprocess.run([sys.executable, "-c", "import nblib"], check=True)

    def bare():
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    t = median_time(once, repeats=5) - median_time(bare, repeats=5)
    row("6. import nblib (beyond a bare interpreter)", f"{t:.3f} s", "—", f"{t / 0.3:.2f}× of goal", "≤ 0.3 s")


def main():
    print("Running benchmarks (a few minutes)…", flush=True)
    bench_torch([([64, 32, 10], 256), ([64, 32, 10], 1797), ([784, 256, 10], 4096)])
    bench_flops([784, 256, 10], 4096)
    bench_loop()
    bench_sklearn()
    bench_import()
    bench_nbval()
    print()
    print("| row | nblib | peer / limit | ratio | goal |")
    print("|---|---|---|---|---|")
    for name, ours, theirs, ratio, goal in ROWS:
        print(f"| {name} | {ours} | {theirs} | {ratio} | {goal} |")
    print("\nWidget updates: see benchmarks/bench_widgets.py (also run by make bench).")


if __name__ == "__main__":
    main()
