"""The synthetic data sets of other campaigns (synthetic/campaigns.py): deterministic, loadable, in their
own words, with something for the reports to say."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

from analysis.analyses.national import central_rates, province_folders
from analysis.cli import main
from analysis.data.dataset import load_data_dir
from analysis.errors import ParameterError
from analysis.synthetic.campaigns import CAMPAIGNS, write_campaign_national, write_campaign_sample

HEALTH_BOOK_WORDS = re.compile(r"sổ sức khỏe|health book|tích hợp|integrat", re.IGNORECASE)
DECLARED = {  # campaign: its tracks (id: own target or None) and target
    "level2-eid": ({"citizens": None, "civil_servants": 1.0}, 0.70),
    "qr-checkin": ({"facilities": None}, 0.80),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Each campaign's sample, written once."""
    root = tmp_path_factory.mktemp("campaigns")
    for name in CAMPAIGNS:
        write_campaign_sample(name, root / name)
    return {name: root / name for name in CAMPAIGNS}


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """The national data set of the level-2 campaign, written once."""
    out = tmp_path_factory.mktemp("national") / "level2"
    write_campaign_national("level2-eid", out)
    return out


def _campaign_file(folder: Path) -> dict:
    return tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))


def _load(folder: Path):
    declared = _campaign_file(folder)
    return load_data_dir(folder, declared["province"], declared["target_rate"])


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", CAMPAIGNS)
def test_writing_twice_gives_the_same_bytes(name, written, tmp_path):
    again = write_campaign_sample(name, tmp_path / name)
    assert _files(tmp_path / name) == _files(written[name])
    assert {p.relative_to(tmp_path / name) for p in again} <= set(_files(written[name]))


@pytest.mark.parametrize("name", CAMPAIGNS)
def test_the_sample_loads_with_its_declared_campaign(name, written):
    dataset = _load(written[name])
    tracks, target = DECLARED[name]
    assert dataset.campaign.track_ids == list(tracks) and dataset.campaign.target_rate == target
    assert {t.id: t.target for t in dataset.campaign.tracks} == tracks
    assert set(dataset.units["track"]) == set(tracks)
    assert dataset.provenance["synthetic"] is True and "calibrated to nothing published" in dataset.provenance["source"]
    assert len(dataset.report_dates) >= 12 and len(dataset.phases) == 2
    assert dataset.central["rate"].notna().any()
    per_date = dataset.reports.groupby("as_of").size()
    assert per_date.min() < per_date.max()  # some units skip a week
    late = (dataset.reports["submitted"] - dataset.reports["as_of"]).dt.days > 2
    assert 0 < late.sum() < len(late) / 4  # a few reports are late (clinics and stations more often)


def test_the_level2_citizens_are_the_register_with_a_drivers_profile(written):
    dataset = _load(written["level2-eid"])
    citizens = dataset.units[dataset.units["track"] == "citizens"]
    assert dataset.campaign.drivers_track == dataset.campaign.outreach_track == "citizens"
    assert len(citizens) == 69 and set(citizens["unit_type"]) == {"commune", "ward"}
    assert citizens[["share_60plus", "smartphone_rate", "absent_share"]].notna().all().all()
    assert citizens["level2_rate"].isna().all()  # the outcome here, not a driver
    agencies = dataset.units[dataset.units["track"] == "civil_servants"]
    assert 10 <= len(agencies) <= 20 and (agencies["target_rate"] == 1.0).all()
    leaders = dataset.provinces[dataset.provinces["as_of"] == dataset.provinces["as_of"].max()]
    assert int(leaders.loc[leaders["name"] == "Hà Tĩnh", "rank"].iloc[0]) <= 5


def test_the_qr_sample_has_one_track_and_no_drivers(written):
    dataset = _load(written["qr-checkin"])
    assert dataset.campaign.drivers_track is None and dataset.campaign.outreach_track is None
    assert dataset.campaign.central_track == "facilities" and dataset.survey is None
    assert 20 <= len(dataset.units) <= 30
    assert set(dataset.units["unit_type"]) == {"hospital", "health_station", "private_clinic"}


@pytest.mark.parametrize("name", CAMPAIGNS)
def test_no_file_holds_the_health_books_words(name, written):
    for path, data in _files(written[name]).items():
        found = HEALTH_BOOK_WORDS.search(data.decode("utf-8"))
        assert found is None, f"{path}: {found and found.group(0)}"


