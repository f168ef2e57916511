"""Stand-in for the MTS Link (ex Webinar.ru) UserAPI v3.

Reproduces what ``/work/shared/api-notes/mtslink.md`` §8 lists: the ``x-auth-token`` header
(401 without it, 403 for a key without a scope and on the OAuth-only ``/profile``), three
pagination styles (page/perPage over bare arrays with the allowed perPage sets, offset/limit on
``/records``, cursor ``{"data":{"items","nextPageCursor"}}`` on transcripts), ``{"data": ...}``
wrappers on the newer modules, the schedule's default status filter (ACTIVE only) and its PHP
indexed ``status[i]`` arrays, ``from``/``to`` in four spellings, ``+0300`` / naive / epoch dates,
ISO durations, ``[]`` for empty objects, ids above 2^31, and ``{"error":{"code","message"}}``
bodies (404 "No route found" for unknown paths).

Quirks built into the default data, so tests see them on every run:

* one session listed in the schedule is deleted: ``/eventsessions/{id}`` answers 404;
* sessions without a transcript answer 404 on ``/transcript/list``;
* contacts that are not platform users answer 404 on ``/contacts/{id}/user``.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from standins.drift import path_params, pop_switches, records_at
from standins.limits import Clock, HiddenLimit, Limits, retry_after_seconds
from standins.server import Handler, Request, Response, StandIn

API_TOKEN = "standin-mtslink-key-4c1d9a"  # noqa: S105  (the stand-in's demo key)
#: A key without the records, stats and courses scopes: those families answer 403.
RESTRICTED_TOKEN = "standin-mtslink-restricted-77e0"  # noqa: S105
RESTRICTED_PREFIXES = ("/records", "/stats/", "/organization/courses", "/courses/")

PREFIX = "/v3"
MSK = timezone(timedelta(hours=3))
EKB = timezone(timedelta(hours=5))
STATUSES = ("ACTIVE", "START", "STOP")
SCHEDULE_PER_PAGE = {10, 50, 100, 250}
MEMBER_PER_PAGE = {10, 50, 100, 250, 500}
CONVERTED_PER_PAGE = {10, 25, 50, 100, 250, 500}
CHAT_MEMBER_PER_PAGE = {10, 50, 100}
RECORDS_MAX_LIMIT = 500
TRANSCRIPT_MAX_PER_PAGE = 1000
#: Fields that never drift: keys (``id``, the parent ids child records carry or are keyed by),
#: replication keys (``startsAt``, ``createAt``, ``startedAt``, also what the stand-in's windows
#: filter on) and the containers the tap turns into records or child contexts (the schedule's
#: ``eventSessions``, a course's ``groups``, the ``file`` of file wrappers).
PROTECTED = frozenset(
    {
        "id",
        "eventId",
        "eventSessionId",
        "userId",
        "testId",
        "courseId",
        "groupId",
        "chatUserId",
        "channelId",
        "startsAt",
        "createAt",
        "startedAt",
        "eventSessions",
        "groups",
        "file",
    }
)
CHAT_UUID = r"[0-9a-f-]{36}"
#: Per-session activity lists whose shape no public source shows: ``{id, userId, createAt...}``.
ACTIVITY_KINDS = ("agendas", "checkpoints", "raised_hands", "likes", "emoji_reactions")

_FIRST = ["Anna", "Boris", "Vera", "Gleb", "Daria", "Egor", "Zoya", "Ilya", "Kira", "Lev"]
_LAST = ["Ivanova", "Petrov", "Sidorova", "Orlov", "Smirnova", "Popov", "Volkova", "Sokolov"]
_TOPICS = ["Onboarding", "Sales sync", "Product demo", "Webinar", "Retro", "Training", "Q&A"]


# --- formats ---


def php_date(moment: datetime, tz: timezone = MSK) -> str:
    """``2025-06-03T15:01:01+0300``: the offset without a colon."""
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S%z")


def naive_date(moment: datetime) -> str:
    """``2025-08-15 09:25:27`` in Moscow time, without a zone."""
    return moment.astimezone(MSK).strftime("%Y-%m-%d %H:%M:%S")


def iso_colon(moment: datetime) -> str:
    """``2024-07-25T12:10:26+03:00``."""
    return moment.astimezone(MSK).isoformat(timespec="seconds")


def iso_duration(seconds: int) -> str:
    """``PT1H30M0S``."""
    return f"PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def parse_query_date(value: str | None) -> datetime | None:
    """``from``/``to`` as the API takes them: date, ``date time``, ``date+time``, ``dateTtime``."""
    if not value:
        return None
    text = value.strip().replace("+", " ").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=MSK)
        except ValueError:
            continue
    raise ValueError(value)


def error(status: int, message: str) -> Response:
    """The API's error envelope."""
    return Response(status, {"error": {"code": status, "message": message}})


def _parse_any(value: str) -> datetime:
    text = value.replace(" ", "T")
    if len(text) > 5 and text[-5] in "+-" and ":" not in text[-5:]:
        text = text[:-2] + ":" + text[-2:]
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)


# --- the stand-in --------------------------------------------------------------------------------


