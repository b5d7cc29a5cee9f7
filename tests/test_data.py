"""nblib.data: checksummed datasets, clear errors for missing / unlisted / altered files."""

import hashlib
import shutil
import subprocess
from pathlib import Path

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


def test_upper_case_checksum_is_the_same_checksum(folder):
    readme = folder / "README.md"
    digest = data.sha256(folder / "tiny.csv")
    readme.write_text(readme.read_text(encoding="utf-8").replace(digest, digest.upper()), encoding="utf-8")
    assert data.checksums(folder)["tiny.csv"] == digest
    assert data.load_csv("tiny.csv", folder)[0] == ["a", "b"]


def test_the_wrong_loader_for_a_file_type_says_which_to_use(folder):
    with pytest.raises(ValueError, match=r"name must be a .csv file.*use load_npz\('arr.npz'\)"):
        data.load_csv("arr.npz", folder)
    with pytest.raises(ValueError, match=r"name must be a .npz file.*use load_csv\('tiny.csv'\)"):
        data.load_npz("tiny.csv", folder)


def test_a_file_that_is_not_what_its_name_says_is_a_clear_error(folder):
    rows = []
    for name, content in (("fake.csv", b"\x93NUMPY\xff\xfe binary"), ("fake.npz", b"a,b\n1,2\n")):
        (folder / name).write_bytes(content)
        rows.append(f"| `{name}` | `{data.sha256(folder / name)}` | 1 | made by the test | CC0 |")
    (folder / "README.md").write_text((folder / "README.md").read_text(encoding="utf-8") + "\n".join(rows) + "\n",
                                      encoding="utf-8")
    with pytest.raises(data.DataFileError, match="fake.csv is not a CSV of numbers"):
        data.load_csv("fake.csv", folder)
    with pytest.raises(data.DataFileError, match="fake.npz is not a NumPy .npz archive"):
        data.load_npz("fake.npz", folder)


@pytest.mark.parametrize("name", ["../README.md", "sub/tiny.csv", "/etc/passwd", "..", "C:\\data.csv"])
def test_paths_outside_data_are_refused(folder, name):
    with pytest.raises(ValueError, match="name must be a file name inside data/"):
        data.path(name, folder)


def test_a_registry_row_outside_data_is_refused(folder):
    readme = folder / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + f"| `../secret.csv` | `{'0' * 64}` | 1 | x | CC0 |\n",
                      encoding="utf-8")
    with pytest.raises(data.DataFileError, match=r"lists '../secret.csv', which is not a file inside"):
        data.checksums(folder)


def test_datasets_survive_a_windows_clone(tmp_path):
    """Git for Windows defaults to core.autocrlf=true; .gitattributes must keep data/ byte for byte."""
    git = shutil.which("git")
    root = Path(__file__).resolve().parent.parent
    if git is None or not (root / ".git").exists():
        pytest.skip("needs git and a git checkout of the course")
    clone = tmp_path / "clone"
    subprocess.run([git, "clone", "--quiet", "--no-hardlinks", "--config", "core.autocrlf=true", str(root),
                    str(clone)], check=True, capture_output=True)
    assert b"\r\n" in (clone / "README.md").read_bytes(), "the clone did not convert line endings at all"
    for name in data.checksums(clone / "data"):
        assert data.path(name, clone / "data").is_file()
