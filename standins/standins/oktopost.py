"""Stand-in for the Oktopost API v2 and its BI-export files.

Reproduces what ``/work/shared/api-notes/oktopost.md`` §6 lists: HTTP Basic auth (account id and
API key), ``{"Result": true, ...}`` envelopes with ``Items``/``Total`` (``Exports`` for BI exports,
``Postlogs`` without a total), ``_page`` from 0 with ``_count`` limited to 25/50/100 (200 for
clicks), ``Result: false`` with HTTP 200 in the three error shapes, zero dates, 0/1 booleans,
numeric strings, objects sent as ``[]`` when empty, and pre-signed download links (no auth) to
ZIPs holding several CSVs with a BOM, quoted and odd headers and blank values, or to a plain CSV.

Options of ``build``: ``seed``, ``campaigns``, ``clicks``, ``big_rows`` (adds an active export
whose ZIP holds one CSV of that many rows, written to a temporary file and served from disk),
``rate_limit`` (calls per minute before a 429 with Retry-After, 0 = off), and:

* ``enforce_limits=1``: the documented limits (notes §1.2), off by default. Sliding windows of
  ``limit_per_minute`` (60) a minute and ``limit_per_5s`` (120) per 5 seconds; the request that
  goes over either is refused and starts a block of ``block_seconds`` (900, the documented 15
  minutes) during which every API request is refused. Refusals are HTTP 429 with
  ``{"Result": false, "Errors": {"API": {"Error": ...}}}`` and no ``Retry-After`` (none is
  documented) unless ``block_retry_after=1`` (then the seconds left in the block). Counted in
  ``standin.limits.rejected`` (``per_minute``/``per_5s`` for the request that went over,
  ``blocked`` for those refused during a block). ``clock`` (in-process) replaces ``time.time``.
  As sliding windows 60 a minute is the stricter limit: the 5-second one only bites when
  ``limit_per_minute`` is raised.
* ``postlog_bulk``: ``/postlog`` without ``postId`` lists the postlogs of every post, paged by
  ``_page``/``_count`` (``/postlog?withStats=1&_page=N&_count=M``); ``postlog_bulk=0`` refuses
  it as the endpoint did before (``Result: false``, "Missing required field: postId", HTTP 200).
  ``withStats=1`` adds each postlog's ``Stats``.
* ``/post`` and ``/click`` take ``after`` (inclusive) and ``before`` (exclusive) on ``Created``,
  as ``2019-06-30T00:00:00`` or ``2019-06-30 00:00:00``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import mmap
import random
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from standins.drift import pop_switches, records_at
from standins.limits import BlockingLimit, Clock, Limits, retry_after_seconds
from standins.server import Handler, Request, Response, StandIn

ACCOUNT_ID = "001000000000001"
API_KEY = "okto-standin-key-7c41e9b2d5"
API_PREFIX = "/v2"
#: A start date before every generated date: the config ``expected_counts`` assumes.
START_DATE = "2015-01-01T00:00:00Z"
EXPORTS_PAGE_SIZE = 5  # /bi-export takes no _count: the stand-in pages by five
ALLOWED_COUNTS = {25, 50, 100}
CLICK_COUNTS = {25, 50, 100, 200}
ZERO_DATE = "0000-00-00 00:00:00"
BOM = "\ufeff"

#: Fields that never drift: keys (``Id``, stories' ``ID``), the clicks' replication key
#: ``Created``, parent links (``CampaignId``, ``PostId``, ``BoardId``) and what the tap reads to
#: find an export's file (``LastRunDate``, ``LastRunFile``).
PROTECTED = frozenset(
    {"Id", "ID", "Created", "CampaignId", "PostId", "BoardId", "LastRunDate", "LastRunFile"}
)
#: CSV columns that identify a BI row (never drift; blanked by ``keyless``).
CSV_KEY_COLUMNS = ("Post ID", "Lead ID", "Profile", "Date", "Campaign", "Code")
_CSV_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_CSV_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")

_FIRST = ["Ada", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jun"]
_LAST = ["Lovelace", "Petrov", "Wei", "Scully", "Nolde", "Haddad", "Sato", "Orlov"]
_NETWORKS = ["LinkedIn", "Twitter", "Facebook", "Instagram", "Youtube"]
_WORDS = ["launch", "webinar", "report", "summit", "release", "case study", "survey", "demo"]
_BASE = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def _ts(moment: datetime) -> str:
    """Oktopost's date form: ``2025-10-14 10:00:03`` (UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _oid(prefix: str, number: int) -> str:
    """A 15-character prefixed id such as ``002000000000007``."""
    return f"{prefix}{number:0{15 - len(prefix)}d}"


def error_api(message: str, status: int = 200) -> Response:
    """Error shape 1: ``{"Result":false,"Errors":{"API":{"Error":...}}}``."""
    return Response(status, {"Result": False, "Errors": {"API": {"Error": message}}})


def error_lower(message: str, status: int = 200) -> Response:
    """Error shape 2: ``{"Errors":{"api":{"message":...}}}`` (seen with HTTP 200)."""
    return Response(status, {"Result": False, "Errors": {"api": {"message": message}}})


def error_list(*messages: str, status: int = 200) -> Response:
    """Error shape 3: ``{"Result":false,"Errors":["..."]}`` (or ``[]``)."""
    return Response(status, {"Result": False, "Errors": list(messages)})


