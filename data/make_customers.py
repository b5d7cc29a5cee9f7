"""Generate data/customers.csv: a synthetic stand-in for article 000's customers in 7 categories.

Article 000 classifies customers into 7 categories but publishes no data, so this script makes a
plausible set: 7 segments, 110 customers each, six features with units. It uses NumPy's legacy
``RandomState`` (its stream is guaranteed stable across NumPy versions), so the file is reproduced
byte for byte (tests/test_customers.py checks it). Labels are 1 … 7, 1-based as in Octave.

Run from the repository root:  python data/make_customers.py
"""

from pathlib import Path

import numpy as np

SEED = 103  # article 000 is part 3 ("deep dive 103") of its series
PER_SEGMENT = 110
COLUMNS = ["age_years", "income_kEUR", "visits_per_month", "basket_EUR", "online_share_pct", "tenure_years",
           "category"]

# Segment centres: age, income, visits/month, basket, online share %, tenure; and spreads.
CENTRES = np.array([
    [24, 22, 9, 18, 75, 1.5],    # 1 students: young, low income, frequent small online baskets
    [34, 55, 5, 65, 55, 4.0],    # 2 young families
    [45, 85, 3, 120, 30, 9.0],   # 3 established families: large baskets, long tenure
    [38, 120, 2, 160, 60, 6.0],  # 4 affluent professionals
    [68, 30, 6, 35, 10, 15.0],   # 5 retirees: store visits, loyal
    [29, 45, 12, 25, 20, 2.5],   # 6 convenience shoppers: many small store trips
    [52, 60, 1, 90, 85, 3.0],    # 7 occasional online bulk buyers
], dtype=float)
SPREAD = np.array([4.0, 12.0, 2.0, 20.0, 12.0, 2.0])
LOW = np.array([18, 8, 0, 5, 0, 0], dtype=float)
HIGH = np.array([90, 250, 30, 400, 100, 40], dtype=float)


def make_rows(seed: int = SEED) -> np.ndarray:
    """(770, 7) array: six features, then the 1-based category."""
    rng = np.random.RandomState(seed)
    blocks = []
    for k, centre in enumerate(CENTRES, start=1):
        features = np.clip(centre + rng.normal(size=(PER_SEGMENT, 6)) * SPREAD * 1.25, LOW, HIGH)
        blocks.append(np.column_stack([features, np.full(PER_SEGMENT, k)]))
    rows = np.vstack(blocks)
    return rows[rng.permutation(len(rows))]


def to_csv(rows: np.ndarray) -> str:
    lines = [",".join(COLUMNS)]
    for age, income, visits, basket, online, tenure, k in rows:
        lines.append(f"{age:.0f},{income:.1f},{visits:.0f},{basket:.2f},{online:.0f},{tenure:.1f},{k:.0f}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "customers.csv"
    target.write_text(to_csv(make_rows()), encoding="utf-8")
    print(f"wrote {target.name}: {len(CENTRES) * PER_SEGMENT} rows")
