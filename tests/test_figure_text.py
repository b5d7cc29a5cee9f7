"""The smallest text of a course figure travels with its PNG (nblib.plots.tag_png): the slides scale each figure so
that text reaches 18 px, and tests/browser/test_slides_walk.py checks it (its 1280 × 720 walk). Recording it
changes no pixel."""

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from nblib.plots import explorer_canvas, figure_png, png_text_px, smallest_text_px, tag_png  # noqa: E402


def test_the_smallest_visible_text_in_png_pixels():
    fig, (ax, off) = explorer_canvas(1, 2)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend()
    ax.set_title("a title")
    ax.annotate("", xy=(0.5, 0.5))  # empty: not text anyone sees
    off.axis("off")  # its tick labels are never drawn
    off.text(0.5, 0.5, "small", fontsize=9)
    fig.canvas.draw()
    assert smallest_text_px(fig) == round(9 * 80 / 72, 2)
    off.texts[0].set_visible(False)
    assert smallest_text_px(fig) == round(13 * 80 / 72, 2)  # the course style's ticks and legend
    assert smallest_text_px(fig, dpi=160) == round(13 * 160 / 72, 2)


def test_the_png_carries_it_and_its_pixels_are_unchanged():
    fig, ax = explorer_canvas()
    ax.plot([0, 1], [0, 1])
    png, _ = figure_png(fig)
    assert png_text_px(png) == smallest_text_px(fig)
    plain = io.BytesIO()
    fig.savefig(plain, format="png")
    assert png_text_px(plain.getvalue()) is None
    tagged = tag_png(plain.getvalue(), 12.5)
    assert png_text_px(tagged) == 12.5
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(tagged))), np.asarray(Image.open(plain)))
    assert tag_png(b"not a png", 12.5) == b"not a png" and tag_png(plain.getvalue(), None) == plain.getvalue()
