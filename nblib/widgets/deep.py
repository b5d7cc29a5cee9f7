"""Lesson 05's explorer: how the gradient's size changes from layer to layer with depth and activation."""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.validate import as_float_array, check_dict, check_scalar

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


MAX_DEPTH = 15
ACTIVATIONS = (("sigmoid", "orange", -0.2), ("relu", "blue", 0.2))
#: The y-axis of every depth: all norms of depths 1 … MAX_DEPTH lie inside (5.7e-12 … 3.7; tests/test_widgets_deep.py),
#: so one scale compares depths — and a move redraws only the bars and the title (nblib.redraw).
NORM_LIMITS = (1e-12, 30.0)


class GradientNormsFigure:
    """Bar chart (log scale) of ‖dW[l]‖ per layer, sigmoid vs relu hidden layers, on axes fixed for the deepest
    net (layers 1 … MAX_DEPTH + 1, :data:`NORM_LIMITS`); :meth:`update` sets the bars' heights and hides the
    layers the net does not have. The legend sits outside the axes, so no bar is ever under it."""

    def __init__(self, pyplot: bool = False):
        from matplotlib.ticker import LogFormatter

        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.fig, self.ax = explorer_canvas(figsize=(9, 4.2), pyplot=pyplot)
        self.fig.subplots_adjust(left=0.12, right=0.8)
        layers = np.arange(1, MAX_DEPTH + 2)
        self.bars = {a: self.ax.bar(layers + offset, np.ones(len(layers)), width=0.4, color=OKABE_ITO[colour],
                                    label=a) for a, colour, offset in ACTIVATIONS}
        self.ax.set_yscale("log")
        self.ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))  # plain text: 3× faster redraws
        self.ax.set_ylim(*NORM_LIMITS)
        self.ax.set_xlim(0.4, MAX_DEPTH + 1.6)
        self.ax.set_xticks(layers)
        self.ax.set_xlabel("layer l (1 = next to the input)")
        self.ax.set_ylabel("‖dW[l]‖ (log scale)")
        self.legend = self.ax.legend(title="hidden layers", loc="upper left", bbox_to_anchor=(1.01, 1.0))
        set_moving(self.fig, [*self.bars["sigmoid"], *self.bars["relu"], self.ax.title])

    def update(self, depth: int, norms: dict):
        for activation, bars in self.bars.items():
            for i, bar in enumerate(bars):
                bar.set_visible(i < depth + 1)
                if i < depth + 1:
                    bar.set_height(norms[activation][i])
        self.ax.set_title(f"{hidden_layers(depth)}: sigmoid gradients shrink toward the input")
        return self.fig


def hidden_layers(depth: int) -> str:
    """"1 hidden layer", "2 hidden layers", …"""
    depth = check_scalar("depth", depth, low=0, integer=True)
    return f"{depth} hidden layer{'' if depth == 1 else 's'}"


def draw_gradient_norms(depth: int, norms: dict | None = None):
    """The explorer's figure for one depth (``norms`` if already computed)."""
    check_scalar("depth", depth, low=1, high=MAX_DEPTH, integer=True)
    if norms is None:
        norms = {a: gradient_norms(depth, a) for a in ("sigmoid", "relu")}
    check_dict("norms", norms, ("sigmoid", "relu"), example="{'sigmoid': norms, 'relu': norms}")
    for activation in ("sigmoid", "relu"):
        values = as_float_array(f"norms[{activation!r}]", norms[activation])
        if values.shape != (depth + 1,):
            raise ValueError(f"norms[{activation!r}] must hold one norm per layer, shape ({depth + 1},) for depth "
                             f"{depth}, got shape {values.shape}")
    return GradientNormsFigure(pyplot=True).update(depth, norms)


def vanishing_explorer():
    """A depth slider updating the per-layer gradient norms in place (once a drag ends: an update takes
    over 100 ms, see :func:`nblib.widgets.two_layer.shapes_explorer`)."""
    import ipywidgets as widgets

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = GradientNormsFigure()

    def update(depth):
        s, r = gradient_norms(depth, "sigmoid"), gradient_norms(depth, "relu")
        print(f"‖dW1‖ / ‖dW{depth + 1}‖: sigmoid {s[0] / s[-1]:.2e}   relu {r[0] / r[-1]:.2e}")
        show_in_place(figure.update(depth, {"sigmoid": s, "relu": r}))

    return Explorer(update, figure.fig, depth=widgets.IntSlider(value=6, min=1, max=MAX_DEPTH, description="depth",
                                                                 continuous_update=False))
