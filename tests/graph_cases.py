"""The two expressions the lessons' graph explorers show, built as the lessons build them (for the tests)."""

from nblib import two_layer
from nblib.autodiff import Tensor
from nblib.house_prices import load_house_prices
from nblib.widgets.graph import house_graph


def fan_out() -> Tensor:
    """Lesson 10: s = σ(w·x + b), L = s·x at x = 1.5, w = −0.8, b = 0.4 (x is used twice)."""
    x, w, b = Tensor(1.5, "x"), Tensor(-0.8, "w"), Tensor(0.4, "b")
    s = (w * x + b).sigmoid()
    s.name = "s"
    L = s * x
    L.name = "L"
    return L


def house() -> Tensor:
    """Lesson 02: the worked example's [4, 5, 1] network (seed 1) on the first house."""
    data = load_house_prices()
    return house_graph(data.X[:, :1], data.Y[:, :1], two_layer.init_params(4, 5, 1, seed=1))
