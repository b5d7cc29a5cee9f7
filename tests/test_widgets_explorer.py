"""Every explorer's display carries a still of its view (PNG with alt text, and the text it printed), so a lesson
opened before it is run shows the figure instead of ``interactive(children=…``; the committed notebooks hold it."""

import base64
import json
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from graph_cases import fan_out, house  # noqa: E402

from nblib import deep  # noqa: E402
from nblib.widgets import capstone, delta_rule, graph, softmax, start, two_layer  # noqa: E402
from nblib.widgets import deep as deep_widget  # noqa: E402
from nblib.widgets import sigmoid as sigmoid_widget  # noqa: E402
from nblib.widgets.explorer import Explorer  # noqa: E402
from nblib.widgets.live import LivePlot  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def png_size(data: str) -> tuple[int, int]:
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", raw[16:24])


def explorers():
    p = deep.initialize_parameters([64, 5, 10], seed=0)
    Xd = np.abs(np.sin(np.arange(640.0))).reshape(64, 10)
    return {
        "01 tangent": lambda: sigmoid_widget.sigmoid_tangent_explorer(z0=1.0),
        "02 learning rate": lambda: two_layer.learning_rate_explorer(epochs=20),
        "03 shapes": two_layer.shapes_explorer,
        "04 delta": delta_rule.delta_explorer,
        "05 depth": deep_widget.vanishing_explorer,
        "07 probe": lambda: capstone.digit_probe_explorer(p, ["relu", "sigmoid"], Xd, np.arange(10)),
        "08 saturation": softmax.saturation_explorer,
        "02 graph": lambda: graph.graph_explorer(house(), compact=True, boxed=("W_ih", "b_ih", "W_ho", "b_ho")),
        "09 graph": lambda: graph.graph_explorer(fan_out()),
    }


@pytest.mark.parametrize("name", list(explorers()))
def test_bundle_holds_the_default_figure_and_text(name):
    explorer = explorers()[name]()
    try:
        data, metadata = explorer._repr_mimebundle_()
        assert WIDGET_VIEW in data  # the live widget stays first choice
        figure = explorer.figure
        width, height = png_size(data["image/png"])
        assert (width, height) == tuple(int(round(v)) for v in figure.get_size_inches() * figure.dpi)
        alt = metadata["image/png"]["alt"]
        assert alt.startswith("Figure: ") and "without a title" not in alt
        assert not data["text/plain"].startswith("interactive("), data["text/plain"][:80]
        # The still follows the view: move the first control, and its text or its figure's alt text changes.
        before = (data["text/plain"], alt)
        control = explorer.children[0]
        control.value = control.max if hasattr(control, "max") else control.options[-1]
        data, metadata = explorer._repr_mimebundle_()
        assert (data["text/plain"], metadata["image/png"]["alt"]) != before
    finally:
        plt.close("all")


def test_a_text_only_explorer_falls_back_to_its_text():
    explorer = start.feedback_explorer()
    data, metadata = explorer._repr_mimebundle_()
    assert "image/png" not in data and metadata == {}
    assert data["text/plain"] == start.feedback_for("returns σ(z)")
    explorer.children[0].value = "forgets to return"
    assert explorer._repr_mimebundle_()[0]["text/plain"] == start.feedback_for("forgets to return")


def test_explorer_keeps_the_order_of_its_controls_and_prints_through():
    import ipywidgets as widgets

    seen = []

    def update(b, a):
        seen.append((b, a))
        print(f"b={b} a={a}")

    explorer = Explorer(update, a=widgets.IntSlider(value=1), b=widgets.IntSlider(value=2))
    assert [c.description for c in explorer.children[:2]] == ["b", "a"]  # the function's order, as interactive does
    assert seen == [(2, 1)] and explorer._repr_mimebundle_()[0]["text/plain"] == "b=2 a=1"


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, obj, **kwargs):
        self.updates.append((obj, kwargs))


