"""Figures and explorers for lessons 02–03: the learning-rate explorer and the matrix products drawn to scale
(lesson 02's computation graph is :mod:`nblib.widgets.graph`'s compact view)."""

from __future__ import annotations

import numpy as np

from nblib import two_layer
from nblib.validate import as_float_array, check_not_empty, check_scalar


def loss_curve(learning_rate: float, epochs: int = 100, seed: int = 1, m: int | None = None) -> np.ndarray:
    """Plain update function of the learning-rate explorer: the mean-loss curve for one learning rate."""
    from nblib.house_prices import load_house_prices

    check_scalar("learning_rate", learning_rate, low=0.0, inclusive=False)
    data = load_house_prices(m)
    params = two_layer.init_params(4, 5, 1, seed=seed)
    _, losses = two_layer.train(data.X, data.Y, params, learning_rate, epochs, reduction="mean")
    return losses


def describe(losses: np.ndarray) -> str:
    """A one-line diagnosis of a loss curve: too small, good, or diverging/oscillating."""
    losses = as_float_array("losses", losses)
    if losses.ndim != 1:
        raise ValueError(f"losses must be a 1-D curve (one loss per epoch), got shape {losses.shape}")
    check_not_empty("losses", losses, "epochs")
    start, end = losses[0], losses[-1]
    rises = int(np.sum(np.diff(losses) > 0))
    if end > start or rises > len(losses) // 10:
        verdict = "diverging or oscillating: the loss goes up — the step is too large"
    elif end > 0.5 * start:
        verdict = "too small: the loss barely moves"
    else:
        verdict = "good: the loss falls steadily"
    return f"E from {start:.5f} to {end:.5f}; went up in {rises} of {len(losses) - 1} steps — {verdict}"


class LossCurveFigure:
    """The loss curve of one learning rate, built once; :meth:`update` replaces the curve and rescales y."""

    def __init__(self, epochs: int = 100, pyplot: bool = False):
        from matplotlib.ticker import LogFormatter, NullFormatter

        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        epochs = check_scalar("epochs", epochs, low=2, high=two_layer.MAX_STEPS, integer=True)
        self.fig, self.ax = explorer_canvas(pyplot=pyplot)
        self.fig.subplots_adjust(left=0.2)  # log-scale tick labels such as 6×10⁻³ are wide
        (self.line,) = self.ax.plot(np.arange(epochs), np.ones(epochs), color=OKABE_ITO["blue"])
        self.ax.set_yscale("log")
        self.ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))  # plain text: faster than mathtext
        self.ax.yaxis.set_minor_formatter(NullFormatter())  # the limits are whole decades: their labels suffice
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("mean loss E / m (log scale)")
        self.title = self.ax.set_title("")
        set_moving(self.fig, [self.line, self.title])

    def update(self, learning_rate: float, losses: np.ndarray):
        self.line.set_data(np.arange(len(losses)), losses)
        finite = losses[np.isfinite(losses) & (losses > 0)]
        low, high = (np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max()))) if finite.size else (-3, 0)
        # Whole decades: most moves keep the limits, so only the curve and title are redrawn (set_moving).
        self.ax.set_ylim(10.0 ** low, 10.0 ** max(high, low + 1))
        self.ax.set_xlim(-0.02 * len(losses), 1.02 * len(losses))
        self.title.set_text(f"Gradient descent with α = {learning_rate:.3g}")
        return self.fig


def learning_rate_explorer(epochs: int = 100):
    """A log-scale learning-rate slider that retrains and redraws the loss curve in place."""
    import ipywidgets as widgets

    check_scalar("epochs", epochs, low=2, high=10_000, integer=True)

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = LossCurveFigure(epochs)
    slider = widgets.FloatLogSlider(value=3.0, base=10, min=-2, max=2.3, step=0.1, description="α",
                                    readout_format=".3g", continuous_update=False)

    def update(learning_rate):
        losses = loss_curve(learning_rate, epochs)
        print(describe(losses))
        show_in_place(figure.update(learning_rate, losses))

    return Explorer(update, figure.fig, learning_rate=slider)


def product_blocks(n_in: int, n_hidden: int, m: int) -> list[dict]:
    """Plain data of the shapes explorer: for each backward product, the factor shapes and result shape."""
    for name, value in (("n_in", n_in), ("n_hidden", n_hidden), ("m", m)):
        check_scalar(name, value, low=1, high=40, integer=True)
    return [
        {"result": "dE/dW_ho", "left": ("h₁", (n_hidden, m)), "right": ("dZ₂ᵀ", (m, 1)), "shape": (n_hidden, 1)},
        {"result": "dh₁ = W_ho·dZ₂", "left": ("W_ho", (n_hidden, 1)), "right": ("dZ₂", (1, m)), "shape": (n_hidden, m)},
        {"result": "dE/dW_ih", "left": ("X", (n_in, m)), "right": ("dZ₁ᵀ", (m, n_hidden)), "shape": (n_in, n_hidden)},
    ]


#: The shapes explorer's slider ranges; the figure's scale is fixed for the largest sizes they reach, so blocks
#: keep their size in data units while the sliders move, and the labels (sized for that scale) never collide.
M_RANGE = (1, 12)
HIDDEN_RANGE = (1, 10)
FIGSIZE = (8.6, 4.6)  # inches: the products' figure (ProductsFigure), 688 × 368 px at the course's 80 dpi
MIN_SLOT = 9.0  # data units of room for a label such as "(10 × 12)" under the fixed scale
GAP = 2.5


