"""Headless Chromium for the tests: what a reader sees on the first screen, and pages printed on A4."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

# Every flag keeps the browser offline and quiet: no network but loopback, no first-run work.
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--hide-scrollbars"]


def chromium() -> str:
    """The browser (Debian's package, installed by .ci/run); a test is skipped without it, failed in CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium not installed here (apt-get install chromium)")
    return found


def printed_pages(page: Path, profile: Path) -> int:
    """How many A4 pages ``page`` prints on (the page's own @page rule sets A4)."""
    pdf = profile.with_suffix(".pdf")
    subprocess.run([chromium(), *QUIET, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120, check=False)
    data = pdf.read_bytes()
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}, f"not printed on A4 (points): {boxes}"
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_VISIBLE_TEXT = """(() => {
  if (document.readyState !== 'complete' || location.protocol !== 'file:') return null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.bottom > 0 && r.top < window.innerHeight && r.width > 0) { out.push(node.textContent); break; }
    }
  }
  return JSON.stringify({text: out.join(' '), width: window.innerWidth, height: window.innerHeight});
})()"""


def first_screen(page: Path, profile: Path, width: int = 1366, height: int = 768) -> dict:
    """The text a reader sees without scrolling, in a ``width`` x ``height`` window (and the viewport's size)."""
    import websocket

    port = _free_port()
    browser = subprocess.Popen([chromium(), *QUIET, f"--user-data-dir={profile}", f"--remote-debugging-port={port}",
                                f"--window-size={width},{height}", page.as_uri()],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        target = None
        deadline = time.monotonic() + 60  # the browser takes a moment to listen; on a busy machine, seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as answer:
                    target = next(t for t in json.load(answer) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.1)
        assert target, "the browser did not open the page"
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        try:
            ws.send(json.dumps({"id": 1, "method": "Emulation.setDeviceMetricsOverride",
                                "params": {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}}))
            for attempt in range(2, 100):  # until the page has loaded
                ws.send(json.dumps({"id": attempt, "method": "Runtime.evaluate",
                                    "params": {"expression": _VISIBLE_TEXT, "returnByValue": True}}))
                reply = json.loads(ws.recv())
                while reply.get("id") != attempt:
                    reply = json.loads(ws.recv())
                value = reply["result"]["result"].get("value")
                if value:
                    return json.loads(value)
                time.sleep(0.1)
            raise AssertionError("the page did not finish loading")
        finally:
            ws.close()
    finally:
        browser.kill()
        browser.wait(timeout=20)
