"""Lesson 04's explorer: move two weights of the 2-3-1 network and watch δ and ΔW change."""

from __future__ import annotations

import numpy as np

from nblib import delta_rule
from nblib.validate import as_float_array, check_dict, check_not_empty, check_scalar

X = np.array([1.0, 0.5])
D = 1.0
W1 = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
W2 = np.array([0.2, -0.1, 0.3])
ETA = 0.5
#: Both sliders' range and step.
SLIDER = {"min": -2.0, "max": 2.0, "step": 0.05}
#: The y-limits the bar chart steps through: the smallest that holds every bar with 10% headroom. Steps rather
#: than autoscaling, so the axis stays put while a slider moves a little; 0.06 keeps the worked example legible.
Y_LIMITS = (0.06, 0.12, 0.25, 0.5, 1.0, 1.25)


def delta_table(w2_0: float, w1_00: float, eta: float = ETA) -> dict:
    """Plain update function: the worked example with W2[0] and W1[0, 0] replaced."""
    w2_0 = check_scalar("w2_0", w2_0)
    w1_00 = check_scalar("w1_00", w1_00)
    eta = check_scalar("eta", eta, low=0.0)
    W1_ = W1.copy()
    W2_ = W2.copy()
    W1_[0, 0], W2_[0] = w1_00, w2_0
    try:
        f = delta_rule.forward(X, W1_, W2_)
        dl = delta_rule.deltas(X, D, W1_, W2_)
        dw = delta_rule.weight_changes(X, D, W1_, W2_, eta)
    except ValueError as exc:  # an overflow of the worked example's numbers: name this function's own arguments
        raise ValueError(f"w2_0 = {w2_0:g}, w1_00 = {w1_00:g} and eta = {eta:g} make the worked example overflow "
                         f"({exc}); the sliders stay within [{SLIDER['min']:g}, {SLIDER['max']:g}]") from None
    return {"y": f["y"], "E": delta_rule.error(X, D, W1_, W2_), **dl, **dw}


def y_limit(delta_hidden) -> float:
    """Half-height of the symmetric y-axis for these hidden δ: the first of Y_LIMITS ≥ 1.1·max|δ|."""
    delta_hidden = check_not_empty("delta_hidden", as_float_array("delta_hidden", delta_hidden), "values")
    need = 1.1 * float(np.max(np.abs(delta_hidden)))
    return next((lim for lim in Y_LIMITS if lim >= need), need)


def format_table(t: dict) -> str:
    """The explorer's printed lines for a :func:`delta_table` result ``t``."""
    check_dict("t", t, ("y", "E", "delta_out", "delta_hidden", "dW2", "dW1"), example="delta_table(w2_0, w1_00)")
    lines = [f"y = {t['y']:+.4f}   E = {t['E']:.5f}   δ_out = d − y = {t['delta_out']:+.4f}",
             "δ_hidden = " + "  ".join(f"{v:+.5f}" for v in t["delta_hidden"]),
             "ΔW2      = " + "  ".join(f"{v:+.5f}" for v in t["dW2"]),
             "ΔW1 row 0 = " + "  ".join(f"{v:+.5f}" for v in t["dW1"][0]),
             "ΔW1 row 1 = " + "  ".join(f"{v:+.5f}" for v in t["dW1"][1])]
    return "\n".join(lines)


class DeltaFigure:
    """The δ_hidden bar chart, built once and updated in place by :meth:`update`."""

    def __init__(self, pyplot: bool = False):
        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.fig, self.ax = explorer_canvas(figsize=(7, 3.2), pyplot=pyplot)
        self.bars = self.ax.bar(["δ_h1", "δ_h2", "δ_h3"], [0.0, 0.0, 0.0], color=OKABE_ITO["blue"])
        self.ax.axhline(0, color="black", linewidth=1)
        self.ax.set_ylabel("hidden δ")
        self.ax.set_title("δ_hidden[j] = δ_out · W2[j] · h_j(1 − h_j)")
        self.fig.subplots_adjust(left=0.16, bottom=0.12)
        set_moving(self.fig, list(self.bars))

    def update(self, t: dict):
        for bar, value in zip(self.bars, t["delta_hidden"]):
            bar.set_height(value)
        lim = y_limit(t["delta_hidden"])
        self.ax.set_ylim(-lim, lim)
        return self.fig


def draw_deltas(w2_0: float, w1_00: float):
    """The explorer's figure for one position of the sliders (a new DeltaFigure)."""
    return DeltaFigure(pyplot=True).update(delta_table(w2_0, w1_00))


def delta_explorer():
    """Sliders for W2[0] and W1[0, 0]; prints the δ values and weight changes and draws δ_hidden."""
    import ipywidgets as widgets

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = DeltaFigure()

    def update(w2_0, w1_00):
        t = delta_table(w2_0, w1_00)
        print(format_table(t))
        show_in_place(figure.update(t))

    return Explorer(
        update, figure.fig,
        w2_0=widgets.FloatSlider(value=float(W2[0]), description="W2[0]", **SLIDER),
        w1_00=widgets.FloatSlider(value=float(W1[0, 0]), description="W1[0,0]", **SLIDER))
