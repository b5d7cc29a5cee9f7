"""Lesson 10's computation-graph view, matplotlib only: each node of an :mod:`nblib.autodiff` expression with its
forward value and, step by step backward, its gradient as it is filled in.

:func:`backward_frames` is the plain update function (numbers, no figure); :func:`draw_graph` draws one step (a
static frame for the site and slides); :func:`graph_explorer` wires an IntSlider to it.

``compact=True`` (lesson 02) draws a graph a student can read at notebook width: every *named* node is one box
and the unnamed operations that only feed it (transposes, ``@``, ``−``, ``²``, ``Σ``, ``½``) fold into it, its
label the formula they make (``E = ½Σ(Y − O)²``); named leaves (the parameters) are small boxes in a second row
under the box that uses them, other leaves (data, constants) a tag above it. One backward step then runs all the
closures of one box. :func:`house_graph` builds lesson 02's network that way.
"""

from __future__ import annotations

import weakref

import numpy as np

from nblib._exercise_guard import exercise_answer
from nblib.autodiff import Tensor, backward_steps, topological_order, zero_grad
from nblib.validate import check_scalar

# What each graph axes shows, kept beside it (no attribute of ours on a matplotlib object): draw_graph's
# (boxes, frames) or draw_compact's (drawn, layout, frames, root); gone with the axes.
_DRAWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _check_root(root, name: str = "root") -> None:
    if not isinstance(root, Tensor):
        raise TypeError(f"{name} must be an nblib.autodiff Tensor (the expression's result), got "
                        f"{type(root).__name__} {root!r:.40}")


def drawn_graph(ax):
    """What :func:`draw_graph` or :func:`draw_compact` drew on ``ax``: ``(boxes, frames)`` for the full view, ``(boxes,
    layout, frames, root)`` for the compact one; ``boxes`` maps id(node) → (node, patch, texts)."""
    if ax not in _DRAWN:
        raise ValueError(f"ax holds no graph drawn by draw_graph or draw_compact, got {ax!r:.60}")
    return _DRAWN[ax]


def is_compact(ax) -> bool:
    """True when ``ax`` shows :func:`draw_compact`'s view, False for :func:`draw_graph`'s."""
    return len(drawn_graph(ax)) == 4


def _fmt(x: np.ndarray) -> str:
    return f"{float(x.reshape(-1)[0]):.4g}" if x.size == 1 else f"{x.shape} array"


def backward_frames(root: Tensor, compact: bool = False) -> tuple[list, list]:
    """Run ``root.backward()`` one node at a time; return (order, frames).

    ``order`` is the topological order; ``frames[k]`` is ``(active, grads)`` after k steps: step 0 is the forward
    pass only, step 1 seeds ∂root/∂root = 1, each later step runs one node's backward closure (``active``) and
    ``grads`` maps ``id(node)`` to the gradient it holds so far (only nodes some closure has reached).
    With ``compact=True`` a step runs every closure of one box of the compact view (``active`` is the box's
    named node), boxes in reverse topological order.
    """
    _check_root(root)
    order = topological_order(root)
    zero_grad([n for n in order if not n.parents])  # a fresh pass: leaves start from zero
    frames = [(None, {}), (root, {id(root): np.ones_like(root.value)})]
    reached = {id(root)}
    if compact:
        group = _groups(order, root)
        members = _members(order, group)
        run = [n for n in order if not n.parents] + [m for out in members.values() for m in out]
        box_done = {id(nodes[0]): nodes[-1] for nodes in members.values()}  # its topologically first node runs last
    else:
        run, box_done = None, None
    for node in backward_steps(root, order=run):
        if node.parents:  # a leaf's closure does nothing: no frame
            reached.update(id(p) for p in node.parents)
            if box_done is None or id(node) in box_done:
                active = node if box_done is None else box_done[id(node)]
                frames.append((active, {id(n): n.grad.copy() for n in order if id(n) in reached}))
    return order, frames


