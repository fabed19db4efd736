"""Analysis workbook for the uptake of electronic health books in VNeID.

The flow of data runs one way: ``load`` -> ``validate`` -> ``panel`` -> analyses
(``phase_results``) -> ``present`` / ``labels`` -> notebooks -> ``render``.
"""

__version__ = "0.1.0"
