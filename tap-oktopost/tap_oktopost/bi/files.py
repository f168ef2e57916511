"""Reading the rows of an export's last file, one at a time, from a file on disk."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from singer_sdk.exceptions import FatalAPIError

from tap_oktopost.bi.names import stream_name


class UnreadableFile(FatalAPIError):
    """An export's file is not UTF-8 CSV, or is damaged: the stream fails loudly."""


@dataclass(frozen=True)
class Member:
    """One CSV inside a downloaded file: its name and the stream it feeds."""

    name: str
    stream: str


@dataclass(frozen=True)
class Downloaded:
    """An export's last file on disk."""

    export_id: str
    last_run_date: str
    path: Path
    file_name: str
    is_zip: bool

    @property
    def members(self) -> list[Member]:
        """The CSV files in it (a plain CSV is its own single member)."""
        if not self.is_zip:
            return [Member(self.file_name, stream_name(self.file_name))]
        with zipfile.ZipFile(self.path) as archive:
            names = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(".csv")
            ]
        return [Member(name, stream_name(name)) for name in names]

    @contextmanager
    def open_text(self, member: str) -> Iterator[IO[str]]:
        """The member as text, decoded as it is read (a BOM is dropped)."""
        if not self.is_zip:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                yield handle
            return
        with (
            zipfile.ZipFile(self.path) as archive,
            archive.open(member) as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        ):
            yield text

    def rows(self, member: str) -> Iterator[tuple[int, list[str], list[str]]]:
        """``(row_number, header, cells)`` for each data row; blank lines are skipped."""
        number = 0
        try:
            with self.open_text(member) as text:
                reader = csv.reader(text)
                header = next(reader, None)
                if header is None:
                    return
                for cells in reader:
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    number += 1
                    yield number, header, cells
        except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, EOFError) as exc:
            msg = (
                f"BI export {self.export_id}: cannot read {member} after row {number} "
                f"({type(exc).__name__}: {exc}). The file is not UTF-8 CSV or is damaged."
            )
            raise UnreadableFile(msg) from exc

    def header(self, member: str) -> list[str]:
        """The member's header row."""
        with self.open_text(member) as text:
            return next(csv.reader(text), [])
