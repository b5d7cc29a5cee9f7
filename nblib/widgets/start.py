"""Lesson 00's explorer: pick a classic slip in ``sigmoid_gradient`` and read what the check says."""

from __future__ import annotations

import numpy as np

from nblib.activations import sigmoid
from nblib.exercises.feedback import CheckFailed
from nblib.exercises.sigmoid import check_sigmoid_gradient


def _right(z):
    s = sigmoid(z)
    return s * (1 - s)


# Each attempt is written out (not nblib.sigmoid_gradient, which refuses while its exercise is checked).
ATTEMPTS = {
    "correct: σ(z)(1 − σ(z))": _right,
    "returns σ(z)": sigmoid,
    "returns z(1 − z)": lambda z: z * (1 - z),
    "returns 2σ(z)(1 − σ(z))": lambda z: 2 * _right(z),
    "flattens its output": lambda z: np.ravel(_right(z)),
    "forgets to return": lambda z: None,
    "naive exp overflows": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
}


def feedback_for(attempt: str) -> str:
    """The exact text a student sees when the check runs on the named attempt."""
    if attempt not in ATTEMPTS:
        raise ValueError(f"attempt must be one of {list(ATTEMPTS)}, got {attempt!r}")
    import contextlib
    import io

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            check_sigmoid_gradient(ATTEMPTS[attempt])
    except CheckFailed as failure:
        return f"✘ {failure}"
    return out.getvalue().strip()


def feedback_explorer():
    """A dropdown of attempts; shows the check's verdict for the chosen one."""
    import ipywidgets as widgets

    from nblib.widgets.explorer import Explorer

    def update(attempt):
        print(feedback_for(attempt))

    choice = widgets.Dropdown(options=list(ATTEMPTS), value="returns σ(z)", description="attempt",
                              layout=widgets.Layout(width="420px"))
    return Explorer(update, attempt=choice)