def grads_at(frames, step: int = -1) -> dict:
    """``{name: gradient}`` that frame ``step`` of :func:`backward_frames` shows (default: the last), for every
    named node the backward pass has reached by then."""
    if not (isinstance(frames, tuple) and len(frames) == 2):
        raise TypeError(f"frames must be backward_frames(root)'s (order, frames), got {type(frames).__name__} "
                        f"{frames!r:.40}")
    order, steps = frames
    check_scalar("step", step, low=-len(steps), high=len(steps) - 1, integer=True)
    grads = steps[step][1]
    return {n.name: grads[id(n)] for n in order if n.name and id(n) in grads}


def _layout(order) -> dict:
    depth, children = {}, {}
    for node in order:
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
        for p in node.parents:
            children.setdefault(id(p), []).append(node)
    for node in order:  # a leaf sits just before its first consumer
        if not node.parents and id(node) in children:
            depth[id(node)] = min(depth[id(c)] for c in children[id(node)]) - 1
    columns: dict = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    pos = {}
    for d, nodes in columns.items():
        for i, node in enumerate(nodes):
            pos[id(node)] = (d, (len(nodes) - 1) / 2 - i)
    return pos


_HALF = 0.38  # half a box's height in the full view, its rounding pad included
# Points: the full view's texts (its title one more). Lesson 10's graph is 5 columns, 1160 px wide: on a 1280 × 720
# slide it is shown 1.05 times its size, so its text needs 17.6 px in the PNG to reach 18 px (COURSE_STYLE).
FULL_FONT = 16


def draw_graph(root: Tensor, step: int | None = None, frames=None, ax=None, title: str = "", compact: bool = False,
               **compact_options):
    """Draw the graph of ``root`` at backward step ``step`` (default: the last, every gradient filled in).

    ``compact=True`` draws the compact view (:func:`draw_compact`, which takes ``boxed`` and ``grad_names``).
    """
    _check_root(root)
    if compact:
        return draw_compact(root, step, frames, ax, title, **compact_options)
    if compact_options:
        raise TypeError(f"{', '.join(compact_options)} only apply with compact=True")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    from nblib.plots import OKABE_ITO, use_course_style

    use_course_style()
    order, frames = frames if frames is not None else backward_frames(root)
    step = len(frames) - 1 if step is None else check_scalar("step", step, low=0, high=len(frames) - 1,
                                                               integer=True)
    pos = _layout(order)
    width = max(x for x, _ in pos.values()) + 1
    height = max(2 * abs(y) for _, y in pos.values()) + 1
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8.0, 2.9 * width), max(3.4, 1.9 * height + 0.9)))
    for node in order:
        for parent in node.parents:
            (x0, y0), (x1, y1) = pos[id(parent)], pos[id(node)]
            name = f"edge:{parent.name or parent.op}->{node.name or node.op}"
            if x1 - x0 <= 1:
                ax.annotate("", xy=(x1 - 0.36, y1), xytext=(x0 + 0.36, y0), gid=name,
                            arrowprops={"arrowstyle": "->", "lw": 1.6, "color": "0.35"})
                continue
            # An edge skipping columns (a fan-out: lesson 10's x feeds ∗ and L) leaves its box from the bottom and
            # runs in a lane under every box it passes, up into its target's bottom: an arc would cut through the
            # boxes between (it crossed b).
            between = [y for x, y in pos.values() if x0 <= x <= x1]
            lane = min(between) - _HALF - 0.2
            ax.add_patch(FancyArrowPatch(path=Path([(x0, y0 - _HALF), (x0, lane), (x1, lane), (x1, y1 - _HALF)]),
                                         arrowstyle="->", mutation_scale=15, lw=1.6, color="0.35", gid=name))
    boxes = {}
    for node in order:
        x, y = pos[id(node)]
        colour = OKABE_ITO["sky"] if not node.parents else OKABE_ITO["orange"]
        patch = ax.add_patch(FancyBboxPatch((x - 0.36, y - 0.34), 0.72, 0.68, boxstyle="round,pad=0.04",
                                            facecolor=to_rgba(colour, 0.35)))
        head = node.name or node.op
        texts = [ax.text(x, y + 0.17, head if not node.parents else f"{head}  ({node.op})" if node.name else head,
                         ha="center", va="center", fontsize=FULL_FONT + 1, fontweight="bold"),
                 ax.text(x, y - 0.02, f"value {_fmt(node.value)}", ha="center", va="center", fontsize=FULL_FONT),
                 ax.text(x, y - 0.2, "", ha="center", va="center", fontsize=FULL_FONT, color=OKABE_ITO["vermillion"],
                         fontweight="bold")]  # the gradient, empty until a step reaches the node
        boxes[id(node)] = (node, patch, texts)
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-height / 2 - 0.45, height / 2 + 0.1)  # room under the boxes for a fan-out edge's lane
    ax.axis("off")
    _DRAWN[ax] = (boxes, frames)
    _show_full_step(ax, step, title)
    return ax


