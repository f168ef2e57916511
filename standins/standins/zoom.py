"""Stand-in for the Zoom API v2 with Server-to-Server OAuth.

Reproduces what ``/work/shared/api-notes/zoom.md`` §12 lists: the token endpoint, Bearer checks,
``next_page_token`` pagination bound to its query, ``from``/``to`` window rules, the UUID
double-encoding rule, reports that only know meetings with two or more participants, deleted
meetings (3001), an unlicensed user (3161), dashboard plan/scope errors and rate-limit headers;
with ``build(rate_plan=...)`` also the plan's per-category and daily limits
(``standins.zoom_limits``).
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import math
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from standins.drift import path_params, pop_switches, records_at
from standins.limits import Clock
from standins.server import Handler, Request, Response, StandIn
from standins.zoom_limits import ENDPOINT_CATEGORIES, ZoomRateLimiter

ACCOUNT_ID = "standin-account"
CLIENT_ID = "standin-client-id"
CLIENT_SECRET = "standin-client-secret-9f3b2c"  # noqa: S105  (the stand-in's demo secret)

SCOPE = (
    "user:read:admin report:read:admin dashboard_meetings:read:admin "
    "dashboard_webinars:read:admin recording:read:admin meeting:read:admin webinar:read:admin"
)
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300
UNLICENSED_INDEX = 1

# Business plan limits per second, by category (api notes §7): the headers served without a
# ``rate_plan`` (nothing is enforced then). ``standins.zoom_limits`` has every plan.
RATE_LIMITS = {"Light": 80, "Medium": 60, "Heavy": 40, "Resource-intensive": 20}

_FIRST = ["Ada", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jun", "Kira"]
_LAST = ["Lovelace", "Petrov", "Wei", "Scully", "Nolde", "Haddad", "Bregovic", "Sato", "Orlov"]
_TOPICS = ["Standup", "Planning", "Retro", "1:1", "Seminar", "Office hours", "Review", "Sync"]
_DEPTS = ["Engineering", "Research", "Teaching", "Operations", ""]
_TZS = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC"]
_ZID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Fields that never drift: record keys (``id``, ``uuid``, participants' ``user_id`` and
#: ``join_time``, daily ``date``), the replication key ``start_time`` (also what the tap's
#: windows filter on); ``id`` and ``uuid`` are also the parent links of child streams.
PROTECTED = frozenset({"id", "uuid", "user_id", "join_time", "date", "start_time"})


# --- small helpers ------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(status: int, code: int, message: str) -> Response:
    return Response(status, {"code": code, "message": message})


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's length."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _zid(rng: random.Random) -> str:
    """A 22-character Zoom-style id such as ``KDcuGIm1QgePTO8WbOqwIQ``."""
    return "".join(rng.choice(_ZID_ALPHABET[:62]) for _ in range(22))


def _uuid(rng: random.Random) -> str:
    """A base64 meeting UUID such as ``aDYlohsHRtCd4ii1uC2+hA==`` (may contain ``/`` and ``+``)."""
    return base64.b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()


def _hex_uuid(rng: random.Random) -> str:
    raw = f"{rng.getrandbits(128):032x}"
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _hms(seconds: int) -> str:
    """Metrics durations: ``HH:MM:SS`` from one hour on, ``MM:SS`` below."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def decode_uuid(raw: str) -> tuple[str, bool]:
    """A raw path segment decoded the way Zoom does: twice if it holds ``%25``, else once.

    Returns the UUID and whether it was double-encoded.
    """
    if "%25" in raw:
        return unquote(unquote(raw)), True
    return unquote(raw), False


# --- the stand-in -------------------------------------------------------------------------------


