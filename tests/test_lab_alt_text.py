"""The course's JupyterLab extension (tools/lab_alt_text/, alt text on image outputs) is committed prebuilt: the build
must be the one its sources make, and `make setup` must have installed that build, enabled. The browser side is
tests/browser/test_jupyterlab.py."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lab_extension
import pytest

ROOT = Path(__file__).resolve().parent.parent
REBUILD = "rebuild it: .venv/bin/python tools/lab_extension.py build (needs npm), then commit labextension/"


def test_committed_build_was_made_from_the_current_sources():
    recorded = json.loads(lab_extension.RECORD.read_text(encoding="utf-8"))["sources"]
    current = lab_extension.source_hashes()
    changed = sorted(name for name in recorded.keys() | current.keys() if recorded.get(name) != current.get(name))
    assert not changed, f"tools/lab_alt_text/labextension/ is stale: {changed} changed since it was built; {REBUILD}"


def test_committed_build_is_a_complete_mime_extension():
    source = json.loads((lab_extension.EXTENSION / "package.json").read_text(encoding="utf-8"))
    built = json.loads((lab_extension.OUTPUT / "package.json").read_text(encoding="utf-8"))
    assert source["name"] == built["name"] == lab_extension.NAME
    assert built["version"] == source["version"]
    build = built["jupyterlab"]["_build"]
    assert build["mimeExtension"] == "./mimeExtension", build
    entry = lab_extension.OUTPUT / build["load"]
    assert entry.is_file(), f"{build['load']} is missing; {REBUILD}"
    # The remote entry loads the chunks by name: each must be there.
    chunks = re.findall(r'e\+"\.([0-9a-f]+)\.js', entry.read_text(encoding="utf-8"))
    names = {p.name for p in (lab_extension.OUTPUT / "static").iterdir()}
    assert chunks and all(any(n.endswith(f".{c}.js") for n in names) for c in chunks), (chunks, names)


def test_installed_copy_is_the_committed_build():
    installed = lab_extension.installed_folder()
    files = {p.relative_to(installed).as_posix(): p.read_bytes() for p in installed.rglob("*") if p.is_file()} \
        if installed.is_dir() else {}
    committed = {p.relative_to(lab_extension.OUTPUT).as_posix(): p.read_bytes() for p in lab_extension.built_files()}
    assert files == committed, (f"{installed} is not the committed build (installed: {sorted(files)}); "
                                "run `make setup` (or python tools/lab_extension.py install)")


def test_jupyter_labextension_list_shows_it_enabled_and_ok():
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"no jupyter next to {sys.executable}")
    result = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    line = next((s for s in text.splitlines() if lab_extension.NAME in s), "")
    assert re.search(r"v0\.1\.0\s+enabled\s+OK", line), f"{lab_extension.NAME} not listed enabled and OK:\n{text}"
    disabled = text.partition("Disabled extensions:")[2]
    assert lab_extension.NAME not in disabled, disabled


def test_make_setup_reinstalls_a_rebuilt_extension():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    built = "tools/lab_alt_text/labextension/package.json"
    # -n: print, run nothing; -W: as if the built extension had just changed.
    result = subprocess.run(["make", "-n", "-W", built, "setup"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "tools/lab_extension.py install" in result.stdout, result.stdout