class FileResponse(Response):
    """A response whose body is a file on disk, memory-mapped rather than read into memory."""

    def __init__(self, path: Path, content_type: str) -> None:
        super().__init__(200, None, {"Content-Type": content_type})
        self.path = path

    def encoded(self) -> tuple[Any, str]:
        """The mapped file (bytes-like: the server writes it without copying it whole)."""
        with self.path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return mapped, self.headers["Content-Type"]


@dataclass
class ExportFile:
    """One CSV of an export: its name in the ZIP, the stream it should become, its rows."""

    name: str
    stream: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_count: int = 0  # for generated big files, whose rows are not kept

    @property
    def count(self) -> int:
        """Data rows in the file."""
        return self.row_count or len(self.rows)


@dataclass
class Export:
    """A BI export: the list item, its detail fields and its last file."""

    item: dict[str, Any]
    last_run_date: str | None
    file_name: str | None  # the ZIP or CSV behind LastRunFile
    files: list[ExportFile] = field(default_factory=list)
    signature: str = ""
    path_on_disk: Path | None = None
    encoding: str = "utf-8"  # tests set e.g. "cp1252" to serve a file that is not UTF-8

    @property
    def id(self) -> str:
        """The export id."""
        return self.item["Id"]

    @property
    def active(self) -> bool:
        """Whether the export is active."""
        return self.item["Status"] == "active"


def csv_text(header: list[str], rows: list[list[str]], *, bom: bool) -> str:
    """CSV text with every header quoted, as Oktopost writes it."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    out.write((BOM if bom else "") + ",".join(f'"{h}"' for h in header) + "\r\n")
    writer.writerows(rows)
    return out.getvalue()


class OktopostStandIn(StandIn):
    """Oktopost API v2 routes over generated data (see ``build``)."""

    def __init__(self, *, latency: float, rate_limit: int) -> None:
        super().__init__(latency=latency)
        self.rate_limit = rate_limit
        #: The documented limits when ``build(enforce_limits=1)``; ``None``: not enforced.
        self.burst_limit: BlockingLimit | None = None
        #: Whether a 429 of the documented limits says how long the block lasts.
        self.block_retry_after = False
        #: Whether ``/postlog`` without ``postId`` lists every post's postlogs.
        self.postlog_bulk = True
        self.users: list[dict[str, Any]] = []
        self.credentials: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.campaigns: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.posts: list[dict[str, Any]] = []
        self.postlogs: list[dict[str, Any]] = []
        self.clicks: list[dict[str, Any]] = []
        self.leads: list[dict[str, Any]] = []
        self.boards: list[dict[str, Any]] = []
        self.advocates: list[dict[str, Any]] = []
        self.stories: list[dict[str, Any]] = []
        self.exports: list[Export] = []
        #: Campaigns listed but deleted before their messages are read (404 on /message).
        self.deleted_campaigns: set[str] = set()
        self.arrivals: list[float] = []  # monotonic arrival time of every API request
        self._calls: list[float] = []
        self._blocked_until = 0.0
        self._rate_lock = threading.Lock()
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    # --- expectations helpers ---------------------------------------------------------------

    @property
    def active_exports(self) -> list[Export]:
        """Exports whose status is active."""
        return [e for e in self.exports if e.active]

    def export(self, export_id: str) -> Export:
        """The export with this id."""
        return next(e for e in self.exports if e.id == export_id)

    def file_streams(self, exports: list[Export] | None = None) -> dict[str, int]:
        """Rows per expected ``bi_*`` stream over ``exports`` (default: the active ones)."""
        counts: dict[str, int] = {}
        for export in self.active_exports if exports is None else exports:
            for item in export.files:
                counts[item.stream] = counts.get(item.stream, 0) + item.count
        return counts

    def run_export(self, export_id: str, when: datetime) -> None:
        """Simulate a new run of an export: a new LastRunDate and a new signed link."""
        export = self.export(export_id)
        export.last_run_date = _ts(when)
        export.signature = hashlib.sha256(f"{export_id}{when}".encode()).hexdigest()[:32]

    def file_url_path(self, export: Export) -> str:
        """The path of the export's last file, signature included."""
        return f"/files/{export.id}/{export.file_name}?X-Amz-Signature={export.signature}"

    # --- plumbing ---------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """Log arrival times; apply the optional burst limit before routing."""
        if request.raw_path.startswith(API_PREFIX):
            now = time.monotonic()
            with self._rate_lock:
                self.arrivals.append(now)
                blocked = self._over_limit(now) if self.rate_limit else None
            if blocked is None and self.burst_limit is not None:
                blocked = self._over_documented_limits()
            if blocked is not None:
                with self._lock:
                    self.log.append(request)
                return blocked
        return super().dispatch(request)

    def _over_limit(self, now: float) -> Response | None:
        if now < self._blocked_until:
            wait = max(1, round(self._blocked_until - now))
            return Response(
                429,
                {"Result": False, "Errors": {"API": {"Error": "Account blocked: rate limit"}}},
                {"Retry-After": str(wait)},
            )
        self._calls = [t for t in self._calls if now - t < 60] + [now]
        if len(self._calls) > self.rate_limit:
            self._blocked_until = now + 2
            return Response(
                429,
                {"Result": False, "Errors": {"API": {"Error": "Rate limit exceeded"}}},
                {"Retry-After": "2"},
            )
        return None

    def _over_documented_limits(self) -> Response | None:
        """The refusal of a request above 60 a minute or 120 per 5 s, or during the block."""
        assert self.burst_limit is not None  # noqa: S101 - checked by the caller
        refused = self.burst_limit.check()
        if refused is None:
            return None
        reason, left = refused
        block = round(self.burst_limit.block_seconds)
        if reason == "blocked":
            message = "Access blocked after exceeding the API rate limit. Try again later."
        else:
            message = f"API rate limit exceeded: requests are blocked for {block} seconds."
        headers = {"Retry-After": retry_after_seconds(left)} if self.block_retry_after else {}
        return Response(429, {"Result": False, "Errors": {"API": {"Error": message}}}, headers)

    def not_found(self, request: Request) -> Response:  # noqa: ARG002
        """Unknown paths answer like the real API: ``Result:false`` with an empty list."""
        return error_list(status=404)

    def failed(self, request: Request) -> Response:
        """A broken path: S3's NoSuchKey for file links, the API's 404 for the rest."""
        if request.raw_path.startswith("/files/"):
            return _s3_error("NoSuchKey", "The specified key does not exist.", 404)
        return self.not_found(request)

    def authorized(self, request: Request) -> bool:
        """Basic auth with the demo account id and API key."""
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == ACCOUNT_ID and password == API_KEY

    def api(self, pattern: str) -> Callable[[Handler], Handler]:
        """Register an authenticated GET route under ``/v2``."""

        def register(handler: Handler) -> Handler:
            def guarded(request: Request) -> Response:
                if not self.authorized(request):
                    return error_api("Invalid credentials: authentication failed", status=401)
                return handler(request)

            self.route("GET", API_PREFIX + pattern)(guarded)
            return handler

        return register

    def page(
        self,
        request: Request,
        items: list[dict[str, Any]],
        *,
        key: str = "Items",
        allowed: set[int] = ALLOWED_COUNTS,
        fixed: int | None = None,
        total: bool = True,
    ) -> Response:
        """One ``_page``/``_count`` page of ``items``."""
        try:
            page = int(request.arg("_page", "0") or 0)
            count = fixed or int(request.arg("_count", "25") or 25)
        except ValueError:
            return error_list("Invalid paging parameters")
        if fixed is None and count not in allowed:
            return error_list(f"Invalid value for _count: {count}")
        body: dict[str, Any] = {"Result": True, key: items[page * count : (page + 1) * count]}
        if total:
            body["Total"] = len(items)
        return Response(200, body)

    def close(self) -> None:
        """Remove generated files."""
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    @property
    def tmpdir(self) -> Path:
        """A directory for generated big files, removed with the stand-in."""
        if self._tmpdir is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="oktopost-standin-")
        return Path(self._tmpdir.name)


