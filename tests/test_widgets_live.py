"""LivePlot: redraws on the first and final update and at most once per min_interval in between."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib import deep  # noqa: E402
from nblib.widgets import capstone  # noqa: E402
from nblib.widgets.live import LivePlot  # noqa: E402


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_redraws_first_then_throttled_then_final():
    clock, drawn = FakeClock(), []
    live = LivePlot(lambda: drawn.append(plt.subplots()), min_interval=1.0, clock=clock)
    schedule = []
    for step in range(10):  # 0.3 s per step: 0.0, 0.3, …, 2.7
        clock.now = 0.3 * step
        schedule.append(live.update(final=step == 9))
    assert schedule == [True, False, False, False, True, False, False, False, True, True]
    assert live.redraws == len(drawn) == 4
    assert plt.get_fignums() == []  # every figure shown is closed


def test_zero_interval_redraws_every_update_and_negative_is_refused():
    live = LivePlot(lambda: plt.subplots(), min_interval=0.0, clock=FakeClock())
    assert all(live.update() for _ in range(3)) and live.redraws == 3
    with pytest.raises(ValueError, match="min_interval"):
        LivePlot(lambda: None, min_interval=-1)
    plt.close("all")


def test_live_curves_keep_every_epoch_and_draw_the_last():
    curves = capstone.LiveCurves(3, min_interval=3600)
    redrew = [curves.update(0.5 - 0.1 * e, 0.6, 0.55) for e in range(3)]
    assert redrew == [True, False, True]
    assert curves.history["loss"] == pytest.approx([0.5, 0.4, 0.3])
    plt.close("all")


def test_training_callback_feeds_live_curves():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(4, 20))
    Y = (rng.uniform(size=(2, 20)) > 0.5).astype(float)
    curves = capstone.LiveCurves(2, min_interval=3600)
    from nblib.training import train_minibatch

    train_minibatch(X, Y, deep.initialize_parameters([4, 3, 2], seed=0), ["relu", "sigmoid"], 0.1, 2, 5,
                    callback=lambda epoch, p: curves.update(epoch, 0.5, 0.5))
    assert curves.history["loss"] == [0, 1] and curves.live.redraws == 2
    plt.close("all")
