"""Redraw only what an explorer's update changed: the pixels of a kept figure, patched where its moving artists were
and are now — matplotlib's documented blitting (its "Faster rendering by using blitting" tutorial), public API only.

An explorer declares the artists its updates change (:func:`set_moving`), which marks them animated
(``Artist.set_animated``), so a canvas draw leaves them out. The first frame draws everything else once and keeps it
as a background (``canvas.copy_from_bbox``). Each later frame compares every moving artist with how it was last drawn
(its text, vertices, colours, …, in display pixels); for the ones that changed it restores the background in the
rectangles they covered before and cover now (``canvas.restore_region``), and redraws there — clipped to those
rectangles — every moving artist that reaches into them, in z-order (``Figure.draw_artist``). A rectangle's pixels
are then those of a full draw, and the rest of the frame is untouched, so the picture equals a full draw
(tests/test_widgets_explorer.py checks it pixel for pixel); the frame is read with ``canvas.buffer_rgba``. A change
of the axes' limits or ticks redraws the background; an artist this module cannot describe is redrawn every frame.
A saved figure (``savefig``, the inline backend) still shows the animated artists: matplotlib draws them when saving.
"""

from __future__ import annotations

import weakref

import numpy as np
from matplotlib.transforms import Bbox

PAD = 3  # pixels around an artist's extent: anti-aliasing, and a line's or edge's width is added to this


class RedrawError(ValueError):
    """A figure or artist :mod:`nblib.redraw` cannot blit (the message names the argument, expected and actual)."""


class _State:
    """What :func:`frame` keeps per figure: the moving artists (z-order), the background and what it last drew."""

    def __init__(self, moving):
        self.moving = moving
        self.background = None  # (key, region)
        self.drawn = None  # [(key, box)] per moving artist


# Kept beside the figure, not on it (no attribute of our own on a matplotlib object); gone with the figure.
_STATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _figure_of(artist):
    """The figure ``artist`` belongs to (its root figure), or None once it was removed or never added."""
    figure = getattr(artist, "figure", None)
    while figure is not None and getattr(figure, "figure", figure) is not figure:  # a subfigure's parent
        figure = figure.figure
    return figure


def _check_figure(fig, name: str = "fig"):
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"{name} must be a matplotlib Figure, got {type(fig).__name__} {fig!r:.60}")


def _check_artists(fig, artists, where: str) -> None:
    from matplotlib.artist import Artist

    for i, artist in enumerate(artists):
        if not isinstance(artist, Artist):
            raise TypeError(f"{where}: artists[{i}] must be a matplotlib Artist, got {type(artist).__name__} "
                            f"{artist!r:.60}")
        owner = _figure_of(artist)
        if owner is None:
            raise RedrawError(f"{where}: artists[{i}] ({type(artist).__name__}) is not in any figure: it was removed "
                              "(artist.remove()) or never added; expected an artist of fig. Hint: declare the "
                              "artists the figure shows (set_moving again after replacing one).")
        if owner is not fig:
            raise RedrawError(f"{where}: artists[{i}] ({type(artist).__name__}) belongs to another figure, expected "
                              "an artist of fig. Hint: pass the artists of the figure you show.")


