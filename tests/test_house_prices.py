"""data/house_prices.csv: reproducible generator, verified loading, scaling into the sigmoid's range."""

from pathlib import Path

import numpy as np
import pytest

from nblib.house_prices import load_house_prices

ROOT = Path(__file__).resolve().parent.parent


def generator():
    import make_house_prices

    return make_house_prices


def test_generator_reproduces_the_committed_csv_byte_for_byte():
    module = generator()
    committed = (ROOT / "data" / "house_prices.csv").read_text(encoding="utf-8")
    assert module.to_csv(module.make_rows()) == committed


def test_data_is_plausible():
    module = generator()
    rows = module.make_rows()
    assert rows.shape == (240, 5)
    area, bedrooms, age, distance, price = rows.T
    assert 35 <= area.min() and area.max() <= 220 and set(bedrooms) <= set(range(1, 7))
    assert distance.min() > 0 and price.min() >= 45
    assert np.corrcoef(area, price)[0, 1] > 0.8 and np.corrcoef(distance, price)[0, 1] < 0


def test_scaling():
    data = load_house_prices()
    assert data.X.shape == (4, 240) and data.Y.shape == (1, 240)
    np.testing.assert_allclose(data.X.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=1), 1, atol=1e-12)
    assert data.Y.min() == 0.1 and abs(data.Y.max() - 0.9) < 1e-15
    np.testing.assert_allclose(data.price_from_output(data.Y).ravel(),
                               np.loadtxt(ROOT / "data" / "house_prices.csv", delimiter=",", skiprows=1)[:, 4])
    assert load_house_prices(m=6).X.shape == (4, 6)


def test_split_is_seeded_disjoint_and_scaled_with_the_training_houses_only():
    from nblib.house_prices import split_house_prices

    train, test = split_house_prices(n_test=60, seed=0)
    assert train.X.shape == (4, 180) and test.X.shape == (4, 60)
    np.testing.assert_allclose(train.X.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(train.X.std(axis=1), 1, atol=1e-12)
    assert train.Y.min() == 0.1 and abs(train.Y.max() - 0.9) < 1e-15
    np.testing.assert_array_equal(test.feature_mean, train.feature_mean)
    assert (test.price_min, test.price_max) == (train.price_min, train.price_max)
    # together the two parts are exactly the 240 houses of the file
    prices = np.sort(np.concatenate([train.price_from_output(train.Y).ravel(), test.price_from_output(test.Y).ravel()]))
    np.testing.assert_allclose(prices, np.sort(np.loadtxt(ROOT / "data" / "house_prices.csv", delimiter=",",
                                                          skiprows=1)[:, 4]))
    again, _ = split_house_prices(n_test=60, seed=0)
    np.testing.assert_array_equal(again.X, train.X)
    assert not np.array_equal(split_house_prices(n_test=60, seed=1)[0].X, train.X)
    with pytest.raises(ValueError, match="n_test"):
        split_house_prices(n_test=240)
