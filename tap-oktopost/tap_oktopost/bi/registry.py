"""One run's view of the BI exports: the list, the details, the downloaded files.

Every API call and every download happens once per run, whichever streams ask (the export
streams, the file streams, discovery). Files go to a temporary directory removed at the end.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_common import StreamUnavailable
from tap_common.dates import to_rfc3339
from tap_oktopost.bi.coltypes import ColumnType
from tap_oktopost.bi.files import Downloaded
from tap_oktopost.bi.names import column_names

if TYPE_CHECKING:
    from tap_oktopost.streams.bi import BiExportDetailsStream, BiExportsStream
    from tap_oktopost.tap import TapOktopost

_CHUNK = 1 << 20
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


def safe_url(url: str) -> str:
    """A download link without its query (the signature is a temporary credential)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def file_name_of(url: str) -> str:
    """The file name at the end of a link."""
    return unquote(PurePosixPath(urlsplit(url).path).name) or "export"


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

    def is_wanted(self, export: dict[str, Any]) -> bool:
        """Exports named in ``bi_export_ids``, or else the active ones."""
        ids = self.tap.config.get("bi_export_ids") or []
        if ids:
            return str(export.get("Id")) in {str(i) for i in ids}
        return export.get("Status") == "active"

    def wanted_ids(self) -> list[str]:
        """Ids of the exports this run reads."""
        return [str(e["Id"]) for e in self.exports() if self.is_wanted(e)]

    def detail(self, export_id: str) -> dict[str, Any]:
        """The export's detail, raw (``SkippedResource`` if it is gone)."""
        with self._lock:
            if export_id not in self._details:
                records = list(self._helper("detail").request_records({"export_id": export_id}))
                if not records:
                    msg = f"Oktopost returned no detail for BI export {export_id}"
                    raise FatalAPIError(msg)
                self._details[export_id] = records[0]
            return self._details[export_id]

    @staticmethod
    def last_run(detail: dict[str, Any]) -> tuple[str | None, str | None]:
        """The export's LastRunDate (RFC 3339) and LastRunFile link, if it ever ran."""
        link = detail.get("LastRunFile") or None
        when = to_rfc3339(detail.get("LastRunDate")) if detail.get("LastRunDate") else None
        return when, link

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
            downloaded = self.download(export_id)
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
