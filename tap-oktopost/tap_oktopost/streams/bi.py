"""BI exports: the list, the detail of each export read, and one stream per CSV file."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_common import SkippedResource, StreamUnavailable
from tap_common.dates import parse_datetime
from tap_oktopost import schemas
from tap_oktopost.bi.coltypes import (
    ColumnType,
    column_schema,
    converter,
    kind_of,
    merge_kinds,
)
from tap_oktopost.bi.names import META_COLUMNS, column_names
from tap_oktopost.bi.registry import (
    ExportRegistry,
    InferredStream,
    export_id_of,
    file_name_of,
    safe_url,
    strip_signatures,
)
from tap_oktopost.client import OktopostStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_oktopost.bi.files import Downloaded

#: The partition-state key saying which LastRunDate's file was read to the end.
READ_KEY = "file_last_run_date"


#: Frequency words, the longest period first ("every week on Monday" is weekly).
_PERIODS = (
    (("month",), timedelta(days=31)),
    (
        ("week", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        timedelta(weeks=1),
    ),
    (("day", "daily"), timedelta(days=1)),
    (("hour",), timedelta(hours=1)),
)


def frequency_period(frequency: str) -> timedelta | None:
    """The period of an export's ``Frequency`` ("Every day at 10:00 AM"), if recognisable."""
    text = frequency.lower()
    for words, period in _PERIODS:
        if any(word in text for word in words):
            return period
    return None


#: What ``mask_destination`` gives for a destination whose shape it cannot vouch for.
UNREADABLE_DESTINATION = {"CredentialsRemoved": True}


def _destination_object(destination: Any) -> Mapping[str, Any] | None:
    """The destination as an object: itself, or the object its JSON text holds; else None."""
    if isinstance(destination, Mapping):
        return destination
    if isinstance(destination, str):
        try:
            parsed = json.loads(destination)
        except ValueError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def _blank_destination(destination: Any) -> bool:
    return (
        destination is None
        or destination == []
        or (isinstance(destination, str) and not destination.strip())
    )


def destination_is_unreadable(destination: Any) -> bool:
    """Whether a destination has a shape ``mask_destination`` cannot pick credentials out of."""
    return not _blank_destination(destination) and _destination_object(destination) is None


def mask_destination(destination: Any) -> dict[str, Any] | None:
    """Only the known harmless fields of an export's destination; credentials never pass.

    An object (or JSON text of one) keeps its harmless fields; null, ``""`` and ``[]`` (PHP's
    empty object) are null. Any other shape (a list, a number, plain text) may hold credentials
    the tap cannot pick out: it is replaced by ``UNREADABLE_DESTINATION``.
    """
    if _blank_destination(destination):
        return None
    found = _destination_object(destination)
    if found is None:
        return dict(UNREADABLE_DESTINATION)
    destination = found
    kept = {k: v for k, v in destination.items() if k in schemas.SAFE_DESTINATION_FIELDS}
    if len(kept) < len(destination):
        kept["CredentialsRemoved"] = True
    return kept


class _ExportMixin(OktopostStream):
    @property
    def registry(self) -> ExportRegistry:
        return self.tap.registry  # type: ignore[attr-defined]

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """Destination credentials dropped before anything else sees the record."""
        if not isinstance(row, Mapping):
            return super().post_process(row, context)
        row = dict(row)
        if "Destination" in row:
            original = row["Destination"]
            row["Destination"] = mask_destination(original)
            if destination_is_unreadable(original):
                self.logger.warning(
                    "Stream '%s', BI export %s: Destination is %s, not an object; it is left "
                    "out because it may hold credentials.",
                    self.name,
                    row.get("Id"),
                    type(original).__name__,
                )
        return super().post_process(row, context)


class BiExportsStream(_ExportMixin):
    """``GET /bi-export``: every BI export (``Exports`` + ``Total``; no ``_count``)."""

    name = "bi_exports"
    path = "/bi-export"
    primary_keys = ("Id",)
    records_key = "Exports"
    takes_count = False
    schema = schemas.BI_EXPORT

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:  # noqa: ARG002
        """The run's one copy of the list."""
        exports = self.registry.exports()
        if self.registry.unavailable:
            raise StreamUnavailable(self.registry.unavailable)
        yield from exports

    def get_child_context(self, record: dict, context: Context | None) -> dict | None:  # noqa: ARG002
        """Details are read for the exports this run reads (active, or ``bi_export_ids``)."""
        if not self.registry.is_wanted(record):
            return None
        return {"export_id": export_id_of(record)}


