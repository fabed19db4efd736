"""Nothing leaks, nothing breaks: escaping in a real browser, offline reports, atomic and repeatable runs,
raw data untouched, parameters refused through papermill, personal data never read."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import papermill as pm
import pytest

from analysis.config import NOTEBOOKS_DIR, SAMPLE_DIR
from analysis.data.load import identifier_columns
from analysis.parameters import validate_parameters
from analysis.runner import render_reports
from browser import QUIET, chromium
from conftest import file_hashes
from helpers import REPORTS, UNITS, write_data_dir

PERSONAL = ["Nguyễn Văn Bình", "079203001234", "0912345678"]
INJECTED = ["<script>document.title='PWNED'</script>",
            "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
            "[click](http://evil.example)"]


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _evil_data(root: Path) -> Path:
    names = {"Bệnh viện A": INJECTED[0], "Trạm Y tế xã B": INJECTED[1], "Sở Nội vụ": INJECTED[2]}
    units, reports = UNITS, dict(REPORTS)
    for plain, evil in names.items():
        units = units.replace(plain, _csv_field(evil))
        reports = {d: t.replace(plain, _csv_field(evil)) for d, t in reports.items()}
    return write_data_dir(root, reports=reports, **{"units.csv": units})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    command = [browser, *QUIET, f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, encoding="utf-8").stdout


@pytest.fixture(scope="module")
def evil_reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    params = validate_parameters(data_dir=str(_evil_data(root / "data")), period="evil")
    return render_reports(params, root / "out", progress=lambda _: None)


def test_injected_names_do_nothing_in_a_browser(evil_reports, tmp_path):
    browser = chromium()
    for page in sorted(evil_reports.glob("*.html")):
        dom = _dump_dom(browser, page, tmp_path / page.stem)
        assert "<main>" in dom, f"{page.name} did not load"
        parser = _Tags()
        parser.feed(dom)
        tags = parser.tags
        assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed")], page.name
        assert not [a for t, a in tags if any(k.startswith("on") for k in a)], page.name
        assert not [a for t, a in tags if t == "img" and not a.get("src", "").startswith("data:image/")], page.name
        assert not [a for t, a in tags if t == "a" and "evil.example" in a.get("href", "")], page.name
        assert not [a for t, a in tags if "data-pwned" in a], page.name  # the onerror handler never ran
        assert "<title>PWNED" not in dom  # nor the script
    html = (evil_reports / "01_phase_results.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title=" in html  # shown as text


def test_reports_render_offline_with_every_chart(evil_reports, tmp_path):
    import base64
    import io
    import re

    from PIL import Image

    for page in sorted(evil_reports.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', text)
        for data in images:
            with Image.open(io.BytesIO(base64.b64decode(data))) as image:
                assert image.width > 100 and image.height > 100
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text, re.I)
    assert len(re.findall("<img", (evil_reports / "01_phase_results.html").read_text(encoding="utf-8"))) >= 5


def test_same_inputs_same_report_and_raw_data_untouched(tmp_path, rendered, sample_hashes_before_rendering):
    """Two renders with the default parameters: the session's ``rendered`` and one more here."""
    first = file_hashes(rendered)
    second = file_hashes(render_reports(validate_parameters(), tmp_path / "again", progress=lambda _: None))
    assert second == first and len(first) > 1
    # the sample as it was before the session's first render, every render since included
    assert file_hashes(SAMPLE_DIR) == sample_hashes_before_rendering


def test_wrong_parameter_through_papermill_stops_with_one_sentence(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as raised:
        pm.execute_notebook(str(NOTEBOOKS_DIR / "01_phase_results.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"target_rate": 40}, kernel_name="python3", progress_bar=False,
                            cwd=str(NOTEBOOKS_DIR))
    assert raised.value.ename == "ParameterError"
    assert "target_rate=40 looks like a percentage: write it as a share, e.g. 0.40." in raised.value.evalue


def _runner(data: Path, out: Path, period: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis", "report", "--data-dir", str(data), "--out", str(out),
                             "--period", period], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_run_leaves_the_previous_report(tmp_path):
    data = write_data_dir(tmp_path / "data")
    out = tmp_path / "out"
    previous = render_reports(validate_parameters(data_dir=str(data), period="p"), out, progress=lambda _: None)
    before = file_hashes(previous)
    run = _runner(data, out, "p")
    for line in run.stdout:
        if "02_uptake_drivers: running" in line:
            break
    import psutil

    children = psutil.Process(run.pid).children(recursive=True)  # the workers and their kernels
    assert children
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert file_hashes(out / "p") == before
    # nothing is left running: the workers notice the runner is gone, and their kernels follow them
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, [p.cmdline() for p in alive]


def test_two_periods_at_once_do_not_disturb_each_other(tmp_path):
    data = write_data_dir(tmp_path / "data")
    out = tmp_path / "out"
    runs = [_runner(data, out, "first"), _runner(data, out, "second")]
    for run in runs:
        assert run.wait(timeout=300) == 0, run.stderr.read()
    for period in ("first", "second"):
        from analysis.runner import notebooks

        assert sorted(p.name for p in (out / period).glob("*.html")) == sorted(
            [f"{nb.stem}.html" for nb in notebooks()] + ["index.html"])
    assert sorted(p.name for p in out.iterdir()) == ["first", "index.html", "second"]
    archive = (out / "index.html").read_text(encoding="utf-8")  # the last run to write it saw both periods
    assert 'href="first/index.html"' in archive and 'href="second/index.html"' in archive


def test_identifier_columns_are_found_by_name_and_by_value(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Họ tên,x,liên hệ,age_60plus,has_smartphone,works_away,level2,integrated\n"
                    + "".join(f"{PERSONAL[0]},{PERSONAL[1]},{PERSONAL[2]},0,1,0,1,1\n" for _ in range(20)),
                    encoding="utf-8")
    assert identifier_columns(path) == ["Họ tên", "x", "liên hệ"]


def test_personal_data_never_reaches_a_report(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, data)
    survey = (data / "survey.csv").read_text(encoding="utf-8").splitlines()
    rows = [f"Họ tên,Số CCCD,Số điện thoại,{survey[0]}"] + [f"{PERSONAL[0]},{PERSONAL[1]},{PERSONAL[2]},{r}" for r in survey[1:]]
    (data / "survey.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    folder = render_reports(validate_parameters(data_dir=str(data), period="pd"), tmp_path / "out", progress=lambda _: None)
    for path in folder.iterdir():
        if path.suffix == ".png":  # the charts the Word report embeds (drawn from the same tables)
            continue
        if path.suffix == ".docx":  # the Word report: its text is in the zip's XML parts
            with zipfile.ZipFile(path) as document:
                text = "".join(document.read(n).decode("utf-8") for n in document.namelist() if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8-sig")
        for value in PERSONAL:
            assert value not in text, (path.name, value)
    assert "không được đọc" in (folder / "02_uptake_drivers.html").read_text(encoding="utf-8")
    cells = (folder / "survey_cells.csv").read_text(encoding="utf-8-sig").splitlines()
    assert all(",," in line or int(line.split(",")[4]) >= 10 for line in cells[1:])
