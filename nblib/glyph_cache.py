"""Text drawn from remembered glyphs, for the explorers' kept figures.

Matplotlib's Agg renderer lays out every text and asks FreeType to render each of its glyphs again at every draw;
in an explorer's frame that is most of the time (about 2 ms per label). A glyph placed at a whole number of pixels
plus a fraction renders to the same bitmap as at that fraction alone, shifted by the whole pixels, so this renderer
keeps each glyph's bitmap per font, size, fraction of a pixel (1/64 px, FreeType's unit) and hinting, and each text's
layout, and blends the remembered bitmaps exactly as matplotlib does. Anything else — mathtext, rotated or
non-antialiased text — goes to matplotlib's own code. tests/test_widgets_explorer.py checks that every explorer's
frames equal matplotlib's own rendering pixel for pixel.

It reuses private parts of matplotlib 3.11's Agg backend (``FT2Font._layout``, ``_set_transform``,
``_render_glyph``), which is why the version is pinned and the pixel test runs over every explorer.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode

_LAYOUTS: dict = {}  # (text, font properties, dpi, hinting, features, language) → [(font, glyph index, x, y)]
_GLYPHS: dict = {}  # (font file, face, size, dpi, glyph index, x/64 px, y/64 px, hinting) → (bitmap, left, top)
LIMIT = 50_000  # entries per cache before it starts afresh (a few MB)


def _font_key(prop) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


class GlyphCachingRenderer(RendererAgg):
    """:class:`RendererAgg` whose plain, horizontal text is blended from cached glyph bitmaps."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle % 360 or not gc.get_antialiased():
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (s, _font_key(prop), self.dpi, flags, features if features is None else tuple(features), language)
        items = _LAYOUTS.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = [(item.ft_object, item.glyph_index, item.x, item.y)
                     for item in font._layout(s, flags=flags, features=features, language=language)]
            if len(_LAYOUTS) > LIMIT:
                _LAYOUTS.clear()
            _LAYOUTS[key] = items
        for font, glyph_index, dx, dy in items:
            # matplotlib's own placement (backend_agg._draw_text_glyphs_and_boxes at angle 0), split into whole
            # pixels and 1/64 px
            whole_x, part_x = divmod(round(0x40 * (x + dx)), 0x40)
            whole_y, part_y = divmod(round(0x40 * (self.height - y + dy)), 0x40)
            glyph_key = (font.fname, font.face_index, size, self.dpi, glyph_index, part_x, part_y, flags)
            glyph = _GLYPHS.get(glyph_key)
            if glyph is None:
                font.set_size(size, self.dpi)
                font._set_transform(np.array([[0x10000, 0], [0, 0x10000]]), [part_x, part_y])
                bitmap = font._render_glyph(glyph_index, flags, RenderMode.NORMAL)
                glyph = (np.array(bitmap.buffer, copy=True), bitmap.left, bitmap.top)
                if len(_GLYPHS) > LIMIT:
                    _GLYPHS.clear()
                _GLYPHS[glyph_key] = glyph
            buffer, left, top = glyph
            top += whole_y
            self._renderer.draw_text_image(buffer, left + whole_x, int(self.height) - top + buffer.shape[0], 0, gc)


class GlyphCachingCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`GlyphCachingRenderer`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
