"""Lesson 04's explorer: move two weights of the 2-3-1 network and watch δ and ΔW change."""

from __future__ import annotations

import numpy as np

from nblib import delta_rule

X = np.array([1.0, 0.5])
D = 1.0
W1 = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
W2 = np.array([0.2, -0.1, 0.3])
ETA = 0.5


def delta_table(w2_0: float, w1_00: float, eta: float = ETA) -> dict:
    """Plain update function: the worked example with W2[0] and W1[0, 0] replaced."""
    W1_ = W1.copy()
    W2_ = W2.copy()
    W1_[0, 0], W2_[0] = w1_00, w2_0
    f = delta_rule.forward(X, W1_, W2_)
    dl = delta_rule.deltas(X, D, W1_, W2_)
    dw = delta_rule.weight_changes(X, D, W1_, W2_, eta)
    return {"y": f["y"], "E": delta_rule.error(X, D, W1_, W2_), **dl, **dw}


def format_table(t: dict) -> str:
    lines = [f"y = {t['y']:+.4f}   E = {t['E']:.5f}   δ_out = d − y = {t['delta_out']:+.4f}",
             "δ_hidden = " + "  ".join(f"{v:+.5f}" for v in t["delta_hidden"]),
             "ΔW2      = " + "  ".join(f"{v:+.5f}" for v in t["dW2"]),
             "ΔW1 row 0 = " + "  ".join(f"{v:+.5f}" for v in t["dW1"][0]),
             "ΔW1 row 1 = " + "  ".join(f"{v:+.5f}" for v in t["dW1"][1])]
    return "\n".join(lines)


def delta_explorer():
    """Sliders for W2[0] and W1[0, 0]; prints the δ values and weight changes and draws δ_hidden."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from nblib.plots import OKABE_ITO, use_course_style

    def update(w2_0, w1_00):
        use_course_style()
        t = delta_table(w2_0, w1_00)
        print(format_table(t))
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.bar(["δ_h1", "δ_h2", "δ_h3"], t["delta_hidden"], color=OKABE_ITO["blue"])
        ax.axhline(0, color="black", linewidth=1)
        ax.set_ylim(-0.06, 0.06)
        ax.set_ylabel("hidden δ")
        ax.set_title("δ_hidden[j] = δ_out · W2[j] · h_j(1 − h_j)")
        plt.show()

    return widgets.interactive(
        update,
        w2_0=widgets.FloatSlider(value=float(W2[0]), min=-2.0, max=2.0, step=0.05, description="W2[0]"),
        w1_00=widgets.FloatSlider(value=float(W1[0, 0]), min=-2.0, max=2.0, step=0.05, description="W1[0,0]"))
