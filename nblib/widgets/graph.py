"""Lesson 09's computation-graph view, matplotlib only: each node of an :mod:`nblib.autodiff` expression with its
forward value and, step by step backward, its gradient as it is filled in.

:func:`backward_frames` is the plain update function (numbers, no figure); :func:`draw_graph` draws one step (a
static frame for the site and slides); :func:`graph_explorer` wires an IntSlider to it.
"""

from __future__ import annotations

import numpy as np

from nblib.autodiff import Tensor, backward_steps, topological_order, zero_grad
from nblib.validate import check_scalar


def _fmt(x: np.ndarray) -> str:
    return f"{float(x.reshape(-1)[0]):.4g}" if x.size == 1 else f"{x.shape} array"


def backward_frames(root: Tensor) -> tuple[list, list]:
    """Run ``root.backward()`` one node at a time; return (order, frames).

    ``order`` is the topological order; ``frames[k]`` is ``(active, grads)`` after k steps: step 0 is the forward
    pass only, step 1 seeds ∂root/∂root = 1, each later step runs one node's backward closure (``active``) and
    ``grads`` maps ``id(node)`` to the gradient it holds so far (only nodes some closure has reached).
    """
    order = topological_order(root)
    zero_grad([n for n in order if not n.parents])  # a fresh pass: leaves start from zero
    frames = [(None, {}), (root, {id(root): np.ones_like(root.value)})]
    reached = {id(root)}
    for node in backward_steps(root):
        if node.parents:  # a leaf's closure does nothing: no frame
            reached.update(id(p) for p in node.parents)
            frames.append((node, {id(n): n.grad.copy() for n in order if id(n) in reached}))
    return order, frames


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


def draw_graph(root: Tensor, step: int | None = None, frames=None, ax=None, title: str = ""):
    """Draw the graph of ``root`` at backward step ``step`` (default: the last, every gradient filled in)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    from nblib.plots import OKABE_ITO, use_course_style

    use_course_style()
    order, frames = frames if frames is not None else backward_frames(root)
    step = len(frames) - 1 if step is None else check_scalar("step", step, low=0, high=len(frames) - 1,
                                                               integer=True)
    active, grads = frames[step]
    pos = _layout(order)
    width = max(x for x, _ in pos.values()) + 1
    height = max(2 * abs(y) for _, y in pos.values()) + 1
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8.0, 2.9 * width), max(3.4, 1.45 * height + 1.2)))
    for node in order:
        for parent in node.parents:
            (x0, y0), (x1, y1) = pos[id(parent)], pos[id(node)]
            bend = 0.0 if x1 - x0 <= 1 else 0.3  # an edge skipping columns arcs over the boxes between
            ax.annotate("", xy=(x1 - 0.36, y1), xytext=(x0 + 0.36, y0),
                        arrowprops={"arrowstyle": "->", "lw": 1.6, "color": "0.35",
                                    "connectionstyle": f"arc3,rad={bend}"})
    for node in order:
        x, y = pos[id(node)]
        leaf = not node.parents
        colour = OKABE_ITO["sky"] if leaf else OKABE_ITO["orange"]
        is_active = node is active
        ax.add_patch(FancyBboxPatch((x - 0.36, y - 0.34), 0.72, 0.68, boxstyle="round,pad=0.04",
                                    facecolor=to_rgba(colour, 0.35), linewidth=3.5 if is_active else 1.2,
                                    edgecolor=OKABE_ITO["vermillion"] if is_active else "black"))
        head = node.name or node.op
        ax.text(x, y + 0.17, head if leaf else f"{head}  ({node.op})" if node.name else head, ha="center",
                va="center", fontsize=13, fontweight="bold")
        ax.text(x, y - 0.02, f"value {_fmt(node.value)}", ha="center", va="center", fontsize=12)
        if id(node) in grads:
            ax.text(x, y - 0.2, f"grad {_fmt(grads[id(node)])}", ha="center", va="center", fontsize=12,
                    color=OKABE_ITO["vermillion"], fontweight="bold")
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-height / 2 - 0.7, height / 2 + 0.1)
    ax.axis("off")
    what = ("forward pass: values only" if step == 0 else "step 1: seed ∂root/∂root = 1" if step == 1
            else f"step {step}: the closure of {active.name or active.op} adds into its inputs' grads")
    ax.set_title(title or f"{what}  (step {step} of {len(frames) - 1})")
    return ax


def graph_explorer(root: Tensor):
    """An IntSlider stepping the backward pass of ``root`` through :func:`draw_graph`."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    computed = backward_frames(root)

    def update(step):
        draw_graph(root, step, frames=computed)
        plt.show()

    return widgets.interactive(update, step=widgets.IntSlider(value=0, min=0, max=len(computed[1]) - 1,
                                                              description="step"))
