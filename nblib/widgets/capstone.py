"""Lesson 08's live training curves and digit probe."""

from __future__ import annotations

import numpy as np

from nblib import deep
from nblib.validate import as_float_array, as_label_vector, check_2d, check_agree


class LiveCurves:
    """Loss and accuracy curves that redraw while a network trains (see :class:`nblib.widgets.live.LivePlot`)."""

    def __init__(self, epochs: int, min_interval: float = 0.5):
        from nblib.validate import MAX_STEPS, check_scalar
        from nblib.widgets.live import LivePlot

        self.epochs = check_scalar("epochs", epochs, low=1, high=MAX_STEPS, integer=True)
        self.history = {"loss": [], "train": [], "test": []}
        self.live = LivePlot(self.draw, min_interval)

    def update(self, loss: float, train_accuracy: float, test_accuracy: float) -> bool:
        """Record one epoch; redraw if it is time (always after the last epoch). True if it redrew."""
        for key, value in zip(("loss", "train", "test"), (loss, train_accuracy, test_accuracy)):
            self.history[key].append(value)
        return self.live.update(final=len(self.history["loss"]) >= self.epochs)

    def draw(self) -> None:
        from nblib.plots import OKABE_ITO, explorer_figure

        fig, (ax1, ax2) = explorer_figure(1, 2, figsize=(11, 3.8))
        epochs = np.arange(1, len(self.history["loss"]) + 1)
        ax1.plot(epochs, self.history["loss"], color=OKABE_ITO["blue"])
        ax1.set_xlim(1, self.epochs)
        ax1.set_xlabel("epoch")
        ax1.set_ylabel("training cost J")
        ax1.set_title(f"epoch {len(epochs)} of {self.epochs}")
        ax2.plot(epochs, 100 * np.array(self.history["train"]), color=OKABE_ITO["orange"], label="train")
        ax2.plot(epochs, 100 * np.array(self.history["test"]), color=OKABE_ITO["green"], label="held-out")
        ax2.set_xlim(1, self.epochs)
        ax2.set_xlabel("epoch")
        ax2.set_ylabel("accuracy (%)")
        ax2.set_title("accuracy on the training and held-out digits")
        ax2.legend(loc="lower right")


def digit_probe(index: int, parameters, activations, X, labels) -> dict:
    """Plain update function: the network's ten outputs for held-out example ``index``."""
    X = check_2d("X", as_float_array("X", X), "(features, m)")
    labels = as_label_vector("labels", labels, "digit labels")
    check_agree("examples", ("X", X.shape[1]), ("labels", len(labels)))
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < X.shape[1]:
        raise ValueError(f"index must be an integer from 0 to {X.shape[1] - 1}, got {index!r}")
    AL, _ = deep.model_forward(X[:, index:index + 1], parameters, activations)
    return {"outputs": AL[:, 0], "prediction": int(np.argmax(AL)), "label": int(labels[index])}


class DigitProbeFigure:
    """A held-out digit and the network's ten outputs, built once; :meth:`update` swaps the image and the bars."""

    def __init__(self, pyplot: bool = False):
        from nblib.plots import OKABE_ITO, explorer_canvas, set_moving

        self.fig, (ax1, ax2) = explorer_canvas(1, 2, figsize=(10, 3.4), pyplot=pyplot,
                                               gridspec_kw={"width_ratios": [1, 2.4]})
        self.image = ax1.imshow(np.zeros((8, 8)), cmap="Greys", vmin=0.0, vmax=1.0)
        ax1.axis("off")
        self.title = ax1.set_title("")
        self.bars = ax2.bar(np.arange(10), np.zeros(10), color=OKABE_ITO["blue"])
        ax2.set_xticks(range(10))
        ax2.set_ylim(0, 1.05)
        ax2.set_xlabel("digit")
        ax2.set_ylabel("sigmoid output")
        ax2.set_title("the network's ten outputs: the tallest bar is its answer")
        set_moving(self.fig, [self.image, self.title, *self.bars])

    def update(self, pixels, view: dict):
        pixels = np.asarray(pixels, dtype=float).reshape(8, 8)
        self.image.set_data(pixels)
        self.image.set_clim(pixels.min(), pixels.max() if pixels.max() > pixels.min() else pixels.min() + 1)
        self.title.set_text(f"digit {view['label']}")
        for bar, value in zip(self.bars, view["outputs"]):
            bar.set_height(value)
        return self.fig


def digit_probe_explorer(parameters, activations, X, labels):
    """A slider over held-out digits: the image and the ten sigmoid outputs."""
    import ipywidgets as widgets

    digit_probe(0, parameters, activations, X, labels)  # bad arguments refused here, not inside a slider's callback
    X = np.asarray(X, dtype=float)

    from nblib.plots import show_in_place
    from nblib.widgets.explorer import Explorer

    figure = DigitProbeFigure()

    def update(index):
        v = digit_probe(index, parameters, activations, X, labels)
        print(f"digit {v['label']} → predicted {v['prediction']} "
              f"({'right' if v['label'] == v['prediction'] else 'WRONG'})")
        show_in_place(figure.update(X[:, index], v))

    return Explorer(update, figure.fig, index=widgets.IntSlider(value=0, min=0, max=X.shape[1] - 1,
                                                                  description="held-out #"))
