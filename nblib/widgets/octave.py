"""Lesson 07's figures and explorer: the one-hot matrix yv as a picture, and a digit browser."""

from __future__ import annotations

import numpy as np

from nblib import octave
from nblib.validate import as_float_array, as_label_vector, check_agree, check_not_empty, check_scalar


def draw_yv(y, num_labels: int, rows: int = 12, ax=None):
    """The first ``rows`` rows of yv as a black-and-white picture, labels written beside them."""
    import matplotlib.pyplot as plt

    from nblib.plots import use_course_style

    check_scalar("rows", rows, low=1, high=1_000, integer=True)
    use_course_style()
    y = check_not_empty("y", as_label_vector("y", y, "labels 1 … num_labels"), "labels")[:rows]
    yv = octave.one_hot(y, num_labels)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))
    ax.imshow(yv, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(num_labels), [str(k) for k in range(1, num_labels + 1)])
    ax.set_yticks(range(len(y)), [f"y = {int(v)}" for v in y])
    ax.set_xlabel("column: label 1 … num_labels")
    ax.set_title("yv = [1:num_labels] == y: one 1 per row")
    ax.grid(False)
    return ax


def digit_view(index: int, Theta1, Theta2, images, labels) -> dict:
    """Plain update function of the digit browser: image, true label, yv row, outputs a3 and prediction."""
    images = as_float_array("images", images)
    if images.ndim != 3 or images.shape[1:] != (8, 8) or not len(images):
        raise ValueError(f"images must be an (m, 8, 8) array of digits, got shape {images.shape}")
    labels = as_label_vector("labels", labels, "labels 1 … 10")
    check_agree("examples", ("images", len(images)), ("labels", len(labels)))
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(labels):
        raise ValueError(f"index must be an integer from 0 to {len(labels) - 1}, got {index!r}")
    x = images[index].reshape(1, 64) / 16.0
    a3 = octave.forward(Theta1, Theta2, x)["a3"][0]
    return {"image": images[index], "label": int(labels[index]), "yv": octave.one_hot([labels[index]], 10)[0],
            "a3": a3, "prediction": int(np.argmax(a3) + 1)}


class DigitFigure:
    """The digit browser's figure — the image, and the yv row beside a3 as bars — built once and updated in
    place by :meth:`update`. The legend sits outside the bar chart, so it never covers a bar."""

    def __init__(self, pyplot: bool = False):
        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.fig, (self.ax_image, self.ax) = explorer_canvas(1, 2, figsize=(10, 3.6), pyplot=pyplot,
                                                             gridspec_kw={"width_ratios": [1, 2.2]})
        self.fig.subplots_adjust(left=0.02, right=0.79, bottom=0.22, top=0.86, wspace=0.12)
        self.image = self.ax_image.imshow(np.zeros((8, 8)), cmap="Greys", vmin=0, vmax=16)
        self.ax_image.axis("off")
        x = np.arange(1, 11)
        self.target = self.ax.bar(x - 0.2, np.zeros(10), width=0.4, color=OKABE_ITO["green"], label="yv row (target)")
        self.output = self.ax.bar(x + 0.2, np.zeros(10), width=0.4, color=OKABE_ITO["blue"], label="a3 (output)")
        self.ax.set_xticks(x, [f"{k}\n({k % 10})" for k in x])
        self.ax.set_xlabel("label (digit)")
        self.ax.set_ylim(0, 1.05)
        self.ax.set_title("s3 = a3 − yv is the gap between the bars")
        self.legend = self.ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        self.ax_image.set_title(" ")
        set_moving(self.fig, [self.image, self.ax_image.title, *self.target, *self.output])

    def update(self, index: int, v: dict):
        self.image.set_data(v["image"])
        self.ax_image.set_title(f"example {index}")
        for bars, values in ((self.target, v["yv"]), (self.output, v["a3"])):
            for bar, value in zip(bars, values):
                bar.set_height(value)
        return self.fig


def digit_explorer(Theta1, Theta2, images, labels):
    """A slider over the digits: shows the image, its yv row and the network's ten outputs."""
    import ipywidgets as widgets

    digit_view(0, Theta1, Theta2, images, labels)  # bad arguments refused here, not inside a slider's callback

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = DigitFigure()

    def update(index):
        v = digit_view(index, Theta1, Theta2, images, labels)
        print(f"label {v['label']} (digit {v['label'] % 10})   prediction {v['prediction']} "
              f"(digit {v['prediction'] % 10})   {'right' if v['label'] == v['prediction'] else 'WRONG'}")
        show_in_place(figure.update(index, v))

    return Explorer(update, figure.fig, index=widgets.IntSlider(value=0, min=0, max=len(labels) - 1,
                                                                  description="digit #"))


def train_with_live_curve(X, y, input_layer_size, hidden_layer_size, num_labels, lambda_=1.0, iterations=400,
                          learning_rate=1.0, min_interval=0.5, seed=0):
    """Train with :func:`nblib.octave.train` while the cost curve redraws (at most every ``min_interval``
    seconds, and after the last iteration); returns (Theta1, Theta2, costs, the Output widget)."""
    from nblib.plots import OKABE_ITO, explorer_figure
    from nblib.widgets.live import LivePlot

    history = []

    def draw():
        fig, ax = explorer_figure(figsize=(7, 3.6))
        ax.plot(history, color=OKABE_ITO["blue"])
        ax.set_xlim(0, iterations)
        ax.set_xlabel("iteration")
        ax.set_ylabel("cost J")
        ax.set_title(f"Training: iteration {len(history)} of {iterations}, J = {history[-1]:.4f}")

    live = LivePlot(draw, min_interval)

    def callback(i, J):
        history.append(J)
        live.update(final=i + 1 == iterations)

    Theta1, Theta2, costs = octave.train(X, y, input_layer_size, hidden_layer_size, num_labels, lambda_,
                                         iterations, learning_rate, seed=seed, callback=callback)
    return Theta1, Theta2, costs, live.out