def test_live_plot_keeps_its_final_figure_in_its_output(monkeypatch):
    from nblib.widgets import live as live_module

    monkeypatch.setattr(live_module, "_in_ipython", lambda: True)
    live = LivePlot(lambda: plt.subplots()[1].set_title("final curve"), min_interval=0.0)
    live._handle = FakeHandle()
    live.update()
    assert live._handle.updates == []  # only the final figure is kept
    live.update(final=True)
    (bundle, kwargs), = live._handle.updates
    assert WIDGET_VIEW in bundle and bundle["text/plain"] == "Output()"  # what nbval compares stays the same
    png_size(bundle["image/png"])
    assert kwargs["raw"] and kwargs["metadata"]["image/png"]["alt"] == "Figure: final curve"
    plt.close("all")


def stored_outputs(mime: str):
    """(where, output) for every output of the committed lessons that holds ``mime``."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            for output in cell.get("outputs", []):
                if mime in output.get("data", {}):
                    yield f"{path.stem} cell {index}", output


def widget_outputs():
    return stored_outputs(WIDGET_VIEW)


@pytest.mark.parametrize("where,output", list(widget_outputs()), ids=[w for w, _ in widget_outputs()])
def test_committed_widget_outputs_show_something_before_they_run(where, output):
    data = output["data"]
    text = "".join(data.get("text/plain", ""))
    if "image/png" in data:
        png_size(data["image/png"])
        assert output.get("metadata", {}).get("image/png", {}).get("alt", "").startswith("Figure: ")
    else:
        assert text.strip() and not text.startswith(("interactive(", "Output(", "VBox(")), (
            f"{where}: before it runs, JupyterLab shows {text[:60]!r}")


def pixels(png: bytes):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def full_draw_png(fig) -> bytes:
    """``fig`` drawn whole by a fresh Agg canvas of matplotlib's (no kept background)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    try:
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        fig.set_canvas(canvas)


def control_values(control) -> list:
    """Every value a control can take (a slider's steps, a dropdown's options)."""
    if hasattr(control, "options"):
        return list(control.options)
    count = int(round((control.max - control.min) / control.step))
    steps = [control.min + k * control.step for k in range(count + 1)]
    if hasattr(control, "base"):  # FloatLogSlider: min, max and step are exponents
        return [float(control.base ** e) for e in steps]
    return [type(control.value)(v) for v in steps]


