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
    return _scaled(columns, values, values)


def split_house_prices(n_test: int = 60, seed: int = 0) -> tuple[HousePrices, HousePrices]:
    """A seeded random split into (train, test) houses, both scaled with the **training** rows' statistics.

    The feature means and standard deviations and the price range come from the training houses only, so the
    test houses play no part in fitting anything; a test price outside the training range maps outside
    [0.1, 0.9].
    """
    columns, values = load_csv("house_prices.csv")
    n_test = check_scalar("n_test", n_test, low=1, high=len(values) - 1, integer=True)
    seed = check_scalar("seed", seed, low=0, integer=True)
    order = np.random.default_rng(seed).permutation(len(values))
    train, test = values[order[n_test:]], values[order[:n_test]]
    return _scaled(columns, train, train), _scaled(columns, test, train)


def _scaled(columns, values, reference) -> HousePrices:
    """``values`` scaled with the feature statistics and price range of ``reference`` (rows × 5 arrays)."""
    raw_X, price = values[:, :4].T, values[:, 4]
    mean = reference[:, :4].T.mean(axis=1, keepdims=True)
    std = reference[:, :4].T.std(axis=1, keepdims=True)
    lo, hi = float(reference[:, 4].min()), float(reference[:, 4].max())
    constant = [name for name, sd in zip(columns[:4], std.ravel()) if sd == 0] + (["price"] if lo == hi else [])
    if constant:
        raise ValueError(f"m = {len(reference)} rows give {', '.join(constant)} a single value, which cannot be "
                         "scaled (a standard deviation of 0): use a larger m")
    Y = (LOW + (price - lo) / (hi - lo) * (HIGH - LOW)).reshape(1, -1)
    return HousePrices(X=(raw_X - mean) / std, Y=Y, features=columns[:4], feature_mean=mean,
                       feature_std=std, price_min=lo, price_max=hi)
