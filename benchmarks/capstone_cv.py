"""How lesson 07's training settings were chosen: 5-fold cross-validation on the training digits only.

Run with `python benchmarks/capstone_cv.py` (about two minutes). The held-out digits are never used here, so the
lesson's held-out accuracy stays an honest estimate. Prints mean validation accuracy per setting, best first; a tie
goes to the setting with fewer gradient steps (cheaper to train).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from bench_course import digits_split

from nblib import deep
from nblib.training import accuracy, one_hot_columns, train_minibatch

ACTIVATIONS = ["relu", "sigmoid"]


def validation_accuracy(X, y, fit, held, learning_rate, epochs, batch_size):
    params = train_minibatch(X[:, fit], one_hot_columns(y[fit]), deep.initialize_parameters([64, 32, 10], seed=1),
                             ACTIVATIONS, learning_rate, epochs, batch_size, seed=0)
    return accuracy(deep.model_forward(X[:, held], params, ACTIVATIONS)[0], y[held])


def main():
    X, y, train, _ = digits_split()
    folds = np.array_split(np.random.default_rng(42).permutation(train), 5)
    results = []
    for lr, epochs, batch in itertools.product([0.1, 0.25, 0.5], [30, 40, 50, 60], [16, 32]):
        scores = [validation_accuracy(X, y, np.concatenate(folds[:k] + folds[k + 1:]), folds[k], lr, epochs, batch)
                  for k in range(len(folds))]
        results.append((float(np.mean(scores)), lr, epochs, batch))
        print(f"learning rate {lr:<4} epochs {epochs:2d} batch {batch:2d}: CV accuracy {100 * results[-1][0]:.2f}%",
              flush=True)
    print("\nbest first:")
    for cv, lr, epochs, batch in sorted(results, key=lambda r: (-r[0], r[2] * math.ceil(len(train) / r[3])))[:5]:
        print(f"  {100 * cv:.2f}%  learning rate {lr}, {epochs} epochs, batch {batch}")


if __name__ == "__main__":
    main()
