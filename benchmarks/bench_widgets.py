"""Median time of one update of every explorer: its plain update function alone, and with its figure
rendered to PNG as the notebook's inline backend does. Target: ≤ 50 ms (prints ratios; never fails).

The second table compares, for the explorers that keep one figure and update its artists in place (lessons
03, 04, 05, 06), the old way — a new figure built on every move — with the in-place update, both rendered to PNG
as ``display(fig)`` does (``bbox_inches="tight"``, two draws) and as ``nblib.plots.show_in_place``
does (one draw at the fixed margins)."""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nblib import octave  # noqa: E402
from nblib.data import load_npz  # noqa: E402
from nblib.widgets import deep, delta_rule, graph, sigmoid, start, two_layer  # noqa: E402

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


def png(fig) -> None:
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # what IPython's inline display does


def png_in_place(fig) -> None:
    fig.savefig(io.BytesIO(), format="png")  # what nblib.plots.show_in_place does: one draw, fixed margins


def rebuilt_vs_in_place():
    """(name, rebuild a figure each move, update one kept figure in place); both run the compute step too."""
    from nblib.widgets import octave as octave_widget

    def rebuilt(draw):
        def run():
            png(draw())
            plt.close("all")
        return run

    moves = iter(range(10**9))
    shapes_fig = two_layer.ProductsFigure(4)

    def shapes_move():
        return 1 + next(moves) % 10, 1 + next(moves) % 12

    yield ("03 shapes (m, hidden sliders)", rebuilt(lambda: two_layer.draw_products(4, *shapes_move())),
           lambda: png_in_place(shapes_fig.update(*shapes_move())))
    delta_fig = delta_rule.DeltaFigure()

    def delta_moves():
        return 0.5 - 0.05 * (next(moves) % 20), 0.1

    yield ("04 delta rule (two weights)", rebuilt(lambda: delta_rule.draw_deltas(*delta_moves())),
           lambda: png_in_place(delta_fig.update(delta_rule.delta_table(*delta_moves()))))
    deep_fig = deep.GradientNormsFigure()

    def depth_move():
        return 6 + next(moves) % 4

    def deep_norms(depth):
        return {a: deep.gradient_norms(depth, a) for a in ("sigmoid", "relu")}

    def deep_in_place():
        depth = depth_move()
        png_in_place(deep_fig.update(depth, deep_norms(depth)))

    yield "05 vanishing gradients (depth)", rebuilt(lambda: deep.draw_gradient_norms(depth_move())), deep_in_place
    T1, T2, images, labels = digits_net()
    digit_fig = octave_widget.DigitFigure()

    def digit_old():  # the figure as the explorer built it before: two fresh axes per move
        index = next(moves) % 50
        octave_widget.DigitFigure(pyplot=True).update(index, octave_widget.digit_view(index, T1, T2, images, labels))
        return plt.gcf()

    def digit_in_place():
        index = next(moves) % 50
        png_in_place(digit_fig.update(index, octave_widget.digit_view(index, T1, T2, images, labels)))

    yield "06 digit browser (index)", rebuilt(digit_old), digit_in_place


