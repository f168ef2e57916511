"""Stand-in for the Stepik and Hyperskill REST APIs with their OAuth2 servers.

One module serves either platform (option ``platform=stepik`` or ``platform=hyperskill``) and
reproduces what ``/work/shared/api-notes/stepik.md`` §5 lists:

* ``POST /oauth2/token/`` with the grants ``client_credentials``, ``authorization_code`` (with
  ``redirect_uri`` and an optional PKCE ``code_verifier``) and ``refresh_token`` (rotated: the used
  refresh token is revoked, as django-oauth-toolkit does by default); client credentials in a
  Basic header or in the form; ``{"error": "invalid_grant"}`` / ``invalid_client`` errors.
* ``GET /oauth2/authorize/`` answering 302 to ``redirect_uri?code=...&state=...`` (the demo user
  is always logged in and always consents).
* ``Authorization: Bearer`` required on ``/api/...``, else 401 ``{"detail": ...}``.
* The envelope ``{"meta": {"page", "has_next", "has_previous"}, "<endpoint>": [...]}`` (kebab keys
  kept), ``/api/x/{id}`` as a one-element list, 404 ``{"detail": "Invalid page."}`` past the end.
* Stepik: repeated ``ids[]``, a fixed page size of 20 (``page_size`` ignored), ``enrollments``
  side-loaded on courses, dates ``...Z`` without fraction, ``submissions`` needing ``step``,
  ``attempt`` or ``ids[]``.
* Hyperskill: ``ids=1,2,3``, ``page_size`` honoured up to 100, ``step=`` comma lists on
  submissions, ``steps`` needing ``topic`` or ``ids``, dates with ``.ffffffZ`` and ``+00:00``,
  users under the key ``users`` (or ``profiles`` with ``users_key=profiles``).
"""

from __future__ import annotations

import base64
import hashlib
import random
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from standins.drift import pop_switches
from standins.limits import Clock, HiddenLimit, Limits, retry_after_seconds
from standins.server import Request, Response, StandIn

STEPIK_CLIENT_ID = "stepik-standin-client"
STEPIK_CLIENT_SECRET = "stepik-standin-secret-5d1e"  # noqa: S105  (the stand-in's demo secret)
STEPIK_REFRESH_TOKEN = "stepik-standin-refresh-0a9c"  # noqa: S105
HYPERSKILL_CLIENT_ID = "hyperskill-standin-client"
HYPERSKILL_CLIENT_SECRET = "hyperskill-standin-secret-7b2f"  # noqa: S105
HYPERSKILL_REFRESH_TOKEN = "hyperskill-standin-refresh-3e4d"  # noqa: S105

CREDENTIALS = {
    "stepik": (STEPIK_CLIENT_ID, STEPIK_CLIENT_SECRET, STEPIK_REFRESH_TOKEN),
    "hyperskill": (HYPERSKILL_CLIENT_ID, HYPERSKILL_CLIENT_SECRET, HYPERSKILL_REFRESH_TOKEN),
}
TOKEN_TTL = 36000
STEPIK_PAGE_SIZE = 20
HYPERSKILL_DEFAULT_PAGE_SIZE = 20
HYPERSKILL_MAX_PAGE_SIZE = 100

#: Default data sizes (small: the machine is shared).
STEPIK_SIZES = {"courses": 5, "lessons": 18, "steps": 45, "users": 27, "submissions_max": 4}
HYPERSKILL_SIZES = {
    "topics": 16,
    "steps_max": 5,
    "tracks": 4,
    "projects": 7,
    "users": 23,
    "submissions_max": 3,
}
#: Built-in streams of each platform (what ``expected_counts`` reports).
STREAMS = {
    "stepik": ("courses", "lessons", "steps", "users", "submissions"),
    "hyperskill": ("topics", "steps", "tracks", "projects", "users", "submissions"),
}

#: Fields that never drift: the key ``id``, replication keys (``update_date``, ``updated_at``,
#: ``time``), parent links the lists filter on (``lesson``, ``topic``, ``step``) and the flag
#: that decides whether a topic's steps are read (``has_steps``).
PROTECTED = frozenset(
    {"id", "update_date", "updated_at", "time", "lesson", "topic", "step", "has_steps"}
)
#: Envelope keys of a list answer that are not its records.
_NOT_RECORDS = {"meta", "enrollments"}