class MtsLinkStandIn(StandIn):
    """Generated organisation data plus the routes of every endpoint family."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        seed: int = 3,
        events: int = 12,
        big_session: int = 520,
        records: int = 24,
        members: int = 14,
        transcript_page_cap: int = 0,
    ) -> None:
        super().__init__(latency=latency)
        self.rng = random.Random(seed)
        self.now = datetime.now(MSK).replace(microsecond=0)
        self.today = self.now.date()
        self.transcript_page_cap = transcript_page_cap
        #: The undocumented limit when ``build(hidden_limit=...)`` (see ``standins.limits``).
        self.hidden_limit: HiddenLimit | None = None
        self._generate(events, big_session, records, members)
        self._register_routes()
        self._declare_record_routes()

    # --- data ----------------------------------------------------------------------------------

    def _clear_planned_sessions(self, session_ids: list[int]) -> None:
        """Empty the in-session lists of sessions that have not started.

        A planned session (``ACTIVE``, starting later) has no chat, questions, transcripts,
        attention control, raised hands, likes or emoji yet; its registrations
        (participations), agenda and files may already exist. Cleared after generation, so the
        rest of the seeded data is the same as before.
        """
        self.planned_sessions = {
            sid
            for sid in session_ids
            if self.sessions[sid]["status"] == "ACTIVE"
            and _parse_any(self.sessions[sid]["startsAt"]) > self.now
        }
        for sid in self.planned_sessions:
            self.chat[sid] = []
            self.questions[sid] = []
            for transcript in self.transcripts[sid]:
                self.transcript_details.pop(transcript["id"], None)
            self.transcripts[sid] = []
            for kind in ACTIVITY_KINDS:
                if kind != "agendas":
                    self.activities[kind][sid] = []
            self.interactions[sid] = []

    def _person(self) -> dict[str, str]:
        first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
        return {"name": first, "secondName": last, "email": f"{first}.{last}@example.ru".lower()}

    def _generate(self, n_events: int, big_session: int, n_records: int, n_members: int) -> None:
        rng = self.rng
        self.timezones = [
            {"id": 1, "name": "Europe/Moscow", "description": "Moscow", "offset": 10800},
            {
                "id": 2,
                "name": "Asia/Yekaterinburg",
                "description": "Yekaterinburg",
                "offset": 18000,
            },
            {"id": 3, "name": "Europe/Kaliningrad", "description": "Kaliningrad", "offset": 7200},
        ]
        self.members = []
        for i in range(n_members):
            person = self._person()
            self.members.append(
                {
                    "id": 2_200_000_000 + i * 17,
                    **person,
                    "patrName": rng.choice(["", "Ivanovich", "Petrovna"]),
                    "nickname": person["name"].lower(),
                    "membershipId": 900_000 + i,
                    "role": "admin" if i == 0 else rng.choice(["lecturer", "admin", "lecturer"]),
                    "phone": f"+7900{i:07d}",
                    "position": rng.choice(["Manager", "Trainer", ""]),
                    "organization": "Stand-in LLC",
                    "sex": rng.choice(["m", "f", "o"]),
                    "photo": None,
                    "avatar": []
                    if i % 2
                    else {"url": f"https://cdn.example/a/{i}.png", "thumbnails": {"100x100": "x"}},
                }
            )
        member_ids = [m["id"] for m in self.members]

        self.events: list[dict] = []
        self.sessions: dict[int, dict] = {}
        self.session_event: dict[int, int] = {}
        session_id = 7_669_700_000
        for e in range(n_events):
            event_id = 1_150_000_000 + e * 101
            creator = self.members[e % len(self.members)]
            sessions = []
            for _s in range(rng.randint(1, 3)):
                session_id += rng.randint(3, 40)
                offset_days = rng.randint(-200, 40)
                starts = (self.now + timedelta(days=offset_days)).replace(
                    hour=rng.randint(7, 18), minute=0, second=0
                )
                status = "STOP" if offset_days < 0 else rng.choice(["ACTIVE", "ACTIVE", "START"])
                if offset_days > 0:
                    status = "ACTIVE"  # only today's sessions may be running already
                sessions.append((session_id, starts, status))
            sessions.sort(key=lambda s: s[1])
            tz = MSK if e % 3 else EKB
            summary = []
            for sid, starts, status in sessions:
                duration = rng.choice([1800, 3600, 5400])
                detail = {
                    "id": sid,
                    "name": f"{_TOPICS[e % len(_TOPICS)]} #{e}",
                    "description": "" if e % 2 else "<p>Agenda</p>",
                    "status": status,
                    "access": rng.choice([1, 3, 4, 6]),
                    "accessSettings": {
                        "isPasswordRequired": False,
                        "isRegistrationRequired": True,
                        "isModerationRequired": False,
                    },
                    "lang": "RU",
                    "startsAt": php_date(starts, tz),
                    "utcStartsAt": int(starts.timestamp()),
                    "createUserId": creator["id"],
                    "timezoneId": 1 if tz is MSK else 2,
                    "timezone": {
                        **self.timezones[0 if tz is MSK else 1],
                        "isDeleted": False,
                        "shortDescription": "MSK",
                        "abbreviation": "MSK",
                    },
                    "organizationId": 555_001,
                    "type": rng.choice(["webinar", "meeting"]),
                    "maxParticipationSettings": "",
                    "createUser": {
                        "id": creator["id"],
                        "name": creator["name"],
                        "secondName": creator["secondName"],
                        "email": creator["email"],
                    },
                    "isEndless": False,
                    "image": [] if sid % 2 else {"id": sid + 1, "url": "https://cdn.example/i.png"},
                    "startType": rng.choice(["manual", "autostart"]),
                    "lectors": [
                        {
                            "name": creator["name"],
                            "secondName": creator["secondName"],
                            "position": "",
                            "avatar": [],
                        }
                    ],
                    "tags": [],
                    "announceFiles": [],
                    "files": [],
                    "link": f"https://my.mts-link.ru/{sid}",
                    "isPaid": False,
                }
                if rng.random() < 0.5:
                    detail["duration"] = iso_duration(duration)
                if status == "STOP" and rng.random() < 0.3:
                    detail["endsAt"] = php_date(starts + timedelta(seconds=duration), tz)
                self.sessions[sid] = detail
                self.session_event[sid] = event_id
                summary.append(
                    {
                        "id": sid,
                        "eventId": event_id,
                        "status": status,
                        "startsAt": detail["startsAt"],
                        "name": detail["name"],
                        "participationsCount": 0,
                    }
                )
            self.events.append(
                {
                    "id": event_id,
                    "name": f"{_TOPICS[e % len(_TOPICS)]} #{e}",
                    "description": "",
                    "status": sessions[-1][2],
                    "accessSettings": []
                    if e % 4 == 0
                    else {
                        "isPasswordRequired": False,
                        "isRegistrationRequired": True,
                        "isModerationRequired": False,
                    },
                    "access": 1,
                    "additionalFields": [],
                    "rule": "FREQ=DAILY;COUNT=1" if len(sessions) == 1 else "FREQ=WEEKLY",
                    "lang": "RU",
                    "startsAt": php_date(sessions[0][1], tz),
                    "utcStartsAt": int(sessions[0][1].timestamp()),
                    "createUserId": creator["id"],
                    "timezoneId": 1,
                    "endsAt": php_date(sessions[-1][1] + timedelta(hours=1), tz),
                    "organizationId": 555_001,
                    "type": "webinar",
                    "createUser": {
                        "id": creator["id"],
                        "name": creator["name"],
                        "secondName": creator["secondName"],
                        "email": creator["email"],
                    },
                    "image": None,
                    "lectors": [],
                    "tags": ["demo"] if e % 2 else [],
                    "announceFiles": [],
                    "files": [],
                    "eventSessions": summary,
                }
            )
        session_ids = list(self.sessions)
        self.deleted_sessions = {session_ids[len(session_ids) // 2]}
        self.no_transcript = {sid for i, sid in enumerate(session_ids) if i % 3 == 1}
        big = next(
            (
                sid
                for sid in session_ids
                if self.sessions[sid]["status"] == "STOP" and sid not in self.deleted_sessions
            ),
            session_ids[0],
        )
        self.big_session_id = big

        # Per-session children.
        self.participations: dict[int, list[dict]] = {}
        self.chat: dict[int, list[dict]] = {}
        self.questions: dict[int, list[dict]] = {}
        self.transcripts: dict[int, list[dict]] = {}
        self.transcript_details: dict[int, dict] = {}
        self.activities: dict[str, dict[int, list[dict]]] = {k: {} for k in ACTIVITY_KINDS}
        self.interactions: dict[int, list[dict]] = {}
        self.session_files: dict[int, list[dict]] = {}
        self.converted_records: dict[int, list[dict]] = {}
        self.conversions: dict[int, dict] = {}
        self.conversion_files: dict[int, dict] = {}
        next_id = iter(range(3_100_000_000, 3_999_999_999, 7))
        for sid in session_ids:
            detail = self.sessions[sid]
            starts = _parse_any(detail["startsAt"])
            n_part = big_session if sid == big else rng.randint(0, 6)
            self.participations[sid] = [
                self._participation(next(next_id), sid, starts, member_ids) for _ in range(n_part)
            ]
            self.sessions[sid]["participationsCount"] = n_part
            self.chat[sid] = [
                {
                    "id": next(next_id),
                    "authorName": self.rng.choice(_FIRST),
                    "text": f"message {k}",
                    "isModerated": True,
                    "sentByAdmin": k == 0,
                    "avatarUrl": None,
                    "thumbnails": [],
                    "authorId": rng.choice(member_ids),
                    "createAt": php_date(starts + timedelta(minutes=k + 1)),
                    "updateAt": None,
                    "updateUserId": None,
                    "isDeleted": False,
                    "additionalData": [],
                    "attachments": [],
                }
                for k in range(rng.randint(0, 4))
            ]
            self.questions[sid] = [
                {
                    "id": next(next_id),
                    "authorName": rng.choice(_FIRST),
                    "text": f"question {k}?",
                    "isModerated": bool(k % 2),
                    "authorId": rng.choice(member_ids),
                    "createAt": php_date(starts + timedelta(minutes=5 + k)),
                    "answer": None if k % 2 else "Yes.",
                    "isDeleted": False,
                    "additionalData": [],
                }
                for k in range(rng.randint(0, 3))
            ]
            transcripts = []
            if sid not in self.no_transcript:
                for k in range(rng.randint(1, 3)):
                    tid = next(next_id)
                    created = starts + timedelta(hours=2, minutes=k)
                    transcripts.append(
                        {
                            "id": tid,
                            "status": rng.choice(["preparing", "unpublished", "published"]),
                            "createdAt": iso_colon(created),
                        }
                    )
                    self.transcript_details[tid] = {
                        "id": tid,
                        "eventSessionId": sid,
                        "status": transcripts[-1]["status"],
                        "createdAt": iso_colon(created),
                        "summary": "Short summary." if k % 2 == 0 else None,
                        "text": "Full transcript text.",
                        "duration": iso_duration(1800 + k),
                        "speakers": [],
                    }
            self.transcripts[sid] = transcripts
            for kind in ACTIVITY_KINDS:
                self.activities[kind][sid] = [
                    {
                        "id": next(next_id),
                        "userId": rng.choice(member_ids),
                        "createAt": php_date(starts + timedelta(minutes=k * 3)),
                        **({"title": f"Item {k}"} if kind == "agendas" else {}),
                        **(
                            {"emoji": rng.choice(["👍", "🔥"])} if kind == "emoji_reactions" else {}
                        ),
                    }
                    for k in range(rng.randint(0, 3))
                ]
            checkpoints = self.activities["checkpoints"][sid]
            self.interactions[sid] = [
                {
                    "id": next(next_id),
                    "checkpointId": cp["id"],
                    "userId": rng.choice(member_ids),
                    "createdAt": iso_colon(starts + timedelta(minutes=10 + k)),
                    "isConfirmed": bool(k % 2),
                }
                for k, cp in enumerate(checkpoints)
            ]
            self.session_files[sid] = [
                {"file": self._file(next(next_id), starts), "position": k, "isShared": True}
                for k in range(rng.randint(0, 2))
            ]
            converted = []
            if detail["status"] == "STOP":
                for k in range(rng.randint(0, 2)):
                    cid = next(next_id)
                    done = k == 0
                    converted.append(
                        {
                            "id": cid,
                            "name": f"{detail['name']}.mp4",
                            "quality": 720,
                            "view": "chat",
                            "status": "loaded" if done else "processing",
                            "createdAt": iso_colon(starts + timedelta(hours=1)),
                            "size": rng.randint(10**6, 10**9) if done else None,
                            "downloadUrl": f"https://records.example/{cid}.mp4" if done else None,
                        }
                    )
                    self.conversions[cid] = {
                        "id": cid,
                        "state": "loaded" if done else "processing",
                        "progress": 100 if done else rng.randint(1, 99),
                        "convertedAt": php_date(starts + timedelta(hours=2)) if done else None,
                        "downloadUrl": f"https://records.example/{cid}.mp4" if done else None,
                    }
            self.converted_records[sid] = converted
            for row in converted:
                if row["downloadUrl"]:
                    self.conversion_files[row["id"]] = {
                        **self._file(row["id"], starts + timedelta(hours=2)),
                        "name": row["name"],
                        "format": "mp4",
                        "mimeType": "video/mp4",
                        "typeFile": "ConvertedRecord",
                        "downloadUrl": row["downloadUrl"],
                        "duration": 3600,
                    }
        self._clear_planned_sessions(session_ids)

        # Per-event children.
        self.event_participations = {
            e["id"]: [
                {
                    **self._participation(
                        next(next_id), None, _parse_any(e["startsAt"]), member_ids
                    ),
                    "eventId": e["id"],
                }
                for _ in range(rng.randint(0, 3) if len(e["eventSessions"]) > 1 else 0)
            ]
            for e in self.events
        }
        self.event_files = {
            e["id"]: [
                {"file": self._file(next(next_id), _parse_any(e["startsAt"]))}
                for _ in range(rng.randint(0, 2))
            ]
            for e in self.events
        }

        # Stats: finished sessions.
        stopped = [sid for sid in session_ids if self.sessions[sid]["status"] == "STOP"]
        self.stats_events = [
            {
                "id": sid,
                "name": self.sessions[sid]["name"],
                "startsAt": self.sessions[sid]["startsAt"],
                "endsAt": php_date(_parse_any(self.sessions[sid]["startsAt"]) + timedelta(hours=1)),
                "duration": 3600,
                "invitedCount": rng.randint(0, 50),
                "invitedVisitedCount": rng.randint(0, 10),
                "registeredCount": len(self.participations[sid]),
                "registeredVisitedCount": rng.randint(0, 5),
                "attendance": [] if k % 2 else {"0": 3, "15": 2},
                "country": [],
                "platform": [] if k % 3 else {"Web": 4},
                "utms": [],
                "referrer": [] if k % 2 else {"https://example.ru": 2},
                "createUser": self.sessions[sid]["createUser"],
            }
            for k, sid in enumerate(stopped)
        ]
        self.stats_users = []
        for k, member in enumerate(self.members[: max(1, len(self.members) // 2)]):
            sid = stopped[k % len(stopped)] if stopped else session_ids[0]
            self.stats_users.append(
                {
                    "id": member["id"],
                    "email": member["email"],
                    "name": member["name"],
                    "secondName": member["secondName"],
                    "patrName": member["patrName"],
                    "sex": member["sex"],
                    "phone": member["phone"],
                    "organization": "Stand-in LLC",
                    "position": member["position"],
                    "eventSessions": [
                        {
                            "id": sid,
                            "name": self.sessions[sid]["name"],
                            "startsAt": self.sessions[sid]["startsAt"],
                            "endsAt": php_date(
                                _parse_any(self.sessions[sid]["startsAt"]) + timedelta(hours=1)
                            ),
                            "duration": 3600,
                            "eventId": self.session_event[sid],
                            "questionCount": 1,
                            "userQuestionCount": 0,
                            "chatMessageCount": 2,
                            "userChatMessageCount": 1,
                            "additionalFieldValues": [],
                            "actualInvolvement": 87,
                            "speechDuration": 60,
                            "attentionControl": {
                                "percent": 100,
                                "shownCount": 2,
                                "confirmedCount": 2,
                            },
                            "connections": [
                                {
                                    "joined": self.sessions[sid]["startsAt"],
                                    "leaved": None,
                                    "duration": 1200,
                                    "country": "RU",
                                    "city": "Moscow",
                                    "referrer": "",
                                    "platform": "Web",
                                }
                            ],
                            "utms": [],
                        }
                    ],
                }
            )
        self.stats_user_visits = [
            {
                "userId": m["id"],
                "eventSessionId": sid,
                "joined": self.sessions[sid]["startsAt"],
                "duration": 600 + k,
            }
            for k, (m, sid) in enumerate(zip(self.members, stopped, strict=False))
        ]

        # Records: finished sessions' recordings, then more spread over the past year.
        self.records = []
        for k in range(n_records):
            created = self.now - timedelta(days=(k * 7) % 360 + 1, hours=k % 5)
            sid = stopped[k % len(stopped)] if stopped else session_ids[0]
            self.records.append(
                {
                    "id": 4_400_000_000 + k * 3,
                    "name": f"Recording {k}",
                    "createAt": php_date(created),
                    "size": rng.randint(10**6, 5 * 10**9),
                    "link": f"https://my.mts-link.ru/record/{k}",
                    "isViewable": bool(k % 2),
                    "password": None,
                    "cuts": [],
                    "duration": iso_duration(1800 + k),
                    "eventSession": {"id": sid, "name": self.sessions[sid]["name"]},
                }
            )
        self.records.sort(key=lambda r: _parse_any(r["createAt"]), reverse=True)

        # Files, endless meetings, org.
        self.fs_files = [self._file(next(next_id), self.now - timedelta(days=k)) for k in range(5)]
        self.converted_record_files = [
            {
                **self._file(next(next_id), self.now - timedelta(days=k)),
                "typeFile": "ConvertedRecord",
            }
            for k in range(2)
        ]
        self.endless = [
            {
                "id": 7_700_000_000 + k,
                "name": f"Permanent room {k}",
                "isEndless": True,
                "createUserId": member_ids[k % len(member_ids)],
                "link": f"https://my.mts-link.ru/e{k}",
            }
            for k in range(3)
        ]
        self.endless_activities = []
        for k in range(6):
            room = self.endless[k % len(self.endless)]
            start = self.now - timedelta(days=k * 9 + 1)
            self.endless_activities.append(
                {
                    "id": 2_300_000 + k * 13,
                    "eventSession": {
                        "id": room["id"],
                        "name": room["name"],
                        "createdBy": {
                            "id": room["createUserId"],
                            "name": "A",
                            "secondName": "B",
                            "patrName": "",
                        },
                    },
                    "participants": [{"id": member_ids[j], "name": "P"} for j in range(k % 3 + 1)],
                    "startedAt": iso_colon(start),
                    "endedAt": iso_colon(start + timedelta(minutes=40)),
                }
            )
        self.stream_files_urls = [
            {
                "eventSessionId": sid,
                "url": f"https://stream.example/{sid}.m3u8",
                "createdAt": self.sessions[sid]["startsAt"],
            }
            for sid in stopped[:4]
        ]
        self.contacts = [
            {
                "id": 6_100_000 + k,
                "userId": member_ids[k] if k % 2 == 0 else None,
                "name": self.rng.choice(_FIRST),
                "secondName": self.rng.choice(_LAST),
                "company": "Client Co",
                "position": "",
                "phoneMain": f"+7911{k:07d}",
                "email": f"contact{k}@client.example",
                "tags": [],
            }
            for k in range(5)
        ]
        self.chat_teams = [
            {
                "id": f"1ef822c2-8e22-6d9c-9a1b-{k:012x}",
                "name": f"Team {k}",
                "code": f"t{k}",
                "description": "",
            }
            for k in range(3)
        ]
        self.chat_members = [
            {
                "chatUserId": f"1ef822c2-0000-4000-8000-{m['id']:012x}",
                "status": "Active",
                "organizationId": "",
                "role": "",
                "chatMemberProfile": {
                    "firstName": m["name"],
                    "lastName": m["secondName"],
                    "displayName": f"{m['name']} {m['secondName']}",
                    "email": m["email"],
                    "phone": m["phone"],
                    "avatarUrl": None,
                    "position": m["position"],
                    "department": "",
                },
            }
            for m in self.members
        ]
        chat_user_ids = [c["chatUserId"] for c in self.chat_members]
        self.chat_channels = [
            {
                "id": f"1efc3676-a103-6bb6-80c8-{k:012x}",
                "name": f"Channel {k}",
                "type": "Channel" if k % 2 == 0 else "Chat",
                "isPublic": k % 2 == 0,
                "isReadOnly": k == 0,
                "ownerId": chat_user_ids[k % len(chat_user_ids)],
                "description": "",
                "isNotifiable": True,
                "unreadMessageCount": 0,
                "startedWebinarEventId": "",
            }
            for k in range(4)
        ]
        # Every member but the last is in one or two channels; channels are shared.
        self.channel_users: dict[str, list[dict]] = {c["id"]: [] for c in self.chat_channels}
        self.user_channels: dict[str, list[dict]] = {}
        for k, uid in enumerate(chat_user_ids):
            picks = [] if k == len(chat_user_ids) - 1 else sorted({k % 3, (k * 7) % 4})
            self.user_channels[uid] = [self.chat_channels[i] for i in picks]
            for i in picks:
                self.channel_users[self.chat_channels[i]["id"]].append(
                    {"chatUserId": uid, "role": "Owner" if k == i else "Member"}
                )
        self.channel_messages = {
            c["id"]: [
                {
                    "id": f"1f02f279-8367-67cb-800e-{k:04x}{j:08x}",
                    "authorId": c["ownerId"],
                    "chatId": c["id"],
                    "text": f"message {j}",
                    "createdAtMs": int(
                        (self.now - timedelta(days=j, minutes=k)).timestamp() * 1000
                    ),
                    "type": "Text",
                    "isPersonal": False,
                    "status": "Read",
                    "updatedAt": int(self.now.timestamp()) if j == 1 else None,
                    "parentId": None,
                    "repliedMessage": None,
                    "childrenCount": None,
                    "unreadChildrenCount": 0,
                    "lastChild": None,
                    "files": None,
                    "reactions": [{"emoji": "👍", "count": 1, "users": [c["ownerId"]]}]
                    if j % 2
                    else None,
                }
                for j in range(k + 2)
            ]
            for k, c in enumerate(self.chat_channels)
        }
        self.user_stats = {
            m["id"]: {
                "userId": m["id"],
                "eventsCount": k % 4,
                "visitsCount": k % 7,
                "totalDuration": 600 * k,
                "lastVisitAt": php_date(self.now - timedelta(days=k)),
            }
            for k, m in enumerate(self.members)
        }
        self.user_test_stats = {
            m["id"]: [
                {
                    "testId": 5_000 + j,
                    "attempts": j + 1,
                    "bestScore": 70 + j,
                    "lastAttemptAt": naive_date(self.now - timedelta(days=j)),
                }
                for j in range(k % 3)
            ]
            for k, m in enumerate(self.members)
        }

        # Courses: list, detail with groups, group detail and statistics.
        self.courses = [
            {
                "id": 8_000 + k,
                "name": f"Course {k}",
                "owner": {"id": member_ids[k % len(member_ids)]},
                "isPublish": bool(k % 2),
            }
            for k in range(3)
        ]
        self.course_details: dict[int, dict] = {}
        self.course_groups: dict[tuple[int, int], dict] = {}
        self.course_group_stats: dict[tuple[int, int], dict] = {}
        for k, course in enumerate(self.courses):
            groups = [{"id": 81_000 + k * 10 + j, "name": f"Group {j}"} for j in range(k % 3 + 1)]
            self.course_details[course["id"]] = {
                **course,
                "isPreModerationEnabled": False,
                "groups": groups,
                "trajectory": [],
                "passingScore": 60,
                "certSetting": [],
                "visibilityStatus": "visible",
                "additionalFields": [],
                "locale": "ru",
            }
            for group in groups:
                key = (course["id"], group["id"])
                self.course_groups[key] = {
                    **group,
                    "courseId": course["id"],
                    "startsAt": php_date(self.now - timedelta(days=30)),
                    "membersCount": 3,
                }
                self.course_group_stats[key] = {
                    "groupId": group["id"],
                    "courseId": course["id"],
                    "studentsCount": 3,
                    "completedCount": 1,
                    "averageProgress": 42.5,
                }
        self.organization_course_groups = [dict(g) for g in self.course_groups.values()]

        # Tests.
        self.tests = [
            {
                "id": 5_000 + k,
                "name": f"Quiz {k}",
                "createAt": php_date(self.now - timedelta(days=k)),
                "questionsCount": 3 + k,
            }
            for k in range(3)
        ]
        self.test_details = {
            t["id"]: {
                **t,
                "description": "",
                "questions": [{"id": t["id"] * 10 + q, "text": "?"} for q in range(2)],
                "settings": [],
            }
            for t in self.tests
        }
        self.test_results = {
            t["id"]: [
                {
                    "id": t["id"] * 100 + j,
                    "userId": member_ids[j],
                    "score": 50 + j,
                    "passed": j % 2 == 0,
                    "finishedAt": php_date(self.now - timedelta(days=j + 1)),
                }
                for j in range(k + 1)
            ]
            for k, t in enumerate(self.tests)
        }
        self.test_custom_answers = {
            t["id"]: [
                {
                    "id": t["id"] * 1000 + j,
                    "userId": member_ids[j],
                    "questionId": t["id"] * 10,
                    "answer": "free text",
                    "createAt": naive_date(self.now - timedelta(days=j)),
                }
                for j in range(k % 2 + 1)
            ]
            for k, t in enumerate(self.tests)
        }
        self.brandings = [
            {
                "id": 300 + k,
                "name": f"Brand {k}",
                "isDefault": k == 0,
                "logo": [] if k else {"url": "https://cdn.example/logo.png"},
            }
            for k in range(2)
        ]
        self.organization_groups = [
            {"id": 400 + k, "name": f"Dept {k}", "membersCount": 2 + k} for k in range(3)
        ]
        self.partner_applications = [
            {
                "id": 500 + k,
                "name": f"App {k}",
                "status": "approved" if k else "rejected",
                "scopes": ["userapi_events_read"],
                "createdAt": iso_colon(self.now - timedelta(days=10 + k)),
            }
            for k in range(2)
        ]

    def _participation(
        self, pid: int, sid: int | None, starts: datetime, member_ids: list[int]
    ) -> dict[str, Any]:
        rng = self.rng
        person = self._person()
        registered = rng.random() < 0.8
        return {
            "id": pid,
            **person,
            "nickname": person["name"],
            "avatar": []
            if rng.random() < 0.55
            else {"url": "https://cdn.example/p.png", "thumbnails": {"50x50": "y"}},
            "eventId": self.session_event.get(sid) if sid else None,
            "eventSessionId": sid,
            "connectionEventSessionId": sid,
            "isAccepted": rng.choice([0, 1]),
            "role": rng.choice(["GUEST", "GUEST", "LECTURER", "ADMIN"]),
            "isSeen": True,
            "agreementStatus": rng.choice(["AGREED", "WAITING"]),
            "referrer": [] if rng.random() < 0.5 else {"https://example.ru": 1},
            "userId": rng.choice([*member_ids, 2_600_000_000 + pid % 1000]),
            "isOnline": rng.choice([0, 1]),
            "registerStatus": rng.choice(["INVITED", "REGISTERED", "REGISTERED_BY_URL"]),
            "registerDate": naive_date(starts - timedelta(days=2)) if registered else None,
            "paymentStatus": "NOT_PAID",
            "url": f"{pid:032x}",
            "additionalFieldValues": [],
            "visited": rng.random() < 0.6,
            "utms": [],
        }

    def _file(self, fid: int, created: datetime) -> dict[str, Any]:
        return {
            "id": fid,
            "parent": None,
            "isDeleted": False,
            "createAt": php_date(created),
            "name": f"slides-{fid}.pdf",
            "type": "file",
            "user": self.members[0]["id"],
            "organization": 555_001,
            "path": "/",
            "url": f"https://files.example/{fid}",
            "downloadUrl": f"https://files.example/{fid}/download",
            "thumbnailUrl": None,
            "thumbnails": [],
            "size": fid % 10**7,
            "format": "pdf",
            "isHidden": False,
            "isSystem": False,
            "mimeType": "application/pdf",
            "typeFile": "presentation",
            "uri": f"/files/{fid}",
            "thumbnailUri": None,
            "duration": None,
        }

    # --- request helpers -------------------------------------------------------------------------

    def not_found(self, request: Request) -> Response:
        """Symfony's "no route" answer."""
        return error(404, f'No route found for "{request.method} /userapi{request.path[3:]}"')

    def _auth(self, handler: Handler) -> Handler:
        def guarded(request: Request) -> Response:
            token = request.headers.get("x-auth-token")
            if not token:
                return error(401, "A Token was not found in the TokenStorage.")
            if token not in (API_TOKEN, RESTRICTED_TOKEN):
                return error(401, "Invalid token.")
            refused = self._over_hidden_limit()
            if refused is not None:
                return refused
            path = request.path[len(PREFIX) :]
            restricted = token == RESTRICTED_TOKEN and path.startswith(RESTRICTED_PREFIXES)
            if restricted or path == "/profile":
                return error(403, "The provided token is not allowed to perform this request")
            return handler(request)

        return guarded

    def _over_hidden_limit(self) -> Response | None:
        """The refusal of a request above ``hidden_limit``, in the API's error envelope."""
        if self.hidden_limit is None:
            return None
        wait = self.hidden_limit.check()
        if wait is None:
            return None
        status = self.hidden_limit.status
        message = "Too Many Requests" if status == 429 else "Service Unavailable"
        response = error(status, message)
        response.headers["Retry-After"] = retry_after_seconds(wait)
        return response

    def get(self, pattern: str) -> Callable[[Handler], Handler]:
        """Register an authenticated GET route under ``/v3``."""

        def register(handler: Handler) -> Handler:
            self.route("GET", PREFIX + pattern)(self._auth(handler))
            return handler

        return register

    @staticmethod
    def paged(request: Request, items: list, allowed: set[int], *, default: int = 50) -> Response:
        """page/perPage over a bare array; 400 for a perPage outside the allowed set."""
        try:
            per_page = int(request.arg("perPage", str(default)) or default)
            page = int(request.arg("page", "1") or 1)
        except ValueError:
            return error(400, "page and perPage must be integers")
        if per_page not in allowed or page < 1:
            return error(400, f"perPage must be one of {sorted(allowed)}")
        return Response(200, items[(page - 1) * per_page : page * per_page])

    def window(
        self, request: Request, items: list, key: str, *, required: bool = False
    ) -> list | Response:
        """Items whose ``key`` date is within ``from``..``to`` (``to`` defaults to from + 1 y)."""
        try:
            start = parse_query_date(request.arg("from"))
            end = parse_query_date(request.arg("to"))
        except ValueError:
            return error(400, "from/to must be dates")
        if start is None:
            if required:
                return self.not_found(request)
            start = self.now
        end = end or start + timedelta(days=365)
        if end.hour == end.minute == end.second == 0 and len(request.arg("to") or "") <= 10:
            end += timedelta(days=1) - timedelta(seconds=1)
        return [i for i in items if start <= _parse_any(i[key]) <= end]

    def _session(self, request: Request) -> int | None:
        sid = int(request.params["sid"])
        return sid if sid in self.sessions and sid not in self.deleted_sessions else None

    # --- routes ----------------------------------------------------------------------------------

    def _register_routes(self) -> None:
        get = self.get
        sid_re = r"/eventsessions/(?P<sid>\d+)"

        def schedule(items: list[dict]) -> Handler:
            def handler(request: Request) -> Response:
                wanted = {
                    v for k, vs in request.query.items() if k.startswith("status[") for v in vs
                } or {"ACTIVE"}
                try:
                    start = parse_query_date(request.arg("from"))
                    end = parse_query_date(request.arg("to"))
                except ValueError:
                    return error(400, "from/to must be dates")
                if start is None:
                    return error(400, "from is required")
                end = end or start + timedelta(days=365)
                rows = []
                for event in items:
                    sessions = [
                        s
                        for s in event["eventSessions"]
                        if s["status"] in wanted and start <= _parse_any(s["startsAt"]) <= end
                    ]
                    if sessions:
                        rows.append({**event, "eventSessions": sessions})
                return self.paged(request, rows, SCHEDULE_PER_PAGE, default=10)

            return handler

        get("/organization/events/schedule")(schedule(self.events))

        @get(r"/users/(?P<uid>\d+)/events/schedule")
        def user_schedule(request: Request) -> Response:
            uid = int(request.params["uid"])
            return schedule([e for e in self.events if e["createUserId"] == uid])(request)

        @get(r"/organization/events/(?P<eid>\d+)")
        def event_detail(request: Request) -> Response:
            eid = int(request.params["eid"])
            event = next((e for e in self.events if e["id"] == eid), None)
            return Response(200, event) if event else error(404, "Event not found")

        @get(r"/events/(?P<eid>\d+)/participations")
        def event_participations(request: Request) -> Response:
            rows = self.event_participations.get(int(request.params["eid"]))
            if rows is None:
                return error(404, "Event not found")
            return self.paged(request, rows, MEMBER_PER_PAGE)

        @get(r"/events/(?P<eid>\d+)/files")
        def event_files(request: Request) -> Response:
            rows = self.event_files.get(int(request.params["eid"]))
            return Response(200, rows) if rows is not None else error(404, "Event not found")

        @get(sid_re)
        def session_detail(request: Request) -> Response:
            sid = self._session(request)
            return Response(200, self.sessions[sid]) if sid else error(404, "Not Found")

        def per_session(
            table: dict[int, list], shape: str, allowed: set[int] | None = None
        ) -> Handler:
            def handler(request: Request) -> Response:
                sid = self._session(request)
                if sid is None:
                    return error(404, "Event session not found")
                rows = table.get(sid, [])
                if shape == "paged":
                    return self.paged(request, rows, allowed or MEMBER_PER_PAGE)
                if shape == "data-items":
                    page = self.paged(request, rows, allowed or CONVERTED_PER_PAGE)
                    if page.status != 200:
                        return page
                    return Response(200, {"data": {"items": page.body, "total": len(rows)}})
                if shape == "chat":
                    limit = int(request.arg("limit", "100") or 100)
                    return Response(200, rows[-limit:])
                return Response(200, rows)

            return handler

        get(sid_re + "/participations")(per_session(self.participations, "paged"))
        get(sid_re + "/chat")(per_session(self.chat, "chat"))
        get(sid_re + "/questions")(per_session(self.questions, "bare"))
        get(sid_re + "/agendas")(per_session(self.activities["agendas"], "bare"))
        get(sid_re + "/raising-hands")(per_session(self.activities["raised_hands"], "bare"))
        get(sid_re + "/likes")(per_session(self.activities["likes"], "bare"))
        get(sid_re + "/emoji-reactions")(per_session(self.activities["emoji_reactions"], "bare"))
        get(sid_re + "/attention-control/checkpoints")(
            per_session(self.activities["checkpoints"], "bare")
        )
        get(sid_re + "/attention-control/interactions")(
            per_session(self.interactions, "data-items", MEMBER_PER_PAGE)
        )
        get(sid_re + "/files")(per_session(self.session_files, "bare"))
        get(sid_re + "/converted-records")(per_session(self.converted_records, "data-items"))

        @get(sid_re + "/transcript/list")
        def transcript_list(request: Request) -> Response:
            sid = self._session(request)
            if sid is None or sid in self.no_transcript:
                return error(404, "Transcript not found")
            per_page = int(request.arg("perPage", "50") or 50)
            if not 1 <= per_page <= TRANSCRIPT_MAX_PER_PAGE:
                return error(400, "perPage must be 1..1000")
            if self.transcript_page_cap:
                per_page = min(per_page, self.transcript_page_cap)
            cursor = request.arg("cursor")
            offset = json.loads(base64.urlsafe_b64decode(cursor))["o"] if cursor else 0
            rows = self.transcripts[sid]
            items = rows[offset : offset + per_page]
            following = offset + per_page
            token = (
                base64.urlsafe_b64encode(json.dumps({"o": following, "s": sid}).encode()).decode()
                if following < len(rows)
                else None
            )
            return Response(200, {"data": {"items": items, "nextPageCursor": token}})

        @get(r"/transcript/(?P<tid>\d+)")
        def transcript_detail(request: Request) -> Response:
            detail = self.transcript_details.get(int(request.params["tid"]))
            if detail is None:
                return error(404, "Transcript not found")
            return Response(200, {"data": detail})

        @get(r"/records/conversions/(?P<cid>\d+)")
        def conversion(request: Request) -> Response:
            row = self.conversions.get(int(request.params["cid"]))
            return Response(200, row) if row else error(404, "Conversion not found")

        @get("/records")
        def records(request: Request) -> Response:
            rows = self.window(request, self.records, "createAt")
            if isinstance(rows, Response):
                return rows
            offset = int(request.arg("offset", "0") or 0)
            limit = int(request.arg("limit", "10") or 10)
            if not 1 <= limit <= RECORDS_MAX_LIMIT:
                return error(400, "limit must be 1..500")
            return Response(200, rows[offset : offset + limit])

        @get("/stats/events")
        def stats_events(request: Request) -> Response:
            rows = self.window(request, self.stats_events, "startsAt", required=True)
            return rows if isinstance(rows, Response) else Response(200, rows)

        @get("/stats/users")
        def stats_users(request: Request) -> Response:
            if parse_query_date(request.arg("from")) is None:
                return error(406, "from is required")
            return Response(200, self.stats_users)

        @get("/stats/users/visits")
        def stats_visits(request: Request) -> Response:
            rows = self.window(request, self.stats_user_visits, "joined")
            return rows if isinstance(rows, Response) else Response(200, rows)

        def static(rows: Any, *, wrap: bool = False, paged: set[int] | None = None) -> Handler:
            def handler(request: Request) -> Response:
                if paged:
                    return self.paged(request, rows, paged)
                return Response(200, {"data": rows} if wrap else rows)

            return handler

        get("/organization/members")(static(self.members, paged=MEMBER_PER_PAGE))
        get("/timezones")(static(self.timezones))
        get("/fileSystem/files")(static(self.fs_files))
        get("/fileSystem/files/converted-record")(static(self.converted_record_files))
        get("/eventsessions/endless")(static(self.endless, paged=MEMBER_PER_PAGE))
        get("/organization/eventsessions/streamFilesUrls")(static(self.stream_files_urls))
        get("/contacts/search")(static(self.contacts))
        get("/chats/teams")(static(self.chat_teams, wrap=True))
        get("/chats/organization/members")(static(self.chat_members, paged=CHAT_MEMBER_PER_PAGE))
        get("/organization/courses")(static(self.courses, wrap=True))
        get("/organization/courses/groups")(static(self.organization_course_groups, wrap=True))
        get("/tests/list")(static(self.tests))
        get("/brandings")(static(self.brandings))
        get("/organization-groups")(static(self.organization_groups))
        get("/partner-applications")(static(self.partner_applications, wrap=True))

        @get("/eventsessions/endless/activities")
        def endless_activities(request: Request) -> Response:
            rows = self.window(request, self.endless_activities, "startedAt")
            if isinstance(rows, Response):
                return rows
            return self.paged(request, rows, MEMBER_PER_PAGE)

        @get(r"/fileSystem/file/(?P<fid>\d+)")
        def file_detail(request: Request) -> Response:
            fid = int(request.params["fid"])
            row = next((f for f in self.fs_files if f["id"] == fid), None)
            row = row or self.conversion_files.get(fid)
            return Response(200, row) if row else error(404, "Not Found")

        uuid = r"(?P<id>[0-9a-f-]{36})"

        def by_uuid(table: dict[str, Any], *, wrap: bool = True) -> Handler:
            def handler(request: Request) -> Response:
                row = table.get(request.params["id"])
                if row is None:
                    return error(404, "Not Found")
                return Response(200, {"data": row} if wrap else row)

            return handler

        get(r"/chats/channels/" + uuid)(by_uuid(self.user_channels))
        get(r"/chats/channel/" + uuid)(
            by_uuid({c["id"]: c for c in self.chat_channels}, wrap=False)
        )
        get(r"/chats/channel/" + uuid + "/messages")(by_uuid(self.channel_messages))
        get(r"/chats/channels/" + uuid + "/users")(by_uuid(self.channel_users))

        def keyed(table: dict, name: str, *, wrap: bool = False, key: str = "id") -> Handler:
            def handler(request: Request) -> Response:
                ident = tuple(
                    int(v) for k, v in sorted(request.params.items()) if k.startswith(key)
                )
                row = table.get(ident[0] if len(ident) == 1 else ident)
                if row is None:
                    return error(404, f"{name} not found")
                return Response(200, {"data": row} if wrap else row)

            return handler

        contact_users = {
            c["id"]: {"id": c["userId"], "email": c["email"]} for c in self.contacts if c["userId"]
        }
        get(r"/contacts/(?P<id>\d+)")(keyed({c["id"]: c for c in self.contacts}, "Contact"))
        get(r"/contacts/(?P<id>\d+)/user")(keyed(contact_users, "User"))
        get(r"/organization/users/(?P<id>\d+)/statistics")(keyed(self.user_stats, "User"))
        get(r"/users/(?P<id>\d+)/tests/stats")(keyed(self.user_test_stats, "User"))
        get(r"/courses/(?P<id>\d+)")(keyed(self.course_details, "Course"))
        get(r"/courses/(?P<id1>\d+)/groups/(?P<id2>\d+)")(keyed(self.course_groups, "Group"))
        get(r"/courses/(?P<id1>\d+)/groups/(?P<id2>\d+)/statistics")(
            keyed(self.course_group_stats, "Group", wrap=True)
        )
        get(r"/tests/(?P<id>\d+)")(keyed(self.test_details, "Test"))
        get(r"/tests/(?P<id>\d+)/results")(keyed(self.test_results, "Test"))
        get(r"/tests/(?P<id>\d+)/customanswers")(keyed(self.test_custom_answers, "Test"))
        get("/profile")(static({}))

    # --- records, for drift and keyless ----------------------------------------------------------

    def _declare_record_routes(self) -> None:
        """Where each answer's records are; child records are keyed by their parent too."""
        self.protected_fields = PROTECTED
        bare, data, items, whole = (
            records_at("*"),
            records_at("data", "*"),
            records_at("data", "items", "*"),
            records_at(),
        )
        declare = self._declare
        session = path_params(eventSessionId=int)
        declare("/organization/events/schedule", bare)
        declare(r"/users/(?P<userId>\d+)/events/schedule", bare, context=path_params(userId=int))
        declare(r"/organization/events/(?P<eventId>\d+)", whole)
        declare(r"/events/(?P<eventId>\d+)/participations", bare)
        declare(
            r"/events/(?P<eventId>\d+)/files",
            bare,
            key=("file.id",),
            context=path_params(eventId=int),
        )
        lists = "participations|chat|questions|agendas|raising-hands|likes|emoji-reactions"
        declare(
            rf"/eventsessions/(?P<eventSessionId>\d+)/(?P<list>{lists}|attention-control/checkpoints)",
            bare,
            context=session,
        )
        wrapped = "attention-control/interactions|converted-records|transcript/list"
        declare(
            rf"/eventsessions/(?P<eventSessionId>\d+)/(?P<list>{wrapped})", items, context=session
        )
        declare(
            r"/eventsessions/(?P<eventSessionId>\d+)/files", bare, key=("file.id",), context=session
        )
        declare(r"/eventsessions/(?P<eventSessionId>\d+)", whole)
        declare(r"/transcript/(?P<transcriptId>\d+)", records_at("data"))
        declare(r"/records/conversions/(?P<conversionId>\d+)", whole)
        for path in (
            "/records",
            "/stats/events",
            "/stats/users",
            "/organization/members",
            "/timezones",
            "/fileSystem/files",
            "/fileSystem/files/converted-record",
            "/eventsessions/endless",
            "/eventsessions/endless/activities",
            "/contacts/search",
            "/tests/list",
            "/brandings",
            "/organization-groups",
        ):
            declare(path, bare)
        declare("/stats/users/visits", bare, key=("userId", "eventSessionId"))
        declare("/organization/eventsessions/streamFilesUrls", bare, key=("eventSessionId", "url"))
        for path in ("/chats/teams", "/organization/courses", "/partner-applications"):
            declare(path, data)
        declare("/organization/courses/groups", data, key=("courseId", "id"))
        declare("/chats/organization/members", bare, key=("chatUserId",))
        declare(r"/fileSystem/file/(?P<fileId>\d+)", whole)
        declare(rf"/chats/channels/(?P<chatUserId>{CHAT_UUID})", data)
        declare(rf"/chats/channel/(?P<channelId>{CHAT_UUID})", whole)
        declare(rf"/chats/channel/(?P<channelId>{CHAT_UUID})/messages", data)
        declare(
            rf"/chats/channels/(?P<channelId>{CHAT_UUID})/users",
            data,
            key=("chatUserId",),
            context=path_params(channelId=str),
        )
        declare(r"/contacts/(?P<contactId>\d+)", whole)
        declare(r"/contacts/(?P<contactId>\d+)/user", whole, context=path_params(contactId=int))
        declare(r"/organization/users/(?P<userId>\d+)/statistics", whole, key=("userId",))
        declare(
            r"/users/(?P<userId>\d+)/tests/stats",
            bare,
            key=("testId",),
            context=path_params(userId=int),
        )
        declare(r"/courses/(?P<courseId>\d+)", whole)
        declare(
            r"/courses/(?P<courseId>\d+)/groups/(?P<groupId>\d+)", whole, key=("courseId", "id")
        )
        declare(
            r"/courses/(?P<courseId>\d+)/groups/(?P<groupId>\d+)/statistics",
            records_at("data"),
            key=("courseId", "groupId"),
        )
        declare(r"/tests/(?P<testId>\d+)", whole)
        declare(
            r"/tests/(?P<testId>\d+)/(?P<list>results|customanswers)",
            bare,
            context=path_params(testId=int),
        )

    def _declare(self, pattern: str, locate: Any, **options: Any) -> None:
        """Declare records under ``/v3``; the resource is the pattern with ``{name}`` groups."""
        self.declare_records(
            PREFIX + pattern,
            lambda params, pattern=pattern: PREFIX + _template(pattern, params),
            locate,
            **options,
        )

    # --- expectations ----------------------------------------------------------------------------

    def live_sessions(self) -> list[int]:
        """Sessions the schedule lists (every status) whose detail answers."""
        return [sid for sid in self.sessions if sid not in self.deleted_sessions]


