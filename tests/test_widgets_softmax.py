"""Lesson 09's explorer: the update logic without a browser, and the widget builds."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib.widgets import softmax as w  # noqa: E402


def test_cross_entropy_escapes_a_saturated_start_and_squared_error_stalls():
    sq, ce = w.saturation_curve("squared error", -6.0), w.saturation_curve("cross-entropy", -6.0)
    assert sq[0] == ce[0] > 0.4  # the same start
    assert ce[-1] < 0.01 < 0.1 < sq[-1]
    assert "not within 300 steps" in w.summary(-6.0).splitlines()[0]
    assert "from step" in w.summary(-6.0).splitlines()[1]
    with pytest.raises(ValueError, match="loss must be one of"):
        w.saturation_curve("hinge")
    with pytest.raises(ValueError, match="w0"):
        w.saturation_curve("cross-entropy", w0=100.0)


def test_explorer_builds_and_redraws():
    import matplotlib.pyplot as plt

    ax = w.draw_saturation(-2.0, steps=20)
    assert len(ax.lines) == 2 and np.isfinite(ax.lines[0].get_ydata()).all()
    plt.close("all")
    explorer = w.saturation_explorer()
    explorer.children[0].value = -1.0  # triggers the callback
    assert explorer.kwargs["w0"] == -1.0
    plt.close("all")


@pytest.mark.parametrize("w0", [-10.0, -6.0, 0.0, 2.0])  # the slider's ends, the default and a middle
def test_legend_never_covers_a_curve(w0):
    import matplotlib.pyplot as plt

    figure = w.SaturationFigure()
    figure.update(w0)
    figure.fig.canvas.draw()
    renderer = figure.fig.canvas.get_renderer()
    legend = figure.ax.get_legend().get_window_extent(renderer)
    for line in figure.lines:
        points = line.get_transform().transform(line.get_xydata())
        inside = (legend.x0 <= points[:, 0]) & (points[:, 0] <= legend.x1) & \
                 (legend.y0 <= points[:, 1]) & (points[:, 1] <= legend.y1)
        assert not inside.any(), f"w0 = {w0}: {line.get_label()} runs through the legend at step {inside.argmax()}"
    assert legend.x1 <= figure.fig.bbox.x1 + 1  # the legend itself is inside the figure
    plt.close("all")