# --- data -----------------------------------------------------------------------------------------


def _generate_rest(s: OktopostStandIn, rng: random.Random, campaigns: int, clicks: int) -> None:
    for i in range(1, 8):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        s.users.append(
            {
                "Id": _oid("00A", i),
                "Name": f"{first} {last}",
                "Email": f"{first.lower()}.{last.lower()}{i}@example.com",
                "LastLogin": ZERO_DATE if i == 7 else _ts(_BASE + timedelta(days=200 + i)),
                "Role": rng.choice(["admin", "editor", "viewer"]),
                "Timezone": rng.choice(["UTC", "America/New_York", "Europe/Berlin"]),
            }
        )
    for i, network in enumerate(_NETWORKS * 2, start=1):
        if i > 6:
            break
        s.credentials.append(
            {
                "Id": f"003-{ACCOUNT_ID}-{1000 + i}",
                "Created": _ts(_BASE - timedelta(days=300 - i)),
                "Name": f"{network} page {i}",
                "DisplayName": f"Acme on {network}",
                "Status": "invalid" if i == 6 else "valid",
                "Network": network,
                "ImageLink": f"https://img.example.com/{i}.png",
                "NetworkUsername": f"acme_{network.lower()}_{i}",
                "NativePostsEnabled": i % 2,
            }
        )
    for i in range(1, 7):
        s.tags.append(
            {
                "Id": _oid("0AF", i),
                "Name": f"tag-{_WORDS[i]}",
                "Created": _ts(_BASE + timedelta(days=i)),
                "LastUsed": ZERO_DATE if i == 6 else _ts(_BASE + timedelta(days=100 + i)),
                "Used": str(rng.randint(0, 40)),  # a count sent as a string
            }
        )
    post_n = message_n = log_n = 0
    for c in range(1, campaigns + 1):
        created = _BASE + timedelta(days=10 * c, hours=c)
        tags = {t["Id"]: t["Name"] for t in rng.sample(s.tags, rng.randint(0, 2))}
        campaign = {
            "Id": _oid("002", c),
            "Name": f"Campaign {c}: {rng.choice(_WORDS)}",
            "TotalPosts": 0,
            "TotalPendingPosts": rng.randint(0, 3),
            "TotalDraftPosts": str(rng.randint(0, 3)),
            "Clicks": rng.randint(0, 500),
            "Converts": rng.randint(0, 20),
            "Created": _ts(created),
            "StartDate": ZERO_DATE if c % 3 == 0 else _ts(created + timedelta(days=1)),
            "EndDate": ZERO_DATE,
            "Status": rng.choice(["active", "complete", "paused"]),
            "Comments": rng.randint(0, 9),
            "PostsSent": rng.randint(0, 9),
            "Tags": tags or [],  # an empty object arrives as []
        }
        s.campaigns.append(campaign)
        n_messages = 0 if c == 2 else rng.randint(1, 4)
        for _ in range(n_messages):
            message_n += 1
            network = rng.choice(_NETWORKS)
            msg = {
                "Id": _oid("005", message_n),
                "CampaignId": campaign["Id"],
                "Network": network,
                "Subject": f"About {rng.choice(_WORDS)}",
                "Content": f"Read our {rng.choice(_WORDS)} https://acme.example.com/{message_n}",
                "Link": f"https://acme.example.com/{message_n}",
                "Picture": rng.choice(["1", 1, 0]),
                "Created": _ts(created + timedelta(hours=message_n)),
                "Modified": _ts(created + timedelta(days=2, hours=message_n)),
                "CreatedBy": rng.choice(s.users)["Id"],
                "IsBoardMessage": rng.randint(0, 1),
                "IsAppMessage": rng.randint(0, 1),
                "Tags": [],
            }
            s.messages.append(msg)
            for _ in range(rng.randint(0, 2)):
                post_n += 1
                campaign["TotalPosts"] += 1
                credential = rng.choice(s.credentials)
                start = created + timedelta(days=3, hours=post_n)
                post = {
                    "Id": _oid("004", post_n),
                    "CampaignId": campaign["Id"],
                    "MessageId": msg["Id"],
                    "CredentialId": credential["Id"],
                    "Network": credential["Network"],
                    "Status": rng.choice(["sent", "scheduled", "failed"]),
                    "StartDateTime": _ts(start),
                    "Created": _ts(start - timedelta(days=1)),
                    "Modified": _ts(start + timedelta(hours=1)),
                    "CreatedBy": msg["CreatedBy"],
                    "Source": rng.choice(["app", "api", "board"]),
                    "Message": msg["Content"],
                    "Queued": rng.randint(0, 1),
                }
                s.posts.append(post)
                for _ in range(rng.randint(0, 3)):
                    log_n += 1
                    ok = rng.random() > 0.2
                    s.postlogs.append(
                        {
                            "Id": _oid("007", log_n),
                            "PostId": post["Id"],
                            "CampaignId": post["CampaignId"],
                            "MessageId": post["MessageId"],
                            "CredentialId": post["CredentialId"],
                            "LinkId": _oid("008", log_n),
                            "LinkIds": [_oid("008", log_n)],
                            "Created": _ts(start + timedelta(minutes=log_n)),
                            "Modified": _ts(start + timedelta(minutes=log_n + 5)),
                            "Status": "success" if ok else "failed",
                            "Network": post["Network"],
                            "RemoteId": str(7_000_000_000 + log_n) if ok else "",
                            "RemoteUrl": f"https://social.example.com/p/{log_n}" if ok else "",
                            "Error": "" if ok else "Token expired",
                        }
                    )
    for i in range(1, 13):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        s.leads.append(
            {
                "Id": _oid("0ld", i),
                "ParentId": "",
                "AccountId": ACCOUNT_ID,
                "Type": rng.choice(["lead", "contact"]),
                "Email": "" if i % 4 == 0 else f"{first.lower()}{i}@lead.example.com",
                "Name": f"{first} {last}",
                "FirstName": first,
                "LastName": last,
                "Photo": "",
                "Phone": "" if i % 2 else f"+1555{i:07d}",
                "IsTracked": i % 2,
                "Profiles": [{"Network": rng.choice(_NETWORKS), "Url": f"https://x.example/{i}"}],
                "RemoteLeads": [],
            }
        )
    for i in range(1, clicks + 1):
        post = rng.choice(s.posts) if s.posts else None
        created = _BASE + timedelta(days=rng.randint(0, 280), seconds=rng.randint(0, 86000))
        converted = rng.random() < 0.2
        s.clicks.append(
            {
                "Id": _oid("009", i),
                "Created": _ts(created),
                "CampaignId": post["CampaignId"] if post else "",
                "MessageId": post["MessageId"] if post else "",
                "PostId": post["Id"] if post else "",
                "PostlogId": "",
                "LeadId": rng.choice(s.leads)["Id"] if converted else "",
                "ConversionTagId": "",
                "CredentialId": post["CredentialId"] if post else "",
                "CampaignName": "",
                "CredentialName": "",
                "Message": "",
                "LinkUrl": f"https://acme.example.com/{i}",
                "LinkTitle": "Acme",
                "ImageUrl": "",
                "Picture": rng.choice(["1", 1, 0, "0"]),
                "RemoteUrl": "",
                "ConvertedDate": _ts(created + timedelta(hours=2)) if converted else ZERO_DATE,
                "Network": rng.choice(_NETWORKS),
                "UserAgent": "Mozilla/5.0",
                "GeoCountry": rng.choice(["US", "DE", "IL", ""]),
                "GeoCity": rng.choice(["Boston", "Berlin", ""]),
            }
        )
    s.clicks.sort(key=lambda c: c["Created"])
    _generate_advocacy(s, rng)


