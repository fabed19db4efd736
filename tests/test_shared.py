"""Results shared by the notebooks of one run: computed once, the same figures in every report."""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest

from analysis.analyses import projection, shared
from analysis.data.panel import full_panel

AS_OF, DEADLINE = pd.Timestamp("2025-11-14"), pd.Timestamp("2025-12-31")


@pytest.fixture(autouse=True)
def _forget():
    shared._KEPT.clear()
    yield
    shared._KEPT.clear()


def _count_in_child(out_dir: str, queue) -> None:
    calls = []
    shared._KEPT.clear()
    value = shared.once("k-1", out_dir, lambda: calls.append(1) or {"x": 1})
    queue.put((value, len(calls)))


def test_a_result_is_computed_once_per_run_across_processes(tmp_path):
    calls = []
    assert shared.once("k-1", tmp_path, lambda: calls.append(1) or {"x": 1}) == {"x": 1}
    context = multiprocessing.get_context("spawn")  # another kernel: nothing of this process's memory
    queue = context.Queue()
    child = context.Process(target=_count_in_child, args=(str(tmp_path), queue))
    child.start()
    value, child_calls = queue.get(timeout=60)
    child.join(60)
    assert (value, child_calls, len(calls)) == ({"x": 1}, 0, 1)


def test_a_kept_result_is_a_copy(tmp_path):
    first = shared.once("k-2", tmp_path, lambda: pd.DataFrame({"a": [1, 2]}))
    first.loc[0, "a"] = 99  # a notebook that changes its table
    assert shared.once("k-2", tmp_path, lambda: pd.DataFrame({"a": [0]}))["a"].tolist() == [1, 2]


def test_changed_data_give_another_key(sample):
    panel = full_panel(sample, 0.40)
    changed = panel.copy()
    changed.loc[changed.index[-1], "supported"] += 1
    assert shared.data_key(sample, panel) == shared.data_key(sample, panel.copy())
    assert shared.data_key(sample, panel) != shared.data_key(sample, changed)
    # the units' profiles (which the drivers model reads) and the campaign are part of the data too
    import copy
    import dataclasses

    blank = copy.deepcopy(sample)
    blank.units["share_60plus"] = float("nan")
    other = dataclasses.replace(sample, campaign=dataclasses.replace(sample.campaign, drivers_track=None))
    assert shared.data_key(blank, panel) != shared.data_key(sample, panel) != shared.data_key(other, panel)
    # a survey with columns that identify people (not read; the drivers report says so) is another input
    named = dataclasses.replace(sample, survey_identifiers=["Họ tên"])
    assert shared.data_key(named, panel) != shared.data_key(sample, panel)


def test_the_no_campaign_projection_is_the_projection_reports_own(sample, tmp_path):
    panel = full_panel(sample, 0.40)
    table, fans = shared.no_campaign(sample, panel, AS_OF, DEADLINE, 0.40, 300, 4, tmp_path)
    every, every_fans = shared.projection_scenarios(sample, panel, AS_OF, DEADLINE, 0.40, 1.5, 300, 4, tmp_path)
    direct, _ = projection.project(sample, panel, AS_OF, DEADLINE, 0.40, projection.Effort("no_campaign"), 300, 4)
    assert set(table["scenario"]) == {"no_campaign"} and set(fans["scenario"]) == {"no_campaign"}
    pd.testing.assert_frame_equal(table, every[every["scenario"] == "no_campaign"].reset_index(drop=True))
    pd.testing.assert_frame_equal(table[direct.columns], direct)
    assert len(every_fans) > len(fans)  # every scenario's fan
