"""Rendering: a failed run keeps the previous report; text from the data is escaped everywhere."""

from __future__ import annotations

import re

import nbformat
import pytest

from analysis.parameters import validate_parameters
from analysis.runner import RenderError, render_reports, worker_pool
from helpers import EVIL


def _notebook(path, body: str):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('out_dir: str = ""  # where CSVs go')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_failed_run_keeps_previous_report_and_the_failing_notebook(tmp_path):
    params = validate_parameters(period="p1")
    good = _notebook(tmp_path / "01_good.ipynb", "print('fine')")
    bad = _notebook(tmp_path / "02_bad.ipynb", "raise ValueError('the data looked wrong')")
    out = tmp_path / "reports"
    # one notebook: one worker (a second would only start a kernel and wait)
    first = render_reports(params, out, sources=[good], progress=lambda _: None, pool=worker_pool(1))
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    with pytest.raises(RenderError, match=r"Notebook 02_bad failed: the data looked wrong\n.*p1\.failed"):
        render_reports(params, out, sources=[good, bad], progress=lambda _: None)
    assert {p.name: p.read_bytes() for p in (out / "p1").iterdir()} == before
    assert (out / "p1.failed" / "02_bad.ipynb").is_file()
    # no temporary folder left (index.html is the archive of periods, written by the first, good run)
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "p1", "p1.failed"]


def test_unit_names_are_escaped_in_every_report(evil_reports):
    """The small data directory with EVIL's names in three units (helpers.EVIL_NAMES, which adds test_safety's)."""
    folder = evil_reports
    html = (folder / "01_phase_results.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"<img[^>]*onerror", html, re.I)
    assert 'href="http://evil.example"' not in html and "[click](http://evil.example)" in html
    index = (folder / "index.html").read_text(encoding="utf-8")  # the brief names units too
    assert "<script" not in index.lower() and not re.search(r"<img[^>]*onerror", index, re.I)
    league = (folder / "league_table.csv").read_text(encoding="utf-8-sig")
    assert EVIL[0] in league  # CSV keeps the name as data


def test_a_kernel_that_dies_at_start_is_started_again_and_the_last_failure_says_why(monkeypatch):
    from analysis import runner

    class Fake:  # a kernel manager or client: what _kernel keeps and finally stops
        def stop_channels(self):
            pass

    tries = []

    def dies_twice():
        tries.append(1)
        if len(tries) < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return Fake(), Fake()

    monkeypatch.setattr(runner, "_KERNEL", None)
    monkeypatch.setattr(runner, "_start_kernel", dies_twice)
    manager, _ = runner._kernel()
    assert isinstance(manager, Fake) and len(tries) == 3

    def always_dies():
        raise RuntimeError("Kernel died before replying to kernel_info; its last words: ZMQError")

    monkeypatch.setattr(runner, "_KERNEL", None)
    monkeypatch.setattr(runner, "_start_kernel", always_dies)
    with pytest.raises(RuntimeError, match=r"did not start \(3 tries\).*ZMQError"):
        runner._kernel()


def test_the_kernel_talks_over_its_own_unix_sockets_not_tcp_ports():
    from pathlib import Path

    from jupyter_core.utils import run_sync

    from analysis import runner

    manager, client = runner._start_kernel()
    try:
        assert manager.transport == "ipc" and Path(manager.ip).is_absolute()
        assert Path(f"{manager.ip}-{manager.shell_port}").exists()  # the socket file, named for this kernel
        reply = run_sync(client.execute_interactive)("1 + 1", timeout=30)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        run_sync(manager.shutdown_kernel)(now=True)
    assert not Path(f"{manager.ip}-{manager.shell_port}").exists()


def test_a_killed_runs_socket_files_are_swept_and_a_live_workers_kept(tmp_path):
    import os
    import subprocess
    import sys

    from analysis import runner

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, live = int(gone.stdout), os.getpid()  # a process that has ended, and this one
    files = [tmp_path / f"{runner.SOCKETS}{pid}-0e27a0bf-{channel}" for pid in (dead, live) for channel in (1, 2)]
    for path in files:
        path.write_bytes(b"")
    other = tmp_path / "uptake-kernel-notes.txt"  # not a socket name: left alone
    other.write_bytes(b"")
    assert sorted(runner.sweep_sockets(tmp_path)) == files[:2]
    assert sorted(p for p in tmp_path.iterdir()) == sorted(files[2:] + [other])
