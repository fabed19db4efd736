"""The corpus of awkward exports (tests/corpus.py): each file stops with its sentence or loads its totals.

No exception other than ``DataError`` leaves the loader, and the command line shows no traceback.
"""

from __future__ import annotations

import tempfile

import pytest

from analysis.data.dataset import load_data_dir
from analysis.errors import DataError
from corpus import CASES, build, independent_totals


def test_the_corpus_has_at_least_forty_files():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def loaded_totals(dataset) -> dict[tuple[str, str], tuple[int, int]]:
    """Eligible and supported per (date, track) as the loader gives them."""
    rows = dataset.reports.merge(dataset.units[["code", "track"]], on="code")
    grouped = rows.groupby([rows["as_of"].dt.strftime("%Y-%m-%d"), "track"])[["eligible", "supported"]].sum()
    return {key: (int(v["eligible"]), int(v["supported"])) for key, v in grouped.iterrows()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_file_gives_its_outcome(tmp_path, case):
    root = build(case, tmp_path / "data")
    if case.refusal:
        with pytest.raises(DataError, match=case.refusal):
            load_data_dir(root)
        return
    dataset = load_data_dir(root)
    assert loaded_totals(dataset) == independent_totals(case.twin)
    kinds = {f.kind for f in dataset.findings}
    assert set(case.findings) <= kinds, kinds
    if case.central_rates is not None:
        assert list(dataset.central["rate"].dropna())[:2] == pytest.approx(case.central_rates)


def test_a_tolerated_variant_leaves_no_unexpected_finding(tmp_path):
    """The clean twin itself has no finding, so each finding above comes from its variant."""
    assert load_data_dir(build(CASES[0], tmp_path / "data")).findings == []


@pytest.mark.parametrize("case", [c for c in CASES if c.refusal], ids=[c.name for c in CASES if c.refusal])
def test_the_command_line_shows_the_sentence_and_no_traceback(tmp_path, capsys, monkeypatch, case):
    from analysis import cli, runner

    class NoPool:  # the check of the data comes before any notebook: no kernel is needed
        def shutdown(self, cancel_futures: bool = False) -> None:
            pass

    monkeypatch.setattr(runner, "worker_pool", lambda: NoPool())
    monkeypatch.setattr(runner, "render_reports", lambda *a, **k: pytest.fail("a notebook would start"))
    root = build(case, tmp_path / "data")
    code = cli.main(["report", "--data-dir", str(root), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1


def test_an_unexpected_exception_is_shown_as_a_bug_with_its_trace_file(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    from analysis import cli, runner
    from analysis.data import dataset

    class NoPool:
        def shutdown(self, cancel_futures: bool = False) -> None:
            pass

    def broken(*args, **kwargs):
        raise KeyError("eligible")

    monkeypatch.setattr(runner, "worker_pool", lambda: NoPool())
    monkeypatch.setattr(dataset, "load_data_dir", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the trace file in the test's folder, not the machine's
    code = cli.main(["report", "--data-dir", str(build(CASES[0], tmp_path / "data")), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("Error: an unexpected problem (a bug): KeyError: 'eligible'. Please report it with the file ")
    trace = Path(err.strip().rsplit(" ", 1)[1])
    assert trace.parent == tmp_path / "analysis-errors"
    assert trace.is_file() and "Traceback" in trace.read_text(encoding="utf-8") and "broken" in trace.read_text()


def test_loaded_totals_are_not_the_independent_ones_when_a_count_changes(tmp_path):
    """The comparison can fail: one count more in a report gives other totals."""
    from helpers import REPORTS

    changed = {**REPORTS, "2025-11-14": REPORTS["2025-11-14"].replace("2000,700", "2000,701")}
    assert independent_totals(changed) != independent_totals(REPORTS)
