"""The course's JupyterLab extension, tools/lab_alt_text/: JupyterLab puts an image output's alt text
(``metadata["image/png"]["alt"]``, what IPython's ``Image(alt=…)`` writes) on its <img>. It is committed prebuilt,
in tools/lab_alt_text/labextension/, so students and CI need no Node.js.

    python tools/lab_extension.py install   # copy the prebuilt extension into this Python's environment
    python tools/lab_extension.py build     # rebuild it from the sources (needs npm), after changing them

``install`` copies labextension/ to ``<sys.prefix>/share/jupyter/labextensions/@backprop-by-hand/alt-text/``,
where JupyterLab finds prebuilt extensions. `make setup` runs it for .venv, and Binder's postBuild for the image
repo2docker builds from environment.yml. (pyproject.toml also lists these files as data-files, which a regular
``pip install .`` places; setuptools' editable install — ``pip install -e .``, used by `make setup` and
environment.yml — leaves data-files out, hence this copy.)

``build`` installs the pinned npm packages (package-lock.json, into node_modules/, not committed), compiles src/
with TypeScript into lib/ (not committed), builds the prebuilt extension with JupyterLab's builder (``jupyter-builder
build``, what ``jupyter labextension build`` runs in JupyterLab 4.6) into labextension/, and records the SHA-256 of
every source file in labextension/built-from.json. tests/test_lab_alt_text.py fails when that record no longer
matches the sources, i.e. when the committed build is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent / "lab_alt_text"
OUTPUT = EXTENSION / "labextension"
RECORD = OUTPUT / "built-from.json"
NAME = "@backprop-by-hand/alt-text"


def sources() -> list[Path]:
    """Every file the build reads from the extension's folder (the npm packages aside)."""
    return [EXTENSION / "package.json", EXTENSION / "package-lock.json", EXTENSION / "tsconfig.json",
            *sorted((EXTENSION / "src").glob("*.ts"))]


def source_hashes() -> dict[str, str]:
    """SHA-256 of each source file, line endings normalised (a CRLF checkout is the same source)."""
    return {path.relative_to(EXTENSION).as_posix(): hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n"))
            .hexdigest() for path in sources()}


def built_files() -> list[Path]:
    """The prebuilt extension as JupyterLab loads it: package.json and static/ (built-from.json stays here)."""
    return [OUTPUT / "package.json", *sorted(p for p in (OUTPUT / "static").iterdir() if p.is_file())]


def installed_folder(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "labextensions" / NAME


def install(prefix: str | Path = sys.prefix) -> Path:
    """Replace the installed copy (none left over from an earlier build) with the committed build."""
    target = installed_folder(prefix)
    shutil.rmtree(target, ignore_errors=True)
    for path in built_files():
        destination = target / path.relative_to(OUTPUT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return target


def run(*command: str | Path) -> None:
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run([str(c) for c in command], cwd=EXTENSION, check=True)


def build() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("lab_extension.py build: needs npm (Node.js >= 20); on Debian/Ubuntu: apt install nodejs npm")
    run(npm, "ci", "--no-audit", "--no-fund")
    run(EXTENSION / "node_modules" / ".bin" / "tsc")
    shutil.rmtree(OUTPUT, ignore_errors=True)  # no stale chunks from an earlier build next to the new ones
    run(Path(sys.executable).parent / "jupyter-builder", "build", ".")
    RECORD.write_text(json.dumps({"sources": source_hashes()}, indent=1) + "\n", encoding="utf-8")
    print(f"built {OUTPUT.relative_to(EXTENSION.parent.parent)}; `make setup` installs it")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["install", "build"])
    if parser.parse_args(argv).command == "build":
        build()
    else:
        print(f"installed {NAME} in {install()}")


if __name__ == "__main__":
    main()
