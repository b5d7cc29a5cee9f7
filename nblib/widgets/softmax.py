"""Lesson 09's explorer: one sigmoid unit started saturated, trained on squared error and on cross-entropy.

The two runs differ in one factor: squared error's output error is (o − y)·o(1 − o), cross-entropy's is o − y.
Slide the starting weight w₀ and watch how long squared error stays stuck while the unit is saturated.
"""

from __future__ import annotations

import functools

import numpy as np

from nblib.activations import sigmoid
from nblib.validate import check_choice, check_scalar

LOSSES = ("squared error", "cross-entropy")


def saturation_data(seed: int = 0, m: int = 40):
    """The lesson's 40 points: x uniform in [−2, 2] (seeded), label 1 where x > 0."""
    check_scalar("seed", seed, low=0, integer=True)
    check_scalar("m", m, low=1, high=10_000, integer=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, m)
    return x, (x > 0).astype(float)


def saturation_curve(loss: str, w0: float = -6.0, steps: int = 300, alpha: float = 1.0) -> np.ndarray:
    """Mean ½(y − o)² before each of ``steps`` full-batch steps of o = σ(w x + b) from w = w0, b = 0.

    ``loss`` is what the steps minimise: "squared error" (dz = (o − y) o (1 − o)) or "cross-entropy" (dz = o − y).
    """
    check_choice("loss", loss, LOSSES)
    check_scalar("w0", w0, low=-20.0, high=20.0)
    check_scalar("steps", steps, low=1, high=10_000, integer=True)
    check_scalar("alpha", alpha, low=0.0, inclusive=False)
    return _curve(loss, float(w0), int(steps), float(alpha)).copy()


@functools.lru_cache(maxsize=256)
def _curve(loss: str, w0: float, steps: int, alpha: float) -> np.ndarray:
    """saturation_curve's loop, remembered: the explorer's summary and figure both need each curve, and a slider
    returns to the same positions."""
    x, y = saturation_data()
    w, b, history = w0, 0.0, np.empty(steps)
    for step in range(steps):
        o = sigmoid(w * x + b)
        history[step] = 0.5 * np.mean((y - o) ** 2)
        dz = (o - y) * o * (1 - o) if loss == "squared error" else o - y
        w, b = w - alpha * float(np.mean(dz * x)), b - alpha * float(np.mean(dz))
    history.setflags(write=False)
    return history


def summary(w0: float, steps: int = 300) -> str:
    """One line per loss: when ½(y − o)² first drops below 0.05, fixed format."""
    lines = []
    for loss in LOSSES:
        below = np.flatnonzero(saturation_curve(loss, w0, steps) < 0.05)
        when = f"from step {below[0]}" if below.size else f"not within {steps} steps"
        lines.append(f"w0 = {w0:+.1f}, {loss:>13}: below 0.05 {when}")
    return "\n".join(lines)


class SaturationFigure:
    """Both loss curves, built once; :meth:`update` replaces their data and the title in place."""

    def __init__(self, steps: int = 300, pyplot: bool = False):
        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.steps = check_scalar("steps", steps, low=1, high=10_000, integer=True)
        self.fig, self.ax = explorer_canvas(figsize=(8.4, 4.2), pyplot=pyplot)
        self.fig.subplots_adjust(top=0.82, right=0.74)  # room for the two-line title and the legend
        ax = self.ax
        self.lines = [ax.plot(np.arange(steps), np.zeros(steps), style, color=colour, lw=2.5,
                              label=loss)[0]
                      for loss, colour, style in zip(LOSSES, (OKABE_ITO["vermillion"], OKABE_ITO["blue"]), ("-", "--"))]
        ax.set_xlim(-0.05 * (steps - 1), 1.05 * (steps - 1))
        ax.set_ylim(0.0, 0.5)
        ax.set_xlabel("gradient step")
        ax.set_ylabel("mean ½(y − o)²")
        self.title = ax.set_title("")
        # Outside the axes: from w₀ = −10 squared error stays near 0.5 for all its steps, right where a legend in
        # the upper corner was (tests/test_widgets_softmax.py checks both ends of the slider).
        ax.legend(title="trained on", loc="upper left", bbox_to_anchor=(1.02, 1.0))
        set_moving(self.fig, [*self.lines, self.title])

    def update(self, w0: float):
        for line, loss in zip(self.lines, LOSSES):
            line.set_ydata(saturation_curve(loss, w0, self.steps))
        self.title.set_text(f"Start w₀ = {w0:+.1f}: the more saturated,\nthe longer squared error stalls")
        return self.fig


def draw_saturation(w0: float = -6.0, steps: int = 300):
    """Both curves from w = w0 in a new pyplot figure (a lesson's static cell); returns the axes."""
    figure = SaturationFigure(steps, pyplot=True)
    figure.update(w0)
    return figure.ax


def saturation_explorer(w0: float = -6.0):
    """A w₀ slider that redraws both curves in place; returns the explorer to display."""
    import ipywidgets as widgets

    check_scalar("w0", w0, low=-20.0, high=20.0)

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = SaturationFigure()
    slider = widgets.FloatSlider(value=w0, min=-10.0, max=2.0, step=0.5, description="w₀",
                                 continuous_update=False, readout_format=".1f")

    def update(w0):
        print(summary(w0))
        show_in_place(figure.update(w0))

    return Explorer(update, figure.fig, w0=slider)