def _slots(block) -> list[float]:
    parts = [block["left"], block["right"], (block["result"], block["shape"])]
    return [max(cols, MIN_SLOT) for _, (_, cols) in parts]


class ProductsFigure:
    """The backward products drawn as blocks to scale, built once and moved in place by :meth:`update`."""

    def __init__(self, n_in: int = 4, pyplot: bool = False):
        from matplotlib.patches import Rectangle

        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.n_in = n_in
        # Two products a row, the rule in the fourth place: wider than tall, so the explorer and its sliders fit a
        # 900 px screen in JupyterLab and, scaled to a 1280 × 720 slide, its smallest text reaches 18 px (three
        # products stacked made a 720 × 720 px figure whose text a slide showed at 10 px).
        self.fig, grid = explorer_canvas(2, 2, figsize=FIGSIZE, pyplot=pyplot)
        self.fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.89, hspace=0.12, wspace=0.06)
        self.axes, rule = list(grid.flat[:3]), grid.flat[3]
        rule.axis("off")
        rule.text(0.5, 0.5, "(r × k)·(k × c) = (r × c):\nthe inner sizes must match,\nthe outer sizes give the result",
                  ha="center", va="center", fontsize=13, linespacing=1.5, transform=rule.transAxes)
        biggest = product_blocks(n_in, HIDDEN_RANGE[1], M_RANGE[1])
        width = max(sum(_slots(b)) + 2 * GAP for b in biggest)
        height = max(n_in, *HIDDEN_RANGE, *M_RANGE)
        colours = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["green"])
        # Each label is two texts — the factor's name, which stays, and its shape, which a move changes — so a move
        # redraws only the shapes that change (nblib.redraw); the same goes for the titles' fixed and moving lines.
        self.rects, self.names, self.shapes, self.signs = [], [], [], []
        for ax, block in zip(self.axes, biggest):
            rects = [ax.add_patch(Rectangle((0, 0), 1, 1, facecolor=c, alpha=0.5, edgecolor="black")) for c in colours]
            names = [ax.text(0, 2.2, "", ha="center", va="bottom", fontsize=12) for _ in colours]
            shapes = [ax.text(0, 0.6, "", ha="center", va="bottom", fontsize=12) for _ in colours]
            signs = [ax.text(0, -0.5, sign, ha="center", va="center", fontsize=20) for sign in ("·", "=")]
            self.rects.append(rects)
            self.names.append(names)
            self.shapes.append(shapes)
            self.signs.append(signs)
            (a, _), (b, _) = block["left"], block["right"]
            ax.set_title(f"{block['result'].split(' = ')[0]} = {a}·{b}", fontsize=13, loc="left")
            ax.set_xlim(-0.5, width + 0.5)
            ax.set_ylim(-height - 0.5, 4.4)
            ax.set_aspect("equal")
            ax.axis("off")
        self.suptitle = self.fig.suptitle("", y=0.985, va="top")
        groups = (*self.rects, *self.names, *self.shapes, *self.signs)
        set_moving(self.fig, [*(a for group in groups for a in group), self.suptitle])

    def update(self, n_hidden: int, m: int):
        blocks = product_blocks(self.n_in, n_hidden, m)
        for rects, names, shapes, signs, block in zip(self.rects, self.names, self.shapes, self.signs, blocks):
            parts = [block["left"], block["right"], (block["result"].split(" = ")[0], block["shape"])]
            x = 0.0
            for i, ((label, (rows, cols)), slot) in enumerate(zip(parts, _slots(block))):
                rects[i].set_bounds(x + (slot - cols) / 2, -rows, cols, rows)
                names[i].set_position((x + slot / 2, 2.2))
                names[i].set_text(label)
                shapes[i].set_position((x + slot / 2, 0.6))
                shapes[i].set_text(f"({rows} × {cols})")
                x += slot + GAP
                if i < 2:
                    signs[i].set_position((x - GAP / 2, -0.5))
        self.suptitle.set_text(f"Backward products drawn to scale (n_in = {self.n_in}, hidden = {n_hidden}, m = {m})")
        return self.fig


def draw_products(n_in: int = 4, n_hidden: int = 5, m: int = 6):
    """Draw each product of the backward pass as blocks to scale: (r × k)·(k × c) = (r × c)."""
    product_blocks(n_in, n_hidden, m)  # validates the sizes
    if n_hidden > HIDDEN_RANGE[1] or m > M_RANGE[1]:
        raise ValueError(f"draw_products draws n_hidden ≤ {HIDDEN_RANGE[1]} and m ≤ {M_RANGE[1]}, "
                         f"got n_hidden={n_hidden}, m={m}")
    return ProductsFigure(n_in, pyplot=True).update(n_hidden, m)


def shapes_explorer():
    """Sliders for m and the hidden size; the product picture redraws. An update takes over 100 ms, so a drag
    updates once, where the slider is let go, instead of queueing a redraw per step the figure then lags behind."""
    import ipywidgets as widgets

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = ProductsFigure(4)

    def update(m, n_hidden):
        for block in product_blocks(4, n_hidden, m):
            (a, sa), (b, sb) = block["left"], block["right"]
            print(f"{block['result']:>16} = {a}·{b}: {sa} · {sb} → {block['shape']}")
        show_in_place(figure.update(n_hidden, m))

    return Explorer(update, figure.fig,
                    m=widgets.IntSlider(value=6, min=M_RANGE[0], max=M_RANGE[1], description="m",
                                        continuous_update=False),
                    n_hidden=widgets.IntSlider(value=5, min=HIDDEN_RANGE[0], max=HIDDEN_RANGE[1],
                                               description="hidden", continuous_update=False))
