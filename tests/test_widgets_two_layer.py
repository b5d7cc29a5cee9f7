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
    fig = w.draw_products(4, 5, 6)
    assert len([ax for ax in fig.axes if ax.get_title(loc="left")]) == 3  # three products; the fourth place: the rule
    plt.close("all")
    lr = w.learning_rate_explorer(epochs=20)
    lr.children[0].value = 10.0
    assert lr.kwargs["learning_rate"] == pytest.approx(10.0)
    shapes = w.shapes_explorer()
    shapes.children[0].value = 3
    assert shapes.kwargs["m"] == 3
    plt.close("all")
    assert np.isfinite(w.loss_curve(1.0, epochs=5)).all()


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1


@pytest.mark.parametrize("m, n_hidden", [(1, 1), (1, 10), (12, 1), (12, 10), (6, 5)])
def test_shapes_labels_never_overlap_each_other_or_the_blocks(m, n_hidden):
    """At the slider ends: no label, sign or row title collides with another or with a block (pixel boxes)."""
    figure = w.ProductsFigure(4)
    figure.update(n_hidden, m)
    figure.fig.canvas.draw()
    renderer = figure.fig.canvas.get_renderer()
    for ax, rects, names, shapes, signs in zip(figure.axes, figure.rects, figure.names, figure.shapes, figure.signs):
        texts = [t.get_window_extent(renderer) for t in (*names, *shapes, *signs, ax.title)]
        blocks = [r.get_window_extent(renderer) for r in rects]
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                assert not _overlap(a, b), f"two labels overlap at m={m}, hidden={n_hidden}"
            for b in blocks:
                assert not _overlap(a, b), f"a label covers a block at m={m}, hidden={n_hidden}"
        axes_box = ax.get_window_extent(renderer)
        for box in blocks:
            assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
            assert axes_box.y0 - 1 <= box.y0 and box.y1 <= axes_box.y1 + 1
    blocks = w.product_blocks(4, n_hidden, m)
    for rects, block in zip(figure.rects, blocks):  # drawn to scale: width = columns, height = rows
        (_, (rows, cols)) = block["left"]
        assert (rects[0].get_width(), rects[0].get_height()) == (cols, rows)
        assert (rects[2].get_width(), rects[2].get_height()) == block["shape"][::-1]


# Measured in JupyterLab 4.6 in Chromium at 1280 × 900 (build/lab_scratch.ipynb): the shapes explorer's output is its
# figure plus 128 px (two sliders and the three lines it prints), and the notebook's visible area is about 780 px of
# a 900 px screen (menu bar, tab bar, notebook toolbar and status bar take the rest).
LAB_CONTROLS_PX = 128
LAB_VISIBLE_PX = 780


def test_shapes_explorer_fits_a_900px_screen_with_its_controls():
    import base64
    import struct

    explorer = w.shapes_explorer()
    for slider in explorer.children[:2]:
        slider.value = slider.max  # the tallest setting: every block at its largest
    data, _ = explorer.still()
    width, height = struct.unpack(">II", base64.b64decode(data["image/png"])[16:24])
    lines = sum("→" in line for line in explorer.printed.splitlines())  # (outside IPython the image prints too)
    assert lines == 3
    assert height + LAB_CONTROLS_PX <= LAB_VISIBLE_PX, f"{height} px figure + {LAB_CONTROLS_PX} px of controls"
    assert width <= 1280 - 380  # beside the file browser, as JupyterLab opens a lesson
    plt.close("all")