def set_moving(fig, artists) -> None:
    """Declare the artists an explorer's update changes (lines, bars, texts, a legend…). :func:`frame` then draws
    the rest once, keeps it as a background, and on each update redraws only the changed ones over it — until the
    axes' limits or ticks change, which redraws the background. Everything else must stay as it is."""
    _check_figure(fig)
    if artists is None or isinstance(artists, (str, bytes)) or not hasattr(artists, "__iter__"):
        raise TypeError(f"set_moving: artists must be a list of matplotlib artists of fig, got "
                        f"{type(artists).__name__} {artists!r:.60}")
    artists = list(artists)
    if not artists:
        raise RedrawError("set_moving: artists must hold at least one artist of fig, got an empty list. Hint: a "
                          "figure without moving parts needs no set_moving (show it with savefig).")
    _check_artists(fig, artists, "set_moving")
    if not hasattr(fig.canvas, "copy_from_bbox"):
        raise RedrawError(f"set_moving: fig's canvas must be able to blit (copy_from_bbox, as Agg's can), got "
                          f"{type(fig.canvas).__name__}. Hint: FigureCanvasAgg(fig) gives it one.")
    for ax in {a.axes for a in artists if a.axes is not None}:
        # Drawn over the background, the moving artists end up above everything static: give them the zorders
        # that put them there in a full draw too, in the order given (the picture is the same either way).
        mine = [a for a in artists if a.axes is ax]
        static = [c.get_zorder() for c in (*ax.get_children(), ax.xaxis, ax.yaxis) if c not in mine]
        top = max(static, default=0.0)
        for rank, artist in enumerate(mine):
            artist.set_zorder(max(artist.get_zorder(), top) + 0.01 * (rank + 1))
        if ax.title in mine:  # a title moved by hand, not re-placed by the axes' draw (which it skips here)
            ax.set_title(ax.get_title(), y=1.0)
    previous = _STATES.get(fig)
    for artist in previous.moving if previous is not None else ():
        if artist not in artists:  # declared before, static now: back into the background
            artist.set_animated(False)
    for artist in artists:
        # An animated artist is left out of a canvas draw (the background) but drawn when the figure is saved —
        # inside an axes; a figure's own animated artists are left out of a saved figure too, so those stay
        # un-animated and are hidden while the background is drawn instead.
        if artist.axes is not None:
            artist.set_animated(True)
    _STATES[fig] = _State(sorted(artists, key=lambda a: a.get_zorder()))


def moving_artists(fig) -> list:
    """The artists :func:`set_moving` declared for ``fig``, in drawing order (an empty list: none)."""
    _check_figure(fig)
    state = _STATES.get(fig)
    return list(state.moving) if state is not None else []


def _background_key(fig) -> tuple:
    """What the kept background depends on: the canvas and its renderer (a resize makes a new one), the axes' limits
    and ticks."""
    axes = tuple((ax.get_xlim(), ax.get_ylim(), tuple(ax.get_xticks()), tuple(ax.get_yticks()), ax.get_visible())
                 for ax in fig.axes)
    return id(fig.canvas), id(fig.canvas.get_renderer()), axes