def _show_full_step(ax, step: int, title: str = "") -> None:
    """Set the full view drawn by :func:`draw_graph` to backward step ``step``: the active box's edge, the gradients
    reached so far, the title (the rest of the figure stays as it is)."""
    from nblib.plots import OKABE_ITO

    boxes, frames = _DRAWN[ax]
    active, grads = frames[step]
    for node, patch, (_, _, grad) in boxes.values():
        patch.set_linewidth(3.5 if node is active else 1.2)
        patch.set_edgecolor(OKABE_ITO["vermillion"] if node is active else "black")
        grad.set_text(f"grad {_fmt(grads[id(node)])}" if id(node) in grads else "")
    what = ("forward pass: values only" if step == 0 else "step 1: seed ∂root/∂root = 1" if step == 1
            else f"step {step}: the closure of {active.name or active.op} adds into its inputs' grads")
    ax.set_title(title or f"{what}  (step {step} of {len(frames) - 1})", fontsize=FULL_FONT + 1)


def graph_explorer(root: Tensor, compact: bool = False, **compact_options):
    """An IntSlider stepping the backward pass of ``root`` through :func:`draw_graph` (same options)."""
    _check_root(root)
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from nblib.plots import figure_png, set_moving, show_png
    from nblib.widgets.explorer import Explorer

    computed = backward_frames(root, compact=compact)
    if compact:  # one kept figure sized to its layout (so no tight box); a step changes texts and edges in place
        options = {k: compact_options.get(k) for k in ("boxed", "grad_names")}
        figure, ax, _ = compact_figure(root, computed, **options)
        draw_compact(root, 0, computed, ax, **options)
        show = _show_compact_step
    else:  # the figure draw_graph sizes for this expression, kept out of pyplot's hands
        ax = draw_graph(root, 0, frames=computed)
        figure = ax.figure
        # constrained layout places the axes once, then it stays put (a layout per step is slow); before plt.close,
        # whose canvas no longer draws (the axes stayed at the default margins, the graph in the middle third)
        figure.canvas.draw()
        plt.close(figure)
        figure.set_layout_engine("none")
        FigureCanvasAgg(figure)  # after plt.close: a canvas of its own that can blit (nblib.redraw)
        show = _show_full_step

    boxes = _DRAWN[ax][0].values()
    # Each box's patch under its texts, then the title: a step changes an edge, a gradient's text and the title.
    set_moving(figure, [*(a for _, patch, texts in boxes for a in (patch, *texts)), ax.title])

    # Every step's picture, drawn once now (a few tenths of a second in all): a move then only sets the step's
    # texts and edges (for the figure's own state) and shows the picture it already has.
    pictures = []
    for step in range(len(computed[1])):
        show(ax, step)
        pictures.append(figure_png(figure))
    show(ax, 0)

    def update(step):
        show(ax, step)
        show_png(*pictures[step])

    return Explorer(update, figure, step=widgets.IntSlider(value=0, min=0, max=len(computed[1]) - 1,
                                                           description="step"))


# ---------------------------------------------------------------------------------------------------------------
# The compact view (lesson 02): one box per named node, parameters in a second row.

_CONSTANTS = {0.5: "½", 0.25: "¼", 2.0: "2", 1.0: "1"}
_POWERS = {2.0: "²", 3.0: "³"}
FONT, SMALL = 15, 14  # points: a box's label is FONT, everything else SMALL (18 px and more on a 1280 × 720 slide)
_SIZES = {"box": (FONT, SMALL, SMALL, SMALL), "leaf": (SMALL, SMALL, SMALL, SMALL)}  # label, shape, value, grad
_BOLD = (True, False, False, True)
_LINE = 1.45  # line height / font size