def main() -> None:
    print(f"{'explorer update':<34}{'compute ms':>11}{'with figure':>13}{'× target':>10}")
    for name, compute, with_figure in rows():
        c = median_ms(compute)
        f = median_ms(with_figure) if with_figure else float("nan")  # drawing runs the compute step itself
        worst = c if np.isnan(f) else f
        fig_text = "—" if np.isnan(f) else f"{f:.1f}"
        print(f"{name:<34}{c:>11.2f}{fig_text:>13}{worst / TARGET_MS:>9.2f}×")
    print(f"(target ≤ {TARGET_MS:.0f} ms per update, i.e. ≤ 1.00×; medians of 15 runs)")
    print()
    print(f"{'explorer update + PNG':<34}{'new figure ms':>14}{'in place ms':>13}{'speed-up':>10}")
    from bench_course import interleaved_medians

    for name, before, after in rebuilt_vs_in_place():
        a, b, ratio = interleaved_medians(after, before, repeats=8, block=3, warm=1)
        print(f"{name:<34}{1e3 * b:>14.1f}{1e3 * a:>13.1f}{1 / ratio:>9.2f}×")
    print("(medians of 8 alternating phases of 3 runs each, so a busy machine's slow spells hit both sides;\n"
          " speed-up = median of the per-phase ratios; in place = one kept figure, artists updated with\n"
          " set_height/set_data/set_bounds)")
    print()
    print(f"{'explorer update + PNG, kept figure':<34}{'full draw ms':>14}{'moving ms':>13}{'speed-up':>10}"
          f"{'before ms':>11}{'now/before':>12}")
    for name, full, moving in full_vs_moving():
        a, b, ratio = interleaved_medians(moving, full, repeats=8, block=3, warm=1)
        before = BEFORE_MOVING_MS.get(name, float("nan"))
        print(f"{name:<34}{1e3 * b:>14.1f}{1e3 * a:>13.1f}{1 / ratio:>9.2f}×{before:>11.1f}{1e3 * a / before:>11.2f}×")
    print("(moving = only the artists an update changes, drawn over a kept background with matplotlib's public\n"
          " blitting: nblib.redraw. before = the same column with the private glyph cache (nblib/glyph_cache.py,\n"
          " removed by issue 27), commit 14a88dd: one run, 2026-12-04 13:06 UTC, load average 1.6-1.8 on 2 cores\n"
          " (other sessions' tests running). A graph explorer's slider shows pictures drawn when it is built\n"
          " (0.1-0.3 ms a move either way); this column is the drawing of one step's picture.)")


# The "moving ms" column before issue 27 (nblib.glyph_cache's private text rendering over the same blitting), one
# run of this table on commit 14a88dd, 2026-12-04 13:06 UTC, load average 1.6-1.8 on the 2-core machine (other
# sessions' tests running); kept so that `make bench` prints before and after side by side.
BEFORE_MOVING_MS = {
    "01 sigmoid tangent (z₀ slider)": 20.1,
    "03 shapes (m, hidden sliders)": 41.6,
    "04 delta rule (two weights)": 9.9,
    "07 digit probe (index)": 20.5,
    "08 saturation (w₀ slider)": 16.3,
    "05 vanishing gradients (depth)": 21.2,
    "02 graph (step slider)": 25.7,
    "09 graph (step slider)": 32.8,
}


def full_vs_moving():
    """(name, one move + PNG drawing the whole kept figure, the same drawing only its moving parts)."""
    import itertools

    from nblib.plots import figure_png
    from nblib.widgets import capstone, softmax

    def pair(figure, update):
        def full():  # the whole figure drawn, as savefig does (it draws the animated artists too)
            buffer = io.BytesIO()
            update().savefig(buffer, format="png", pil_kwargs={"compress_level": 1})

        def moving():
            figure_png(update())

        return full, moving

    z = itertools.cycle(np.arange(-6.0, 6.0, 0.25))
    tangent = sigmoid.TangentFigure()
    yield ("01 sigmoid tangent (z₀ slider)", *pair(tangent, lambda: tangent.update(next(z))))
    shapes, sizes = two_layer.ProductsFigure(4), itertools.cycle([(h, m) for h in range(1, 11) for m in range(1, 13)])
    yield ("03 shapes (m, hidden sliders)", *pair(shapes, lambda: shapes.update(*next(sizes))))
    deltas, w = delta_rule.DeltaFigure(), itertools.cycle(np.arange(0.0, 0.5, 0.05))
    yield ("04 delta rule (two weights)", *pair(deltas, lambda: deltas.update(delta_rule.delta_table(next(w), 0.1))))
    probe, rng = capstone.DigitProbeFigure(), np.random.default_rng(0)
    yield ("07 digit probe (index)", *pair(probe, lambda: probe.update(
        rng.random(64), {"outputs": rng.random(10), "label": 3, "prediction": 3})))
    saturation, w0 = softmax.SaturationFigure(), itertools.cycle(np.arange(-10.0, 2.0, 0.5))
    yield ("08 saturation (w₀ slider)", *pair(saturation, lambda: saturation.update(next(w0))))
    depths = deep.GradientNormsFigure()
    norms = {d: {a: deep.gradient_norms(d, a) for a in ("sigmoid", "relu")} for d in range(1, deep.MAX_DEPTH + 1)}
    depth = itertools.cycle(range(1, deep.MAX_DEPTH + 1))

    def depth_move():
        d = next(depth)
        return depths.update(d, norms[d])

    yield ("05 vanishing gradients (depth)", *pair(depths, depth_move))
    with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel, the explorers' first display prints a repr
        built = list(graph_explorers())
    for name, explorer in built:
        steps = itertools.cycle(range(explorer.children[0].max + 1))
        ax = explorer.figure.axes[0]
        show = graph._show_compact_step if graph.is_compact(ax) else graph._show_full_step

        def step(ax=ax, show=show, steps=steps):
            show(ax, next(steps))
            return ax.figure

        yield (name, *pair(SimpleNamespace(fig=explorer.figure), step))


