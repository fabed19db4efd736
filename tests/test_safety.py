"""Nothing leaks, nothing breaks: escaping in a real browser, offline reports, atomic and repeatable runs,
raw data untouched, parameters refused through papermill, personal data never read."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
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
from helpers import write_data_dir

PERSONAL = ["Nguyễn Văn Bình", "079203001234", "0912345678"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    command = [browser, *QUIET, f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, encoding="utf-8").stdout


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


def test_same_inputs_same_report_and_raw_data_untouched(rendered, rendered_again, sample_hashes_before_rendering):
    """Two independent renders with the default parameters: the session's ``rendered`` (in this process) and
    ``rendered_again`` (the runner's command in a process of its own, given the parameters file ``rendered``
    recorded; test_parameters checks the same pair file by file)."""
    run, again = rendered_again
    assert run.returncode == 0, run.stderr
    first = file_hashes(rendered)
    second = file_hashes(again)
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


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory) -> tuple[Path, Path, list[tuple[int, str]]]:
    """Two runner commands at once on the small data directory, periods 'first' and 'second', into one folder:
    the data, that folder, and each command's return code and standard error."""
    root = tmp_path_factory.mktemp("two_periods")
    data = write_data_dir(root / "data")
    out = root / "out"
    runs = [_runner(data, out, "first"), _runner(data, out, "second")]
    finished = []
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        finished.append((run.returncode, stderr))
    return data, out, finished


def test_killed_run_leaves_the_previous_report(two_periods, tmp_path):
    data, rendered_out, _ = two_periods
    out = tmp_path / "out"
    shutil.copytree(rendered_out, out)  # a folder with a previous report of period 'first' (a run of the same data)
    before = file_hashes(out / "first")
    assert before
    run = _runner(data, out, "first")
    for line in run.stdout:
        if "02_uptake_drivers: running" in line:
            break
    import psutil

    children = psutil.Process(run.pid).children(recursive=True)  # the workers and their kernels
    assert children
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert file_hashes(out / "first") == before
    # nothing is left running: the workers notice the runner is gone, and their kernels follow them
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, [p.cmdline() for p in alive]
    # what they could not remove, their socket files, the next kernel started sweeps (here: now)
    from analysis.runner import SOCKETS, sweep_sockets

    ours = {str(p.pid) for p in children}
    sweep_sockets(Path(tempfile.gettempdir()))
    assert not [p for p in Path(tempfile.gettempdir()).glob(f"{SOCKETS}*") if p.name[len(SOCKETS):].split("-")[0] in ours]


def test_two_periods_at_once_do_not_disturb_each_other(two_periods):
    _, out, finished = two_periods
    for returncode, stderr in finished:
        assert returncode == 0, stderr
    for period in ("first", "second"):
        from analysis.runner import notebooks

        assert sorted(p.name for p in (out / period).glob("*.html")) == sorted(
            [f"{nb.stem}.html" for nb in notebooks()] + ["index.html"])
    assert sorted(p.name for p in out.iterdir()) == ["first", "index.html", "second"]
    archive = (out / "index.html").read_text(encoding="utf-8")  # the last run to write it saw both periods
    assert 'href="first/index.html"' in archive and 'href="second/index.html"' in archive


def test_a_run_waits_for_the_other_to_list_the_periods(tmp_path):
    # the archive page's list is written under a lock on the reports folder: without it, a run that
    # listed the periods before the other's folder was in place could write its stale list last
    import threading

    from analysis.analyses.shared import folder_lock

    entered = threading.Event()

    def other_run():
        with folder_lock(tmp_path):
            entered.set()

    with folder_lock(tmp_path):
        thread = threading.Thread(target=other_run)
        thread.start()
        assert not entered.wait(0.3)  # held: the other run waits
    assert entered.wait(5)
    thread.join()
    assert list(tmp_path.iterdir()) == []  # no lock file among the reports


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
