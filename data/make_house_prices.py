"""Generate data/house_prices.csv: a synthetic stand-in for article 001's house-price data.

Article 001 describes "four input variables" for predicting house prices but publishes no
numbers, so this script makes a plausible set with a fixed seed. It uses NumPy's legacy
``RandomState``, whose stream NumPy guarantees not to change between versions, so the file is
reproduced byte for byte (tests/test_house_prices.py checks it).

Run from the repository root:  python data/make_house_prices.py
"""

from pathlib import Path

import numpy as np

SEED = 2021  # the year article 001 appeared
ROWS = 240
COLUMNS = ["floor_area_m2", "bedrooms", "age_years", "distance_km", "price_kEUR"]


def make_rows(seed: int = SEED, rows: int = ROWS) -> np.ndarray:
    """(rows, 5) array: four features with units, then the price in thousands of euros."""
    rng = np.random.RandomState(seed)
    area = rng.uniform(35.0, 220.0, rows)                                   # m²
    bedrooms = np.clip(np.round(area / 40.0 + rng.normal(0.0, 0.7, rows)), 1, 6)
    age = rng.uniform(0.0, 90.0, rows)                                      # years since built
    distance = rng.gamma(2.0, 4.0, rows) + 0.3                              # km to the city centre
    price = (60.0 + 2.4 * area + 12.0 * bedrooms - 0.9 * age - 6.0 * distance
             + 0.2 * area * np.exp(-distance / 5.0)  # a premium for space near the centre
             + rng.normal(0.0, 22.0, rows))
    price = np.maximum(price, 45.0)
    return np.column_stack([area, bedrooms, age, distance, price])


def to_csv(values: np.ndarray) -> str:
    lines = [",".join(COLUMNS)]
    for area, bedrooms, age, distance, price in values:
        lines.append(f"{area:.1f},{bedrooms:.0f},{age:.0f},{distance:.2f},{price:.1f}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "house_prices.csv"
    target.write_text(to_csv(make_rows()), encoding="utf-8")
    print(f"wrote {target.name}: {ROWS} rows")
