"""The command line: ``python -m analysis report`` renders every report; ``sample`` writes the sample data.

Options mirror the notebook parameters. Bad parameters or data stop the run before any
notebook starts, with one message and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.config import NATIONAL_DIR, RAW_DIR, REPORTS_DIR, SAMPLE_DIR, resolve_path
from analysis.errors import DataError, ParameterError
from analysis.parameters import (
    DEFAULTS,
    OPTIONS,
    check_option,
    check_options,
    notebook_options,
    validate_parameters,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="run every notebook and render the period's HTML reports")
    # The shared options default to None, so that a --params file fills what the command line leaves out.
    report.add_argument("--data-dir", help=f"data directory (default: {DEFAULTS['data_dir']}, the sample)")
    report.add_argument("--as-of", help=f"date of the report snapshot, YYYY-MM-DD (default: {DEFAULTS['as_of']})")
    report.add_argument("--period", help="period label, the report folder's name (default: the as-of date)")
    report.add_argument("--deadline", help=f"date by which the target should be reached (default: {DEFAULTS['deadline']})")
    report.add_argument("--target-rate", help="target share, 0.40 for 40%% (default: 0.40)")
    report.add_argument("--lang", help="report language: vi or en (default: vi)")
    report.add_argument("--province", help=f"province name or code (default: {DEFAULTS['province']})")
    report.add_argument("--out", default=str(REPORTS_DIR), help="folder that receives <period>/ (default: reports/)")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a notebook parameter, as papermill takes it (e.g. -p teams 40); "
                             "the list: " + ", ".join(OPTIONS))
    report.add_argument("--params", metavar="FILE", help="a YAML or TOML file of parameters (name: value), e.g. the "
                        "parameters.yaml written beside a period's reports, to rerun it exactly")
    national = commands.add_parser("national", help="render every province's reports and the national comparison")
    national.add_argument("--data-dir", default=str(NATIONAL_DIR),
                          help="national data directory: one <code>-<name>/ folder per province and provinces.csv "
                               "(write a synthetic one with: python -m analysis sample --national DIR)")
    national.add_argument("--as-of", help=f"date of the report snapshot, YYYY-MM-DD (default: the campaign's, else "
                                          f"{DEFAULTS['as_of']})")
    national.add_argument("--period", default="", help="the report folder's name (default: national-<as-of date>)")
    national.add_argument("--deadline", help="date by which the target should be reached (default: the campaign's)")
    national.add_argument("--target-rate", help="target share, 0.40 for 40%% (default: the campaign's, else 0.40)")
    national.add_argument("--lang", default=DEFAULTS["lang"], help="report language: vi or en")
    national.add_argument("--out", default=str(REPORTS_DIR), help="folder that receives <period>/ (default: reports/)")
    strip = commands.add_parser("strip-outputs", help="remove outputs from notebooks before they are committed")
    strip.add_argument("notebooks", nargs="*", help="notebook files (default: every notebook in notebooks/)")
    strip.add_argument("--check", action="store_true", help="only report notebooks with outputs; exit 1 if any")
    sample = commands.add_parser("sample", help="write the synthetic sample data set")
    sample.add_argument("--out", help="folder to write (default: data/sample; see --national and --campaign)")
    sample.add_argument("--xlsx", default="", help="also write the sample as the department's Excel workbooks here")
    sample.add_argument("--province", default="", help="write instead a synthetic data set for this province (code or name)")
    sample.add_argument("--national", action="store_true",
                        help="write instead the national data set: every province (default folder: data/raw/national)")
    sample.add_argument("--campaign", default="", metavar="NAME",
                        help="write instead the synthetic data set of another campaign, with its campaign.toml: "
                             "level2-eid or qr-checkin (default folder: data/raw/<NAME>; with --national, "
                             "data/raw/national-<NAME>)")
    return parser


def _report(args: argparse.Namespace) -> Path:
    from analysis.runner import render_reports, worker_pool

    shared, options = run_parameters(args)
    params = validate_parameters(**shared)
    pool = worker_pool()  # kernels start while the data are checked
    try:
        from analysis.data.dataset import load_data_dir

        load_data_dir(params.data_dir, params.province_code, params.target_rate)  # stop on bad data first
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return render_reports(params, resolve_path(args.out), pool=pool, options=options)


SHARED_FLAGS = {"period": "period", "as_of": "as_of", "data_dir": "data_dir", "target_rate": "target_rate",
                "deadline": "deadline", "province": "province", "lang": "lang"}


def run_parameters(args: argparse.Namespace) -> tuple[dict, dict]:
    """The shared parameters and the notebook options of a report run, checked: the defaults, then the
    ``--params`` file, then the command line's options, then its ``-p NAME VALUE`` pairs."""
    given = read_params_file(Path(args.params)) if args.params else {}
    for flag in SHARED_FLAGS:
        if getattr(args, flag) is not None:
            given[flag] = getattr(args, flag)
    given.update({name: papermill_value(value) for name, value in args.parameter})
    defaults = {**DEFAULTS, **campaign_defaults(given.get("data_dir", DEFAULTS["data_dir"]))}
    shared = {name: given.pop(name, defaults[name]) for name in DEFAULTS}
    options = {**{name: o.default for name, o in OPTIONS.items()},
               **{name: check_option(name, given[name]) for name in given}}
    for notebook in {nb for o in OPTIONS.values() for nb in o.notebooks}:  # the rules across a notebook's options
        check_options(notebook, **notebook_options(notebook, options))
    return shared, options