def _groups(order, root) -> dict:
    """id(interior node) → id of its box's node: a named node (or the root) is a box; an unnamed one joins the box
    of its consumers when they all share one, else it is a box of its own."""
    consumers: dict = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(id(parent), []).append(node)
    group = {}
    for node in reversed(order):
        if node.parents:
            boxes = {group[id(c)] for c in consumers.get(id(node), [])}
            own = node is root or node.name or len(boxes) != 1
            group[id(node)] = id(node) if own else boxes.pop()
    return group


def _members(order, group) -> dict:
    """id(box node) → the interior nodes of that box in topological order (the box node last), boxes in order."""
    members: dict = {id(n): [] for n in order if n.parents and group[id(n)] == id(n)}
    for node in order:
        if node.parents:
            members[group[id(node)]].append(node)
    return members


def _inputs(order, group) -> dict:
    """id(box node) → the nodes feeding that box from outside it (leaves and other boxes' nodes), first use first."""
    inputs: dict = {}
    for node in order:
        if node.parents:
            box = inputs.setdefault(group[id(node)], [])
            for parent in node.parents:
                outside = not parent.parents or group[id(parent)] != group[id(node)]
                if outside and all(parent is not q for q in box):
                    box.append(parent)
    return inputs


def _expr(node, group, box) -> tuple[str, int]:
    """The formula of ``node`` inside box ``box``, and its precedence (1 sum, 2 product, 3 atom)."""
    if not node.parents or group[id(node)] != box:
        if node.name:
            return node.name, 3
        if node.value.size == 1:
            v = float(node.value.reshape(-1)[0])
            return _CONSTANTS.get(v, f"{v:g}"), 3
        return ("c" if not node.parents else f"({_expr(node, group, group[id(node)])[0]})"), 3

    def arg(i, need):
        text, prec = _expr(node.parents[i], group, box)
        return f"({text})" if prec < need else text

    op = node.op
    if op == "+":
        return f"{arg(0, 1)} + {arg(1, 1)}", 1
    if op == "−":
        return f"{arg(0, 1)} − {arg(1, 2)}", 1
    if op == "∗":
        left = node.parents[0]
        if not left.parents and not left.name and left.value.size == 1:  # ½Σ(…): a constant factor, no dot
            return f"{arg(0, 3)}{arg(1, 2)}", 2
        return f"{arg(0, 2)}·{arg(1, 2)}", 2
    if op == "@":
        return f"{arg(0, 3)}{arg(1, 3)}", 2
    if op == "ᵀ":
        return f"{arg(0, 3)}ᵀ", 3
    if op.startswith("^"):
        p = float(op[1:])
        return f"{arg(0, 3)}{_POWERS.get(p, op)}", 3
    if op == "Σ":
        return f"Σ{arg(0, 3)}", 2
    return f"{op}({', '.join(arg(i, 1) for i in range(len(node.parents)))})", 3


def box_label(node, group) -> str:
    """A box's label: ``name = formula`` of the operations folded into it (``E = ½Σ(Y − O)²``)."""
    _check_root(node, "node")
    formula, _ = _expr(node, group, id(node)) if node.parents else (node.name, 3)
    return f"{node.name} = {formula}" if node.name and node.parents else formula


def _short(x: np.ndarray) -> str:
    """A fixed format for the compact view: a number, or an array's norm (its shape has a line of its own)."""
    if x.size == 1:
        return f"{float(x.reshape(-1)[0]):.4g}"
    return f"norm {float(np.linalg.norm(x)):.3g}"


def _box_lines(node, label, grads, grad_names) -> list[str]:
    """A box's four lines: its label, its shape (its gradient's too), its value, its gradient (once computed)."""
    grad = grads.get(id(node))
    symbol = grad_names.get(node.name)
    named = f"grad {symbol} {'=' if grad is not None and grad.size == 1 else ':'} " if symbol else "grad "
    text = "" if grad is None else named + _short(grad)
    shape = f"shape {node.value.shape}" if node.value.ndim else "a scalar"
    return [label, shape, f"value {_short(node.value)}", text]


