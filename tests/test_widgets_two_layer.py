"""Lessons 02–03 explorers: the update functions without a browser."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib.widgets import two_layer as w  # noqa: E402


def test_loss_curve_regimes():
    assert "too small" in w.describe(w.loss_curve(0.01))
    assert "good" in w.describe(w.loss_curve(3.0))
    assert "diverging or oscillating" in w.describe(w.loss_curve(100.0))
    with pytest.raises(ValueError, match="learning_rate"):
        w.loss_curve(0.0)


def test_product_blocks_shapes_follow_m_and_hidden():
    blocks = w.product_blocks(4, 7, 9)
    assert [b["shape"] for b in blocks] == [(7, 1), (7, 9), (4, 7)]
    for b in blocks:
        (_, left), (_, right) = b["left"], b["right"]
        assert left[1] == right[0] and (left[0], right[1]) == b["shape"]
    with pytest.raises(ValueError, match="m must lie"):
        w.product_blocks(4, 5, 0)


def test_figures_and_widgets_build():
    ax = w.draw_computation_graph()
    assert len(ax.texts) >= 9
    fig = w.draw_products(4, 5, 6)
    assert len(fig.axes) == 3
    plt.close("all")
    lr = w.learning_rate_explorer(epochs=20)
    lr.children[0].value = 10.0
    assert lr.kwargs["learning_rate"] == pytest.approx(10.0)
    shapes = w.shapes_explorer()
    shapes.children[0].value = 3
    assert shapes.kwargs["m"] == 3
    plt.close("all")
    assert np.isfinite(w.loss_curve(1.0, epochs=5)).all()
