"""Figure style shared by every lesson: large fonts for the back of the classroom,
a colour-blind-safe palette (Okabe–Ito), and small PNGs so notebooks stay light.

Imports matplotlib, so the maths modules never import this one.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

from nblib.redraw import frame, moving_artists, set_moving  # noqa: F401  (the explorers import set_moving from here)

#: Okabe & Ito (2008) palette, distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

COURSE_RC = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    # 13 pt = 14.4 px at 80 dpi: a figure as wide as two panels (11 in, 880 px) scaled to a 1280 × 720 slide still
    # shows its ticks and legend at 18 px (tools/build_html.py size_figures; tests/browser/test_slides_figures.py).
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "lines.linewidth": 2.2,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO.values())),
    "figure.constrained_layout.use": True,
}


def _check_figure(fig, name: str = "fig") -> None:
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"{name} must be a matplotlib Figure, got {type(fig).__name__} {fig!r:.40}")


def _check_grid(nrows, ncols) -> None:
    from nblib.validate import check_scalar

    check_scalar("nrows", nrows, low=1, high=100, integer=True)
    check_scalar("ncols", ncols, low=1, high=100, integer=True)


#: The largest figure side, in inches, a page could need (the course's widest figure is 11): 1e9 is refused by name.
MAX_FIGURE_INCHES = 100.0


def _check_figsize(figsize) -> None:
    """None (matplotlib's default) or (width, height) in inches, each positive and at most MAX_FIGURE_INCHES."""
    if figsize is None:
        return
    import numbers

    ok = (isinstance(figsize, (tuple, list)) and len(figsize) == 2
          and all(isinstance(v, numbers.Real) and not isinstance(v, bool) and 0 < v <= MAX_FIGURE_INCHES
                  for v in figsize))  # NaN fails 0 < v
    if not ok:
        raise ValueError(f"figsize must be (width, height) in inches, each in (0, {MAX_FIGURE_INCHES:g}], got "
                         f"{figsize!r:.60}")


def use_course_style() -> None:
    """Apply the course's figure style to every later figure (call once at the top of a lesson), and in a
    notebook give every figure's PNG output alt text (:func:`register_alt_text`)."""
    mpl.rcParams.update(COURSE_RC)
    register_alt_text()


def describe_figure(fig) -> str:
    """Alt text for a figure, from what it says about itself: its suptitle, then per panel the title and the
    axis labels — which the course's figures always set (COURSE_STYLE: "a title that says what to notice")."""
    def clean(text: str) -> str:
        return " ".join(text.split())

    _check_figure(fig)
    parts = []
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""  # Figure.get_suptitle: matplotlib ≥ 3.8
    if suptitle.strip():
        parts.append(clean(suptitle))
    panels = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        title = next((ax.get_title(loc) for loc in ("center", "left", "right") if ax.get_title(loc).strip()), "")
        axes = [f"{name}: {clean(label)}" for name, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel()))
                if label.strip()]
        text = clean(title) + (f" ({'; '.join(axes)})" if axes else "")
        if text.strip():
            panels.append(text)
    if len(panels) > 1:
        parts.append(f"{len(panels)} panels: " + " | ".join(panels))
    else:
        parts.extend(panels)
    return "Figure: " + (". ".join(parts) if parts else "a plot without a title")


def register_alt_text() -> bool:
    """In IPython, wrap the PNG formatter of matplotlib figures so each figure's output carries
    ``{"image/png": {"alt": describe_figure(fig)}}`` in its metadata — the key IPython's own
    ``Image(alt=…)`` writes. The course's site template (tools/build_html.py) turns it into the <img>'s alt.
    Returns False outside IPython or when no PNG formatter for figures is registered."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure

    if "inline" in mpl.get_backend():
        # Loading the inline backend registers its figure formatters (pyplot loads it lazily, at the first
        # figure); wrap them now so that first figure gets alt text too.
        import matplotlib_inline.backend_inline  # noqa: F401
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        previous = formatter.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(previous, "course_alt_text", False):
        return True

    def png_with_alt(fig):
        result = previous(fig)
        if result is None:
            return None
        data, metadata = result if isinstance(result, tuple) else (result, {})
        # The inline backend draws at the figure's dpi (IPython's print_figure); its PNG comes base64-encoded.
        text_px = smallest_text_px(fig, fig.dpi)
        if isinstance(data, bytes):
            data = tag_png(data, text_px)
        elif isinstance(data, str):
            import base64

            data = base64.b64encode(tag_png(base64.b64decode(data), text_px)).decode("ascii")
        return data, {**metadata, "alt": describe_figure(fig)}

    png_with_alt.course_alt_text = True
    formatter.for_type(Figure, png_with_alt)
    return True


def new_figure(ncols: int = 1, nrows: int = 1, **kwargs):
    """``plt.subplots`` in the course style; returns ``(fig, axes)``."""
    _check_grid(nrows, ncols)
    with mpl.rc_context(COURSE_RC):
        return plt.subplots(nrows, ncols, **kwargs)


def explorer_figure(nrows: int = 1, ncols: int = 1, figsize=(7.0, 4.2), **kwargs):
    """A figure for an explorer's redraw: fixed margins instead of constrained layout, which halves the
    time of every redraw (measured by benchmarks/bench_widgets.py)."""
    _check_grid(nrows, ncols)
    _check_figsize(figsize)
    with mpl.rc_context({**COURSE_RC, "figure.constrained_layout.use": False}):
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.16, top=0.88, wspace=0.3, hspace=0.45)
    return fig, axes


def explorer_canvas(nrows: int = 1, ncols: int = 1, figsize=(7.0, 4.2), pyplot: bool = False, **kwargs):
    """A figure an explorer keeps for its whole life and updates in place (``set_height``, ``set_data``, …),
    then shows with ``IPython.display.display(fig)``. Not registered with pyplot, so ``plt.show()`` never
    shows or closes it; building the axes once instead of on every move roughly halves an update
    (benchmarks/bench_widgets.py). ``pyplot=True`` makes an ordinary pyplot figure instead, for a lesson's
    static cell that ends with ``plt.show()``."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    _check_grid(nrows, ncols)
    _check_figsize(figsize)
    if not isinstance(pyplot, bool):
        raise TypeError(f"pyplot must be True or False, got {type(pyplot).__name__} {pyplot!r:.40}")
    use_course_style()  # ticks and titles made later, when the figure is updated and drawn, read rcParams then
    with mpl.rc_context({"figure.constrained_layout.use": False}):
        fig = plt.figure(figsize=figsize) if pyplot else Figure(figsize=figsize)
        # No layout engine, for good: with none set, matplotlib reads rcParams again later (savefig does) and would
        # switch the course's constrained layout on, moving the axes after the first frame and slowing every draw.
        fig.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=True))
        if not pyplot:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)  # Agg: it can blit (nblib.redraw)
        axes = fig.subplots(nrows, ncols, **kwargs)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.16, top=0.88, wspace=0.3, hspace=0.45)
    return fig, axes


