"""Lesson 09: ten sigmoid outputs (lesson 08) against one softmax over ten classes, on lesson 08's split, many seeds.

Run from the repository root:

    .venv/bin/python benchmarks/softmax_vs_sigmoid.py             # seeds 0–9, lesson 08's settings
    .venv/bin/python benchmarks/softmax_vs_sigmoid.py --seeds 20

Both networks are [64, 32, 10] with a relu hidden layer and lesson 08's settings (learning rate 0.25, 100 epochs,
batches of 32, no decay — chosen by benchmarks/capstone_cv.py for the sigmoid network), on the same centred pixels
and the same 1,347 / 450 split (nblib.data.digits_split). Only the output layer and its cost differ: ten sigmoids
with the binary cross-entropy summed over the ten outputs, or a softmax with the categorical cross-entropy. Seed s
initialises the weights and shuffles the batches for both. Prints per seed, then mean ± standard deviation, min
and max of the held-out accuracy for each, and the per-seed difference. About 2 s per seed on one core.
"""

from __future__ import annotations

import argparse

import numpy as np
from capstone_seeds import BATCH_SIZE, EPOCHS, LAYER_DIMS, LEARNING_RATE, centred

from nblib import deep
from nblib.data import digits_split
from nblib.training import accuracy, one_hot_columns, train_minibatch

OUTPUTS = {"sigmoid": ["relu", "sigmoid"], "softmax": ["relu", "softmax"]}


def held_out_accuracy(X_train, y_train, X_test, y_test, activations, seed, learning_rate=LEARNING_RATE,
                      epochs=EPOCHS, batch_size=BATCH_SIZE):
    """Train one network from seed ``seed``; its accuracy on the held-out digits."""
    params = train_minibatch(X_train, one_hot_columns(y_train), deep.initialize_parameters(LAYER_DIMS, seed=seed),
                             activations, learning_rate, epochs, batch_size, seed=seed)
    return accuracy(deep.model_forward(X_test, params, activations)[0], y_test)


def spread(name, values):
    values = np.asarray(values)
    return (f"{name}: mean {values.mean():.2f} ± {values.std(ddof=1):.2f}% (std over {values.size} seeds), "
            f"min {values.min():.2f}%, max {values.max():.2f}%")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0 … SEEDS−1")
    args = parser.parse_args(argv)
    X, y, train, test = digits_split()
    X = centred(X, train)
    print(f"[64, 32, 10] relu hidden layer, learning rate {LEARNING_RATE}, {EPOCHS} epochs, batch {BATCH_SIZE}, "
          f"centred pixels, seeds 0–{args.seeds - 1}", flush=True)
    results = {name: [] for name in OUTPUTS}
    for seed in range(args.seeds):
        for name, activations in OUTPUTS.items():
            results[name].append(100 * held_out_accuracy(X[:, train], y[train], X[:, test], y[test], activations,
                                                         seed))
        print(f"  seed {seed:2d}: sigmoid {results['sigmoid'][-1]:5.1f}%   softmax {results['softmax'][-1]:5.1f}%",
              flush=True)
    for name in OUTPUTS:
        print(spread(f"held-out accuracy, {name} output", results[name]))
    diff = np.array(results["softmax"]) - np.array(results["sigmoid"])
    print(f"softmax − sigmoid, per seed: mean {diff.mean():+.2f} ± {diff.std(ddof=1):.2f} points, "
          f"softmax ahead on {int((diff > 0).sum())}, tied on {int((diff == 0).sum())}, behind on "
          f"{int((diff < 0).sum())} of {diff.size} seeds")


if __name__ == "__main__":
    main()