def _generate_advocacy(s: OktopostStandIn, rng: random.Random) -> None:
    story_n = 0
    for b in range(1, 4):
        board = {
            "Id": _oid("brd", b),
            "Name": f"Board {b}",
            "Description": f"Stories about {_WORDS[b]}",
            "Created": _ts(_BASE + timedelta(days=b)),
            "Status": "active" if b != 3 else "archived",
            "IsDefault": 1 if b == 1 else 0,
            "TotalAdvocates": str(rng.randint(1, 30)),  # a count sent as a string
        }
        s.boards.append(board)
        for _ in range(0 if b == 3 else rng.randint(2, 5)):
            story_n += 1
            s.stories.append(
                {
                    "ID": _oid("sto", story_n),  # stories spell their key "ID"
                    "BoardId": board["Id"],
                    "Title": f"Story {story_n}: {rng.choice(_WORDS)}",
                    "Content": "Share this!",
                    "Link": f"https://acme.example.com/story/{story_n}",
                    "Created": _ts(_BASE + timedelta(days=20 + story_n)),
                    "ExpirationDate": ZERO_DATE,
                    "IsFeatured": rng.randint(0, 1),
                    "Shares": str(rng.randint(0, 50)),
                }
            )
    for a in range(1, 10):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        s.advocates.append(
            {
                "Id": _oid("adv", a),
                "Name": f"{first} {last}",
                "Email": f"{first.lower()}.{a}@advocates.example.com",
                "Title": rng.choice(["Engineer", "Manager", ""]),
                "Company": "Acme",
                "Created": _ts(_BASE + timedelta(days=a)),
                "LastActivity": ZERO_DATE if a % 4 == 0 else _ts(_BASE + timedelta(days=90 + a)),
                "Points": str(rng.randint(0, 400)),
                "Status": rng.choice(["active", "pending"]),
            }
        )


