"""Wrong parameters stop the run before any work, with one sentence that says what to change."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.parameters import DEFAULTS, validate_parameters


def test_defaults_render_the_sample():
    params = validate_parameters()
    assert params.as_of == pd.Timestamp(date(2025, 11, 14)) and params.period == "2025-11-14"
    assert params.province == "Cà Mau" and params.province_code == 96 and params.target_rate == 0.40


@pytest.mark.parametrize("kwargs,message", [
    ({"as_of": "14/11/2025"}, r"as_of='14/11/2025' is not a date: write it as YYYY-MM-DD"),
    ({"target_rate": 40}, r"target_rate=40 looks like a percentage: write it as a share, e\.g\. 0\.40"),
    ({"target_rate": -0.1}, r"must be a share above 0 and at most 1"),
    ({"deadline": "2025-11-01"}, r"deadline=2025-11-01 is not after as_of=2025-11-14"),
    ({"lang": "fr"}, r"lang='fr' is not supported: use 'vi'"),
    ({"data_dir": "no/such/folder"}, r"data_dir='no/such/folder': the folder .* does not exist"),
    ({"province": "Atlantis"}, r"province='Atlantis': Province 'Atlantis' is not in the register"),
    ({"period": "../x"}, r"period='\.\./x' cannot name a folder"),
])
def test_wrong_parameter_gives_one_sentence(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        validate_parameters(**kwargs)


@pytest.mark.parametrize("name", ["Cà Mau", "ca mau", "Tỉnh Cà Mau", "96", 96, "CA MAU"])
def test_province_by_name_or_code(name):
    assert validate_parameters(province=name).province_code == 96


def test_runner_refuses_before_any_work(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--target-rate", "40", "--out", str(tmp_path)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert "looks like a percentage" in result.stderr and "running" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "report", *args], capture_output=True, text=True,
                          encoding="utf-8")


def _main(capsys, *args: str) -> tuple[int, str]:
    """The runner's command in this process (``cli.main``, which ``python -m analysis`` calls; the test above
    runs it as a command): its exit code and what it wrote to standard error."""
    from analysis.cli import main

    capsys.readouterr()
    code = main(["report", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name,value,message", [
    ("teams", "-3", r"Parameter teams=-3 must be at least 0"),
    ("paths", "2.5", r"Parameter paths=2\.5 is not a whole number"),
    ("intensity", "0", r"Parameter intensity=0 must be above 0"),
    ("objective", "unit", r"Parameter objective='unit' is not a choice: use 'rate' or 'units'"),
    ("teems", "3", r"Parameter 'teems' is not a parameter of any report"),
    ("amber_at", "1.2", r"Parameter amber_at=1\.2 is above green_at=1\.0"),
])
def test_a_wrong_notebook_parameter_stops_the_runner_with_its_sentence(name, value, message, tmp_path, capsys):
    import re

    code, stderr = _main(capsys, "-p", name, value, "--out", str(tmp_path))
    assert code == 2 and re.search(message, stderr), stderr
    assert list(tmp_path.iterdir()) == []


def test_papermill_and_the_runner_give_the_same_sentence(tmp_path, capsys):
    from analysis.config import NOTEBOOKS_DIR

    code, stderr = _main(capsys, "-p", "teams", "-3", "--out", str(tmp_path))
    papermill = subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOKS_DIR / "04_outreach_plan.ipynb"),
                                str(tmp_path / "out.ipynb"), "-p", "teams", "-3"], capture_output=True, text=True,
                               encoding="utf-8")
    sentence = stderr.strip().removeprefix("Error: ")
    assert code == 2 and papermill.returncode != 0 and sentence.startswith("Parameter teams=-3") and sentence in papermill.stderr


def test_every_notebook_declares_its_options_with_the_registered_defaults():
    import ast

    import nbformat

    from analysis.parameters import OPTIONS
    from analysis.runner import notebooks

    for path in notebooks():
        cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
        declared = {n.target.id: n.value.value for n in ast.parse(cell.source).body}
        own = {name: o.default for name, o in OPTIONS.items() if path.stem in o.notebooks}
        assert {name: declared.get(name) for name in own} == own, path.stem
        extra = set(declared) - set(own) - set(DEFAULTS) - {"out_dir"}
        assert extra == set(), f"{path.stem} declares {extra} without registering them in parameters.OPTIONS"


def test_params_file_reproduces_a_run_byte_for_byte(rendered, rendered_again):
    """``rendered_again`` is ``python -m analysis report --params <rendered>/parameters.yaml --out <its own folder>``."""
    recorded = rendered / "parameters.yaml"
    assert "teams: 20" in recorded.read_text(encoding="utf-8")
    result, again = rendered_again
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in rendered.iterdir())
    for path in rendered.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_minus_p_teams_changes_the_outreach_plan(rendered, tmp_path, capsys):
    import pandas as pd

    code, stderr = _main(capsys, "-p", "teams", "40", "--out", str(tmp_path))
    assert code == 0, stderr
    folder = tmp_path / rendered.name
    before = pd.read_csv(rendered / "outreach_plan.csv", encoding="utf-8-sig")
    after = pd.read_csv(folder / "outreach_plan.csv", encoding="utf-8-sig")
    assert after["team_weeks"].sum() == pytest.approx(2 * before["team_weeks"].sum())  # 40 teams, not 20
    assert after["expected_gain"].sum() > before["expected_gain"].sum()
    assert "teams: 40" in (folder / "parameters.yaml").read_text(encoding="utf-8")
    assert (folder / "01_phase_results.html").read_bytes() == (rendered / "01_phase_results.html").read_bytes()


def test_params_file_toml_and_command_line_precedence(tmp_path):
    import argparse

    from analysis.cli import run_parameters

    path = tmp_path / "run.toml"
    path.write_text('as_of = 2025-10-03\nteams = 30\nlang = "en"\n', encoding="utf-8")
    args = argparse.Namespace(params=str(path), parameter=[["teams", "35"]], period=None, as_of=None, data_dir=None,
                              target_rate=None, deadline=None, province=None, lang="vi")
    shared, options = run_parameters(args)
    assert shared["as_of"] == "2025-10-03" and shared["lang"] == "vi" and options["teams"] == 35
    assert validate_parameters(**shared).as_of == pd.Timestamp("2025-10-03")
