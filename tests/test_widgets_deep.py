"""Lessons 04–05 explorers: update functions without a browser."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib import delta_rule  # noqa: E402
from nblib.widgets import deep as deep_widget  # noqa: E402
from nblib.widgets import delta_rule as delta_widget  # noqa: E402


def test_delta_table_follows_the_sliders():
    base = delta_widget.delta_table(0.2, 0.1)
    np.testing.assert_allclose(base["delta_hidden"],
                               delta_rule.deltas(delta_widget.X, 1.0, delta_widget.W1, delta_widget.W2)["delta_hidden"])
    flipped = delta_widget.delta_table(-0.2, 0.1)
    assert np.sign(flipped["delta_hidden"][0]) == -np.sign(base["delta_hidden"][0])
    assert "δ_out = d − y" in delta_widget.format_table(base)


def test_sigmoid_gradients_vanish_and_relu_ones_do_not():
    s = deep_widget.gradient_norms(8, "sigmoid")
    r = deep_widget.gradient_norms(8, "relu")
    assert s.shape == (9,) and s[0] / s[-1] < 1e-4 and r[0] / r[-1] > 1e-2
    with pytest.raises(ValueError, match="activation"):
        deep_widget.gradient_norms(3, "tanh")


def test_widgets_build_and_respond():
    w = delta_widget.delta_explorer()
    w.children[0].value = 1.0
    assert w.kwargs["w2_0"] == 1.0
    v = deep_widget.vanishing_explorer()
    v.children[0].value = 3
    assert v.kwargs["depth"] == 3
    fig = deep_widget.draw_gradient_norms(4)
    assert sum(p.get_visible() for p in fig.axes[0].patches) == 10
    plt.close("all")


def _slider_grid():
    s = delta_widget.SLIDER
    return np.round(np.arange(s["min"], s["max"] + s["step"] / 2, s["step"]), 10)


def test_delta_bars_stay_inside_the_axes_over_the_whole_slider_range():
    """Every bar is drawn whole at the slider ends (corners and edges) — the old fixed ±0.06 clipped them."""
    grid = _slider_grid()
    ends = [(a, b) for a in grid for b in grid if {a, b} & {grid[0], grid[-1]}]
    figure = delta_widget.DeltaFigure()
    for w2_0, w1_00 in ends[::4] + [(grid[0], grid[0]), (grid[-1], grid[-1]), (grid[0], 0.25)]:
        t = delta_widget.delta_table(w2_0, w1_00)
        figure.update(t)
        low, high = figure.ax.get_ylim()
        heights = [bar.get_height() for bar in figure.bars]
        np.testing.assert_allclose(heights, t["delta_hidden"])
        assert low < min(heights) and max(heights) < high, (w2_0, w1_00, heights, (low, high))
        figure.fig.canvas.draw()
        axes_box = figure.ax.get_window_extent()
        for bar in figure.bars:  # the drawn rectangle, in pixels, lies within the axes
            box = bar.get_window_extent()
            assert axes_box.y0 - 1 <= box.y0 and box.y1 <= axes_box.y1 + 1


def test_delta_limits_are_legible_at_the_default_and_bounded_everywhere():
    t = delta_widget.delta_table(float(delta_widget.W2[0]), float(delta_widget.W1[0, 0]))
    assert delta_widget.y_limit(t["delta_hidden"]) == 0.06  # the worked example keeps lesson 04's scale
    grid = _slider_grid()
    peak = max(np.abs(delta_widget.delta_table(a, b)["delta_hidden"]).max() for a in grid[::2] for b in grid[::2])
    assert 0.9 < peak and delta_widget.y_limit([peak]) <= delta_widget.Y_LIMITS[-1]


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1


@pytest.mark.parametrize("depth", [1, 6, deep_widget.MAX_DEPTH])
def test_vanishing_legend_never_covers_a_bar(depth):
    figure = deep_widget.GradientNormsFigure()
    norms = {a: deep_widget.gradient_norms(depth, a) for a in ("sigmoid", "relu")}
    figure.update(depth, norms)
    figure.fig.canvas.draw()
    renderer = figure.fig.canvas.get_renderer()
    legend = figure.legend.get_window_extent(renderer)
    axes_box = figure.ax.get_window_extent(renderer)
    shown = [bar for bars in figure.bars.values() for bar in bars if bar.get_visible()]
    assert len(shown) == 2 * (depth + 1)
    low, high = figure.ax.get_ylim()
    for bar in shown:
        assert low < bar.get_height() < high
        box = bar.get_window_extent(renderer)
        assert not _overlap(legend, box), f"the legend covers a bar at depth {depth}"
        assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
    assert legend.x1 <= figure.fig.bbox.x1 + 1  # the legend itself is inside the figure


def test_vanishing_axes_hold_every_depth_so_a_move_redraws_only_bars():
    """The depth explorer's axes are fixed (NORM_LIMITS, layers 1 … MAX_DEPTH + 1): every norm of every depth
    lies inside them, at least half a decade from either end, and moving the slider keeps the limits and ticks."""
    low, high = deep_widget.NORM_LIMITS
    for depth in range(1, deep_widget.MAX_DEPTH + 1):
        for activation in ("sigmoid", "relu"):
            norms = deep_widget.gradient_norms(depth, activation)
            assert low * 10**0.5 < norms.min() and norms.max() < high / 10**0.5, (depth, activation)
    figure = deep_widget.GradientNormsFigure()
    limits = []
    for depth in (1, 8, deep_widget.MAX_DEPTH):
        figure.update(depth, {a: deep_widget.gradient_norms(depth, a) for a in ("sigmoid", "relu")})
        limits.append((figure.ax.get_xlim(), figure.ax.get_ylim(), tuple(figure.ax.get_xticks())))
    assert limits[0] == limits[1] == limits[2]
    plt.close("all")


@pytest.mark.parametrize(("depth", "title"), [(1, "1 hidden layer:"), (2, "2 hidden layers:"), (6, "6 hidden layers:")])
def test_vanishing_title_counts_layers_in_good_english(depth, title):
    figure = deep_widget.GradientNormsFigure()
    s, r = deep_widget.gradient_norms(depth, "sigmoid"), deep_widget.gradient_norms(depth, "relu")
    assert figure.update(depth, {"sigmoid": s, "relu": r}).axes[0].get_title().startswith(title)
    plt.close("all")
