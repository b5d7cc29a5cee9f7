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
    assert len(fig.axes[0].patches) == 10
    plt.close("all")