def compact_layout(root: Tensor, frames, boxed=None, grad_names=None, renderer=None, dpi: float = 80.0) -> dict:
    """Positions and sizes (inches) of the compact view's boxes, sized to fit the widest text any frame shows.

    Returns ``{"boxes": {id: (x, y, w, h, kind)}, "lines": {id: [line per frame]}, "width", "height", "group",
    "inputs", "tags"}``: ``kind`` is ``"box"`` (a named node and what folds into it) or ``"leaf"`` (a second-row
    parameter). ``boxed`` names the leaves that get a box (default: every named leaf); the others are tags.
    """
    _check_root(root)
    from matplotlib.font_manager import FontProperties

    order, frames = frames
    grad_names = grad_names or {}
    group = _groups(order, root)
    members = _members(order, group)
    inputs = _inputs(order, group)
    outs = [n for n in order if id(n) in members]
    if not outs:
        raise ValueError("the compact view needs at least one operation: root is a leaf")

    def is_boxed(leaf):
        return bool(leaf.name) and (boxed is None or leaf.name in boxed)

    if renderer is None:
        from matplotlib.backends.backend_agg import RendererAgg
        renderer = RendererAgg(100, 100, dpi)

    def width(text, size, bold):
        if not text:
            return 0.0
        w, _, _ = renderer.get_text_width_height_descent(text, FontProperties(size=size, weight="bold" if bold
                                                                               else "normal"), ismath=False)
        return w / renderer.dpi

    labels = {id(n): box_label(n, group) for n in outs}
    leaves = [n for n in order if not n.parents and is_boxed(n)]
    lines = {id(n): [_box_lines(n, labels.get(id(n), n.name), g, grad_names) for _, g in frames]
             for n in outs + leaves}

    def box_width(node, kind):
        texts = zip(*lines[id(node)])  # line i of every frame
        return max(width(t, _SIZES[kind][i], _BOLD[i]) for i, per_frame in enumerate(texts) for t in per_frame) + 0.2

    def box_height(kind):
        return sum(_SIZES[kind]) * _LINE / 72 + 0.16

    wide = {id(n): box_width(n, "box") for n in outs}
    wide.update({id(n): box_width(n, "leaf") for n in leaves})
    main_h, leaf_h = box_height("box"), box_height("leaf")
    tag_h = SMALL * _LINE / 72 + 0.04
    gap, leaf_gap, row_gap = 0.3, 0.2, 0.45

    depth, rows = {}, {}
    for node in outs:
        depth[id(node)] = 1 + max((depth[id(p)] for p in inputs[id(node)] if p.parents), default=-1)
        rows[id(node)] = sum(1 for o in outs if o is not node and id(o) in rows and depth[id(o)] == depth[id(node)])
    column_w = {}
    for node in outs:
        column_w[depth[id(node)]] = max(column_w.get(depth[id(node)], 0.0), wide[id(node)])
    column_x = np.concatenate([[0.0], np.cumsum([column_w[d] + gap for d in sorted(column_w)])])
    tags = {id(n): "   ".join(f"{p.name} = {_short(p.value)}" if p.value.size == 1 else f"{p.name} {p.value.shape}"
                               for p in inputs[id(n)] if not p.parents and p.name and not is_boxed(p))
            for n in outs}
    base = (leaf_h + row_gap) if leaves else 0.0
    boxes = {}
    for node in outs:
        d = depth[id(node)]
        x = column_x[d] + (column_w[d] - wide[id(node)]) / 2
        y = base + rows[id(node)] * (main_h + tag_h + row_gap)
        boxes[id(node)] = (float(x), y, wide[id(node)], main_h, "box")
    placed = []  # the second row: each leaf centred under the first box that uses it, then pushed apart
    for node in outs:
        mine = [p for p in inputs[id(node)] if not p.parents and is_boxed(p) and all(p is not q for q in placed)]
        x, _, w, _, _ = boxes[id(node)]
        start = x + w / 2 - (sum(wide[id(p)] for p in mine) + leaf_gap * (len(mine) - 1)) / 2
        for leaf in mine:
            placed.append(leaf)
            boxes[id(leaf)] = start
            start += wide[id(leaf)] + leaf_gap
    right = -leaf_gap  # no leaf left of the first column: the row starts where the chain does
    for leaf in sorted(placed, key=lambda n: boxes[id(n)]):
        x = max(boxes[id(leaf)], right + leaf_gap)
        boxes[id(leaf)] = (x, 0.0, wide[id(leaf)], leaf_h, "leaf")
        right = x + wide[id(leaf)]
    margin, title_h = 0.15, 0.55
    left = min(b[0] for b in boxes.values())
    boxes = {k: (x - left + margin, y + margin, w, h, kind) for k, (x, y, w, h, kind) in boxes.items()}
    width_in = max(x + w for x, _, w, _, _ in boxes.values()) + margin
    height_in = max(y + h for x, y, w, h, _ in boxes.values()) + tag_h + margin + title_h
    return {"boxes": boxes, "lines": lines, "width": float(np.ceil(width_in * 10) / 10),
            "height": float(np.ceil(height_in * 10) / 10), "group": group, "inputs": inputs, "tags": tags,
            "title_h": title_h, "order": order}


