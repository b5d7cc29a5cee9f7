"""Explorers of lessons 00 and 01: update logic without a browser, and the widgets build."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib.widgets import sigmoid as sigmoid_widget  # noqa: E402
from nblib.widgets import start  # noqa: E402


def test_tangent_has_slope_sigma_prime():
    t = sigmoid_widget.tangent_at(0.0)
    assert t["sigma"] == 0.5 and t["slope"] == 0.25
    i = np.argmin(np.abs(t["z"] - 2.0))
    assert t["tangent"][i] == pytest.approx(0.5 + 0.25 * t["z"][i])
    assert sigmoid_widget.summary(1.0) == "z0 = +1.00   σ(z0) = 0.7311   slope σ′(z0) = σ(1 − σ) = 0.1966"
    with pytest.raises(ValueError, match="z0"):
        sigmoid_widget.tangent_at(100.0)


def test_tangent_explorer_builds_and_redraws():
    import matplotlib.pyplot as plt

    ax = sigmoid_widget.draw_tangent(2.0)
    assert len(ax.lines) == 4
    plt.close("all")
    w = sigmoid_widget.sigmoid_tangent_explorer(z0=1.0)
    slider = w.children[0]
    slider.value = -3.0  # triggers the callback
    assert w.kwargs["z0"] == -3.0
    plt.close("all")


def test_feedback_explorer_texts():
    assert start.feedback_for("correct: σ(z)(1 − σ(z))").startswith("✔")
    assert "σ(z) itself" in start.feedback_for("returns σ(z)")
    assert "forget to `return`" in start.feedback_for("forgets to return")
    assert "overflow" in start.feedback_for("naive exp overflows")
    with pytest.raises(ValueError, match="attempt must be one of"):
        start.feedback_for("nope")
    w = start.feedback_explorer()
    w.children[0].value = "flattens its output"
    assert w.kwargs["attempt"] == "flattens its output"
