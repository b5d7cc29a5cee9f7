"""What every explorer shares: an ``ipywidgets.interactive`` that also carries a still of what it shows.

A notebook opened before it is run (or not yet trusted) cannot show a live widget: JupyterLab falls back to the
richest *safe* output in the widget's bundle. ipywidgets' bundle has only its repr, so the student reads
``interactive(children=(FloatSlider(…`` where the figure should be. :class:`Explorer` adds to that bundle the
figure the explorer drew at its default settings (``image/png``, with alt text) and the text it printed
(``text/plain``), so the unrun lesson shows the same picture a run would, and JupyterLab shows the live widget once
the cell runs.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import sys

import ipywidgets as widgets

from nblib.plots import figure_png


class _Tee(io.TextIOBase):
    """Write to the real stdout (the explorer's Output widget) and keep a copy."""

    def __init__(self, target):
        self.target, self.copy = target, io.StringIO()

    def write(self, text):
        self.copy.write(text)
        return self.target.write(text)

    def flush(self):
        self.target.flush()


class Explorer(widgets.interactive):
    """``widgets.interactive(update, **controls)`` whose display also holds a still of its default view.

    ``figure`` is the matplotlib figure ``update`` draws into (kept and updated in place), or a callable
    returning the figure it drew last or that figure's ``(png, alt)``; ``None`` for an explorer that only prints.
    """

    def __init__(self, update, figure=None, **controls):
        from matplotlib.figure import Figure

        from nblib.validate import check_callable

        check_callable("update", update, "the function a move of the controls calls")
        if not (figure is None or callable(figure) or isinstance(figure, Figure)):
            raise TypeError(f"figure must be a matplotlib Figure, a function returning one (or its (png, alt)), or "
                            f"None, got {type(figure).__name__} {figure!r:.40}")
        self.figure = figure
        self.printed = ""

        @functools.wraps(update)  # interactive reads the parameters' order from the signature
        def recorded(**values):
            tee = _Tee(sys.stdout)
            with contextlib.redirect_stdout(tee):
                result = update(**values)
            self.printed = tee.copy.getvalue()
            return result

        super().__init__(recorded, **controls)

    def still(self) -> tuple[dict, dict]:
        """The fallback part of the bundle: what the explorer shows now, as PNG and text."""
        data, metadata = {}, {}
        figure = self.figure() if callable(self.figure) else self.figure
        if figure is not None:
            data, metadata = png_still(*(figure if isinstance(figure, tuple) else figure_png(figure)))
        if self.printed.strip():
            data["text/plain"] = self.printed.rstrip("\n")
        elif "image/png" in metadata:  # a figure alone: a text frontend reads what it shows
            data["text/plain"] = metadata["image/png"]["alt"]
        return data, metadata

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        still, metadata = self.still()
        return {**data, **still}, metadata


def png_still(png: bytes, alt: str) -> tuple[dict, dict]:
    """A PNG as a display bundle's ``image/png`` entry and its metadata (the alt text)."""
    if not isinstance(png, (bytes, bytearray)) or not png.startswith(b"\x89PNG"):
        raise TypeError(f"png must be the bytes of a PNG image, got {type(png).__name__} {png!r:.40}")
    if not isinstance(alt, str):
        raise TypeError(f"alt must be the figure's alt text (a str), got {type(alt).__name__} {alt!r:.40}")
    return {"image/png": base64.b64encode(png).decode("ascii")}, {"image/png": {"alt": alt}}
