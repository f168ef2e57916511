"""Stream and column names from file names and CSV headers."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_LEADING_DATE = re.compile(
    r"^\d{4}[-_]?\d{2}[-_]?\d{2}(?:[-_ T]?\d{2}[-_:]?\d{2}(?:[-_:]?\d{2})?)?[-_ ]*"
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SYMBOLS = {"%": " pct ", "#": " num ", "&": " and ", "@": " at ", "+": " plus "}
BOM = "\ufeff"

#: Columns the tap adds to every row; a CSV column with the same name gets a suffix.
META_COLUMNS = ("_export_id", "_file_name", "_row_number", "_last_run_date")


def snake(text: str) -> str:
    """Lower snake_case with ``%``, ``#``, ``&``... spelled out, other symbols dropped."""
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    return _NOT_WORD.sub("_", text.lower()).strip("_")


def stream_name(file_name: str) -> str:
    """``bi_<name>``: folder, extension and leading date dropped, snake_case.

    ``reports/2025-10-14-Post Stats.csv`` -> ``bi_post_stats``.
    """
    stem = PurePosixPath(file_name.replace("\\", "/")).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = _LEADING_DATE.sub("", stem.strip()) or stem
    return "bi_" + (snake(stem) or "file")


def column_names(header: list[str]) -> list[str]:
    """Header cells as unique snake_case column names (BOM, quotes and blanks handled)."""
    names: list[str] = []
    taken = set(META_COLUMNS)
    for index, cell in enumerate(header, start=1):
        base = snake(cell.replace(BOM, "").strip().strip('"').strip()) or f"column_{index}"
        if base[0].isdigit():
            base = f"c_{base}"
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(name)
        names.append(name)
    return names