def figure_png(fig) -> tuple[bytes, str]:
    """One PNG of ``fig`` at the figure's own size, and its alt text. Explorers' margins are fixed, so the inline
    backend's ``bbox_inches="tight"`` — a second full draw to measure the content — is not needed. A figure with
    moving parts (:func:`set_moving`) redraws only what changed (:mod:`nblib.redraw`)."""
    import io

    buffer = io.BytesIO()
    if moving_artists(fig):
        frame(fig).save(buffer, format="png", compress_level=1)  # level 1: a third faster than 6, ~5 % larger
        dpi = fig.dpi  # the canvas's own pixels
    else:
        fig.savefig(buffer, format="png")
        dpi = fig.dpi if mpl.rcParams["savefig.dpi"] == "figure" else mpl.rcParams["savefig.dpi"]
    return tag_png(buffer.getvalue(), smallest_text_px(fig, dpi)), describe_figure(fig)


def show_in_place(fig) -> None:
    """Show an explorer's kept figure (:func:`figure_png`) as the cell's image output."""
    show_png(*figure_png(fig))


def show_png(png: bytes, alt: str) -> None:
    """Show a PNG with its alt text as the cell's image output."""
    from IPython.display import Image, display

    _check_png(png)
    if not isinstance(alt, str):
        raise TypeError(f"alt must be the figure's alt text (a str), got {type(alt).__name__} {alt!r:.40}")
    display(Image(data=png, format="png", alt=alt))


# The smallest text a figure's PNG holds, in the PNG's own pixels, travels with the PNG as a tEXt chunk under this
# key: the slides (tools/build_html.py) scale each figure so that text reaches 18 px on a 1280 × 720 slide, and the
# browser test (tests/browser/test_slides_figures.py) checks it. Pixel data and alt text are unchanged.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png(png) -> None:
    if not isinstance(png, (bytes, bytearray)):
        raise TypeError(f"png must be the bytes of a PNG image, got {type(png).__name__} {png!r:.40}")
TEXT_PX_KEY = "course:min-text-px"


def smallest_text_px(fig, dpi: float | None = None) -> float | None:
    """The font size of the smallest visible, non-empty text of ``fig`` (tick labels, legend, titles, annotations),
    in pixels of a PNG drawn at ``dpi`` (default: the figure's): points × dpi / 72. None for a figure without text."""
    from matplotlib.text import Text

    from nblib.validate import check_scalar

    _check_figure(fig)
    if dpi is not None:
        check_scalar("dpi", dpi, low=0.0, inclusive=False)
    hidden = set()  # the tick labels of an axis not drawn (ax.axis("off") or an invisible axis) are not in the PNG
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis, *((ax.zaxis,) if hasattr(ax, "zaxis") else ())):
            if not (ax.axison and axis.get_visible()):
                hidden.update(id(t) for t in axis.findobj(Text))
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if id(t) not in hidden
             and t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())]
    if not sizes:
        return None
    return round(min(sizes) * (dpi or fig.dpi) / 72, 2)


def tag_png(png: bytes, text_px: float | None) -> bytes:
    """``png`` with a tEXt chunk ``course:min-text-px`` (after IHDR) saying how tall its smallest text is in pixels;
    unchanged when ``text_px`` is None or it is not a PNG."""
    import struct
    import zlib

    _check_png(png)
    if text_px is not None:
        from nblib.validate import check_scalar

        check_scalar("text_px", text_px, low=0.0, inclusive=False)
    if text_px is None or not png.startswith(PNG_SIGNATURE):
        return png
    body = b"tEXt" + TEXT_PX_KEY.encode("latin-1") + b"\0" + f"{text_px:g}".encode("latin-1")
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    end_of_ihdr = 8 + 8 + 13 + 4  # signature, IHDR's length and type, its 13 bytes, its CRC
    return png[:end_of_ihdr] + chunk + png[end_of_ihdr:]


def png_text_px(png: bytes) -> float | None:
    """The smallest text size :func:`tag_png` recorded in ``png``, or None (an untagged PNG)."""
    import struct

    _check_png(png)
    at = 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"tEXt":
            key, _, value = png[at + 8:at + 8 + length].partition(b"\0")
            if key == TEXT_PX_KEY.encode("latin-1"):
                return float(value)
        if kind in (b"IDAT", b"IEND"):
            return None
        at += 12 + length
    return None
