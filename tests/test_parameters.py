"""Wrong parameters stop the run before any work, with one sentence that says what to change."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from analysis.errors import ParameterError
from analysis.parameters import validate_parameters


def test_defaults_render_the_sample():
    params = validate_parameters()
    assert params.as_of == date(2025, 11, 14) and params.period == "2025-11-14"
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
