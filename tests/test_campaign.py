"""The campaign as data: campaign.toml read and refused with the key, and the health book's campaign
spelled out in a file gives the same reports as no file at all."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from analysis.config import SAMPLE_DIR
from analysis.data.campaign import DEFAULT, DEFAULT_FILE, FILE, active, parse_campaign
from analysis.data.dataset import load_data_dir
from analysis.errors import DataError
from analysis.reports.labels import counted_as, label, track_name
from conftest import _render, file_hashes

MINIMAL = {"name_vi": "kích hoạt tài khoản", "name_en": "account activation", "act_vi": "kích hoạt",
           "act_en": "activation", "verb_en": "activate",
           "tracks": [{"id": "citizens", "name_vi": "Công dân", "name_en": "Citizens", "counts": "people",
                       "unit_kinds": ["commune", "ward"]}]}


def _with(**changes) -> dict:
    data = {**MINIMAL, "tracks": [dict(t) for t in MINIMAL["tracks"]]}
    data.update(changes)
    return data


def test_the_default_is_the_health_book_with_its_three_tracks():
    assert DEFAULT.track_ids == ["residents", "facilities", "cadres"]
    assert DEFAULT.projected == ["residents", "facilities"] and DEFAULT.own_target == ["cadres"]
    assert DEFAULT.track_of("Dân cư") == "residents" and DEFAULT.track_of("CO SO Y TE") == "facilities"
    assert DEFAULT.main_track == "residents" and DEFAULT.target_of("cadres") == 1.0
    assert label("report_title", "vi").endswith("tích hợp sổ sức khỏe điện tử trên VNeID")


def test_a_minimal_campaign_gets_its_words_and_defaults():
    campaign = parse_campaign(_with())
    assert campaign.target_rate == 0.40 and campaign.track_ids == ["citizens"]
    assert campaign.words["done_vi"] == "đã được hỗ trợ kích hoạt" and campaign.words["verbed_en"] == "activated"
    assert campaign.track("citizens").register and campaign.track("citizens").projected
    assert campaign.drivers_track is None and campaign.main_track == "citizens"


@pytest.mark.parametrize("data, message", [
    (_with(colour="blue"), r"campaign\.toml, column 'colour': unknown key 'colour'.*What to do: use only"),
    (_with(tracks=[{**MINIMAL["tracks"][0], "colour": "red"}]), r"unknown key 'colour' in track 1"),
    (_with(tracks=[MINIMAL["tracks"][0], {**MINIMAL["tracks"][0], "name_vi": "B"}]),
     r"track id 'citizens' is used twice \(tracks 1 and 2\)"),
    (_with(target_rate=1.5), r"column 'target_rate': 'target_rate' must be a share above 0 and at most 1"),
    (_with(target_rate=0), r"'target_rate' must be a share above 0 and at most 1"),
    (_with(target_rate="40%"), r"'target_rate' must be a share"),
    (_with(tracks=[{**MINIMAL["tracks"][0], "target": 70}]), r"column 'target': 'target' must be a share .* in track 1"),
    (_with(tracks=[{**MINIMAL["tracks"][0], "id": f"t{i}"} for i in range(6)]), r"a campaign has 1 to 5 tracks"),
    (_with(tracks=[]), r"a campaign has 1 to 5 tracks"),
    (_with(drivers_track="residents"), r"'drivers_track' names no track of the campaign.*use one of the tracks' ids: citizens"),
    (_with(tracks=[{**MINIMAL["tracks"][0], "counts": "households"}]), r"'counts' of track 'citizens' is not one of"),
    ({"name_vi": "x", "name_en": "y"}, r"the campaign has no 'tracks'"),
])
def test_a_wrong_campaign_file_is_refused_with_the_key(data, message):
    with pytest.raises(DataError, match=message):
        parse_campaign(data)


def _sample_copy(tmp_path, campaign_text: str | None):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, folder)
    if campaign_text is not None:
        (folder / FILE).write_text(campaign_text, encoding="utf-8")
    return folder


def test_a_report_whose_track_the_campaign_does_not_declare_is_refused(tmp_path):
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace('aliases = ["dân cư"]\n', "")  # 'dân cư' no longer a name
    folder = _sample_copy(tmp_path, text)
    with pytest.raises(DataError, match=r"reports/2025-05-16\.csv, row 2, column 'track': unknown track \(value: 'dân cư'\)"
                                        r".*declare the track in campaign\.toml"):
        load_data_dir(folder)


def test_a_bad_toml_file_is_refused_with_its_name(tmp_path):
    folder = _sample_copy(tmp_path, 'name_vi = "x\n')
    with pytest.raises(DataError, match=r"^campaign\.toml: not valid TOML"):
        load_data_dir(folder)


def test_loading_activates_the_data_directorys_campaign(tmp_path):
    data = tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace('name_en = "Residents (aged 14+)"', 'name_en = "People (14+)"')
    dataset = load_data_dir(_sample_copy(tmp_path, text))
    assert dataset.campaign.track("residents").name["en"] == "People (14+)" != data["tracks"][0]["name_en"]
    assert active() == dataset.campaign and track_name("residents", "en") == "People (14+)"
    assert counted_as("facilities", "en") == "patient visits" and counted_as("cadres", "vi") == "người"


def test_the_health_book_spelled_out_renders_byte_identical_to_no_file(tmp_path, rendered):
    """Done-when of the issue: the same reports and tables with a campaign.toml that spells out today's
    defaults as without one (parameters.yaml names the data directory, which differs)."""
    folder = _sample_copy(tmp_path, DEFAULT_FILE.read_text(encoding="utf-8"))
    out = _render(tmp_path / "reports", data_dir=str(folder))
    before, after = file_hashes(rendered), file_hashes(out)
    assert set(before) == set(after)
    differ = sorted(str(p) for p in before if before[p] != after[p])
    assert differ == ["parameters.yaml"]


def test_the_readmes_campaign_in_a_dozen_lines_is_a_campaign():
    import re

    from analysis.config import PROJ_ROOT

    text = re.search(r"A campaign in a dozen lines:\n\n```toml\n(.*?)```", (PROJ_ROOT / "README.md").read_text(
        encoding="utf-8"), re.S).group(1)
    campaign = parse_campaign(tomllib.loads(text))
    assert len(text.strip().splitlines()) <= 16 and campaign.track_ids == ["citizens"]
    assert campaign.target_rate == 0.70 and campaign.province == "Hà Tĩnh" and campaign.main_track == "citizens"


def test_a_track_without_profiles_gets_sentences_not_errors(tmp_path):
    """Done-when of the issue: a track without the data an analysis needs gets the sentence that says so."""
    import pandas as pd

    from analysis.analyses import drivers, outreach
    from analysis.data.panel import full_panel
    from analysis.reports import drivers_report, outreach_report

    folder = _sample_copy(tmp_path, None)
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    for column in ("share_60plus", "smartphone_rate", "absent_share", "level2_rate"):
        units[column] = ""
    units.to_csv(folder / "units.csv", index=False)
    dataset = load_data_dir(folder)
    panel = full_panel(dataset, 0.40)
    analysis = drivers.analyse(dataset, panel, dataset.report_dates[-1], 0.40)
    assert analysis.fit is None and "no_profiles" in analysis.notes
    assert drivers_report.missing_note(analysis, "en").startswith("units.csv gives no profile of the units")
    teams = outreach.Teams(20, 40.0, 15.0, 6.0, 0.6, 0.0)
    inputs, band = outreach.prepare(dataset, panel, dataset.report_dates[-1], pd.Timestamp("2025-12-31"), 0.40, teams,
                                    paths=200)
    plan = outreach.plan(inputs, teams, 0.40)
    assert plan.empty and band == {}
    said = outreach_report.summary(plan, pd.DataFrame(), teams, 0.40, "en")[0].data
    assert "the plan needs the drivers model (report 02)" in said