def _final_rates(folder: Path) -> dict[str, float]:
    """Each track's rate in the last report file, read with the csv module: by the track column's short name."""
    last = sorted((folder / "reports").glob("*.csv"))[-1]
    totals: dict[str, list[int]] = {}
    with last.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counts = totals.setdefault(row["Khối"], [0, 0])
            counts[0] += int(row["Tổng số đối tượng"] if "Tổng số đối tượng" in row else row["Tổng số lượt khám"])
            counts[1] += int(row["Số đã thực hiện"])
    return {track: done / eligible for track, (eligible, done) in totals.items()}


def test_the_final_rates_leave_the_reports_something_to_say(written):
    level2, qr = _final_rates(written["level2-eid"]), _final_rates(written["qr-checkin"])
    assert set(level2) == {"công dân", "công chức"} and set(qr) == {"cơ sở"}
    assert 0.55 <= level2["công dân"] < _campaign_file(written["level2-eid"])["target_rate"]
    assert 0.90 <= level2["công chức"] <= 0.99
    assert qr["cơ sở"] < _campaign_file(written["qr-checkin"])["target_rate"]


def test_the_door_to_door_phase_lifts_the_citizens_rate(written):
    dataset = _load(written["level2-eid"])
    citizens = dataset.reports[dataset.reports["code"].isin(dataset.units.loc[dataset.units["track"] == "citizens",
                                                                              "code"])]
    totals = citizens.groupby("as_of")[["eligible", "supported"]].sum()
    rate = totals["supported"] / totals["eligible"]
    second = dataset.phases["start"].iloc[1]
    first_phase_gain = rate[rate.index < second].iloc[-1] - rate.iloc[0]
    second_phase_gain = rate.iloc[-1] - rate[rate.index < second].iloc[-1]
    assert second_phase_gain > first_phase_gain


def test_an_unknown_campaign_is_refused_naming_the_known_ones(tmp_path, capsys):
    with pytest.raises(ParameterError, match="level2-eid, qr-checkin"):
        write_campaign_sample("health-book", tmp_path / "x")
    assert main(["sample", "--campaign", "vneid-3", "--out", str(tmp_path / "y")]) == 2
    assert "Unknown campaign 'vneid-3': the synthetic campaigns are level2-eid, qr-checkin." in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_the_health_book_sample_and_other_data_are_never_overwritten(tmp_path, monkeypatch, capsys):
    import analysis.synthetic.campaigns as campaigns

    sample = tmp_path / "sample"  # stands for data/sample, so that a broken refusal harms nothing
    (sample / "reports").mkdir(parents=True)
    (sample / "reports" / "2025-11-14.csv").write_text("kept\n", encoding="utf-8")
    monkeypatch.setattr(campaigns, "SAMPLE_DIR", sample)
    with pytest.raises(ParameterError, match="health-book sample"):
        write_campaign_sample("level2-eid", sample)
    real = tmp_path / "department"  # a data directory that is not synthetic
    (real / "reports").mkdir(parents=True)
    (real / "units.csv").write_text("code,name\n", encoding="utf-8")
    assert main(["sample", "--campaign", "qr-checkin", "--out", str(real)]) == 2
    assert "holds no synthetic data set" in capsys.readouterr().err
    assert (sample / "reports" / "2025-11-14.csv").read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in real.rglob("*")) == ["reports", "units.csv"]


def test_the_national_set_has_every_province_in_its_own_words(national):
    folders = province_folders(national)
    assert len(folders) == 34
    for province in [f for f in folders if f.name in ("Hà Tĩnh", "Thành phố Hà Nội", "Cà Mau")]:
        dataset = load_data_dir(province.folder, province.code, 0.70)
        assert dataset.campaign.province == province.name and dataset.campaign.track_ids == ["citizens",
                                                                                            "civil_servants"]
    rates = central_rates(national, folders)
    last = rates[rates["as_of"] == rates["as_of"].max()]
    assert len(last) == 34 and int(last.loc[last["name"] == "Hà Tĩnh", "rank"].iloc[0]) <= 5
    for path in national.rglob("*"):
        if path.is_file():
            assert HEALTH_BOOK_WORDS.search(path.read_text(encoding="utf-8")) is None, path


def test_the_data_contract_shows_the_level2_campaign_file(written):
    from analysis.config import PROJ_ROOT

    doc = (PROJ_ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", doc, re.DOTALL).group(1)
    assert tomllib.loads(example) == _campaign_file(written["level2-eid"])
