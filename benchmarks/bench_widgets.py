"""Median time of one update of every explorer: its plain update function alone, and with its figure
rendered to PNG as the notebook's inline backend does. Target: ≤ 50 ms (prints ratios; never fails)."""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nblib import octave  # noqa: E402
from nblib.data import load_npz  # noqa: E402
from nblib.widgets import deep, delta_rule, sigmoid, start, two_layer  # noqa: E402

TARGET_MS = 50.0


def median_ms(fn, repeats: int = 15) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        start_time = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start_time)
    return 1e3 * statistics.median(times)


def rendered(draw):
    def run():
        draw()
        fig = plt.gcf()
        fig.savefig(io.BytesIO(), format="png")
        plt.close("all")
    return run


def digits_net():
    d = load_npz("digits.npz")
    T1, T2, _ = octave.train(d["images"].reshape(-1, 64)[:300] / 16.0, d["labels"][:300], 64, 25, 10,
                             iterations=50, learning_rate=2.0)
    return T1, T2, d["images"], d["labels"]


def rows():
    net = digits_net()
    yield "01 sigmoid tangent (z₀ slider)", lambda: sigmoid.tangent_at(1.5), rendered(lambda: sigmoid.draw_tangent(1.5))
    yield "00 check feedback (dropdown)", lambda: start.feedback_for("returns σ(z)"), None
    yield "02 learning rate (α slider)", lambda: two_layer.loss_curve(3.0), None
    yield "03 shapes (m, hidden sliders)", lambda: two_layer.product_blocks(4, 5, 6), rendered(
        lambda: two_layer.draw_products(4, 5, 6))
    yield "04 delta rule (two weights)", lambda: delta_rule.delta_table(0.5, 0.1), None
    yield "05 vanishing gradients (depth)", lambda: (deep.gradient_norms(8, "sigmoid"),
                                                     deep.gradient_norms(8, "relu")), rendered(
        lambda: deep.draw_gradient_norms(8))
    yield "06 digit browser (index)", lambda: octave.forward(net[0], net[1], net[2][7].reshape(1, 64) / 16.0), None


def main() -> None:
    print(f"{'explorer update':<34}{'compute ms':>11}{'with figure':>13}{'× target':>10}")
    for name, compute, with_figure in rows():
        c = median_ms(compute)
        f = median_ms(with_figure) if with_figure else float("nan")  # drawing runs the compute step itself
        worst = c if np.isnan(f) else f
        fig_text = "—" if np.isnan(f) else f"{f:.1f}"
        print(f"{name:<34}{c:>11.2f}{fig_text:>13}{worst / TARGET_MS:>9.2f}×")
    print(f"(target ≤ {TARGET_MS:.0f} ms per update, i.e. ≤ 1.00×; medians of 15 runs)")


if __name__ == "__main__":
    main()