def _key(artist):
    """How ``artist`` will be drawn, in display terms — equal keys draw equal pixels — without laying out any text,
    and the display points of a patch or line (else ``None``); key ``None`` when this module cannot tell (the
    artist is then redrawn every frame). A text's multi-line alignment has no public getter and is not in the key:
    an explorer sets it once, when it makes the text."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    if not artist.get_visible():
        return ("hidden",), None
    if isinstance(artist, Text):
        if not artist.get_text():
            return ("empty",), None
        if artist.get_bbox_patch() is not None:
            return None, None
        anchor = artist.get_transform().transform(artist.get_unitless_position())
        # The font's hash covers family, style, weight, stretch and size (FontProperties.__hash__).
        return ("text", artist.get_text(), *np.round(anchor, 3), str(artist.get_color()),
                hash(artist.get_fontproperties()), artist.get_rotation(), artist.get_ha(), artist.get_va(),
                getattr(artist, "get_linespacing", lambda: None)(), artist.get_alpha()), None  # getter: 3.10+
    if isinstance(artist, Patch):
        # Curves' control points enclose them, so the points' box encloses the patch.
        verts = artist.get_transform().transform_path(artist.get_path()).vertices
        return ("patch", verts.round(3).tobytes(), tuple(artist.get_facecolor()), tuple(artist.get_edgecolor()),
                artist.get_linewidth(), str(artist.get_linestyle()), artist.get_hatch(), artist.get_alpha()), verts
    if isinstance(artist, Line2D):
        xy = artist.get_transform().transform(artist.get_xydata())
        return ("line", xy.round(3).tobytes(), str(artist.get_color()), artist.get_linewidth(),
                str(artist.get_linestyle()), str(artist.get_marker()), artist.get_markersize(),
                artist.get_alpha()), xy
    return None, None


def _box(artist, key, points, renderer, width: int, height: int):
    """The whole pixels (x0, y0, x1, y1) ``artist`` can touch, cut to the canvas; ``None``: none."""
    from matplotlib.lines import Line2D

    if key is None or key[0] in ("hidden", "empty"):
        return None
    if points is None:  # a text
        pad, (bx0, by0), (bx1, by1) = PAD, *artist.get_window_extent(renderer).get_points()
    else:
        points = points[np.isfinite(points).all(axis=1)]
        if not len(points):
            return None
        pad = PAD + artist.get_linewidth() * renderer.points_to_pixels(1.0)
        if isinstance(artist, Line2D) and artist.get_marker() not in (None, "None", "", " "):
            pad += artist.get_markersize() * renderer.points_to_pixels(1.0) / 2 + artist.get_markeredgewidth()
        (bx0, by0), (bx1, by1) = points.min(axis=0), points.max(axis=0)
    x0, y0 = max(0, int(np.floor(bx0 - pad))), max(0, int(np.floor(by0 - pad)))
    x1, y1 = min(width, int(np.ceil(bx1 + pad))), min(height, int(np.ceil(by1 + pad)))
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _merged(boxes) -> list:
    """Overlapping boxes joined into one (fewer, larger rectangles to restore and redraw)."""
    done = []
    for box in boxes:
        while True:
            hit = next((i for i, other in enumerate(done) if _overlap(box, other)), None)
            if hit is None:
                break
            other = done.pop(hit)
            box = (min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3]))
        done.append(box)
    return done


def _draw_clipped(fig, artist, box) -> None:
    """Draw ``artist`` (``Figure.draw_artist``) with its drawing cut to ``box`` as well as to its own clip box."""
    clip_on, clip_box = artist.get_clip_on(), artist.get_clip_box()
    limit = box if not (clip_on and clip_box is not None) else Bbox.intersection(box, clip_box)
    if limit is None:
        return
    try:
        artist.set_clip_box(limit)
        artist.set_clip_on(True)
        fig.draw_artist(artist)
    finally:
        artist.set_clip_box(clip_box)
        artist.set_clip_on(clip_on)


def frame(fig):
    """The figure's next frame as a PIL image, redrawing only what changed since the last one (see the module)."""
    from PIL import Image

    _check_figure(fig)
    state = _STATES.get(fig)
    if state is None:
        raise RedrawError("frame: fig has no moving artists, expected set_moving(fig, artists) to have been called "
                          "first. Hint: a figure without moving parts is shown whole (savefig).")
    moving = state.moving
    _check_artists(fig, moving, "frame")  # one removed since set_moving cannot be drawn where it was
    canvas = fig.canvas
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    background = _background_key(fig)
    keys, points = zip(*(_key(a) for a in moving))
    if state.background is None or state.background[0] != background or state.drawn is None:
        hidden = [a for a in moving if a.axes is None and a.get_visible()]  # a figure's own: not animated
        for artist in hidden:
            artist.set_visible(False)
        try:
            canvas.draw()  # everything but the moving artists (animated ones are left out)
        finally:
            for artist in hidden:
                artist.set_visible(True)
        state.background = (background, canvas.copy_from_bbox(fig.bbox))
        for artist in moving:
            fig.draw_artist(artist)
        boxes = [_box(a, k, p, renderer, width, height) for a, k, p in zip(moving, keys, points)]
    else:
        boxes, dirty = [], []
        for artist, key, at, (old_key, old_box) in zip(moving, keys, points, state.drawn):
            box = old_box if key == old_key and key is not None else _box(artist, key, at, renderer, width, height)
            boxes.append(box)
            if key is None:  # cannot tell what changed: the whole frame
                dirty.append((0, 0, width, height))
            elif key != old_key:
                dirty += [b for b in (old_box, box) if b is not None]
        for region in _merged(dirty):
            x0, y0, x1, y1 = region
            # Agg's copy takes its rectangle's last column and row inclusive (agg::renderer_base::copy_from), the
            # clip rectangle below excludes them: both cover columns x0 … x1 − 1 and rows y0 … y1 − 1.
            canvas.restore_region(state.background[1], bbox=(x0, height - y1, x1 - 1, height - y0 - 1), xy=(0, 0))
            clip = Bbox([[x0, y0], [x1, y1]])
            for artist, key, box in zip(moving, keys, boxes):
                if key is None or (box is not None and _overlap(box, region)):
                    _draw_clipped(fig, artist, clip)
    state.drawn = list(zip(keys, boxes))
    return Image.frombuffer("RGBA", (width, height), bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