def _posts_file(rng: random.Random, name: str, n: int, offset: int) -> ExportFile:
    header = [
        "Post ID",
        "Campaign Name",
        "Network",
        "Sent Date",
        "Clicks",
        "Engagement %",
        "# Comments",
        "Is Boosted",
    ]
    rows = []
    for i in range(n):
        sent = _BASE + timedelta(days=offset + i, hours=i % 7)
        rows.append(
            [
                _oid("004", 500 + offset + i),
                f"Campaign, {rng.choice(_WORDS)}",  # a comma inside a quoted value
                rng.choice(_NETWORKS),
                _ts(sent),
                "" if i % 9 == 4 else str(rng.randint(0, 900)),  # blanks are null
                f"{rng.uniform(0, 12):.2f}",
                str(rng.randint(0, 30)),
                rng.choice(["true", "false"]),
            ]
        )
    return ExportFile(name, "bi_posts", header, rows)


def _generate_exports(s: OktopostStandIn, rng: random.Random) -> None:
    def item(n: int, kind: str, status: str, dest_type: str, dest: dict[str, Any]) -> dict:
        return {
            "Id": _oid("032", n),
            "DestinationType": dest_type,
            "Destination": dest,
            "Type": kind,
            "Frequency": "Every day at 10:00 AM",
            "TimeRange": "Last 30 Days",
            "Status": status,
            "Created": _ts(_BASE - timedelta(days=40 - n)),
        }

    sftp = {
        "Host": "sftp.example.com",
        "Port": 22,
        "Path": "/exports",
        "Username": "okto-sftp-user",
        "Password": "sftp-Secret-91!",
    }
    ftp = {"Host": "ftp.example.com", "Port": 21, "Username": "ftpuser", "Password": "ftp-pw-55"}
    profile_rows = [
        [
            f"Acme on {net}",
            str(rng.randint(100, 90000)),
            str(rng.randint(-5, 50)),
            f"2025-10-{d:02d}",
        ]
        for d in range(1, 15)
        for net in _NETWORKS[:2]
    ]
    summary_rows = []
    for i in range(1, 23):
        summary_rows.append(
            [
                f"Campaign {i}",
                f"{i:03d}",  # leading zeros: an id, stays a string
                str(i * 13),
                "n/a" if i == 17 else ("" if i % 5 == 0 else str(i * 3)),  # mixed: string
                f"{i * 1.5:.1f}",
                "1" if i % 2 else "0",
                f"2025-09-{i:02d}",
                "" if i % 6 == 0 else f"Owner {i}",
            ]
        )
    s.exports = [
        Export(
            item(1, "Posts", "active", "SFTP", sftp),
            "2025-10-14 10:00:03",
            "2025-10-14-posts.zip",
            [
                _posts_file(rng, "2025-10-14-Posts.csv", 37, 0),
                ExportFile(
                    "2025-10-14-Profile Stats.csv",
                    "bi_profile_stats",
                    ["Profile", "Followers", "Followers Added", "Date"],
                    profile_rows,
                ),
            ],
        ),
        Export(
            item(2, "Posts", "active", "email", {"Emails": ["bi@example.com"]}),
            "2025-10-13 10:00:01",
            "2025-10-13-weekly.zip",
            [_posts_file(rng, "reports/2025-10-13-Posts.csv", 11, 100)],
        ),
        Export(
            item(3, "Leads", "active", "FTP", ftp),
            "2025-10-12 08:30:00",
            "2025-10-12-leads.csv",
            [
                ExportFile(
                    "2025-10-12-leads.csv",
                    "bi_leads",
                    ["Lead ID", "E-mail", "Score", "Created At"],
                    [
                        [
                            _oid("0ld", i),
                            f"lead{i}@example.com",
                            str(rng.randint(0, 100)),
                            _ts(_BASE + timedelta(days=i)),
                        ]
                        for i in range(1, 16)
                    ],
                )
            ],
        ),
        Export(item(4, "Clicks", "active", "email", {"Emails": []}), None, None),
        Export(
            item(5, "Campaigns", "inactive", "S3_bucket", {"Bucket": "acme-bi", "Path": "okto/"}),
            "2025-08-01 10:00:00",
            "2025-08-01-campaigns.zip",
            [
                ExportFile(
                    "2025-08-01-Campaign Summary.csv",
                    "bi_campaign_summary",
                    ["Campaign", "Code", "Clicks"],
                    [["Old campaign", "001", "4"]],
                )
            ],
        ),
        Export(item(6, "Posts", "inactive", "azure", {"Container": "bi"}), None, None),
        Export(
            item(7, "Campaigns", "active", "azure", {"Container": "bi", "AccountName": "acme"}),
            "2025-10-10 06:00:00",
            "2025-10-10-campaigns.zip",
            [
                ExportFile(
                    "2025-10-10-Campaign Summary.csv",
                    "bi_campaign_summary",
                    [
                        "Campaign",
                        "Code",
                        "Clicks",
                        "Conversions",
                        "Spend ($)",
                        "Is Active",
                        "Day",
                        "Owner  Name ",
                    ],
                    summary_rows,
                )
            ],
        ),
    ]
    for export in s.exports:
        export.signature = hashlib.sha256(export.id.encode()).hexdigest()[:32]