class BiExportDetailsStream(_ExportMixin):
    """``GET /bi-export/{Id}``: LastRunDate and LastRunFile of each export read."""

    name = "bi_export_details"
    path = "/bi-export/{export_id}"
    primary_keys = ("Id",)
    parent_stream_type = BiExportsStream
    state_partitioning_keys: ClassVar[list[str]] = []
    records_key = "Export"
    skip_not_found = True
    schema = schemas.BI_EXPORT_DETAIL

    @property
    def records_jsonpath(self) -> str:  # type: ignore[override]
        """One object, not an array."""
        return "$.Export"

    def get_new_paginator(self) -> None:  # type: ignore[override]
        """A single request."""
        return

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:  # noqa: ARG002
        """No paging."""
        return {}

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """The run's one copy of the detail (a skip, e.g. a deleted export, raised as read)."""
        yield self.registry.detail(str((context or {})["export_id"]))

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        """The temporary link's signature is a credential: keep the link without it.

        A LastRunFile that is not a string is kept in its shape, every string in it without
        its query.
        """
        if not isinstance(row, Mapping):
            return super().post_process(row, context)
        row = dict(row)
        link = row.get("LastRunFile")
        if isinstance(link, str) and link.strip():
            row["LastRunFile"] = safe_url(link)
            row["LastRunFileName"] = file_name_of(link)
        else:
            row["LastRunFile"] = None if link in (None, "") else strip_signatures(link)
            row["LastRunFileName"] = None
        return super().post_process(row, context)


