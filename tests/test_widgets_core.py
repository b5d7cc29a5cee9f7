"""Explorers of lessons 00 and 01: update logic without a browser, and the widgets build."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nblib.widgets import sigmoid as sigmoid_widget  # noqa: E402
from nblib.widgets import start  # noqa: E402


def test_tangent_has_slope_sigma_prime():
    t = sigmoid_widget.tangent_at(0.0)
    assert t["sigma"] == 0.5 and t["slope"] == 0.25
    i = np.argmin(np.abs(t["z"] - 2.0))
    assert t["tangent"][i] == pytest.approx(0.5 + 0.25 * t["z"][i])
    assert sigmoid_widget.summary(1.0) == "z0 = +1.00   σ(z0) = 0.7311   slope σ′(z0) = σ(1 − σ) = 0.1966"
    with pytest.raises(ValueError, match="z0"):
        sigmoid_widget.tangent_at(100.0)


def test_tangent_explorer_builds_and_redraws():
    import matplotlib.pyplot as plt

    ax = sigmoid_widget.draw_tangent(2.0)
    assert len(ax.lines) == 4
    plt.close("all")
    w = sigmoid_widget.sigmoid_tangent_explorer(z0=1.0)
    slider = w.children[0]
    slider.value = -3.0  # triggers the callback
    assert w.kwargs["z0"] == -3.0
    plt.close("all")


def test_feedback_explorer_texts():
    assert start.feedback_for("correct: σ(z)(1 − σ(z))").startswith("✔")
    assert "σ(z) itself" in start.feedback_for("returns σ(z)")
    assert "forget to `return`" in start.feedback_for("forgets to return")
    assert "overflow" in start.feedback_for("naive exp overflows")
    with pytest.raises(ValueError, match="attempt must be one of"):
        start.feedback_for("nope")
    w = start.feedback_explorer()
    w.children[0].value = "flattens its output"
    assert w.kwargs["attempt"] == "flattens its output"


def test_describe_figure_reads_titles_and_axis_labels():
    import matplotlib.pyplot as plt

    from nblib.plots import describe_figure, register_alt_text

    fig, (a, b) = plt.subplots(1, 2)
    fig.suptitle("Two views\nof one loss")
    a.set_title("Loss falls")
    a.set_xlabel("epoch")
    a.set_ylabel("E")
    b.set_title("Weights grow", loc="left")
    assert describe_figure(fig) == ("Figure: Two views of one loss. 2 panels: Loss falls (x: epoch; y: E) | "
                                    "Weights grow")
    empty, _ = plt.subplots()
    assert describe_figure(empty) == "Figure: a plot without a title"
    assert register_alt_text() is False  # not inside IPython: nothing to register
    plt.close("all")


def test_alt_text_reaches_a_notebook_output(tmp_path):
    """In a real kernel, a figure shown with plt.show() after use_course_style() carries alt text in its output
    metadata, and so does an explorer's in-place figure."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfrom nblib.plots import use_course_style\n"
                                          "use_course_style()"),
                nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_title('Rises')\n"
                                          "ax.set_xlabel('epoch')\nplt.show()"),
                nbformat.v4.new_code_cell("from nblib.plots import show_in_place\n"
                                          "from nblib.widgets.delta_rule import DeltaFigure\n"
                                          "show_in_place(DeltaFigure().fig)")]
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    alts = [o["metadata"]["image/png"]["alt"]
            for c in nb.cells[1:] for o in c.outputs if "image/png" in o.get("data", {})]
    assert alts == ["Figure: Rises (x: epoch)", "Figure: δ_hidden[j] = δ_out · W2[j] · h_j(1 − h_j) (y: hidden δ)"]
