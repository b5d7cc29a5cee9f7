"""While an exercise check runs the student's function, the nblib helper that *is* that exercise's answer refuses.

A helper opts in with one decorator line, ``@exercise_answer``; a check lists the helpers its exercise must not
lean on and runs only the student's call inside :func:`refusing`. The check's own reference calls happen outside
that window, so they are never blocked, and outside any check the decorator costs one context-variable lookup.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

_REFUSED: contextvars.ContextVar[frozenset] = contextvars.ContextVar("nblib_exercise_refused", default=frozenset())


class HelperRefused(RuntimeError):
    """Raised by a guarded helper called from inside the student's function while its exercise is checked."""

    def __init__(self, helper: str):
        super().__init__(f"write it yourself — this exercise is what {helper} does")
        self.helper = helper


def exercise_answer(fn):
    """Mark ``fn`` as the answer to an exercise: it refuses while a check of that exercise runs the student's code."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        refused = _REFUSED.get()
        if refused and name in refused:
            raise HelperRefused(name)
        return fn(*args, **kwargs)

    guarded.exercise_name = name
    return guarded


@contextlib.contextmanager
def refusing(helpers):
    """Within the block, the guarded helpers named in ``helpers`` (e.g. ``"nblib.two_layer.backward"``) refuse."""
    token = _REFUSED.set(frozenset(helpers))
    try:
        yield
    finally:
        _REFUSED.reset(token)
