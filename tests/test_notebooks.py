"""Notebooks are committed clean and declare the shared parameters in one strict cell."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from papermill.inspection import inspect_notebook

from analysis.parameters import DEFAULTS
from analysis.runner import all_notebooks, notebooks, strip_outputs

NOTEBOOKS = notebooks()
EVERY = all_notebooks()


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS][:1] == ["01_phase_results"]
    assert [p.stem for p in EVERY][-1] == "national_comparison"


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_has_the_shared_parameters_with_literal_defaults(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    names = {}
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant), ast.dump(node)
        names[node.target.id] = node.value.value
    for name, default in DEFAULTS.items():
        assert names[name] == default, name
    for line in cells[0].source.splitlines():
        assert "#" in line, f"parameter without a comment: {line}"


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_papermill_documents_every_parameter(path):
    documented = inspect_notebook(str(path))
    shared = set(DEFAULTS) - ({"data_dir"} if path.stem == "national_comparison" else set())
    assert shared <= set(documented)
    assert all(p["help"] for p in documented.values())


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_no_function_or_class_is_defined_in_a_notebook(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Lambda)), path


def test_strip_outputs_finds_and_removes_outputs(tmp_path):

    path = tmp_path / "nb.ipynb"
    shutil.copy(NOTEBOOKS[0], path)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", text="hello")]
    cell.execution_count = 3
    nbformat.write(nb, path)
    check = subprocess.run([sys.executable, "-m", "analysis", "strip-outputs", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 1 and "has outputs" in check.stdout
    assert strip_outputs(path) is True and strip_outputs(path) is False


def test_the_pre_commit_hook_refuses_a_notebook_with_outputs(tmp_path):
    """The hook, run as git runs it in a repository, stops a commit of outputs and lets a clean notebook pass."""
    from analysis.config import PROJ_ROOT

    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / "notebooks").mkdir(parents=True)
    bin_dir.mkdir()
    wrapper = bin_dir / "python3"  # the hook falls back to python3 where there is no .venv
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    git = lambda *args: subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)  # noqa: E731
    git("init", "-q")
    notebook = repo / "notebooks" / "01.ipynb"
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").outputs = [nbformat.v4.new_output("stream", text="hello")]
    nbformat.write(nb, notebook)
    git("add", "notebooks/01.ipynb")
    hook = [str(PROJ_ROOT / ".githooks" / "pre-commit")]
    refused = subprocess.run(hook, cwd=repo, capture_output=True, text=True, env=env)
    assert refused.returncode == 1 and "has outputs" in refused.stdout
    strip_outputs(notebook)
    git("add", "notebooks/01.ipynb")
    assert subprocess.run(hook, cwd=repo, capture_output=True, text=True, env=env).returncode == 0