class BiFileStream(OktopostStream):
    """The rows of every CSV named like this stream in the exports' last files.

    One partition per export read; its bookmark is the LastRunDate of the file read to the
    end. A file whose LastRunDate has not changed is not downloaded again.
    """

    primary_keys = META_COLUMNS
    replication_key = "_last_run_date"
    is_sorted = False  # the bookmark moves only when a whole file was read
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE  # rows are built to the schema
    path = "/bi-export/{export_id}"
    #: Column -> function converting a non-blank raw value.
    _converters: dict[str, Any]

    @property
    def registry(self) -> ExportRegistry:
        """The run's exports and files."""
        return self.tap.registry  # type: ignore[attr-defined]

    @property
    def partitions(self) -> list[dict[str, Any]]:
        """One per export read (listed once per run)."""
        if not hasattr(self, "_partitions"):
            self._partitions = [{"_export_id": i} for i in self.registry.wanted_ids()]
        return self._partitions

    # --- the plan for this run -----------------------------------------------------------

    def _file_for(self, context: Context) -> tuple[Downloaded | None, str | None]:
        """The export's file to read for this stream, or ``None`` with the reason it is not.

        Decided once per run and export (the schema check and the sync both ask).
        """
        plans = self.__dict__.setdefault("_plans", {})
        key = str(context["_export_id"])
        if key not in plans:
            plans[key] = self._plan(context)
        return plans[key]

    def _plan(self, context: Context) -> tuple[Downloaded | None, str | None]:
        export_id = str(context["_export_id"])
        try:
            detail = self.registry.detail(export_id)
            when, link = self.registry.last_run(detail)
        except SkippedResource as exc:
            self.skip(context, exc, "export")
            return None, "gone"
        if not when or not link:
            return None, "the export has not run yet"
        done = self.get_context_state(context).get(READ_KEY)
        when_at = parse_datetime(when)
        if done and when_at and when_at <= parse_datetime(done):  # type: ignore[operator]
            return None, f"unchanged since the last run (LastRunDate {when})"
        start = self.config.get("start_date")
        if start and when_at and when_at < parse_datetime(start):  # type: ignore[operator]
            return None, f"last run {when} is before start_date"
        if done and when_at:
            self._warn_on_missed_runs(export_id, detail, parse_datetime(done), when_at)
        return self.registry.download(export_id), None

    def _warn_on_missed_runs(
        self, export_id: str, detail: dict[str, Any], before: Any, now: Any
    ) -> None:
        """Only the last file is reachable: say so when runs were missed since the last sync."""
        period = frequency_period(str(detail.get("Frequency") or ""))
        if period is not None and now - before > period * 1.5:
            self.logger.warning(
                "Stream '%s', BI export %s: LastRunDate moved from %s to %s, more than one "
                "period (%s); the files of the runs in between are no longer reachable "
                "(Oktopost keeps only the last one). Sync at least as often as the export runs.",
                self.name,
                export_id,
                before.isoformat(),
                now.isoformat(),
                detail.get("Frequency"),
            )

    def _members(self, downloaded: Downloaded) -> list[str]:
        return [m.name for m in downloaded.members if m.stream == self.name]

    def sync(self, context: Context | None = None) -> None:
        """Check the files to read still fit the schema before the SCHEMA message goes out."""
        if self.selected:
            self._widen_for_new_files()
        super().sync(context)

    def _widen_for_new_files(self) -> None:
        """A file discovery did not see may hold values the catalog's types do not fit.

        Such columns become strings (with a warning) rather than failing or losing values.
        """
        schema = copy.deepcopy(self.effective_schema)
        props = schema["properties"]
        check = InferredStream(self.name)
        for context in self.partitions:
            downloaded, _ = self._file_for(context)
            if downloaded is None:
                continue
            for member in self._members(downloaded):
                key = (downloaded.export_id, downloaded.last_run_date, member)
                if key not in self.registry.inferred.get(self.name, check).sources:
                    ExportRegistry.infer(check, downloaded, member)
        changed = False
        for column, tracker in check.columns.items():
            if column not in props:
                self.logger.warning(
                    "Stream '%s': column '%s' is new since discovery and is left out; "
                    "refresh the catalog to add it.",
                    self.name,
                    column,
                )
                continue
            declared = kind_of(props[column])
            merged = merge_kinds(declared, tracker.kind)
            if merged != declared:
                self.logger.warning(
                    "Stream '%s': column '%s' no longer fits type %s; emitting it as %s.",
                    self.name,
                    column,
                    declared,
                    merged,
                )
                props[column] = column_schema(merged)
                changed = True
        if changed:
            self._schema = schema
            if self._input_schema is not None:
                self._input_schema = schema
            self.tap.mapper.register_raw_stream_schema(self.name, self.schema, self.primary_keys)
            self._stream_maps = None

    # --- records -------------------------------------------------------------------------

    def fetch_records(self, context: Context | None) -> Iterator[dict[str, Any]]:
        """Rows of this stream's CSVs in the export's file, read one at a time."""
        assert context is not None  # noqa: S101 - always partitioned
        downloaded, reason = self._file_for(context)
        if downloaded is None:
            if reason != "gone":
                self.logger.info(
                    "Stream '%s', BI export %s: nothing to read (%s).",
                    self.name,
                    context["_export_id"],
                    reason,
                )
            return
        props = self.effective_schema["properties"]
        convert = {c: converter(kind_of(s)) for c, s in props.items() if c not in META_COLUMNS}
        for member in self._members(downloaded):
            yield from self._member_records(downloaded, member, convert)
        # Only now, with every row read, may the bookmark say this file is done.
        self.get_context_state(context)[READ_KEY] = downloaded.last_run_date

    @staticmethod
    def _member_records(
        downloaded: Downloaded, member: str, convert: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Typed records of one CSV: key columns, then every schema column (null if absent)."""
        base = {"_export_id": downloaded.export_id, "_file_name": member}
        empty = dict.fromkeys(convert)
        wanted: list[tuple[int, str, Any]] | None = None
        for number, header, cells in downloaded.rows(member):
            if wanted is None:
                names = column_names(header)
                wanted = [(i, n, convert[n]) for i, n in enumerate(names) if n in convert]
            record: dict[str, Any] = {
                **base,
                "_row_number": number,
                "_last_run_date": downloaded.last_run_date,
                **empty,
            }
            for index, name, fn in wanted:
                if index < len(cells):
                    value = cells[index].strip()
                    record[name] = fn(value) if value else None
            yield record

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """No child streams, no prefetch: straight from the file."""
        return self.fetch_records(context)

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:  # noqa: ARG002
        """Rows are built typed already."""
        return row


def bi_file_schema(columns: dict[str, ColumnType] | dict[str, dict]) -> dict[str, Any]:
    """The schema of a ``bi_*`` stream: the key columns, then the CSV columns."""
    props: dict[str, Any] = {
        "_export_id": {"type": ["string"]},
        "_file_name": {"type": ["string"]},
        "_row_number": {"type": ["integer"]},
        "_last_run_date": {"type": ["string"], "format": "date-time"},
    }
    for name, column in columns.items():
        props[name] = column if isinstance(column, dict) else column_schema(column.kind)
    return {"type": "object", "properties": props, "required": list(META_COLUMNS)}


def bi_file_stream_type(name: str) -> type[BiFileStream]:
    """A ``BiFileStream`` class for one file name."""
    return type(
        "".join(p.title() for p in name.split("_")) + "Stream",
        (BiFileStream,),
        {"name": name, "__module__": __name__},
    )