@pytest.mark.parametrize("name", list(explorers()))
def test_redrawing_only_the_moving_parts_gives_the_same_picture(name):
    """An update redraws only what changed over a kept background (nblib.plots.set_moving, nblib.redraw): after
    moves to the ends of every control, single steps, random jumps and moves that change the axes' limits, each
    frame is the one a full draw makes, pixel for pixel."""
    from nblib.plots import figure_png, moving_artists

    explorer = explorers()[name]()
    rng = np.random.default_rng(7)
    try:
        fig = explorer.figure
        assert moving_artists(fig), f"{name}: no moving parts declared"
        controls = explorer.children[:-1]
        moves = []
        for control in controls:
            values = control_values(control)
            at = int(np.argmin([abs(v - control.value) for v in values])) if not hasattr(control, "options") \
                else values.index(control.value)
            moves += [(control, v) for v in (values[-1], values[len(values) // 3], values[0], values[-1])]
            moves += [(control, values[i]) for i in (at, min(at + 1, len(values) - 1), min(at + 2, len(values) - 1),
                                                    max(at - 1, 0))]
        moves += [(c, rng.choice(control_values(c))) for c in (controls[i] for i in rng.integers(len(controls),
                                                                                                size=12))]
        for control, value in moves:
            control.value = value
            blitted = pixels(figure_png(fig)[0])
            full = pixels(full_draw_png(fig))
            differ = np.argwhere((blitted != full).any(axis=-1))
            assert not len(differ), (f"{name} at {control.description} = {control.value}: {len(differ)} pixels "
                                     f"differ from a full draw, e.g. at (row, col) {differ[0].tolist()}")
    finally:
        plt.close("all")


@pytest.mark.parametrize("name", list(explorers()))
def test_every_text_stays_inside_the_figure_over_the_whole_range(name):
    """The explorers' PNGs are drawn at the figure's own size (no tight bounding box to grow the image), so a
    title or label that runs past the edge would be cut off: at both ends of every control, none does."""
    from nblib.plots import figure_png

    explorer = explorers()[name]()
    try:
        fig = explorer.figure
        for control in explorer.children[:-1]:
            ends = (control.min, control.max) if hasattr(control, "max") else (0, len(control.options) - 1)
            for end in ends:
                control.value = type(control.value)(end) if hasattr(control, "max") else control.options[end]
                figure_png(fig)
                box = fig.get_tightbbox(fig.canvas.get_renderer())  # what is drawn, in inches
                width, height = fig.get_size_inches()
                assert box.x0 >= -0.02 and box.y0 >= -0.02 and box.x1 <= width + 0.02 and box.y1 <= height + 0.02, (
                    f"{name} at {control.description} = {control.value}: the drawing spans "
                    f"{box.x0:.2f}..{box.x1:.2f} × {box.y0:.2f}..{box.y1:.2f} in of a {width} × {height} in figure; "
                    f"titles: {[t.get_text() for t in fig.findobj(lambda a: a in [x.title for x in fig.axes])]}")
    finally:
        plt.close("all")


def stored_pngs():
    return ((where, output["data"]["image/png"]) for where, output in stored_outputs("image/png"))


def test_every_stored_figure_is_opaque_so_it_reads_on_a_dark_theme():
    """A transparent PNG shows black axes and text on JupyterLab's dark background; every figure the lessons
    store has an opaque (white) background."""
    import io

    from PIL import Image

    figures = list(stored_pngs())
    assert len(figures) >= 20
    for where, data in figures:
        image = Image.open(io.BytesIO(base64.b64decode("".join(data))))
        if "A" in image.getbands():
            assert image.getchannel("A").getextrema()[0] == 255, f"{where} has transparent pixels"
        corner = image.convert("RGB").getpixel((0, 0))
        assert min(corner) >= 250, f"{where}: background {corner} is not white"


def test_nblib_reads_no_private_matplotlib_attribute():
    """Issue 27: the explorers blit with matplotlib's documented API only, so nblib works with any recent release.
    The issue's grep (an attribute starting with an underscore, on a line about a figure, canvas, renderer, font or
    text) finds nothing in nblib."""
    import re

    hits = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for path in sorted((ROOT / "nblib").rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\._[a-z]", line) and re.search(r"matplotlib|canvas|renderer|font|text|fig", line, re.I)]
    assert not hits, "\n".join(hits)
    assert not (ROOT / "nblib" / "glyph_cache.py").exists()


def test_redraw_blits_figure_texts_and_redeclared_artists_like_a_full_draw():
    """nblib.redraw with matplotlib's public blitting: a figure-level text (not animated: savefig would leave it
    out) and an axes line both move; declaring the moving artists again puts a dropped one back into the
    background. Every frame equals a full draw."""
    from nblib.plots import explorer_canvas
    from nblib.redraw import frame, moving_artists, set_moving

    fig, ax = explorer_canvas(figsize=(3, 2))  # an explorer's kept figure: Agg canvas, fixed axes
    (line,) = ax.plot([0, 1], [0, 1])
    (other,) = ax.plot([0, 1], [1, 0])
    title = fig.suptitle("step 0")
    set_moving(fig, [line, other, title])
    assert line.get_animated() and not title.get_animated()

    def same_as_full_draw():
        blitted = np.asarray(frame(fig).convert("RGBA")).astype(int)
        np.testing.assert_array_equal(blitted, pixels(full_draw_png(fig)))

    same_as_full_draw()
    line.set_ydata([1, 0.5])
    title.set_text("step 1")
    same_as_full_draw()
    set_moving(fig, [line, title])
    assert set(moving_artists(fig)) == {line, title}
    assert not other.get_animated()
    line.set_ydata([0.2, 0.8])
    same_as_full_draw()  # the full draw is a savefig: it shows the animated line too (else the pixels would differ)
