"""The compact computation-graph view (nblib.widgets.graph, compact=True) on lesson 02's one-house [4, 5, 1] network:
it fits notebook width with no two boxes overlapping and every text readable and inside its box, its W_ho gradient is
lesson 02's hand-derived one, its frames only ever add gradients, and lesson 10's original view still draws."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from graph_cases import fan_out  # noqa: E402

from nblib import two_layer  # noqa: E402
from nblib.autodiff import Tensor, backward_steps, topological_order  # noqa: E402
from nblib.exercises.autodiff import check_two_layer_graph  # noqa: E402
from nblib.exercises.feedback import CheckFailed  # noqa: E402
from nblib.house_prices import load_house_prices  # noqa: E402
from nblib.widgets import graph  # noqa: E402
from nblib.widgets.graph import (  # noqa: E402
    _groups,
    backward_frames,
    box_label,
    draw_graph,
    grads_at,
    graph_explorer,
    house_graph,
)

# lesson 02's section "The computation graph": the worked example's network and its first house
STYLE = {"compact": True, "boxed": ("W_ih", "b_ih", "W_ho", "b_ho"), "grad_names": {"Z₂": "δ₂"}}
BOXES = {"Z₁", "h₁", "Z₂", "O", "E", "W_ih", "b_ih", "W_ho", "b_ho"}


@pytest.fixture(scope="module")
def house():
    data = load_house_prices()
    params = two_layer.init_params(n_in=4, n_hidden=5, n_out=1, seed=1)
    x1, y1 = data.X[:, :1], data.Y[:, :1]
    E = house_graph(x1, y1, params)
    hand = two_layer.backward(x1, y1, params, two_layer.forward(x1, params))
    return E, backward_frames(E, compact=True), hand


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def extents(ax):
    """(gid, window extent) of every patch and text the figure draws, after a real draw."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    patches = [(p.get_gid(), p.get_window_extent(renderer)) for p in ax.patches
               if (p.get_gid() or "").startswith("box:")]
    texts = [(t.get_gid(), t.get_window_extent(renderer), t) for t in ax.texts]
    return fig, renderer, patches, texts


def overlap(a, b, tol=0.5) -> bool:
    return a.x0 < b.x1 - tol and b.x0 < a.x1 - tol and a.y0 < b.y1 - tol and b.y0 < a.y1 - tol


def inside(inner, outer, tol=0.5) -> bool:
    return (inner.x0 >= outer.x0 - tol and inner.x1 <= outer.x1 + tol and inner.y0 >= outer.y0 - tol
            and inner.y1 <= outer.y1 + tol)


def test_the_boxes_are_lesson_02s_named_quantities_with_their_formulas(house):
    E, (order, frames), _ = house
    group = _groups(order, E)
    labels = [box_label(n, group) for n in order if n.parents and group[id(n)] == id(n)]
    assert labels == ["Z₁ = W_ihᵀX + b_ih", "h₁ = σ(Z₁)", "Z₂ = W_hoᵀh₁ + b_ho", "O = σ(Z₂)", "E = ½Σ(Y − O)²"]
    assert len(frames) == 2 + len(labels)  # forward, seed, one step per box


@pytest.mark.parametrize("step", range(7))
def test_compact_view_fits_notebook_width_without_overlaps(house, step):
    E, frames, _ = house
    ax = draw_graph(E, step, frames=frames, **STYLE)
    fig, renderer, patches, texts = extents(ax)
    width, height = fig.get_size_inches()
    assert width <= 13.0 and height <= 4.5, f"figure is {width} × {height} inches"
    assert {gid.removeprefix("box:") for gid, _ in patches} == BOXES
    for (g1, b1), (g2, b2) in itertools.combinations(patches, 2):
        assert not overlap(b1, b2), f"boxes {g1} and {g2} overlap"
    figure_box = fig.bbox
    boxes = dict(patches)
    for gid, extent, text in texts:
        assert text.get_fontsize() >= 11, f"{text.get_text()!r} is {text.get_fontsize()} pt"
        assert inside(extent, figure_box), f"{text.get_text()!r} leaves the figure"
        if gid.startswith("box:"):
            assert inside(extent, boxes[gid]), f"{text.get_text()!r} sticks out of its box {gid}"
        for gid2, box in patches:
            if gid2 != gid:
                assert not overlap(extent, box), f"{text.get_text()!r} overlaps box {gid2}"
    for (_, e1, t1), (_, e2, t2) in itertools.combinations(texts, 2):
        assert not overlap(e1, e2), f"{t1.get_text()!r} and {t2.get_text()!r} overlap"
    assert ax.title.get_fontsize() >= 11 and inside(ax.title.get_window_extent(renderer), figure_box)


def test_boxes_stay_put_from_step_to_step(house):
    E, frames, _ = house
    where = [[tuple(np.round(b.bounds, 6)) for _, b in extents(draw_graph(E, k, frames=frames, **STYLE))[2]]
             for k in (0, 3, 6)]
    assert where[0] == where[1] == where[2]


def test_W_ho_shows_the_hand_derived_gradient(house):
    E, frames, hand = house
    shown = grads_at(frames)
    for key in two_layer.PARAM_KEYS:
        assert shown[key].dtype == np.float64
        np.testing.assert_allclose(shown[key], hand[key], rtol=1e-12, atol=0, err_msg=key)
    ax = draw_graph(E, frames=frames, **STYLE)
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "box:W_ho"]
    assert f"grad norm {np.linalg.norm(hand['W_ho']):.3g}" in texts, texts
    delta2 = [t.get_text() for t in ax.texts if t.get_gid() == "box:Z₂"]
    assert f"grad δ₂ = {float(hand['b_ho'][0, 0]):.4g}" in delta2, delta2  # ∂E/∂b_ho = δ₂ for one house


