"""Property: whatever a spreadsheet does to a report (blank, duplicate or swap cells, words in numbers,
columns reordered, other separators and encodings), the loader either stops with a ``DataError`` or
loads the totals that an independent reading of the same cells gives; never a traceback, never
another number. Fixed seed (``derandomize``) and a bounded number of examples.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.data.dataset import load_data_dir
from analysis.errors import DataError
from corpus import FIRST, LAST, cp1258, csv_text, independent_totals
from helpers import REPORTS, UNITS, write_data_dir
from test_corpus import loaded_totals

CLEAN = [list(r) for r in csv.reader(io.StringIO(REPORTS[LAST]))]
ROWS, COLUMNS = len(CLEAN), len(CLEAN[0])
WORDS = ["abc", "n/a", "12.5", "x1", "-", "", "40%"]
UNIT_ROWS = list(csv.DictReader(io.StringIO(UNITS)))
TRACK = {u["code"]: u["track"] for u in UNIT_ROWS}
BY_NAME = {u["name"]: u["code"] for u in UNIT_ROWS}

cell = st.tuples(st.integers(0, ROWS - 1), st.integers(0, COLUMNS - 1))
mutation = st.one_of(
    st.tuples(st.just("blank"), cell),
    st.tuples(st.just("word"), cell, st.sampled_from(WORDS)),
    st.tuples(st.just("swap"), cell, cell),
    st.tuples(st.just("copy"), cell, cell),
    st.tuples(st.just("row"), st.integers(1, ROWS - 1)),
)


def mutate(grid: list[list[str]], steps: list[tuple], order: list[int]) -> list[list[str]]:
    """The grid after the mutations, its columns in ``order``."""
    grid = [list(r) for r in grid]
    for step in steps:
        if step[0] == "blank":
            grid[step[1][0]][step[1][1]] = ""
        elif step[0] == "word":
            grid[step[1][0]][step[1][1]] = step[2]
        elif step[0] == "swap":
            (r1, c1), (r2, c2) = step[1], step[2]
            grid[r1][c1], grid[r2][c2] = grid[r2][c2], grid[r1][c1]
        elif step[0] == "copy":
            grid[step[2][0]][step[2][1]] = grid[step[1][0]][step[1][1]]
        else:
            grid.append(list(grid[step[1]]))
    return [[r[j] for j in order] for r in grid]


def independent_reading(grid: list[list[str]]) -> dict[str, str] | None:
    """The report as clean CSV text, or ``None`` when its cells cannot give a report (by the contract's
    rules, written here without the loader: code else exact name, known track, whole counts)."""
    header = grid[0]
    if sorted(h for h in header if h) != sorted(CLEAN[0]) and not {"eligible", "supported"} <= set(header):
        return None
    at = {h: header.index(h) for h in CLEAN[0] if h in header}
    if {"eligible", "supported"} - set(at) or not {"code", "name"} & set(at) or len(set(h for h in header if h)) < len([h for h in header if h]):
        return None
    out, seen = ["code,eligible,supported"], set()
    for row in grid[1:]:
        get = {h: row[j].strip() for h, j in at.items()}
        if not any(row):
            continue
        code = get.get("code") if get.get("code") in TRACK else BY_NAME.get(get.get("name", ""))
        counts = [get["eligible"], get["supported"], get.get("integrated_central", "")]
        if code is None or code in seen or ("track" in get and get["track"] != TRACK[code]):
            return None
        if not (counts[0].isdigit() and counts[1].isdigit() and (counts[2].isdigit() or counts[2] == "")):
            return None
        if int(counts[1]) > int(counts[0]) or (counts[2] and int(counts[2]) > int(counts[1])):
            return None
        seen.add(code)
        out.append(f"{code},{counts[0]},{counts[1]}")
    return {FIRST: REPORTS[FIRST], LAST: "\n".join(out) + "\n"} if seen else None


ENCODINGS = {"utf-8": lambda t: t.encode("utf-8"), "utf-8-sig": lambda t: t.encode("utf-8-sig"),
             "utf-16": lambda t: t.encode("utf-16"), "cp1258": cp1258}


@settings(derandomize=True, max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(mutation, max_size=3), order=st.permutations(list(range(COLUMNS))),
       delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(sorted(ENCODINGS)))
def test_a_mutated_report_stops_with_a_data_error_or_loads_the_independent_totals(steps, order, delimiter, encoding):
    grid = mutate(CLEAN, steps, order)
    expected = independent_reading(grid)
    with tempfile.TemporaryDirectory(prefix="prop-") as folder:  # one per example, removed after it
        root = write_data_dir(Path(folder))
        (root / "reports" / f"{LAST}.csv").write_bytes(ENCODINGS[encoding](csv_text(grid, delimiter)))
        try:
            dataset = load_data_dir(root)
        except DataError:
            assert expected is None, f"refused although the cells give a report: {grid}"
            return
    assert expected is not None, f"loaded although the cells give no report: {grid}"
    assert loaded_totals(dataset) == independent_totals(expected)
