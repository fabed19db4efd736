"""Run every notebook with papermill and render self-contained HTML reports for a period.

The run writes into a temporary folder beside ``reports/<period>/`` and replaces that folder
only when every notebook succeeded, so a failed run leaves the previous report as it was and
keeps the failing executed notebook in ``reports/<period>.failed/`` for debugging.

Notebooks run in two worker processes (one per core). Each worker starts one kernel and keeps it
for the notebooks it is given, clearing the kernel's namespace between them: the packages are
imported once per worker, not once per notebook. The worker also turns its executed notebook
into HTML, so rendering is spread over the cores too.
"""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from analysis.config import NOTEBOOKS_DIR, REPORTS_DIR
from analysis.parameters import OPTIONS, Params, notebook_options
from analysis.reports.brief import period_brief
from analysis.reports.export import archive_page, export_html, exporter, index_page, report_title
from analysis.reports.labels import label
from analysis.reports.word import write_word

KERNEL_NAME = "python3"


class RenderError(RuntimeError):
    """A notebook failed; the message says which, why, and where its executed copy was kept."""


def notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report notebooks, in order (``01_...``, ``02_...``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def all_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Every notebook of the workbook: the report notebooks and the national comparison."""
    return notebooks(folder) + sorted((folder / "national").glob("*.ipynb"))


def strip_outputs(path: Path, write: bool = True) -> bool:
    """Remove outputs and execution counts from a notebook; True when it had any (written back if ``write``)."""
    import nbformat  # here, not at the top: its import (jsonschema's format checkers) costs the runner 1.7 s

    nb = nbformat.read(path, as_version=4)
    dirty = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count, dirty = [], None, True
    if dirty and write:
        nbformat.write(nb, path)
    return dirty


def _failure_message(name: str, err: Exception, kept: Path) -> str:
    reason = getattr(err, "evalue", None) or str(err).strip().splitlines()[-1]
    return f"Notebook {name} failed: {reason}\nThe executed notebook is kept at {kept} for debugging."


@dataclass(frozen=True, eq=False)
class Job:
    """One notebook to execute with its parameters, and the HTML page to render from it."""

    notebook: Path
    executed: Path
    parameters: dict
    html: Path
    title: str
    lang: str
    name: str = ""  # how progress lines and failures name it (default: the notebook's stem)

    @property
    def shown(self) -> str:
        return self.name or self.notebook.stem


# Seconds each notebook takes on the sample (benchmarks/results/report_speed.md): the longest start first.
COST = {"01_phase_results": 4.4, "03_target_projection": 3.2, "04_outreach_plan": 2.9, "02_uptake_drivers": 2.0}
_KERNEL = None  # the worker process's kernel manager, started by its first job
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


KERNEL_TRIES = 3  # a kernel that dies before it answers is started again, this many times in all


def _kernel():
    """This worker's kernel and its client: started on first use (one BLAS thread), cleared
    before every later job.

    The kernel talks to the worker over Unix sockets with a name of its own (``transport="ipc"``),
    not TCP ports: ports are chosen free and then bound by the kernel, and two workers starting
    kernels at the same moment could be given the same ones, when one kernel dies before it
    answers ("Kernel died before replying to kernel_info", jupyter_client issue #154). A kernel
    that dies at start all the same is started again (``KERNEL_TRIES``); its own log is kept in a
    file and shown only when every try failed."""
    global _KERNEL
    from jupyter_core.utils import run_sync

    if _KERNEL is not None and run_sync(_KERNEL[0].is_alive)():
        run_sync(_clear)(_KERNEL[1])
        return _KERNEL
    for attempt in range(1, KERNEL_TRIES + 1):
        try:
            manager, client = _start_kernel()
            break
        except RuntimeError as err:
            if attempt == KERNEL_TRIES:
                raise RuntimeError(f"the notebook kernel did not start ({KERNEL_TRIES} tries): {err}") from None
    multiprocessing.util.Finalize(manager, _stop, args=(manager, client), exitpriority=10)
    _KERNEL = (manager, client)
    return _KERNEL


def _start_kernel():
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    env = {**os.environ, **{name: "1" for name in BLAS_THREADS}}
    sweep_sockets(Path(tempfile.gettempdir()))
    sockets = Path(tempfile.gettempdir()) / f"{SOCKETS}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(sockets))
    log = tempfile.TemporaryFile()  # the kernel's own log is not for the reader; cell errors come back as outputs
    run_sync(manager.start_kernel)(cwd=str(NOTEBOOKS_DIR), env=env, stderr=log)
    client = manager.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=60)
    except RuntimeError as err:
        _stop(manager, client)
        log.seek(0)
        tail = log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{err}; its last words: {' | '.join(tail) or '(none)'}") from None
    client.allow_stdin = False
    return manager, client


SOCKETS = "uptake-kernel-"  # the kernels' socket files: SOCKETS<worker pid>-<id>-<channel>, in the temporary folder


def sweep_sockets(folder: Path) -> list[Path]:
    """Remove the socket files of kernels whose worker is gone without stopping them (a run killed
    with SIGKILL leaves five per kernel); return them. A live worker's files stay."""
    gone = []
    for path in folder.glob(f"{SOCKETS}*"):
        pid = path.name[len(SOCKETS):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
            gone.append(path)
        except PermissionError:  # another user's live process
            pass
    return gone


async def _clear(client) -> None:
    """Forget the previous notebook: its variables, figures and display settings."""
    await client.execute_interactive("get_ipython().reset(new_session=False, aggressive=False)\n"
                                     "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt",
                                     timeout=60, store_history=False)


def _stop(manager, client) -> None:
    from jupyter_core.utils import run_sync

    try:
        client.stop_channels()
        run_sync(manager.shutdown_kernel)(now=True)
    except Exception:  # already gone
        pass


def run_job(job: Job) -> Path:
    """Execute one notebook in this worker's kernel and write its HTML page; return the page.

    Parameters are injected by papermill (a cell tagged ``injected-parameters`` after the one
    tagged ``parameters``); nbclient runs the cells on the worker's kernel and client. The executed
    notebook is written only when a cell fails, for debugging.
    """
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    manager, client = _kernel()
    nb = parameterize_notebook(load_notebook_node(str(job.notebook)), job.parameters, kernel_name=KERNEL_NAME,
                               language="python")
    runner = NotebookClient(nb, km=manager, kernel_name=KERNEL_NAME, allow_errors=False,
                            resources={"metadata": {"path": str(job.notebook.parent)}})
    runner.kc = client
    try:
        runner.execute()
    except Exception:
        job.executed.parent.mkdir(parents=True, exist_ok=True)
        import nbformat

        nbformat.write(nb, job.executed)
        raise
    job.html.write_text(export_html(nb, job.title, job.lang, _worker_exporter()), encoding="utf-8")
    return job.html


_EXPORTER = None


def _worker_exporter():
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = exporter()
    return _EXPORTER


WARM_UP = ("import analysis.reports.frame, analysis.reports.phase_report, analysis.analyses.phase_results, "
           "analysis.reports.drivers_report, analysis.reports.projection_report, "
           "analysis.reports.outreach_report, analysis.reports.figures, analysis.reports.present")


def _watch_parent(parent: int) -> None:
    """End this worker (and so its kernel, which watches the worker) when the runner is gone, e.g. killed."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _warm_up() -> None:
    """A new worker: watch the runner, import what the reports need, in the worker and (without
    waiting) in its kernel."""
    import threading

    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    _, client = _kernel()
    client.execute(WARM_UP, silent=True, store_history=False)  # the first job's reset waits for it
    _worker_exporter()
    import nbclient  # noqa: F401
    import papermill.parameterize  # noqa: F401


def _started() -> None:
    """A task that makes the pool start a worker."""


def worker_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """Workers with a warm kernel each (one per core, at most two): start it early, e.g. while data are checked."""
    workers = workers or max(1, min(os.cpu_count() or 1, 2))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_up)
    for _ in range(workers):  # a worker is started per task submitted while none is idle
        pool.submit(_started)
    return pool


def run_jobs(jobs: list[Job], progress: Callable[[str], None], pool: ProcessPoolExecutor | None = None) -> dict[Job, Exception]:
    """Run every job on the pool's workers (a new pool if none), the longest notebooks first;
    return the failed ones with their error."""
    failures: dict[Job, Exception] = {}
    own = pool is None
    pool = pool or worker_pool()
    try:
        futures = {}
        ordered = sorted(jobs, key=lambda job: COST.get(job.notebook.stem, 0), reverse=True)
        for i, job in enumerate(ordered, start=1):
            progress(f"[{i}/{len(jobs)}] {job.shown}: running")
            futures[pool.submit(run_job, job)] = job
        for future in as_completed(futures):
            job = futures[future]
            if future.cancelled():
                continue
            try:
                future.result()
                progress(f"{job.shown}: executed")
            except Exception as err:  # papermill raises several kinds; all stop the run alike
                failures[job] = err
                for pending in futures:  # the run has failed: what has not started will not be needed
                    pending.cancel()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    return failures


def _jobs(sources: list[Path], work: Path, params: Params, prefix: str = "", options: dict | None = None) -> list[Job]:
    """One job per notebook: the shared parameters, and of ``options`` those the notebook takes."""
    work.mkdir(parents=True, exist_ok=True)  # executed/ is written only for a failing notebook
    parameters = {**params.as_notebook_parameters(), "out_dir": str(work)}
    return [Job(nb, work / "executed" / nb.name, {**parameters, **notebook_options(nb.stem, options or {})},
                work / f"{nb.stem}.html", report_title(nb.stem, params.lang), params.lang, f"{prefix}{nb.stem}")
            for nb in sources]


PARAMETERS_FILE = "parameters.yaml"


def previous_period(out: Path, params: Params) -> str:
    """The folder of the latest period rendered in ``out`` whose data end before ``params.as_of`` ("" if none)."""
    import pandas as pd

    found = []
    for folder in out.iterdir():
        headline = folder / "headline.csv"
        if folder.name != params.period and not folder.name.startswith(".") and headline.is_file():
            as_of = pd.read_csv(headline, encoding="utf-8-sig", usecols=["as_of"], nrows=1)["as_of"]
            if len(as_of) and pd.Timestamp(as_of.iloc[0]) < params.as_of:
                found.append((pd.Timestamp(as_of.iloc[0]), folder.name, folder))
    return str(max(found)[2]) if found else ""


def write_parameters(params: Params, options: dict, folder: Path) -> Path:
    """Record the run's parameters beside its reports, as a file that ``--params`` reruns exactly."""
    import yaml

    recorded = {**params.as_notebook_parameters(), **{name: options.get(name, o.default) for name, o in OPTIONS.items()}}
    path = folder / PARAMETERS_FILE
    path.write_text("# The parameters of this run; rerun it with: python -m analysis report --params " + PARAMETERS_FILE
                    + "\n" + yaml.safe_dump(recorded, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def render_reports(params: Params, out: Path = REPORTS_DIR, sources: list[Path] | None = None,
                   progress: Callable[[str], None] = print, pool: ProcessPoolExecutor | None = None,
                   options: dict | None = None) -> Path:
    """Render every notebook for ``params`` (and the notebook ``options``, checked by
    ``parameters.check_option``) into ``<out>/<period>/`` with an ``index.html`` and the
    ``parameters.yaml`` that reruns it.

    Returns the folder. Raises ``RenderError`` when a notebook fails (the previous report stays,
    the failing executed notebook is kept in ``<out>/<period>.failed/``).
    """
    sources = notebooks() if sources is None else sources
    out.mkdir(parents=True, exist_ok=True)
    final = out / params.period
    work = Path(tempfile.mkdtemp(prefix=f".{params.period}.", dir=out))
    pool = pool or worker_pool()  # the run owns the pool: shut down at its end
    try:
        options = {**(options or {})}
        if not options.get("previous_report"):  # compare with the latest period rendered before this one
            options["previous_report"] = previous_period(out, params)
        jobs = _jobs(sources, work, params, options=options)
        from analysis.analyses.shared import folder_lock
        from analysis.data.dataset import SHARED, share_data_dir

        share_data_dir(params.data_dir, params.province_code, params.target_rate, work)  # read once, not per kernel
        failures = run_jobs(jobs, progress, pool)
        if failures:
            _keep_failed(next(job for job in jobs if job in failures), failures, out / f"{params.period}.failed")
        pages = [(job.html.name, job.title) for job in jobs]
        progress("rendered to HTML")
        brief = period_brief(work, params, options)  # read once: the index and the Word report show it
        word = write_word(work, params, brief, options.get("amber_at", OPTIONS["amber_at"].default))
        if word is not None:
            pages.append((word.name, label("word_link", params.lang)))
            progress(f"written {word.name}")
        (work / "index.html").write_text(index_page(params, pages, work, options=options, brief=brief), encoding="utf-8")
        write_parameters(params, options or {}, work)
        shutil.rmtree(work / SHARED, ignore_errors=True)  # the results the notebooks shared (analyses.shared)
        with folder_lock(out):  # two runs at once: the later to list the periods writes the list last
            _replace(work, final)
            shutil.rmtree(out / f"{params.period}.failed", ignore_errors=True)
            _write_atomic(out / "index.html", archive_page(out, params.lang))
    finally:
        pool.shutdown(cancel_futures=True)
        shutil.rmtree(work, ignore_errors=True)
    progress(f"Reports written to {final}")
    return final


def _keep_failed(job: Job, failures: dict[Job, Exception], kept: Path) -> None:
    """Keep the failing executed notebook in ``kept`` and raise the reader's message."""
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    if job.executed.exists():
        shutil.copy2(job.executed, kept / job.notebook.name)
    message = _failure_message(job.shown, failures[job], kept / job.notebook.name)
    others = len(failures) - 1
    raise RenderError(message + (f"\n{others} other notebook(s) failed too." if others else ""))


NATIONAL_NOTEBOOK = NOTEBOOKS_DIR / "national" / "national_comparison.ipynb"


def render_national(params: Params, out: Path = REPORTS_DIR, progress: Callable[[str], None] = print,
                    pool: ProcessPoolExecutor | None = None) -> Path:
    """Every province's reports, then the national comparison, into ``<out>/<period>/``.

    ``params.data_dir`` is the national data directory (one ``<code>-<name>/`` folder per
    province, ``provinces.csv``). Each province's reports go to ``<period>/<code>-<name>/``; the
    comparison is ``<period>/index.html`` with ``national_comparison.csv``. As with
    ``render_reports``, the folder is replaced only when everything succeeded.
    """
    from analysis.analyses.national import province_folders
    from analysis.parameters import validate_parameters

    folders = province_folders(params.data_dir)
    out.mkdir(parents=True, exist_ok=True)
    final = out / params.period
    work = Path(tempfile.mkdtemp(prefix=f".{params.period}.", dir=out))
    pool = pool or worker_pool()
    try:
        sources, jobs, by_province = notebooks(), [], []
        for province in folders:
            shared = params.as_notebook_parameters()
            own = validate_parameters(params.period, shared["as_of"], str(province.folder), params.target_rate,
                                      shared["deadline"], str(province.code), params.lang)
            found = _jobs(sources, work / province.folder.name, own, f"{province.folder.name}/")
            _share_province(province.folder, own, work / province.folder.name)  # before any kernel runs
            jobs += found
            by_province.append((own, work / province.folder.name, found))
        failures = run_jobs(jobs, progress, pool)
        if failures:
            job = next(j for j in jobs if j in failures)
            _keep_failed(job, failures, out / f"{params.period}.failed" / job.executed.parent.parent.name)
        from analysis.data.dataset import SHARED

        for own, folder, found in by_province:
            shutil.rmtree(folder / SHARED, ignore_errors=True)  # what the province's notebooks shared
            pages = [(job.html.name, job.title) for job in found]
            (folder / "index.html").write_text(index_page(own, pages, folder, up="../index.html"), encoding="utf-8")
        parameters = {key: value for key, value in params.as_notebook_parameters().items() if key != "data_dir"}
        comparison = Job(NATIONAL_NOTEBOOK, work / "national_comparison.ipynb",
                         {**parameters, "national_dir": str(params.data_dir), "reports_dir": str(work), "out_dir": str(work)},
                         work / "index.html", label("national_title", params.lang), params.lang, "national_comparison")
        failures = run_jobs([comparison], progress, pool)
        if failures:
            _keep_failed(comparison, failures, out / f"{params.period}.failed")
        progress("rendered to HTML")
        _replace(work, final)
        shutil.rmtree(out / f"{params.period}.failed", ignore_errors=True)
    finally:
        pool.shutdown(cancel_futures=True)
        shutil.rmtree(work, ignore_errors=True)
    progress(f"Reports written to {final}")
    return final


def _share_province(folder: Path, params: Params, work: Path) -> None:
    """Read and check one province's data before any notebook runs, and keep them for its notebooks
    (as ``render_reports`` does): bad data stop the national run at once, naming the province's folder."""
    from analysis.data.dataset import share_data_dir
    from analysis.errors import DataError

    try:
        share_data_dir(params.data_dir, params.province_code, params.target_rate, work)
    except DataError as err:
        raise DataError(err.problem, file=f"{folder.name}/{err.file}" if err.file else folder.name, sheet=err.sheet,
                        row=err.row, column=err.column, value=err.value, hint=err.hint) from None


def _write_atomic(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file, so a reader never sees half a page."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


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