def _add_big_export(s: OktopostStandIn, rows: int) -> None:
    """An export whose ZIP holds one CSV of ``rows`` rows, written to disk row by row."""
    name = f"2025-10-15-big-{rows}.zip"
    path = s.tmpdir / name
    member = "2025-10-15-Big Posts.csv"
    header = ["Post ID", "Network", "Sent Date", "Clicks", "Engagement %", "Comment"]
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
    ):
        text.write(BOM + ",".join(f'"{h}"' for h in header) + "\r\n")
        writer = csv.writer(text, lineterminator="\r\n")
        for i in range(rows):
            writer.writerow(
                [
                    _oid("004", i),
                    _NETWORKS[i % 5],
                    _ts(_BASE + timedelta(seconds=i)),
                    str(i % 997),
                    f"{(i % 1000) / 100:.2f}",
                    f"row {i} says {_WORDS[i % 8]}",
                ]
            )
    export = Export(
        {
            "Id": _oid("032", 90),
            "DestinationType": "email",
            "Destination": {"Emails": []},
            "Type": "Posts",
            "Frequency": "Every day at 10:00 AM",
            "TimeRange": "Last 30 Days",
            "Status": "active",
            "Created": _ts(_BASE),
        },
        "2025-10-15 10:00:00",
        name,
        [ExportFile(member, "bi_big_posts", header, row_count=rows)],
        signature="big",
        path_on_disk=path,
    )
    s.exports.append(export)


def zip_bytes(export: Export, files: list[ExportFile] | None = None) -> bytes:
    """The export's ZIP (or of ``files``): every CSV with a BOM, quoted headers, CRLF lines."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "Oktopost BI export\n")
        for item in export.files if files is None else files:
            archive.writestr(item.name, csv_text(item.header, item.rows, bom=True).encode())
    return buffer.getvalue()


# --- drift of CSV files ---------------------------------------------------------------------------


def typed_columns(item: ExportFile) -> list[int]:
    """Indexes of numeric or date columns (every non-blank value is one), keys left out."""
    chosen = []
    for index, name in enumerate(item.header):
        values = [row[index].strip() for row in item.rows if index < len(row)]
        filled = [v for v in values if v]
        if name in CSV_KEY_COLUMNS or not filled:
            continue
        if all(_CSV_NUMBER.match(v) for v in filled) or all(_CSV_DATE.match(v) for v in filled):
            chosen.append(index)
    return chosen


def csv_row_key(export: Export, item: ExportFile, number: int, row: list[str]) -> dict[str, Any]:
    """A BI row's key: the export, the row number (from 1, as the tap counts) and id columns."""
    key: dict[str, Any] = {"_export_id": export.id, "_row_number": number}
    for index, name in enumerate(item.header):
        if name in CSV_KEY_COLUMNS and index < len(row):
            key[name] = row[index]
    return key


def served_file(s: OktopostStandIn, export: Export, item: ExportFile, keyless: bool) -> ExportFile:
    """``item`` as served: cells of typed columns drifted, key columns blanked if keyless."""
    if not (s.drift.active or keyless):
        return item
    typed = typed_columns(item)
    keys = [i for i, name in enumerate(item.header) if name in CSV_KEY_COLUMNS]
    rows = []
    for number, original in enumerate(item.rows, start=1):
        row = list(original)
        key = csv_row_key(export, item, number, original)
        for index in typed:
            if index < len(row):
                row[index] = s.drift.drift_cell(item.name, key, item.header[index], row[index])
        if keyless:
            for index in keys:
                if index < len(row):
                    row[index] = ""
        rows.append(row)
    return ExportFile(item.name, item.stream, item.header, rows)


# --- routes ---------------------------------------------------------------------------------------


