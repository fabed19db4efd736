"""The house rules: imports run only downward (reports -> analyses -> data), and ruff passes."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from analysis.config import PROJ_ROOT

PACKAGE = PROJ_ROOT / "src" / "analysis"

# Each layer of the package, and the layers it may import (docs/architecture.md draws them).
BASE = {"base"}
MAY_IMPORT = {
    "base": BASE,
    "data": BASE | {"data"},
    "parameters": BASE | {"data"},
    "analyses": BASE | {"data", "parameters", "analyses"},
    "reports": BASE | {"data", "parameters", "analyses", "reports"},
    "synthetic": BASE | {"data", "synthetic"},
    "runner": BASE | {"data", "parameters", "analyses", "reports"},
    "cli": BASE | {"data", "parameters", "analyses", "reports", "runner", "synthetic", "cli"},
}


def layer(module: str) -> str:
    """The layer of a module of the package (``analysis.data.load`` -> ``data``)."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    if name in ("config", "errors", "text", "__init__", ""):
        return "base"
    if name == "__main__":
        return "cli"
    if name in MAY_IMPORT:
        return name
    raise AssertionError(f"module {module} is in no layer: add it to MAY_IMPORT and docs/architecture.md")


def imported(source: str, module: str) -> set[str]:
    """Every module of the package that ``source`` imports, at any depth (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative import: resolve from the module's package
                base = ".".join(module.split(".")[:-node.level] + [node.module])
            if base.split(".")[0] == "analysis":
                found |= {f"{base}.{a.name}" if base in ("analysis", "analysis.data", "analysis.analyses",
                                                           "analysis.reports", "analysis.synthetic") else base
                          for a in node.names}
    return found


def upward_imports(sources: dict[str, str]) -> list[str]:
    """The imports that break the layering, as ``module -> imported (layer -> layer)``."""
    bad = []
    for module, source in sorted(sources.items()):
        for target in sorted(imported(source, module)):
            if layer(target) not in MAY_IMPORT[layer(module)]:
                bad.append(f"{module} -> {target} ({layer(module)} -> {layer(target)})")
    return bad


def _package_sources() -> dict[str, str]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[module] = path.read_text(encoding="utf-8")
    return out


def test_imports_run_only_downward():
    assert upward_imports(_package_sources()) == []


def test_an_upward_import_is_caught():
    sources = {"analysis.data.panel": "def f():\n    from analysis.reports.labels import label\n",
               "analysis.analyses.drivers": "from analysis.reports import figures\n",
               "analysis.reports.figures": "from analysis.analyses import projection\nimport analysis.data.load\n",
               "analysis.synthetic.sample": "from analysis.analyses.projection import fit_track\n"}
    assert upward_imports(sources) == [
        "analysis.analyses.drivers -> analysis.reports.figures (analyses -> reports)",
        "analysis.data.panel -> analysis.reports.labels (data -> reports)",
        "analysis.synthetic.sample -> analysis.analyses.projection (synthetic -> analyses)",
    ]


def test_every_module_has_a_layer():
    layers = {module: layer(module) for module in _package_sources()}
    assert set(layers.values()) == set(MAY_IMPORT)  # every layer has a module, and no module is outside them
    assert (layers["analysis.config"], layers["analysis.__main__"], layers["analysis.data.load"],
            layers["analysis.reports.frame"]) == ("base", "cli", "data", "reports")
    with pytest.raises(AssertionError, match="module analysis.plugins.extra is in no layer"):
        layer("analysis.plugins.extra")


def test_ruff_passes():
    """ruff at the version of requirements.lock, with the rules of pyproject.toml."""
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "benchmarks"],
                         cwd=PROJ_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def track_ids_in_code(sources: dict[str, str], ids: list[str]) -> list[str]:
    """Where a track id of the health book stands as a string in the package's code (outside the
    synthetic generators, which write the health book's sample): a rule tied to one campaign."""
    pattern = re.compile(r"""["'](%s)["']""" % "|".join(map(re.escape, ids)))
    return [f"{module}: {match.group(0)}" for module, source in sorted(sources.items())
            if layer(module) != "synthetic" for match in pattern.finditer(source)]


def test_no_track_id_of_the_health_book_stands_in_the_code():
    """Rules that depend on a track ask the campaign (data/campaign.py), so another campaign is data."""
    from analysis.data.campaign import DEFAULT

    assert track_ids_in_code(_package_sources(), DEFAULT.track_ids) == []
    planted = {"analysis.reports.figures": 'x = series[series["track"] != "cadres"]\n',
               "analysis.synthetic.sample": 'TRACKS = ("residents",)\n'}
    assert track_ids_in_code(planted, DEFAULT.track_ids) == ['analysis.reports.figures: "cadres"']
