"""pyproject.toml, requirements.lock and environment.yml must agree on every package and version."""

import re
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


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


def pyproject(extras=("dev", "browser")) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for name in extras:
        requirements += project.get("optional-dependencies", {}).get(name, [])
    return dict(parse_pin(r) for r in requirements)


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
        assert locked[name] == version, f"{name}: pyproject.toml has {version}, requirements.lock has {locked[name]}"


def test_environment_yml_matches_pyproject_and_lock():
    # environment.yml (Binder, conda) carries the lessons and the dev tools, not the browser-test extra.
    locked, declared, env = lock(), pyproject(extras=("dev",)), environment()
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
