"""Ids chosen by the user: the ``ids`` setting and a CSV column (``ids_file``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


class IdsError(ValueError):
    """A setting about ids is wrong; the message names it."""


def _as_int(value: object, setting: str) -> int:
    if isinstance(value, bool):
        raise IdsError(f"Setting '{setting}' holds a value that is not an integer id.")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise IdsError(
            f"Setting '{setting}' holds a value that is not an integer id: {str(value)[:40]!r}."
        ) from None
    if number <= 0:
        raise IdsError(f"Setting '{setting}' holds an id that is not positive: {number}.")
    return number


def read_ids_column(path: str, column: str) -> list[int]:
    """The non-empty values of ``column`` in the CSV file at ``path``, as integers."""
    file = Path(path)
    if not file.is_file():
        raise IdsError(f"Setting 'ids_file' names a file that does not exist: {path}.")
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            found = ", ".join(reader.fieldnames or []) or "none"
            raise IdsError(
                f"Setting 'ids_column': the CSV has no column '{column}' (columns: {found})."
            )
        return [
            _as_int(row[column], "ids_file")
            for row in reader
            if row.get(column) not in (None, "") and str(row[column]).strip()
        ]


def _unique(values: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(values))


def collect_ids(config: Mapping[str, Any], stream_names: Iterable[str]) -> dict[str, list[int]]:
    """Stream name -> ids, from ``ids`` and the ``ids_file`` column; raises ``IdsError``."""
    names = set(stream_names)
    known = ", ".join(sorted(names))
    chosen: dict[str, list[int]] = {}
    for stream, values in (config.get("ids") or {}).items():
        if stream not in names:
            raise IdsError(f"Setting 'ids.{stream}': no such stream (streams: {known}).")
        chosen[stream] = [_as_int(v, f"ids.{stream}") for v in values]
    if config.get("ids_file"):
        stream = config.get("ids_file_stream")
        if not stream:
            raise IdsError("Setting 'ids_file_stream' is required when 'ids_file' is set.")
        if stream not in names:
            raise IdsError(f"Setting 'ids_file_stream': no such stream '{stream}' ({known}).")
        from_file = read_ids_column(config["ids_file"], config.get("ids_column") or "id")
        chosen[stream] = [*chosen.get(stream, []), *from_file]
    for stream, values in chosen.items():
        if not values:
            raise IdsError(f"Setting 'ids' gives no id for stream '{stream}'.")
    return {stream: _unique(values) for stream, values in chosen.items()}
