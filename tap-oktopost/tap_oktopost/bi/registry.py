"""One run's view of the BI exports: the list, the details, the downloaded files.

Every API call and every download happens once per run, whichever streams ask (the export
streams, the file streams, discovery). Files go to a temporary directory removed at the end.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_common import SkippedResource, StreamUnavailable
from tap_common.dates import to_rfc3339
from tap_oktopost.bi.coltypes import ColumnType
from tap_oktopost.bi.files import Downloaded
from tap_oktopost.bi.names import column_names
from tap_oktopost.coerce import is_zero_date

if TYPE_CHECKING:
    from tap_oktopost.streams.bi import BiExportDetailsStream, BiExportsStream
    from tap_oktopost.tap import TapOktopost

_CHUNK = 1 << 20
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


def safe_url(url: str) -> str:
    """A download link without its query (the signature is a temporary credential).

    Text that is not a link with a query is returned as it is.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]
    if not parts.query and not parts.fragment:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def strip_signatures(value: Any) -> Any:
    """``value`` with the query of every string in it removed (``safe_url``), shape kept."""
    if isinstance(value, str):
        return safe_url(value)
    if isinstance(value, Mapping):
        return {k: strip_signatures(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_signatures(v) for v in value]
    return value


def file_name_of(url: str) -> str:
    """The file name at the end of a link."""
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url.split("?", 1)[0]
    return unquote(PurePosixPath(path).name) or "export"


def export_id_of(export: Any) -> str | None:
    """An export's ``Id`` as a string, or ``None`` if it has no usable one."""
    value = export.get("Id") if isinstance(export, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return str(value).strip() or None


@dataclass
class InferredStream:
    """What discovery learned about one ``bi_*`` stream."""

    name: str
    columns: dict[str, ColumnType] = field(default_factory=dict)
    sources: set[tuple[str, str, str]] = field(default_factory=set)  # export, run date, member


class ExportRegistry:
    """The exports, their details and their files, fetched at most once per run."""

    def __init__(self, tap: TapOktopost) -> None:
        self.tap = tap
        self._lock = threading.RLock()
        self._exports: list[dict[str, Any]] | None = None
        self._details: dict[str, dict[str, Any]] = {}
        self._files: dict[tuple[str, str], Downloaded] = {}
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.inferred: dict[str, InferredStream] = {}
        self.downloads = 0
        #: Why the export list cannot be read (e.g. the user's role lacks BI exports), if so.
        self.unavailable: str | None = None

    # --- API -----------------------------------------------------------------------------

    def _helper(self, kind: str) -> BiExportsStream | BiExportDetailsStream:
        from tap_oktopost.streams.bi import BiExportDetailsStream, BiExportsStream  # noqa: PLC0415

        attr = f"_helper_{kind}"
        if not hasattr(self, attr):
            stream_type = BiExportsStream if kind == "list" else BiExportDetailsStream
            setattr(self, attr, stream_type(tap=self.tap))
        return getattr(self, attr)

    def exports(self) -> list[dict[str, Any]]:
        """Every export of the list (all pages), raw."""
        with self._lock:
            if self._exports is None:
                try:
                    self._exports = list(self._helper("list").request_records(None))
                except StreamUnavailable as exc:
                    self.unavailable = exc.reason
                    self.tap.logger.warning("BI exports are not readable: %s", exc.reason)
                    self._exports = []
            return self._exports

    def is_wanted(self, export: Any) -> bool:
        """Exports named in ``bi_export_ids``, or else the active ones (with a usable Id)."""
        export_id = export_id_of(export)
        if export_id is None:
            return False
        ids = self.tap.config.get("bi_export_ids") or []
        if ids:
            return export_id in {str(i) for i in ids}
        return export.get("Status") == "active"

    def wanted_ids(self) -> list[str]:
        """Ids of the exports this run reads."""
        wanted = []
        for export in self.exports():
            if export_id_of(export) is None:
                if not getattr(self, "_warned_no_id", False):
                    self._warned_no_id = True
                    self.tap.logger.warning(
                        "A BI export of the list has no usable Id (%r); its file cannot be read.",
                        export.get("Id") if isinstance(export, Mapping) else export,
                    )
                continue
            if self.is_wanted(export):
                wanted.append(str(export_id_of(export)))
        return wanted

    def detail(self, export_id: str) -> dict[str, Any]:
        """The export's detail, raw (``SkippedResource`` if it is gone)."""
        with self._lock:
            if export_id not in self._details:
                records = list(self._helper("detail").request_records({"export_id": export_id}))
                if not records:
                    msg = f"Oktopost returned no detail for BI export {export_id}"
                    raise FatalAPIError(msg)
                if not isinstance(records[0], Mapping):
                    msg = (
                        f"Oktopost returned a detail for BI export {export_id} that is not an "
                        f"object ({type(records[0]).__name__})"
                    )
                    raise SkippedResource(msg)
                self._details[export_id] = records[0]
            return self._details[export_id]

    @staticmethod
    def last_run(detail: dict[str, Any]) -> tuple[str | None, str | None]:
        """The export's LastRunDate (RFC 3339) and LastRunFile link, if it ever ran.

        ``SkippedResource`` when either is there but unusable (a LastRunDate that is not a date
        keys no row; a LastRunFile that is not a link downloads nothing): the detail record
        keeps the values, the file is skipped and counted.
        """
        link = detail.get("LastRunFile")
        if link is not None and not isinstance(link, str):
            msg = f"LastRunFile is {type(link).__name__}, not a link: the file cannot be read"
            raise SkippedResource(msg)
        raw = detail.get("LastRunDate")
        if raw is None or raw == "":
            return None, link or None
        try:
            when = None if isinstance(raw, bool) else to_rfc3339(raw)
        except (ValueError, TypeError, OverflowError, OSError):
            when = None
        if when is None and not is_zero_date(raw):
            shown = str(raw)[:60]
            msg = f"LastRunDate {shown!r} is not a date: the file's rows cannot be keyed"
            raise SkippedResource(msg)
        return when, link or None

    # --- files ---------------------------------------------------------------------------

    @property
    def tmpdir(self) -> Path:
        """Where downloads go; removed by ``close``."""
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="tap-oktopost-")
        return Path(self._tmp.name)

    def download(self, export_id: str) -> Downloaded | None:
        """The export's last file on disk, downloaded once per run (``None``: never ran)."""
        detail = self.detail(export_id)
        when, link = self.last_run(detail)
        if not link or not when:
            return None
        with self._lock:
            key = (export_id, when)
            if key not in self._files:
                self._files[key] = self._fetch(export_id, when, link)
            return self._files[key]

    def _fetch(self, export_id: str, when: str, link: str) -> Downloaded:
        name = file_name_of(link)
        target = self.tmpdir / f"{export_id}-{len(self._files)}.part"
        helper = self._helper("detail")
        session = self.download_session
        timeout = helper.timeout

        def once(_request: Any = None, _context: Any = None) -> None:
            # Called like the SDK's ``_request`` (prepared request, context) by the retry
            # decorator; the file link is a plain GET without API credentials.
            with session.get(link, stream=True, timeout=timeout) as response:
                self._check_download(response, export_id, name)
                expected = response.headers.get("Content-Length")
                written = 0
                with target.open("wb") as out:
                    for chunk in response.iter_content(_CHUNK):
                        out.write(chunk)
                        written += len(chunk)
                if expected and expected.isdigit() and written != int(expected):
                    msg = (
                        f"Download of BI export {export_id}'s file {name} was cut short "
                        f"({written} of {expected} bytes)"
                    )
                    raise RetriableAPIError(msg, response)

        retrying: Callable[[Any, Any], None] = helper.request_decorator(once)
        helper.logger.info("Downloading BI export %s's last file %s", export_id, name)
        retrying(None, None)
        self.downloads += 1
        import zipfile  # noqa: PLC0415

        is_zip = zipfile.is_zipfile(target)
        if not is_zip and not name.lower().endswith((".csv", ".txt")):
            msg = (
                f"BI export {export_id}'s last file {name} is neither a ZIP nor a CSV; "
                "the tap does not know how to read it."
            )
            raise FatalAPIError(msg)
        return Downloaded(export_id, when, target, name, is_zip)

    @property
    def download_session(self) -> requests.Session:
        """A plain session for file links: pre-signed, so no API credentials and no API cap."""
        if not hasattr(self, "_session"):
            self._session = requests.Session()
        return self._session

    def _check_download(self, response: requests.Response, export_id: str, name: str) -> None:
        status = response.status_code
        if status == HTTPStatus.OK:
            return
        details = dict(_XML_FIELD.findall(response.text[:2000])) if response.text else {}
        reason = ": ".join(v for v in (details.get("Code"), details.get("Message")) if v)
        msg = self.tap.redactor(
            f"Download of BI export {export_id}'s last file {name} failed: HTTP {status}"
            + (f" ({reason})" if reason else "")
        )
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise RetriableAPIError(msg, response)
        if status == HTTPStatus.FORBIDDEN:
            msg += ". The LastRunFile link is temporary and may have expired: run again."
        raise FatalAPIError(msg)

    # --- discovery -----------------------------------------------------------------------

    def discover(self) -> dict[str, InferredStream]:
        """Download the wanted exports' files and infer one stream per CSV name."""
        for export_id in self.wanted_ids():
            try:
                downloaded = self.download(export_id)
            except SkippedResource as exc:
                self.tap.logger.warning("BI export %s skipped: %s", export_id, exc.reason)
                self.tap.runtime.ledger.add("discovery", "export", f"{export_id}: {exc.reason}")
                continue
            if downloaded is None:
                self.tap.logger.info("BI export %s has not run yet: no file.", export_id)
                continue
            for member in downloaded.members:
                stream = self.inferred.setdefault(member.stream, InferredStream(member.stream))
                self.infer(stream, downloaded, member.name)
        return self.inferred

    @staticmethod
    def infer(stream: InferredStream, downloaded: Downloaded, member: str) -> None:
        """Add one member's header and values to a stream's inferred columns."""
        names: list[str] | None = None
        trackers: list[ColumnType] = []
        for _, header, cells in downloaded.rows(member):
            if names is None:
                names = column_names(header)
                trackers = [stream.columns.setdefault(n, ColumnType()) for n in names]
            for tracker, value in zip(trackers, cells, strict=False):
                tracker.add(value)
        if names is None:  # header only
            for name in column_names(downloaded.header(member)):
                stream.columns.setdefault(name, ColumnType())
        stream.sources.add((downloaded.export_id, downloaded.last_run_date, member))

    def close(self) -> None:
        """Remove the downloaded files."""
        with self._lock:
            self._files.clear()
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None
