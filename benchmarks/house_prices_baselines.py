"""Lesson 02's network against two yardsticks, on houses it was not trained on, over many seeds.

Run from the repository root:  .venv/bin/python benchmarks/house_prices_baselines.py   (about 10 s on one core)

For seed s = 0 … SEEDS−1: `nblib.house_prices.split_house_prices(n_test=60, seed=s)` draws 180 training and 60
test houses (scaled with the training houses' statistics only), and three predictors are fitted on the training
houses:

* **training mean** — predict the mean training price for every house;
* **least squares** — a linear regression with an intercept on the same four standardised features
  (`numpy.linalg.lstsq`);
* **the [4, 5, 1] net** — lesson 02's network and settings (`two_layer.init_params(seed=s)`, learning rate 3.0,
  2000 epochs of full-batch gradient descent on the mean loss).

Prints the mean absolute error in k€ on the training and the test houses, as mean ± standard deviation over the
seeds, with min and max, and how often the net beats least squares on the test houses.
"""

from __future__ import annotations

import numpy as np

from nblib import two_layer
from nblib.house_prices import split_house_prices

SEEDS = 20
N_TEST = 60
LEARNING_RATE, EPOCHS = 3.0, 2000


def mean_absolute_errors(train, test, seed):
    """{predictor: (train MAE, test MAE)} in k€ for one split; the net is initialised with the same seed."""
    true_tr, true_te = train.price_from_output(train.Y).ravel(), test.price_from_output(test.Y).ravel()
    errors = {"training mean": (np.mean(np.abs(true_tr - true_tr.mean())), np.mean(np.abs(true_te - true_tr.mean())))}

    design_tr = np.vstack([np.ones(train.X.shape[1]), train.X]).T   # (m, 5): intercept + 4 features
    design_te = np.vstack([np.ones(test.X.shape[1]), test.X]).T
    coef, *_ = np.linalg.lstsq(design_tr, true_tr, rcond=None)
    errors["least squares"] = (np.mean(np.abs(design_tr @ coef - true_tr)), np.mean(np.abs(design_te @ coef - true_te)))

    params = two_layer.init_params(n_in=4, n_hidden=5, n_out=1, seed=seed)
    trained, _ = two_layer.train(train.X, train.Y, params, learning_rate=LEARNING_RATE, epochs=EPOCHS,
                                 reduction="mean")
    net_tr = train.price_from_output(two_layer.forward(train.X, trained)["O"]).ravel()
    net_te = test.price_from_output(two_layer.forward(test.X, trained)["O"]).ravel()
    errors["[4, 5, 1] net"] = (np.mean(np.abs(net_tr - true_tr)), np.mean(np.abs(net_te - true_te)))
    return errors


def main():
    runs = []
    for seed in range(SEEDS):
        train, test = split_house_prices(n_test=N_TEST, seed=seed)
        runs.append(mean_absolute_errors(train, test, seed))
        cells = [f"{name} {tr:5.1f} / {te:5.1f}" for name, (tr, te) in runs[-1].items()]
        print(f"  seed {seed:2d}: " + "   ".join(cells), flush=True)
    print(f"\nmean absolute error in k€ (train {240 - N_TEST} houses / test {N_TEST} houses), "
          f"mean ± std over {SEEDS} seeds (split and init), [min, max]:")
    for name in runs[0]:
        tr = np.array([r[name][0] for r in runs])
        te = np.array([r[name][1] for r in runs])
        print(f"  {name:>14}: train {tr.mean():5.1f} ± {tr.std(ddof=1):3.1f}   "
              f"test {te.mean():5.1f} ± {te.std(ddof=1):3.1f}  [{te.min():5.1f}, {te.max():5.1f}]")
    gap = np.array([r["[4, 5, 1] net"][1] - r["least squares"][1] for r in runs])
    print(f"test MAE of the net minus least squares: {gap.mean():+.1f} ± {gap.std(ddof=1):.1f} k€; "
          f"the net is better on {np.sum(gap < 0)} of {SEEDS} seeds")


if __name__ == "__main__":
    main()
