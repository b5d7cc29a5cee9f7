"""The datasets shipped in ``data/``, each verified against the SHA-256 listed in ``data/README.md``.

``data/README.md`` is the single source of truth: a Markdown table whose rows hold a
file name in backticks and its SHA-256 (64 hex digits). A file that is missing, not
listed, or whose bytes changed raises :class:`DataFileError` with what to do about it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np

_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+)`\s*\|.*?`?(?P<sha>[0-9a-f]{64})`?")


class DataFileError(FileNotFoundError):
    """A dataset file is missing, unlisted or altered."""


def data_dir() -> Path:
    """The ``data/`` folder of the course (override with the BACKPROP_DATA_DIR environment variable)."""
    override = os.environ.get("BACKPROP_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def checksums(folder: Path | None = None) -> dict[str, str]:
    """File name → SHA-256 as listed in ``folder/README.md``."""
    folder = Path(folder) if folder is not None else data_dir()
    readme = folder / "README.md"
    if not readme.is_file():
        raise DataFileError(f"{readme} is missing: it lists the datasets and their checksums")
    table = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match:
            table[match["file"]] = match["sha"]
    return table


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def path(name: str, folder: Path | None = None) -> Path:
    """The verified path of dataset ``name`` (e.g. ``"house_prices.csv"``)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a file name such as 'house_prices.csv', got {type(name).__name__}")
    folder = Path(folder) if folder is not None else data_dir()
    table = checksums(folder)
    if name not in table:
        known = ", ".join(sorted(table)) or "none"
        raise DataFileError(f"{name!r} is not listed in {folder / 'README.md'} (listed: {known})")
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
    file = path(name, folder)
    with file.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    values = np.loadtxt(file, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return header, values


def load_npz(name: str, folder: Path | None = None) -> dict[str, np.ndarray]:
    """Verified ``.npz`` archive → dict of its arrays."""
    file = path(name, folder)
    with np.load(file, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}
