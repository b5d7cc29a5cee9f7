"""pyproject.toml, requirements.lock and environment.yml must agree on every package and version."""

import importlib.metadata
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# pyproject.toml may give these a range instead of an exact pin (requirements.lock still pins them): nblib uses only
# matplotlib's public API, so it depends on no one release (issue 27).
RANGES = {"matplotlib"}


def parse_requirement(requirement: str) -> tuple[str, str]:
    """(name, version) of an exact pin, or (name, specifier) of a range for a package in RANGES."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*((?:[<>]=?[^\s,;]+,?)+)\s*", requirement)
    if match and canonical(match[1]) in RANGES:
        return canonical(match[1]), match[2]
    return parse_pin(requirement)


def parse_pin(requirement: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)\s*", requirement)
    assert match, f"not an exact pin (name==version): {requirement!r}"
    return canonical(match[1]), match[2]


def lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = parse_pin(line)
            pins[name] = version
    return pins


def pyproject(extras=("dev", "browser", "hub", "grading")) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for name in extras:
        requirements += project.get("optional-dependencies", {}).get(name, [])
    return dict(parse_requirement(r) for r in requirements)


def environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            assert dep.get("pip") == ["-e ."], "environment.yml's pip section should install the course: [-e .]"
            continue
        name, _, version = dep.partition("=")
        if name in {"python", "pip"}:
            continue
        assert version and not version.startswith("="), f"environment.yml: pin {dep!r} as name=version"
        pins[canonical(name)] = version
    return pins


def test_pyproject_pins_match_the_lock():
    locked = lock()
    for name, version in pyproject().items():
        assert name in locked, f"{name} is in pyproject.toml but not in requirements.lock"
        if name in RANGES:
            from packaging.specifiers import SpecifierSet

            assert locked[name] in SpecifierSet(version), f"{name}: the lock's {locked[name]} is outside {version}"
            continue
        assert locked[name] == version, f"{name}: pyproject.toml has {version}, requirements.lock has {locked[name]}"


def test_the_left_out_packages_are_neither_installed_nor_locked():
    """The Makefile's LEFT_OUT (rfc3987-syntax, whose import costs every Jupyter process a second) stays out."""
    left_out = re.search(r"^LEFT_OUT := (.+)$", (ROOT / "Makefile").read_text(), re.M)[1].split()
    assert "rfc3987-syntax" in left_out
    for name in left_out:
        assert canonical(name) not in lock(), f"{name} is left out of the install but pinned in requirements.lock"
        with pytest.raises(importlib.metadata.PackageNotFoundError):
            importlib.metadata.version(name)
    import jsonschema  # and jsonschema does without it

    assert "iri" not in jsonschema.Draft7Validator.FORMAT_CHECKER.checkers
    assert "uri" in jsonschema.Draft7Validator.FORMAT_CHECKER.checkers


def test_environment_yml_matches_pyproject_and_lock():
    # environment.yml (Binder, conda, the hub image repo2docker builds) carries the lessons, the dev tools and the
    # hub extra (a JupyterHub user image needs jupyterhub-singleuser and nbgitpuller) and the grading extra (nbgrader,
    # for an instructor working in that image), not the browser-test extra.
    locked, declared, env = lock(), pyproject(extras=("dev", "hub", "grading")), environment()
    assert set(env) == set(declared), (f"environment.yml and pyproject.toml list different packages: "
                                       f"only in environment.yml {sorted(set(env) - set(declared))}, "
                                       f"only in pyproject.toml {sorted(set(declared) - set(env))}")
    for name, version in env.items():
        assert locked.get(name) == version, f"{name}: environment.yml has {version}, lock has {locked.get(name)}"


def test_environment_yml_is_binder_ready():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_parse_pin_rejects_ranges():
    with pytest.raises(AssertionError, match="not an exact pin"):
        parse_pin("numpy>=2")


# --- the Python floor ---------------------------------------------------------------------------------


def python_floor() -> str:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    match = re.fullmatch(r">=\s*(\d+\.\d+(?:\.\d+)?)", spec)
    assert match, f"requires-python should be a plain floor '>=3.N' or '>=3.N.P', got {spec!r}"
    return match[1]


