"""Run every notebook with papermill and render self-contained HTML reports for a period.

The run writes into a temporary folder beside ``reports/<period>/`` and replaces that folder
only when every notebook succeeded, so a failed run leaves the previous report as it was and
keeps the failing executed notebook in ``reports/<period>.failed/`` for debugging.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import papermill as pm
from nbconvert import HTMLExporter

from analysis.config import NOTEBOOKS_DIR, REPORTS_DIR, TEMPLATE_DIR
from analysis.labels import NOTEBOOK_TITLES, label
from analysis.parameters import Params
from analysis.present import esc, fmt_date, fmt_pct, provenance_lines

KERNEL_NAME = "python3"


class RenderError(RuntimeError):
    """A notebook failed; the message says which, why, and where its executed copy was kept."""


def notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report notebooks, in order (``01_...``, ``02_...``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def strip_outputs(path: Path, write: bool = True) -> bool:
    """Remove outputs and execution counts from a notebook; True when it had any (written back if ``write``)."""
    nb = nbformat.read(path, as_version=4)
    dirty = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count, dirty = [], None, True
    if dirty and write:
        nbformat.write(nb, path)
    return dirty


def report_title(stem: str, lang: str) -> str:
    """The reader's title of a notebook's report."""
    return label(NOTEBOOK_TITLES[stem], lang) if stem in NOTEBOOK_TITLES else stem


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATE_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def export_html(executed: Path, title: str, lang: str, exporter: HTMLExporter | None = None) -> str:
    """The executed notebook as one self-contained HTML page (no code, images embedded)."""
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["report"] = {"title": title, "lang": lang}
    for i, cell in enumerate(nb.cells):  # papermill gives its injected cell a random id
        cell["id"] = f"cell-{i}"
    body, _ = (exporter or _exporter()).from_notebook_node(nb)
    return body


def _failure_message(name: str, err: Exception, kept: Path) -> str:
    reason = getattr(err, "evalue", None) or str(err).strip().splitlines()[-1]
    return f"Notebook {name} failed: {reason}\nThe executed notebook is kept at {kept} for debugging."


def _execute(notebook: Path, executed: Path, params: Params, out_dir: Path) -> None:
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one core per kernel
        os.environ.setdefault(name, "1")
    pm.execute_notebook(
        str(notebook), str(executed), parameters={**params.as_notebook_parameters(), "out_dir": str(out_dir)},
        kernel_name=KERNEL_NAME, progress_bar=False, cwd=str(notebook.parent), log_output=False,
    )


def _run_all(sources: list[Path], work: Path, params: Params, progress: Callable[[str], None]) -> dict[Path, Exception]:
    """Execute every notebook into ``work/executed``, two at a time on a machine with two cores or more.

    Returns the notebooks that failed, with their error.
    """
    (work / "executed").mkdir(exist_ok=True)
    workers = max(1, min(len(sources), os.cpu_count() or 1, 2))
    failures: dict[Path, Exception] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {}
        for i, notebook in enumerate(sources, start=1):
            progress(f"[{i}/{len(sources)}] {notebook.stem}: running")
            futures[pool.submit(_execute, notebook, work / "executed" / notebook.name, params, work)] = notebook
        for future in as_completed(futures):
            notebook = futures[future]
            try:
                future.result()
                progress(f"{notebook.stem}: executed")
            except Exception as err:  # papermill raises several kinds; all stop the run alike
                failures[notebook] = err
    return failures


def render_reports(params: Params, out: Path = REPORTS_DIR, sources: list[Path] | None = None,
                   progress: Callable[[str], None] = print) -> Path:
    """Render every notebook for ``params`` into ``<out>/<period>/`` with an ``index.html``.

    Returns the folder. Raises ``RenderError`` when a notebook fails (the previous report stays,
    the failing executed notebook is kept in ``<out>/<period>.failed/``).
    """
    sources = notebooks() if sources is None else sources
    out.mkdir(parents=True, exist_ok=True)
    final = out / params.period
    work = Path(tempfile.mkdtemp(prefix=f".{params.period}.", dir=out))
    try:
        failures = _run_all(sources, work, params, progress)
        if failures:
            notebook = next(nb for nb in sources if nb in failures)
            kept = out / f"{params.period}.failed"
            shutil.rmtree(kept, ignore_errors=True)
            kept.mkdir()
            executed = work / "executed" / notebook.name
            if executed.exists():
                shutil.copy2(executed, kept / notebook.name)
            raise RenderError(_failure_message(notebook.stem, failures[notebook], kept / notebook.name))
        exporter, pages = _exporter(), []
        for notebook in sources:
            title = report_title(notebook.stem, params.lang)
            html = export_html(work / "executed" / notebook.name, title, params.lang, exporter)
            (work / f"{notebook.stem}.html").write_text(html, encoding="utf-8")
            pages.append((f"{notebook.stem}.html", title))
        progress("rendered to HTML")
        shutil.rmtree(work / "executed")
        (work / "index.html").write_text(index_page(params, pages, work), encoding="utf-8")
        _replace(work, final)
        shutil.rmtree(out / f"{params.period}.failed", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(f"Reports written to {final}")
    return final


def _replace(work: Path, final: Path) -> None:
    """Put ``work`` in place of ``final`` (the old folder is removed only after the swap)."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    work.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _css() -> str:
    return (TEMPLATE_DIR / "report" / "report.css").read_text(encoding="utf-8")


def index_page(params: Params, pages: list[tuple[str, str]], folder: Path) -> str:
    """The period's index: parameters, links to every report, the data files read and their provenance."""
    import pandas as pd

    lang = params.lang
    provenance_path = params.data_dir / "provenance.json"
    provenance = json.loads(provenance_path.read_text(encoding="utf-8")) if provenance_path.is_file() else {}
    links = "".join(f'<li><a href="{esc(href)}">{esc(title)}</a></li>' for href, title in pages)
    parts = [f"<h1>{esc(label('index_title', lang, period=params.period))}</h1>",
             f"<p class='subtitle'>{esc(label('subtitle', lang, province=params.province, as_of=fmt_date(params.as_of, lang), target=fmt_pct(params.target_rate, lang, 0)))}</p>",
             f"<h2>{esc(label('index_reports', lang))}</h2><ul class='reports'>{links}</ul>"]
    files = folder / "files_read.csv"
    if files.is_file():
        from analysis.phase_report import files_table

        table = files_table(pd.read_csv(files, encoding="utf-8-sig"), lang)
        parts.append(f"<h2>{esc(label('index_files', lang))}</h2>{table}")
    notes = provenance_lines(params.as_notebook_parameters(), provenance, [], lang)
    parts += [f"<p class='footer'>{esc(n)}</p>" for n in notes]
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f"<title>{esc(label('index_title', lang, period=params.period))}</title><style>{_css()}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>")