def _routes(s: OktopostStandIn) -> None:
    @s.api(r"/me")
    def me(request: Request) -> Response:  # noqa: ARG001
        user = s.users[0]
        return Response(
            200,
            {
                "Result": True,
                "User": {k: user[k] for k in ("Id", "Name", "Email", "LastLogin")},
                "Account": {"Id": ACCOUNT_ID, "Name": "Acme"},
            },
        )

    def simple(path: str, rows: Callable[[Request], list[dict]], **kw: Any) -> None:
        @s.api(path)
        def handler(request: Request) -> Response:
            return s.page(request, rows(request), **kw)

    simple(r"/user", lambda _r: s.users)
    simple(r"/tag", lambda _r: s.tags)
    simple(r"/campaign", lambda _r: s.campaigns)
    simple(
        r"/credential",
        lambda r: [
            c for c in s.credentials if c["Status"] == "valid" or r.arg("includeInvalid") == "1"
        ],
    )
    simple(
        r"/lead",
        lambda r: [x for x in s.leads if x["Email"] or r.arg("all_leads") == "true"],
    )
    simple(r"/post", lambda r: created_between(r, s.posts))
    simple(r"/board", lambda _r: s.boards)
    simple(r"/advocate", lambda _r: s.advocates)

    @s.api(r"/story")
    def stories(request: Request) -> Response:
        board_id = request.arg("boardId")
        if not board_id:
            return error_list("Missing required field: boardId")
        return s.page(request, [x for x in s.stories if x["BoardId"] == board_id])

    @s.api(r"/message")
    def messages(request: Request) -> Response:
        campaign_id = request.arg("campaignId")
        if not campaign_id and not request.arg("ids"):
            return error_lower("You must send either of the mandatory parameters: campaignId\\ids")
        known = any(c["Id"] == campaign_id for c in s.campaigns)
        if campaign_id and (not known or campaign_id in s.deleted_campaigns):
            return error_api("Campaign not found", status=404)
        rows = [m for m in s.messages if m["CampaignId"] == campaign_id]
        return s.page(request, rows)

    @s.api(r"/postlog")
    def postlogs(request: Request) -> Response:
        post_id = request.arg("postId")
        if post_id:
            if not any(p["Id"] == post_id for p in s.posts):
                return error_api("Post not found", status=404)
            rows = [x for x in s.postlogs if x["PostId"] == post_id]
        elif s.postlog_bulk:
            rows = s.postlogs
        else:
            return error_list("Missing required field: postId")
        if request.arg("withStats") == "1":
            rows = [{**x, "Stats": postlog_stats(x)} for x in rows]
        return s.page(request, rows, key="Postlogs", total=False)

    @s.api(r"/click")
    def clicks(request: Request) -> Response:
        return s.page(request, created_between(request, s.clicks), allowed=CLICK_COUNTS)

    @s.api(r"/bi-export")
    def exports(request: Request) -> Response:
        status = request.arg("status")
        rows = [e.item for e in s.exports if not status or e.item["Status"] == status]
        return s.page(request, rows, key="Exports", fixed=EXPORTS_PAGE_SIZE)

    @s.api(r"/bi-export/(?P<export_id>[^/]+)")
    def export_detail(request: Request) -> Response:
        try:
            export = s.export(request.params["export_id"])
        except StopIteration:
            return error_api("Export not found", status=404)
        base = request.headers.get("host", "127.0.0.1")
        link = f"http://{base}{s.file_url_path(export)}" if export.file_name else None
        detail = {**export.item, "LastRunDate": export.last_run_date, "LastRunFile": link}
        return Response(200, {"Result": True, "Export": detail})

    @s.route("GET", r"/files/(?P<export_id>[^/]+)/(?P<name>[^/]+)")
    def download(request: Request) -> Response:
        try:
            export = s.export(request.params["export_id"])
        except StopIteration:
            return _s3_error("NoSuchKey", "The specified key does not exist.", 404)
        if request.arg("X-Amz-Signature") != export.signature or export.file_name is None:
            return _s3_error("AccessDenied", "Request has expired", 403)
        if request.headers.get("authorization"):
            return _s3_error("InvalidArgument", "Only one auth mechanism allowed", 400)
        if export.path_on_disk is not None:
            return FileResponse(export.path_on_disk, "application/zip")
        keyless = s.keyless_for(request)
        files = [served_file(s, export, item, keyless) for item in export.files]
        if export.file_name.endswith(".csv"):
            item = files[0]
            text = csv_text(item.header, item.rows, bom=export.encoding == "utf-8")
            return Response(200, text.encode(export.encoding), {"Content-Type": "text/csv"})
        return Response(200, zip_bytes(export, files), {"Content-Type": "application/zip"})