def _step_text(step, frames, group, root) -> str:
    active = frames[step][0]
    if step == 0:
        return "forward pass: values only"
    name = root.name or "root"
    if step == 1:
        return f"step 1: seed ∂{name}/∂{name} = 1"
    return f"step {step}: back through {box_label(active, group)}"


_LAYOUTS: list = []  # (root, frames, key, layout) of the last few graphs: measuring every text takes ~70 ms


def _cached_layout(root, frames, boxed, grad_names, dpi) -> dict:
    key = (tuple(boxed) if boxed is not None else None, tuple(sorted((grad_names or {}).items())), float(dpi))
    for cached_root, cached_frames, cached_key, layout in _LAYOUTS:
        if cached_root is root and cached_frames is frames and cached_key == key:
            return layout
    layout = compact_layout(root, frames, boxed, grad_names, dpi=dpi)
    _LAYOUTS[:] = [*_LAYOUTS[-3:], (root, frames, key, layout)]
    return layout


def compact_figure(root: Tensor, frames, boxed=None, grad_names=None, figure=None):
    """(figure, axes, layout) for the compact view: ``figure`` (default: a figure no pyplot call shows or closes,
    for an explorer to keep) sized to the layout, with one axes under the title's room."""
    _check_root(root)
    if figure is None:
        from nblib.plots import explorer_canvas

        figure, _ = explorer_canvas(figsize=(8, 4))
        figure.clear()
    lay = _cached_layout(root, frames, boxed, grad_names, figure.dpi)
    figure.set_size_inches(lay["width"], lay["height"])
    ax = figure.add_axes((0, 0, 1, 1 - lay["title_h"] / lay["height"]))
    return figure, ax, lay


def draw_compact(root: Tensor, step: int | None = None, frames=None, ax=None, title: str = "", boxed=None,
                 grad_names=None):
    """The compact view of ``root`` at backward step ``step`` (default: the last, every gradient filled in).

    Without ``ax`` the figure is sized to its content (inches); ``grad_names`` renames a node's gradient on the
    page (``{"Z₂": "δ₂"}``). Each box's patch and texts carry the gid ``"box:<name>"`` (tests find them by it).
    """
    _check_root(root)
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from nblib.plots import OKABE_ITO, use_course_style

    use_course_style()
    frames = frames if frames is not None else backward_frames(root, compact=True)
    order, steps = frames
    step = len(steps) - 1 if step is None else check_scalar("step", step, low=0, high=len(steps) - 1, integer=True)
    if ax is None:
        fig, ax, lay = compact_figure(root, frames, boxed, grad_names, figure=plt.figure(figsize=(8, 4), layout="none"))
    else:
        lay = _cached_layout(root, frames, boxed, grad_names, ax.figure.dpi)
    W, H = lay["width"], lay["height"] - lay["title_h"]
    ax.set_xlim(0, W)
    ax.set_ylim(0, H)
    ax.axis("off")
    boxes = lay["boxes"]
    by_id = {id(n): n for n in order}
    arrow = {"arrowstyle": "-|>", "mutation_scale": 14, "lw": 1.6, "color": "0.35", "shrinkA": 2, "shrinkB": 2}
    for key, feeding in lay["inputs"].items():
        x1, y1, w1, h1, _ = boxes[key]
        for node in feeding:
            if id(node) not in boxes:
                continue
            x0, y0, w0, h0, kind = boxes[id(node)]
            if kind == "leaf":  # up from the second row into the bottom of the box that uses it
                start, end = (x0 + w0 / 2, y0 + h0), (min(max(x0 + w0 / 2, x1 + 0.15), x1 + w1 - 0.15), y1)
                style = "arc3,rad=0"
            else:
                start, end = (x0 + w0, y0 + h0 / 2), (x1, y1 + h1 / 2)
                style = "arc3,rad=0" if abs(x1 - x0 - w0) < 1.0 and y0 == y1 else "arc3,rad=-0.25"
            ax.add_patch(FancyArrowPatch(start, end, connectionstyle=style, **arrow))
    drawn = {}
    for key, (x, y, w, h, kind) in boxes.items():
        node = by_id[key]
        colour = OKABE_ITO["orange"] if kind == "box" else OKABE_ITO["sky"]
        gid = f"box:{node.name or node.op}"
        patch = ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.08",
                                            facecolor=to_rgba(colour, 0.3)))
        patch.set_gid(gid)
        top, texts = y + h - 0.08, []
        for i, size in enumerate(_SIZES[kind]):  # one text per line, empty until a step fills it
            t = ax.text(x + w / 2, top - size * _LINE / 144, "", ha="center", va="center", fontsize=size,
                        fontweight="bold" if _BOLD[i] else "normal",
                        color=OKABE_ITO["vermillion"] if i == len(_BOLD) - 1 else "black")
            t.set_gid(gid)
            texts.append(t)
            top -= size * _LINE / 72
        if kind == "box" and lay["tags"].get(key):
            t = ax.text(x + w / 2, y + h + 0.04, lay["tags"][key], ha="center", va="bottom", fontsize=SMALL,
                        color="0.25")
            t.set_gid(f"tag:{node.name or node.op}")
        drawn[key] = (node, patch, texts)
    _DRAWN[ax] = (drawn, lay, frames, root)
    _show_compact_step(ax, step, title)
    return ax


