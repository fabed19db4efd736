"""The command line: ``python -m analysis report`` renders every report; ``sample`` writes the sample data.

Options mirror the notebook parameters. Bad parameters or data stop the run before any
notebook starts, with one message and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.config import NATIONAL_DIR, REPORTS_DIR, SAMPLE_DIR, resolve_path
from analysis.errors import DataError, ParameterError
from analysis.parameters import DEFAULTS, validate_parameters


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="run every notebook and render the period's HTML reports")
    report.add_argument("--data-dir", default=DEFAULTS["data_dir"], help="data directory (default: the sample)")
    report.add_argument("--as-of", default=DEFAULTS["as_of"], help="date of the report snapshot, YYYY-MM-DD")
    report.add_argument("--period", default=DEFAULTS["period"], help="period label, the report folder's name (default: the as-of date)")
    report.add_argument("--deadline", default=DEFAULTS["deadline"], help="date by which the target should be reached")
    report.add_argument("--target-rate", default=DEFAULTS["target_rate"], help="target share, 0.40 for 40%%")
    report.add_argument("--lang", default=DEFAULTS["lang"], help="report language: vi or en")
    report.add_argument("--province", default=DEFAULTS["province"], help="province name or code")
    report.add_argument("--out", default=str(REPORTS_DIR), help="folder that receives <period>/ (default: reports/)")
    national = commands.add_parser("national", help="render every province's reports and the national comparison")
    national.add_argument("--data-dir", default=str(NATIONAL_DIR),
                          help="national data directory: one <code>-<name>/ folder per province and provinces.csv "
                               "(write a synthetic one with: python -m analysis sample --national DIR)")
    national.add_argument("--as-of", default=DEFAULTS["as_of"], help="date of the report snapshot, YYYY-MM-DD")
    national.add_argument("--period", default="", help="the report folder's name (default: national-<as-of date>)")
    national.add_argument("--deadline", default=DEFAULTS["deadline"], help="date by which the target should be reached")
    national.add_argument("--target-rate", default=DEFAULTS["target_rate"], help="target share, 0.40 for 40%%")
    national.add_argument("--lang", default=DEFAULTS["lang"], help="report language: vi or en")
    national.add_argument("--out", default=str(REPORTS_DIR), help="folder that receives <period>/ (default: reports/)")
    strip = commands.add_parser("strip-outputs", help="remove outputs from notebooks before they are committed")
    strip.add_argument("notebooks", nargs="*", help="notebook files (default: every notebook in notebooks/)")
    strip.add_argument("--check", action="store_true", help="only report notebooks with outputs; exit 1 if any")
    sample = commands.add_parser("sample", help="write the synthetic sample data set")
    sample.add_argument("--out", default=str(SAMPLE_DIR), help="folder to write (default: data/sample)")
    sample.add_argument("--xlsx", default="", help="also write the sample as the department's Excel workbooks here")
    sample.add_argument("--province", default="", help="write instead a synthetic data set for this province (code or name)")
    sample.add_argument("--national", action="store_true",
                        help="write instead the national data set: every province (default folder: data/raw/national)")
    return parser


def _report(args: argparse.Namespace) -> Path:
    from analysis.runner import render_reports, worker_pool

    params = validate_parameters(period=args.period, as_of=args.as_of, data_dir=args.data_dir,
                                 target_rate=args.target_rate, deadline=args.deadline,
                                 province=args.province, lang=args.lang)
    pool = worker_pool()  # kernels start while the data are checked
    try:
        from analysis.data.dataset import load_data_dir

        load_data_dir(params.data_dir, params.province_code, params.target_rate)  # stop on bad data first
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return render_reports(params, resolve_path(args.out), pool=pool)


def _national(args: argparse.Namespace) -> Path:
    from analysis.analyses.national import province_folders
    from analysis.runner import render_national

    folder = resolve_path(args.data_dir)
    if not folder.is_dir():
        raise ParameterError(f"Parameter data_dir={args.data_dir!r}: the folder {folder} does not exist; write the "
                             "synthetic national data set with: python -m analysis sample --national")
    params = validate_parameters(period=args.period or f"national-{args.as_of}", as_of=args.as_of, data_dir=args.data_dir,
                                 target_rate=args.target_rate, deadline=args.deadline, lang=args.lang)
    province_folders(params.data_dir)  # a national directory at all; each province's data are checked by its notebooks
    return render_national(params, resolve_path(args.out))


def _strip(args: argparse.Namespace) -> int:
    from analysis.runner import all_notebooks, strip_outputs

    paths = [Path(p) for p in args.notebooks] or all_notebooks()
    dirty = [p for p in paths if strip_outputs(p, write=not args.check)]
    for path in dirty:
        print(f"{path}: {'has outputs: run python -m analysis strip-outputs' if args.check else 'outputs removed'}")
    return 1 if (args.check and dirty) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 done, 2 bad parameters or data, 1 a notebook failed)."""
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

            if args.national:
                from analysis.synthetic.national_sample import write_national

                out = resolve_path(args.out if args.out != str(SAMPLE_DIR) else NATIONAL_DIR)
                written = write_national(out)
            elif args.province:
                written = write_other_province(int(find_province(args.province)["code"]), resolve_path(args.out))
            else:
                written = write_sample(resolve_path(args.out))
                if args.xlsx:
                    written += write_department_xlsx(resolve_path(args.out), resolve_path(args.xlsx))
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