def test_frames_only_add_gradients_and_delta2_reaches_W_ho_before_W_ih(house):
    E, view, _ = house
    order, frames = view
    first = {}
    for node in order:
        present = [id(node) in grads for _, grads in frames]
        if any(present):
            k = present.index(True)
            assert all(present[k:]), f"{node!r}'s gradient disappears after step {k}"
            first[node.name or node.op] = k
    assert first["E"] == 1 and first["Z₂"] == 3 and first["W_ho"] == first["b_ho"] == first["h₁"] == 4
    assert first["W_ih"] == first["b_ih"] == 6
    for step in range(len(frames)):  # and on the page: a box's grad line, once shown, stays
        ax = draw_graph(E, step, frames=view, **STYLE)
        shown = {t.get_gid().removeprefix("box:") for t in ax.texts if t.get_text().startswith("grad")}
        assert shown == {name for name, k in first.items() if k <= step and name in BOXES}
        plt.close("all")


def test_the_explorer_steps_the_compact_frames(house):
    E, _, _ = house
    explorer = graph_explorer(E, **STYLE)
    slider = explorer.children[0]
    assert (slider.min, slider.max) == (0, 6)
    slider.value = 4
    assert explorer.kwargs["step"] == 4


def test_a_compact_order_gives_the_same_gradients_and_a_wrong_order_is_refused():
    x, w = Tensor(1.5, "x"), Tensor(-0.8, "w")
    L = (w * x).sigmoid() * x
    order = topological_order(L)
    with pytest.raises(ValueError, match="not topological"):
        list(backward_steps(L, order=order[::-1]))
    with pytest.raises(ValueError, match="exactly once"):
        list(backward_steps(L, order=order[1:]))
    L.backward()
    grads = (float(x.grad), float(w.grad))
    order_c, frames = backward_frames(L, compact=True)
    assert (float(x.grad), float(w.grad)) == grads
    assert len(frames) == 2 + 1  # unnamed, σ(w·x) folds into the root's one box
    assert box_label(L, _groups(order_c, L)) == "σ(w·x)·x"


def test_lesson_09s_graph_still_draws_as_before():
    L = fan_out()
    order, frames = backward_frames(L)
    assert len(frames) == 2 + sum(1 for n in order if n.parents)
    ax = draw_graph(L, title="Every gradient filled in: x got two contributions (fan-out)")
    assert tuple(ax.figure.get_size_inches() * ax.figure.dpi) == (1160, 376)  # lesson 10's stored figure
    # 16 pt = 17.8 px: 18 px once a slide shows this 1160 px wide figure 1.05 times its size (tools/build_html.py)
    assert all(t.get_fontsize() >= 16 for t in ax.texts if t.get_text()) and ax.title.get_fontsize() >= 16
    with pytest.raises(TypeError, match="compact=True"):
        draw_graph(L, boxed=("x",))
    compact = draw_graph(L, compact=True)  # the same expression in the compact view: x feeds two boxes
    assert {p.get_gid() for p in compact.patches if p.get_gid()} == {"box:s", "box:L", "box:x", "box:w", "box:b"}


def test_house_graph_refuses_while_lesson_09s_exercise_is_checked():
    def leaning(X, Y, params):
        return house_graph(X, Y, {k: t.value for k, t in params.items()})

    with pytest.raises(CheckFailed, match="house_graph"):
        check_two_layer_graph(leaning)


def _edge_arrows(ax):
    """Every edge of a full-view graph: its name ("edge:x->L") and arrow patch."""
    from matplotlib.patches import FancyArrowPatch

    edges = [(t.get_gid(), t.arrow_patch) for t in ax.texts if (t.get_gid() or "").startswith("edge:")]
    edges += [(p.get_gid(), p) for p in ax.patches if isinstance(p, FancyArrowPatch)
              and (p.get_gid() or "").startswith("edge:")]
    return edges


def test_lesson_09s_fan_out_edge_goes_around_the_boxes_between():
    """x feeds ∗ and L: the edge x → L skips three columns and must not cut through b (nor any box but its ends)."""
    L = fan_out()
    ax = draw_graph(L, title="Every gradient filled in: x got two contributions (fan-out)")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {(node.name or node.op): patch.get_window_extent(renderer)
             for node, patch, _ in graph.drawn_graph(ax)[0].values()}
    edges = _edge_arrows(ax)
    assert len(edges) == sum(len(n.parents) for n in topological_order(L)) == 7
    assert "edge:x->L" in dict(edges)
    for name, arrow in edges:
        source, target = name.removeprefix("edge:").split("->")
        points = arrow.get_transform().transform(arrow.get_path().interpolated(50).vertices)
        for box_name, box in boxes.items():
            if box_name in (source, target):
                continue
            inside = ((box.x0 + 1 < points[:, 0]) & (points[:, 0] < box.x1 - 1)
                      & (box.y0 + 1 < points[:, 1]) & (points[:, 1] < box.y1 - 1))
            assert not inside.any(), f"{name} crosses the box of {box_name}"
    plt.close("all")