def test_the_python_floor_is_the_one_the_locked_packages_need():
    """Every locked package installs on the floor, and at least one refuses the version below it."""
    floor = Version(python_floor())
    below = f"{floor.major}.{floor.minor}.{floor.micro - 1}" if floor.micro else f"{floor.major}.{floor.minor - 1}.99"
    refusing_below = []
    for name in lock():
        try:
            requires = importlib.metadata.metadata(name).get("Requires-Python")
        except importlib.metadata.PackageNotFoundError:
            continue
        if requires:
            spec = SpecifierSet(requires)
            assert spec.contains(str(floor), prereleases=True), f"{name} needs Python {requires}, above the floor"
            if not spec.contains(below, prereleases=True):
                refusing_below.append(name)
    assert refusing_below, f"no locked package needs Python ≥ {floor}: the floor could be lower"


def test_readme_makefile_environment_and_ruff_state_the_same_floor():
    floor = python_floor()
    assert f"Python ≥ {floor}" in (ROOT / "README.md").read_text()
    assert f"MIN_PYTHON := {floor}" in (ROOT / "Makefile").read_text()
    major_minor = ".".join(floor.split(".")[:2])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python={major_minor}" in env["dependencies"]   # conda-forge resolves the newest 3.N.x
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["target-version"]
    assert ruff == "py" + major_minor.replace(".", "")


def fake_python(folder: Path, version: str) -> Path:
    """A stand-in interpreter that reports ``version`` (the Makefile asks for it in three ways)."""
    script = folder / f"python{version}"
    major, minor = map(int, version.split(".")[:2])
    script.write_text(f"""#!/bin/sh
case "$*" in
  --version) echo "Python {version}.0";;
  *print*) echo "{major}.{minor}";;
  *'version_info <'*) exit {1 if (major, minor) < (3, 11) else 0};;
  *) exit 0;;
esac
""")
    script.chmod(0o755)
    return script


@pytest.fixture
def course_copy(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("needs make")
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(folder), *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_make_refuses_an_old_python_in_one_line_before_creating_the_venv(course_copy):
    old = fake_python(course_copy, "3.10")
    result = make(course_copy, "setup", f"PYTHON={old}")
    assert result.returncode != 0
    message = [line for line in result.stderr.splitlines() if line.startswith("make: the course")]
    assert message == [f"make: the course needs Python ≥ {python_floor()}, but PYTHON={old} is Python 3.10.0; "
                       "run e.g. PYTHON=python3.12 make"], result.stderr
    assert not (course_copy / ".venv").exists()


def test_make_rebuilds_the_venv_when_PYTHON_names_another_version(course_copy):
    venv_bin = course_copy / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    shutil.copy(fake_python(course_copy, "3.11"), venv_bin / "python")
    for age, stamp in enumerate((".installed-learner", ".installed-dev", ".installed-browser", ".installed-hub",
                                 ".installed-grading", ".installed", ".nbgrader-lab")):  # setup's stamps, in order
        (course_copy / ".venv" / stamp).touch()
        os.utime(course_copy / ".venv" / stamp, (2e9 + age, 2e9 + age))
    assert "Nothing to be done" in make(course_copy, "-n", "setup").stdout   # no PYTHON given: keep .venv
    newer = fake_python(course_copy, "3.13")
    plan = make(course_copy, "-n", "setup", f"PYTHON={newer}").stdout
    assert f".venv uses Python 3.11 but PYTHON={newer} is Python 3.13: rebuilding .venv" in plan
    assert "rm -rf .venv" in plan and f"{newer} -m venv .venv" in plan
    same = fake_python(course_copy, "3.11")
    assert "Nothing to be done" in make(course_copy, "-n", "setup", f"PYTHON={same}").stdout


def test_a_failed_install_leaves_no_stamp(course_copy):
    venv_bin = course_copy / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text("#!/bin/sh\nexit 1\n")     # every pip call fails
    (venv_bin / "python").chmod(0o755)
    result = make(course_copy, "setup", f"PYTHON={fake_python(course_copy, '3.11')}")
    assert result.returncode != 0
    assert not (course_copy / ".venv" / ".installed").exists()
    assert not (course_copy / ".venv" / ".installed-learner").exists()
