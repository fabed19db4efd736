"""The official register of Vietnam's 34 provinces and their communes and wards.

Backed by the package ``vietnam-provinces`` (official codes, post-2025 units), so that the
workbook matches communes for any province, not only Ca Mau.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd
from vietnam_provinces import Province, Ward

from analysis.text import normalise_text, unit_name_key

_PROVINCE_PREFIXES = ("tinh ", "thanh pho ")


@lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    """All provinces: ``code`` (int), ``name`` (official, e.g. 'Cà Mau'), ``division_type``."""
    rows = [
        {"code": int(p.code), "name": p.name, "division_type": p.division_type.value}
        for p in Province.iter_all()
    ]
    return pd.DataFrame(rows).sort_values("code", ignore_index=True)


def _province_key(name: str) -> str:
    key = normalise_text(name)
    for prefix in _PROVINCE_PREFIXES:
        key = key.removeprefix(prefix)
    return key


def find_province(text: str | int) -> pd.Series:
    """The register row of a province given by code (``96``) or name (``Cà Mau``, ``ca mau``).

    Raises ``ValueError`` naming the closest provinces when nothing matches.
    """
    table = provinces()
    if str(text).strip().isdigit():
        hit = table[table["code"] == int(str(text).strip())]
    else:
        hit = table[table["name"].map(_province_key) == _province_key(str(text))]
    if len(hit) == 1:
        return hit.iloc[0]
    keys = table["name"].map(_province_key).tolist()
    close = difflib.get_close_matches(_province_key(str(text)), keys, n=3, cutoff=0.5)
    names = [table["name"].iloc[keys.index(k)] for k in close]
    hint = f" Closest: {', '.join(names)}." if names else ""
    raise ValueError(f"Province '{text}' is not in the register of the 34 provinces.{hint}")


@lru_cache(maxsize=64)
def province_wards(province_code: int) -> pd.DataFrame:
    """Communes and wards of one province: ``code`` (5-digit string), ``name``, ``division_type``."""
    rows = [
        {"code": f"{int(w.code):05d}", "name": w.name, "division_type": w.division_type.value}
        for w in Ward.iter_by_province(Province.from_code(province_code).code)
    ]
    return pd.DataFrame(rows)


def closest_names(name: str, candidates: list[str], n: int = 3) -> list[str]:
    """The registered names closest to ``name``, compared without prefix, case or diacritics."""
    keys = [unit_name_key(c) for c in candidates]
    close = difflib.get_close_matches(unit_name_key(name), keys, n=n, cutoff=0.4)
    return [candidates[keys.index(k)] for k in close]
