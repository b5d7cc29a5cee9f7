"""Bad inputs beyond the maths modules (issue 27): the issue's adversarial inputs as rows, and rows for every public
function of ``nblib.widgets`` and ``nblib.redraw`` and for every tool's command line.

A row is ``Row(label, group, call, expect, arg)``: ``call()`` runs the input; ``expect`` and the judge are
tests/fuzz_cases.py's (``"reject"``: an error naming ``arg``; ``"same"``: the ``reference`` result; ``"finite"``: any
finite result or a good error). RuntimeWarnings are errors here, so an overflow warning leaking out of a check is not
"handled". A tool's row runs its command line: handled when it exits ≠ 0 with a usage line naming ``arg``.

Shared by tests/test_fuzz_inputs.py (every row must be handled) and benchmarks/survey_inputs.py (``--issue27``
counts handled rows; run it on another checkout with ``COURSE_ROOT=that/checkout PYTHONPATH=that/checkout`` to count
before a change). Autodiff rows live with the autodiff engine's tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fuzz_cases import AL_D, AL_S, CACHES_D, CACHES_S, DACTS, DP, SACTS, X_HP, Y_D, Y_S, Z_S, classify

from nblib import activations, deep, losses, mistakes, octave, training, two_layer

ROOT = Path(os.environ.get("COURSE_ROOT") or Path(__file__).resolve().parent.parent).resolve()
TOOLS = ROOT / "tools"
HANDLED = ("correct", "good error")


@dataclass
class Row:
    label: str
    group: str
    call: Callable
    expect: str
    arg: str
    reference: object = None

    def run(self) -> tuple[str, str]:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            return classify(self.call, self.expect, self.arg, self.reference)


def cli(tool: str, *args: str, timeout: float = 600) -> Callable:
    """A call that runs ``python tools/<tool> ARGS`` and raises ValueError(stderr) when it refuses with a usage line
    and exit ≠ 0 (a refusal without a usage line raises RuntimeError: not handled); returns the exit code otherwise
    (accepted: "wrong number" for a row that expects a refusal)."""
    def run():
        done = subprocess.run([sys.executable, str(TOOLS / tool), *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if done.returncode == 0:
            return 0.0
        if "usage:" in done.stderr:
            raise ValueError(done.stderr.strip()[-600:])
        raise RuntimeError(f"exit {done.returncode} without a usage line: {done.stderr.strip()[-300:]}")
    return run


def tool_module(name: str):
    sys.path.insert(0, str(TOOLS))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(TOOLS))


# --- figures for nblib.redraw --------------------------------------------------------------------------------


def _figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    return fig, line


def _redraw():
    from nblib import redraw
    return redraw


def _frame_before_set_moving():
    fig, _ = _figure()
    return _redraw().frame(fig)


def _no_moving_artists():
    fig, _ = _figure()
    _redraw().set_moving(fig, [])
    return _redraw().frame(fig)


def _artist_of_another_figure():
    fig, _ = _figure()
    _, other = _figure()
    _redraw().set_moving(fig, [other])
    return _redraw().frame(fig)


def _removed_artist():
    fig, line = _figure()
    line.remove()
    _redraw().set_moving(fig, [line])
    return _redraw().frame(fig)


def _removed_after_set_moving():
    fig, line = _figure()
    _redraw().set_moving(fig, [line])
    _redraw().frame(fig)
    line.remove()
    return _redraw().frame(fig)


def _set_moving(fig_or_none, artists_kind):
    def run():
        fig, line = _figure()
        artists = {"None": None, "a string": "line", "[None]": [None], "a line": [line]}[artists_kind]
        _redraw().set_moving(fig if fig_or_none else None, artists)
        return _redraw().frame(fig)
    return run


def _moved_line_frame_equals_full_draw():
    """A valid use: move the line, the frame equals a full draw (1.0)."""
    import io

    import matplotlib as mpl
    from PIL import Image

    with mpl.rc_context({"figure.constrained_layout.use": False, "savefig.dpi": "figure"}):  # whatever ran before
        fig, line = _figure()
        _redraw().set_moving(fig, [line])
        _redraw().frame(fig)
        line.set_ydata([1, 0])
        blitted = np.asarray(_redraw().frame(fig).convert("RGBA"))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    full = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGBA"))
    return float(np.array_equal(blitted, full))


# --- the issue's adversarial inputs (autodiff's are with the autodiff tests) --------------------------------------

HUGE = 1e308
SIG_AL = np.array([[0.7, 0.6, 0.2], [0.4, 0.9, 0.3]])  # two sigmoid outputs per column: sums ≠ 1
ONE_UNIT = deep.initialize_parameters([4, 3, 1], seed=1)
NOT_ONE_HOT = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])


def _one_unit_backward():
    AL, caches = deep.model_forward(X_HP, ONE_UNIT, ["relu", "sigmoid"])
    return deep.model_backward(np.ones_like(AL), np.ones_like(AL), caches, ["relu", "softmax"])


def _nb(*cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


BEGIN, END = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"
UNPAIRED = f"def f(x):\n    {BEGIN}\n    return 2 * x\n"
PAIRED = f"def f(x):\n    {BEGIN}\n    return 2 * x\n    {END}\n"
MAGIC_CHECK = "%matplotlib inline\ncheck_f(f)\n"


def _source_notebook(*cells):
    return lambda: tool_module("nbgrader_metadata").source_notebook(_nb(*cells))


def _magic_check_graded():
    nb = tool_module("nbgrader_metadata").source_notebook(_nb(PAIRED, MAGIC_CHECK))
    return float(nb.cells[1].metadata["nbgrader"]["grade_id"] == "f" and "seed=12345" in nb.cells[1].source)


def _link(**kwargs):
    valid = {"hub": "https://hub.example.edu", "repo": "https://github.com/you/backprop-by-hand", "branch": "student",
             "lesson": "01", "target": None}
    return lambda: tool_module("hub_link").link(**{**valid, **kwargs})


def _widgets():
    from nblib.widgets import capstone, delta_rule, sigmoid, softmax, start
    from nblib.widgets import deep as deep_widget
    from nblib.widgets import octave as octave_widget
    from nblib.widgets import two_layer as two_layer_widget
    return capstone, delta_rule, sigmoid, softmax, start, deep_widget, octave_widget, two_layer_widget


def issue_rows() -> list[Row]:
    """The issue's adversarial inputs (autodiff's excepted), one row each."""
    capstone, delta_rule_w, sigmoid_w, softmax_w, start_w, deep_w, octave_w, two_layer_w = _widgets()
    T1, T2 = octave.debug_initialize_weights(5, 64), octave.debug_initialize_weights(10, 5)
    images, labels = np.abs(np.sin(np.arange(640.0))).reshape(10, 8, 8) * 16, np.arange(1, 11)
    Xd = np.abs(np.sin(np.arange(640.0))).reshape(64, 10)
    pd = deep.initialize_parameters([64, 5, 10], seed=0)
    col = np.array([[HUGE], [-HUGE]])
    rows = [
        # softmax and cross-entropy: ±1e308 without a raw overflow warning; columns that do not sum to 1 refused
        Row("softmax(±1e308)", "softmax", lambda: activations.softmax(col), "same", "z", np.array([[1.0], [0.0]])),
        Row("softmax(1e308, 1e308)", "softmax", lambda: activations.softmax(np.array([[HUGE], [HUGE]])), "same", "z",
            np.array([[0.5], [0.5]])),
        Row("log_softmax(±1e308)", "softmax", lambda: activations.log_softmax(col), "reject", "z"),
        Row("log_softmax(1e308, 1e308)", "softmax", lambda: activations.log_softmax(np.array([[HUGE], [HUGE]])),
            "same", "z", np.log(np.array([[0.5], [0.5]]))),
        Row("softmax_cross_entropy(±1e308, right class)", "softmax",
            lambda: losses.softmax_cross_entropy(col, np.array([[1.0], [0.0]])), "same", "Z", 0.0),
        Row("softmax_cross_entropy(±1e308, wrong class)", "softmax",
            lambda: losses.softmax_cross_entropy(col, np.array([[0.0], [1.0]])), "reject", "Z"),
        Row("softmax_cross_entropy_gradient(±1e308)", "softmax",
            lambda: losses.softmax_cross_entropy_gradient(col, np.array([[1.0], [0.0]])), "same", "Z",
            np.zeros((2, 1))),
        Row("categorical_cross_entropy(columns summing to 1.8)", "softmax",
            lambda: losses.categorical_cross_entropy(np.array([[0.9], [0.9]]), np.array([[0.0], [1.0]])), "reject",
            "A"),
        Row("categorical_cross_entropy(columns summing to 0.5)", "softmax",
            lambda: losses.categorical_cross_entropy(np.array([[0.2], [0.3]]), np.array([[0.0], [1.0]])), "reject",
            "A"),
        Row("categorical_cross_entropy(sigmoid outputs)", "softmax",
            lambda: losses.categorical_cross_entropy(SIG_AL, Y_S), "reject", "A"),
        Row("categorical_cross_entropy(one class)", "softmax",
            lambda: losses.categorical_cross_entropy(np.ones((1, 3)), np.ones((1, 3))), "reject", "A"),
        Row("sigmoid(1e308, 1e308)", "softmax", lambda: activations.sigmoid(np.array([[HUGE, HUGE]])), "same", "z",
            np.ones((1, 2))),
        Row("relu(1e308, 1e308)", "softmax", lambda: activations.relu(np.array([[HUGE, HUGE]])), "same", "z",
            np.full((1, 2), HUGE)),
        # nblib.deep with a softmax output
        Row("compute_cost(sigmoid AL, softmax)", "deep softmax", lambda: deep.compute_cost(SIG_AL, Y_S, "softmax"),
            "reject", "AL"),
        Row("model_backward(sigmoid AL, softmax)", "deep softmax",
            lambda: deep.model_backward(SIG_AL, Y_S, CACHES_S, SACTS), "reject", "AL"),
        Row("model_backward(non-one-hot Y, softmax)", "deep softmax",
            lambda: deep.model_backward(AL_S, NOT_ONE_HOT, CACHES_S, SACTS), "reject", "Y"),
        Row("compute_cost(non-one-hot Y, softmax)", "deep softmax",
            lambda: deep.compute_cost(AL_S, NOT_ONE_HOT, "softmax"), "reject", "Y"),
        Row("model_forward(one-unit softmax layer)", "deep softmax",
            lambda: deep.model_forward(X_HP, ONE_UNIT, ["relu", "softmax"]), "reject", "parameters"),
        Row("compute_cost(one-unit softmax AL)", "deep softmax",
            lambda: deep.compute_cost(np.ones((1, 3)), np.ones((1, 3)), "softmax"), "reject", "AL"),
        Row("model_backward(one-unit softmax layer)", "deep softmax", _one_unit_backward, "reject", "AL"),
        Row("train_minibatch(one-unit softmax layer)", "deep softmax",
            lambda: training.train_minibatch(X_HP, np.ones((1, 3)), ONE_UNIT, ["relu", "softmax"], 0.1, 1, 2),
            "reject", "parameters"),
        # nblib.redraw
        Row("redraw.frame before set_moving", "redraw", _frame_before_set_moving, "reject", "fig"),
        Row("redraw.set_moving(fig, [])", "redraw", _no_moving_artists, "reject", "artists"),
        Row("redraw.set_moving(an artist of another figure)", "redraw", _artist_of_another_figure, "reject",
            "artists"),
        Row("redraw.set_moving(a removed artist)", "redraw", _removed_artist, "reject", "artists"),
        Row("redraw.frame after an artist was removed", "redraw", _removed_after_set_moving, "reject", "artists"),
        Row("redraw.set_moving(None, …)", "redraw", _set_moving(False, "a line"), "reject", "fig"),
        Row("redraw.set_moving(fig, None)", "redraw", _set_moving(True, "None"), "reject", "artists"),
        Row("redraw.set_moving(fig, [None])", "redraw", _set_moving(True, "[None]"), "reject", "artists"),
        Row("redraw.set_moving(fig, 'line')", "redraw", _set_moving(True, "a string"), "reject", "artists"),
        Row("redraw: a moved line's frame equals a full draw", "redraw", _moved_line_frame_equals_full_draw, "same",
            "fig", 1.0),
        # the widgets' helpers: None, NaN, empty, list arguments
        Row("sigmoid.tangent_at(None)", "widgets", lambda: sigmoid_w.tangent_at(None), "reject", "z0"),
        Row("sigmoid.tangent_at(NaN)", "widgets", lambda: sigmoid_w.tangent_at(float("nan")), "reject", "z0"),
        Row("sigmoid.tangent_at(z=None)", "widgets", lambda: sigmoid_w.tangent_at(0.5, None), "reject", "z"),
        Row("sigmoid.tangent_at(z=list)", "widgets", lambda: sigmoid_w.tangent_at(0.5, [0.0, 1.0])["tangent"],
            "same", "z", sigmoid_w.tangent_at(0.5, np.array([0.0, 1.0]))["tangent"]),
        Row("sigmoid.tangent_at(z=[NaN])", "widgets", lambda: sigmoid_w.tangent_at(0.5, [np.nan]), "reject", "z"),
        Row("delta_rule.delta_table(None, 0.1)", "widgets", lambda: delta_rule_w.delta_table(None, 0.1), "reject",
            "w2_0"),
        Row("delta_rule.delta_table(0.5, NaN)", "widgets", lambda: delta_rule_w.delta_table(0.5, np.nan), "reject",
            "w1_00"),
        Row("delta_rule.y_limit(None)", "widgets", lambda: delta_rule_w.y_limit(None), "reject", "delta_hidden"),
        Row("delta_rule.y_limit([])", "widgets", lambda: delta_rule_w.y_limit([]), "reject", "delta_hidden"),
        Row("delta_rule.y_limit([NaN])", "widgets", lambda: delta_rule_w.y_limit([np.nan]), "reject", "delta_hidden"),
        Row("delta_rule.format_table(None)", "widgets", lambda: delta_rule_w.format_table(None), "reject", "t"),
        Row("delta_rule.format_table({})", "widgets", lambda: delta_rule_w.format_table({}), "reject", "t"),
        Row("two_layer.describe(None)", "widgets", lambda: two_layer_w.describe(None), "reject", "losses"),
        Row("two_layer.describe([])", "widgets", lambda: two_layer_w.describe([]), "reject", "losses"),
        Row("two_layer.describe([NaN, 1])", "widgets", lambda: two_layer_w.describe([np.nan, 1.0]), "reject",
            "losses"),
        Row("two_layer.describe(list)", "widgets", lambda: two_layer_w.describe([2.0, 1.0]), "same", "losses",
            two_layer_w.describe(np.array([2.0, 1.0]))),
        Row("softmax.saturation_data(seed=None)", "widgets", lambda: softmax_w.saturation_data(None), "reject",
            "seed"),
        Row("softmax.saturation_data(m=None)", "widgets", lambda: softmax_w.saturation_data(0, None), "reject", "m"),
        Row("deep.hidden_layers(None)", "widgets", lambda: deep_w.hidden_layers(None), "reject", "depth"),
        Row("deep.draw_gradient_norms(3, norms=[])", "widgets", lambda: deep_w.draw_gradient_norms(3, []), "reject",
            "norms"),
        Row("octave.draw_yv(None, 3)", "widgets", lambda: octave_w.draw_yv(None, 3), "reject", "y"),
        Row("octave.draw_yv(y, 3, rows=None)", "widgets", lambda: octave_w.draw_yv([1, 2], 3, rows=None), "reject",
            "rows"),
        Row("octave.digit_view(None, …)", "widgets", lambda: octave_w.digit_view(None, T1, T2, images, labels),
            "reject", "index"),
        Row("octave.digit_view(0, images=None)", "widgets", lambda: octave_w.digit_view(0, T1, T2, None, labels),
            "reject", "images"),
        Row("capstone.digit_probe(0, X=None)", "widgets",
            lambda: capstone.digit_probe(0, pd, ["relu", "sigmoid"], None, np.arange(10)), "reject", "X"),
        Row("capstone.digit_probe(0, labels=[])", "widgets",
            lambda: capstone.digit_probe(0, pd, ["relu", "sigmoid"], Xd, []), "reject", "labels"),
        Row("start.feedback_for(None)", "widgets", lambda: start_w.feedback_for(None), "reject", "attempt"),
        Row("explorer.png_still(None, alt)", "widgets", lambda: _png_still(None, "Figure: x"), "reject", "png"),
        # the tools
        Row("hub_link --hub ''", "tools", cli("hub_link.py", "--hub", "", "--repo", "https://g.example/x"), "reject",
            "hub"),
        Row("hub_link --hub hub.example.edu (no scheme)", "tools",
            cli("hub_link.py", "--hub", "hub.example.edu", "--repo", "https://g.example/x"), "reject", "hub"),
        Row("hub_link --lesson '*'", "tools",
            cli("hub_link.py", "--hub", "https://h.example", "--repo", "https://g.example/x", "--lesson", "*"),
            "reject", "lesson"),
        Row("hub_link --target ../x", "tools",
            cli("hub_link.py", "--hub", "https://h.example", "--repo", "https://g.example/x", "--target", "../x"),
            "reject", "target"),
        Row("hub_link.link(hub='')", "tools", _link(hub=""), "reject", "hub"),
        Row("hub_link.link(target='../x')", "tools", _link(target="../x"), "reject", "target"),
        Row("grade.py release 99", "tools", cli("grade.py", "release", "99"), "reject", "lessons"),
        Row("BEGIN SOLUTION without END (nbgrader source)", "tools", _source_notebook(UNPAIRED, "check_f(f)"),
            "reject", "END SOLUTION"),
        Row("%magic in a check cell (nbgrader source)", "tools", _magic_check_graded, "same", "check", 1.0),
    ]
    return rows


def _png_still(png, alt):
    from nblib.widgets.explorer import png_still
    return png_still(png, alt)


def size_rows() -> list[Row]:
    """Issue 27 §7: sizes no lesson needs, refused by name (run with a memory limit and an alarm before a change)."""
    from nblib.widgets import two_layer as two_layer_w

    big = 10 ** 9
    return [
        Row("two_layer.init_params(10**9)", "sizes", lambda: two_layer.init_params(big), "reject", "n_in"),
        Row("two_layer.init_params(n_hidden=10**9)", "sizes", lambda: two_layer.init_params(4, big), "reject",
            "n_hidden"),
        Row("octave.rand_initialize_weights(10**9, 4)", "sizes", lambda: octave.rand_initialize_weights(big, 4),
            "reject", "L_in"),
        Row("octave.debug_initialize_weights(10**9, 3)", "sizes", lambda: octave.debug_initialize_weights(big, 3),
            "reject", "fan_out"),
        Row("octave.one_hot(y, 10**9)", "sizes", lambda: octave.one_hot([1, 2, 3], big), "reject", "num_labels"),
        Row("training.one_hot_columns(labels, 10**9)", "sizes", lambda: training.one_hot_columns([1, 2], big),
            "reject", "num_classes"),
        Row("deep.initialize_parameters([4, 10**9, 1])", "sizes", lambda: deep.initialize_parameters([4, big, 1]),
            "reject", "layer_dims"),
        Row("two_layer.train(epochs=10**9)", "sizes", lambda: two_layer.train(
            X_HP, np.full((1, 3), 0.5), two_layer.init_params(), 0.1, big, report=lambda *a, **k: None), "reject",
            "epochs"),
        Row("octave.train(iterations=10**9)", "sizes", lambda: octave.train(
            octave.debug_initialize_weights(5, 2), np.array([2, 3, 1, 2, 3]), 3, 5, 3, iterations=big), "reject",
            "iterations"),
        Row("training.train_minibatch(epochs=10**9)", "sizes", lambda: training.train_minibatch(
            X_HP, Y_D, DP, DACTS, 0.1, big, 2), "reject", "epochs"),
        Row("mistakes.loss_curve(steps=10**9)", "sizes", lambda: mistakes.loss_curve(X_HP, Y_D, DP, DACTS, 0.1, big),
            "reject", "steps"),
        Row("widgets.two_layer.loss_curve(epochs=10**9)", "sizes", lambda: two_layer_w.loss_curve(0.5, big),
            "reject", "epochs"),
        Row("two_layer.init_params(10**400)", "sizes", lambda: two_layer.init_params(10 ** 400), "reject", "n_in"),
        Row("octave.reshape_params(hidden_layer_size=10**9)", "sizes", lambda: octave.reshape_params(
            np.zeros(10), 3, big, 3), "reject", "hidden_layer_size"),
        Row("model_backward(AL_D near 1e308 Y)", "sizes", lambda: deep.model_backward(
            AL_D, np.full_like(Y_D, HUGE), CACHES_D, DACTS), "reject", "Y"),
        Row("softmax_cross_entropy(Z_S * 1e307)", "sizes", lambda: losses.softmax_cross_entropy(Z_S * 1e307, Y_S),
            "finite", "Z"),
    ]


TOOLS_WITH_A_COMMAND_LINE = ("build_html.py", "grade.py", "hub_link.py", "lab_extension.py", "measure_checks.py",
                             "nbgrader_metadata.py", "publish_class.py", "student_edition.py", "workspace.py",
                             "sandbox_kernel.py", "judge.py", "class_exchange.py")
# Modules of tools/ that other tools or the hub's configuration import and nobody runs (their functions are tested
# where they are used).
TOOLS_WITHOUT_A_COMMAND_LINE = ("nbgrader_edition.py", "class_report.py", "hub_contents.py", "hub_policy.py")


def tool_rows() -> list[Row]:
    """Each tool's command line given a bad argument: a usage line naming it, exit status ≠ 0 (hub_link's and grade.py
    release's are among the issue's rows)."""
    return [
        Row("build_html.py bogus", "tools", cli("build_html.py", "bogus"), "reject", "what"),
        Row("build_html.py site --edition bogus", "tools", cli("build_html.py", "site", "--edition", "bogus"),
            "reject", "edition"),
        Row("lab_extension.py bogus", "tools", cli("lab_extension.py", "bogus"), "reject", "command"),
        Row("measure_checks.py --bogus", "tools", cli("measure_checks.py", "--bogus"), "reject", "-v"),
        Row("publish_class.py --lessons 99", "tools", cli("publish_class.py", "--lessons", "99"), "reject",
            "lessons"),
        Row("publish_class.py --branch ''", "tools", cli("publish_class.py", "--branch", ""), "reject", "branch"),
        Row("student_edition.py a b", "tools", cli("student_edition.py", "a", "b"), "reject", "OUT_DIR"),
        Row("nbgrader_metadata.py a b", "tools", cli("nbgrader_metadata.py", "a", "b"), "reject", "COURSE_DIR"),
        Row("workspace.py -x", "tools", cli("workspace.py", "-x"), "reject", "FOLDER"),
        Row("sandbox_kernel.py (no connection file)", "tools", cli("sandbox_kernel.py"), "reject", "CONNECTION_FILE"),
        Row("sandbox_kernel.py a b", "tools", cli("sandbox_kernel.py", "a", "b"), "reject", "CONNECTION_FILE"),
        Row("judge.py (no order on stdin)", "tools", cli("judge.py"), "reject", "ORDER"),
        Row("judge.py bogus", "tools", cli("judge.py", "bogus"), "reject", "ORDER"),
        Row("class_exchange.py bogus 01", "tools", cli("class_exchange.py", "bogus", "01"), "reject", "action"),
        Row("grade.py grade (no such folder)", "tools", cli("grade.py", "grade", str(ROOT / "no-such-folder")),
            "reject", "submissions"),
        Row("grade.py grade --timeout 0", "tools", cli("grade.py", "grade", str(ROOT), "--timeout", "0"), "reject",
            "timeout"),
        Row("grade.py grade --jobs 0", "tools", cli("grade.py", "grade", str(ROOT), "--jobs", "0"), "reject", "jobs"),
        Row("grade.py bogus", "tools", cli("grade.py", "bogus"), "reject", "command"),
        Row("hub_link.py (no --hub)", "tools", cli("hub_link.py", "--repo", "https://g.example/x"), "reject", "hub"),
        Row("student_notebook(BEGIN without END)", "tools", lambda: tool_module("student_edition").student_notebook(
            _nb(UNPAIRED)), "reject", "END SOLUTION"),
        Row("source_notebook(END before BEGIN)", "tools", _source_notebook(f"def f(x):\n    {END}\n    {BEGIN}\n"),
            "reject", "END SOLUTION"),
    ]


def run_rows(rows) -> list[tuple[Row, str, str]]:
    return [(row, *row.run()) for row in rows]


# --- one row per public function of the widgets, nblib.redraw, nblib.plots and nblib.data ------------------------

COVERED_MODULES = ("nblib.redraw", "nblib.plots", "nblib.data", "nblib.widgets.capstone", "nblib.widgets.deep",
                   "nblib.widgets.delta_rule", "nblib.widgets.explorer", "nblib.widgets.graph", "nblib.widgets.live",
                   "nblib.widgets.octave", "nblib.widgets.sigmoid", "nblib.widgets.softmax", "nblib.widgets.start",
                   "nblib.widgets.two_layer")
# Public names that take no argument a caller could get wrong (exception classes, constructors of plain figures
# called with none), each with its reason; every other public function gets a row below.
NO_ARGUMENT = {
    "nblib.redraw.RedrawError": "an exception class",
    "nblib.data.DataFileError": "an exception class",
    "nblib.data.data_dir": "no argument",
    "nblib.data.checksums": "no argument",
    "nblib.data.digits_split": "no argument",
    "nblib.plots.use_course_style": "no argument",
    "nblib.plots.register_alt_text": "no argument",
    "nblib.widgets.deep.vanishing_explorer": "no argument",
    "nblib.widgets.delta_rule.delta_explorer": "no argument",
    "nblib.widgets.two_layer.shapes_explorer": "no argument",
    "nblib.widgets.start.feedback_explorer": "no argument",
}


def public_functions(module_name: str) -> dict:
    import importlib
    import inspect

    module = importlib.import_module(module_name)
    return {f"{module_name}.{n}": f for n, f in vars(module).items()
            if not n.startswith("_") and (inspect.isfunction(f) or inspect.isclass(f))
            and getattr(f, "__module__", "") == module_name}


def _first_parameter(fn) -> str | None:
    import inspect

    target = fn.__init__ if isinstance(fn, type) else fn
    params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return params[0].name if params else None


def _valid_arguments() -> dict:
    """The other arguments of each function whose first argument the row corrupts (valid ones)."""
    from nblib.autodiff import Tensor
    from nblib.widgets import graph

    fig, line = _figure()
    images, labels = np.abs(np.sin(np.arange(640.0))).reshape(10, 8, 8) * 16, np.arange(1, 11)
    T1, T2 = octave.debug_initialize_weights(5, 64), octave.debug_initialize_weights(10, 5)
    x = Tensor(1.5, "x")
    root = x * x
    frames = graph.backward_frames(root)
    pd = deep.initialize_parameters([64, 5, 10], seed=0)
    Xd = np.abs(np.sin(np.arange(640.0))).reshape(64, 10)
    return {
        "nblib.redraw.set_moving": {"artists": [line]},
        "nblib.plots.show_png": {"alt": "Figure: x"},
        "nblib.plots.tag_png": {"text_px": 14.0},
        "nblib.widgets.capstone.digit_probe": {"parameters": pd, "activations": ["relu", "sigmoid"], "X": Xd,
                                               "labels": np.arange(10)},
        "nblib.widgets.capstone.digit_probe_explorer": {"activations": ["relu", "sigmoid"], "X": Xd,
                                                        "labels": np.arange(10)},
        "nblib.widgets.deep.gradient_norms": {"activation": "relu"},
        "nblib.widgets.delta_rule.delta_table": {"w1_00": 0.1},
        "nblib.widgets.delta_rule.draw_deltas": {"w1_00": 0.1},
        "nblib.widgets.explorer.png_still": {"alt": "Figure: x"},
        "nblib.widgets.graph.box_label": {"group": {}},
        "nblib.widgets.graph.compact_layout": {"frames": frames},
        "nblib.widgets.graph.compact_figure": {"frames": frames},
        "nblib.widgets.graph.house_graph": {"Y": np.full((1, 3), 0.5), "params": two_layer.init_params()},
        "nblib.widgets.octave.draw_yv": {"num_labels": 3},
        "nblib.widgets.octave.digit_view": {"Theta1": T1, "Theta2": T2, "images": images, "labels": labels},
        "nblib.widgets.octave.digit_explorer": {"Theta2": T2, "images": images, "labels": labels},
        "nblib.widgets.octave.train_with_live_curve": {"y": np.array([2, 3, 1, 2, 3]), "input_layer_size": 3,
                                                       "hidden_layer_size": 5, "num_labels": 3, "iterations": 2},
        "nblib.widgets.two_layer.product_blocks": {"n_hidden": 5, "m": 6},
    }


def _quiet_call(fn, kwargs) -> Callable:
    import contextlib
    import io

    def call():
        with contextlib.redirect_stdout(io.StringIO()):  # an explorer's display prints outside a kernel
            return fn(**kwargs)
    return call


def function_rows() -> list[Row]:
    """For every public function of COVERED_MODULES: its first argument None (a string where None is its default,
    "yes" where it is a flag) must be refused with an error naming it; its other arguments are valid."""
    import inspect

    valid = _valid_arguments()
    rows = []
    for module_name in COVERED_MODULES:
        for qualified, fn in public_functions(module_name).items():
            if qualified in NO_ARGUMENT:
                continue
            name = _first_parameter(fn)
            if name is None:
                raise AssertionError(f"{qualified} takes no argument: list it in NO_ARGUMENT with a reason")
            target = fn.__init__ if isinstance(fn, type) else fn
            default = inspect.signature(target).parameters[name].default
            bad = "a string" if default is None else "yes" if isinstance(default, bool) else None

            kwargs = {**valid.get(qualified, {}), name: bad}
            rows.append(Row(f"{qualified}({name}={bad!r})", "functions", _quiet_call(fn, kwargs), "reject", name))
    return rows


if __name__ == "__main__":  # for benchmarks/survey_inputs.py --issue27: one row per line, "handled" or not
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_AS, (6 * 2 ** 30, 6 * 2 ** 30))  # a 10**9 allocation fails, not the machine

    def too_slow(*_):
        raise TimeoutError("still running after 20 s")

    signal.signal(signal.SIGALRM, too_slow)
    for row in issue_rows() + size_rows() + (tool_rows() + function_rows() if "--all" in sys.argv else []):
        signal.alarm(20)
        category, detail = row.run()
        signal.alarm(0)
        print(f"{row.group}\t{'handled' if category in HANDLED else 'NOT handled'}\t{category}\t{row.label}\t"
              f"{detail[:150]!r}", flush=True)
