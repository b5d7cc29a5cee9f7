"""Lesson 01's explorer: the tangent to σ at a point z₀ has slope σ′(z₀) = σ(z₀)(1 − σ(z₀))."""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid, sigmoid_gradient
from nblib.validate import as_float_array, check_scalar

Z_GRID = np.linspace(-8.0, 8.0, 401)


def tangent_at(z0: float, z: np.ndarray = Z_GRID) -> dict:
    """The numbers the explorer draws: σ(z₀), the slope σ′(z₀) and the tangent line over ``z``.

    Plain function (no plotting), so tests call it without a browser.
    """
    check_scalar("z0", z0, low=-50.0, high=50.0)
    z = as_float_array("z", z)
    s0 = float(sigmoid(z0))
    slope = float(sigmoid_gradient(z0))
    return {"z0": float(z0), "sigma": s0, "slope": slope, "z": z, "tangent": s0 + slope * (z - z0)}


def summary(z0: float) -> str:
    """One line of text for the explorer, fixed format."""
    t = tangent_at(z0)
    return f"z0 = {t['z0']:+.2f}   σ(z0) = {t['sigma']:.4f}   slope σ′(z0) = σ(1 − σ) = {t['slope']:.4f}"


class TangentFigure:
    """σ, σ′ and the tangent at z₀, built once; :meth:`update` moves the tangent and the point in place."""

    def __init__(self, pyplot: bool = False):
        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.fig, self.ax = explorer_canvas(pyplot=pyplot)
        ax = self.ax
        ax.plot(Z_GRID, sigmoid(Z_GRID), color=OKABE_ITO["blue"], label="σ(z)")
        ax.plot(Z_GRID, sigmoid_gradient(Z_GRID), color=OKABE_ITO["orange"], label="σ′(z)")
        (self.tangent,) = ax.plot(Z_GRID, Z_GRID * 0, "--", color=OKABE_ITO["vermillion"], label="tangent")
        (self.point,) = ax.plot([0.0], [0.5], "o", color=OKABE_ITO["vermillion"], markersize=9)
        ax.set_xlim(Z_GRID[0] - 0.8, Z_GRID[-1] + 0.8)
        ax.set_ylim(-0.2, 1.2)
        ax.set_xlabel("pre-activation z")
        ax.set_ylabel("value")
        ax.set_title("The slope of σ at z₀ is σ′(z₀) = σ(z₀)(1 − σ(z₀))")
        self.legend = ax.legend(loc="upper left")
        set_moving(self.fig, [self.tangent, self.point, self.legend])

    def update(self, z0: float):
        t = tangent_at(z0)
        self.tangent.set_ydata(t["tangent"])
        self.point.set_data([t["z0"]], [t["sigma"]])
        label = f"tangent, slope {t['slope']:.3f}"
        self.tangent.set_label(label)
        self.legend.get_texts()[2].set_text(label)
        return self.fig


def draw_tangent(z0: float):
    """σ, σ′ and the tangent at z₀ in a new pyplot figure (a lesson's static cell); returns the axes."""
    figure = TangentFigure(pyplot=True)
    figure.update(z0)
    return figure.ax


def sigmoid_tangent_explorer(z0: float = 0.0):
    """A z₀ slider that moves the tangent; returns the explorer to display."""
    import ipywidgets as widgets

    check_scalar("z0", z0, low=-6.0, high=6.0)

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = TangentFigure()
    slider = widgets.FloatSlider(value=z0, min=-6.0, max=6.0, step=0.25, description="z₀",
                                 continuous_update=True, readout_format=".2f")

    def update(z0):
        print(summary(z0))
        show_in_place(figure.update(z0))

    return Explorer(update, figure.fig, z0=slider)
