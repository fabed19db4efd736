"""Where things live: the project root and its data and report folders.

Every path in the package and the notebooks is built from here, so a notebook never
builds a path by hand and a relative ``data_dir`` means the same thing from any working
directory (a notebook under nbval runs with ``notebooks/`` as its working directory).
"""

from __future__ import annotations

from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
PUBLISHED_DIR = DATA_DIR / "published"
RAW_DIR = DATA_DIR / "raw"
NATIONAL_DIR = RAW_DIR / "national"  # the synthetic national data set (generated, not committed)
REPORTS_DIR = PROJ_ROOT / "reports"
TEMPLATE_DIR = Path(__file__).resolve().parent / "reports" / "templates"


def resolve_path(path: str | Path) -> Path:
    """Return ``path`` as an absolute path, reading a relative one from the project root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else (PROJ_ROOT / path).resolve()
