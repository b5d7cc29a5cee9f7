"""How much lesson 08's result depends on luck: the capstone run repeated over many (init, shuffle) seeds.

Run from the repository root:

    .venv/bin/python benchmarks/capstone_seeds.py                      # lesson 08's settings, seeds 0–19
    .venv/bin/python benchmarks/capstone_seeds.py --lr 0.25 --epochs 50 --decay 0 --raw  # the lesson's old settings

Seed s initialises the weights with ``deep.initialize_parameters(..., seed=s)`` and shuffles the mini-batches with
``train_minibatch(..., seed=s)``; the split (1,347 training / 450 held-out digits) is lesson 08's, fixed, and, as in
the lesson, every pixel is centred by subtracting its mean over the training digits. Prints
per seed and then as mean ± standard deviation, min and max: the held-out accuracy, and the largest rise of the
full training cost from one epoch to the next ("max jump"; 0 means the cost curve never went up). About 1 s per
seed on one core.
"""

from __future__ import annotations

import argparse

import numpy as np
from bench_course import digits_split

from nblib import deep
from nblib.training import accuracy, one_hot_columns, train_minibatch

ACTIVATIONS = ["relu", "sigmoid"]
LAYER_DIMS = [64, 32, 10]
# lesson 08's settings (chosen by benchmarks/capstone_cv.py)
LEARNING_RATE, EPOCHS, BATCH_SIZE, DECAY = 0.25, 100, 32, 0.0


def run(X_train, y_train, X_test, y_test, seed, learning_rate, epochs, batch_size, decay=0.0):
    """One training run; returns (held-out accuracy, training cost after each epoch)."""
    Y_train = one_hot_columns(y_train)
    costs = []

    def after_epoch(epoch, params):
        costs.append(deep.compute_cost(deep.model_forward(X_train, params, ACTIVATIONS)[0], Y_train))

    extra = {"decay": decay} if decay else {}
    params = train_minibatch(X_train, Y_train, deep.initialize_parameters(LAYER_DIMS, seed=seed), ACTIVATIONS,
                             learning_rate, epochs, batch_size, seed=seed, callback=after_epoch, **extra)
    return accuracy(deep.model_forward(X_test, params, ACTIVATIONS)[0], y_test), np.array(costs)


def centred(X, reference):
    """X minus the mean image of ``reference`` (the training digits): each pixel has mean 0 over the training set."""
    return X - X[:, reference].mean(axis=1, keepdims=True)


def max_jump(costs):
    """Largest rise of the cost from one epoch to the next (0 if it never rises)."""
    return float(max(0.0, np.max(np.diff(costs)))) if costs.size > 1 else 0.0


def summary(name, values, fmt):
    values = np.asarray(values)
    return (f"{name}: mean {values.mean():{fmt}} ± {values.std(ddof=1):{fmt}} (std over {values.size} seeds), "
            f"min {values.min():{fmt}}, median {np.median(values):{fmt}}, max {values.max():{fmt}}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch", type=int, default=BATCH_SIZE)
    parser.add_argument("--decay", type=float, default=DECAY, help="learning rate lr / (1 + decay · epoch)")
    parser.add_argument("--raw", action="store_true", help="pixels in [0, 1] without centring (the old lesson 08)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0 … SEEDS−1")
    args = parser.parse_args(argv)
    X, y, train, test = digits_split()
    if not args.raw:
        X = centred(X, train)
    print(f"{'raw' if args.raw else 'centred'} pixels, learning rate {args.lr}, decay {args.decay}, "
          f"{args.epochs} epochs, batch {args.batch}, "
          f"seeds 0–{args.seeds - 1}", flush=True)
    accs, jumps = [], []
    for seed in range(args.seeds):
        acc, costs = run(X[:, train], y[train], X[:, test], y[test], seed, args.lr, args.epochs, args.batch,
                         args.decay)
        accs.append(100 * acc)
        jumps.append(max_jump(costs))
        print(f"  seed {seed:2d}: held-out {100 * acc:5.1f}%   final training cost {costs[-1]:.4f}   "
              f"max jump {jumps[-1]:.4f}", flush=True)
    print(summary("held-out accuracy (%)", accs, ".1f"))
    print(f"  seeds below 95%: {sum(a < 95 for a in accs)} of {len(accs)}")
    print(summary("max jump of the training cost", jumps, ".4f"))


if __name__ == "__main__":
    main()
