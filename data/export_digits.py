"""Export the UCI optical handwritten digits, as bundled with scikit-learn, to data/digits.npz.

Run once, in a throwaway environment that has scikit-learn (the course itself never imports it):

    python -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn
    /tmp/sk/bin/python data/export_digits.py

The file holds ``images`` (1797, 8, 8) uint8 with grey levels 0–16 and ``labels`` (1797,) uint8 with the
**Octave convention**: digit 1–9 → label 1–9 and digit 0 → label 10 (as in Ng's ex4), so labels are
1-based like the rest of lesson 07. ``digit = labels % 10`` recovers the digit.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits


def main() -> None:
    bunch = load_digits()
    images = bunch.images.astype(np.uint8)
    digits = bunch.target.astype(np.uint8)
    labels = np.where(digits == 0, 10, digits).astype(np.uint8)
    target = Path(__file__).resolve().parent / "digits.npz"
    np.savez_compressed(target, images=images, labels=labels)
    print(f"wrote {target.name}: {len(labels)} images, labels 1-10 (10 = digit 0)")


if __name__ == "__main__":
    main()