def _template(pattern: str, params: dict[str, str]) -> str:
    """A route pattern as a stable name: ``(?P<sid>...)`` groups become ``{sid}``.

    Groups named ``list`` keep the matched text (one pattern serves several endpoints).
    """

    def name(match: re.Match[str]) -> str:
        group = match.group(1)
        return params[group] if group == "list" else f"{{{group}}}"

    return re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", name, pattern)


def build(*, latency: float = 0.0, clock: Clock | None = None, **options: Any) -> MtsLinkStandIn:
    """The stand-in with default (small) data; options: events, big_session, records, members.

    Drift and breakage options (``drift``, ``drift_seed``, ``drift_log``, ``fail_path``,
    ``keyless``) are described in ``standins.drift``.

    An undocumented rate limit, off by default (``standins.limits.HiddenLimit``):
    ``hidden_limit=R`` requests a second (sliding window), ``hidden_burst=B`` (default R),
    ``hidden_limit_status`` 429 (default) or 503. Above it authenticated API requests get that
    status, ``{"error": {"code": ..., "message": ...}}`` and ``Retry-After`` in seconds;
    refusals are counted in ``standin.limits.rejected["hidden"]``. ``clock`` (in-process
    only) replaces the limiter's ``time.time``.
    """
    switches = pop_switches(options)
    limits = Limits(clock)
    hidden = HiddenLimit.from_options(limits, options)
    standin = MtsLinkStandIn(latency=latency, **options)
    standin.limits = limits
    standin.hidden_limit = hidden
    standin.configure(**switches)
    return standin


