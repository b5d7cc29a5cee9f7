"""Redraw only what an explorer's update changed: the pixels of a kept figure, patched where its moving artists were
and are now.

An explorer declares the artists its updates change (:func:`set_moving`). The first frame draws everything else once
and keeps it as a background. Each later frame compares every moving artist with how it was last drawn (its text,
vertices, colours, …, in display pixels); for the ones that changed it restores the background in the rectangles
they covered before and cover now, and redraws there — clipped to those rectangles — every moving artist that
reaches into them, in z-order. A rectangle's pixels are then those of a full draw, and the rest of the frame is
untouched, so the picture equals a full draw (tests/test_widgets_explorer.py checks it pixel for pixel). A change of
the axes' limits or ticks redraws the background; an artist this module cannot describe is redrawn every frame.
"""

from __future__ import annotations

import numpy as np
from matplotlib.transforms import Bbox

PAD = 3  # pixels around an artist's extent: anti-aliasing, and a line's or edge's width is added to this


def set_moving(fig, artists) -> None:
    """Declare the artists an explorer's update changes (lines, bars, texts, a legend…). :func:`frame` then draws
    the rest once, keeps it as a background, and on each update redraws only the changed ones over it — until the
    axes' limits or ticks change, which redraws the background. Everything else must stay as it is."""
    artists = list(artists)
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
    fig._course_moving = sorted(artists, key=lambda a: a.get_zorder())
    fig._course_background = None


def _background_key(fig) -> tuple:
    """What the kept background depends on: the canvas and its renderer (a resize makes a new one), the axes' limits
    and ticks."""
    axes = tuple((ax.get_xlim(), ax.get_ylim(), tuple(ax.get_xticks()), tuple(ax.get_yticks()), ax.get_visible())
                 for ax in fig.axes)
    return id(fig.canvas), id(fig.canvas.get_renderer()), axes


def _key(artist):
    """How ``artist`` will be drawn, in display terms — equal keys draw equal pixels — without laying out any text,
    and the display points of a patch or line (else ``None``); key ``None`` when this module cannot tell (the
    artist is then redrawn every frame)."""
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
                artist._multialignment, artist._linespacing, artist.get_alpha()), None
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


def _draw_clipped(artist, box, renderer) -> None:
    """Draw ``artist`` with its drawing cut to ``box`` as well as to its own clip box."""
    clip_on, clip_box = artist.get_clip_on(), artist.get_clip_box()
    limit = box if not (clip_on and clip_box is not None) else Bbox.intersection(box, clip_box)
    if limit is None:
        return
    try:
        artist.set_clip_box(limit)
        artist.set_clip_on(True)
        artist.draw(renderer)
    finally:
        artist.set_clip_box(clip_box)
        artist.set_clip_on(clip_on)


def frame(fig):
    """The figure's next frame as a PIL image, redrawing only what changed since the last one (see the module)."""
    from PIL import Image

    canvas, moving = fig.canvas, fig._course_moving
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    background = _background_key(fig)
    drawn = getattr(fig, "_course_drawn", None)
    keys, points = zip(*(_key(a) for a in moving))
    if fig._course_background is None or fig._course_background[0] != background or drawn is None:
        shown = [a.get_visible() for a in moving]
        for artist in moving:
            artist.set_visible(False)
        canvas.draw()
        fig._course_background = (background, canvas.copy_from_bbox(fig.bbox))
        for artist, visible in zip(moving, shown):
            artist.set_visible(visible)
        for artist in moving:
            artist.draw(renderer)
        boxes = [_box(a, k, p, renderer, width, height) for a, k, p in zip(moving, keys, points)]
    else:
        boxes, dirty = [], []
        for artist, key, at, (old_key, old_box) in zip(moving, keys, points, drawn):
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
            canvas.restore_region(fig._course_background[1], bbox=(x0, height - y1, x1 - 1, height - y0 - 1),
                                  xy=(0, 0))
            clip = Bbox([[x0, y0], [x1, y1]])
            for artist, key, box in zip(moving, keys, boxes):
                if key is None or (box is not None and _overlap(box, region)):
                    _draw_clipped(artist, clip, renderer)
    fig._course_drawn = list(zip(keys, boxes))
    return Image.frombuffer("RGBA", (width, height), bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