def created_between(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` created from ``after`` (inclusive) until ``before`` (exclusive), if given."""
    after, before = request.arg("after"), request.arg("before")
    if after:
        bound = after.replace("T", " ")
        rows = [r for r in rows if r["Created"] >= bound]
    if before:
        bound = before.replace("T", " ")
        rows = [r for r in rows if r["Created"] < bound]
    return rows


#: The counters of a postlog's ``Stats`` (as ``postlog/{id}?stats=1`` has them, notes §2).
POSTLOG_STATS = (
    "LinkClicks",
    "Conversions",
    "Comments",
    "Likes",
    "Shares",
    "ImpressionsAdded",
    "MediaClicksAdded",
    "DetailExpandsAdded",
    "UserFollowsAdded",
)


def postlog_stats(postlog: dict[str, Any]) -> dict[str, int]:
    """A postlog's ``Stats``, derived from its id (the generated data is left as it was).

    A failed postlog has only zeros.
    """
    if postlog["Status"] != "success":
        return dict.fromkeys(POSTLOG_STATS, 0)
    digest = hashlib.sha256(postlog["Id"].encode()).digest()
    return {
        name: digest[i] % (500 if name == "ImpressionsAdded" else 20)
        for i, name in enumerate(POSTLOG_STATS)
    }


def _s3_error(code: str, message: str, status: int) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return Response(status, body.encode(), {"Content-Type": "application/xml"})


def build(
    *,
    latency: float = 0.0,
    seed: int = 4,
    campaigns: int = 6,
    clicks: int = 57,
    big_rows: int = 0,
    rate_limit: int = 0,
    enforce_limits: int | str | bool = 0,
    limit_per_minute: int = 60,
    limit_per_5s: int = 120,
    block_seconds: float | str = 900,
    block_retry_after: int | str | bool = 0,
    postlog_bulk: int | str | bool = 1,
    clock: Clock | None = None,
    **options: Any,
) -> OktopostStandIn:
    """A stand-in with deterministic data from ``seed``.

    Drift and breakage options (``drift``, ``drift_seed``, ``drift_log``, ``fail_path``,
    ``keyless``) are described in ``standins.drift``; in BI files, cells of numeric and date
    columns drift to text or blank (resource: the CSV's name; key: ``_export_id``,
    ``_row_number`` and the id columns). The big on-disk export (``big_rows``) never drifts.
    The limits (``enforce_limits``, ``limit_per_minute``, ``limit_per_5s``, ``block_seconds``,
    ``block_retry_after``, ``clock``) and ``postlog_bulk`` are described in the module's
    docstring. Other options are ignored.
    """
    standin = OktopostStandIn(latency=latency, rate_limit=rate_limit)
    standin.limits = Limits(clock)
    if _flag(enforce_limits):
        windows = {
            "per_minute": (int(limit_per_minute), 60.0),
            "per_5s": (int(limit_per_5s), 5.0),
        }
        standin.burst_limit = BlockingLimit(standin.limits, windows, float(block_seconds))
    standin.block_retry_after = _flag(block_retry_after)
    standin.postlog_bulk = _flag(postlog_bulk)
    rng = random.Random(seed)
    _generate_rest(standin, rng, campaigns, clicks)
    _generate_exports(standin, rng)
    if big_rows:
        _add_big_export(standin, big_rows)
    _routes(standin)
    _record_routes(standin)
    standin.configure(**pop_switches(options))
    return standin


def _flag(value: Any) -> bool:
    """An on/off option: ``1``/``0``, ``true``/``false``, ``yes``/``no`` (CLI text too)."""
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "off"}
    return bool(value)


def _record_routes(s: OktopostStandIn) -> None:
    """Where each JSON answer's records are (``/me`` holds none); they are keyed by ``Id``."""
    s.protected_fields = PROTECTED

    def declare(path: str, locate: Any, key: tuple[str, ...] = ("Id",), **options: Any) -> None:
        s.declare_records(API_PREFIX + path, API_PREFIX + path, locate, key=key, **options)

    items = records_at("Items", "*")
    for path in ("user", "tag", "campaign", "credential", "lead", "post", "board", "advocate"):
        declare(f"/{path}", items)
    declare("/click", items)
    declare("/message", items)
    declare("/story", items, key=("ID",))
    declare("/postlog", records_at("Postlogs", "*"))
    # The tap reads the exports whose Status is active.
    declare("/bi-export", records_at("Exports", "*"), protected=("Status",))
    s.declare_records(
        f"{API_PREFIX}/bi-export/[^/]+",
        f"{API_PREFIX}/bi-export/{{Id}}",
        records_at("Export"),
        key=("Id",),
    )


def tap_config(base_url: str, **overrides: Any) -> dict[str, Any]:
    """A complete tap-oktopost config for a stand-in at ``base_url`` (no client-side cap)."""
    config: dict[str, Any] = {
        "account_id": ACCOUNT_ID,
        "api_key": API_KEY,
        "api_url": f"{base_url}{API_PREFIX}",
        "start_date": START_DATE,
        # No client-side cap against the stand-in. An integer setting: Meltano 4.4 turns an
        # environment variable of a ``decimal`` setting into a Decimal it cannot serialise.
        "requests_per_minute": 0,
    }
    config.update(overrides)
    return config


def expected_counts(standin: OktopostStandIn) -> dict[str, int]:
    """Records per stream for ``tap_config`` (start date far in the past, every stream)."""
    return {
        "bi_exports": len(standin.exports),
        "bi_export_details": len(standin.active_exports),
        **standin.file_streams(),
        "campaigns": len(standin.campaigns),
        "messages": len(standin.messages),
        "posts": len(standin.posts),
        "postlogs": len(standin.postlogs),
        "social_profiles": len(standin.credentials),
        "users": len(standin.users),
        "clicks": len(standin.clicks),
        "leads": len(standin.leads),
        "tags": len(standin.tags),
        "boards": len(standin.boards),
        "advocates": len(standin.advocates),
        "stories": len(standin.stories),
    }


def iter_rows(standin: OktopostStandIn, stream: str) -> Iterator[tuple[str, ExportFile]]:
    """(export id, file) pairs of active exports feeding ``stream``."""
    for export in standin.active_exports:
        for item in export.files:
            if item.stream == stream:
                yield export.id, item