def expected_counts(standin: MtsLinkStandIn) -> dict[str, int]:
    """Records per stream for a run from far in the past, every stream selected."""
    live = standin.live_sessions()
    per_session = {
        "participations": standin.participations,
        "chat_messages": standin.chat,
        "questions": standin.questions,
        "transcripts": standin.transcripts,
        "agendas": standin.activities["agendas"],
        "attention_checkpoints": standin.activities["checkpoints"],
        "attention_interactions": standin.interactions,
        "raised_hands": standin.activities["raised_hands"],
        "likes": standin.activities["likes"],
        "emoji_reactions": standin.activities["emoji_reactions"],
        "session_files": standin.session_files,
        "converted_records": standin.converted_records,
    }
    counts = {name: sum(len(table[sid]) for sid in live) for name, table in per_session.items()}
    converted = [row for sid in live for row in standin.converted_records[sid]]
    members = standin.members
    return {
        "events": len(standin.events),
        "event_details": len(standin.events),
        "event_participations": sum(len(v) for v in standin.event_participations.values()),
        "event_files": sum(len(v) for v in standin.event_files.values()),
        "event_sessions": len(standin.sessions),
        "event_session_details": len(live),
        **counts,
        "transcript_details": counts["transcripts"],
        "record_conversions": len(converted),
        "converted_record_downloads": sum(1 for row in converted if row["downloadUrl"]),
        "records": len(standin.records),
        "stats_events": len(standin.stats_events),
        "stats_users": len(standin.stats_users),
        "stats_user_visits": len(standin.stats_user_visits),
        "organization_members": len(members),
        "user_events": sum(
            1 for m in members for e in standin.events if e["createUserId"] == m["id"]
        ),
        "user_stats": len(members),
        "user_test_stats": sum(len(standin.user_test_stats[m["id"]]) for m in members),
        "files": len(standin.fs_files),
        "file_details": len(standin.fs_files),
        "converted_record_files": len(standin.converted_record_files),
        "timezones": len(standin.timezones),
        "endless_meetings": len(standin.endless),
        "endless_activities": len(standin.endless_activities),
        "stream_files_urls": len(standin.stream_files_urls),
        "contacts": len(standin.contacts),
        "contact_details": len(standin.contacts),
        "contact_users": sum(1 for c in standin.contacts if c["userId"]),
        "chat_teams": len(standin.chat_teams),
        "chat_members": len(standin.chat_members),
        "chat_channels": len({c["id"] for rows in standin.user_channels.values() for c in rows}),
        "chat_channel_details": len(standin.chat_channels),
        "chat_channel_messages": sum(len(v) for v in standin.channel_messages.values()),
        "chat_channel_users": sum(len(v) for v in standin.channel_users.values()),
        "courses": len(standin.courses),
        "course_details": len(standin.courses),
        "course_groups": len(standin.course_groups),
        "course_group_stats": len(standin.course_group_stats),
        "organization_course_groups": len(standin.organization_course_groups),
        "tests": len(standin.tests),
        "test_details": len(standin.tests),
        "test_results": sum(len(v) for v in standin.test_results.values()),
        "test_custom_answers": sum(len(v) for v in standin.test_custom_answers.values()),
        "brandings": len(standin.brandings),
        "organization_groups": len(standin.organization_groups),
        "partner_applications": len(standin.partner_applications),
    }
