"""data/customers.csv and data/digits.npz: reproducible generator, plausible contents, label conventions."""

from pathlib import Path

import numpy as np

from nblib.data import load_csv, load_npz

ROOT = Path(__file__).resolve().parent.parent


def test_generator_reproduces_the_committed_csv_byte_for_byte():
    import make_customers as module

    assert module.to_csv(module.make_rows()) == (ROOT / "data" / "customers.csv").read_text(encoding="utf-8")


def test_customers_have_7_one_based_categories():
    columns, values = load_csv("customers.csv")
    assert columns[-1] == "category" and values.shape == (770, 7)
    assert sorted(set(values[:, 6].astype(int))) == list(range(1, 8))
    assert np.bincount(values[:, 6].astype(int))[1:].tolist() == [110] * 7


def test_digits_follow_the_octave_label_convention():
    d = load_npz("digits.npz")
    assert d["images"].shape == (1797, 8, 8) and d["images"].max() == 16
    assert sorted(set(d["labels"].tolist())) == list(range(1, 11))
    assert 0 not in set(d["labels"].tolist())