def graph_explorers():
    """Lesson 02's compact graph (its house network) and lesson 10's fan-out expression, as the lessons build them."""
    from nblib import two_layer as net
    from nblib.autodiff import Tensor
    from nblib.house_prices import load_house_prices

    data = load_house_prices()
    house = graph.house_graph(data.X[:, :1], data.Y[:, :1], net.init_params(n_in=4, n_hidden=5, n_out=1, seed=1))
    yield "02 graph (step slider)", graph.graph_explorer(house, compact=True, boxed=("W_ih", "b_ih", "W_ho", "b_ho"),
                                                         grad_names={"Z₂": "δ₂"})
    x, w, b = Tensor(1.5, "x"), Tensor(-0.8, "w"), Tensor(0.4, "b")
    s = (w * x + b).sigmoid()
    s.name = "s"
    L = s * x
    L.name = "L"
    yield "09 graph (step slider)", graph.graph_explorer(L)


BROWSER_TARGET_MS = 100.0
BROWSER_TIMES = Path(__file__).resolve().parent.parent / "build" / "browser" / "explorer_times.json"


def measure_in_browser() -> None:
    """Time every explorer in Chromium on its own: tests/browser/test_jupyterlab.py's lesson runs, one worker and
    nothing else running (inside `make test` the other worker's tests share the machine and slow every move)."""
    import shutil
    import subprocess
    import sys

    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        print("(no Chromium: the browser timings below, if any, are from the last `make test`)")
        return
    root = BROWSER_TIMES.parent.parent.parent
    BROWSER_TIMES.unlink(missing_ok=True)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/browser/test_jupyterlab.py",
                          "-k", "runs_in_jupyterlab"], cwd=root, capture_output=True, text=True, timeout=1200)
    if run.returncode:
        print(f"(the browser run failed, exit {run.returncode}:)\n{run.stdout[-2000:]}")


def browser_times() -> None:
    """Input → updated, decoded figure in Chromium, as tests/browser/test_jupyterlab.py measured it last."""
    if not BROWSER_TIMES.exists():
        print(f"(no browser timings: {BROWSER_TIMES} is written by the browser tests, make test with Chromium)")
        return
    data = json.loads(BROWSER_TIMES.read_text(encoding="utf-8"))
    print(f"{'explorer, in JupyterLab':<48}{'moves':>6}{'median ms':>11}{'range ms':>16}{'× target':>10}")
    for name, times in sorted(data.items()):
        med = statistics.median(times)
        print(f"{name:<48}{len(times):>6}{med:>11.0f}{f'{min(times):.0f}–{max(times):.0f}':>16}"
              f"{med / BROWSER_TARGET_MS:>9.2f}×")
    print(f"(target ≤ {BROWSER_TARGET_MS:.0f} ms median from a key press on the slider to the new figure decoded;\n"
          " the moves: each slider of the explorer to its end (End), its start (Home), one step right (ArrowRight);\n"
          " a dropdown explorer, its last option; one run of the browser test alone, unless it could not run:\n"
          " then the last `make test`'s, slower while its other worker shares the machine)")


if __name__ == "__main__":
    main()
    print()
    measure_in_browser()
    browser_times()
