"""Lesson 01's explorer: the tangent to σ at a point z₀ has slope σ′(z₀) = σ(z₀)(1 − σ(z₀))."""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid, sigmoid_gradient
from nblib.validate import check_scalar

Z_GRID = np.linspace(-8.0, 8.0, 401)


def tangent_at(z0: float, z: np.ndarray = Z_GRID) -> dict:
    """The numbers the explorer draws: σ(z₀), the slope σ′(z₀) and the tangent line over ``z``.

    Plain function (no plotting), so tests call it without a browser.
    """
    check_scalar("z0", z0, low=-50.0, high=50.0)
    s0 = float(sigmoid(z0))
    slope = float(sigmoid_gradient(z0))
    return {"z0": float(z0), "sigma": s0, "slope": slope, "z": z, "tangent": s0 + slope * (z - z0)}


def summary(z0: float) -> str:
    """One line of text for the explorer, fixed format."""
    t = tangent_at(z0)
    return f"z0 = {t['z0']:+.2f}   σ(z0) = {t['sigma']:.4f}   slope σ′(z0) = σ(1 − σ) = {t['slope']:.4f}"


def draw_tangent(z0: float, ax=None):
    """Draw σ, σ′ and the tangent at z₀ on ``ax`` (a new figure if None); returns the axes."""
    from nblib.plots import OKABE_ITO, explorer_figure, use_course_style

    use_course_style()
    if ax is None:
        _, ax = explorer_figure()
    t = tangent_at(z0)
    ax.plot(t["z"], sigmoid(t["z"]), color=OKABE_ITO["blue"], label="σ(z)")
    ax.plot(t["z"], sigmoid_gradient(t["z"]), color=OKABE_ITO["orange"], label="σ′(z)")
    ax.plot(t["z"], t["tangent"], "--", color=OKABE_ITO["vermillion"], label=f"tangent, slope {t['slope']:.3f}")
    ax.plot([z0], [t["sigma"]], "o", color=OKABE_ITO["vermillion"], markersize=9)
    ax.set_ylim(-0.2, 1.2)
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("value")
    ax.set_title("The slope of σ at z₀ is σ′(z₀) = σ(z₀)(1 − σ(z₀))")
    ax.legend(loc="upper left")
    return ax


def sigmoid_tangent_explorer(z0: float = 0.0):
    """A z₀ slider that redraws the tangent; returns the ipywidgets container to display."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    slider = widgets.FloatSlider(value=z0, min=-6.0, max=6.0, step=0.25, description="z₀",
                                 continuous_update=True, readout_format=".2f")

    def update(z0):
        print(summary(z0))
        draw_tangent(z0)
        plt.show()

    return widgets.interactive(update, z0=slider)