class ZoomStandIn(StandIn):
    """Zoom API v2 routes over generated data (see ``build``)."""

    def __init__(self, *, latency: float, token_ttl: int, now: datetime, dashboard: str) -> None:
        super().__init__(latency=latency)
        if dashboard not in {"enabled", "plan", "scope"}:
            raise ValueError(f"dashboard must be enabled, plan or scope, not {dashboard!r}")
        self.now = now
        self.today = now.date()
        self.token_ttl = token_ttl
        self.dashboard = dashboard
        self.users: list[dict[str, Any]] = []
        self.series: dict[str, list[dict[str, Any]]] = {}
        self.instances: list[dict[str, Any]] = []
        self.report_instances: list[dict[str, Any]] = []
        self.participants: dict[str, list[dict[str, Any]]] = {}
        self.deleted_uuids: set[str] = set()
        self.metrics_meetings: list[dict[str, Any]] = []
        self.metrics_participants: dict[str, list[dict[str, Any]]] = {}
        self.recordings: dict[str, list[dict[str, Any]]] = {}
        self.webinars: dict[str, list[dict[str, Any]]] = {}
        self.past_webinars: list[dict[str, Any]] = []
        self.webinar_participants: dict[str, list[dict[str, Any]]] = {}
        self.daily: list[dict[str, Any]] = []
        self.issued_tokens: list[str] = []
        self.token_requests = 0
        self._tokens: dict[str, float] = {}
        self._auth_lock = threading.Lock()
        self._rate: dict[str, tuple[int, int]] = {}
        #: The plan's limits when ``build(rate_plan=...)``; ``None``: headers only, no limits.
        self.rate_limiter: ZoomRateLimiter | None = None

    # --- state switches used by tests ----------------------------------------------------

    @property
    def licensed_users(self) -> list[dict[str, Any]]:
        """Every user except the unlicensed one."""
        return [u for u in self.users if u["id"] in self.series]

    @property
    def unlicensed_user(self) -> dict[str, Any] | None:
        """The user (index 1) whose meeting, webinar and recording lists answer 3161."""
        return self.users[UNLICENSED_INDEX] if len(self.users) > UNLICENSED_INDEX else None

    def revoke_tokens(self) -> None:
        """Make every token issued so far invalid (the API then answers 401 code 124)."""
        with self._auth_lock:
            self._tokens.clear()

    def not_found(self, request: Request) -> Response:  # noqa: ARG002
        """Zoom's shape for an unknown path."""
        return _error(404, 404, "Not found")

    # --- plumbing ------------------------------------------------------------------------

    def _token_valid(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        with self._auth_lock:
            expiry = self._tokens.get(token.strip())
        return expiry is not None and expiry > time.time()

    def _rate_headers(self, category: str) -> dict[str, str]:
        limit = RATE_LIMITS[category]
        second = int(time.time())
        with self._auth_lock:
            window, used = self._rate.get(category, (second, 0))
            used = used + 1 if window == second else 1
            self._rate[category] = (second, used)
        return {
            "X-RateLimit-Category": category,
            "X-RateLimit-Type": "QPS",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
        }

    def api(self, pattern: str, template: str) -> Callable[[Handler], Handler]:
        """Register a GET handler under ``/v2`` behind the Bearer check, with rate headers.

        ``template`` is the documented path (``/users/{userId}/meetings``): its rate-limit
        category comes from ``standins.zoom_limits.ENDPOINT_CATEGORIES``. With a ``rate_plan``
        the plan's limits are enforced; without one, answers only carry Business headers.
        """
        category = ENDPOINT_CATEGORIES[template]

        def register(handler: Handler) -> Handler:
            def wrapped(request: Request) -> Response:
                if self.rate_limiter is not None:
                    return self._limited(request, handler, category)
                if not self._token_valid(request):
                    response = _error(401, 124, "Invalid access token.")
                else:
                    response = self._answer(request, handler)
                response.headers.update(self._rate_headers(category))
                return response

            self.route("GET", f"/v2{pattern}")(wrapped)
            return handler

        return register

    def _limited(self, request: Request, handler: Handler, category: str) -> Response:
        """The answer under a plan's limits: authenticated requests count, 429 above a limit."""
        if not self._token_valid(request):
            return _error(401, 124, "Invalid access token.")
        assert self.rate_limiter is not None  # noqa: S101 - checked by the caller
        verdict = self.rate_limiter.admit(category)
        if verdict.refused:
            return Response(429, verdict.refusal, verdict.headers)
        response = self._answer(request, handler)
        response.headers.update(verdict.headers)
        return response

    def _answer(self, request: Request, handler: Handler) -> Response:
        """The handler's answer, or the dashboard's plan or scope error."""
        if request.raw_path.startswith("/v2/metrics/") and self.dashboard == "plan":
            return _error(
                400, 200, "Only available for Paid account and enabled Dashboard feature."
            )
        if request.raw_path.startswith("/v2/metrics/") and self.dashboard == "scope":
            return _error(
                403,
                4711,
                "Invalid access token, does not contain scopes:[dashboard_meetings:read:admin].",
            )
        return handler(request)

    def page(
        self,
        request: Request,
        items: list[dict[str, Any]],
        key: str,
        *,
        head: dict[str, Any] | None = None,
        page_count: bool = True,
        page_number: bool = False,
        tail: dict[str, Any] | None = None,
    ) -> Response:
        """One page of ``items`` under ``key``, with a ``next_page_token`` bound to the query."""
        raw_size = request.arg("page_size")
        try:
            size = int(raw_size) if raw_size not in (None, "") else DEFAULT_PAGE_SIZE
        except ValueError:
            return _error(400, 300, "Invalid field: page_size")
        if size < 1:
            return _error(400, 300, "Invalid field: page_size")
        size = min(size, MAX_PAGE_SIZE)
        query = sorted(
            (k, tuple(v))
            for k, v in request.query.items()
            if k not in {"next_page_token", "page_size", "page_number"}
        )
        signature = hashlib.sha1(  # noqa: S324  (not security)
            repr((request.raw_path, query)).encode()
        ).hexdigest()[:16]
        offset = 0
        token = request.arg("next_page_token") or ""
        if token:
            offset_or_none = _read_page_token(token, signature)
            if offset_or_none is None or offset_or_none > len(items):
                return _error(400, 300, "Invalid next_page_token")
            offset = offset_or_none
        end = offset + size
        body: dict[str, Any] = dict(head or {})
        if page_count:
            body["page_count"] = math.ceil(len(items) / size)
        if page_number:
            body["page_number"] = 1
        body["page_size"] = size
        body["total_records"] = len(items)
        body["next_page_token"] = _page_token(signature, end) if end < len(items) else ""
        body.update(tail or {})
        body[key] = items[offset:end]
        return Response(200, body)

    def window(
        self, request: Request, *, recent_only: bool, default_today: bool = False
    ) -> tuple[date, date] | Response:
        """``from``/``to`` checked as Zoom does, or the 400 to answer."""
        bounds: list[date] = []
        for name in ("from", "to"):
            value = request.arg(name)
            if not value and default_today:
                bounds.append(self.today)
                continue
            if not value or not _DATE_RE.match(value):
                return _error(400, 300, f"Invalid date format: {name}")
            try:
                bounds.append(date.fromisoformat(value))
            except ValueError:
                return _error(400, 300, f"Invalid date format: {name}")
        start, end = bounds
        if end < start:
            return _error(400, 300, "The to date cannot be earlier than the from date.")
        if end >= add_months(start, 1):
            return _error(400, 300, "The date range is greater than 1 month.")
        if recent_only and start < add_months(self.today, -6):
            return _error(400, 300, "From date cannot be more than 6 months ago.")
        return start, end

    def user(self, raw: str) -> dict[str, Any] | Response:
        """The user a path segment names (id, email or ``me``), or the 1001 answer."""
        ident = unquote(raw)
        for user in self.users:
            if ident in {user["id"], user["email"]} or (ident == "me" and user is self.users[0]):
                return user
        return _error(404, 1001, f"User does not exist: {ident}.")

    def licensed(self, raw: str) -> dict[str, Any] | Response:
        """Like ``user`` but answers 3161 for the unlicensed one."""
        user = self.user(raw)
        if isinstance(user, dict) and user["id"] not in self.series:
            return _error(400, 3161, "User does not have the permission to host meetings.")
        return user

    def meeting_uuid(self, raw: str, known: dict[str, Any]) -> str | Response:
        """The UUID in a raw path segment, applying Zoom's double-encoding rule and 3001s."""
        uuid, double = decode_uuid(raw)
        if not double and (uuid.startswith("/") or "//" in uuid):
            return _error(404, 3001, f"Meeting does not exist: {uuid.removeprefix('/')}.")
        if uuid not in known or uuid in self.deleted_uuids:
            return _error(404, 3001, f"Meeting does not exist: {uuid}.")
        return uuid


def _page_token(signature: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{signature}:{offset}".encode()).decode().rstrip("=")


def _read_page_token(token: str, signature: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    sig, _, offset = text.partition(":")
    if sig != signature or not offset.isdigit():
        return None
    return int(offset)


# --- data generation ----------------------------------------------------------------------------


class _Generator:
    """Builds the stand-in's data deterministically from one ``random.Random``."""

    def __init__(self, standin: ZoomStandIn, rng: random.Random, days: int) -> None:
        self.s = standin
        self.rng = rng
        self.days = days
        self.now = standin.now
        self.used_ids: set[int] = set()
        self.used_uuids: set[str] = set()
        self.participant_ids: dict[str, str] = {}

    def meeting_id(self, digits: int | None = None) -> int:
        """A fresh int64 meeting id of 9 to 11 digits (10-digit ones mostly above 2**31)."""
        while True:
            n = digits or self.rng.choice([9, 10, 10, 11])
            value = self.rng.randint(10 ** (n - 1), 10**n - 1)
            if n == 10:
                value = max(value, 2**31 + self.rng.randint(1, 10**9))
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def uuid(self) -> str:
        while True:
            value = _uuid(self.rng)
            if value not in self.used_uuids:
                self.used_uuids.add(value)
                return value

    # --- users ---------------------------------------------------------------------------

    def users(self, hosts: int) -> None:
        rng = self.rng
        for index in range(hosts):
            first = _FIRST[index % len(_FIRST)]
            last = _LAST[(index * 5 + 2) % len(_LAST)]
            suffix = "" if index < len(_FIRST) else str(index)
            created = self.now - timedelta(
                days=rng.randint(1, self.days) if index % 3 == 2 else rng.randint(200, 1500),
                seconds=rng.randint(0, 86399),
            )
            licensed = index != UNLICENSED_INDEX
            self.s.users.append(
                {
                    "id": _zid(rng),
                    "first_name": first,
                    "last_name": last,
                    "display_name": f"{first} {last}",
                    "email": f"{first.lower()}.{last.lower()}{suffix}@example.com",
                    "type": 2 if licensed else 1,
                    "pmi": rng.randint(10**9, 10**10 - 1),
                    "timezone": rng.choice(_TZS),
                    "dept": rng.choice(_DEPTS),
                    "created_at": _iso(created),
                    "user_created_at": _iso(created),
                    "last_login_time": _iso(self.now - timedelta(minutes=rng.randint(5, 20000))),
                    "last_client_version": f"5.17.{rng.randint(0, 11)}.{rng.randint(1000, 39999)}"
                    f"({rng.choice(['mac', 'win', 'linux'])})",
                    "group_ids": [],
                    "im_group_ids": [],
                    "role_id": "0" if index == 0 else "2",
                    "status": "active",
                    "verified": 1,
                    "language": "en-US",
                    "phone_number": "",
                    "employee_unique_id": "",
                    "custom_attributes": [],
                }
            )

    # --- meetings ------------------------------------------------------------------------

    def meetings(self, count: int) -> None:
        rng, s = self.rng, self.s
        licensed = [u for i, u in enumerate(s.users) if i != UNLICENSED_INDEX]
        for user in licensed:
            s.series[user["id"]] = []
            s.recordings[user["id"]] = []
            s.webinars[user["id"]] = []
        if not licensed:
            return
        per_host: dict[str, list[int]] = {u["id"]: [] for u in licensed}
        for i in range(count):
            per_host[licensed[i % len(licensed)]["id"]].append(i)
        instances: list[dict[str, Any]] = []
        eleven_digit_done = False
        for user in licensed:
            n = len(per_host[user["id"]])
            k_rec = 0 if n < 4 else min(4, max(1, n // 8))
            n_rec = 0 if k_rec == 0 else max(2 * k_rec, n // 2)
            recurring = []
            for _ in range(k_rec):
                digits = None if eleven_digit_done else 11
                eleven_digit_done = True
                recurring.append(self.new_series(user, 8, self.meeting_id(digits)))
            for pos in range(n):
                if pos < n_rec:
                    series = recurring[pos % k_rec]
                else:
                    series = self.new_series(user, 2, self.meeting_id())
                instances.append(self.instance(user, series))
        instances.sort(key=lambda m: (m["start_time"], m["id"]))
        for instance in instances:
            instance["uuid"] = self.uuid()
        self.roles(instances)
        for instance in instances:
            series = instance.pop("_series")
            if series["type"] == 2:
                series["uuid"] = instance["uuid"]
                series["start_time"] = instance["start_time"]
            else:
                series["start_time"] = min(series["start_time"] or "~", instance["start_time"])
        for user in licensed:
            for series in s.series[user["id"]]:
                series["uuid"] = series["uuid"] or self.uuid()
                first = datetime.strptime(series["start_time"], "%Y-%m-%dT%H:%M:%SZ")
                series["created_at"] = _iso(first - timedelta(days=rng.randint(1, 30)))
        s.instances = instances

    def new_series(self, user: dict[str, Any], kind: int, meeting_id: int) -> dict[str, Any]:
        rng = self.rng
        series = {
            "uuid": "",
            "id": meeting_id,
            "host_id": user["id"],
            "topic": f"{rng.choice(_TOPICS)} {meeting_id % 1000:03d}",
            "type": kind,
            "start_time": "",
            "duration": rng.choice([15, 30, 45, 60, 90]),
            "timezone": user["timezone"],
            "created_at": "",
            "join_url": f"https://us02web.zoom.us/j/{meeting_id}",
            "agenda": rng.choice(["", "Weekly catch-up", "Notes in the shared doc"]),
            "pmi": str(user["pmi"]),
        }
        self.s.series[user["id"]].append(series)
        return series

    def instance(self, user: dict[str, Any], series: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        minutes = max(5, series["duration"] + rng.randint(-10, 20))
        latest = self.days * 86400
        start = self.now - timedelta(seconds=rng.randint(minutes * 60 + 60, latest))
        end = start + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        return {
            "uuid": "",
            "id": series["id"],
            "host_id": user["id"],
            "type": series["type"],
            "topic": series["topic"],
            "user_name": user["display_name"],
            "user_email": user["email"],
            "start_time": _iso(start),
            "end_time": _iso(end),
            "duration": minutes,
            "total_minutes": 0,
            "participants_count": 0,
            "source": rng.choice(["Zoom", "Zoom", "Zoom Rooms"]),
            "custom_keys": [],
            "_series": series,
        }

    def roles(self, instances: list[dict[str, Any]]) -> None:
        """Pick the low-attendance, deleted and odd-UUID instances, then build participants."""
        rng, s = self.rng, self.s
        n = len(instances)
        indices = list(range(n))
        low = set(rng.sample(indices, max(2, n // 20))) if n >= 6 else set()
        report = [i for i in indices if i not in low]
        n_deleted = 2 if len(report) >= 10 else 1 if len(report) >= 3 else 0
        deleted = set(rng.sample(report[1:], n_deleted))
        plain = [i for i in report if i not in deleted]
        per_kind = max(1, n // 20)
        odd = rng.sample(plain, min(len(plain), 3 * per_kind))
        for pos, i in enumerate(odd):
            chars = list(instances[i]["uuid"])
            kind = pos % 3
            if kind == 0:
                chars[0] = "/"
            elif kind == 1:
                chars[6:8] = ["/", "/"]
            else:
                chars[9] = "+"
            instances[i]["uuid"] = "".join(chars)
        first_report = report[0] if report else -1
        for i, instance in enumerate(instances):
            sessions = self.sessions(instance, alone=i in low, force_rejoin=i == first_report)
            instance["participants_count"] = len(sessions)
            instance["total_minutes"] = sum(x["seconds"] for x in sessions) // 60
            uuid = instance["uuid"]
            s.metrics_participants[uuid] = [self.metrics_session(x) for x in sessions]
            if i not in low:
                s.report_instances.append(instance)
                s.participants[uuid] = [self.report_session(x) for x in sessions]
            if i in deleted:
                s.deleted_uuids.add(uuid)
            recorded = rng.random() < 0.25
            s.metrics_meetings.append(self.metrics_meeting(instance, recorded))
            if recorded:
                s.recordings[instance["host_id"]].append(self.recording(instance))

    # --- sessions ------------------------------------------------------------------------

    def sessions(
        self, meeting: dict[str, Any], *, alone: bool, force_rejoin: bool = False
    ) -> list[dict[str, Any]]:
        """Participant sessions: the host first, users and guests; some rejoin 2-3 times."""
        rng, s = self.rng, self.s
        start = datetime.strptime(meeting["start_time"], "%Y-%m-%dT%H:%M:%SZ")
        end = datetime.strptime(meeting["end_time"], "%Y-%m-%dT%H:%M:%SZ")
        span = int((end - start).total_seconds())
        host = next(u for u in s.users if u["id"] == meeting["host_id"])
        people: list[dict[str, Any] | None] = [host]
        if not alone:
            others = [u for u in s.users if u is not host]
            for _ in range(rng.randint(1, 6)):
                if others and rng.random() < 0.6:
                    people.append(others.pop(rng.randrange(len(others))))
                else:
                    people.append(None)  # a guest
        result = []
        guests = 0
        for position, person in enumerate(people):
            first_join = rng.randint(0, span // 5)
            last_leave = span - rng.randint(0, span // 5)
            rejoins = (
                1
                if alone
                else (2 if force_rejoin and position == 1 else rng.choice([1, 1, 1, 1, 2, 3]))
            )
            cuts = sorted(rng.sample(range(first_join + 1, last_leave), 2 * (rejoins - 1)))
            bounds = [first_join, *cuts, last_leave]
            if person is None:
                guests += 1
                name, email, zoom_id = f"Guest {guests}", "", ""
            else:
                name, email, zoom_id = person["display_name"], person["email"], person["id"]
            participant_id = str(16777216 + 1024 * (position + 1) + rng.randint(0, 1023))
            for k in range(rejoins):
                joined = start + timedelta(seconds=bounds[2 * k])
                left = start + timedelta(seconds=bounds[2 * k + 1])
                result.append(
                    {
                        "zoom_id": zoom_id,
                        "participant_id": participant_id,
                        "participant_user_id": self.participant_user_id(zoom_id),
                        "name": name,
                        "email": email,
                        "join": _iso(joined),
                        "leave": _iso(left),
                        "seconds": int((left - joined).total_seconds()),
                        "last": k == rejoins - 1,
                    }
                )
        return result

    def participant_user_id(self, zoom_id: str) -> str:
        if not zoom_id:
            return ""
        if zoom_id not in self.participant_ids:
            self.participant_ids[zoom_id] = _zid(self.rng)
        return self.participant_ids[zoom_id]

    @staticmethod
    def report_session(x: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": x["zoom_id"],
            "user_id": x["participant_id"],
            "name": x["name"],
            "user_email": x["email"],
            "join_time": x["join"],
            "leave_time": x["leave"],
            "duration": x["seconds"],
            "attentiveness_score": "",
            "failover": False,
            "status": "in_meeting",
            "customer_key": "",
            "registrant_id": "",
            "participant_user_id": x["participant_user_id"],
        }

    def metrics_session(self, x: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        device = rng.choice(["Mac", "Windows", "iOS", "Android", "Linux"])
        return {
            "id": x["zoom_id"],
            "user_id": x["participant_id"],
            "user_name": x["name"],
            "device": device,
            "ip_address": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "location": rng.choice(["Boston (US)", "Berlin (DE)", "Tokyo (JP)"]),
            "network_type": rng.choice(["Wired", "Wifi", "Cellular"]),
            "microphone": "Built-in Microphone",
            "speaker": "Built-in Output",
            "camera": rng.choice(["FaceTime HD Camera", "Integrated Webcam", ""]),
            "data_center": rng.choice(["US (SJ)", "US (NY)", "EU (Frankfurt)"]),
            "connection_type": rng.choice(["UDP", "P2P", "SSL"]),
            "join_time": x["join"],
            "leave_time": x["leave"],
            "share_application": rng.random() < 0.1,
            "share_desktop": rng.random() < 0.2,
            "share_whiteboard": False,
            "recording": rng.random() < 0.1,
            "pc_name": f"{device.upper()}-{rng.randint(100, 999)}",
            "domain": "",
            "mac_addr": "",
            "harddisk_id": "",
            "version": f"5.17.{rng.randint(0, 11)}.{rng.randint(1000, 39999)}",
            "leave_reason": (
                f"{x['name']} left the meeting.<br>Reason: left the meeting."
                if x["last"]
                else f"{x['name']} got disconnected from the meeting.<br>Reason: network issue."
            ),
            "email": x["email"],
            "registrant_id": "",
            "status": "in_meeting",
            "customer_key": "",
        }

    def metrics_meeting(self, meeting: dict[str, Any], recorded: bool) -> dict[str, Any]:
        rng = self.rng
        host = next(u for u in self.s.users if u["id"] == meeting["host_id"])
        start = datetime.strptime(meeting["start_time"], "%Y-%m-%dT%H:%M:%SZ")
        end = datetime.strptime(meeting["end_time"], "%Y-%m-%dT%H:%M:%SZ")
        return {
            "uuid": meeting["uuid"],
            "id": meeting["id"],
            "topic": meeting["topic"],
            "host": host["display_name"],
            "email": host["email"],
            "user_type": "Licensed",
            "start_time": meeting["start_time"],
            "end_time": meeting["end_time"],
            "duration": _hms(int((end - start).total_seconds())),
            "participants": meeting["participants_count"],
            "has_pstn": rng.random() < 0.1,
            "has_voip": True,
            "has_3rd_party_audio": False,
            "has_video": rng.random() < 0.8,
            "has_screen_share": rng.random() < 0.5,
            "has_recording": recorded,
            "has_sip": False,
            "has_archiving": False,
            "in_room_participants": 0,
            "dept": host["dept"],
            "custom_keys": [],
        }

    def recording(self, meeting: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        start = datetime.strptime(meeting["start_time"], "%Y-%m-%dT%H:%M:%SZ")
        rec_start = _iso(start + timedelta(seconds=rng.randint(1, 30)))
        kinds = [
            ("MP4", "MP4", "shared_screen_with_speaker_view"),
            ("M4A", "M4A", "audio_only"),
        ]
        if rng.random() < 0.5:
            kinds.append(("CHAT", "TXT", "chat_file"))
        if rng.random() < 0.5:
            kinds.append(("TRANSCRIPT", "VTT", "audio_transcript"))
        files = []
        for file_type, extension, recording_type in kinds:
            token = secrets_like(rng)
            files.append(
                {
                    "id": _hex_uuid(rng),
                    "meeting_id": meeting["uuid"],
                    "recording_start": rec_start,
                    "recording_end": meeting["end_time"],
                    "file_type": file_type,
                    "file_extension": extension,
                    "file_size": rng.randint(10_000, 900_000_000),
                    "play_url": f"https://us02web.zoom.us/rec/play/{token}",
                    "download_url": f"https://us02web.zoom.us/rec/download/{token}",
                    "status": "completed",
                    "recording_type": recording_type,
                }
            )
        return {
            "uuid": meeting["uuid"],
            "id": meeting["id"],
            "account_id": ACCOUNT_ID,
            "host_id": meeting["host_id"],
            "topic": meeting["topic"],
            "type": meeting["type"],
            "start_time": meeting["start_time"],
            "duration": meeting["duration"],
            "total_size": sum(f["file_size"] for f in files),
            "recording_count": len(files),
            "share_url": f"https://us02web.zoom.us/rec/share/{secrets_like(rng)}",
            "recording_files": files,
        }

    # --- webinars and daily --------------------------------------------------------------

    def webinar_data(self) -> None:
        rng, s = self.rng, self.s
        licensed = [u for u in s.users if u["id"] in s.series]
        if not licensed:
            return
        host = licensed[0]
        for index in range(3):
            webinar_id = self.meeting_id(11)
            minutes = rng.choice([45, 60, 90])
            start = self.now - timedelta(
                seconds=rng.randint(minutes * 60 + 3600, max(self.days * 86400, 7200))
            )
            end = start + timedelta(minutes=minutes)
            uuid = self.uuid()
            if index == 0:
                uuid = "/" + uuid[1:]
            topic = f"Webinar {rng.choice(_TOPICS)} {webinar_id % 1000:03d}"
            s.webinars[host["id"]].append(
                {
                    "uuid": uuid,
                    "id": webinar_id,
                    "host_id": host["id"],
                    "topic": topic,
                    "type": 5,
                    "start_time": _iso(start),
                    "duration": minutes,
                    "timezone": host["timezone"],
                    "created_at": _iso(start - timedelta(days=rng.randint(3, 40))),
                    "join_url": f"https://us02web.zoom.us/w/{webinar_id}",
                    "agenda": "",
                }
            )
            meeting = {
                "uuid": uuid,
                "id": webinar_id,
                "host_id": host["id"],
                "topic": topic,
                "start_time": _iso(start),
                "end_time": _iso(end),
                "participants_count": 0,
            }
            sessions = self.sessions(meeting, alone=False, force_rejoin=True)
            meeting["participants_count"] = len(sessions)
            s.webinar_participants[uuid] = [self.report_session(x) for x in sessions]
            s.past_webinars.append(self.metrics_meeting(meeting, recorded=False))
        s.past_webinars.sort(key=lambda w: w["start_time"])

    def daily_data(self) -> None:
        s = self.s
        first = add_months(s.today, -6).replace(day=1)
        per_day: dict[str, dict[str, int]] = {}
        for instance in s.instances:
            row = per_day.setdefault(instance["start_time"][:10], {"m": 0, "p": 0, "min": 0})
            row["m"] += 1
            row["p"] += instance["participants_count"]
            row["min"] += instance["duration"]
        created: dict[str, int] = {}
        for user in s.users:
            created[user["created_at"][:10]] = created.get(user["created_at"][:10], 0) + 1
        day = first
        while day <= s.today:
            key = day.isoformat()
            row = per_day.get(key, {"m": 0, "p": 0, "min": 0})
            s.daily.append(
                {
                    "date": key,
                    "new_users": created.get(key, 0),
                    "meetings": row["m"],
                    "participants": row["p"],
                    "meeting_minutes": row["min"],
                }
            )
            day += timedelta(days=1)


def secrets_like(rng: random.Random) -> str:
    """A deterministic URL-safe random string (for share, play and download links)."""
    return "".join(rng.choice(_ZID_ALPHABET) for _ in range(32))


# --- routes -------------------------------------------------------------------------------------


def _routes(s: ZoomStandIn) -> None:
    @s.route("POST", r"/oauth/token")
    def token(request: Request) -> Response:
        with s._auth_lock:
            s.token_requests += 1
        params = dict(request.query)
        if request.body:
            for key, values in request.form().items():
                params.setdefault(key, values)
        grant = (params.get("grant_type") or [""])[0]
        account = (params.get("account_id") or [""])[0]
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            client = base64.b64decode(encoded, validate=True).decode() if encoded else ""
        except (ValueError, UnicodeDecodeError):
            client = ""
        if scheme.lower() != "basic" or client != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return Response(
                401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
            )
        if grant != "account_credentials":
            return Response(
                400, {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
            )
        if account != ACCOUNT_ID:
            return Response(400, {"reason": "Invalid account_id", "error": "invalid_request"})
        access = secrets.token_urlsafe(48)
        with s._auth_lock:
            s._tokens[access] = time.time() + s.token_ttl
            s.issued_tokens.append(access)
        return Response(
            200,
            {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": s.token_ttl,
                "scope": SCOPE,
                "api_url": "https://api.zoom.us",
            },
        )

    # users -------------------------------------------------------------------------------

    @s.api(r"/users", "/users")
    def users(request: Request) -> Response:
        status = request.arg("status") or "active"
        items = [u for u in s.users if u["status"] == status]
        return s.page(request, items, "users", page_number=True)

    @s.api(r"/users/(?P<user>[^/]+)/meetings", "/users/{userId}/meetings")
    def user_meetings(request: Request) -> Response:
        user = s.licensed(request.params["user"])
        if isinstance(user, Response):
            return user
        kind = request.arg("type") or "scheduled"
        items = s.series[user["id"]] if kind in {"scheduled", "previous_meetings"} else []
        return s.page(request, items, "meetings", page_count=False)

    @s.api(r"/users/(?P<user>[^/]+)/webinars", "/users/{userId}/webinars")
    def user_webinars(request: Request) -> Response:
        user = s.licensed(request.params["user"])
        if isinstance(user, Response):
            return user
        return s.page(request, s.webinars[user["id"]], "webinars", page_number=True)

    @s.api(r"/users/(?P<user>[^/]+)/recordings", "/users/{userId}/recordings")
    def user_recordings(request: Request) -> Response:
        user = s.licensed(request.params["user"])
        if isinstance(user, Response):
            return user
        bounds = s.window(request, recent_only=False, default_today=True)
        if isinstance(bounds, Response):
            return bounds
        start, end = bounds
        items = [
            r
            for r in s.recordings[user["id"]]
            if start.isoformat() <= r["start_time"][:10] <= end.isoformat()
        ]
        head = {"from": start.isoformat(), "to": end.isoformat()}
        return s.page(request, items, "meetings", head=head, page_count=False)

    # reports -----------------------------------------------------------------------------

    def in_window(items: list[dict[str, Any]], bounds: tuple[date, date]) -> list[dict[str, Any]]:
        low, high = bounds[0].isoformat(), bounds[1].isoformat()
        return [m for m in items if low <= m["start_time"][:10] <= high]

    @s.api(r"/report/users", "/report/users")
    def report_users(request: Request) -> Response:
        bounds = s.window(request, recent_only=True)
        if isinstance(bounds, Response):
            return bounds
        meetings = in_window(s.report_instances, bounds)
        rows = []
        for user in s.users:
            mine = [m for m in meetings if m["host_id"] == user["id"]]
            if not mine:
                continue
            rows.append(
                {
                    "id": user["id"],
                    "email": user["email"],
                    "user_name": user["display_name"],
                    "type": user["type"],
                    "dept": user["dept"],
                    "meetings": len(mine),
                    "participants": sum(m["participants_count"] for m in mine),
                    "meeting_minutes": sum(m["duration"] for m in mine),
                    "last_client_version": user["last_client_version"],
                    "last_login_time": user["last_login_time"],
                    "create_time": user["created_at"],
                    "custom_attributes": [],
                }
            )
        head = {"from": bounds[0].isoformat(), "to": bounds[1].isoformat()}
        tail = {
            "total_meetings": sum(r["meetings"] for r in rows),
            "total_participants": sum(r["participants"] for r in rows),
            "total_meeting_minutes": sum(r["meeting_minutes"] for r in rows),
        }
        return s.page(request, rows, "users", head=head, page_count=False, tail=tail)

    @s.api(r"/report/users/(?P<user>[^/]+)/meetings", "/report/users/{userId}/meetings")
    def report_user_meetings(request: Request) -> Response:
        user = s.user(request.params["user"])
        if isinstance(user, Response):
            return user
        bounds = s.window(request, recent_only=True)
        if isinstance(bounds, Response):
            return bounds
        items = [m for m in in_window(s.report_instances, bounds) if m["host_id"] == user["id"]]
        head = {"from": bounds[0].isoformat(), "to": bounds[1].isoformat()}
        return s.page(request, items, "meetings", head=head, page_count=False)

    report_by_uuid = {m["uuid"]: m for m in s.report_instances}
    all_by_uuid = {m["uuid"]: m for m in s.instances}

    def latest_report_uuid(raw: str) -> str | None:
        """A numeric meeting id stands for its latest instance (Zoom's behaviour)."""
        if not raw.isdigit():
            return None
        mine = [m for m in s.report_instances if m["id"] == int(raw)]
        return mine[-1]["uuid"] if mine else None

    @s.api(
        r"/report/meetings/(?P<uuid>.+)/participants", "/report/meetings/{meetingUUID}/participants"
    )
    def report_participants(request: Request) -> Response:
        raw = request.params["uuid"]
        uuid = latest_report_uuid(raw) or s.meeting_uuid(raw, report_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        return s.page(request, s.participants[uuid], "participants")

    @s.api(r"/report/meetings/(?P<uuid>.+)", "/report/meetings/{meetingUUID}")
    def report_meeting(request: Request) -> Response:
        raw = request.params["uuid"]
        uuid = latest_report_uuid(raw) or s.meeting_uuid(raw, report_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        meeting = {k: v for k, v in report_by_uuid[uuid].items() if k != "source"}
        host_id = meeting.pop("host_id")
        host = next(u for u in s.users if u["id"] == host_id)
        return Response(200, {**meeting, "tracking_fields": [], "dept": host["dept"]})

    webinar_by_uuid = {w["uuid"]: w for w in s.past_webinars}

    @s.api(
        r"/report/webinars/(?P<uuid>.+)/participants", "/report/webinars/{webinarUUID}/participants"
    )
    def report_webinar_participants(request: Request) -> Response:
        uuid = s.meeting_uuid(request.params["uuid"], webinar_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        return s.page(request, s.webinar_participants[uuid], "participants")

    @s.api(r"/report/daily", "/report/daily")
    def report_daily(request: Request) -> Response:
        try:
            year = int(request.arg("year") or s.today.year)
            month = int(request.arg("month") or s.today.month)
            first = date(year, month, 1)
        except ValueError:
            return _error(400, 300, "Invalid field.")
        if first < add_months(s.today, -6).replace(day=1):
            return _error(400, 300, "Report can only be retrieved for the recent 6 months.")
        prefix = first.isoformat()[:7]
        dates = [d for d in s.daily if d["date"].startswith(prefix)]
        return Response(200, {"year": year, "month": month, "dates": dates})

    # dashboards --------------------------------------------------------------------------

    def metrics_list(request: Request, items: list[dict[str, Any]], key: str) -> Response:
        bounds = s.window(request, recent_only=True)
        if isinstance(bounds, Response):
            return bounds
        kind = request.arg("type") or "live"
        chosen = in_window(items, bounds) if kind in {"past", "pastOne"} else []
        head = {"from": bounds[0].isoformat(), "to": bounds[1].isoformat()}
        return s.page(request, chosen, key, head=head)

    @s.api(r"/metrics/meetings", "/metrics/meetings")
    def metrics_meetings(request: Request) -> Response:
        return metrics_list(request, s.metrics_meetings, "meetings")

    @s.api(r"/metrics/webinars", "/metrics/webinars")
    def metrics_webinars(request: Request) -> Response:
        return metrics_list(request, s.past_webinars, "webinars")

    metrics_by_uuid = {m["uuid"]: m for m in s.metrics_meetings}

    @s.api(
        r"/metrics/meetings/(?P<uuid>.+)/participants",
        "/metrics/meetings/{meetingUUID}/participants",
    )
    def metrics_participants(request: Request) -> Response:
        uuid = s.meeting_uuid(request.params["uuid"], metrics_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        kind = request.arg("type") or "live"
        items = s.metrics_participants[uuid] if kind in {"past", "pastOne"} else []
        return s.page(request, items, "participants")

    @s.api(r"/metrics/meetings/(?P<uuid>[^/]+)", "/metrics/meetings/{meetingUUID}")
    def metrics_meeting(request: Request) -> Response:
        uuid = s.meeting_uuid(request.params["uuid"], metrics_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        return Response(200, metrics_by_uuid[uuid])

    # past meetings -----------------------------------------------------------------------

    @s.api(r"/past_meetings/(?P<mid>\d+)/instances", "/past_meetings/{meetingId}/instances")
    def past_instances(request: Request) -> Response:
        mid = int(request.params["mid"])
        mine = [m for m in s.instances if m["id"] == mid]
        if not mine:
            return _error(404, 3001, f"Meeting does not exist: {mid}.")
        return Response(
            200, {"meetings": [{"uuid": m["uuid"], "start_time": m["start_time"]} for m in mine]}
        )

    @s.api(r"/past_meetings/(?P<uuid>.+)/participants", "/past_meetings/{meetingUUID}/participants")
    def past_meeting_participants(request: Request) -> Response:
        uuid = s.meeting_uuid(request.params["uuid"], report_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        people: dict[str, dict[str, Any]] = {}
        for x in s.participants[uuid]:
            people.setdefault(
                x["user_id"], {"id": x["id"], "name": x["name"], "user_email": x["user_email"]}
            )
        return s.page(request, list(people.values()), "participants")

    @s.api(r"/past_meetings/(?P<uuid>.+)", "/past_meetings/{meetingUUID}")
    def past_meeting(request: Request) -> Response:
        uuid = s.meeting_uuid(request.params["uuid"], all_by_uuid)
        if isinstance(uuid, Response):
            return uuid
        m = all_by_uuid[uuid]
        keys = ["uuid", "id", "host_id", "type", "topic", "user_name", "user_email"]
        keys += ["start_time", "end_time", "duration", "total_minutes", "participants_count"]
        return Response(200, {k: m[k] for k in keys})


# --- records, for drift and keyless ------------------------------------------------------------


def _meeting_uuid(raw: str) -> str:
    """A UUID path segment decoded as Zoom does (the key the tap stores)."""
    return decode_uuid(raw)[0]


def _record_routes(s: ZoomStandIn) -> None:
    """Where each answer's records are; participants are keyed by their instance too."""
    s.protected_fields = PROTECTED
    session = ("user_id", "join_time")
    s.declare_records(r"/v2/users", "/v2/users", records_at("users", "*"))
    for kind in ("meetings", "webinars"):
        s.declare_records(
            rf"/v2/users/[^/]+/{kind}", f"/v2/users/{{userId}}/{kind}", records_at(kind, "*")
        )
    s.declare_records(
        r"/v2/users/[^/]+/recordings",
        "/v2/users/{userId}/recordings",
        records_at("meetings", "*"),
        key=("uuid",),
    )
    s.declare_records(
        r"/v2/report/users",
        "/v2/report/users",
        records_at("users", "*"),
        context=lambda _params, request: {"window_from": request.arg("from")},
    )
    s.declare_records(
        r"/v2/report/users/[^/]+/meetings",
        "/v2/report/users/{userId}/meetings",
        records_at("meetings", "*"),
        key=("uuid",),
    )
    for family, parent in (
        ("report/meetings", "meeting"),
        ("report/webinars", "webinar"),
        ("metrics/meetings", "meeting"),
    ):
        s.declare_records(
            rf"/v2/{family}/(?P<{parent}_uuid>.+)/participants",
            f"/v2/{family}/{{{parent}UUID}}/participants",
            records_at("participants", "*"),
            key=session,
            context=path_params(**{f"{parent}_uuid": _meeting_uuid}),
        )
    s.declare_records(
        r"/v2/report/meetings/.+", "/v2/report/meetings/{meetingUUID}", records_at(), key=("uuid",)
    )
    s.declare_records(
        r"/v2/report/daily", "/v2/report/daily", records_at("dates", "*"), key=("date",)
    )
    for kind in ("meetings", "webinars"):
        s.declare_records(
            rf"/v2/metrics/{kind}", f"/v2/metrics/{kind}", records_at(kind, "*"), key=("uuid",)
        )
    s.declare_records(
        r"/v2/metrics/meetings/[^/]+",
        "/v2/metrics/meetings/{meetingUUID}",
        records_at(),
        key=("uuid",),
    )
    s.declare_records(
        r"/v2/past_meetings/\d+/instances",
        "/v2/past_meetings/{meetingId}/instances",
        records_at("meetings", "*"),
        key=("uuid",),
    )
    s.declare_records(
        r"/v2/past_meetings/(?P<meeting_uuid>.+)/participants",
        "/v2/past_meetings/{meetingUUID}/participants",
        records_at("participants", "*"),
        key=("id", "name"),
        context=path_params(meeting_uuid=_meeting_uuid),
    )
    s.declare_records(
        r"/v2/past_meetings/.+", "/v2/past_meetings/{meetingUUID}", records_at(), key=("uuid",)
    )


# --- entry point --------------------------------------------------------------------------------


def build(
    *,
    latency: float = 0.0,
    hosts: int = 4,
    instances: int = 40,
    seed: int = 7,
    days: int = 60,
    token_ttl: int = 3599,
    now: datetime | str | None = None,
    dashboard: str = "enabled",
    rate_plan: str | None = None,
    daily_limit: int | str | None = None,
    clock: Clock | None = None,
    **switches: Any,
) -> ZoomStandIn:
    """A Zoom stand-in with ``hosts`` users (index 1 unlicensed) and ``instances`` past meetings.

    Data depends only on ``seed``, ``now`` and the sizes. ``now`` defaults to the real UTC now.
    ``switches``: drift and breakage options (``drift``, ``drift_seed``, ``drift_log``,
    ``fail_path``, ``keyless``; see ``standins.drift``).

    Rate limits (off by default: answers then carry Business headers and nothing is refused):
    ``rate_plan`` (``free``, ``pro``, ``business``; ``business+``, ``enterprise``,
    ``education`` mean business) enforces that plan's per-category limits and daily limit, as
    ``standins.zoom_limits`` describes; ``daily_limit=N`` replaces the plan's daily number(s)
    (so a test reaches it in a few requests); ``clock`` (in-process only) replaces the
    limiter's ``time.time``. Refusals are counted in ``standin.limits`` by category.
    """
    if now is None:
        now = datetime.now(timezone.utc)
    elif isinstance(now, str):  # from the CLI: --option now=2026-05-20T12:00:00Z
        now = datetime.fromisoformat(now.replace("Z", "+00:00"))
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    now = now.astimezone(timezone.utc).replace(microsecond=0)
    days = max(1, days)
    standin = ZoomStandIn(latency=latency, token_ttl=token_ttl, now=now, dashboard=dashboard)
    if clock is not None:
        standin.limits.clock = clock
    if rate_plan not in (None, ""):
        standin.rate_limiter = ZoomRateLimiter(standin.limits, str(rate_plan), daily_limit)
    elif daily_limit not in (None, ""):
        raise ValueError("daily_limit needs a rate_plan (pro, business, ...)")
    generator = _Generator(standin, random.Random(seed), days)
    generator.users(max(1, hosts))
    generator.meetings(max(0, instances))
    generator.webinar_data()
    generator.daily_data()
    _routes(standin)
    _record_routes(standin)
    standin.configure(**pop_switches(switches))
    if switches:
        raise TypeError(f"unknown options: {', '.join(sorted(switches))}")
    return standin