def _show_compact_step(ax, step: int, title: str = "") -> None:
    """Set the compact view :func:`draw_compact` drew into ``ax`` to backward step ``step``: the active box's edge,
    each box's lines, the title (nothing else changes, so an explorer redraws only these: nblib.redraw)."""
    from nblib.plots import OKABE_ITO

    drawn, lay, (order, steps), root = _DRAWN[ax]
    active = steps[step][0]
    for key, (node, patch, texts) in drawn.items():
        patch.set_linewidth(3.5 if node is active else 1.2)
        patch.set_edgecolor(OKABE_ITO["vermillion"] if node is active else "black")
        for t, text in zip(texts, lay["lines"][key][step]):
            t.set_text(text)
    ax.set_title(title or f"{_step_text(step, steps, lay['group'], root)}  (step {step} of {len(steps) - 1})",
                 fontsize=FONT + 1)


@exercise_answer
def house_graph(X, Y, params) -> Tensor:
    """Lesson 02's network as an :mod:`nblib.autodiff` graph whose nodes carry the lesson's names.

    ``X`` (n_in, m) and ``Y`` (n_out, m) arrays, ``params`` the dict of arrays of :func:`nblib.two_layer.init_params`
    (copied into new leaves named W_ih, b_ih, W_ho, b_ho); returns E, the root, after the forward pass. Nodes:
    Z₁ = W_ihᵀX + b_ih, h₁ = σ(Z₁), Z₂ = W_hoᵀh₁ + b_ho, O = σ(Z₂), E = ½Σ(Y − O)² (lesson 10's exercise 4
    builds the same graph, which is why this helper refuses while that exercise is checked).
    """
    from nblib import two_layer

    two_layer.loss(X, Y, params)  # checks the shapes of X, Y and params, naming the one that is wrong
    W_ih, b_ih, W_ho, b_ho = (Tensor(np.array(params[k], dtype=float), k) for k in two_layer.PARAM_KEYS)
    X, Y = Tensor(X, "X"), Tensor(Y, "Y")
    Z1 = W_ih.T @ X + b_ih
    Z1.name = "Z₁"
    h1 = Z1.sigmoid()
    h1.name = "h₁"
    Z2 = W_ho.T @ h1 + b_ho
    Z2.name = "Z₂"
    O = Z2.sigmoid()
    O.name = "O"
    E = 0.5 * ((Y - O) ** 2).sum()
    E.name = "E"
    return E
