"""Lesson 07 figures and explorers without a browser."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib import octave  # noqa: E402
from nblib.data import load_npz  # noqa: E402
from nblib.widgets import octave as w  # noqa: E402


@pytest.fixture(scope="module")
def net():
    d = load_npz("digits.npz")
    X = d["images"].reshape(-1, 64)[:300] / 16.0
    T1, T2, _ = octave.train(X, d["labels"][:300], 64, 10, 10, iterations=60, learning_rate=2.0)
    return T1, T2, d["images"], d["labels"]


def test_digit_view(net):
    v = w.digit_view(5, *net)
    assert v["image"].shape == (8, 8) and v["yv"].sum() == 1 and v["yv"][v["label"] - 1] == 1
    assert v["a3"].shape == (10,) and 1 <= v["prediction"] <= 10
    with pytest.raises(ValueError, match="index must be"):
        w.digit_view(5000, *net)


def test_figures_and_explorer(net):
    ax = w.draw_yv(np.array([3, 1, 7]), 7)
    assert ax.images[0].get_array().shape == (3, 7)
    e = w.digit_explorer(*net)
    e.children[0].value = 7
    assert e.kwargs["index"] == 7
    plt.close("all")


def test_live_training_returns_a_trained_net():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-2, 0.5, (15, 2)), rng.normal(2, 0.5, (15, 2))])
    y = np.array([1] * 15 + [2] * 15)
    T1, T2, costs, out = w.train_with_live_curve(X, y, 2, 3, 2, iterations=50, learning_rate=0.5, min_interval=0)
    assert costs[-1] < costs[0] and T1.shape == (3, 3) and T2.shape == (2, 4)
    plt.close("all")


def test_digit_legend_never_covers_a_bar(net):
    figure = w.DigitFigure()
    images, labels = net[2], net[3]
    for index in (0, len(labels) - 1, *[int(np.flatnonzero(labels == k)[0]) for k in (1, 2, 10)]):
        figure.update(index, w.digit_view(index, *net))
        figure.fig.canvas.draw()
        renderer = figure.fig.canvas.get_renderer()
        legend = figure.legend.get_window_extent(renderer)
        assert legend.x1 <= figure.fig.bbox.x1 + 1
        for bar in (*figure.target, *figure.output):
            box = bar.get_window_extent(renderer)
            assert not (legend.x0 < box.x1 and box.x0 < legend.x1 and legend.y0 < box.y1 and box.y0 < legend.y1), \
                f"the legend covers a bar for digit #{index}"
        np.testing.assert_allclose([b.get_height() for b in figure.output], w.digit_view(index, *net)["a3"])
        assert np.array_equal(figure.image.get_array(), images[index])
