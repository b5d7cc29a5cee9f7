"""The datasets shipped in ``data/``, each verified against the SHA-256 listed in ``data/README.md``.

``data/README.md`` is the single source of truth: a Markdown table whose rows hold a
file name in backticks and its SHA-256 (64 hex digits). A file that is missing, not
listed, or whose bytes changed raises :class:`DataFileError` with what to do about it.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

import numpy as np

_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+)`\s*\|.*?`?(?P<sha>[0-9a-fA-F]{64})`?")


class DataFileError(FileNotFoundError):
    """A dataset file is missing, unlisted or altered."""


def data_dir() -> Path:
    """The ``data/`` folder of the course (override with the BACKPROP_DATA_DIR environment variable)."""
    override = os.environ.get("BACKPROP_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def _folder(folder) -> Path:
    """The ``folder`` argument: None for data/, else a str or a path."""
    if folder is None:
        return data_dir()
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a folder's path (str or Path) or None for data/, got {type(folder).__name__} "
                        f"{folder!r:.40}")
    return Path(folder)


def checksums(folder: Path | None = None) -> dict[str, str]:
    """File name → SHA-256 as listed in ``folder/README.md``."""
    folder = _folder(folder)
    readme = folder / "README.md"
    if not readme.is_file():
        raise DataFileError(f"{readme} is missing: it lists the datasets and their checksums")
    table = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match:
            if not _plain_name(match["file"]):
                raise DataFileError(f"{readme} lists {match['file']!r}, which is not a file inside {folder}: "
                                    "every dataset row must name a plain file name such as `house_prices.csv`")
            table[match["file"]] = match["sha"].lower()  # hex digits in either case name the same checksum
    return table


def _plain_name(name: str) -> bool:
    """A bare file name: no folder part, no '..', not absolute (so it cannot point outside data/)."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and ":" not in name


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file's path (str or Path), got {type(path).__name__} {path!r:.40}")
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise DataFileError(f"path {str(path)!r} cannot be read: {exc.strerror or exc}") from None


def path(name: str, folder: Path | None = None) -> Path:
    """The verified path of dataset ``name`` (e.g. ``"house_prices.csv"``)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a file name such as 'house_prices.csv', got {type(name).__name__}")
    if not _plain_name(name):
        raise ValueError(f"name must be a file name inside data/ such as 'house_prices.csv', got {name!r}")
    folder = _folder(folder)
    table = checksums(folder)
    if name not in table:
        known = ", ".join(sorted(table)) or "none"
        raise DataFileError(f"name {name!r} is not listed in {folder / 'README.md'} (listed: {known})")
    file = folder / name
    if not file.is_file():
        raise DataFileError(f"{file} is missing; restore it with `git checkout -- data/{name}` "
                            "(data/README.md says how it was made)")
    actual = sha256(file)
    if actual != table[name]:
        raise DataFileError(f"{file} has been altered: SHA-256 {actual[:12]}… but data/README.md lists "
                            f"{table[name][:12]}…; restore it with `git checkout -- data/{name}` "
                            "or, if you regenerated it on purpose, update the checksum in data/README.md")
    return file


def load_csv(name: str, folder: Path | None = None) -> tuple[list[str], np.ndarray]:
    """Verified CSV with a header row → (column names, float64 array of shape (rows, columns))."""
    _expect_suffix(name, ".csv", "load_npz")
    file = path(name, folder)
    try:
        with file.open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        values = np.loadtxt(file, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(f"{file} is not a CSV of numbers under one header row: {exc}") from None
    return header, values


def load_npz(name: str, folder: Path | None = None) -> dict[str, np.ndarray]:
    """Verified ``.npz`` archive → dict of its arrays."""
    _expect_suffix(name, ".npz", "load_csv")
    file = path(name, folder)
    try:
        with np.load(file, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise DataFileError(f"{file} is not a NumPy .npz archive of plain arrays: {exc}") from None


def _expect_suffix(name, suffix: str, other: str) -> None:
    if isinstance(name, str) and not name.endswith(suffix):
        raise ValueError(f"name must be a {suffix} file for this loader, got {name!r}"
                         + (f"; use {other}({name!r})" if name.endswith((".csv", ".npz")) else ""))


def digits_split():
    """Lesson 08's digits and split: ``(X, labels, train, test)``.

    X is (64, 1797), one 8 × 8 image per column scaled to [0, 1] (uncentred); labels are digits 0–9 (the file's
    Octave-style 10 for digit 0 becomes 0); train and test are 1,347 and 450 column indices drawn with seed 0.
    Lessons 08 and 09 and the benchmarks use this one split.
    """
    digits = load_npz("digits.npz")
    X = digits["images"].reshape(-1, 64).T / 16.0
    labels = digits["labels"] % 10
    order = np.random.default_rng(0).permutation(labels.size)
    return X, labels, order[:1347], order[1347:]
