"""Text matching: compare headers and unit names as people type them.

Vietnamese headers and names arrive with or without diacritics, in capitals, with stray
punctuation and non-breaking spaces. ``normalise_text`` folds all of that away so that
``Số đã hỗ trợ tích hợp``, ``so da ho tro tich hop`` and ``SỐ ĐÃ HỖ TRỢ TÍCH HỢP`` compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
UNIT_PREFIXES = ("xa", "phuong", "dac khu", "thi tran", "p", "x", "tt")  # P. / X. / TT. as typed


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics (``đ`` becomes ``d``), keeping letter case."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def normalise_text(text: object) -> str:
    """Fold case, diacritics, punctuation and every kind of space: the key used to match."""
    return _normalised(str(text))


@lru_cache(maxsize=65536)
def _normalised(text: str) -> str:  # the same names and headers come back in every report file
    return _NON_ALNUM.sub(" ", strip_diacritics(text).lower()).strip()


def unit_name_key(name: object) -> str:
    """The matching key of a unit name, without its administrative prefix (``Xã``, ``Phường``)."""
    key = normalise_text(name)
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key
