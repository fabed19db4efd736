"""Small data directories built by the tests: a clean one, and ways to spoil it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

UNITS = """code,name,track,unit_type,share_60plus,smartphone_rate,absent_share,level2_rate,target_rate
32248,Xã Đất Mũi,residents,commune,0.15,0.70,0.10,0.55,
32092,Xã Hồ Thị Kỷ,residents,commune,0.18,0.65,0.20,0.50,
32002,Phường An Xuyên,residents,ward,0.12,0.80,0.05,0.60,
H1,Bệnh viện A,facilities,hospital,,,,,
H2,Trạm Y tế xã B,facilities,health_station,,,,,
A1,Sở Y tế,cadres,agency,,,,,1.0
A2,Sở Nội vụ,cadres,agency,,,,,1.0
"""
PHASES = "name,start,end,assumed\nGiai đoạn 1,2025-05-15,2025-08-14,true\nGiai đoạn 2,2025-08-15,2025-11-14,false\n"
CENTRAL = ("as_of,integrated_central,rate,rank,n_provinces\n2025-08-08,100,0.18,30,34\n"
           "2025-11-04,,0.22,28,34\n2025-11-14,900,,,\n")
HEADER = "code,name,track,eligible,supported,integrated_central\n"
REPORTS = {
    "2025-08-08": HEADER + "32248,Xã Đất Mũi,residents,1000,200,50\n32092,Xã Hồ Thị Kỷ,residents,2000,300,60\n"
                  "32002,Phường An Xuyên,residents,3000,400,70\nH1,Bệnh viện A,facilities,5000,800,100\n"
                  "H2,Trạm Y tế xã B,facilities,500,10,2\nA1,Sở Y tế,cadres,100,60,\nA2,Sở Nội vụ,cadres,50,20,\n",
    "2025-11-14": HEADER + "32248,Xã Đất Mũi,residents,1000,450,150\n32092,Xã Hồ Thị Kỷ,residents,2000,700,160\n"
                  "H1,Bệnh viện A,facilities,5000,1900,300\nH2,Trạm Y tế xã B,facilities,500,30,5\n"
                  "A1,Sở Y tế,cadres,100,100,\n",
}


def write_data_dir(root: Path, reports: dict[str, str] | None = None, **files: str) -> Path:
    """A small valid data directory (Ca Mau communes), with any file replaced by ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    contents = {"units.csv": UNITS, "phases.csv": PHASES, "central.csv": CENTRAL, **files}
    for name, text in contents.items():
        (root / name).write_text(text, encoding="utf-8")
    for date, text in (REPORTS if reports is None else reports).items():
        (root / "reports" / f"{date}.csv").write_text(text, encoding="utf-8")
    return root


def frame(text: str) -> pd.DataFrame:
    """A CSV text as a DataFrame (for expected values)."""
    import io

    return pd.read_csv(io.StringIO(text))


# Unit names that try to run code or to link out: the safety tests' (what a browser would run: a script
# that retitles the page, an image whose handler marks the body, a link) and the render tests' (an alert,
# an image with an alert handler, the same link). One data set carries them all, rendered once a session
# (conftest.evil_reports): each unit is named by both tests' strings, in the unit each test used.
INJECTED = ["<script>document.title='PWNED'</script>",
            "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
            "[click](http://evil.example)"]
EVIL = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "[click](http://evil.example)"]
EVIL_NAMES = {"Bệnh viện A": INJECTED[0] + EVIL[0], "Trạm Y tế xã B": INJECTED[1] + EVIL[1], "Sở Nội vụ": INJECTED[2]}
assert INJECTED[2] == EVIL[2]


def csv_field(text: str) -> str:
    """``text`` as one quoted CSV field."""
    return '"' + text.replace('"', '""') + '"'


def write_evil_data_dir(root: Path) -> Path:
    """The small data directory with the units of ``EVIL_NAMES`` renamed, in units.csv and every report."""
    units, reports = UNITS, dict(REPORTS)
    for plain, evil in EVIL_NAMES.items():
        units = units.replace(plain, csv_field(evil))
        reports = {d: t.replace(plain, csv_field(evil)) for d, t in reports.items()}
    return write_data_dir(root, reports=reports, **{"units.csv": units})
