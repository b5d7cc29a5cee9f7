"""A figure that redraws while a network trains (lessons 07 and 08).

Drawing a figure costs far more than an epoch of these small networks (about 0.3 s against 0.02 s on the
course's CI machine), so redrawing after every step would make training twenty times slower. ``LivePlot``
redraws at most once every ``min_interval`` seconds, always at the first and at the final update.
"""

from __future__ import annotations

import time


class LivePlot:
    """An Output widget showing ``draw()``'s figure, refreshed by :meth:`update`.

    ``draw`` takes no arguments and builds a matplotlib figure; LivePlot shows it and closes it.
    """

    def __init__(self, draw, min_interval: float = 0.5, clock=time.monotonic):
        import ipywidgets as widgets
        from IPython.display import display

        from nblib.validate import check_callable, check_scalar

        check_callable("draw", draw, "a function of no arguments that draws a figure")
        check_scalar("min_interval", min_interval, low=0.0)
        check_callable("clock", clock, "a function returning seconds (time.monotonic)")
        self.draw = draw
        self.min_interval = min_interval
        self.clock = clock
        self.redraws = 0
        self._last = None
        self.out = widgets.Output()
        self._handle = display(self.out, display_id=True)

    def update(self, final: bool = False) -> bool:
        """Redraw if this is the first or the final update, or ``min_interval`` has passed; True if it redrew."""
        if not isinstance(final, bool):
            raise TypeError(f"final must be True or False, got {type(final).__name__} {final!r:.40}")
        if not final and self._last is not None and self.clock() - self._last < self.min_interval:
            return False
        import matplotlib.pyplot as plt

        before = set(plt.get_fignums())
        with self.out:
            self.out.clear_output(wait=True)
            self.draw()
            if final:
                self._keep_still(plt.gcf())
            plt.show()
        for number in set(plt.get_fignums()) - before:  # the inline backend closes them; others may not
            plt.close(number)
        self.redraws += 1
        self._last = self.clock()
        return True

    def _keep_still(self, fig) -> None:
        """Replace this plot's output with one that also holds the final figure as a PNG, so a notebook opened
        before it is run shows the last curve instead of ``Output()`` (see :mod:`nblib.widgets.explorer`)."""
        from nblib.plots import figure_png
        from nblib.widgets.explorer import png_still

        if not _in_ipython():  # a plain Python process: nothing displays the bundle
            return
        still, metadata = png_still(*figure_png(fig))
        self._handle.update({**self.out._repr_mimebundle_(), **still}, raw=True, metadata=metadata)


def _in_ipython() -> bool:
    from IPython import get_ipython

    return get_ipython() is not None