def campaign_defaults(data_dir: str) -> dict:
    """The run's defaults that the data directory's campaign.toml gives (target, deadline, as-of date,
    province): a parameter given on the command line or in a --params file still wins."""
    from analysis.data.campaign import FILE, read_campaign_file

    path = resolve_path(data_dir) / FILE
    if not path.is_file():
        return {}
    campaign = read_campaign_file(path)
    found = {"target_rate": campaign.target_rate, "deadline": campaign.deadline, "as_of": campaign.as_of,
             "province": campaign.province}
    return {name: value for name, value in found.items() if value is not None}


def papermill_value(text: str) -> object:
    """A ``-p`` value typed as papermill types it (True/False/None, int, float, else the text), so the
    same mistake gets the same sentence through the runner and through papermill."""
    special = {"True": True, "False": False, "None": None}
    if text in special:
        return special[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def read_params_file(path: Path) -> dict:
    """A parameters file: a YAML (``.yaml``/``.yml``) or TOML (``.toml``) mapping of names to values."""
    import tomllib

    import yaml

    if not path.is_file():
        raise ParameterError(f"Parameter file {path} does not exist: give the path of a .yaml or .toml file.")
    text = path.read_text(encoding="utf-8")
    try:
        found = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as err:
        raise ParameterError(f"Parameter file {path} cannot be read ({str(err).splitlines()[0]}): "
                             "write one 'name: value' per line (YAML) or 'name = value' (TOML).") from None
    if not isinstance(found, dict):
        raise ParameterError(f"Parameter file {path} holds no mapping: write one 'name: value' per line.")
    return {str(k): (str(v) if hasattr(v, "isoformat") else v) for k, v in found.items()}


def _national(args: argparse.Namespace) -> Path:
    from analysis.analyses.national import province_folders
    from analysis.runner import render_national

    folder = resolve_path(args.data_dir)
    if not folder.is_dir():
        raise ParameterError(f"Parameter data_dir={args.data_dir!r}: the folder {folder} does not exist; write the "
                             "synthetic national data set with: python -m analysis sample --national")
    folders = province_folders(folder)  # a national directory at all; each province's data are checked by its notebooks
    defaults = {**DEFAULTS, **campaign_defaults(str(folders[0].folder))}  # the provinces' campaign (one, checked)
    chosen = {name: getattr(args, name) if getattr(args, name) is not None else defaults[name]
              for name in ("as_of", "deadline", "target_rate")}
    params = validate_parameters(period=args.period or f"national-{chosen['as_of']}", data_dir=args.data_dir,
                                 lang=args.lang, **chosen)
    return render_national(params, resolve_path(args.out))


def _strip(args: argparse.Namespace) -> int:
    from analysis.runner import all_notebooks, strip_outputs

    paths = [Path(p) for p in args.notebooks] or all_notebooks()
    dirty = [p for p in paths if strip_outputs(p, write=not args.check)]
    for path in dirty:
        print(f"{path}: {'has outputs: run python -m analysis strip-outputs' if args.check else 'outputs removed'}")
    return 1 if (args.check and dirty) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 done, 2 bad parameters or data, 1 a notebook failed, 3 a bug)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "strip-outputs":
            return _strip(args)
        if args.command == "sample":
            from analysis.data.register import find_province
            from analysis.synthetic.sample import (
                write_department_xlsx,
                write_other_province,
                write_sample,
            )

            if args.campaign and (args.province or args.xlsx):
                raise ParameterError("--campaign writes its own province's data set: leave out --province and --xlsx.")
            if args.campaign:
                from analysis.synthetic.campaigns import (
                    write_campaign_national,
                    write_campaign_sample,
                )

                default = RAW_DIR / (f"national-{args.campaign}" if args.national else args.campaign)
                out = resolve_path(args.out or default)
                write = write_campaign_national if args.national else write_campaign_sample
                written = write(args.campaign, out)
            elif args.national:
                from analysis.synthetic.national_sample import write_national

                out = resolve_path(args.out if args.out not in (None, str(SAMPLE_DIR)) else NATIONAL_DIR)
                written = write_national(out)
            elif args.province:
                written = write_other_province(int(find_province(args.province)["code"]),
                                               resolve_path(args.out or SAMPLE_DIR))
            else:
                written = write_sample(resolve_path(args.out or SAMPLE_DIR))
                if args.xlsx:
                    written += write_department_xlsx(resolve_path(args.out or SAMPLE_DIR), resolve_path(args.xlsx))
            for path in written:
                print(path)
            return 0
        if args.command == "national":
            _national(args)
            return 0
        _report(args)
        return 0
    except (ParameterError, DataError) as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: one line for the analyst, the full trace in a file
        path = write_trace(err)
        print(f"Error: an unexpected problem (a bug): {type(err).__name__}: {err}. "
              f"Please report it with the file {path}", file=sys.stderr)
        return 3


def write_trace(err: BaseException) -> Path:
    """Write the full traceback of an unexpected exception to a new file in the system's temporary
    folder (``analysis-errors/``) and return its path."""
    import tempfile
    import time
    import traceback

    folder = Path(tempfile.gettempdir()) / "analysis-errors"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"error-{time.strftime('%Y%m%d-%H%M%S')}-{id(err):x}.txt"
    path.write_text("".join(traceback.format_exception(err)), encoding="utf-8")
    return path
