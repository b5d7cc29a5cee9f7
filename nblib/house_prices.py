"""The house-price data of lessons 02–03, scaled for a sigmoid network (article 001's layout).

Features are standardised (zero mean, unit variance per feature) and the price is mapped
linearly onto [0.1, 0.9], inside the sigmoid's range (0, 1). Observations are *columns*:
``X`` has shape (4, m) and ``Y`` shape (1, m), as in article 001.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nblib.data import load_csv
from nblib.validate import check_scalar

LOW, HIGH = 0.1, 0.9


@dataclass
class HousePrices:
    """Scaled data plus what is needed to undo the scaling."""

    X: np.ndarray          # (4, m) standardised features
    Y: np.ndarray          # (1, m) price mapped onto [0.1, 0.9]
    features: list[str]
    feature_mean: np.ndarray   # (4, 1)
    feature_std: np.ndarray    # (4, 1)
    price_min: float
    price_max: float

    def price_from_output(self, O) -> np.ndarray:
        """Network output O in (0, 1) → price in thousands of euros."""
        O = np.asarray(O, dtype=np.float64)
        return self.price_min + (O - LOW) / (HIGH - LOW) * (self.price_max - self.price_min)


def load_house_prices(m: int | None = None) -> HousePrices:
    """Load ``data/house_prices.csv`` (checksum-verified); ``m`` keeps only the first m rows.

    m ≥ 2: standardising one row divides by a standard deviation of 0.
    """
    columns, values = load_csv("house_prices.csv")
    if m is not None:
        check_scalar("m", m, low=2, high=len(values), integer=True)
        values = values[:int(m)]
    raw_X = values[:, :4].T
    price = values[:, 4]
    mean = raw_X.mean(axis=1, keepdims=True)
    std = raw_X.std(axis=1, keepdims=True)
    lo, hi = float(price.min()), float(price.max())
    constant = [name for name, sd in zip(columns[:4], std.ravel()) if sd == 0] + (["price"] if lo == hi else [])
    if constant:
        raise ValueError(f"m = {len(values)} rows give {', '.join(constant)} a single value, which cannot be "
                         "scaled (a standard deviation of 0): use a larger m")
    Y = (LOW + (price - lo) / (hi - lo) * (HIGH - LOW)).reshape(1, -1)
    return HousePrices(X=(raw_X - mean) / std, Y=Y, features=columns[:4], feature_mean=mean,
                       feature_std=std, price_min=lo, price_max=hi)
