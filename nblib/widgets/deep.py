"""Lesson 05's explorer: how the gradient's size changes from layer to layer with depth and activation."""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.validate import check_scalar

WIDTH = 16


def gradient_norms(depth: int, activation: str, seed: int = 3) -> np.ndarray:
    """Plain update function: ‖dW[l]‖ for l = 1 … depth+1 of a net with ``depth`` hidden layers of 16 units
    (the given activation) and a sigmoid output, on a fixed batch of 64 examples.

    Initialisation suits each activation (He for relu, Xavier 1/√n for sigmoid), so what remains is the
    effect of the activation's derivative.
    """
    check_scalar("depth", depth, low=1, high=30, integer=True)
    if activation not in ("relu", "sigmoid"):
        raise ValueError(f"activation must be 'relu' or 'sigmoid', got {activation!r}")
    dims = [8] + [WIDTH] * depth + [1]
    if activation == "relu":
        params = deep.initialize_parameters(dims, seed=seed)
    else:
        params = deep.initialize_parameters(dims, seed=seed)
        for l in range(1, len(dims)):
            params[f"W{l}"] *= np.sqrt(0.5)   # He's √(2/n) → Xavier's √(1/n)
    X = np.sin(np.arange(8 * 64).reshape(8, 64) * 0.37)
    Y = (np.cos(np.arange(64) * 0.9) > 0).astype(float).reshape(1, 64)
    acts = [activation] * depth + ["sigmoid"]
    AL, caches = deep.model_forward(X, params, acts)
    grads = deep.model_backward(AL, Y, caches, acts)
    return np.array([np.linalg.norm(grads[f"dW{l}"]) for l in range(1, len(dims))])


def draw_gradient_norms(depth: int, norms: dict | None = None):
    """Bar chart (log scale) of ‖dW[l]‖ per layer, sigmoid vs relu hidden layers (``norms`` if computed)."""
    from nblib.plots import OKABE_ITO, explorer_figure, use_course_style

    use_course_style()
    norms = norms or {a: gradient_norms(depth, a) for a in ("sigmoid", "relu")}
    fig, ax = explorer_figure(figsize=(9, 4.2))
    layers = np.arange(1, depth + 2)
    for offset, activation, colour in ((-0.2, "sigmoid", OKABE_ITO["orange"]), (0.2, "relu", OKABE_ITO["blue"])):
        ax.bar(layers + offset, norms[activation], width=0.4, color=colour, label=f"{activation} hidden layers")
    ax.set_yscale("log")
    from matplotlib.ticker import LogFormatter

    ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))  # plain text, not mathtext: 3× faster redraws
    ax.set_xlabel("layer l (1 = next to the input)")
    ax.set_ylabel("‖dW[l]‖ (log scale)")
    ax.set_title(f"{depth} hidden layers: sigmoid gradients shrink toward the input")
    ax.legend(loc="lower right")
    return fig


def vanishing_explorer():
    """A depth slider redrawing the per-layer gradient norms."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def update(depth):
        s, r = gradient_norms(depth, "sigmoid"), gradient_norms(depth, "relu")
        print(f"‖dW1‖ / ‖dW{depth + 1}‖: sigmoid {s[0] / s[-1]:.2e}   relu {r[0] / r[-1]:.2e}")
        draw_gradient_norms(depth, {"sigmoid": s, "relu": r})
        plt.show()

    return widgets.interactive(update, depth=widgets.IntSlider(value=6, min=1, max=15, description="depth"))
