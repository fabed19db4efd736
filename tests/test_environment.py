"""The dependency declarations stay in step: pyproject (direct), requirements.lock (pinned), environment.yml."""

from __future__ import annotations

import re
import tomllib

from analysis.config import PROJ_ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (PROJ_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_norm(name)] = version.strip()
    return pins


def _environment() -> dict[str, str]:
    pins = {}
    for line in (PROJ_ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*-\s*([A-Za-z0-9_.\-]+)\s*(==|=)\s*([^\s#]+)", line)
        if match and match.group(1) != "python":
            pins[_norm(match.group(1))] = match.group(3)
    return pins


def _direct() -> list[str]:
    project = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [_norm(re.split(r"[<>=!~\[; ]", d)[0]) for d in project["dependencies"]]


def test_every_direct_dependency_is_locked():
    lock = _lock()
    assert [d for d in _direct() if d not in lock] == []


def test_environment_yml_mirrors_the_lock():
    lock, env = _lock(), _environment()
    assert sorted(env) == sorted(_direct())
    assert {d: env[d] for d in env if env[d] != lock[d]} == {}


def test_lock_pins_every_line():
    for line in (PROJ_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        assert line.startswith("#") or not line.strip() or "==" in line, line
