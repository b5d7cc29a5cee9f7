"""nblib.data: checksummed datasets, clear errors for missing / unlisted / altered files."""

import hashlib

import numpy as np
import pytest

from nblib import data


@pytest.fixture
def folder(tmp_path):
    csv = b"a,b\n1.0,2.0\n3.0,4.0\n"
    (tmp_path / "tiny.csv").write_bytes(csv)
    np.savez(tmp_path / "arr.npz", x=np.arange(3.0))
    rows = [f"| `tiny.csv` | `{hashlib.sha256(csv).hexdigest()}` | 2 | made by the test | CC0 |",
            f"| `arr.npz` | `{data.sha256(tmp_path / 'arr.npz')}` | 3 | made by the test | CC0 |"]
    header = "# Data\n\n| file | sha256 | rows | provenance | licence |\n|---|---|---|---|---|\n"
    (tmp_path / "README.md").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def test_load_verified_csv_and_npz(folder):
    header, values = data.load_csv("tiny.csv", folder)
    assert header == ["a", "b"] and values.dtype == np.float64 and values.shape == (2, 2)
    assert data.load_npz("arr.npz", folder)["x"].tolist() == [0.0, 1.0, 2.0]


def test_altered_file_is_refused(folder):
    (folder / "tiny.csv").write_bytes(b"a,b\n1.0,2.0\n3.0,5.0\n")
    with pytest.raises(data.DataFileError, match=r"altered.*git checkout -- data/tiny.csv"):
        data.load_csv("tiny.csv", folder)


def test_missing_and_unlisted(folder):
    (folder / "tiny.csv").unlink()
    with pytest.raises(data.DataFileError, match="missing"):
        data.path("tiny.csv", folder)
    with pytest.raises(data.DataFileError, match=r"'nope.csv' is not listed.*arr.npz"):
        data.path("nope.csv", folder)
    with pytest.raises(TypeError, match="name must be a file name"):
        data.path(3, folder)


def test_missing_readme(tmp_path):
    with pytest.raises(data.DataFileError, match="README.md is missing"):
        data.checksums(tmp_path)


def test_every_shipped_dataset_verifies():
    listed = data.checksums()
    for name in listed:
        assert data.path(name).is_file()
    files = {p.name for p in data.data_dir().iterdir() if p.suffix in {".csv", ".npz"}}
    assert files <= set(listed), f"datasets without a checksum row in data/README.md: {sorted(files - set(listed))}"