_BASE = datetime(2022, 1, 10, 8, 0, 0, tzinfo=timezone.utc)
_WORDS = ["Loops", "Strings", "Graphs", "Sorting", "Recursion", "Classes", "Files", "Regex"]
_NAMES = ["Ada Lovelace", "Boris Petrov", "Chen Wei", "Dana Scully", "Emil Nolde", "Farah Haddad"]


def _stepik_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _hyperskill_date(moment: datetime, rng: random.Random) -> str:
    """``.ffffffZ`` mostly, sometimes ``+00:00`` (both occur in real answers)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rng.randrange(1_000_000):06d}"
    return text + ("+00:00" if rng.random() < 0.3 else "Z")


def _moment(rng: random.Random, days: int = 900) -> datetime:
    return _BASE + timedelta(seconds=rng.randrange(days * 86400))


def _detail(status: int, text: str) -> Response:
    return Response(status, {"detail": text})


class PlatformStandIn(StandIn):
    """A ``StandIn`` that also holds the platform's data, tokens and OAuth state."""

    def __init__(self, *, platform: str, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.platform = platform
        self.client_id, self.client_secret, initial_refresh = CREDENTIALS[platform]
        self.data: dict[str, list[dict[str, Any]]] = {}
        self.list_keys: dict[str, str] = {}
        self.access_tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = {initial_refresh}
        self.codes: dict[str, dict[str, str]] = {}
        self.token_grants: list[str] = []
        self.token_ttl = TOKEN_TTL
        self.token_max_uses = 0
        self.token_uses: dict[str, int] = {}
        self.rotate_refresh_tokens = True
        self.conditional_faults: list[list[Any]] = []
        #: The undocumented limit when ``build(hidden_limit=...)`` (see ``standins.limits``).
        self.hidden_limit: HiddenLimit | None = None
        self.in_flight = 0
        self.max_in_flight = 0
        self._auth_lock = threading.Lock()

    def dispatch(self, request: Request) -> Response:
        """Answer, counting requests in flight (``max_in_flight`` shows concurrency)."""
        with self._auth_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return super().dispatch(request)
        finally:
            with self._auth_lock:
                self.in_flight -= 1

    def not_found(self, request: Request) -> Response:  # noqa: ARG002
        """DRF's 404 body."""
        return _detail(404, "Not found.")

    def inject_when(
        self,
        predicate: Callable[[Request], bool],
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` API requests matching ``predicate`` (query included)."""
        with self._auth_lock:
            self.conditional_faults.append(
                [predicate, Response(status, body, headers or {}), times]
            )

    def conditional_fault(self, request: Request) -> Response | None:
        """The injected answer for ``request``, if one is due."""
        with self._auth_lock:
            for fault in self.conditional_faults:
                if fault[2] > 0 and fault[0](request):
                    fault[2] -= 1
                    return fault[1]
        return None

    def clear(self) -> None:
        """Forget faults (conditional ones too) and the request log."""
        super().clear()
        with self._auth_lock:
            self.conditional_faults.clear()

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far invalid (the next API call gets a 401)."""
        with self._auth_lock:
            self.access_tokens.clear()

    def issue_refresh_token(self) -> str:
        """A fresh valid refresh token (as if the user had logged in)."""
        token = secrets.token_urlsafe(24)
        with self._auth_lock:
            self.refresh_tokens.add(token)
        return token


# --- OAuth -----------------------------------------------------------------------------------


def _client_from(request: Request, form: dict[str, list[str]]) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except ValueError:
            return None, None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return (form.get("client_id") or [None])[0], (form.get("client_secret") or [None])[0]


def _pkce_ok(challenge: str | None, verifier: str | None) -> bool:
    if not challenge:
        return True
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def _add_oauth_routes(s: PlatformStandIn) -> None:
    @s.route("GET", "/oauth2/authorize/?")
    def authorize(request: Request) -> Response:
        if request.arg("client_id") != s.client_id or request.arg("response_type") != "code":
            return Response(400, "invalid client_id or response_type")
        redirect_uri = request.arg("redirect_uri") or "http://localhost:8000"
        code = secrets.token_urlsafe(16)
        s.codes[code] = {
            "redirect_uri": redirect_uri,
            "challenge": request.arg("code_challenge") or "",
        }
        query = {"code": code}
        if request.arg("state"):
            query["state"] = request.arg("state") or ""
        joiner = "&" if "?" in redirect_uri else "?"
        return Response(302, "", {"Location": f"{redirect_uri}{joiner}{urlencode(query)}"})

    @s.route("POST", "/oauth2/token/?")
    def token(request: Request) -> Response:
        form = request.form()
        grant = (form.get("grant_type") or [""])[0]
        s.token_grants.append(grant)
        client_id, secret = _client_from(request, form)
        public_ok = grant in {"refresh_token", "authorization_code"} and secret is None
        if client_id != s.client_id or (secret != s.client_secret and not public_ok):
            return Response(401, {"error": "invalid_client"})
        give_refresh = False
        with s._auth_lock:
            if grant == "client_credentials":
                pass
            elif grant == "refresh_token":
                used = (form.get("refresh_token") or [""])[0]
                if used not in s.refresh_tokens:
                    return Response(400, {"error": "invalid_grant"})
                if s.rotate_refresh_tokens:
                    s.refresh_tokens.discard(used)
                give_refresh = True
            elif grant == "authorization_code":
                code = s.codes.pop((form.get("code") or [""])[0], None)
                redirect_uri = (form.get("redirect_uri") or [""])[0]
                verifier = (form.get("code_verifier") or [None])[0]
                if (
                    code is None
                    or code["redirect_uri"] != redirect_uri
                    or not _pkce_ok(code["challenge"], verifier)
                ):
                    return Response(400, {"error": "invalid_grant"})
                give_refresh = True
            else:
                return Response(400, {"error": "unsupported_grant_type"})
            access = secrets.token_urlsafe(24)
            s.access_tokens[access] = time.monotonic() + s.token_ttl
            body: dict[str, Any] = {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": s.token_ttl,
                "scope": "read write",
            }
            if give_refresh:
                refresh = secrets.token_urlsafe(24)
                s.refresh_tokens.add(refresh)
                body["refresh_token"] = refresh
        return Response(200, body)


def _authorized(s: PlatformStandIn, request: Request) -> Response | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        return _detail(401, "Authentication credentials were not provided.")
    token = header[7:]
    with s._auth_lock:
        expiry = s.access_tokens.get(token)
        if expiry is None or expiry < time.monotonic():
            return _detail(401, "Invalid or expired token.")
        s.token_uses[token] = s.token_uses.get(token, 0) + 1
        if s.token_max_uses and s.token_uses[token] > s.token_max_uses:
            return _detail(401, "Invalid or expired token.")
    return _over_hidden_limit(s)


def _over_hidden_limit(s: PlatformStandIn) -> Response | None:
    """DRF's throttling answer above ``hidden_limit`` (or a bare 503 when told to play one)."""
    if s.hidden_limit is None:
        return None
    wait = s.hidden_limit.check()
    if wait is None:
        return None
    seconds = retry_after_seconds(wait)
    if s.hidden_limit.status == 503:
        response = _detail(503, "Service temporarily unavailable, try again later.")
    else:
        unit = "second" if seconds == "1" else "seconds"
        response = _detail(429, f"Request was throttled. Expected available in {seconds} {unit}.")
    response.headers["Retry-After"] = seconds
    return response


# --- listing ---------------------------------------------------------------------------------


def _int_list(values: list[str]) -> list[int] | None:
    out: list[int] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                out.append(int(part))
    return out


Filter = Callable[[dict[str, Any], Request], bool]


def _ids_of(s: PlatformStandIn, request: Request) -> list[int] | None:
    """Stepik: repeated ``ids[]``; Hyperskill: ``ids=1,2,3``."""
    name = "ids[]" if s.platform == "stepik" else "ids"
    raw = request.args(name)
    return _int_list(raw) if raw else None


def _page(s: PlatformStandIn, request: Request, key: str, rows: list[dict[str, Any]]) -> Response:
    try:
        page = int(request.arg("page", "1") or "1")
    except ValueError:
        return _detail(404, "Invalid page.")
    if s.platform == "stepik":
        size = STEPIK_PAGE_SIZE
    else:
        size = min(
            HYPERSKILL_MAX_PAGE_SIZE,
            int(request.arg("page_size", str(HYPERSKILL_DEFAULT_PAGE_SIZE)) or 1),
        )
    start = (page - 1) * size
    if page < 1 or (start >= len(rows) and page > 1):
        return _detail(404, "Invalid page.")
    chunk = [_public(r) for r in rows[start : start + size]]
    meta = {"page": page, "has_next": start + size < len(rows), "has_previous": page > 1}
    body: dict[str, Any] = {"meta": meta, key: chunk}
    if s.platform == "stepik" and key == "courses":
        body["enrollments"] = [{"id": c["id"], "course": c["id"]} for c in chunk[:2]]
    return Response(200, body)


def _add_api_routes(s: PlatformStandIn, filters: dict[str, dict[str, str]]) -> None:
    """``filters``: resource -> {query parameter: record field} the list accepts."""

    @s.route("GET", r"/api/(?P<resource>[a-z][a-z-]*)/?")
    def listing(request: Request) -> Response:
        denied = _authorized(s, request) or s.conditional_fault(request)
        if denied:
            return denied
        resource = request.params["resource"]
        if resource not in s.data:
            return _detail(404, "Not found.")
        rows = s.data[resource]
        ids = _ids_of(s, request)
        allowed = filters.get(resource, {})
        used = [p for p in allowed if request.arg(p) is not None]
        if ids is None and not used and resource in REQUIRED_FILTER[s.platform]:
            need = " or ".join(sorted(allowed))
            return _detail(400, f"Please specify {need} or ids.")
        if ids is not None:
            wanted = set(ids)
            rows = [r for r in rows if r["id"] in wanted]
        for param in used:
            values = set(_int_list(request.args(param)) or [])
            field = allowed[param]
            rows = [r for r in rows if r.get(field) in values]
        return _page(s, request, s.list_keys.get(resource, resource), rows)

    @s.route("GET", r"/api/(?P<resource>[a-z][a-z-]*)/(?P<id>\d+)/?")
    def single(request: Request) -> Response:
        denied = _authorized(s, request)
        if denied:
            return denied
        resource = request.params["resource"]
        wanted = int(request.params["id"])
        rows = [r for r in s.data.get(resource, []) if r["id"] == wanted]
        if not rows:
            return _detail(404, "Not found.")
        meta = {"page": 1, "has_next": False, "has_previous": False}
        key = s.list_keys.get(resource, resource)
        return Response(200, {"meta": meta, key: [_public(r) for r in rows]})


REQUIRED_FILTER = {"stepik": {"submissions"}, "hyperskill": {"steps", "submissions"}}


def _listed_records(body: Any) -> list[dict[str, Any]]:
    """The records of a DRF answer: the list beside ``meta`` (side-loads left alone)."""
    if not isinstance(body, dict):
        return []
    for key, value in body.items():
        if key not in _NOT_RECORDS and isinstance(value, list):
            return [row for row in value if isinstance(row, dict)]
    return []


def _add_record_routes(s: PlatformStandIn) -> None:
    """Lists and single objects: both answer a list under the endpoint's key."""
    s.protected_fields = PROTECTED
    s.declare_records(
        r"/api/(?P<resource>[a-z][a-z-]*)/?",
        lambda params: f"/api/{params['resource']}",
        _listed_records,
    )
    s.declare_records(
        r"/api/(?P<resource>[a-z][a-z-]*)/(?P<id>\d+)/?",
        lambda params: f"/api/{params['resource']}/{{id}}",
        _listed_records,
    )


# --- data ------------------------------------------------------------------------------------


def _stepik_data(rng: random.Random, sizes: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    users = [
        {
            "id": 1000 + i,
            "first_name": _NAMES[i % len(_NAMES)].split()[0],
            "last_name": _NAMES[i % len(_NAMES)].split()[1],
            "full_name": _NAMES[i % len(_NAMES)],
            "is_private": rng.random() < 0.2,
            "is_organization": False,
            "knowledge": rng.randrange(5000),
            "knowledge_rank": i + 1,
            "reputation": rng.randrange(300),
            "join_date": _stepik_date(_moment(rng)),
            "avatar": f"https://stepik.org/users/{1000 + i}/avatar.png",
            "short_bio": "",
        }
        for i in range(sizes["users"])
    ]
    courses = []
    for i in range(sizes["courses"]):
        created = _moment(rng, 300)
        courses.append(
            {
                "id": 50_000 + i * 7,
                "title": f"Course on {_WORDS[i % len(_WORDS)]}",
                "slug": f"course-{i}",
                "summary": "A short course.",
                "language": rng.choice(["en", "ru"]),
                "owner": users[i % len(users)]["id"],
                "authors": [users[i % len(users)]["id"]],
                "sections": [],
                "is_public": True,
                "is_active": rng.random() < 0.9,
                "learners_count": rng.randrange(10_000),
                "begin_date": None if i % 2 else _stepik_date(created),
                "create_date": _stepik_date(created),
                "update_date": _stepik_date(created + timedelta(days=rng.randrange(400))),
                "actions": {} if i % 2 else [],
            }
        )
    lessons = []
    for i in range(sizes["lessons"]):
        created = _moment(rng, 500)
        course = courses[i % len(courses)]
        lessons.append(
            {
                "id": 300_000 + i * 3,
                "title": f"Lesson {i}: {_WORDS[(i + 3) % len(_WORDS)]}",
                "slug": f"lesson-{i}",
                "steps": [],
                "courses": [course["id"]],
                "owner": course["owner"],
                "language": course["language"],
                "is_public": True,
                "time_to_complete": rng.randrange(60, 3600),
                "vote_delta": rng.randrange(-3, 40),
                "create_date": _stepik_date(created),
                "update_date": _stepik_date(created + timedelta(days=rng.randrange(300))),
            }
        )
    steps = []
    for i in range(sizes["steps"]):
        lesson = lessons[i % len(lessons)]
        created = _moment(rng, 600)
        step = {
            "id": 2_000_000 + i * 11,
            "lesson": lesson["id"],
            "position": len(lesson["steps"]) + 1,
            "status": rng.choice(["ready", "ready", "ready", "preparing"]),
            "block": {"name": rng.choice(["text", "code", "choice"]), "text": "<p>Step</p>"},
            "actions": {"submit": "#"} if i % 3 else {},
            "progress": f"77-{2_000_000 + i * 11}",
            "subscriptions": [f"31-77-{2_000_000 + i * 11}"],
            "viewed_by": rng.randrange(10_000),
            "passed_by": rng.randrange(5_000),
            "correct_ratio": round(rng.random(), 4),
            "worth": rng.randrange(0, 3),
            "create_date": _stepik_date(created),
            "update_date": _stepik_date(created + timedelta(days=rng.randrange(300))),
        }
        lesson["steps"].append(step["id"])
        steps.append(step)
    submissions = []
    next_id = 700_000_000
    for step in steps:
        for _ in range(rng.randrange(sizes["submissions_max"] + 1)):
            next_id += rng.randrange(1, 500)
            submissions.append(
                {
                    "id": next_id,
                    "status": rng.choice(["correct", "wrong", "wrong"]),
                    "score": rng.choice([0, 1]),
                    "hint": "",
                    "feedback": "",
                    "time": _stepik_date(_moment(rng, 900)),
                    "reply": {"choices": [True, False]} if rng.random() < 0.5 else {"code": "x"},
                    "reply_url": None,
                    "attempt": next_id - 1,
                    "session": None,
                    "eta": 0,
                    "_step": step["id"],
                }
            )
    sections = [
        {"id": 90_000 + i, "course": c["id"], "position": 1, "title": f"Section {i}"}
        for i, c in enumerate(courses)
    ]
    grades = [
        {
            "id": 80_000 + i,
            "course": c["id"],
            "user": users[i % len(users)]["id"],
            "score": rng.randrange(50),
        }
        for i, c in enumerate(courses)
    ]
    return {
        "courses": courses,
        "lessons": lessons,
        "steps": steps,
        "users": users,
        "submissions": submissions,
        "sections": sections,
        "course-grades": grades,
    }


def _hyperskill_data(rng: random.Random, sizes: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    topics = []
    for i in range(sizes["topics"]):
        topic_id = 400 + i * 5
        topics.append(
            {
                "id": topic_id,
                "title": f"{_WORDS[i % len(_WORDS)]} {i}",
                "children": [],
                "depth": i % 3,
                "followers": [],
                "has_steps": i % 5 != 4,
                "hierarchy": [400],
                "parent_id": None if i == 0 else 400,
                "prerequisites": [400 + (i - 1) * 5] if i else [],
                "progress_id": f"2-{topic_id}",
                "root_id": 400,
                "root_title": "Computer science",
                "theory": 9000 + i,
                "topological_index": i,
                "is_deprecated": False,
                "is_beta": i % 7 == 6,
            }
        )
    steps = []
    for topic in topics:
        if not topic["has_steps"]:
            continue
        for _ in range(rng.randrange(1, sizes["steps_max"] + 1)):
            step_id = 10_000 + len(steps) * 13
            created = _moment(rng, 700)
            steps.append(
                {
                    "id": step_id,
                    "title": f"Step {step_id}",
                    "topic": topic["id"],
                    "topic_theory": topic["theory"],
                    "type": rng.choice(["practice", "theory"]),
                    "position": len(steps) % 9,
                    "block": {"name": rng.choice(["code", "choice", "text"]), "text": "<p>x</p>"},
                    "seconds_to_complete": round(rng.uniform(10, 900), 3),
                    "solved_by": rng.randrange(50_000),
                    "success_rate": round(rng.random(), 4),
                    "is_recommended": rng.random() < 0.5,
                    "lesson_stepik_id": None,
                    "stepik_id": rng.choice([None, 3_000_000 + step_id]),
                    "likes_statistics": [{"subject": "step", "value": 1, "total_count": 3}],
                    "updated_at": _hyperskill_date(created + timedelta(days=30), rng),
                    "content_created_at": _hyperskill_date(created, rng),
                }
            )
    projects = [
        {
            "id": 100 + i,
            "title": f"Project {i}",
            "use_ide": i % 2 == 0,
            "environment": "android" if i == 3 else "",
            "is_beta": False,
            "stages_count": rng.randrange(2, 7),
            "language": rng.choice(["python", "java", "kotlin"]),
            "is_deprecated": i == 5,
            "progress_id": f"project-{100 + i}",
            "readiness": rng.randrange(100),
            "lesson_stepik_id": rng.choice([None, 500_000 + i]),
            "stages_ids": [],
            "tracks": {},
        }
        for i in range(sizes["projects"])
    ]
    tracks = [
        {
            "id": 1 + i * 2,
            "title": f"Track {i}",
            "description": "Learn things.",
            "projects": [p["id"] for p in projects[i::4]],
            "projects_by_level": {"easy": [], "medium": [], "hard": [], "nightmare": []},
            "seconds_to_complete": round(rng.uniform(1e5, 1e6), 1),
            "topics_count": rng.randrange(50, 300),
            "is_beta": False,
            "is_free": i == 0,
            "root_topic_id": 400,
            "type": "track",
        }
        for i in range(sizes["tracks"])
    ]
    users = [
        {
            "id": 130_000_000 + i * 17,
            "fullname": _NAMES[i % len(_NAMES)],
            "username": f"user{i}",
            "avatar": "",
            "bio": "",
            "country": rng.choice(["DE", "RS", "NL", None]),
            "experience": "",
            "languages": ["en"],
            "selected_tracks": [tracks[i % len(tracks)]["id"]],
            "completed_tracks": [],
            "gamification": {"active_days": rng.randrange(400), "passed_problems": i},
            "date_registered": _hyperskill_date(_moment(rng), rng),
        }
        for i in range(sizes["users"])
    ]
    submissions = []
    next_id = 50_000_000
    for step in steps:
        for _ in range(rng.randrange(sizes["submissions_max"] + 1)):
            next_id += rng.randrange(1, 900)
            submissions.append(
                {
                    "id": next_id,
                    "attempt": next_id - 1,
                    "step": step["id"],
                    "user_id": rng.choice(users)["id"],
                    "status": rng.choice(["correct", "wrong"]),
                    "initial_status": "evaluation",
                    "client": rng.choice(["web", "intellij"]),
                    "feedback": "" if rng.random() < 0.6 else {"message": "Wrong answer"},
                    "hint": "",
                    "reply": {"language": "python3", "code": "print(1)"},
                    "time": _hyperskill_date(_moment(rng, 900), rng),
                    "is_published": rng.random() < 0.3,
                    "eta": 0,
                }
            )
    stages = [
        {"id": 700 + i, "project": p["id"], "step": 0, "title": f"Stage {i}"}
        for i, p in enumerate(projects)
    ]
    relations = [
        {"id": t["id"], "parent_id": t["parent_id"], "descendants": []} for t in topics[:6]
    ]
    return {
        "topics": topics,
        "steps": steps,
        "tracks": tracks,
        "projects": projects,
        "users": users,
        "submissions": submissions,
        "stages": stages,
        "topic-relations": relations,
    }


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """The record as served: fields starting with ``_`` are the stand-in's own."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def build(
    *,
    latency: float = 0.0,
    platform: str = "stepik",
    seed: int = 5,
    token_ttl: int = TOKEN_TTL,
    token_max_uses: int = 0,
    rotate_refresh_tokens: int | bool = True,
    users_key: str = "users",
    clock: Clock | None = None,
    **sizes: Any,
) -> PlatformStandIn:
    """A stand-in for ``platform`` (``stepik`` or ``hyperskill``) with generated data.

    ``token_max_uses`` makes each access token expire after that many API requests (0: never),
    so tests see tokens run out mid-run without waiting. ``sizes`` override the counts in
    ``STEPIK_SIZES`` / ``HYPERSKILL_SIZES``; the drift and breakage options (``drift``,
    ``drift_seed``, ``drift_log``, ``fail_path``, ``keyless``) are described in
    ``standins.drift``. The generated
    records are in ``standin.data[<endpoint name>]``; Stepik submissions' steps in
    ``standin.submission_steps`` (the real objects have no ``step`` field).

    An undocumented rate limit, off by default (``standins.limits.HiddenLimit``):
    ``hidden_limit=R`` requests a second (sliding window), ``hidden_burst=B`` (default R),
    ``hidden_limit_status`` 429 (default) or 503. Above it authenticated API requests get
    DRF's throttling answer (429 ``{"detail": "Request was throttled. Expected available in N
    seconds."}``) or a 503 ``{"detail": ...}``, with ``Retry-After`` in seconds; the token
    endpoint is not limited. Refusals are counted in ``standin.limits.rejected["hidden"]``;
    ``clock`` (in-process only) replaces the limiter's ``time.time``.
    """
    if platform not in CREDENTIALS:
        msg = f"unknown platform {platform!r}; use stepik or hyperskill"
        raise ValueError(msg)
    switches = pop_switches(sizes)
    s = PlatformStandIn(platform=platform, latency=latency)
    s.limits = Limits(clock)
    s.hidden_limit = HiddenLimit.from_options(s.limits, sizes)
    s.token_ttl = int(token_ttl)
    s.token_max_uses = int(token_max_uses)
    s.rotate_refresh_tokens = bool(rotate_refresh_tokens)
    rng = random.Random(seed)
    if platform == "stepik":
        s.data = _stepik_data(rng, {**STEPIK_SIZES, **sizes})
        s.submission_steps = {r["id"]: r["_step"] for r in s.data["submissions"]}
        filters = {
            "steps": {"lesson": "lesson"},
            "submissions": {"step": "_step", "attempt": "attempt"},
        }
    else:
        s.data = _hyperskill_data(rng, {**HYPERSKILL_SIZES, **sizes})
        s.submission_steps = {r["id"]: r["step"] for r in s.data["submissions"]}
        s.list_keys["users"] = users_key
        filters = {
            "steps": {"topic": "topic"},
            "submissions": {"step": "step", "user": "user_id"},
            "stages": {"project": "project"},
        }
    _add_oauth_routes(s)
    _add_api_routes(s, filters)
    _add_record_routes(s)
    s.configure(**switches)
    return s


def expected_counts(standin: PlatformStandIn) -> dict[str, int]:
    """Records per built-in stream for a full sync (start date far in the past, all selected)."""
    return {name: len(standin.data[name]) for name in STREAMS[standin.platform]}


def tap_config(standin: PlatformStandIn, base_url: str, **overrides: object) -> dict[str, Any]:
    """A complete tap-stepik config for this stand-in served at ``base_url``."""
    config: dict[str, Any] = {
        "platform": standin.platform,
        "client_id": standin.client_id,
        "client_secret": standin.client_secret,
        "api_url": f"{base_url}/api",
        "oauth_url": f"{base_url}/oauth2",
        "start_date": "2000-01-01T00:00:00Z",
    }
    config.update(overrides)
    return config
